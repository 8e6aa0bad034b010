// Package lsp serves ffivet's findings to editors over the Language
// Server Protocol, as "ffivet lsp".
//
// gopls runs analyzers only from its own fixed set and has no plugin
// interface, so ffivet runs as a second language server beside it. The
// server is deliberately small: it keeps no model of the workspace and
// does not type-check edits as they are typed. When a Go file is opened
// or saved it runs the checks on that file's package, through a
// [Checker] the command supplies so that the editor sees exactly what
// the command line reports, and publishes the findings of every file of
// the package, with empty lists for files whose findings are gone.
//
// Positions are those of the user's files even for cgo files, which the
// analysis sees as files that cmd/cgo generated: they are mapped through
// the //line directives as package report does for the command, and
// suggested fixes become quick-fix code actions whose edits are resolved
// the same way, so they change the .go file the user is editing. A fix is
// offered only while the editor's copy of each file it edits is the text
// it was computed from; after an unsaved edit, saving brings it back.
//
// A save while the package is still being checked cancels that check and
// discards its results: loading stops at once, and an analysis already
// under way, which cannot be interrupted, finishes unseen.
package lsp
