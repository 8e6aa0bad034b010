package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ffivet/ffivet/bridge"
	"github.com/ffivet/ffivet/passes"
)

// A realWorldGroup is a set of public cgo modules checked together, with
// the findings ffivet reports on them, each triaged in docs/findings.md.
type realWorldGroup struct {
	name string
	// modules are required at exactly these versions ("path version").
	modules []string
	// packages are checked; those of the standard library need no
	// module.
	packages []string
	// findings are "file.go:line check", sorted: the test fails when one
	// appears or disappears, so a change in what ffivet reports is
	// looked at.
	findings []string
}

// realWorldGroups are the public modules of `make realworld`, with the
// Debian -dev packages each needs (installed by .ci/run). A group is run
// alone with -run 'TestRealWorld/NAME'.
var realWorldGroups = []realWorldGroup{
	{
		name:     "sqlite",
		modules:  []string{"github.com/mattn/go-sqlite3 v1.14.52"},
		packages: []string{"github.com/mattn/go-sqlite3"},
		findings: []string{
			"callback.go:80 cgosig",
			"sqlite3.go:1031 cgonarrow",
			"sqlite3.go:2062 cgonarrow",
			"sqlite3.go:734 cgosig",
			"sqlite3_context.go:107 cgonarrow",
		},
	},
	{
		name: "compression",
		modules: []string{
			"github.com/DataDog/zstd v1.5.7",
			"github.com/valyala/gozstd v1.27.0",
		},
		packages: []string{"github.com/DataDog/zstd", "github.com/valyala/gozstd"},
		findings: []string{
			"dict.go:127 cgopointer",
			"dict.go:171 cgopointer",
			"gozstd.go:156 cgopointer",
			"gozstd.go:156 cgopointer",
			"gozstd.go:171 cgopointer",
			"gozstd.go:171 cgopointer",
			"gozstd.go:285 cgopointer",
			"gozstd.go:327 cgopointer",
			"gozstd.go:327 cgopointer",
			"gozstd.go:335 cgopointer",
			"gozstd.go:335 cgopointer",
		},
	},
	{
		name:     "kafka",
		modules:  []string{"github.com/confluentinc/confluent-kafka-go/v2 v2.11.1"},
		packages: []string{"github.com/confluentinc/confluent-kafka-go/v2/kafka"},
		findings: []string{
			"adminapi.go:1788 cgoalloc",
			"adminapi.go:1817 cgoalloc",
			"adminapi.go:1817 cgoalloc",
			"adminapi.go:1887 cgoalloc",
			"adminapi.go:1950 cgoalloc",
			"adminapi.go:2047 cgoalloc",
			"adminapi.go:2060 cgoalloc",
			"adminapi.go:2060 cgoalloc",
			"adminapi.go:2246 cgoalloc",
			"error.go:164 cgoalloc",
			"message.go:207 cgounsafe",
		},
	},
	{
		// libpcap-dev, libzmq3-dev.
		name: "net",
		modules: []string{
			"github.com/google/gopacket v1.1.19",
			"github.com/pebbe/zmq4 v1.4.0",
		},
		packages: []string{
			"github.com/google/gopacket/pcap",
			"github.com/pebbe/zmq4",
			"os/user", "net", "runtime/cgo",
		},
		findings: []string{
			"pcap_unix.go:346 cgonarrow",
			"pcap_unix.go:347 cgonarrow",
			"pcap_unix.go:349 cgopointer",
			"pcap_unix.go:349 cgopointer",
			"pcap_unix.go:384 cgonarrow",
			"pcap_unix.go:398 cgopointer",
			"pcap_unix.go:521 cgonarrow",
			"pcap_unix.go:588 cgonarrow",
			"pcap_unix.go:653 cgonarrow",
		},
	},
	{
		// X11 and GL -dev packages, libasound2-dev, portaudio19-dev,
		// libopus-dev, libopusfile-dev.
		name: "desktop",
		modules: []string{
			"github.com/go-gl/glfw/v3.3/glfw v0.0.0-20260823155953-d41da22a9587",
			"golang.design/x/clipboard v0.7.1",
			"github.com/gordonklaus/portaudio v0.0.0-20250206071425-98a94950218b",
			"github.com/ebitengine/oto/v3 v3.4.0",
			"github.com/gen2brain/malgo v0.11.24",
			"gopkg.in/hraban/opus.v2 v2.0.0-20230925203106-0188a62cb302",
		},
		packages: []string{
			"github.com/go-gl/glfw/v3.3/glfw",
			"golang.design/x/clipboard",
			"github.com/gordonklaus/portaudio",
			"github.com/ebitengine/oto/v3",
			"github.com/gen2brain/malgo",
			"gopkg.in/hraban/opus.v2",
		},
		findings: []string{
			"clipboard_linux.go:168 cgosig",
			"decoder.go:113 cgonarrow",
			"decoder.go:154 cgonarrow",
			"decoder.go:183 cgonarrow",
			"decoder.go:85 cgonarrow",
			"encoder.go:195 cgonarrow",
			"encoder.go:223 cgonarrow",
			"input.go:751 cgosig",
			"input.go:782 cgosig",
			"input.go:805 cgosig",
			"monitor.go:194 cgosig",
			"monitor.go:59 cgosig",
		},
	},
	{
		// libvips-dev.
		name: "images",
		modules: []string{
			"github.com/h2non/bimg v1.1.9",
			"github.com/davidbyttow/govips/v2 v2.16.0",
		},
		packages: []string{"github.com/h2non/bimg", "github.com/davidbyttow/govips/v2/vips"},
		findings: []string{
			"arithmetic.go:108 cgoalloc",
			"arithmetic.go:48 cgonarrow",
			"header.go:200 cgopointer",
			"header.go:283 cgoalloc",
			"vips.go:98 cgoalloc",
		},
	},
	{
		// libseccomp-dev, libpam0g-dev, libsystemd-dev, libbtrfs-dev.
		name: "system",
		modules: []string{
			"github.com/seccomp/libseccomp-golang v0.12.0",
			"github.com/msteinert/pam/v2 v2.1.0",
			"github.com/coreos/go-systemd/v22 v22.7.0",
			"github.com/opencontainers/runc v1.5.3",
			"github.com/containerd/btrfs/v2 v2.0.0",
			"github.com/karalabe/hid v1.0.1-0.20240306101548-573246063e52",
			"github.com/mattn/go-pointer v0.0.1",
		},
		packages: []string{
			"github.com/seccomp/libseccomp-golang",
			"github.com/msteinert/pam/v2",
			"github.com/coreos/go-systemd/v22/sdjournal",
			"github.com/opencontainers/runc/libcontainer/nsenter",
			"github.com/containerd/btrfs/v2",
			"github.com/karalabe/hid",
			"github.com/mattn/go-pointer",
		},
		findings: []string{
			"transaction.go:409 cgoalloc",
		},
	},
	{
		name: "crypto",
		modules: []string{
			"github.com/miekg/pkcs11 v1.1.2",
			"github.com/ethereum/go-ethereum v1.17.10",
		},
		packages: []string{"github.com/miekg/pkcs11", "github.com/ethereum/go-ethereum/crypto/secp256k1"},
		findings: []string{
			"pkcs11.go:1044 cgonarrow",
			"pkcs11.go:1052 cgonarrow",
			"pkcs11.go:1159 cgoalloc",
			"pkcs11.go:1193 cgoalloc",
			"pkcs11.go:1193 cgonarrow",
			"pkcs11.go:1208 cgoalloc",
			"pkcs11.go:1208 cgonarrow",
			"pkcs11.go:1223 cgoalloc",
			"pkcs11.go:1246 cgoalloc",
			"pkcs11.go:1246 cgonarrow",
			"pkcs11.go:1261 cgoalloc",
			"pkcs11.go:1261 cgonarrow",
			"pkcs11.go:1276 cgoalloc",
			"pkcs11.go:1299 cgoalloc",
			"pkcs11.go:1299 cgonarrow",
			"pkcs11.go:1310 cgonarrow",
			"pkcs11.go:1334 cgoalloc",
			"pkcs11.go:1360 cgoalloc",
			"pkcs11.go:1360 cgonarrow",
			"pkcs11.go:1373 cgonarrow",
			"pkcs11.go:1383 cgoalloc",
			"pkcs11.go:1406 cgoalloc",
			"pkcs11.go:1406 cgonarrow",
			"pkcs11.go:1429 cgonarrow",
			"pkcs11.go:1429 cgonarrow",
			"pkcs11.go:1437 cgonarrow",
			"pkcs11.go:1444 cgonarrow",
			"pkcs11.go:1464 cgoalloc",
			"pkcs11.go:1464 cgonarrow",
			"pkcs11.go:1479 cgoalloc",
			"pkcs11.go:1479 cgonarrow",
			"pkcs11.go:1494 cgoalloc",
			"pkcs11.go:1494 cgonarrow",
			"pkcs11.go:1509 cgoalloc",
			"pkcs11.go:1509 cgonarrow",
			"pkcs11.go:1524 cgoalloc",
			"pkcs11.go:1524 cgonarrow",
			"pkcs11.go:1576 cgoalloc",
			"pkcs11.go:1592 cgonarrow",
			"pkcs11.go:1610 cgonarrow",
			"pkcs11.go:1617 cgoalloc",
			"pkcs11.go:1617 cgonarrow",
			"pkcs11.go:1621 cgonarrow",
			"pkcs11.go:871 cgoalloc",
			"pkcs11.go:927 cgoalloc",
			"pkcs11.go:967 cgonarrow",
			"pkcs11.go:975 cgonarrow",
			"pkcs11.go:985 cgonarrow",
			"pkcs11.go:985 cgonarrow",
		},
	},
	{
		// libleveldb-dev, unixodbc-dev; godror bundles ODPI-C.
		name: "database",
		modules: []string{
			"github.com/jmhodges/levigo v1.0.0",
			"github.com/alexbrainman/odbc v0.0.0-20250601004241-49e6b2bc0cf0",
			"github.com/godror/godror v0.40.4",
		},
		packages: []string{"github.com/jmhodges/levigo", "github.com/alexbrainman/odbc", "github.com/godror/godror"},
		findings: []string{
			"conn.go:370 cgonarrow",
			"conn.go:439 cgonarrow",
			"conn.go:440 cgonarrow",
			"conn.go:859 cgonarrow",
			"data.go:102 cgonarrow",
			"data.go:102 cgopointer",
			"drv.go:352 cgonarrow",
			"drv.go:365 cgonarrow",
			"drv.go:492 cgonarrow",
			"drv.go:499 cgonarrow",
			"drv.go:543 cgonarrow",
			"drv.go:549 cgonarrow",
			"drv.go:595 cgonarrow",
			"drv.go:596 cgonarrow",
			"drv.go:597 cgonarrow",
			"drv.go:813 cgonarrow",
			"drv.go:814 cgonarrow",
			"drv.go:815 cgonarrow",
			"json.go:651 cgonarrow",
			"obj.go:139 cgopointer",
			"obj.go:70 cgopointer",
			"obj.go:967 cgonarrow",
			"queue.go:416 cgonarrow",
			"queue.go:423 cgonarrow",
			"queue.go:435 cgonarrow",
			"queue.go:609 cgonarrow",
			"queue.go:715 cgonarrow",
			"queue.go:719 cgonarrow",
			"queue.go:723 cgonarrow",
			"queue.go:727 cgonarrow",
			"queue.go:737 cgonarrow",
			"queue.go:765 cgonarrow",
			"queue.go:94 cgonarrow",
			"stmt.go:2232 cgonarrow",
			"stmt.go:2242 cgonarrow",
			"stmt.go:2367 cgonarrow",
			"stmt.go:2373 cgonarrow",
			"stmt.go:606 cgonarrow",
			"stmt.go:944 cgonarrow",
			"subscr.go:224 cgonarrow",
			"subscr.go:228 cgonarrow",
			"subscr.go:284 cgonarrow",
		},
	},
}

// shortFinding reduces "…/f.go:12:3: [check] …" to "f.go:12 check".
var shortFinding = regexp.MustCompile(`^\S*?([^/\s]+\.go):(\d+):\d+: \[(\w+)\]`)

// TestRealWorld runs ffivet on public cgo modules from the module proxy
// and on the standard library's cgo packages: standalone and as go vet's
// tool, without a crash, with exactly the triaged findings, and with
// go-sqlite3's 9.5 MB amalgamation translated once; go-sqlite3 also
// with -cgo=types, which must declare its C names from the bridge and
// find the same. It downloads and
// compiles them (the Debian -dev packages that .ci/run installs must be
// there), so it runs only with FFIVET_REALWORLD=1 (make realworld).
func TestRealWorld(t *testing.T) {
	if os.Getenv("FFIVET_REALWORLD") == "" {
		t.Skip("set FFIVET_REALWORLD=1 to run on public modules")
	}
	bin := buildFFIVET(t)
	for _, g := range realWorldGroups {
		t.Run(g.name, func(t *testing.T) { checkRealWorldGroup(t, bin, g) })
	}
}

func checkRealWorldGroup(t *testing.T, bin string, g realWorldGroup) {
	start := time.Now()
	t.Chdir(t.TempDir())
	var modules []string
	for _, p := range g.packages {
		if strings.Contains(strings.Split(p, "/")[0], ".") {
			modules = append(modules, p)
		}
	}
	var mod, main strings.Builder
	mod.WriteString("module example.com/realworld\n\ngo 1.26\n\nrequire (\n")
	for _, m := range g.modules {
		mod.WriteString("\t" + m + "\n")
	}
	mod.WriteString(")\n")
	main.WriteString("package main\n\nimport (\n")
	for _, p := range modules {
		main.WriteString("\t_ \"" + p + "\"\n")
	}
	main.WriteString(")\n\nfunc main() {}\n")
	if err := os.WriteFile("go.mod", []byte(mod.String()), 0o666); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("main.go", []byte(main.String()), 0o666); err != nil {
		t.Fatal(err)
	}
	if out, err := goCmd(t, "mod", "tidy"); err != nil {
		t.Fatalf("go mod tidy: %v\n%s", err, out)
	}
	for _, m := range g.modules {
		path, version, _ := strings.Cut(m, " ")
		if got, err := goCmd(t, "list", "-m", "-f", "{{.Version}}", path); err != nil || strings.TrimSpace(got) != version {
			t.Fatalf("%s: resolved to %q (%v), want %s pinned", path, strings.TrimSpace(got), err, version)
		}
	}

	var out, errs bytes.Buffer
	code := run(append([]string{"-test=false", "-cgo=run"}, g.packages...), passes.All(), &out, &errs)
	t.Logf("ffivet: exit %d in %v\n%s%s", code, time.Since(start).Round(time.Second), out.String(), errs.String())
	if code != exitClean && code != exitFindings {
		t.Fatalf("ffivet: exit %d", code)
	}
	var got []string
	for line := range strings.SplitSeq(out.String(), "\n") {
		if m := shortFinding.FindStringSubmatch(line); m != nil {
			got = append(got, m[1]+":"+m[2]+" "+m[3])
		}
	}
	slices.Sort(got)
	want := slices.Sorted(slices.Values(g.findings))
	if !slices.Equal(got, want) {
		t.Errorf("findings changed: triage them in docs/findings.md, then paste this as the group's findings:\n%s\ngone:\n%s\nnew:\n%s",
			goStringList(got), strings.Join(difference(want, got), "\n"), strings.Join(difference(got, want), "\n"))
	}

	// Without building: the C declarations written by the bridge, or
	// cgo's where the bridge says it cannot write them, must give the
	// same findings. They must serve go-sqlite3 whole.
	var tout, terrs bytes.Buffer
	tcode := run(append([]string{"-test=false", "-cgo=types"}, g.packages...), passes.All(), &tout, &terrs)
	t.Logf("ffivet -cgo=types: exit %d\n%s", tcode, terrs.String())
	if tcode != code {
		t.Errorf("-cgo=types: exit %d, -cgo=run %d\n%s", tcode, code, terrs.String())
	}
	var tgot []string
	for line := range strings.SplitSeq(tout.String(), "\n") {
		if m := shortFinding.FindStringSubmatch(line); m != nil {
			tgot = append(tgot, m[1]+":"+m[2]+" "+m[3])
		}
	}
	if slices.Sort(tgot); !slices.Equal(tgot, got) {
		t.Errorf("-cgo=types found:\n%s\n-cgo=run found:\n%s", strings.Join(tgot, "\n"), strings.Join(got, "\n"))
	}
	if slices.Contains(g.packages, "github.com/mattn/go-sqlite3") {
		if strings.Contains(terrs.String(), "ran cgo's type pass") {
			t.Errorf("-cgo=types: the bridge's declarations were not used:\n%s", terrs.String())
		}
		dir, err := goCmd(t, "list", "-m", "-f", "{{.Dir}}", "github.com/mattn/go-sqlite3")
		if err != nil {
			t.Fatal(err)
		}
		amalgamation := filepath.Join(strings.TrimSpace(dir), "sqlite3-binding.c")
		if n := bridge.Default.TranslationsOf(amalgamation); n != 1 {
			t.Errorf("%s translated %d times in one process, want 1", amalgamation, n)
		}
	}

	if len(modules) == 0 {
		return
	}
	vet := exec.Command("go", append([]string{"vet", "-vettool=" + bin}, modules...)...)
	vout, _ := vet.CombinedOutput()
	if strings.Contains(string(vout), "panic:") || strings.Contains(string(vout), "internal error") {
		t.Fatalf("go vet -vettool=ffivet: %s", vout)
	}
	t.Logf("go vet -vettool=ffivet:\n%s", vout)
	t.Logf("group %s: %v", g.name, time.Since(start).Round(time.Second))
}

// goStringList prints list as a Go []string literal's elements.
func goStringList(list []string) string {
	var b strings.Builder
	b.WriteString("findings: []string{\n")
	for _, s := range list {
		fmt.Fprintf(&b, "\t%q,\n", s)
	}
	b.WriteString("},")
	return b.String()
}

// difference returns the elements of a missing from b, counting
// repeats.
func difference(a, b []string) []string {
	left := map[string]int{}
	for _, s := range b {
		left[s]++
	}
	var d []string
	for _, s := range a {
		if left[s] > 0 {
			left[s]--
			continue
		}
		d = append(d, s)
	}
	return d
}
