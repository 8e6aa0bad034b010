// Package cgopointer is the test corpus of the cgopointer check: Go
// pointers crossing into C. Each file covers one kind of finding, with
// the buggy cases (marked by want comments) next to the correct code a
// naive checker would flag. The C side is helpers.h and helpers.c plus
// each file's preamble.
//
// The cases named in runtime_test.go are also built into a program and
// run, to show that cgo's run-time check panics on them.
package cgopointer

import "errors"

var errEmpty = errors.New("empty input")
