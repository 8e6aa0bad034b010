package bridge

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"testing/fstest"
)

// stubDir is a directory that exists only in the overlay file system: it
// holds the bridge's _cgo_export.h and empty stand-ins for headers that
// could not be found. It is searched last for both kinds of #include.
const stubDir = "/ffivet-virtual"

// overlayFS is the only file system cc/v4 sees (the translator sets
// FSOnly). It serves the virtual files, by absolute path, and otherwise
// the host's regular files. Anything else, such as /dev/zero or a FIFO
// named by a hostile #include, is reported as missing: reading it would
// never end.
type overlayFS struct {
	mu    sync.Mutex
	files fstest.MapFS // keys are absolute paths without the leading slash
	// reads records the host files opened, by path, with a hash of their
	// content, and "" for the paths looked at that were not there.
	reads map[string]string
}

func newOverlayFS(extra map[string]string) *overlayFS {
	o := &overlayFS{files: fstest.MapFS{}, reads: map[string]string{}}
	for name, text := range extra {
		o.files[virtualKey(name)] = &fstest.MapFile{Data: []byte(text)}
	}
	return o
}

// virtualKey is the map key of a header name placed in stubDir. It is
// where cc/v4 looks when it reaches stubDir in its search, which for a
// name such as "../x.h" is outside stubDir itself.
func virtualKey(name string) string {
	return strings.TrimPrefix(path.Join(stubDir, name), "/")
}

// stub adds an empty header for an #include name; it reports false if
// one was already there.
func (o *overlayFS) stub(name string) bool {
	key := virtualKey(name)
	o.mu.Lock()
	defer o.mu.Unlock()
	if _, ok := o.files[key]; ok {
		return false
	}
	o.files[key] = &fstest.MapFile{Data: []byte("/* ffivet: header not found; left empty */\n")}
	return true
}

// empty replaces the file at an absolute path by an empty one; it
// reports false if that file was already replaced.
func (o *overlayFS) empty(abs string) bool {
	key := strings.TrimPrefix(path.Clean(filepath.ToSlash(abs)), "/")
	o.mu.Lock()
	defer o.mu.Unlock()
	if _, ok := o.files[key]; ok {
		return false
	}
	o.files[key] = &fstest.MapFile{Data: []byte("/* ffivet: not understood by the C front end; left empty */\n")}
	return true
}

func (o *overlayFS) Open(name string) (fs.File, error) {
	if path.IsAbs(name) {
		if f, err := o.openVirtual(strings.TrimPrefix(path.Clean(name), "/")); err == nil {
			return f, nil
		}
	}
	fi, err := os.Stat(name)
	if err != nil {
		o.record(name, "")
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		o.record(name, "")
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	data, err := os.ReadFile(name)
	if err != nil {
		o.record(name, "")
		return nil, err
	}
	o.record(name, contentHash(data))
	one := fstest.MapFS{"f": &fstest.MapFile{Data: []byte(endSafely(string(data))), Mode: fi.Mode(), ModTime: fi.ModTime()}}
	return one.Open("f")
}

// endSafely returns C text with an empty line added if it ends in a
// backslash: cc/v4's scanner joins the backslash-newline with the end of
// input and then never advances, so a header or a .c file whose last line
// is continued would hang the translation.
func endSafely(text string) string {
	if strings.HasSuffix(strings.TrimSuffix(strings.TrimSuffix(text, "\n"), "\r"), "\\") {
		return text + "\n\n"
	}
	return text
}

func (o *overlayFS) record(name, hash string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.reads[name] = hash
}

func (o *overlayFS) openVirtual(key string) (fs.File, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if _, ok := o.files[key]; !ok {
		return nil, fs.ErrNotExist
	}
	return o.files.Open(key)
}
