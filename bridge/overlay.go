package bridge

import (
	"io/fs"
	"path"
	"strings"
	"sync"
	"testing/fstest"
)

// stubDir is a directory that exists only in the overlay file system: it
// holds the bridge's _cgo_export.h and empty stand-ins for headers that
// could not be found. It is searched last for both kinds of #include.
const stubDir = "/ffivet-virtual"

// overlayFS serves the virtual files under stubDir; every other name is
// reported as not existing, so cc/v4 falls back to the host file system.
type overlayFS struct {
	mu    sync.Mutex
	files fstest.MapFS
}

func newOverlayFS(extra map[string]string) *overlayFS {
	o := &overlayFS{files: fstest.MapFS{}}
	for name, text := range extra {
		o.files[name] = &fstest.MapFile{Data: []byte(text)}
	}
	return o
}

// stub adds an empty header; it reports false if one was already there.
func (o *overlayFS) stub(name string) bool {
	name = path.Clean(strings.TrimPrefix(name, "/"))
	o.mu.Lock()
	defer o.mu.Unlock()
	if _, ok := o.files[name]; ok {
		return false
	}
	o.files[name] = &fstest.MapFile{Data: []byte("/* ffivet: header not found; left empty */\n")}
	return true
}

func (o *overlayFS) Open(name string) (fs.File, error) {
	name = "/" + strings.TrimPrefix(name, "/")
	rest, ok := strings.CutPrefix(name, stubDir+"/")
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.files.Open(path.Clean(rest))
}
