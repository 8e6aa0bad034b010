package bridge

// Knowledge is a table of facts about library functions that have no
// body ffivet can read: libc, and whatever an annotations file adds.
type Knowledge struct {
	funcs map[string]*Summary
}

// Summary returns the table's entry for name, or nil.
func (k *Knowledge) Summary(name string) *Summary {
	if k == nil {
		return nil
	}
	return k.funcs[name]
}
