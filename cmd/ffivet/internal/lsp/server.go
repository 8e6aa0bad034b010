package lsp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/token"
	"io"
	"log"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/sourcegraph/jsonrpc2"
	"golang.org/x/tools/go/analysis"

	"github.com/ffivet/ffivet/cmd/ffivet/internal/report"
)

// A Finding is one diagnostic of a check, with the file set its
// positions belong to.
type Finding struct {
	Check      *analysis.Analyzer
	Fset       *token.FileSet
	Diagnostic analysis.Diagnostic
}

// A Checker runs the checks on the package in dir, its tests included,
// as the command does, and returns the findings. It writes what the
// user should know about the run, such as load errors, to log. It
// should return promptly with ctx's error once ctx is cancelled.
type Checker func(ctx context.Context, dir string, log io.Writer) ([]Finding, error)

// Options configure a server.
type Options struct {
	Check   Checker
	Version string    // reported to the client as the server's version
	Log     io.Writer // the server's own troubles, for its operator; nil discards them
}

// ErrNoShutdown is returned by [Serve] when the client ended the session
// without the shutdown request that the protocol asks for first.
var ErrNoShutdown = errors.New("the client ended the session without a shutdown request")

// Serve serves the protocol on stream until the client sends the exit
// notification or closes the stream, or ctx is cancelled. It returns nil
// if the client asked for shutdown before it left.
func Serve(ctx context.Context, stream io.ReadWriteCloser, opts Options) error {
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s := &server{
		opts:     opts,
		ctx:      ctx,
		encoding: encodingUTF16,
		docs:     make(map[string]*document),
		runs:     make(map[string]*run),
		results:  make(map[string]*result),
	}
	logger := log.New(opts.Log, "ffivet lsp: ", 0)
	conn := jsonrpc2.NewConn(ctx, jsonrpc2.NewBufferedStream(stream, jsonrpc2.VSCodeObjectCodec{}), s, jsonrpc2.SetLogger(logger))
	<-conn.DisconnectNotify()

	s.mu.Lock()
	s.done = true
	s.cancelRunsLocked()
	shutdown := s.shutdown
	s.mu.Unlock()
	s.wg.Wait()
	if !shutdown {
		return ErrNoShutdown
	}
	return nil
}

type server struct {
	opts     Options
	ctx      context.Context // cancelled when the session ends
	encoding string          // set by initialize, before any run starts

	// conn is set by the first message, before anything uses it:
	// NewConn starts reading before it returns the connection.
	conn     *jsonrpc2.Conn
	connOnce sync.Once

	// initialized is read and written only by Handle, which the
	// connection calls for one message at a time.
	initialized bool

	mu       sync.Mutex
	shutdown bool                 // the client asked for shutdown
	done     bool                 // the session is over: no run may start
	docs     map[string]*document // open documents, by file key
	runs     map[string]*run      // runs in flight, by package directory
	results  map[string]*result   // the last published results, by package directory

	// publishMu orders the publication of results, so that those of
	// an older run never overwrite a newer one's in the editor.
	publishMu sync.Mutex
	wg        sync.WaitGroup // runs in flight
}

// A document is a file open in the editor.
type document struct {
	uri  string
	text []byte
	// known is false once the client sent a change the server cannot
	// follow; no fix is offered for the file until it is opened again.
	known bool
}

// A run is one check of a package in flight.
type run struct {
	cancel context.CancelFunc
}

// A result is what a completed run found, in the protocol's terms.
type result struct {
	files map[string]*fileResult // by file key
}

type fileResult struct {
	uri     string
	entries []*entry
}

// An entry is one published diagnostic with its fixes.
type entry struct {
	diag  diagnostic
	fixes []fix
}

// A fix is a suggested fix resolved to edits of the user's files.
type fix struct {
	title string
	edits map[string][]textEdit // by URI
	basis map[string][]byte     // by file name: the content the edits apply to
}

// Handle implements jsonrpc2.Handler. The connection calls it for one
// message at a time, in order, so notifications such as didOpen and
// didSave take effect in the order the client sent them.
func (s *server) Handle(ctx context.Context, conn *jsonrpc2.Conn, req *jsonrpc2.Request) {
	s.connOnce.Do(func() { s.conn = conn })
	res, err := s.handle(req)
	if req.Notif {
		if err != nil {
			s.logf(messageWarning, "%s: %v", req.Method, err)
		}
		return
	}
	if err != nil {
		rpcErr, ok := errors.AsType[*jsonrpc2.Error](err)
		if !ok {
			rpcErr = &jsonrpc2.Error{Code: jsonrpc2.CodeInternalError, Message: err.Error()}
		}
		err = conn.ReplyWithError(ctx, req.ID, rpcErr)
	} else {
		err = conn.Reply(ctx, req.ID, res)
	}
	if err != nil && !errors.Is(err, jsonrpc2.ErrClosed) {
		fmt.Fprintf(s.opts.Log, "ffivet lsp: replying to %s: %v\n", req.Method, err)
	}
}

func (s *server) handle(req *jsonrpc2.Request) (any, error) {
	if req.Method == methodExit {
		s.conn.Close()
		return nil, nil
	}
	if !s.initialized && req.Method != methodInitialize {
		if req.Notif {
			return nil, nil // the protocol says to drop them
		}
		return nil, &jsonrpc2.Error{Code: codeServerNotInitialized, Message: "the server has not been initialized"}
	}
	s.mu.Lock()
	shutdown := s.shutdown
	s.mu.Unlock()
	if shutdown {
		if req.Notif {
			return nil, nil
		}
		return nil, &jsonrpc2.Error{Code: codeInvalidRequest, Message: "the server is shutting down"}
	}

	switch req.Method {
	case methodInitialize:
		var params initializeParams
		if err := unmarshal(req, &params); err != nil {
			return nil, err
		}
		return s.initialize(params)
	case methodInitialized:
		return nil, nil
	case methodShutdown:
		s.mu.Lock()
		s.shutdown = true
		s.cancelRunsLocked()
		s.mu.Unlock()
		s.wg.Wait()
		return nil, nil
	case methodDidOpen:
		var params didOpenParams
		if err := unmarshal(req, &params); err != nil {
			return nil, err
		}
		return nil, s.didOpen(params)
	case methodDidChange:
		var params didChangeParams
		if err := unmarshal(req, &params); err != nil {
			return nil, err
		}
		return nil, s.didChange(params)
	case methodDidSave:
		var params didSaveParams
		if err := unmarshal(req, &params); err != nil {
			return nil, err
		}
		return nil, s.didSave(params)
	case methodDidClose:
		var params didCloseParams
		if err := unmarshal(req, &params); err != nil {
			return nil, err
		}
		return nil, s.didClose(params)
	case methodCodeAction:
		var params codeActionParams
		if err := unmarshal(req, &params); err != nil {
			return nil, err
		}
		return s.codeAction(params)
	}
	if req.Notif {
		return nil, nil // such as $/cancelRequest: nothing here runs long enough to cancel
	}
	return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeMethodNotFound, Message: "method not supported: " + req.Method}
}

func unmarshal(req *jsonrpc2.Request, v any) error {
	if req.Params == nil {
		return &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidParams, Message: req.Method + ": no parameters"}
	}
	if err := json.Unmarshal(*req.Params, v); err != nil {
		return &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidParams, Message: req.Method + ": " + err.Error()}
	}
	return nil
}

func (s *server) initialize(params initializeParams) (any, error) {
	if s.initialized {
		return nil, &jsonrpc2.Error{Code: codeInvalidRequest, Message: "initialize was already sent"}
	}
	s.initialized = true
	if slices.Contains(params.Capabilities.General.PositionEncodings, encodingUTF8) {
		s.encoding = encodingUTF8 // saves converting columns
	}
	return initializeResult{
		Capabilities: serverCapabilities{
			PositionEncoding: s.encoding,
			TextDocumentSync: textDocumentSyncOptions{
				OpenClose: true,
				// The server does not analyze unsaved text, but
				// it follows it to withhold fixes computed for
				// other text.
				Change: syncFull,
				Save:   saveOptions{IncludeText: false},
			},
			CodeActionProvider: codeActionOptions{CodeActionKinds: []string{kindQuickFix}},
		},
		ServerInfo: serverInfo{Name: "ffivet", Version: s.opts.Version},
	}, nil
}

func (s *server) didOpen(params didOpenParams) error {
	name, err := filename(params.TextDocument.URI)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.docs[fileKey(name)] = &document{uri: params.TextDocument.URI, text: []byte(params.TextDocument.Text), known: true}
	s.mu.Unlock()
	if checked(name) {
		s.start(filepath.Dir(name))
	}
	return nil
}

func (s *server) didChange(params didChangeParams) error {
	name, err := filename(params.TextDocument.URI)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	doc := s.docs[fileKey(name)]
	if doc == nil {
		return nil
	}
	for _, c := range params.ContentChanges {
		if c.Range != nil {
			doc.known = false
			continue
		}
		doc.text, doc.known = []byte(c.Text), true
	}
	return nil
}

func (s *server) didSave(params didSaveParams) error {
	name, err := filename(params.TextDocument.URI)
	if err != nil {
		return err
	}
	if checked(name) {
		s.start(filepath.Dir(name))
	}
	return nil
}

// didClose forgets the document but keeps its diagnostics: they are
// still true of the package.
func (s *server) didClose(params didCloseParams) error {
	name, err := filename(params.TextDocument.URI)
	if err != nil {
		return err
	}
	s.mu.Lock()
	delete(s.docs, fileKey(name))
	s.mu.Unlock()
	return nil
}

// checked reports whether a change to the named file can change the
// findings of its package: Go files, and the C files cgo compiles with
// them.
func checked(name string) bool {
	switch filepath.Ext(name) {
	case ".go", ".c", ".h":
		return true
	}
	return false
}

// fileKey returns the name under which a file is known, the same for
// every path to it, so that the editor's name for a file and the go
// command's agree even through symbolic links.
func fileKey(name string) string {
	if resolved, err := filepath.EvalSymlinks(name); err == nil {
		return resolved
	}
	return filepath.Clean(name)
}

// start checks the package in dir, cancelling a check of it in flight.
func (s *server) start(dir string) {
	ctx, cancel := context.WithCancel(s.ctx)
	r := &run{cancel: cancel}
	s.mu.Lock()
	if s.shutdown || s.done {
		s.mu.Unlock()
		cancel()
		return
	}
	if old := s.runs[dir]; old != nil {
		old.cancel()
	}
	s.runs[dir] = r
	s.wg.Add(1)
	s.mu.Unlock()

	go func() {
		defer s.wg.Done()
		defer cancel()
		var logs bytes.Buffer
		findings, err := s.opts.Check(ctx, dir, &logs)
		var res *result
		if ctx.Err() == nil {
			if err != nil {
				// Whatever was published is no longer known
				// to be true: clear it.
				fmt.Fprintf(&logs, "ffivet: cannot check %s: %v\n", dir, err)
				res = &result{files: make(map[string]*fileResult)}
			} else {
				res = s.resolve(findings, &logs)
			}
		}
		if ctx.Err() != nil || !s.publish(dir, r, res) {
			s.logf(messageLog, "the check of %s was cancelled and its results discarded", dir)
			return
		}
		if logs.Len() > 0 {
			s.log(messageWarning, strings.TrimSpace(logs.String()))
		}
	}()
}

func (s *server) cancelRunsLocked() {
	for dir, r := range s.runs {
		r.cancel()
		delete(s.runs, dir)
	}
}

// publish replaces the results of the package in dir with res, if r is
// still its latest run, and sends them to the client: the diagnostics of
// every file with findings, and an empty list for every file that had
// findings and has none now.
func (s *server) publish(dir string, r *run, res *result) bool {
	s.publishMu.Lock()
	defer s.publishMu.Unlock()

	s.mu.Lock()
	if s.runs[dir] != r {
		s.mu.Unlock()
		return false
	}
	delete(s.runs, dir)
	var old map[string]*fileResult
	if prev := s.results[dir]; prev != nil {
		old = prev.files
	}
	s.results[dir] = res
	s.mu.Unlock()

	for _, key := range slices.Sorted(maps.Keys(old)) {
		if res.files[key] == nil {
			s.notify(methodPublishDiagnostics, publishDiagnosticsParams{URI: old[key].uri, Diagnostics: []diagnostic{}})
		}
	}
	for _, key := range slices.Sorted(maps.Keys(res.files)) {
		f := res.files[key]
		diags := make([]diagnostic, len(f.entries))
		for i, e := range f.entries {
			diags[i] = e.diag
		}
		s.notify(methodPublishDiagnostics, publishDiagnosticsParams{URI: f.uri, Diagnostics: diags})
	}
	return true
}

// resolve turns findings into diagnostics and fixes in the user's files.
// Files are read once, here, so that every position and edit of a run
// refers to the same content.
func (s *server) resolve(findings []Finding, logs io.Writer) *result {
	srcs := report.NewSources(nil)
	texts := make(map[string]*text)
	textOf := func(name string) *text {
		t, ok := texts[name]
		if !ok {
			if content, err := srcs.Content(name); err == nil {
				t = newText(content)
			}
			texts[name] = t
		}
		return t
	}
	// span returns the range from pos to end, or over the name at pos
	// when end is missing or the same place.
	span := func(fset *token.FileSet, pos, end token.Pos) (string, rng, bool) {
		p := report.Position(fset, pos)
		t := textOf(p.Filename)
		if !p.IsValid() || t == nil {
			return "", rng{}, false
		}
		r := rng{Start: t.fromGo(p.Line, p.Column, s.encoding)}
		r.End = r.Start
		if end.IsValid() {
			if e := report.Position(fset, end); e.Filename == p.Filename {
				r.End = t.fromGo(e.Line, e.Column, s.encoding)
			}
		}
		if !r.Start.before(r.End) {
			r.End = t.wordEnd(r.Start, s.encoding)
		}
		return p.Filename, r, true
	}

	res := &result{files: make(map[string]*fileResult)}
	for _, f := range findings {
		d := f.Diagnostic
		name, r, ok := span(f.Fset, d.Pos, d.End)
		if !ok {
			fmt.Fprintf(logs, "ffivet: %s: %s: cannot place the finding in a file: %s\n", f.Check.Name, report.Position(f.Fset, d.Pos), d.Message)
			continue
		}
		e := &entry{diag: diagnostic{
			Range:    r,
			Severity: severityWarning,
			Code:     f.Check.Name,
			Source:   "ffivet",
			Message:  d.Message,
		}}
		if f.Check.URL != "" {
			e.diag.CodeDescription = &codeDescription{Href: f.Check.URL}
		}
		for _, rel := range d.Related {
			if relName, relRange, ok := span(f.Fset, rel.Pos, rel.End); ok {
				e.diag.RelatedInformation = append(e.diag.RelatedInformation, relatedInformation{
					Location: location{URI: s.uri(relName), Range: relRange},
					Message:  rel.Message,
				})
			}
		}
		for _, sf := range d.SuggestedFixes {
			fx, err := s.resolveFix(srcs, textOf, f.Fset, sf)
			if err != nil {
				fmt.Fprintf(logs, "ffivet: %s:%d: fix %q not offered: %v\n", name, r.Start.Line+1, sf.Message, err)
				continue
			}
			e.fixes = append(e.fixes, fx)
		}

		key := fileKey(name)
		fr := res.files[key]
		if fr == nil {
			fr = &fileResult{uri: s.uri(name)}
			res.files[key] = fr
		}
		fr.entries = append(fr.entries, e)
	}
	return res
}

// resolveFix maps a suggested fix to edits of the user's files, as -fix
// does, and refuses it if applying it would leave a file that does not
// parse.
func (s *server) resolveFix(srcs *report.Sources, textOf func(string) *text, fset *token.FileSet, sf analysis.SuggestedFix) (fix, error) {
	resolved, err := srcs.ResolveFix(fset, sf)
	if err != nil {
		return fix{}, err
	}
	if _, errs := srcs.Apply([]report.Fix{resolved}); len(errs) > 0 {
		return fix{}, errors.Join(errs...)
	}
	fx := fix{title: resolved.Message, edits: make(map[string][]textEdit), basis: make(map[string][]byte)}
	for _, e := range resolved.Edits {
		t := textOf(e.Filename)
		if t == nil {
			return fix{}, fmt.Errorf("cannot read %s", e.Filename)
		}
		uri := s.uri(e.Filename)
		fx.edits[uri] = append(fx.edits[uri], textEdit{
			Range:   rng{Start: t.fromOffset(e.Start, s.encoding), End: t.fromOffset(e.End, s.encoding)},
			NewText: e.New,
		})
		fx.basis[e.Filename] = t.content
	}
	return fx, nil
}

// uri returns the URI of the named file: the client's own if the file is
// open, since clients compare URIs as strings and spell them variously.
func (s *server) uri(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if doc := s.docs[fileKey(name)]; doc != nil {
		return doc.uri
	}
	return fileURI(name)
}

// codeAction offers the fixes of the diagnostics in the given range, or
// among those the client lists in its context.
func (s *server) codeAction(params codeActionParams) ([]codeAction, error) {
	actions := []codeAction{}
	if len(params.Context.Only) > 0 && !slices.ContainsFunc(params.Context.Only, func(kind string) bool {
		return kind == kindQuickFix || strings.HasPrefix(kindQuickFix, kind+".")
	}) {
		return actions, nil
	}
	name, err := filename(params.TextDocument.URI)
	if err != nil {
		return nil, err
	}
	key := fileKey(name)

	s.mu.Lock()
	defer s.mu.Unlock()
	for _, dir := range slices.Sorted(maps.Keys(s.results)) {
		fr := s.results[dir].files[key]
		if fr == nil {
			continue
		}
		for _, e := range fr.entries {
			if !e.diag.Range.intersects(params.Range) && !slices.ContainsFunc(params.Context.Diagnostics, e.diag.same) {
				continue
			}
			for _, fx := range e.fixes {
				if !s.currentLocked(fx) {
					continue
				}
				actions = append(actions, codeAction{
					Title:       fx.title,
					Kind:        kindQuickFix,
					Diagnostics: []diagnostic{e.diag},
					IsPreferred: len(e.fixes) == 1,
					Edit:        workspaceEdit{Changes: fx.edits},
				})
			}
		}
	}
	return actions, nil
}

// currentLocked reports whether every file fx edits still holds the
// content its edits were computed for: in the editor if open there, on
// disk otherwise.
func (s *server) currentLocked(fx fix) bool {
	for name, basis := range fx.basis {
		if doc := s.docs[fileKey(name)]; doc != nil {
			if !doc.known || !bytes.Equal(doc.text, basis) {
				return false
			}
			continue
		}
		content, err := os.ReadFile(name)
		if err != nil || !bytes.Equal(content, basis) {
			return false
		}
	}
	return true
}

// same reports whether d, as a client sent it back, is e.
func (e diagnostic) same(d diagnostic) bool {
	return d.Source == e.Source && d.Message == e.Message && d.Range == e.Range
}

func (s *server) notify(method string, params any) {
	if err := s.conn.Notify(s.ctx, method, params); err != nil && !errors.Is(err, jsonrpc2.ErrClosed) {
		fmt.Fprintf(s.opts.Log, "ffivet lsp: %s: %v\n", method, err)
	}
}

// log sends a message to the client's log.
func (s *server) log(typ int, message string) {
	s.notify(methodLogMessage, logMessageParams{Type: typ, Message: message})
}

// logf sends a message of the server's own to the client's log.
func (s *server) logf(typ int, format string, args ...any) {
	s.log(typ, "ffivet: "+fmt.Sprintf(format, args...))
}
