// Package plain has findings of the findcall test check: every call of
// finding.
package plain

func finding() int { return 0 }

func lineForms() {
	_ = finding() //ffivet:ignore findcall a trailing directive covers its own line
	_ = finding() // want "call of finding"

	//ffivet:ignore findcall a directive alone on its line covers the line below
	_ = finding()

	//ffivet:ignore findcall only the line just below

	_ = finding() // want "call of finding"

	//ffivet:ignore othercheck a directive for another check
	_ = finding() // want "call of finding"

	//ffivet:ignore othercheck,findcall a list of checks
	_ = finding()

	//ffivet:ignored findcall is another word
	_ = finding() // want "call of finding"

	/* ffivet:ignore findcall block comments are not directives */
	_ = finding() // want "call of finding"

	_ = []int{
		finding(), //ffivet:ignore findcall covers this line
		finding(), // want "call of finding"
	} //ffivet:ignore findcall code precedes it, so it covers only its own line
	_ = finding() // want "call of finding"
}

// covered has a directive in its doc comment.
//
//ffivet:ignore findcall the whole function is covered
func covered() {
	_ = finding()
	if true {
		_ = finding()
	}
	_ = func() int {
		return finding()
	}
}

func afterCovered() {
	_ = finding() // want "call of finding"
}

// A directive in a function's body covers lines, not the function.
func bodyDirective() {
	//ffivet:ignore findcall only the next line
	_ = finding()
	_ = finding() // want "call of finding"
}

func malformed() {
	// want +1 `malformed //ffivet:ignore directive: say why the finding is wrong: //ffivet:ignore findcall REASON`
	//ffivet:ignore findcall
	_ = finding()

	// want +1 "no space after the slashes"
	// ffivet:ignore findcall with a space
	_ = finding()

	// want +1 "empty name"
	//ffivet:ignore findcall, reason
	_ = finding()

	// Not reported by findcall: it does not name findcall.
	//ffivet:ignore othercheck
	_ = finding() // want "call of finding"

	//ffivet:ignore
	_ = finding() // want "call of finding"
}
