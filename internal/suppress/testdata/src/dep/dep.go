// Package dep has findings of findcall and of needsfind, which requires
// findcall and reports what findcall's result records.
package dep

func finding() int { return 0 }

func f() {
	_ = finding() //ffivet:ignore findcall needsfind still reports this call // want "findcall saw a call here"
	_ = finding() // want "findcall saw a call here"
	_ = finding() //ffivet:ignore findcall,needsfind both are silenced
}
