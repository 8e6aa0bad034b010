package report

import (
	"bytes"
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// An Edit replaces the bytes [Start, End) of the file Filename, as it is
// on disk, with New.
type Edit struct {
	Filename   string
	Start, End int
	New        string
}

// A Fix is a suggested fix resolved to edits of the user's files. It is
// applied whole or not at all.
type Fix struct {
	Message string
	Edits   []Edit
}

// ResolveFix maps the edits of fix, whose positions belong to the files
// the analysis saw (for cgo, files generated in the build cache), to byte
// offsets in the user's files. The new text is kept verbatim: analyzers
// write it in the user's source form, as in
// "defer C.free(unsafe.Pointer(cs))", not in cgo's rewritten form.
//
// It fails if an edit cannot be placed exactly, if its two ends land in
// different files, or if it would change a generated file: an edit to a
// file that has no //line mapping back to the user's source would be lost
// on the next build.
func (s *Sources) ResolveFix(fset *token.FileSet, fix analysis.SuggestedFix) (Fix, error) {
	resolved := Fix{Message: fix.Message}
	for _, te := range fix.TextEdits {
		end := te.End
		if !end.IsValid() {
			end = te.Pos
		}
		start, err := s.Locate(fset, te.Pos)
		if err != nil {
			return Fix{}, err
		}
		stop, err := s.Locate(fset, end)
		if err != nil {
			return Fix{}, err
		}
		switch {
		case start.Filename != stop.Filename:
			return Fix{}, fmt.Errorf("%s: edit ends in another file, %s", start, stop)
		case stop.Offset < start.Offset:
			return Fix{}, fmt.Errorf("%s: edit ends before it starts, at %s", start, stop)
		case s.Generated(start.Filename):
			return Fix{}, fmt.Errorf("%s: edit to a generated file", start)
		}
		resolved.Edits = append(resolved.Edits, Edit{
			Filename: start.Filename,
			Start:    start.Offset,
			End:      stop.Offset,
			New:      string(te.NewText),
		})
	}
	return resolved, nil
}

// A FileChange is the content of one file before and after fixes.
type FileChange struct {
	Filename string
	Old, New []byte
	Fixes    []Fix // the fixes that edit this file, in the order given to Apply
}

// Write replaces the file's content with New, keeping its permissions. It
// refuses if the file no longer holds Old, so that a file edited since
// the analysis is not overwritten with stale offsets.
func (c FileChange) Write() error {
	info, err := os.Stat(c.Filename)
	if err != nil {
		return err
	}
	current, err := os.ReadFile(c.Filename)
	if err != nil {
		return err
	}
	if !bytes.Equal(current, c.Old) {
		return fmt.Errorf("%s changed on disk since it was analyzed; not writing it", c.Filename)
	}
	return os.WriteFile(c.Filename, c.New, info.Mode().Perm())
}

// A FixError says why fixes were not applied.
type FixError struct {
	Posn  token.Position // where in the user's file; only Filename is set for errors about a whole file
	Fixes []Fix          // the fixes not applied
	Err   error
}

func (e *FixError) Error() string {
	return e.Posn.String() + ": " + e.Reason()
}

// Reason is the error's message without its position, for callers that
// print the position their own way.
func (e *FixError) Reason() string {
	var msgs []string
	for _, f := range e.Fixes {
		msgs = append(msgs, strconv.Quote(f.Message))
	}
	noun := "fix"
	if len(msgs) > 1 {
		noun = "fixes"
	}
	return fmt.Sprintf("%s %s not applied: %v", noun, strings.Join(msgs, ", "), e.Err)
}

func (e *FixError) Unwrap() error { return e.Err }

// Apply computes the content of each file after the fixes, in the order
// given: a fix is applied only if none of its edits overlaps an edit of a
// fix already accepted, so earlier fixes win. An edit identical to one
// already accepted counts once, which makes a fix reported twice for the
// same file (as for a package and its test variant) harmless. Two
// insertions at the same offset conflict, since their order would be
// arbitrary.
//
// A Go file that would no longer parse after its fixes is left out of the
// result and all its fixes are reported; a fix that also edits other
// files is still applied to them. Apply writes nothing: see
// [FileChange.Write].
//
// Changes are returned sorted by file name; errors describe the fixes not
// applied, each a *FixError.
func (s *Sources) Apply(fixes []Fix) ([]FileChange, []error) {
	type kept struct {
		edit  Edit
		owner int // index into fixes
	}
	type file struct {
		kept  []kept
		fixes []int
	}
	files := make(map[string]*file)
	var errs []error

	for i, fix := range fixes {
		var fresh []Edit
		var conflict error
		var where Edit
	edits:
		for _, e := range fix.Edits {
			if e.Start == e.End && e.New == "" {
				continue
			}
			if f := files[e.Filename]; f != nil {
				for _, k := range f.kept {
					if k.edit == e {
						continue edits
					}
					if overlap(k.edit, e) {
						conflict = fmt.Errorf("it overlaps the fix %q", fixes[k.owner].Message)
						where = e
						break edits
					}
				}
			}
			for _, k := range fresh {
				if k == e {
					continue edits
				}
				if overlap(k, e) {
					conflict = errors.New("its own edits overlap")
					where = e
					break edits
				}
			}
			fresh = append(fresh, e)
		}
		if conflict != nil {
			errs = append(errs, &FixError{Posn: s.position(where.Filename, where.Start), Fixes: []Fix{fix}, Err: conflict})
			continue
		}
		for _, e := range fresh {
			f := files[e.Filename]
			if f == nil {
				f = new(file)
				files[e.Filename] = f
			}
			f.kept = append(f.kept, kept{e, i})
			if len(f.fixes) == 0 || f.fixes[len(f.fixes)-1] != i {
				f.fixes = append(f.fixes, i)
			}
		}
	}

	var changes []FileChange
	for _, name := range slices.Sorted(maps.Keys(files)) {
		f := files[name]
		var applied []Fix
		for _, i := range f.fixes {
			applied = append(applied, fixes[i])
		}
		old, err := s.Content(name)
		if err != nil {
			errs = append(errs, &FixError{Posn: token.Position{Filename: name}, Fixes: applied, Err: err})
			continue
		}
		edits := make([]Edit, len(f.kept))
		for i, k := range f.kept {
			edits[i] = k.edit
		}
		updated, err := splice(old, edits)
		if err == nil && strings.HasSuffix(name, ".go") {
			if _, perr := parser.ParseFile(token.NewFileSet(), "", updated, parser.ParseComments); perr != nil {
				err = fmt.Errorf("the file would not parse after them: %v", perr)
			}
		}
		if err != nil {
			errs = append(errs, &FixError{Posn: token.Position{Filename: name}, Fixes: applied, Err: err})
			continue
		}
		changes = append(changes, FileChange{Filename: name, Old: old, New: updated, Fixes: applied})
	}
	return changes, errs
}

// overlap reports whether two different edits cannot both be applied.
// An insertion at the start or end of a replaced range is fine: it goes
// before or after the replacement.
func overlap(a, b Edit) bool {
	if a.Filename != b.Filename {
		return false
	}
	if a.Start < b.End && b.Start < a.End {
		return true
	}
	return a.Start == a.End && b.Start == b.End && a.Start == b.Start
}

// splice applies non-overlapping edits to content.
func splice(content []byte, edits []Edit) ([]byte, error) {
	edits = slices.Clone(edits)
	slices.SortStableFunc(edits, func(a, b Edit) int {
		if a.Start != b.Start {
			return a.Start - b.Start
		}
		return a.End - b.End
	})
	var out bytes.Buffer
	last := 0
	for _, e := range edits {
		if e.Start < last || e.End > len(content) {
			return nil, fmt.Errorf("edit at offset %d does not fit the file on disk", e.Start)
		}
		out.Write(content[last:e.Start])
		out.WriteString(e.New)
		last = e.End
	}
	out.Write(content[last:])
	return out.Bytes(), nil
}

// position returns the line and column of a byte offset of filename, for
// messages; only Filename is set if the file cannot be read.
func (s *Sources) position(filename string, offset int) token.Position {
	posn := token.Position{Filename: filename, Offset: offset}
	src := s.load(filename)
	if src.err != nil || offset < 0 || offset > len(src.content) {
		return posn
	}
	line, _ := slices.BinarySearch(src.lines, offset+1)
	posn.Line = line
	posn.Column = offset - src.lines[line-1] + 1
	return posn
}
