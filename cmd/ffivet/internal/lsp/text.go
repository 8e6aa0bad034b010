package lsp

import (
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// A text is the content of a file with its line starts, for converting
// between byte offsets, Go's line and byte-column positions, and the
// protocol's positions, whose columns count UTF-16 code units unless the
// client accepts UTF-8.
type text struct {
	content []byte
	lines   []int // byte offset at which each line starts
}

func newText(content []byte) *text {
	t := &text{content: content, lines: []int{0}}
	for i, b := range content {
		if b == '\n' {
			t.lines = append(t.lines, i+1)
		}
	}
	return t
}

// line returns the bytes of the zero-based line n without its newline.
func (t *text) line(n int) []byte {
	if n < 0 || n >= len(t.lines) {
		return nil
	}
	end := len(t.content)
	if n+1 < len(t.lines) {
		end = t.lines[n+1] - 1
	}
	return t.content[t.lines[n]:end]
}

// fromGo converts a 1-based line and byte column, as in token.Position,
// to a protocol position. A column of 0, which a //line directive
// without a column yields, means the start of the line; a column beyond
// the end of the line is clamped to it.
func (t *text) fromGo(line, column int, encoding string) position {
	if line < 1 {
		return position{}
	}
	l := t.line(line - 1)
	col := min(max(column-1, 0), len(l))
	return position{Line: uint32(line - 1), Character: uint32(units(l[:col], encoding))}
}

// fromOffset converts a byte offset to a protocol position.
func (t *text) fromOffset(offset int, encoding string) position {
	offset = min(max(offset, 0), len(t.content))
	line, found := slices.BinarySearch(t.lines, offset)
	if !found {
		line--
	}
	return position{Line: uint32(line), Character: uint32(units(t.content[t.lines[line]:offset], encoding))}
}

// units counts the code units of b in encoding.
func units(b []byte, encoding string) int {
	if encoding == encodingUTF8 {
		return len(b)
	}
	n := 0
	for len(b) > 0 {
		// An invalid byte decodes as U+FFFD, one unit, as it
		// does in editors.
		r, size := utf8.DecodeRune(b)
		b = b[size:]
		n += utf16.RuneLen(r)
	}
	return n
}

// wordEnd returns the position after the Go identifier or qualified
// name (such as C.CString) starting at p, or p if none starts there. An
// analyzer often reports only where a finding starts; a range over the
// name lets editors underline it and offer its fixes anywhere on it.
func (t *text) wordEnd(p position, encoding string) position {
	l := t.line(int(p.Line))
	// Find the byte column of p.
	col, n := 0, 0
	for col < len(l) && n < int(p.Character) {
		_, size := utf8.DecodeRune(l[col:])
		n += units(l[col:col+size], encoding)
		col += size
	}
	end := col
	for end < len(l) {
		r, size := utf8.DecodeRune(l[end:])
		if !(r == '_' || r == '.' && end > col || isLetterOrDigit(r)) {
			break
		}
		end += size
	}
	for end > col && l[end-1] == '.' {
		end--
	}
	if end == col {
		return p
	}
	return position{Line: p.Line, Character: p.Character + uint32(units(l[col:end], encoding))}
}

func isLetterOrDigit(r rune) bool {
	return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r >= utf8.RuneSelf && r != utf8.RuneError
}

// filename returns the file a file: URI names.
func filename(uri string) (string, error) {
	u, err := url.Parse(uri)
	if err != nil {
		return "", err
	}
	if u.Scheme != "file" {
		return "", fmt.Errorf("%s: not a file: URI", uri)
	}
	path := u.Path
	if path == "" {
		return "", errors.New("file: URI without a path")
	}
	// file:///C:/dir names C:/dir.
	if runtime.GOOS == "windows" && len(path) >= 3 && path[0] == '/' && path[2] == ':' {
		path = path[1:]
	}
	return filepath.Clean(filepath.FromSlash(path)), nil
}

// fileURI returns the file: URI of an absolute file name.
func fileURI(name string) string {
	path := filepath.ToSlash(name)
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	return (&url.URL{Scheme: "file", Path: path}).String()
}
