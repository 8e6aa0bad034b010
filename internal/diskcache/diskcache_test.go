package diskcache

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func entries(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	slices.Sort(names)
	return names
}

func TestTrim(t *testing.T) {
	dir := t.TempDir()
	start := time.Now().Add(-time.Hour)
	for i := range 5 {
		name := filepath.Join(dir, fmt.Sprintf("e%d", i))
		if err := os.WriteFile(name, make([]byte, 100), 0o666); err != nil {
			t.Fatal(err)
		}
		used := start.Add(time.Duration(i) * time.Minute)
		os.Chtimes(name, used, used)
	}
	Dir{Path: dir, Limit: 250}.trim()
	if got := strings.Join(entries(t, dir), " "); got != "e3 e4" {
		t.Errorf("after trimming: %s, want the two most recently used, e3 e4", got)
	}
}

func TestGetMarksUsed(t *testing.T) {
	d := Dir{Path: t.TempDir(), Limit: 250}
	for i, key := range []string{"a", "b"} {
		d.Put(key, make([]byte, 100))
		past := time.Now().Add(time.Duration(i-2) * time.Hour)
		os.Chtimes(filepath.Join(d.Path, key), past, past)
	}
	if _, ok := d.Get("a"); !ok {
		t.Fatal("Get: entry not found")
	}
	d.Put("c", make([]byte, 100))
	// a was written first but read last, so b is the one to go.
	if got := strings.Join(entries(t, d.Path), " "); got != "a c" {
		t.Errorf("after Put: %s, want a c", got)
	}
}

func TestConcurrentPut(t *testing.T) {
	d := Dir{Path: t.TempDir(), Limit: 1 << 20}
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Go(func() {
			key := fmt.Sprintf("key%d", i%4)
			want := bytes.Repeat([]byte(key), 1000)
			d.Put(key, want)
			if got, ok := d.Get(key); ok && !bytes.Equal(got, want) {
				t.Errorf("%s: read %d bytes of another entry", key, len(got))
			}
		})
	}
	wg.Wait()
	if got := strings.Join(entries(t, d.Path), " "); got != "key0 key1 key2 key3" {
		t.Errorf("cache holds %s, want key0..key3", got)
	}
}

func TestRootOff(t *testing.T) {
	t.Setenv(Env, "off")
	if r := Root(); r != "" {
		t.Errorf("Root with %s=off: %q, want none", Env, r)
	}
}
