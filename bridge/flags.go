package bridge

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// Flags are the parts of a package's #cgo CFLAGS, CPPFLAGS and pkg-config
// directives that change how its C is read.
type Flags struct {
	IncludeDirs []string // -I, absolute
	Defines     []string // -D NAME or NAME=VALUE, in order
	Undefines   []string // -U NAME
	Std         string   // -std=...
	NoEscape    []string // #cgo noescape F
	NoCallback  []string // #cgo nocallback F
	Warnings    []string // flags that could not be honoured
}

// FlagsFor collects the flags that apply to goos/goarch from the
// directives of all the package's preambles (cgo merges them package
// wide). srcdir replaces ${SRCDIR}. pkg-config is run when it is
// installed; when it is not, or fails, a warning says so.
func FlagsFor(preambles []*Preamble, srcdir, goos, goarch string, tags map[string]bool) *Flags {
	f := &Flags{}
	for _, p := range preambles {
		for _, d := range p.Directives {
			if !d.Matches(goos, goarch, tags) {
				continue
			}
			switch d.Verb {
			case "CFLAGS", "CPPFLAGS":
				args := make([]string, len(d.Args))
				for i, a := range d.Args {
					args[i] = strings.ReplaceAll(a, "${SRCDIR}", srcdir)
				}
				f.add(args, srcdir)
			case "pkg-config":
				f.pkgConfig(d, p.File)
			case "noescape":
				f.NoEscape = append(f.NoEscape, d.Args...)
			case "nocallback":
				f.NoCallback = append(f.NoCallback, d.Args...)
			}
		}
	}
	return f
}

// add reads compiler arguments, keeping the ones that affect parsing.
func (f *Flags) add(args []string, srcdir string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		next := func() (string, bool) {
			if i+1 < len(args) {
				i++
				return args[i], true
			}
			return "", false
		}
		switch {
		case a == "-I" || a == "-isystem" || a == "-iquote" || a == "-idirafter":
			if v, ok := next(); ok {
				f.addInclude(v, srcdir)
			}
		case strings.HasPrefix(a, "-I"):
			f.addInclude(a[2:], srcdir)
		case strings.HasPrefix(a, "-isystem"):
			f.addInclude(a[len("-isystem"):], srcdir)
		case a == "-D":
			if v, ok := next(); ok {
				f.Defines = append(f.Defines, v)
			}
		case strings.HasPrefix(a, "-D"):
			f.Defines = append(f.Defines, a[2:])
		case a == "-U":
			if v, ok := next(); ok {
				f.Undefines = append(f.Undefines, v)
			}
		case strings.HasPrefix(a, "-U"):
			f.Undefines = append(f.Undefines, a[2:])
		case strings.HasPrefix(a, "-std="):
			f.Std = a
		}
	}
}

func (f *Flags) addInclude(dir, srcdir string) {
	if dir == "" {
		return
	}
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(srcdir, dir)
	}
	f.IncludeDirs = append(f.IncludeDirs, filepath.Clean(dir))
}

func (f *Flags) pkgConfig(d *Directive, file string) {
	var names, opts []string
	for _, a := range d.Args {
		if strings.HasPrefix(a, "-") {
			opts = append(opts, a)
		} else {
			names = append(names, a)
		}
	}
	if len(names) == 0 {
		return
	}
	path, err := exec.LookPath("pkg-config")
	if err != nil {
		f.Warnings = append(f.Warnings, fmt.Sprintf("%s:%d: #cgo pkg-config: %s: pkg-config is not installed; include paths of %s are unknown",
			file, d.Line, strings.Join(names, " "), strings.Join(names, " ")))
		return
	}
	args := append(append([]string{"--cflags"}, opts...), append([]string{"--"}, names...)...)
	out, err := exec.Command(path, args...).Output()
	if err != nil {
		f.Warnings = append(f.Warnings, fmt.Sprintf("%s:%d: #cgo pkg-config: %s: %v (is the -dev package installed?)",
			file, d.Line, strings.Join(names, " "), err))
		return
	}
	words, err := SplitQuoted(string(out))
	if err != nil {
		f.Warnings = append(f.Warnings, fmt.Sprintf("%s:%d: pkg-config output: %v", file, d.Line, err))
		return
	}
	f.add(words, "")
}

// ccOptions are the options handed to cc.NewConfig, which passes them to
// the host compiler when it asks for predefined macros and include paths.
func (f *Flags) ccOptions() []string {
	var opts []string
	if f.Std != "" {
		opts = append(opts, f.Std)
	}
	for _, d := range f.IncludeDirs {
		opts = append(opts, "-I"+d)
	}
	return opts
}

// defines renders -D and -U as preprocessor text appended to the
// predefined macros, in command-line order (-D before -U, as gcc does for
// separate flags).
func (f *Flags) defines() string {
	var b strings.Builder
	b.WriteByte('\n')
	for _, d := range f.Defines {
		name, val, ok := strings.Cut(d, "=")
		if !ok {
			val = "1"
		}
		fmt.Fprintf(&b, "#define %s %s\n", name, val)
	}
	for _, u := range f.Undefines {
		fmt.Fprintf(&b, "#undef %s\n", u)
	}
	return b.String()
}

// Key identifies the flags for caching.
func (f *Flags) Key() string {
	parts := append([]string{f.Std}, f.IncludeDirs...)
	parts = append(parts, f.Defines...)
	parts = append(parts, f.Undefines...)
	ne := append([]string(nil), f.NoEscape...)
	sort.Strings(ne)
	return strings.Join(append(parts, ne...), "\x00")
}
