package bridge

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestZZSqlite(t *testing.T) {
	dir := t.TempDir()
	src, _ := os.ReadFile("/root/go/pkg/mod/modernc.org/ccorpus2@v1.6.0/assets/sqlite-amalgamation/sqlite3.c")
	os.WriteFile(filepath.Join(dir, "sqlite3.c"), src, 0o644)
	os.WriteFile(filepath.Join(dir, "a.go"), []byte("package p\n\n// #cgo CFLAGS: -DSQLITE_THREADSAFE=1\nimport \"C\"\n"), 0o644)
	t0 := time.Now()
	p := Load(&Request{GoFiles: []string{filepath.Join(dir, "a.go")}})
	t.Logf("load %v", time.Since(t0))
	for _, w := range p.Warnings {
		t.Log(w)
	}
	t0 = time.Now()
	s := summarize(p)
	t.Logf("summarize %v, %d summaries", time.Since(t0), len(s))
	stats := map[string]int{}
	for _, sum := range s {
		if sum.ReturnsOwned != nil {
			stats["owned:"+sum.ReturnsOwned.Family]++
		}
		if sum.ReturnsParam >= 0 {
			stats["retparam"]++
		}
		if sum.ReturnsBorrowed {
			stats["borrowed"]++
		}
		for _, e := range sum.Params {
			stats["eff:"+e.String()]++
		}
		stats["errno:"+sum.SetsErrno.String()]++
		if sum.ReadsErrno {
			stats["reads"]++
		}
		if len(sum.ErrnoClobbers) > 0 {
			stats["clob"]++
		}
	}
	t.Log(stats)
	for _, n := range []string{"sqlite3_free", "sqlite3_malloc", "sqlite3_mprintf", "sqlite3_mutex_free", "sqlite3DbFree", "sqlite3DbStrDup", "sqlite3_strdup", "sqlite3Malloc", "sqlite3_close", "sqlite3_errmsg", "sqlite3_column_text", "unixLogErrorAtLine", "robust_open", "sqlite3_bind_text", "sqlite3_result_text", "sqlite3_vfs_find", "sqlite3_vmprintf", "sqlite3_value_text"} {
		if x, ok := s[n]; ok {
			t.Logf("%v clob=%v", x, strings.Join(x.ErrnoClobbers, ","))
		}
	}
}

func TestZZSqliteClob(t *testing.T) {
	dir := t.TempDir()
	src, _ := os.ReadFile("/root/go/pkg/mod/modernc.org/ccorpus2@v1.6.0/assets/sqlite-amalgamation/sqlite3.c")
	os.WriteFile(filepath.Join(dir, "sqlite3.c"), src, 0o644)
	os.WriteFile(filepath.Join(dir, "a.go"), []byte("package p\n\n// #cgo CFLAGS: -DSQLITE_THREADSAFE=1\nimport \"C\"\n"), 0o644)
	p := Load(&Request{GoFiles: []string{filepath.Join(dir, "a.go")}})
	for n, sum := range p.summaries {
		if len(sum.ErrnoClobbers) > 0 {
			t.Logf("%s %v clob=%v", n, sum, sum.ErrnoClobbers)
		}
		if sum.ReturnsOwned != nil || sum.ReturnsBorrowed {
			t.Logf("RET %v", sum)
		}
	}
}
