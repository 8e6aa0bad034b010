package lsp

import "testing"

func TestFileURIRoundTrip(t *testing.T) {
	for _, name := range []string{"/src/p/p.go", "/home/a b/c#d%e/ü.go"} {
		uri := fileURI(name)
		got, err := filename(uri)
		if err != nil || got != name {
			t.Errorf("filename(fileURI(%q)) = %q, %v; URI %s", name, got, err, uri)
		}
	}
	// Clients escape more than Go does.
	if got, err := filename("file:///home/a%20b/x%2Ego"); err != nil || got != "/home/a b/x.go" {
		t.Errorf("filename of an escaped URI = %q, %v", got, err)
	}
	if _, err := filename("untitled:Untitled-1"); err == nil {
		t.Errorf("filename of an untitled: URI succeeded")
	}
}

func TestPositions(t *testing.T) {
	tx := newText([]byte("package p\n\tx := a😀.b(C.CString)\n"))
	for _, test := range []struct {
		line, column int
		encoding     string
		want         position
	}{
		{2, 2, encodingUTF16, position{1, 1}},
		{2, 12, encodingUTF8, position{1, 11}}, // after the emoji: 4 bytes
		{2, 12, encodingUTF16, position{1, 9}}, // 2 units
		{2, 0, encodingUTF16, position{1, 0}},  // no column
		{2, 99, encodingUTF8, position{1, 24}},
	} {
		if got := tx.fromGo(test.line, test.column, test.encoding); got != test.want {
			t.Errorf("fromGo(%d, %d, %s) = %v, want %v", test.line, test.column, test.encoding, got, test.want)
		}
	}
	if got := tx.fromOffset(len("package p\n\tx"), encodingUTF16); got != (position{1, 2}) {
		t.Errorf("fromOffset = %v, want 1:2", got)
	}

	// wordEnd spans qualified names, not calls or trailing dots.
	for _, test := range []struct {
		start, want uint32
	}{
		{1, 2},   // x
		{6, 11},  // a😀.b: 1 + 2 + 1 + 1 units
		{12, 21}, // C.CString
		{3, 3},   // ":=": no name
	} {
		if got := tx.wordEnd(position{1, test.start}, encodingUTF16); got != (position{1, test.want}) {
			t.Errorf("wordEnd at 2:%d = %v, want 2:%d", test.start, got, test.want)
		}
	}
}
