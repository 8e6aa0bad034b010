package rawcgo

import (
	"fmt"
	"go/types"
	"os"
	"reflect"
	"sort"

	"golang.org/x/tools/go/analysis"
)

// Run runs analyzer a, and the analyzers it requires, on pkgs in order
// (dependencies first, as Load returns them), with facts flowing from
// each package to those that import it. It returns the diagnostics of a
// itself, by package.
func Run(pkgs []*Package, a *analysis.Analyzer) (map[*Package][]analysis.Diagnostic, error) {
	r := &runner{
		objFacts: map[objFactKey]analysis.Fact{},
		pkgFacts: map[pkgFactKey]analysis.Fact{},
	}
	out := map[*Package][]analysis.Diagnostic{}
	for _, p := range pkgs {
		results := map[*analysis.Analyzer]any{}
		diags, err := r.exec(p, a, results)
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %v", p.PkgPath, a.Name, err)
		}
		out[p] = diags
	}
	return out, nil
}

type objFactKey struct {
	obj types.Object
	t   reflect.Type
}

type pkgFactKey struct {
	pkg *types.Package
	t   reflect.Type
}

type runner struct {
	objFacts map[objFactKey]analysis.Fact
	pkgFacts map[pkgFactKey]analysis.Fact
}

func (r *runner) exec(p *Package, a *analysis.Analyzer, results map[*analysis.Analyzer]any) ([]analysis.Diagnostic, error) {
	for _, req := range a.Requires {
		if _, done := results[req]; done {
			continue
		}
		if _, err := r.exec(p, req, results); err != nil {
			return nil, err
		}
	}
	var diags []analysis.Diagnostic
	pass := &analysis.Pass{
		Analyzer:   a,
		Fset:       p.Fset,
		Files:      p.Files,
		Pkg:        p.Types,
		TypesInfo:  p.Info,
		TypesSizes: types.SizesFor("gc", "amd64"),
		ResultOf:   map[*analysis.Analyzer]any{},
		Report:     func(d analysis.Diagnostic) { diags = append(diags, d) },
		ReadFile:   os.ReadFile,
		ImportObjectFact: func(obj types.Object, fact analysis.Fact) bool {
			f, ok := r.objFacts[objFactKey{obj, reflect.TypeOf(fact)}]
			if ok {
				reflect.ValueOf(fact).Elem().Set(reflect.ValueOf(f).Elem())
			}
			return ok
		},
		ExportObjectFact: func(obj types.Object, fact analysis.Fact) {
			r.objFacts[objFactKey{obj, reflect.TypeOf(fact)}] = fact
		},
		ImportPackageFact: func(pkg *types.Package, fact analysis.Fact) bool {
			f, ok := r.pkgFacts[pkgFactKey{pkg, reflect.TypeOf(fact)}]
			if ok {
				reflect.ValueOf(fact).Elem().Set(reflect.ValueOf(f).Elem())
			}
			return ok
		},
		ExportPackageFact: func(fact analysis.Fact) {
			r.pkgFacts[pkgFactKey{p.Types, reflect.TypeOf(fact)}] = fact
		},
		AllObjectFacts:  func() []analysis.ObjectFact { return nil },
		AllPackageFacts: func() []analysis.PackageFact { return nil },
	}
	for _, req := range a.Requires {
		pass.ResultOf[req] = results[req]
	}
	res, err := a.Run(pass)
	if err != nil {
		return nil, err
	}
	results[a] = res
	sort.SliceStable(diags, func(i, j int) bool { return diags[i].Pos < diags[j].Pos })
	return diags, nil
}
