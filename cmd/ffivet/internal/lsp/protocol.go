package lsp

// The subset of the Language Server Protocol (3.17) that the server
// speaks, with the protocol's own names. Fields the server does not read
// are left out: encoding/json ignores them in what clients send.

// Method names.
const (
	methodInitialize         = "initialize"
	methodInitialized        = "initialized"
	methodShutdown           = "shutdown"
	methodExit               = "exit"
	methodDidOpen            = "textDocument/didOpen"
	methodDidChange          = "textDocument/didChange"
	methodDidSave            = "textDocument/didSave"
	methodDidClose           = "textDocument/didClose"
	methodCodeAction         = "textDocument/codeAction"
	methodPublishDiagnostics = "textDocument/publishDiagnostics"
	methodLogMessage         = "window/logMessage"
)

// Error codes beyond JSON-RPC's own.
const (
	codeServerNotInitialized = -32002
	codeInvalidRequest       = -32600
)

// Position encodings.
const (
	encodingUTF8  = "utf-8"
	encodingUTF16 = "utf-16"
)

type initializeParams struct {
	Capabilities struct {
		General struct {
			PositionEncodings []string `json:"positionEncodings"`
		} `json:"general"`
	} `json:"capabilities"`
}

type initializeResult struct {
	Capabilities serverCapabilities `json:"capabilities"`
	ServerInfo   serverInfo         `json:"serverInfo"`
}

type serverInfo struct {
	Name    string `json:"name"`
	Version string `json:"version,omitempty"`
}

type serverCapabilities struct {
	PositionEncoding   string                  `json:"positionEncoding"`
	TextDocumentSync   textDocumentSyncOptions `json:"textDocumentSync"`
	CodeActionProvider codeActionOptions       `json:"codeActionProvider"`
}

// Values of textDocumentSyncOptions.Change.
const syncFull = 1

type textDocumentSyncOptions struct {
	OpenClose bool        `json:"openClose"`
	Change    int         `json:"change"`
	Save      saveOptions `json:"save"`
}

type saveOptions struct {
	IncludeText bool `json:"includeText"`
}

type codeActionOptions struct {
	CodeActionKinds []string `json:"codeActionKinds"`
}

const kindQuickFix = "quickfix"

type textDocumentIdentifier struct {
	URI string `json:"uri"`
}

type textDocumentItem struct {
	URI        string `json:"uri"`
	LanguageID string `json:"languageId"`
	Version    int32  `json:"version"`
	Text       string `json:"text"`
}

type versionedTextDocumentIdentifier struct {
	URI     string `json:"uri"`
	Version int32  `json:"version"`
}

type didOpenParams struct {
	TextDocument textDocumentItem `json:"textDocument"`
}

type didChangeParams struct {
	TextDocument   versionedTextDocumentIdentifier `json:"textDocument"`
	ContentChanges []contentChange                 `json:"contentChanges"`
}

// A contentChange replaces the whole document when Range is nil, as
// syncFull asks of clients.
type contentChange struct {
	Range *rng   `json:"range,omitempty"`
	Text  string `json:"text"`
}

type didSaveParams struct {
	TextDocument textDocumentIdentifier `json:"textDocument"`
}

type didCloseParams struct {
	TextDocument textDocumentIdentifier `json:"textDocument"`
}

// A position is zero-based; Character counts units of the negotiated
// position encoding.
type position struct {
	Line      uint32 `json:"line"`
	Character uint32 `json:"character"`
}

func (p position) before(q position) bool {
	return p.Line < q.Line || p.Line == q.Line && p.Character < q.Character
}

type rng struct {
	Start position `json:"start"`
	End   position `json:"end"`
}

// intersects reports whether r and s share a position, ends included:
// an empty range such as a cursor touches a diagnostic it is at either
// end of.
func (r rng) intersects(s rng) bool {
	return !r.End.before(s.Start) && !s.End.before(r.Start)
}

type location struct {
	URI   string `json:"uri"`
	Range rng    `json:"range"`
}

// Values of diagnostic.Severity.
const severityWarning = 2

type diagnostic struct {
	Range              rng                  `json:"range"`
	Severity           int                  `json:"severity,omitempty"`
	Code               string               `json:"code,omitempty"`
	CodeDescription    *codeDescription     `json:"codeDescription,omitempty"`
	Source             string               `json:"source,omitempty"`
	Message            string               `json:"message"`
	RelatedInformation []relatedInformation `json:"relatedInformation,omitempty"`
}

type codeDescription struct {
	Href string `json:"href"`
}

type relatedInformation struct {
	Location location `json:"location"`
	Message  string   `json:"message"`
}

type publishDiagnosticsParams struct {
	URI         string       `json:"uri"`
	Diagnostics []diagnostic `json:"diagnostics"`
}

type codeActionParams struct {
	TextDocument textDocumentIdentifier `json:"textDocument"`
	Range        rng                    `json:"range"`
	Context      codeActionContext      `json:"context"`
}

type codeActionContext struct {
	Diagnostics []diagnostic `json:"diagnostics"`
	Only        []string     `json:"only,omitempty"`
}

type codeAction struct {
	Title       string        `json:"title"`
	Kind        string        `json:"kind"`
	Diagnostics []diagnostic  `json:"diagnostics,omitempty"`
	IsPreferred bool          `json:"isPreferred,omitempty"`
	Edit        workspaceEdit `json:"edit"`
}

type workspaceEdit struct {
	Changes map[string][]textEdit `json:"changes"`
}

type textEdit struct {
	Range   rng    `json:"range"`
	NewText string `json:"newText"`
}

// Values of logMessageParams.Type.
const (
	messageWarning = 2
	messageInfo    = 3
	messageLog     = 4
)

type logMessageParams struct {
	Type    int    `json:"type"`
	Message string `json:"message"`
}
