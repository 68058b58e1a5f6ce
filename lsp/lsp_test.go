package lsp

import (
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sourcegraph/jsonrpc2"
)

// client is an editor in a test: it speaks JSON-RPC to a server over a
// pipe and keeps the latest diagnostics published for each file.
type client struct {
	t    *testing.T
	conn *jsonrpc2.Conn
	root string

	mu    sync.Mutex
	diags map[string][]Diagnostic
	seen  map[string]int
}

// startClient copies testdata/ws into a temporary folder (tests edit it),
// starts a server on it and initializes the session.
func startClient(t *testing.T) *client {
	t.Helper()
	root := t.TempDir()
	if err := os.CopyFS(root, os.DirFS("testdata/ws")); err != nil {
		t.Fatal(err)
	}
	root = filepath.ToSlash(root)
	ctx, cancel := context.WithCancel(context.Background())
	a, b := net.Pipe()
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, a, Options{}) }()
	c := &client{t: t, root: root, diags: map[string][]Diagnostic{}, seen: map[string]int{}}
	c.conn = jsonrpc2.NewConn(ctx, jsonrpc2.NewBufferedStream(b, jsonrpc2.VSCodeObjectCodec{}), jsonrpc2.HandlerWithError(
		func(_ context.Context, _ *jsonrpc2.Conn, req *jsonrpc2.Request) (any, error) {
			if req.Method == "textDocument/publishDiagnostics" {
				var p PublishDiagnosticsParams
				if err := json.Unmarshal(*req.Params, &p); err != nil {
					t.Errorf("publishDiagnostics: %v", err)
				}
				c.mu.Lock()
				c.diags[uriToPath(p.URI)] = p.Diagnostics
				c.seen[uriToPath(p.URI)]++
				c.mu.Unlock()
			}
			return nil, nil
		}))
	t.Cleanup(func() {
		_ = c.conn.Call(context.Background(), "shutdown", nil, nil)
		_ = c.conn.Notify(context.Background(), "exit", nil)
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Error("the server did not stop after exit")
		}
		cancel()
		c.conn.Close()
	})
	var res struct {
		Capabilities map[string]any `json:"capabilities"`
	}
	c.call("initialize", InitializeParams{RootURI: pathToURI(root)}, &res)
	for _, capability := range []string{"hoverProvider", "definitionProvider", "referencesProvider", "renameProvider", "completionProvider", "documentSymbolProvider", "documentFormattingProvider", "codeActionProvider"} {
		if res.Capabilities[capability] == nil {
			t.Errorf("the server does not announce %s", capability)
		}
	}
	c.notify("initialized", struct{}{})
	return c
}

func (c *client) path(name string) string { return c.root + "/" + name }
func (c *client) uri(name string) string  { return pathToURI(c.path(name)) }

func (c *client) call(method string, params, result any) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := c.conn.Call(ctx, method, params, result); err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
}

func (c *client) notify(method string, params any) {
	c.t.Helper()
	if err := c.conn.Notify(context.Background(), method, params); err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
}

// open opens a file of the workspace with the given text ("" reads it).
func (c *client) open(name, text string) {
	c.t.Helper()
	if text == "" {
		data, err := os.ReadFile(c.path(name))
		if err != nil {
			c.t.Fatal(err)
		}
		text = string(data)
	}
	c.notify("textDocument/didOpen", DidOpenTextDocumentParams{TextDocument: TextDocumentItem{URI: c.uri(name), LanguageID: "evc", Version: 1, Text: text}})
	c.sync()
}

// change replaces a document's whole text.
func (c *client) change(name, text string, version int) {
	c.t.Helper()
	c.notify("textDocument/didChange", DidChangeTextDocumentParams{
		TextDocument:   VersionedTextDocumentIdentifier{URI: c.uri(name), Version: version},
		ContentChanges: []TextDocumentContentChangeEvent{{Text: text}},
	})
	c.sync()
}

// sync waits until the server has handled everything sent so far: it
// handles messages in order, and publishes before it answers the next
// request.
func (c *client) sync() {
	c.t.Helper()
	var out []DocumentSymbol
	c.call("textDocument/documentSymbol", DocumentSymbolParams{TextDocument: TextDocumentIdentifier{URI: c.uri("common.evc")}}, &out)
}

func (c *client) diagnostics(name string) []Diagnostic {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.diags[c.path(name)]
}

// pos finds the n-th (from 0) occurrence of needle in the document's text
// and returns the position of its first byte, plus shift bytes.
func pos(t *testing.T, text, needle string, n, shift int) Position {
	t.Helper()
	off := -1
	from := 0
	for i := 0; i <= n; i++ {
		j := strings.Index(text[from:], needle)
		if j < 0 {
			t.Fatalf("no occurrence %d of %q", n, needle)
		}
		off = from + j
		from = off + 1
	}
	return newLines([]byte(text), false).position(off + shift)
}

func (c *client) text(name string) string {
	data, err := os.ReadFile(c.path(name))
	if err != nil {
		c.t.Fatal(err)
	}
	return string(data)
}

func (c *client) at(name string, p Position) TextDocumentPositionParams {
	return TextDocumentPositionParams{TextDocument: TextDocumentIdentifier{URI: c.uri(name)}, Position: p}
}

func TestLSP_DiagnosticsOnOpenAndChange(t *testing.T) {
	c := startClient(t)
	text := c.text("orders.evc")
	c.open("orders.evc", "")
	if ds := c.diagnostics("orders.evc"); len(ds) != 0 {
		t.Fatalf("a clean file has diagnostics: %+v", ds)
	}

	bad := strings.Replace(text, "total: Money;", "total: Mony;", 1)
	c.change("orders.evc", bad, 2)
	ds := c.diagnostics("orders.evc")
	if len(ds) != 1 {
		t.Fatalf("diagnostics %+v, want one", ds)
	}
	d := ds[0]
	want := Range{Start: pos(t, bad, "Mony", 0, 0), End: pos(t, bad, "Mony", 0, 4)}
	if d.Range != want || d.Severity != SeverityError || d.Source != "evc" ||
		d.Message != "unknown type \"Mony\"\nhelp: did you mean \"Money\"?" {
		t.Errorf("diagnostic %+v, want unknown type \"Mony\" at %+v with its help", d, want)
	}

	// Fixed again: the diagnostics are cleared.
	c.change("orders.evc", text, 3)
	if ds := c.diagnostics("orders.evc"); len(ds) != 0 {
		t.Errorf("after the fix: %+v", ds)
	}
}

// TestLSP_HalfTypedFile: a file in the middle of an edit still gets the
// syntax error, at the place typing stopped, and the other files keep
// working.
func TestLSP_HalfTypedFile(t *testing.T) {
	c := startClient(t)
	half := "namespace shop;\n\nrecord Draft {\n  a: Money;\n  b: \n"
	c.open("draft.evc", half)
	ds := c.diagnostics("draft.evc")
	if len(ds) == 0 {
		t.Fatal("no diagnostics for a half-typed file")
	}
	if ds[0].Severity != SeverityError || ds[0].Range.Start.Line < 4 {
		t.Errorf("first diagnostic %+v: want a syntax error from line 5 on", ds[0])
	}
	var h *Hover
	text := c.text("orders.evc")
	c.call("textDocument/hover", c.at("orders.evc", pos(t, text, "Money", 0, 1)), &h)
	if h == nil || !strings.Contains(h.Contents.Value, "record shop.Money") {
		t.Errorf("hover in another file while one is half-typed: %+v", h)
	}
}

func TestLSP_Hover(t *testing.T) {
	c := startClient(t)
	c.open("orders.evc", "")
	text := c.text("orders.evc")
	for _, tc := range []struct {
		name  string
		at    Position
		wants []string
	}{
		{"type reference", pos(t, text, "Money", 0, 2), []string{"```evc\nrecord shop.Money\n```", "An amount of money.", "compat: BACKWARD"}},
		{"event", pos(t, text, "Order {", 0, 1), []string{"record shop.Order", "Sent when an order is placed.", "CloudEvents type: `com.example.order.placed.v1`"}},
		{"field", pos(t, text, "total", 0, 1), []string{"total: shop.Money", "What the customer pays.", "field of `shop.Order`"}},
		{"field with a default", pos(t, text, "currency:", 0, 0), []string{"currency: shop.Currency = \"USD\""}},
		{"enum", pos(t, text, "Currency", 0, 3), []string{"enum shop.Currency", "default: EUR"}},
		{"topic", pos(t, text, `"orders"`, 0, 2), []string{`topic "orders"`, "key: none", "values: `shop.Order`"}},
	} {
		var h *Hover
		c.call("textDocument/hover", c.at("orders.evc", tc.at), &h)
		if h == nil {
			t.Errorf("%s: no hover", tc.name)
			continue
		}
		for _, w := range tc.wants {
			if !strings.Contains(h.Contents.Value, w) {
				t.Errorf("%s: hover lacks %q:\n%s", tc.name, w, h.Contents.Value)
			}
		}
	}
}

func TestLSP_DefinitionAndReferences(t *testing.T) {
	c := startClient(t)
	c.open("orders.evc", "")
	text, common := c.text("orders.evc"), c.text("common.evc")
	var locs []Location
	c.call("textDocument/definition", c.at("orders.evc", pos(t, text, "Money", 0, 1)), &locs)
	want := Location{URI: c.uri("common.evc"), Range: Range{Start: pos(t, common, "Money {", 0, 0), End: pos(t, common, "Money {", 0, 5)}}
	if len(locs) != 1 || locs[0] != want {
		t.Errorf("definition of Money: %+v, want %+v", locs, want)
	}

	var refs []Location
	c.call("textDocument/references", ReferenceParams{TextDocumentPositionParams: c.at("common.evc", pos(t, common, "Currency {", 0, 1)), Context: struct {
		IncludeDeclaration bool `json:"includeDeclaration"`
	}{true}}, &refs)
	sortLocations(refs)
	var got []string
	for _, r := range refs {
		got = append(got, filepath.Base(uriToPath(r.URI))+":"+strconv.Itoa(r.Range.Start.Line+1))
	}
	// The declaration, Money.currency, Order.currency.
	if wantRefs := []string{"common.evc:5", "common.evc:11", "orders.evc:13"}; !slices.Equal(got, wantRefs) {
		t.Errorf("references to Currency: %v, want %v", got, wantRefs)
	}
}

// TestLSP_RenameAcrossFiles renames a type at a use in one file: the
// declaration in the other file and every use change.
func TestLSP_RenameAcrossFiles(t *testing.T) {
	c := startClient(t)
	c.open("orders.evc", "")
	text := c.text("orders.evc")
	var prep *PrepareRenameResult
	c.call("textDocument/prepareRename", c.at("orders.evc", pos(t, text, "Money", 0, 2)), &prep)
	if prep == nil || prep.Placeholder != "Money" {
		t.Fatalf("prepareRename: %+v", prep)
	}
	var edit WorkspaceEdit
	c.call("textDocument/rename", RenameParams{TextDocumentPositionParams: c.at("orders.evc", pos(t, text, "Money", 0, 2)), NewName: "Amount"}, &edit)
	for name, wantN := range map[string]int{"common.evc": 1, "orders.evc": 1} {
		edits := edit.Changes[c.uri(name)]
		if len(edits) != wantN {
			t.Errorf("%s: %d edits, want %d: %+v", name, len(edits), wantN, edit)
			continue
		}
		got := apply(c.text(name), edits)
		if strings.Contains(got, "Money;") || strings.Contains(got, "record Money") || !strings.Contains(got, "Amount") {
			t.Errorf("%s after the rename:\n%s", name, got)
		}
	}

	// An invalid name is refused with a message.
	err := c.conn.Call(context.Background(), "textDocument/rename", RenameParams{TextDocumentPositionParams: c.at("orders.evc", pos(t, text, "Money", 0, 2)), NewName: "9lives"}, &edit)
	if err == nil || !strings.Contains(err.Error(), `"9lives" is not a valid Avro name`) {
		t.Errorf("renaming to 9lives: %v", err)
	}
}

// TestLSP_RenameFieldKeepsAlias: a field that the baseline (evc.json's
// history) has is renamed with its old name kept as an alias, so the change
// stays compatible.
func TestLSP_RenameFieldKeepsAlias(t *testing.T) {
	c := startClient(t)
	c.open("orders.evc", "")
	text := c.text("orders.evc")
	var edit WorkspaceEdit
	c.call("textDocument/rename", RenameParams{TextDocumentPositionParams: c.at("orders.evc", pos(t, text, "quantity", 0, 1)), NewName: "count"}, &edit)
	got := apply(text, edit.Changes[c.uri("orders.evc")])
	if !strings.Contains(got, "  @aliases(\"quantity\")\n  count: int;") {
		t.Errorf("after renaming quantity:\n%s", got)
	}
	c.change("orders.evc", got, 2)
	if ds := c.diagnostics("orders.evc"); len(ds) != 0 {
		t.Errorf("the renamed file has diagnostics: %+v", ds)
	}
}

// apply applies non-overlapping edits to text.
func apply(text string, edits []TextEdit) string {
	ls := newLines([]byte(text), false)
	sorted := slices.Clone(edits)
	slices.SortFunc(sorted, func(a, b TextEdit) int { return ls.offset(b.Range.Start) - ls.offset(a.Range.Start) })
	for _, e := range sorted {
		start, end := ls.offset(e.Range.Start), ls.offset(e.Range.End)
		text = text[:start] + e.NewText + text[end:]
	}
	return text
}

func TestLSP_CompatibilityAsYouType(t *testing.T) {
	c := startClient(t)
	text := c.text("orders.evc")
	c.open("orders.evc", "")
	if ds := c.diagnostics("orders.evc"); len(ds) != 0 {
		t.Fatalf("compatible file has diagnostics: %+v", ds)
	}
	// quantity int -> string breaks both directions; the mode is
	// BACKWARD (evc.json).
	broken := strings.Replace(text, "quantity: int;", "quantity: string;", 1)
	c.change("orders.evc", broken, 2)
	ds := c.diagnostics("orders.evc")
	if len(ds) == 0 {
		t.Fatal("no compatibility warning for int -> string")
	}
	found := false
	for _, d := range ds {
		if d.Severity == SeverityWarning && d.Code == "TYPE_MISMATCH" && d.Range.Start.Line == pos(t, broken, "quantity", 0, 0).Line {
			found = true
		}
	}
	if !found {
		t.Errorf("want a TYPE_MISMATCH warning on the quantity line; got %+v", ds)
	}
}

func TestLSP_Completion(t *testing.T) {
	c := startClient(t)
	base := c.text("orders.evc")
	labels := func(l *CompletionList) []string {
		var out []string
		for _, it := range l.Items {
			out = append(out, it.Label)
		}
		return out
	}
	item := func(l *CompletionList, label string) *CompletionItem {
		for i := range l.Items {
			if l.Items[i].Label == label {
				return &l.Items[i]
			}
		}
		return nil
	}

	// A type position: primitives, logical types, the types in scope, and
	// a type of a file not imported, with the import to add.
	text := strings.Replace(base, "  quantity: int;", "  quantity: int;\n  ship_to: ", 1)
	c.open("orders.evc", text)
	var l CompletionList
	c.call("textDocument/completion", c.at("orders.evc", pos(t, text, "ship_to: ", 0, len("ship_to: "))), &l)
	got := labels(&l)
	for _, want := range []string{"string", "timestamp-millis", "array<>", "Money", "Currency", "Address"} {
		if !slices.Contains(got, want) {
			t.Errorf("type completion lacks %s: %v", want, got)
		}
	}
	if it := item(&l, "Address"); it == nil || len(it.AdditionalTextEdits) != 1 || it.AdditionalTextEdits[0].NewText != "import \"address.evc\";\n" {
		t.Errorf("Address comes with the import to add: %+v", it)
	}
	if it := item(&l, "Money"); it == nil || len(it.AdditionalTextEdits) != 0 {
		t.Errorf("Money is imported already: %+v", it)
	}

	// After @: annotations.
	text = strings.Replace(base, "  quantity: int;", "  @dep\n  quantity: int;", 1)
	c.change("orders.evc", text, 2)
	c.call("textDocument/completion", c.at("orders.evc", pos(t, text, "@dep", 0, 4)), &l)
	if got := labels(&l); !slices.Contains(got, "deprecated") || !slices.Contains(got, "aliases") {
		t.Errorf("annotation completion: %v", got)
	}

	// An enum field's default: its symbols.
	text = strings.Replace(base, "currency: Currency = USD;", "currency: Currency = ", 1)
	c.change("orders.evc", text, 3)
	c.call("textDocument/completion", c.at("orders.evc", pos(t, text, "Currency = ", 0, len("Currency = "))), &l)
	if got := labels(&l); !slices.Equal(got, []string{"EUR", "USD"}) {
		t.Errorf("enum default completion: %v", got)
	}

	// The start of a line: keywords.
	text = base + "\nto"
	c.change("orders.evc", text, 4)
	c.call("textDocument/completion", c.at("orders.evc", pos(t, text, "\nto", 0, 3)), &l)
	if got := labels(&l); !slices.Contains(got, "topic") || !slices.Contains(got, "record") {
		t.Errorf("keyword completion: %v", got)
	}
}

func TestLSP_DocumentSymbols(t *testing.T) {
	c := startClient(t)
	c.open("orders.evc", "")
	var syms []DocumentSymbol
	c.call("textDocument/documentSymbol", DocumentSymbolParams{TextDocument: TextDocumentIdentifier{URI: c.uri("orders.evc")}}, &syms)
	var got []string
	for _, s := range syms {
		entry := s.Name
		for _, ch := range s.Children {
			entry += " " + ch.Name
		}
		got = append(got, entry)
	}
	if want := []string{"Order order_id total quantity currency", "orders"}; !slices.Equal(got, want) {
		t.Errorf("symbols %v, want %v", got, want)
	}
	if syms[0].Kind != SymbolEvent {
		t.Errorf("an event's kind is %d, want %d", syms[0].Kind, SymbolEvent)
	}
}

func TestLSP_Formatting(t *testing.T) {
	c := startClient(t)
	messy := "namespace shop;\nrecord Tiny{a:int;b : string?;}\n"
	c.open("tiny.evc", messy)
	var edits []TextEdit
	c.call("textDocument/formatting", DocumentFormattingParams{TextDocument: TextDocumentIdentifier{URI: c.uri("tiny.evc")}}, &edits)
	want := "namespace shop;\n\nrecord Tiny {\n  a: int;\n  b: string?;\n}\n"
	if got := apply(messy, edits); got != want {
		t.Errorf("formatted:\n%s\nwant:\n%s", got, want)
	}
}

func TestLSP_CodeActions(t *testing.T) {
	c := startClient(t)
	base := c.text("orders.evc")
	actionsFor := func(name, text string, line int) []CodeAction {
		var ds []Diagnostic
		for _, d := range c.diagnostics(name) {
			if d.Range.Start.Line == line {
				ds = append(ds, d)
			}
		}
		p := CodeActionParams{TextDocument: TextDocumentIdentifier{URI: c.uri(name)}, Range: Range{Start: Position{Line: line}, End: Position{Line: line}}}
		p.Context.Diagnostics = ds
		var out []CodeAction
		c.call("textDocument/codeAction", p, &out)
		return out
	}
	find := func(as []CodeAction, prefix string) *CodeAction {
		for i := range as {
			if strings.HasPrefix(as[i].Title, prefix) {
				return &as[i]
			}
		}
		return nil
	}

	// Did you mean.
	text := strings.Replace(base, "total: Money;", "total: Mony;", 1)
	c.open("orders.evc", text)
	a := find(actionsFor("orders.evc", text, pos(t, text, "Mony", 0, 0).Line), `Change to "Money"`)
	if a == nil {
		t.Fatal("no did-you-mean fix")
	}
	if got := apply(text, a.Edit.Changes[c.uri("orders.evc")]); got != base {
		t.Errorf("after the fix:\n%s", got)
	}

	// The missing import.
	text = strings.Replace(base, "  quantity: int;", "  quantity: int;\n  ship_to: Address;", 1)
	c.change("orders.evc", text, 2)
	a = find(actionsFor("orders.evc", text, pos(t, text, "Address", 0, 0).Line), `Add import "address.evc"`)
	if a == nil {
		t.Fatalf("no add-import fix; diagnostics %+v", c.diagnostics("orders.evc"))
	}
	fixed := apply(text, a.Edit.Changes[c.uri("orders.evc")])
	c.change("orders.evc", fixed, 3)
	if ds := c.diagnostics("orders.evc"); len(ds) != 1 || ds[0].Code != "FIELD_NO_DEFAULT" {
		// The import is there now; what is left is the new field with no
		// default, a compatibility break in BACKWARD.
		t.Fatalf("after adding the import: %+v", ds)
	}

	// A new field with no default: add one. (A record has no default to
	// guess, so use a string field.)
	text = strings.Replace(base, "  quantity: int;", "  quantity: int;\n  note: string;", 1)
	c.change("orders.evc", text, 4)
	a = find(actionsFor("orders.evc", text, pos(t, text, "note", 0, 0).Line), "Add the default")
	if a == nil {
		t.Fatalf("no add-default fix; diagnostics %+v", c.diagnostics("orders.evc"))
	}
	fixed = apply(text, a.Edit.Changes[c.uri("orders.evc")])
	if !strings.Contains(fixed, `note: string = "";`) {
		t.Errorf("after adding the default:\n%s", fixed)
	}
	c.change("orders.evc", fixed, 5)
	if ds := c.diagnostics("orders.evc"); len(ds) != 0 {
		t.Errorf("with the default: %+v", ds)
	}

	// A renamed field (quantity -> count): keep the old name as an alias.
	text = strings.Replace(base, "quantity: int;", "count: int;", 1)
	c.change("orders.evc", text, 6)
	a = find(actionsFor("orders.evc", text, pos(t, text, "count", 0, 0).Line), `Rename: keep the old name "quantity"`)
	if a == nil {
		t.Fatal("no keep-alias action on a field whose old name is gone")
	}
	fixed = apply(text, a.Edit.Changes[c.uri("orders.evc")])
	c.change("orders.evc", fixed, 7)
	if ds := c.diagnostics("orders.evc"); len(ds) != 0 {
		t.Errorf("with the alias: %+v\n%s", ds, fixed)
	}
}

func TestLines_UTF16(t *testing.T) {
	text := []byte("a: \"é𝄞x\";\nb")
	l := newLines(text, false)
	// é is one UTF-16 unit (two bytes), 𝄞 two units (four bytes).
	off := strings.Index(string(text), "x")
	p := l.position(off)
	if p != (Position{Line: 0, Character: 7}) {
		t.Errorf("position of x = %+v", p)
	}
	if got := l.offset(p); got != off {
		t.Errorf("offset(%+v) = %d, want %d", p, got, off)
	}
	if got := l.offset(Position{Line: 1, Character: 0}); text[got] != 'b' {
		t.Errorf("offset of line 2 = %d", got)
	}
	u := newLines(text, true)
	if p := u.position(off); p.Character != off {
		t.Errorf("utf-8 position of x = %+v", p)
	}
}

// TestLSP_WorkspaceExcludes: the workspace file's "exclude" (and compile's
// outputs) are not read as sources by the editor either: a folder of
// different definitions there gives no diagnostic.
func TestLSP_WorkspaceExcludes(t *testing.T) {
	c := startClient(t)
	legacy := `{"type": "record", "name": "Money", "namespace": "shop", "fields": [{"name": "x", "type": "int"}]}`
	for _, dir := range []string{"legacy", "gen/avro"} {
		if err := os.MkdirAll(c.path(dir), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(c.path(dir+"/money.avsc"), []byte(legacy), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg := `{"exclude": ["legacy"], "compile": {"avro_out": "gen/avro"}, "compat": {"mode": "BACKWARD", "against": "history"}}`
	if err := os.WriteFile(c.path("evc.json"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	c.open("orders.evc", c.text("orders.evc"))
	for _, f := range []string{"orders.evc", "legacy/money.avsc", "gen/avro/money.avsc"} {
		if ds := c.diagnostics(f); len(ds) != 0 {
			t.Errorf("%s: %+v", f, ds)
		}
	}
}

// sortLocations orders locations for stable answers.
func sortLocations(ls []Location) {
	sort.Slice(ls, func(i, j int) bool {
		if ls[i].URI != ls[j].URI {
			return ls[i].URI < ls[j].URI
		}
		if ls[i].Range.Start.Line != ls[j].Range.Start.Line {
			return ls[i].Range.Start.Line < ls[j].Range.Start.Line
		}
		return ls[i].Range.Start.Character < ls[j].Range.Start.Character
	})
}

// TestDiskCache: a file's text is read again when its size or time
// changes, and kept only once its time is safely past.
func TestDiskCache(t *testing.T) {
	dir := t.TempDir()
	p := filepath.ToSlash(filepath.Join(dir, "a.evc"))
	write := func(text string, age time.Duration) {
		t.Helper()
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		at := time.Now().Add(-age)
		if err := os.Chtimes(p, at, at); err != nil {
			t.Fatal(err)
		}
	}
	dc := &diskCache{files: map[string]diskFile{}}
	read := func(want string) {
		t.Helper()
		got, ok := dc.read(p)
		if !ok || string(got) != want {
			t.Errorf("read %q, %v; want %q", got, ok, want)
		}
	}
	write("one", time.Hour)
	read("one")
	if _, ok := dc.files[p]; !ok {
		t.Error("an old file's text was not kept")
	}
	write("two", 2*time.Hour) // the same size, another time
	read("two")
	write("three", time.Hour) // another size
	read("three")
	write("fresh", 0)
	read("fresh")
	if f := dc.files[p]; string(f.text) == "fresh" {
		t.Error("a file changed a moment ago was kept")
	}
	if _, ok := dc.read(dir); ok {
		t.Error("a folder was read as a file")
	}
	if _, ok := dc.read(p + ".missing"); ok {
		t.Error("a missing file was read")
	}
}

// TestLSP_FileChangedOnDisk: a file that is not open, changed on disk, is
// read again at the next edit.
func TestLSP_FileChangedOnDisk(t *testing.T) {
	c := startClient(t)
	text := c.text("orders.evc")
	c.open("orders.evc", "")
	common := c.text("common.evc")
	if err := os.WriteFile(c.path("common.evc"), []byte(strings.ReplaceAll(common, "Money", "Cash")), 0o644); err != nil {
		t.Fatal(err)
	}
	c.change("orders.evc", text, 2)
	var unknown bool
	for _, d := range c.diagnostics("orders.evc") {
		unknown = unknown || strings.Contains(d.Message, `unknown type "Money"`)
	}
	if !unknown {
		t.Errorf("Money was renamed in common.evc, but orders.evc has %+v", c.diagnostics("orders.evc"))
	}
	if err := os.WriteFile(c.path("common.evc"), []byte(common), 0o644); err != nil {
		t.Fatal(err)
	}
	c.change("orders.evc", text, 3)
	if ds := c.diagnostics("orders.evc"); len(ds) != 0 {
		t.Errorf("common.evc is back as it was, but orders.evc has %+v", ds)
	}
}

// TestLSP_EditOthersDependOn: an edit to a file others import reaches
// them (they are compiled again, or linked to its new types), and undoing
// it clears what it caused.
func TestLSP_EditOthersDependOn(t *testing.T) {
	c := startClient(t)
	common := c.text("common.evc")
	c.open("common.evc", "")
	if ds := c.diagnostics("orders.evc"); len(ds) != 0 {
		t.Fatalf("orders.evc starts with %+v", ds)
	}
	// Only a comment: nothing changes for others, but the declarations
	// move down a line, and go to definition from orders.evc follows.
	commented := "// a comment\n" + common
	c.change("common.evc", commented, 2)
	if ds := c.diagnostics("orders.evc"); len(ds) != 0 {
		t.Errorf("after a comment in common.evc, orders.evc has %+v", ds)
	}
	orders := c.text("orders.evc")
	var locs []Location
	c.call("textDocument/definition", c.at("orders.evc", pos(t, orders, "Money", 0, 1)), &locs)
	if want := pos(t, commented, "record Money", 0, len("record ")); len(locs) != 1 || locs[0].URI != c.uri("common.evc") || locs[0].Range.Start != want {
		t.Errorf("definition of Money: %+v, want %+v", locs, want)
	}
	c.change("common.evc", strings.ReplaceAll(common, "record Money", "record Cash"), 3)
	var unknown bool
	for _, d := range c.diagnostics("orders.evc") {
		unknown = unknown || strings.Contains(d.Message, `unknown type "Money"`)
	}
	if !unknown {
		t.Errorf("Money is gone from common.evc, but orders.evc has %+v", c.diagnostics("orders.evc"))
	}
	c.change("common.evc", common, 4)
	if ds := c.diagnostics("orders.evc"); len(ds) != 0 {
		t.Errorf("common.evc is back as it was, but orders.evc has %+v", ds)
	}
}
