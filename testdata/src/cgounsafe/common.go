// Package cgounsafe is the test corpus of the cgounsafe check: views of
// C memory bounded by an array type, and C strings whose length is
// known. Each file covers one kind of finding, with the buggy cases
// (marked by want comments) next to the correct code a naive checker
// would flag.
package cgounsafe
