package bridge

import (
	"strings"

	"modernc.org/cc/v4"
)

func (fs *fnState) call(x *cc.PostfixExpression) oset {
	name := calleeName(x.PostfixExpression)
	var decl *cc.Declarator
	if name == "" {
		fs.value(x.PostfixExpression)
	} else if id := identOf(x.PostfixExpression); id != nil {
		decl, _ = id.ResolvedTo().(*cc.Declarator)
	}
	var args []oset
	for l := x.ArgumentExpressionList; l != nil; l = l.ArgumentExpressionList {
		args = append(args, fs.value(l.AssignmentExpression))
	}
	if isErrnoLocator(name) {
		fs.event(errnoEvent{kind: evRead})
		return borrowedSet
	}
	if b, ok := compilerBuiltinOf(name); ok {
		if b.argResult && len(args) > 0 {
			return args[0]
		}
		return unknownSet
	}
	if _, ok := fs.s.p.Exports[name]; ok {
		fs.callsGo[name] = true
	}
	sum, entry, bottom := fs.s.callee(name)
	if bottom {
		fs.event(errnoEvent{kind: evCall, name: name, sets: No})
		return nil
	}
	for _, g := range sum.CallsGo {
		fs.callsGo[g] = true
	}
	sets := sum.SetsErrno
	if !sum.Known {
		sets = Unknown
	}
	switch sets {
	case Yes:
		fs.errnoYes = true
	case Unknown:
		fs.errnoUnk = true
	}
	shown := name
	if shown == "" {
		shown = indirectName(x.PostfixExpression)
	}
	fs.event(errnoEvent{
		kind: evCall, name: shown, sets: sets,
		used: x != fs.discarded, signal: sum.ErrnoOnlySignal,
		reads: entry.reads, clobbers: entry.clobbers,
	})
	for j, v := range args {
		var fam *Allocator
		if sum.Deallocs != nil {
			fam = sum.Deallocs[j]
		}
		fs.passed(v, sum.Effect(j), fam)
		// A parameter handed on as the callee's out-parameter
		// (return asprintf(out, ...)) is this function's out-parameter.
		if a := sum.OutOwned[j]; a != nil {
			if nn := v.nonNull(); len(nn) == 1 && nn[0].kind == oParam {
				fs.deallocOf[a.Family] = a
				if old, ok := fs.outStores[nn[0].param]; !ok || old == a.Family {
					fs.outStores[nn[0].param] = a.Family
					fs.outSuccess = sum.Success
				} else {
					fs.outStores[nn[0].param] = ""
				}
				fs.storedOut(nn[0].param)
			}
		}
	}
	if decl != nil && isNoReturn(decl) && fs.cond == 0 {
		fs.defNoReturn = true
	}
	switch {
	case sum.ReturnsOwned != nil:
		fs.deallocOf[sum.ReturnsOwned.Family] = sum.ReturnsOwned
		return oset{{kind: oOwned, site: x, alloc: sum.ReturnsOwned.Family}}
	case sum.ReturnsBorrowed:
		return borrowedSet
	case sum.Known && sum.ReturnsParam >= 0 && sum.ReturnsParam < len(args):
		return args[sum.ReturnsParam]
	}
	return unknownSet
}

// indirectName names a call through a pointer for ErrnoClobbers: the
// callee expression as written, when it is short.
func indirectName(e cc.ExpressionNode) string {
	src := strings.Join(strings.Fields(cc.NodeSource(e)), " ")
	if src == "" || len(src) > 40 {
		return "a call through a function pointer"
	}
	return src
}

// isNoReturn reports whether the declaration carries the noreturn
// attribute.
func isNoReturn(d *cc.Declarator) bool {
	t := d.Type()
	if t == nil {
		return false
	}
	a := t.Attributes()
	if a == nil {
		return false
	}
	return a.IsAttrSet("noreturn") || a.IsAttrSet("__noreturn__")
}

// opaque evaluates everything inside a node the walk does not model, and
// treats every value found there as lost.
func (fs *fnState) opaque(n any) {
	visitChildren(n, func(c any) bool {
		if e, ok := c.(cc.ExpressionNode); ok {
			fs.lost(fs.value(e))
			return false
		}
		return true
	})
}
