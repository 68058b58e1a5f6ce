package lsp

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/sourcegraph/jsonrpc2"

	"github.com/evc-dev/evc/compiler"
	"github.com/evc-dev/evc/diag"
)

// Options configure a server.
type Options struct {
	// Against overrides the workspace file's baseline for the
	// compatibility checks (a folder, history:DIR or git:REF); "" uses
	// the workspace file's "against".
	Against string
	// Logf, when set, receives the server's log lines.
	Logf func(format string, args ...any)
}

// Serve runs the server on one stream (an editor's stdin and stdout) until
// the client exits or the stream closes.
func Serve(ctx context.Context, rw io.ReadWriteCloser, opts Options) error {
	s := &Server{opts: opts, docs: map[string]*document{}, published: map[string]bool{}, cache: compiler.NewCache(), disk: &diskCache{files: map[string]diskFile{}}}
	conn := jsonrpc2.NewConn(ctx, jsonrpc2.NewBufferedStream(rw, jsonrpc2.VSCodeObjectCodec{}), jsonrpc2.HandlerWithError(s.handle))
	select {
	case <-ctx.Done():
		conn.Close()
		return ctx.Err()
	case <-conn.DisconnectNotify():
		return nil
	}
}

// Server is the state of one editor session.
type Server struct {
	opts Options
	conn *jsonrpc2.Conn

	mu        sync.Mutex
	root      string
	utf8      bool
	docs      map[string]*document
	snap      *snapshot
	base      *baseline
	baseOnce  sync.Once
	published map[string]bool
	shutdown  bool
	// cache keeps the parsed and compiled files an edit did not change,
	// and disk the text of the files on disk.
	cache *compiler.Cache
	disk  *diskCache
}

func (s *Server) logf(format string, args ...any) {
	if s.opts.Logf != nil {
		s.opts.Logf(format, args...)
	}
}

// handle answers one request or notification. Requests are handled one at
// a time, in order, so an edit is always seen before the next hover.
func (s *Server) handle(ctx context.Context, conn *jsonrpc2.Conn, req *jsonrpc2.Request) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.conn = conn
	params := func(v any) error {
		if req.Params == nil {
			return &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidParams, Message: "missing params"}
		}
		if err := json.Unmarshal(*req.Params, v); err != nil {
			return &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidParams, Message: err.Error()}
		}
		return nil
	}
	switch req.Method {
	case "initialize":
		var p InitializeParams
		if err := params(&p); err != nil {
			return nil, err
		}
		return s.initialize(p), nil
	case "initialized", "$/cancelRequest", "$/setTrace", "workspace/didChangeConfiguration", "workspace/didChangeWatchedFiles":
		return nil, nil
	case "shutdown":
		s.shutdown = true
		return nil, nil
	case "exit":
		go conn.Close()
		return nil, nil
	case "textDocument/didOpen":
		var p DidOpenTextDocumentParams
		if err := params(&p); err != nil {
			return nil, err
		}
		if pth := uriToPath(p.TextDocument.URI); pth != "" {
			s.docs[pth] = &document{path: pth, version: p.TextDocument.Version, text: []byte(p.TextDocument.Text)}
			if s.root == "" {
				s.root = path.Dir(pth)
			}
			s.refresh(ctx)
		}
		return nil, nil
	case "textDocument/didChange":
		var p DidChangeTextDocumentParams
		if err := params(&p); err != nil {
			return nil, err
		}
		d := s.docs[uriToPath(p.TextDocument.URI)]
		if d == nil {
			return nil, nil
		}
		for _, ch := range p.ContentChanges {
			if ch.Range == nil {
				d.text = []byte(ch.Text)
				continue
			}
			l := newLines(d.text, s.utf8)
			start, end := l.offset(ch.Range.Start), l.offset(ch.Range.End)
			d.text = slices.Concat(d.text[:start], []byte(ch.Text), d.text[end:])
		}
		d.version = p.TextDocument.Version
		s.refresh(ctx)
		return nil, nil
	case "textDocument/didSave":
		s.refresh(ctx)
		return nil, nil
	case "textDocument/didClose":
		var p DidCloseTextDocumentParams
		if err := params(&p); err != nil {
			return nil, err
		}
		delete(s.docs, uriToPath(p.TextDocument.URI))
		s.refresh(ctx)
		return nil, nil
	case "textDocument/hover":
		var p TextDocumentPositionParams
		if err := params(&p); err != nil {
			return nil, err
		}
		return s.hover(p), nil
	case "textDocument/definition":
		var p TextDocumentPositionParams
		if err := params(&p); err != nil {
			return nil, err
		}
		return s.definition(p), nil
	case "textDocument/references":
		var p ReferenceParams
		if err := params(&p); err != nil {
			return nil, err
		}
		return s.references(p), nil
	case "textDocument/prepareRename":
		var p TextDocumentPositionParams
		if err := params(&p); err != nil {
			return nil, err
		}
		return s.prepareRename(p), nil
	case "textDocument/rename":
		var p RenameParams
		if err := params(&p); err != nil {
			return nil, err
		}
		return s.rename(p)
	case "textDocument/completion":
		var p TextDocumentPositionParams
		if err := params(&p); err != nil {
			return nil, err
		}
		return s.completion(p), nil
	case "textDocument/documentSymbol":
		var p DocumentSymbolParams
		if err := params(&p); err != nil {
			return nil, err
		}
		return s.documentSymbols(uriToPath(p.TextDocument.URI)), nil
	case "textDocument/formatting":
		var p DocumentFormattingParams
		if err := params(&p); err != nil {
			return nil, err
		}
		return s.format(uriToPath(p.TextDocument.URI))
	case "textDocument/codeAction":
		var p CodeActionParams
		if err := params(&p); err != nil {
			return nil, err
		}
		return s.codeActions(p), nil
	}
	if req.Notif {
		return nil, nil
	}
	return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeMethodNotFound, Message: "evc lsp does not implement " + req.Method}
}

func (s *Server) initialize(p InitializeParams) any {
	switch {
	case p.RootURI != "":
		s.root = uriToPath(p.RootURI)
	case len(p.WorkspaceFolders) > 0:
		s.root = uriToPath(p.WorkspaceFolders[0].URI)
	case p.RootPath != "":
		s.root = filepath.ToSlash(p.RootPath)
	}
	s.utf8 = slices.Contains(p.Capabilities.General.PositionEncodings, "utf-8")
	enc := "utf-16"
	if s.utf8 {
		enc = "utf-8"
	}
	return map[string]any{
		"capabilities": map[string]any{
			"positionEncoding":           enc,
			"textDocumentSync":           map[string]any{"openClose": true, "change": 1, "save": map[string]any{"includeText": false}},
			"hoverProvider":              true,
			"definitionProvider":         true,
			"referencesProvider":         true,
			"renameProvider":             map[string]any{"prepareProvider": true},
			"completionProvider":         map[string]any{"triggerCharacters": []string{"@", ":", "<", " ", "."}},
			"documentSymbolProvider":     true,
			"documentFormattingProvider": true,
			"codeActionProvider":         map[string]any{"codeActionKinds": []string{"quickfix"}},
		},
		"serverInfo": map[string]any{"name": "evc"},
	}
}

// refresh compiles the workspace over the open documents and publishes
// every file's diagnostics, clearing those of files that have none now.
func (s *Server) refresh(ctx context.Context) {
	if s.root == "" {
		return
	}
	s.baseOnce.Do(func() { s.base = loadBaseline(s.root, s.opts.Against) })
	s.snap = s.compile()
	for f, ds := range s.snap.diags {
		s.publish(ctx, f, ds)
	}
	for f := range s.published {
		if _, ok := s.snap.diags[f]; !ok {
			s.publish(ctx, f, nil)
		}
	}
}

// compile builds a snapshot of the workspace: every schema under the root,
// and the open documents outside it.
func (s *Server) compile() *snapshot {
	// Open documents are inputs too: a new file need not be on disk yet,
	// and one outside the root is still compiled.
	inputs := []string{s.root}
	for p := range s.docs {
		if compiler.IsSource(p) {
			inputs = append(inputs, p)
		}
	}
	sort.Strings(inputs[1:])
	var skip []string
	if s.base != nil {
		skip = append(skip, s.base.skip...)
		if s.base.dir != "" {
			skip = append(skip, s.base.dir)
		}
	}
	res := compiler.Compile(inputs, compiler.Options{FS: overlay{docs: s.docs, disk: s.disk}, SkipDirs: skip, Cache: s.cache})
	snap := &snapshot{res: res, diags: map[string][]diag.Diagnostic{}, texts: map[string][]byte{}, lines: map[string]*lines{}, utf8: s.utf8}
	for p, src := range res.Sources {
		snap.texts[p] = src
	}
	for _, d := range res.Diags.Items() {
		snap.diags[d.Span.Start.File] = append(snap.diags[d.Span.Start.File], d)
	}
	if !res.Diags.HasErrors() {
		for _, d := range s.base.compatDiags(res.Schema) {
			snap.diags[d.Span.Start.File] = append(snap.diags[d.Span.Start.File], d)
		}
	}
	return snap
}

func (s *Server) publish(ctx context.Context, file string, ds []diag.Diagnostic) {
	if file == "" || !strings.HasPrefix(file, "/") {
		return
	}
	out := make([]Diagnostic, 0, len(ds))
	for _, d := range ds {
		out = append(out, s.snap.toLSP(d))
	}
	params := PublishDiagnosticsParams{URI: pathToURI(file), Diagnostics: out}
	if d := s.docs[file]; d != nil {
		v := d.version
		params.Version = &v
	}
	if len(ds) == 0 {
		delete(s.published, file)
	} else {
		s.published[file] = true
	}
	if err := s.conn.Notify(ctx, "textDocument/publishDiagnostics", params); err != nil {
		s.logf("publish %s: %v", file, err)
	}
}

// diagData is what a diagnostic carries for its quick fixes.
type diagData struct {
	Help string `json:"help,omitempty"`
}

// toLSP converts a compiler or compat diagnostic: the help line is part of
// the message (editors show it) and also travels in Data for quick fixes.
func (snap *snapshot) toLSP(d diag.Diagnostic) Diagnostic {
	sev := SeverityError
	switch d.Severity {
	case diag.Warning:
		sev = SeverityWarning
	case diag.Note:
		sev = SeverityInformation
	}
	msg := d.Message
	if d.Rule != "" && !strings.Contains(msg, d.Rule) {
		msg += " [" + d.Rule + "]"
	}
	if d.Help != "" {
		msg += "\nhelp: " + d.Help
	}
	out := Diagnostic{
		Range:    snap.linesOf(d.Span.Start.File).spanRange(d.Span),
		Severity: sev,
		Code:     d.Rule,
		Source:   "evc",
		Message:  msg,
	}
	if d.Help != "" {
		out.Data, _ = json.Marshal(diagData{Help: d.Help})
	}
	for _, r := range d.Related {
		if !r.Span.IsValid() || !strings.HasPrefix(r.Span.Start.File, "/") {
			continue
		}
		out.RelatedInformation = append(out.RelatedInformation, DiagnosticRelatedInformation{
			Location: Location{URI: pathToURI(r.Span.Start.File), Range: snap.linesOf(r.Span.Start.File).spanRange(r.Span)},
			Message:  r.Message,
		})
	}
	return out
}

// readFile returns the text of a file: the open document's, else disk's.
func (s *Server) readFile(p string) ([]byte, bool) {
	if d := s.docs[p]; d != nil {
		return d.text, true
	}
	if s.snap != nil {
		if t, ok := s.snap.texts[p]; ok {
			return t, true
		}
	}
	t, err := os.ReadFile(filepath.FromSlash(p))
	return t, err == nil
}
