// Package diskcache keeps ffivet's caches on disk, in the user cache
// directory: one file per key in a directory, written to a temporary
// file and renamed so that concurrent processes never read a partial
// entry, and trimmed to a size bound, least recently used first.
// FFIVET_CACHE=off turns every cache off.
package diskcache

import (
	"crypto/sha256"
	"fmt"
	"hash"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"
)

// Env is the environment variable that turns the caches off.
const Env = "FFIVET_CACHE"

// Root returns the directory that holds ffivet's caches, or "" when
// caching is off or the user has no cache directory.
func Root() string {
	if os.Getenv(Env) == "off" {
		return ""
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "ffivet")
}

// A Dir is one cache: entries by key in Path, at most Limit bytes in
// all.
type Dir struct {
	Path  string
	Limit int64
}

// Get returns the entry stored under key, if there is one, and marks it
// recently used.
func (d Dir) Get(key string) ([]byte, bool) {
	name := filepath.Join(d.Path, key)
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, false
	}
	now := time.Now()
	os.Chtimes(name, now, now) // recently used: trimmed last
	return b, true
}

// Put stores b under key and trims the cache. Failing to store only
// costs a later run its time, so errors are ignored.
func (d Dir) Put(key string, b []byte) {
	if err := os.MkdirAll(d.Path, 0o777); err != nil {
		return
	}
	tmp, err := os.CreateTemp(d.Path, "tmp-*")
	if err != nil {
		return
	}
	_, werr := tmp.Write(b)
	cerr := tmp.Close()
	if werr != nil || cerr != nil || os.Rename(tmp.Name(), filepath.Join(d.Path, key)) != nil {
		os.Remove(tmp.Name())
		return
	}
	d.trim()
}

// trim removes the least recently used entries until the rest take at
// most d.Limit bytes. Temporary files of other processes are left alone
// unless they are old enough to be abandoned.
func (d Dir) trim() {
	entries, err := os.ReadDir(d.Path)
	if err != nil {
		return
	}
	type entry struct {
		name string
		size int64
		used time.Time
	}
	var all []entry
	var total int64
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || !info.Mode().IsRegular() {
			continue
		}
		if strings.HasPrefix(e.Name(), "tmp-") {
			if time.Since(info.ModTime()) > time.Hour {
				os.Remove(filepath.Join(d.Path, e.Name()))
			}
			continue
		}
		all = append(all, entry{e.Name(), info.Size(), info.ModTime()})
		total += info.Size()
	}
	slices.SortFunc(all, func(a, b entry) int { return a.used.Compare(b.used) })
	for _, e := range all {
		if total <= d.Limit {
			break
		}
		if os.Remove(filepath.Join(d.Path, e.name)) == nil {
			total -= e.size
		}
	}
}

// HashFile writes a file's name, size and modification time to h.
func HashFile(h hash.Hash, name string) bool {
	fi, err := os.Stat(name)
	if err != nil {
		return false
	}
	fmt.Fprintf(h, "file %s %d %d\n", name, fi.Size(), fi.ModTime().UnixNano())
	return true
}

// Executable identifies the running program: its build information and
// its file, so that a rebuilt ffivet never reads what another build
// wrote. It is "" when the executable cannot be found.
var Executable = sync.OnceValue(func() string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	h := sha256.New()
	if info, ok := debug.ReadBuildInfo(); ok {
		fmt.Fprintf(h, "build %s\n", info.String())
	}
	if !HashFile(h, exe) {
		return ""
	}
	return fmt.Sprintf("%x", h.Sum(nil))
})
