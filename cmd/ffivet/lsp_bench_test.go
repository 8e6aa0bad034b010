package main

import (
	"context"
	"io"
	"os"
	"testing"

	"github.com/ffivet/ffivet/bridge"
	"github.com/ffivet/ffivet/passes"
)

// BenchmarkLSPRecheck measures what "ffivet lsp" does when a file is
// saved: load and check the package of the file's directory, in a
// server that has checked it before. FFIVET_BENCH_DIR names the package
// directory, FFIVET_BENCH_EDIT a .go file of it that gets a new comment
// line before each check, as an edit would, and FFIVET_BENCH_CGO the
// -cgo mode (types by default). docs/performance.sh runs it beside go vet.
func BenchmarkLSPRecheck(b *testing.B) {
	dir := os.Getenv("FFIVET_BENCH_DIR")
	if dir == "" {
		b.Skip("FFIVET_BENCH_DIR is not set")
	}
	edit := os.Getenv("FFIVET_BENCH_EDIT")
	var orig []byte
	if edit != "" {
		var err error
		if orig, err = os.ReadFile(edit); err != nil {
			b.Fatal(err)
		}
		defer os.WriteFile(edit, orig, 0o666)
	}
	opts := options{tests: true, cgo: "types"}
	if m := os.Getenv("FFIVET_BENCH_CGO"); m != "" {
		opts.cgo = m
	}
	bridge.Default.Bound(lspCachedPackages, lspCachedUnits)
	check := lspChecker(opts, passes.All())
	if _, err := check(context.Background(), dir, io.Discard); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if edit != "" {
			b.StopTimer()
			orig = append(orig, "// edited\n"...)
			if err := os.WriteFile(edit, orig, 0o666); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		if _, err := check(context.Background(), dir, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
