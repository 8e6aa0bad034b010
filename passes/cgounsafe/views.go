package cgounsafe

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"go/version"

	"github.com/ffivet/ffivet/internal/checkutil"
	"golang.org/x/tools/go/analysis"
)

// hugeBound is the smallest array bound taken to be a cap rather than a
// size: arrays of 64Ki elements or more in a pointer conversion are the
// old idiom for viewing memory of any length, not a real fixed-size
// buffer.
const hugeBound = 1 << 16

// views reports (*[N]T)(p)[:n:n] in fd.
func (c *checker) views(f *ast.File, fd *ast.FuncDecl) {
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if s, ok := n.(*ast.SliceExpr); ok {
			c.view(f, s)
		}
		return true
	})
}

func (c *checker) view(f *ast.File, s *ast.SliceExpr) {
	conv, ok := ast.Unparen(s.X).(*ast.CallExpr)
	if !ok || len(conv.Args) != 1 || s.High == nil {
		return
	}
	star, ok := ast.Unparen(conv.Fun).(*ast.StarExpr)
	if !ok {
		return
	}
	arrType, ok := ast.Unparen(star.X).(*ast.ArrayType)
	if !ok || arrType.Len == nil {
		return
	}
	tv, ok := c.pass.TypesInfo.Types[conv.Fun]
	if !ok || !tv.IsType() {
		return
	}
	ptr, ok := tv.Type.Underlying().(*types.Pointer)
	if !ok {
		return
	}
	arr, ok := ptr.Elem().Underlying().(*types.Array)
	if !ok || arr.Len() < hugeBound {
		return
	}
	if s.Low != nil && !c.isZero(s.Low) {
		return
	}
	if c.isConst(s.High) {
		// A constant length is checked against the bound by the compiler.
		return
	}
	if s.Max != nil && types.ExprString(s.Max) != types.ExprString(s.High) {
		return
	}
	elemSize := c.pass.TypesSizes.Sizeof(arr.Elem())
	size := arr.Len() * elemSize
	if size <= 1<<31-1 && size > 1<<31-1-max(elemSize, 1) {
		// The largest array a 32-bit target allows, (*[MaxInt32/size]T):
		// the idiom for a view of any length. It caps only data of 2 GiB
		// or more, which counts C hands to Go (argc, a column count, a
		// PKCS#11 attribute) do not reach; ffivet stays silent rather
		// than ask for proof of a bound the library keeps.
		return
	}
	length := checkutil.ExprString(s.High)
	elem := checkutil.ExprString(arrType.Elt)
	ptrText := checkutil.ExprString(conv.Args[0])
	too32 := ""
	if size > 1<<31-1 || size < 0 {
		too32 = " and the array type does not fit a 32-bit target"
	}
	msg := fmt.Sprintf("(*[%s]%s)(...)[:%s] views the memory at %s through an array of %d elements: the array type, not the data, bounds the slice, so a length %s above %d panics (slice bounds out of range)%s; use unsafe.Slice((*%s)(%s), %s)",
		types.ExprString(arrType.Len), elem, length, ptrText, arr.Len(), length, arr.Len(), too32, elem, ptrText, length)
	d := analysis.Diagnostic{Pos: s.Pos(), End: s.End(), Category: "array-view-bound", Message: msg}
	if fix := c.sliceFix(f, s, arrType); fix != nil {
		d.SuggestedFixes = []analysis.SuggestedFix{*fix}
	}
	c.pass.Report(d)
}

// sliceFix rewrites (*[N]T)(p)[:n:n] as unsafe.Slice((*T)(p), n),
// editing around the user's own text of T, p and n. It needs the
// package unsafe imported under its name and Go 1.17.
func (c *checker) sliceFix(f *ast.File, s *ast.SliceExpr, arrType *ast.ArrayType) *analysis.SuggestedFix {
	if !importsUnsafe(f) {
		return nil
	}
	if v := c.pass.TypesInfo.FileVersions[f]; v != "" && version.Compare(v, "go1.17") < 0 {
		return nil
	}
	return &analysis.SuggestedFix{
		Message: "use unsafe.Slice",
		TextEdits: []analysis.TextEdit{
			{Pos: s.Pos(), End: s.Pos(), NewText: []byte("unsafe.Slice(")},
			{Pos: arrType.Lbrack, End: arrType.Elt.Pos()},
			{Pos: s.Lbrack, End: s.High.Pos(), NewText: []byte(", ")},
			{Pos: s.High.End(), End: s.Rbrack + 1, NewText: []byte(")")},
		},
	}
}

// importsUnsafe reports whether f imports package unsafe as unsafe.
func importsUnsafe(f *ast.File) bool {
	for _, imp := range f.Imports {
		if imp.Path.Value == `"unsafe"` && (imp.Name == nil || imp.Name.Name == "unsafe") {
			return true
		}
	}
	return false
}

func (c *checker) isConst(e ast.Expr) bool {
	tv, ok := c.pass.TypesInfo.Types[e]
	return ok && tv.Value != nil
}

func (c *checker) isZero(e ast.Expr) bool {
	tv, ok := c.pass.TypesInfo.Types[e]
	return ok && tv.Value != nil && constant.Compare(tv.Value, token.EQL, constant.MakeInt64(0))
}
