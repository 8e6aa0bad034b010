package bridge

import (
	"sort"

	"modernc.org/cc/v4"
)

// Escape levels of an allocation made in the body.
const (
	escNone      = iota // freed or only borrowed
	escUncertain        // reached code or storage the walk cannot follow
	escOut              // returned or stored where it outlives the call
)

// fnState is the analysis of one body: what holds across the walks of
// the body, and the walk under way. The body is walked again until what
// its variables may point to settles; each walk starts from a new walk
// value, so no fact of an earlier walk leaks into the summary.
type fnState struct {
	s      *summarizer
	f      *Func
	params map[*cc.Declarator]int
	isPtr  []bool
	locals map[*cc.Declarator]bool
	// vars is what each variable may point to, grown by every walk.
	vars map[*cc.Declarator]oset
	// abandon, when set, says why the body cannot be summarized.
	abandon string

	*walk
}

// A walk is one pass over a body: the facts it gathers and where it is.
type walk struct {
	// varsChanged says that the walk added to fnState.vars, so the
	// body must be walked again.
	varsChanged bool

	// Facts gathered by the walk.
	effects    []Effect
	mayFree    []bool
	deallocs   map[int]string // family freed, "" after a conflict
	deallocOf  map[string]*Allocator
	returns    []pset // must-freed at each return
	retOrigins oset
	heapStores map[cc.Node][]int // allocation site -> parameters stored in it
	escape     map[cc.Node]int
	outStores  map[int]string // parameter -> family of owned memory stored through it, "" after a conflict
	// outSuccess is the success test of the callee whose out-parameter
	// this function forwards, so the forwarding function inherits it.
	outSuccess SuccessTest
	// exits are the function's returns, for the success test of its
	// out-parameters (outFailureTest).
	exits []exit
	// storedInLoop is set when owned memory may be stored through an
	// out-parameter inside a loop, where a return earlier in the body
	// may follow the store of an earlier iteration.
	storedInLoop bool
	events       []errnoEvent
	callsGo      map[string]bool
	wroteErrno   bool
	errnoYes     bool
	errnoUnk     bool
	unsureFlow   bool

	// Where the walk is.
	cond        int  // > 0 inside a conditionally evaluated operand
	defFrees    pset // parameters freed by the expression being evaluated
	defStored   pset // out-parameters the expression being evaluated may store owned memory through
	loops       int  // how many loops enclose the point
	defNoReturn bool // the expression calls a function that does not return
	arms        []branchMark
	discarded   *cc.PostfixExpression // the call an expression statement throws the result of away
	gotos       map[string]flow
	labels      map[string]bool
	switches    map[*cc.SelectionStatement]flow
	breaks      []*flow // the join of the states at break, per enclosing loop or switch
	lastValue   oset
}

func newFnState(s *summarizer, f *Func) *fnState {
	fs := &fnState{
		s:      s,
		f:      f,
		params: map[*cc.Declarator]int{},
		locals: map[*cc.Declarator]bool{},
		vars:   map[*cc.Declarator]oset{},
	}
	if ft, ok := f.Def.Declarator.Type().(*cc.FunctionType); ok {
		i := 0
		for _, prm := range ft.Parameters() {
			t := prm.Type()
			if t != nil && t.Kind() == cc.Void {
				continue
			}
			if prm.Declarator != nil {
				fs.params[prm.Declarator] = i
				fs.vars[prm.Declarator] = oset{{kind: oParam, param: i}}
			}
			fs.isPtr = append(fs.isPtr, t != nil && t.Kind() == cc.Ptr)
			i++
		}
	}
	return fs
}

// newWalk returns the state of a walk that has not started, for a body
// with n parameters.
func newWalk(n int) *walk {
	return &walk{
		effects:    make([]Effect, n),
		mayFree:    make([]bool, n),
		deallocs:   map[int]string{},
		deallocOf:  map[string]*Allocator{},
		heapStores: map[cc.Node][]int{},
		escape:     map[cc.Node]int{},
		outStores:  map[int]string{},
		callsGo:    map[string]bool{},
		gotos:      map[string]flow{},
		labels:     map[string]bool{},
		switches:   map[*cc.SelectionStatement]flow{},
	}
}

// walkBody walks the body once, from a new walk.
func (fs *fnState) walkBody() {
	fs.walk = newWalk(len(fs.isPtr))
	end := fs.compound(fs.f.Def.CompoundStatement, flow{live: true})
	if end.live {
		fs.returns = append(fs.returns, end.must)
		fs.exits = append(fs.exits, exit{stored: end.stored})
	}
}

// summary turns the facts of the last walk into a Summary.
func (fs *fnState) summary() (*Summary, entryErrno) {
	f := fs.f
	sum := &Summary{
		Name: f.Name, Known: true, Source: FromBody, ReturnsParam: -1,
		Params: map[int]Effect{},
	}
	resultPtr := f.Result != nil && f.Result.Kind() == cc.Ptr

	for _, o := range fs.retOrigins {
		switch o.kind {
		case oParam:
			if o.param < len(fs.effects) {
				if resultPtr {
					fs.effects[o.param] |= Returned
				} else {
					fs.effects[o.param] |= EffectUnknown
				}
			}
		case oOwned:
			fs.escape[o.site] = escOut
		}
	}
	if resultPtr {
		fs.classifyResult(sum)
	}
	for site, ps := range fs.heapStores {
		for _, i := range ps {
			switch fs.escape[site] {
			case escOut:
				fs.effects[i] |= Keeps
			case escUncertain:
				fs.effects[i] |= EffectUnknown
			default:
				fs.effects[i] |= Borrows
			}
		}
	}
	for i, ptr := range fs.isPtr {
		if !ptr {
			continue
		}
		e := fs.effects[i]
		if fs.mayFree[i] {
			all := !fs.unsureFlow
			for _, r := range fs.returns {
				if !r.has(i) {
					all = false
				}
			}
			if all {
				e |= Frees
			} else {
				e |= MayFree
			}
			if fam, ok := fs.deallocs[i]; ok && fam != "" {
				if sum.Deallocs == nil {
					sum.Deallocs = map[int]*Allocator{}
				}
				sum.Deallocs[i] = fs.deallocOf[fam]
			}
		}
		if e&(Frees|MayFree|Keeps|Takes|EffectUnknown) != 0 {
			e &^= Borrows
		}
		if e == 0 {
			// Only compared, or not used at all.
			e = Borrows
		}
		sum.Params[i] = e
	}
	for i, fam := range fs.outStores {
		if fam == "" || i >= len(fs.isPtr) {
			continue
		}
		if sum.OutOwned == nil {
			sum.OutOwned = map[int]*Allocator{}
		}
		sum.OutOwned[i] = fs.deallocOf[fam]
		if sum.Success == SuccessUnknown {
			sum.Success = fs.outSuccess
		}
	}

	switch {
	case fs.wroteErrno || fs.errnoYes:
		sum.SetsErrno = Yes
	case fs.errnoUnk:
		sum.SetsErrno = Unknown
	default:
		sum.SetsErrno = No
	}
	for _, ev := range fs.events {
		if ev.isRead() {
			sum.ReadsErrno = true
		}
	}
	var entry entryErrno
	sum.ErrnoClobbers, entry = errnoClobbers(fs.events)
	sum.ReadsCallerErrno = entry.reads
	sum.ErrnoExitClobbers = exitClobbers(fs.events)
	if sum.SetsErrno == Yes && sum.Success == SuccessUnknown {
		if t := failureConvention(fs.events); t != SuccessUnknown {
			sum.Success, sum.ErrnoOnFailure = t, true
		}
	}
	// The body's own failure returns tell the out-parameters' success
	// test better than a forwarded callee's, unless errno's convention
	// has set it: then cgoerrno reads the same test.
	if !sum.ErrnoOnFailure && len(sum.OutOwned) > 0 {
		var out pset
		for i := range sum.OutOwned {
			out = out.with(i)
		}
		if t := fs.outFailureTest(out); t != SuccessUnknown {
			sum.Success = t
		}
	}
	for g := range fs.callsGo {
		sum.CallsGo = append(sum.CallsGo, g)
	}
	sort.Strings(sum.CallsGo)
	return sum, entry
}

func (fs *fnState) classifyResult(sum *Summary) {
	nn := fs.retOrigins.nonNull()
	if len(nn) == 0 {
		return
	}
	allParam, allOwned, allBorrowed := true, true, true
	for _, o := range nn {
		allParam = allParam && o.kind == oParam && o.param == nn[0].param
		allOwned = allOwned && o.kind == oOwned && o.alloc == nn[0].alloc
		allBorrowed = allBorrowed && o.kind == oBorrowed
	}
	switch {
	case allParam:
		sum.ReturnsParam = nn[0].param
	case allOwned:
		sum.ReturnsOwned = fs.deallocOf[nn[0].alloc]
	case allBorrowed:
		sum.ReturnsBorrowed = true
	}
}

func (fs *fnState) addEffect(i int, e Effect) {
	if i >= 0 && i < len(fs.effects) {
		fs.effects[i] |= e
	}
}

func (fs *fnState) setEscape(site cc.Node, level int) {
	if level > fs.escape[site] {
		fs.escape[site] = level
	}
}

// derefs records that v is dereferenced, and returns the origins of the
// memory it points to.
func (fs *fnState) derefs(v oset) oset {
	for _, o := range v {
		if o.kind == oParam {
			fs.addEffect(o.param, Borrows)
		}
	}
	return v.nonNull()
}

// lost records that v reaches something the walk cannot follow.
func (fs *fnState) lost(v oset) {
	for _, o := range v {
		switch o.kind {
		case oParam:
			fs.addEffect(o.param, EffectUnknown)
		case oOwned:
			fs.setEscape(o.site, escUncertain)
		}
	}
}

func (fs *fnState) noteFree(i int, family *Allocator, definite bool) {
	if i < 0 || i >= len(fs.mayFree) {
		return
	}
	fs.mayFree[i] = true
	if definite && fs.cond == 0 {
		fs.defFrees = fs.defFrees.with(i)
	}
	fam := ""
	if family != nil {
		fam = family.Family
		fs.deallocOf[fam] = family
	}
	if old, ok := fs.deallocs[i]; ok && old != fam {
		fam = ""
	}
	fs.deallocs[i] = fam
}

// passed records that v is passed as an argument whose fate is e.
func (fs *fnState) passed(v oset, e Effect, family *Allocator) {
	amb := v.ambiguous()
	for _, o := range v {
		switch o.kind {
		case oParam:
			i := o.param
			if e&(Borrows|Returned) != 0 {
				fs.addEffect(i, Borrows)
			}
			if e&EffectUnknown != 0 {
				fs.addEffect(i, EffectUnknown)
			}
			for _, x := range []Effect{Frees, MayFree, Keeps, Takes} {
				if e&x == 0 {
					continue
				}
				switch {
				case amb:
					fs.addEffect(i, EffectUnknown)
				case x == Frees || x == MayFree:
					fs.noteFree(i, family, x == Frees)
				default:
					fs.addEffect(i, x)
				}
			}
		case oOwned:
			switch {
			case e&(Keeps|Takes) != 0:
				fs.setEscape(o.site, escOut)
			case e&EffectUnknown != 0:
				fs.setEscape(o.site, escUncertain)
			}
		}
	}
}

// A destination kind for stores.
const (
	dstNone      = iota
	dstParam     // memory of parameter param
	dstGlobal    // static storage
	dstHeap      // an allocation made in the body
	dstUncertain // anything else
)

// stored records that value v is stored at an address with origins dst.
// A store into a plain local variable is handled by the caller.
func (fs *fnState) stored(dst, v oset, outParam int) {
	kind, param := dstNone, -1
	var site cc.Node
	for _, d := range dst.nonNull() {
		k, p := dstUncertain, -1
		var ds cc.Node
		switch d.kind {
		case oParam:
			k, p = dstParam, d.param
		case oReach:
			if d.param < 0 {
				k = dstGlobal
			} else {
				k, p = dstParam, d.param
			}
		case oBorrowed:
			k = dstGlobal
		case oOwned:
			k, ds = dstHeap, d.site
		}
		if kind == dstNone {
			kind, param, site = k, p, ds
		} else if kind != k || param != p || site != ds {
			kind = dstUncertain
		}
	}
	amb := v.ambiguous()
	for _, o := range v {
		switch o.kind {
		case oParam:
			i := o.param
			switch {
			case kind == dstNone:
			case kind == dstParam && param == i:
				// Into its own memory: nothing outlives the caller's object.
			case amb || kind == dstUncertain:
				fs.addEffect(i, EffectUnknown)
			case kind == dstParam || kind == dstGlobal:
				fs.addEffect(i, Keeps)
			case kind == dstHeap:
				fs.heapStores[site] = append(fs.heapStores[site], i)
			}
		case oOwned:
			switch kind {
			case dstParam, dstGlobal:
				fs.setEscape(o.site, escOut)
			case dstHeap:
				if o.site != site {
					fs.setEscape(o.site, escUncertain)
				}
			case dstUncertain:
				fs.setEscape(o.site, escUncertain)
			}
		}
	}
	if outParam >= 0 {
		nn := v.nonNull()
		fam := ""
		if len(nn) > 0 {
			fam = nn[0].alloc
			for _, o := range nn {
				if o.kind != oOwned || o.alloc != fam {
					fam = ""
				}
			}
		}
		if len(nn) > 0 {
			if old, ok := fs.outStores[outParam]; ok && old != fam {
				fam = ""
			}
			fs.outStores[outParam] = fam
			fs.storedOut(outParam)
		}
	}
}
