package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// useResultCache turns the result cache on in a new directory and
// returns the directory.
func useResultCache(t *testing.T) string {
	t.Helper()
	t.Setenv(CacheEnv, "")
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	dir := resultCacheDir()
	if dir == "" {
		t.Fatal("no cache directory")
	}
	return dir
}

func cacheEntries(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestResultCache(t *testing.T) {
	cache := useResultCache(t)
	dir := newModule(t)
	code, out, _ := ffivet(t, "./cgopkg")
	if code != exitFindings || out == "" {
		t.Fatalf("exit %d, output %q: want findings", code, out)
	}
	entries := cacheEntries(t, cache)
	if len(entries) != 1 {
		t.Fatalf("cache holds %v, want one entry", entries)
	}

	// An unchanged package is not checked again: what the cache holds
	// is printed.
	entry := filepath.Join(cache, entries[0])
	b, err := os.ReadFile(entry)
	if err != nil {
		t.Fatal(err)
	}
	marked := strings.Replace(string(b), `"Code":3`, `"Code":0`, 1)
	if err := os.WriteFile(entry, []byte(marked), 0o666); err != nil {
		t.Fatal(err)
	}
	if code, again, _ := ffivet(t, "./cgopkg"); code != exitClean || again != out {
		t.Errorf("second run: exit %d (want the cached 0), output:\n%s\nwant:\n%s", code, again, out)
	}

	// Other flags, or an edited file, are another key.
	if code, _, _ := ffivet(t, "-json", "./cgopkg"); code != exitClean {
		t.Errorf("-json: exit %d", code)
	}
	src := filepath.Join(dir, "cgopkg", "cgopkg.go")
	f, err := os.OpenFile(src, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintln(f, "\n// An edit.")
	f.Close()
	later := time.Now().Add(time.Second)
	os.Chtimes(src, later, later)
	if code, edited, _ := ffivet(t, "./cgopkg"); code != exitFindings || edited != out {
		t.Errorf("after an edit: exit %d, output:\n%s\nwant:\n%s", code, edited, out)
	}
	if n := len(cacheEntries(t, cache)); n != 3 {
		t.Errorf("cache holds %d entries, want 3", n)
	}

	// The same findings with the cache off.
	t.Setenv(CacheEnv, "off")
	if code, uncached, _ := ffivet(t, "./cgopkg"); code != exitFindings || uncached != out {
		t.Errorf("without the cache: exit %d, output:\n%s\nwant:\n%s", code, uncached, out)
	}
}

// TestResultCacheConcurrentWriters writes the same entries from many
// goroutines, as concurrent runs of ffivet would: every read sees a
// whole entry, and no temporary file is left behind.
func TestResultCacheConcurrentWriters(t *testing.T) {
	dir := t.TempDir()
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			key := fmt.Sprintf("key%d", i%4)
			writeResult(dir, key, &cachedResult{Stdout: []byte(strings.Repeat(key, 1000)), Code: i % 4})
			if r, ok := readResult(dir, key); ok && (r.Code != i%4 || string(r.Stdout) != strings.Repeat(key, 1000)) {
				t.Errorf("%s: read a different entry: code %d", key, r.Code)
			}
		})
	}
	wg.Wait()
	names := cacheEntries(t, dir)
	if strings.Join(names, " ") != "key0 key1 key2 key3" {
		t.Errorf("cache holds %v, want key0..key3", names)
	}
}
