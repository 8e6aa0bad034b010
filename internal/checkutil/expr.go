package checkutil

import (
	"go/ast"
	"go/types"
	"regexp"
	"strings"
)

// cgoNames matches the names cgo writes in place of the user's C.x.
var cgoNames = regexp.MustCompile(`\(?_Cgo_ptr\(_Cfpvar_fp_(\w+)\)\)?|\(_C(?:func|2func|type|macro)_(\w+)\)|_C(?:func|2func|type|macro|var|iconst|fconst|sconst)_(\w+)`)

// ExprString spells an expression as the user wrote it: cgo's output
// has (_Cfunc_f)(x) where the user wrote C.f(x).
func ExprString(e ast.Expr) string {
	return cgoNames.ReplaceAllStringFunc(types.ExprString(e), func(m string) string {
		sub := cgoNames.FindStringSubmatch(m)
		for _, s := range sub[1:] {
			if s != "" {
				return "C." + s
			}
		}
		return m
	})
}

// IsCgoGeneratedName reports whether a function of the user's package
// is one that cgo writes into it rather than one the user wrote.
func IsCgoGeneratedName(name string) bool {
	return strings.HasPrefix(name, "_cgo") || strings.HasPrefix(name, "_Cfunc_") || strings.HasPrefix(name, "_C2func_")
}
