package bridge

import (
	"slices"

	"modernc.org/cc/v4"
)

// A branchMark places an event in one arm of a conditional.
type branchMark struct {
	node cc.Node
	arm  int
}

type errnoEventKind uint8

const (
	evCall errnoEventKind = iota
	evRead
	evWrite
	evExit // a return statement; see exitClobbers
)

func (ev *errnoEvent) isRead() bool { return ev.kind == evRead || ev.kind == evCall && ev.reads }

type errnoEvent struct {
	kind     errnoEventKind
	name     string      // callee, for calls
	sets     Tristate    // callee's SetsErrno
	used     bool        // the call's result is used, so it may be tested for failure
	signal   bool        // errno is the callee's only error signal (strtol)
	reads    bool        // the callee reads the errno its caller left
	clobbers []string    // calls the callee makes before it reads that errno
	failing  bool        // for exits: the value returned reports failure
	fail     SuccessTest // for failing exits: the test the returned value fails
	zero     bool        // for writes: errno = 0
	arms     []branchMark
}

// errnoClobbers lists, for each read of errno, the calls that may
// overwrite errno before the read.
//
// It is textual. The window of a read starts after the previous read or
// write of errno, or at the function's entry. The call the read is about
// is the last call in the window that may set errno (SetsErrno not No)
// and whose result is used, so that it can have been tested for failure,
// or whose only error signal is errno: printf("...") as a statement is
// not such a call. A call that only may set errno counts too, so that an
// unknown function is never blamed for the errno it may have set. Every
// later call in the window that does not promise to leave errno alone is
// a clobber. When the window has no such call, the read is about the
// errno the caller left (or the body wrote or read before), and every
// call in the window that may set errno is a clobber: that is the helper
// that logs and then returns errno.
//
// Calls in another arm of an if, ?: or switch than the read or the
// setting call are on another path and are skipped. A call of a function
// that reads the errno its caller left (see entryErrno) counts as a read,
// and the calls it makes before reading count as clobbers. Loops are not
// followed: a call later in a loop body than the read is not seen as
// running before it.
//
// The second result says whether some read is of the errno the caller
// left, and what may overwrite it first.
func errnoClobbers(events []errnoEvent) (clobbers []string, entry entryErrno) {
	add := func(list *[]string, name string) {
		if slices.Contains(*list, name) {
			return
		}
		*list = append(*list, name)
	}
	start := 0
	for r, ev := range events {
		if !ev.isRead() && ev.kind != evWrite {
			continue
		}
		if ev.isRead() {
			from := -1
			var fromArms []branchMark
			for i := r - 1; i >= start; i-- {
				e := events[i]
				if e.kind == evCall && e.sets != No && (e.used || e.signal) && !exclusive(e.arms, ev.arms) {
					from, fromArms = i, e.arms
					break
				}
			}
			// With no call to blame, errno still holds what the caller
			// left, the body wrote, or the last read saw: every call in
			// the window may have overwritten it.
			atEntry := from < 0 && start == 0
			if from < 0 {
				from = start - 1
			}
			if atEntry {
				entry.reads = true
			}
			var found []string
			for i := from + 1; i < r; i++ {
				e := events[i]
				if e.kind == evCall && e.sets != No && !exclusive(e.arms, ev.arms) && !exclusive(e.arms, fromArms) {
					found = append(found, e.name)
				}
			}
			if ev.kind == evCall {
				found = append(found, ev.clobbers...)
			}
			for _, c := range found {
				add(&clobbers, c)
				if atEntry {
					add(&entry.clobbers, c)
				}
			}
		}
		start = r + 1
	}
	return clobbers, entry
}

// exclusive reports whether two events lie in different arms of the same
// conditional, so no path runs both.
func exclusive(a, b []branchMark) bool {
	for _, x := range a {
		for _, y := range b {
			if x.node == y.node && x.arm != y.arm {
				return true
			}
		}
	}
	return false
}

func (fs *fnState) event(ev errnoEvent) {
	ev.arms = append([]branchMark(nil), fs.arms...)
	fs.events = append(fs.events, ev)
}

// isErrnoLvalue recognizes errno as the C library spells it after
// preprocessing, (*__errno_location ()), or as a plain variable.
func (fs *fnState) isErrnoLvalue(e cc.ExpressionNode) bool {
	e = stripParens(e)
	switch x := e.(type) {
	case *cc.UnaryExpression:
		if x.Case != cc.UnaryExpressionDeref {
			return false
		}
		c, ok := stripCasts(x.CastExpression).(*cc.PostfixExpression)
		return ok && c.Case == cc.PostfixExpressionCall && isErrnoLocator(calleeName(c.PostfixExpression))
	case *cc.PrimaryExpression:
		if x.Case != cc.PrimaryExpressionIdent {
			return false
		}
		d, ok := x.ResolvedTo().(*cc.Declarator)
		return ok && d != nil && d.Name() == "errno" && fs.classify(d) == vcGlobal
	}
	return false
}
