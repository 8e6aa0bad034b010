package bridge

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
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
	Warnings    []string // flags that could not be honoured, as "file:line: message"

	// macros holds the -D and -U flags in command-line order, which
	// decides the result when both name the same macro.
	macros []macroFlag
}

type macroFlag struct {
	undef bool
	arg   string // NAME or NAME=VALUE
}

// pkgConfigTimeout bounds one run of pkg-config, which should take
// milliseconds; a wedged one must not stall the analysis.
const pkgConfigTimeout = 30 * time.Second

// FlagsFor collects the flags that apply to goos/goarch from the
// directives of all the package's preambles (cgo merges them package
// wide). srcdir replaces ${SRCDIR} and anchors relative include
// directories. pkg-config (or $PKG_CONFIG) is run when it is installed;
// when it is not, or does not know a package, a warning says so.
//
// The flags of $CGO_CPPFLAGS and $CGO_CFLAGS come first, as the go
// command puts them before the package's own; like `go env`, a variable
// that is not set in the environment is taken from the go env file
// (`go env -w`).
func FlagsFor(preambles []*Preamble, srcdir, goos, goarch string, tags map[string]bool) *Flags {
	f := &Flags{}
	for _, name := range []string{"CGO_CPPFLAGS", "CGO_CFLAGS"} {
		value := goEnv(name)
		words, err := SplitQuoted(value)
		if err != nil {
			f.warn("$"+name, "cannot read %q: %v", value, err)
			continue
		}
		f.add(words, srcdir, "$"+name)
	}
	for _, p := range preambles {
		for _, d := range p.Directives {
			if !d.Matches(goos, goarch, tags) {
				continue
			}
			where := fmt.Sprintf("%s:%d", p.File, d.Line)
			args := make([]string, len(d.Args))
			for i, a := range d.Args {
				args[i] = strings.ReplaceAll(a, "${SRCDIR}", srcdir)
			}
			switch d.Verb {
			case "CFLAGS", "CPPFLAGS":
				f.add(args, srcdir, where)
			case "pkg-config":
				f.pkgConfig(args, srcdir, where)
			case "noescape":
				f.NoEscape = append(f.NoEscape, args...)
			case "nocallback":
				f.NoCallback = append(f.NoCallback, args...)
			}
		}
	}
	return f
}

func (f *Flags) warn(where, format string, args ...any) {
	f.Warnings = append(f.Warnings, where+": "+fmt.Sprintf(format, args...))
}

// add reads compiler arguments, keeping the ones that affect parsing.
// where says which directive they came from, for warnings.
func (f *Flags) add(args []string, srcdir, where string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		// next returns the argument of a flag written apart from it, as
		// in "-I dir".
		next := func() (string, bool) {
			if i+1 < len(args) {
				i++
				return args[i], true
			}
			f.warn(where, "%s is missing its argument", a)
			return "", false
		}
		switch {
		case a == "-I" || a == "-isystem" || a == "-iquote" || a == "-idirafter":
			if v, ok := next(); ok {
				f.addInclude(v, srcdir)
			}
		case strings.HasPrefix(a, "-isystem"):
			f.addInclude(a[len("-isystem"):], srcdir)
		case strings.HasPrefix(a, "-iquote"):
			f.addInclude(a[len("-iquote"):], srcdir)
		case strings.HasPrefix(a, "-idirafter"):
			f.addInclude(a[len("-idirafter"):], srcdir)
		case strings.HasPrefix(a, "-I"):
			f.addInclude(a[2:], srcdir)
		case a == "-D":
			if v, ok := next(); ok {
				f.addMacro(false, v, where)
			}
		case strings.HasPrefix(a, "-D"):
			f.addMacro(false, a[2:], where)
		case a == "-U":
			if v, ok := next(); ok {
				f.addMacro(true, v, where)
			}
		case strings.HasPrefix(a, "-U"):
			f.addMacro(true, a[2:], where)
		case strings.HasPrefix(a, "-std="):
			f.Std = a
		case strings.HasPrefix(a, "--std="):
			f.Std = a[1:]
		case a == "--std":
			if v, ok := next(); ok {
				f.Std = "-std=" + v
			}
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

// addMacro records -D or -U arg. A name that is not a C identifier would
// make the generated #define line itself invalid C and spoil the whole
// translation, so such flags are dropped with a warning, as is a value
// with a line break, which would end the #define early.
func (f *Flags) addMacro(undef bool, arg, where string) {
	name, _, _ := strings.Cut(arg, "=")
	flag := "-D"
	if undef {
		flag = "-U"
		name = arg
	} else if i := strings.IndexByte(name, '('); i >= 0 && strings.HasSuffix(name, ")") {
		name = name[:i] // a function-like macro: -D'MAX(a,b)=...'
	}
	if !isCIdent(name) || strings.ContainsAny(arg, "\n\r") {
		f.warn(where, "ignoring %s%s: not a valid macro", flag, arg)
		return
	}
	if undef {
		f.Undefines = append(f.Undefines, arg)
	} else {
		f.Defines = append(f.Defines, arg)
	}
	f.macros = append(f.macros, macroFlag{undef: undef, arg: arg})
}

// pkgConfig runs pkg-config --cflags for a #cgo pkg-config directive, the
// way the go command does: arguments starting with "--" are options, the
// rest are package names.
func (f *Flags) pkgConfig(args []string, srcdir, where string) {
	var names, opts []string
	for _, a := range args {
		switch {
		case a == "--":
		case strings.HasPrefix(a, "--"):
			opts = append(opts, a)
		default:
			names = append(names, a)
		}
	}
	if len(names) == 0 {
		return
	}
	cmd := "pkg-config"
	if env := strings.Fields(os.Getenv("PKG_CONFIG")); len(env) > 0 {
		cmd = env[0]
	}
	path, err := exec.LookPath(cmd)
	if err != nil {
		f.warn(where, "#cgo pkg-config: %s: %s is not installed, so the include paths and defines of %s are unknown",
			strings.Join(names, " "), cmd, strings.Join(names, " "))
		return
	}
	words, err := runPkgConfig(path, srcdir, opts, names)
	if err != nil && len(names) > 1 {
		// One unknown package fails the whole command; ask for each
		// package alone so the known ones still count.
		words = nil
		for _, n := range names {
			w, err := runPkgConfig(path, srcdir, opts, []string{n})
			if err != nil {
				f.warn(where, pkgConfigFailed, n, err)
				continue
			}
			words = append(words, w...)
		}
	} else if err != nil {
		f.warn(where, pkgConfigFailed, names[0], err)
		return
	}
	f.add(words, srcdir, where+": pkg-config output")
}

const pkgConfigFailed = "#cgo pkg-config: %s: %v; its include paths and defines are unknown (is its -dev package installed?)"

// runPkgConfig returns the words of pkg-config --cflags, or an error that
// carries pkg-config's own explanation.
func runPkgConfig(path, dir string, opts, names []string) ([]string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), pkgConfigTimeout)
	defer cancel()
	args := append(append([]string{"--cflags"}, opts...), "--")
	cmd := exec.CommandContext(ctx, path, append(args, names...)...)
	if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
		cmd.Dir = dir
	}
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			if msg, _, _ := strings.Cut(strings.TrimSpace(string(ee.Stderr)), "\n"); msg != "" {
				return nil, errors.New(strings.TrimSuffix(msg, "."))
			}
		}
		return nil, fmt.Errorf("pkg-config failed: %v", err)
	}
	words, err := SplitQuoted(strings.TrimSpace(string(out)))
	if err != nil {
		return nil, fmt.Errorf("cannot read pkg-config output: %v", err)
	}
	return words, nil
}

// ccOptions are the options handed to cc.NewConfig, which passes them to
// the host compiler when it asks for predefined macros and include paths.
// Include directories are not among them: they do not change what the
// compiler predefines, and the translator adds them itself, so packages
// that differ only in -I share one configuration.
func (f *Flags) ccOptions() []string {
	if f.Std != "" {
		return []string{f.Std}
	}
	return nil
}

// defines renders -D and -U as preprocessor text appended to the
// predefined macros, in command-line order, as gcc applies them.
func (f *Flags) defines() string {
	macros := f.macros
	if len(macros) != len(f.Defines)+len(f.Undefines) {
		// Flags built by hand rather than by FlagsFor: the order between
		// the lists is unknown, so -D then -U.
		macros = nil
		for _, d := range f.Defines {
			macros = append(macros, macroFlag{arg: d})
		}
		for _, u := range f.Undefines {
			macros = append(macros, macroFlag{undef: true, arg: u})
		}
	}
	var b strings.Builder
	b.WriteByte('\n')
	for _, m := range macros {
		if m.undef {
			fmt.Fprintf(&b, "#undef %s\n", m.arg)
			continue
		}
		name, val, ok := strings.Cut(m.arg, "=")
		if !ok {
			val = "1"
		}
		fmt.Fprintf(&b, "#define %s %s\n", name, val)
	}
	return b.String()
}

// Key identifies the flags for caching.
func (f *Flags) Key() string {
	var b strings.Builder
	field := func(tag byte, s string) {
		b.WriteByte(tag)
		b.WriteString(s)
		b.WriteByte(0)
	}
	field('s', f.Std)
	for _, d := range f.IncludeDirs {
		field('I', d)
	}
	for _, m := range f.macros {
		if m.undef {
			field('U', m.arg)
		} else {
			field('D', m.arg)
		}
	}
	if len(f.macros) == 0 {
		for _, d := range f.Defines {
			field('D', d)
		}
		for _, u := range f.Undefines {
			field('U', u)
		}
	}
	for _, list := range []struct {
		tag   byte
		names []string
	}{{'e', f.NoEscape}, {'c', f.NoCallback}} {
		names := append([]string(nil), list.names...)
		sort.Strings(names)
		for _, n := range names {
			field(list.tag, n)
		}
	}
	return b.String()
}

// goEnv returns the value `go env` gives the variable name: the
// environment's, or else the go env file's. The go command's defaults
// (CGO_CFLAGS is "-O2 -g") do not change how C is read and are left out.
func goEnv(name string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	file := os.Getenv("GOENV")
	if file == "off" {
		return ""
	}
	if file == "" {
		dir, err := os.UserConfigDir()
		if err != nil {
			return ""
		}
		file = filepath.Join(dir, "go", "env")
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return ""
	}
	return goEnvFileValue(string(data), name)
}

// goEnvFileValue returns the value of name in the text of a go env file:
// lines of NAME=VALUE, the last one counting, with VALUE quoted as a Go
// string when the go command had to quote it.
func goEnvFileValue(text, name string) string {
	value := ""
	for line := range strings.SplitSeq(text, "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(line), "=")
		if !ok || strings.TrimSpace(k) != name {
			continue
		}
		v = strings.TrimSpace(v)
		if u, err := strconv.Unquote(v); err == nil {
			v = u
		}
		value = v
	}
	return value
}
