package bridge

import (
	"slices"
	"strings"

	"modernc.org/cc/v4"
)

// The callback-context convention: a C library function that takes a
// callback together with a void * "user data" argument hands that
// argument back to the callback, and when the function registers the
// callback (sets it on an object, installs a handler) it keeps the
// context for as long as the registration lasts. Without a body to read,
// ffivet takes a bodiless function with a function-pointer parameter to
// keep every non-const void * parameter that follows the first callback,
// and a function whose name says it registers (registrationSuffixes) to
// keep its last non-const void * parameter. Functions whose names say
// they call the callback only during the call (iterationWords), and
// functions the knowledge table, attributes or annotations describe,
// are left alone: qsort_r and dl_iterate_phdr are in the table as
// borrowing their context.

// registrationSuffixes end the names of functions that store a context
// pointer with no callback parameter of their own: the callbacks come
// in a struct (*_new_from_cbs) or were set before.
var registrationSuffixes = []string{
	"_set_callback", "_set_callbacks", "_new_from_cbs", "_set_cb",
	"_set_userdata", "_set_user_data", "_set_opaque", "_set_context",
}

// iterationWords in a function's name say it calls its callback only
// while it runs: it walks, visits, sorts or searches something.
var iterationWords = []string{
	"foreach", "for_each", "each", "iter", "walk", "visit", "traverse",
	"sort", "search", "find", "scan", "exec", "apply",
}

// ContextConvention returns the parameters of f that the convention
// takes to be kept: void * contexts of a bodiless function that
// registers a callback.
func ContextConvention(f *Func) []int {
	if f == nil || f.HasBody {
		return nil
	}
	name := strings.ToLower(f.Name)
	for _, w := range iterationWords {
		if strings.Contains(name, w) {
			return nil
		}
	}
	var out []int
	callback := false
	for i, prm := range f.Params {
		pt, ok := prm.Type.(*cc.PointerType)
		if !ok || pt.Elem() == nil {
			continue
		}
		switch pt.Elem().Kind() {
		case cc.Function:
			callback = true
		case cc.Void:
			if callback && !prm.IsConstPointer() {
				out = append(out, i)
			}
		}
	}
	if len(out) > 0 {
		return out
	}
	for _, suf := range registrationSuffixes {
		if strings.HasSuffix(name, suf) {
			for i := len(f.Params) - 1; i >= 0; i-- {
				pt, ok := f.Params[i].Type.(*cc.PointerType)
				if ok && pt.Elem() != nil && pt.Elem().Kind() == cc.Void && !f.Params[i].IsConstPointer() {
					return []int{i}
				}
			}
		}
	}
	return nil
}

// contextConvention layers the convention over base (what the table and
// attributes say, or nil) for the parameters base says nothing about.
func contextConvention(f *Func, base *Summary) *Summary {
	var s *Summary
	for _, i := range ContextConvention(f) {
		if base != nil && base.Known {
			if _, known := base.Params[i]; known {
				continue
			}
		}
		if s == nil {
			s = cloneSummary(base, f.Name)
			if base == nil {
				s.Source = FromConvention
			}
		}
		s.Params[i] = Keeps
		if !slices.Contains(s.Conventional, i) {
			s.Conventional = append(s.Conventional, i)
		}
	}
	if s == nil {
		return base
	}
	return s
}
