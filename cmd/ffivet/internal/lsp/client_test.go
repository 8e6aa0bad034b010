package lsp

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sourcegraph/jsonrpc2"
)

// timeout bounds every wait of the tests: a check of a cgo package takes
// seconds, and a race detector build several times longer.
const timeout = 2 * time.Minute

// A testClient is the editor's end of a session.
type testClient struct {
	t     *testing.T
	conn  *jsonrpc2.Conn
	notes chan *jsonrpc2.Request
	logs  []string // the messages of window/logMessage received so far
}

func newTestClient(t *testing.T, stream io.ReadWriteCloser) *testClient {
	c := &testClient{t: t, notes: make(chan *jsonrpc2.Request, 1000)}
	c.conn = jsonrpc2.NewConn(context.Background(), jsonrpc2.NewBufferedStream(stream, jsonrpc2.VSCodeObjectCodec{}), c)
	t.Cleanup(func() { c.conn.Close() })
	return c
}

// Handle queues the server's notifications; the server sends no request.
func (c *testClient) Handle(ctx context.Context, conn *jsonrpc2.Conn, req *jsonrpc2.Request) {
	if req.Notif {
		c.notes <- req
		return
	}
	conn.ReplyWithError(ctx, req.ID, &jsonrpc2.Error{Code: jsonrpc2.CodeMethodNotFound, Message: req.Method})
}

// startServer runs Serve in-process with check and returns a client
// connected to it, and a function that waits for Serve to return and
// returns its result.
func startServer(t *testing.T, check Checker) (*testClient, func() error) {
	clientEnd, serverEnd := net.Pipe()
	finished := make(chan struct{})
	var err error
	go func() {
		err = Serve(context.Background(), serverEnd, Options{Check: check, Version: "test"})
		close(finished)
	}()
	t.Cleanup(func() {
		clientEnd.Close()
		<-finished
	})
	wait := func() error {
		select {
		case <-finished:
		case <-time.After(timeout):
			t.Fatalf("Serve did not return in %v", timeout)
		}
		return err
	}
	return newTestClient(t, clientEnd), wait
}

func (c *testClient) call(method string, params, result any) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return c.conn.Call(ctx, method, params, result)
}

func (c *testClient) notify(method string, params any) {
	c.t.Helper()
	if err := c.conn.Notify(context.Background(), method, params); err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
}

// initialize starts the session, with the given position encodings
// offered.
func (c *testClient) initialize(encodings ...string) initializeResult {
	c.t.Helper()
	params := map[string]any{
		"processId":    nil,
		"rootUri":      nil,
		"capabilities": map[string]any{"general": map[string]any{"positionEncodings": encodings}},
	}
	var res initializeResult
	if err := c.call(methodInitialize, params, &res); err != nil {
		c.t.Fatalf("initialize: %v", err)
	}
	c.notify(methodInitialized, map[string]any{})
	return res
}

func (c *testClient) open(uri, content string) {
	c.t.Helper()
	c.notify(methodDidOpen, didOpenParams{TextDocument: textDocumentItem{URI: uri, LanguageID: "go", Version: 1, Text: content}})
}

func (c *testClient) save(uri string) {
	c.t.Helper()
	c.notify(methodDidSave, didSaveParams{TextDocument: textDocumentIdentifier{URI: uri}})
}

func (c *testClient) codeActions(uri string, r rng) []codeAction {
	c.t.Helper()
	var actions []codeAction
	params := codeActionParams{TextDocument: textDocumentIdentifier{URI: uri}, Range: r, Context: codeActionContext{Diagnostics: []diagnostic{}}}
	if err := c.call(methodCodeAction, params, &actions); err != nil {
		c.t.Fatalf("codeAction: %v", err)
	}
	return actions
}

// next returns the next notification, recording log messages.
func (c *testClient) next() *jsonrpc2.Request {
	c.t.Helper()
	select {
	case req := <-c.notes:
		if req.Method == methodLogMessage {
			var params logMessageParams
			if err := json.Unmarshal(*req.Params, &params); err != nil {
				c.t.Fatal(err)
			}
			c.t.Logf("server log: %s", params.Message)
			c.logs = append(c.logs, params.Message)
		}
		return req
	case <-time.After(timeout):
		c.t.Fatalf("no notification from the server in %v", timeout)
		return nil
	}
}

// waitPublish waits until diagnostics were published for each of uris
// and returns the last list received for each file.
func (c *testClient) waitPublish(uris ...string) map[string][]diagnostic {
	c.t.Helper()
	got := make(map[string][]diagnostic)
	for !allIn(uris, got) {
		req := c.next()
		if req.Method != methodPublishDiagnostics {
			continue
		}
		var params publishDiagnosticsParams
		if err := json.Unmarshal(*req.Params, &params); err != nil {
			c.t.Fatal(err)
		}
		if params.Diagnostics == nil {
			c.t.Errorf("diagnostics of %s published as null, not a list", params.URI)
		}
		if !slices.Contains(uris, params.URI) {
			c.t.Logf("diagnostics published for %s, not awaited", params.URI)
		}
		got[params.URI] = params.Diagnostics
	}
	return got
}

func allIn(keys []string, m map[string][]diagnostic) bool {
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			return false
		}
	}
	return true
}

// waitLog waits for a log message containing substr.
func (c *testClient) waitLog(substr string) {
	c.t.Helper()
	for !slices.ContainsFunc(c.logs, func(m string) bool { return strings.Contains(m, substr) }) {
		c.next()
	}
}

// shutdown asks the server to shut down, returning the notifications
// that arrived before its answer.
func (c *testClient) shutdown() []*jsonrpc2.Request {
	c.t.Helper()
	if err := c.call(methodShutdown, nil, nil); err != nil {
		c.t.Fatalf("shutdown: %v", err)
	}
	// The answer comes after every notification the server sent
	// before it, and the client queued those as they came.
	var before []*jsonrpc2.Request
	for len(c.notes) > 0 {
		before = append(before, c.next())
	}
	return before
}

// rpcCode returns the JSON-RPC error code of err, or 0.
func rpcCode(err error) int64 {
	if e, ok := errors.AsType[*jsonrpc2.Error](err); ok {
		return e.Code
	}
	return 0
}

// applyEdits applies a code action's edits of one file to its content,
// as an editor does, with positions in encoding.
func applyEdits(t *testing.T, content string, edits []textEdit, encoding string) string {
	t.Helper()
	tx := newText([]byte(content))
	offset := func(p position) int {
		l := tx.line(int(p.Line))
		col, n := 0, 0
		for col < len(l) && n < int(p.Character) {
			size := len(string([]rune(string(l[col:]))[0]))
			n += units(l[col:col+size], encoding)
			col += size
		}
		return tx.lines[p.Line] + col
	}
	edits = slices.Clone(edits)
	slices.SortFunc(edits, func(a, b textEdit) int { return offset(b.Range.Start) - offset(a.Range.Start) })
	for _, e := range edits {
		start, end := offset(e.Range.Start), offset(e.Range.End)
		content = content[:start] + e.NewText + content[end:]
	}
	return content
}
