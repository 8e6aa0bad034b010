// Package report carries analysis results back to the files the user
// wrote.
//
// The type checker sees a cgo package through files that cmd/cgo
// generated in the Go build cache. Those files carry //line directives
// naming the original .go file, line and column of each token, so a
// position adjusted through them ([Position]) is a place in the user's
// source. Suggested fixes are harder: an analysis.TextEdit is a pair of
// token.Pos in the generated file, whose byte offsets mean nothing in the
// original. [Sources.ResolveFix] maps each end of an edit through the
// //line directives to a line and column of the original file, and turns
// that into a byte offset by reading the file from disk; [Sources.Apply]
// then applies the resolved fixes, skipping those that conflict and
// refusing results that no longer parse.
//
// The package is shared by every ffivet front end (the command, the
// golangci-lint plugin, the language server) so that all of them report
// the same positions and make the same edits.
package report
