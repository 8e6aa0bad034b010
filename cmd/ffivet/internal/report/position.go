package report

import (
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// Position returns the position of pos in the user's source: for a token
// of a cgo-generated file, the place in the original .go file named by
// the //line directives in effect. Its Offset is an offset into the file
// that was parsed, not into Filename; use [Sources.Locate] for an offset
// into Filename.
func Position(fset *token.FileSet, pos token.Pos) token.Position {
	return fset.PositionFor(pos, true)
}

// Relative returns filename relative to dir when it lies below dir, and
// filename unchanged otherwise, so that messages about the user's own
// files stay short and messages about other files stay unambiguous.
func Relative(filename, dir string) string {
	if dir == "" || !filepath.IsAbs(filename) {
		return filename
	}
	rel, err := filepath.Rel(dir, filename)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return filename
	}
	return rel
}

// Sources reads source files from disk on first use and keeps them, so
// that positions can be resolved to byte offsets in the text the user
// sees. It is safe for concurrent use.
type Sources struct {
	readFile func(string) ([]byte, error)

	mu    sync.Mutex
	files map[string]*source
}

type source struct {
	once      sync.Once
	content   []byte
	lines     []int // byte offset at which each line starts
	generated bool  // the file says it is generated and not to be edited
	err       error
}

// NewSources returns an empty Sources that reads files with readFile, or
// with os.ReadFile if readFile is nil.
func NewSources(readFile func(filename string) ([]byte, error)) *Sources {
	if readFile == nil {
		readFile = os.ReadFile
	}
	return &Sources{readFile: readFile, files: make(map[string]*source)}
}

func (s *Sources) load(filename string) *source {
	s.mu.Lock()
	src, ok := s.files[filename]
	if !ok {
		src = new(source)
		s.files[filename] = src
	}
	s.mu.Unlock()

	src.once.Do(func() {
		src.content, src.err = s.readFile(filename)
		if src.err != nil {
			return
		}
		src.lines = append(src.lines, 0)
		for i, b := range src.content {
			if b == '\n' {
				src.lines = append(src.lines, i+1)
			}
		}
		// Not only .go files: cgo's output in the build cache
		// has names like 0a1b…-d.
		f, err := parser.ParseFile(token.NewFileSet(), filename, src.content, parser.PackageClauseOnly|parser.ParseComments)
		src.generated = err == nil && ast.IsGenerated(f)
	})
	return src
}

// Content returns the contents of filename as first read.
func (s *Sources) Content(filename string) ([]byte, error) {
	src := s.load(filename)
	return src.content, src.err
}

// Line returns the text of the given 1-based line of filename, without
// its line ending, and false if the file cannot be read or is shorter.
func (s *Sources) Line(filename string, line int) (string, bool) {
	src := s.load(filename)
	if src.err != nil || line < 1 || line > len(src.lines) {
		return "", false
	}
	text := src.content[src.lines[line-1]:src.lineEnd(line)]
	return string(bytes.TrimSuffix(text, []byte("\r"))), true
}

// Generated reports whether filename holds Go source marked as generated
// ("// Code generated ... DO NOT EDIT."). Edits to such a file would be
// lost the next time it is generated.
func (s *Sources) Generated(filename string) bool {
	src := s.load(filename)
	return src.err == nil && src.generated
}

// lineEnd returns the offset of the newline ending the given line, or the
// length of the file for its last line.
func (src *source) lineEnd(line int) int {
	if line < len(src.lines) {
		return src.lines[line] - 1
	}
	return len(src.content)
}

// offset converts a 1-based line and byte column to a byte offset,
// rejecting places beyond the end of the line: they mean the file on
// disk is not the one the position was computed for.
func (src *source) offset(line, column int) (int, bool) {
	if line < 1 || line > len(src.lines) || column < 1 {
		return 0, false
	}
	off := src.lines[line-1] + column - 1
	if off > src.lineEnd(line) {
		return 0, false
	}
	return off, true
}

// Locate returns the position of pos in the user's source, like
// [Position], but with Offset a byte offset into Filename as it is on
// disk. It fails when the file cannot be read, when the line directive in
// effect gives no column and the generated line does not match the
// original, or when the line and column do not exist in the file.
func (s *Sources) Locate(fset *token.FileSet, pos token.Pos) (token.Position, error) {
	tf := fset.File(pos)
	if tf == nil {
		return token.Position{}, errors.New("position not in any file")
	}
	adjusted := fset.PositionFor(pos, true)
	raw := fset.PositionFor(pos, false)

	src := s.load(adjusted.Filename)
	if src.err != nil {
		return adjusted, src.err
	}

	if adjusted.Filename == raw.Filename && adjusted.Line == raw.Line && adjusted.Column == raw.Column && tf.Size() == len(src.content) {
		// No line directive is in effect and the file on disk is
		// the one that was parsed.
		return adjusted, nil
	}

	column := adjusted.Column
	if column == 0 {
		// A directive of the form //line file:line gives no
		// column. The generated line may still be a verbatim copy
		// of the original up to pos, as it is for the start of a
		// statement that cgo did not rewrite.
		column = s.copiedColumn(raw, src, adjusted.Line)
		if column == 0 {
			return adjusted, fmt.Errorf("%s:%d: the //line directive gives no column", adjusted.Filename, adjusted.Line)
		}
	}
	off, ok := src.offset(adjusted.Line, column)
	if !ok {
		return adjusted, fmt.Errorf("%s:%d:%d: no such line and column in the file on disk", adjusted.Filename, adjusted.Line, column)
	}
	adjusted.Column = column
	adjusted.Offset = off
	return adjusted, nil
}

// copiedColumn returns raw's column if the text before it on its line of
// the generated file is the same as the text before that column on the
// given line of the original, and 0 otherwise.
func (s *Sources) copiedColumn(raw token.Position, orig *source, line int) int {
	gen := s.load(raw.Filename)
	if gen.err != nil || raw.Line < 1 || raw.Line > len(gen.lines) || line < 1 || line > len(orig.lines) {
		return 0
	}
	start := gen.lines[raw.Line-1]
	if raw.Offset < start || raw.Offset > gen.lineEnd(raw.Line) {
		return 0
	}
	genPrefix := gen.content[start:raw.Offset]
	origLine := orig.content[orig.lines[line-1]:orig.lineEnd(line)]
	if !bytes.HasPrefix(origLine, genPrefix) {
		return 0
	}
	return raw.Column
}
