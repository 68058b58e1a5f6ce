package lsp

import (
	"encoding/json"
	"fmt"
	"path"
	"strings"

	"github.com/sourcegraph/jsonrpc2"

	"github.com/evc-dev/evc/compat"
	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/idl"
	"github.com/evc-dev/evc/internal/lazyregexp"
	"github.com/evc-dev/evc/ir"
)

// elementAt finds the element under the cursor.
func (s *Server) elementAt(p TextDocumentPositionParams) (*element, *lines, string) {
	file := uriToPath(p.TextDocument.URI)
	if s.snap == nil || file == "" {
		return nil, nil, file
	}
	ls := s.snap.linesOf(file)
	return s.snap.idx().at(file, ls.offset(p.Position), ls), ls, file
}

// location is where a span is, for the client.
func (s *Server) location(sp diag.Span) Location {
	return Location{URI: pathToURI(sp.Start.File), Range: s.snap.linesOf(sp.Start.File).spanRange(sp)}
}

// modeOf is the compatibility mode evc compat would check n in.
func (s *Server) modeOf(n *ir.Named) compat.Mode {
	var rules compat.ModeRules
	if s.base != nil {
		rules = s.base.rules
	}
	return rules.Of(compat.Root{Name: n.FullName(), Type: compat.NamedType(n), Named: n, File: n.File}, nil)
}

func (s *Server) hover(p TextDocumentPositionParams) *Hover {
	e, ls, _ := s.elementAt(p)
	if e == nil {
		return nil
	}
	var b strings.Builder
	code := func(format string, args ...any) {
		b.WriteString("```evc\n")
		fmt.Fprintf(&b, format, args...)
		b.WriteString("\n```\n")
	}
	doc := func(d string) {
		if d = strings.TrimSpace(d); d != "" {
			b.WriteString("\n" + d + "\n")
		}
	}
	var facts []string
	named, custom := e.target()
	switch {
	case e.kind == elemField:
		f := e.field
		def := ""
		if f.Default != nil {
			def = " = " + f.Default.JSON()
		}
		code("%s: %s%s", f.Name, f.Type.Name(), def)
		doc(f.Doc)
		facts = append(facts, "field of `"+e.named.FullName()+"`")
		if len(f.Aliases) > 0 {
			facts = append(facts, "aliases: "+strings.Join(f.Aliases, ", "))
		}
		if f.Deprecated {
			facts = append(facts, deprecation(f.DeprecatedReason))
		}
	case e.kind == elemSymbol:
		code("%s.%s", e.named.Name, e.symbol.Name)
		doc(e.symbol.Doc)
		facts = append(facts, "symbol of enum `"+e.named.FullName()+"`")
		if e.named.HasDefault && e.named.Default == e.symbol.Name {
			facts = append(facts, "the enum's default")
		}
		if e.symbol.Deprecated {
			facts = append(facts, deprecation(e.symbol.DeprecatedReason))
		}
	case e.kind == elemTopic:
		t := e.topic
		code("topic %q", t.Name)
		doc(t.Doc)
		if t.Key != nil {
			facts = append(facts, "key: `"+t.Key.Name()+"`")
		} else {
			facts = append(facts, "key: none")
		}
		vals := make([]string, len(t.Values))
		for i, v := range t.Values {
			vals[i] = "`" + v.Name() + "`"
		}
		facts = append(facts, "values: "+strings.Join(vals, ", "))
	case custom != nil:
		code("type %s = %s", custom.Name, custom.Wire.Name())
		doc(custom.Doc)
		facts = append(facts, "full name: `"+custom.FullName()+"`")
		if custom.GoType != "" {
			facts = append(facts, "Go type: `"+custom.GoType+"`")
		}
	case named != nil:
		code("%s %s", named.Kind, named.FullName())
		doc(named.Doc)
		facts = append(facts, "compat: "+string(s.modeOf(named)))
		if named.Event != nil {
			facts = append(facts, "CloudEvents type: `"+named.Event.Type+"`")
		}
		if len(named.Aliases) > 0 {
			facts = append(facts, "aliases: "+strings.Join(named.Aliases, ", "))
		}
		if named.Kind == ir.Enum && named.HasDefault {
			facts = append(facts, "default: "+named.Default)
		}
		if named.Kind == ir.Fixed {
			facts = append(facts, fmt.Sprintf("size: %d bytes", named.Size))
		}
		if named.Deprecated {
			facts = append(facts, deprecation(named.DeprecatedReason))
		}
	default:
		return nil
	}
	if len(facts) > 0 {
		b.WriteString("\n" + strings.Join(facts, " · ") + "\n")
	}
	r := ls.spanRange(e.span)
	return &Hover{Contents: MarkupContent{Kind: "markdown", Value: b.String()}, Range: &r}
}

func deprecation(reason string) string {
	if reason == "" {
		return "**deprecated**"
	}
	return "**deprecated**: " + reason
}

// declSpan is where a named or custom type is declared: its name.
func declSpan(n *ir.Named, c *ir.Custom) diag.Span {
	if c != nil {
		return c.Span
	}
	if n.NameSpan.IsValid() {
		return n.NameSpan
	}
	return n.Span
}

func (s *Server) definition(p TextDocumentPositionParams) []Location {
	e, _, _ := s.elementAt(p)
	if e == nil {
		return nil
	}
	n, c := e.target()
	if n == nil && c == nil {
		return nil
	}
	sp := declSpan(n, c)
	if !sp.IsValid() {
		return nil
	}
	return []Location{s.location(sp)}
}

func (s *Server) references(p ReferenceParams) []Location {
	e, _, _ := s.elementAt(p.TextDocumentPositionParams)
	if e == nil {
		return nil
	}
	n, c := e.target()
	if n == nil && c == nil {
		return nil
	}
	var out []Location
	if p.Context.IncludeDeclaration {
		out = append(out, s.location(declSpan(n, c)))
	}
	for _, r := range s.snap.idx().uses(n, c) {
		out = append(out, s.location(r.span))
	}
	return out
}

// renameTarget is what a rename at the cursor renames.
func (s *Server) renameTarget(p TextDocumentPositionParams) (e *element, old string) {
	e, _, _ = s.elementAt(p)
	if e == nil {
		return nil, ""
	}
	switch e.kind {
	case elemField:
		return e, e.field.Name
	case elemNamed, elemRef, elemCustom:
		n, c := e.target()
		if c != nil {
			return e, c.Name
		}
		if n != nil {
			return e, n.Name
		}
	}
	return nil, ""
}

func (s *Server) prepareRename(p TextDocumentPositionParams) *PrepareRenameResult {
	e, old := s.renameTarget(p)
	if e == nil {
		return nil
	}
	r, ok := s.nameRange(e.span, old)
	if !ok {
		return nil
	}
	return &PrepareRenameResult{Range: r, Placeholder: old}
}

// nameRange finds the short name name inside span: a qualified reference
// (shop.Money), an optional (Money?) or a JSON string ("Money") keeps the
// rest of its text.
func (s *Server) nameRange(sp diag.Span, name string) (Range, bool) {
	ls := s.snap.linesOf(sp.Start.File)
	start := ls.posOffset(sp.Start)
	end := start + len(name)
	if sp.End.IsValid() {
		end = ls.posOffset(sp.End)
	}
	if end > len(ls.text) || start > end {
		return Range{}, false
	}
	text := string(ls.text[start:end])
	i := strings.LastIndex(text, name)
	for i >= 0 {
		before := i == 0 || !isNameByte(text[i-1])
		after := i+len(name) == len(text) || !isNameByte(text[i+len(name)])
		if before && after {
			break
		}
		i = strings.LastIndex(text[:i], name)
	}
	if i < 0 {
		return Range{}, false
	}
	return Range{Start: ls.position(start + i), End: ls.position(start + i + len(name))}, true
}

func isNameByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

var validName = lazyregexp.New(`^[A-Za-z_][A-Za-z0-9_]*$`)

func (s *Server) rename(p RenameParams) (*WorkspaceEdit, error) {
	e, old := s.renameTarget(p.TextDocumentPositionParams)
	if e == nil {
		return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidRequest, Message: "evc: nothing to rename here: put the cursor on a type or a field name"}
	}
	if !validName().MatchString(p.NewName) {
		return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidParams, Message: fmt.Sprintf("evc: %q is not a valid Avro name (letters, digits and _, not starting with a digit)", p.NewName)}
	}
	edit := &WorkspaceEdit{Changes: map[string][]TextEdit{}}
	add := func(sp diag.Span) {
		if r, ok := s.nameRange(sp, old); ok {
			uri := pathToURI(sp.Start.File)
			edit.Changes[uri] = append(edit.Changes[uri], TextEdit{Range: r, NewText: p.NewName})
		}
	}
	if e.kind == elemField {
		add(e.field.NameSpan)
		if a, ok := s.aliasEdit(e.named, e.field, old); ok {
			uri := pathToURI(e.field.NameSpan.Start.File)
			edit.Changes[uri] = append(edit.Changes[uri], a)
		}
		return edit, nil
	}
	n, c := e.target()
	add(declSpan(n, c))
	for _, r := range s.snap.idx().uses(n, c) {
		add(r.span)
	}
	return edit, nil
}

// aliasEdit keeps a renamed field readable: when the baseline's version of
// the record has a field called old, it adds @aliases("old") above the
// field, so that data written with the old name still fills it.
func (s *Server) aliasEdit(owner *ir.Named, f *ir.Field, old string) (TextEdit, bool) {
	if s.base == nil || s.base.earlier == nil || len(f.Aliases) > 0 || owner.File == nil || owner.File.Avsc {
		return TextEdit{}, false
	}
	before := s.base.earlier.All[owner.FullName()]
	if before == nil || before.Field(old) == nil {
		return TextEdit{}, false
	}
	return s.insertAboveField(f, fmt.Sprintf("@aliases(%q)", old)), true
}

// insertAboveField inserts a line above a field (above its annotations and
// doc comment too, the field's span covers them), at its indentation.
func (s *Server) insertAboveField(f *ir.Field, line string) TextEdit {
	ls := s.snap.linesOf(f.NameSpan.Start.File)
	pos := ls.position(ls.posOffset(f.NameSpan.Start))
	lineStart := ls.start[pos.Line]
	indent := ""
	for _, c := range ls.text[lineStart:] {
		if c != ' ' && c != '\t' {
			break
		}
		indent += string(c)
	}
	at := Position{Line: pos.Line}
	return TextEdit{Range: Range{Start: at, End: at}, NewText: indent + line + "\n"}
}

// The words completion offers.
var (
	keywords    = []string{"namespace", "import", "option", "record", "error", "enum", "fixed", "type", "topic", "key", "value", "reserved", "default"}
	primitives  = []string{"null", "boolean", "int", "long", "float", "double", "bytes", "string"}
	logicals    = []string{"date", "time-millis", "time-micros", "timestamp-millis", "timestamp-micros", "local-timestamp-millis", "local-timestamp-micros", "uuid", "decimal(10, 2)"}
	annotations = []struct{ name, insert, doc string }{
		{"name", `name("")`, "the type's or field's Avro name, when it differs from the evc one"},
		{"namespace", `namespace("")`, "the type's Avro namespace"},
		{"aliases", `aliases("")`, "former names: data written with them still reads"},
		{"order", `order("descending")`, "a field's sort order: ascending, descending or ignore"},
		{"deprecated", `deprecated("")`, "marks a type, field or symbol deprecated, with the reason"},
		{"compat", `compat("FULL")`, "the type's compatibility mode"},
		{"event", `event(type = "", source = "")`, "the CloudEvents type and source of an event"},
		{"go", `go("")`, "the Go type a custom type binds to: import/path.Type"},
		{"go_name", `go_name("")`, "the Go identifier generated for the type or field"},
		{"prop", `prop("", "")`, "a custom Avro property whose name evc reserves"},
	}
	typeContext    = lazyregexp.New(`(?:[:<,]|\b(?:key|value)\s*:|=\s*)\s*[A-Za-z0-9_.]*$`)
	annotationCtx  = lazyregexp.New(`@[A-Za-z_]*$`)
	defaultContext = lazyregexp.New(`([A-Za-z_][A-Za-z0-9_]*)\s*:\s*([A-Za-z_][A-Za-z0-9_.]*)\??\s*=\s*[A-Za-z_]*$`)
)

func (s *Server) completion(p TextDocumentPositionParams) *CompletionList {
	file := uriToPath(p.TextDocument.URI)
	text, ok := s.readFile(file)
	if !ok {
		return &CompletionList{}
	}
	ls := newLines(text, s.utf8)
	off := ls.offset(p.Position)
	lineText := string(text[ls.start[min(p.Position.Line, len(ls.start)-1)]:off])
	out := &CompletionList{}
	add := func(it CompletionItem) { out.Items = append(out.Items, it) }

	switch {
	case annotationCtx().MatchString(lineText):
		for _, a := range annotations {
			add(CompletionItem{Label: a.name, Kind: KindProperty, Detail: "@" + a.name, Documentation: a.doc, InsertText: a.insert})
		}
	case defaultContext().MatchString(lineText):
		m := defaultContext().FindStringSubmatch(lineText)
		if n := s.lookupType(file, m[2]); n != nil && n.Kind == ir.Enum {
			for _, sym := range n.Symbols {
				add(CompletionItem{Label: sym.Name, Kind: KindEnumMember, Detail: n.FullName(), Documentation: sym.Doc})
			}
		}
	case typeContext().MatchString(lineText) && !strings.Contains(lineText, "option"):
		for _, t := range primitives {
			add(CompletionItem{Label: t, Kind: KindKeyword, Detail: "Avro primitive", SortText: "2" + t})
		}
		for _, t := range logicals {
			add(CompletionItem{Label: t, Kind: KindKeyword, Detail: "logical type", SortText: "3" + t})
		}
		for _, t := range []string{"array<>", "map<>", "union<>"} {
			add(CompletionItem{Label: t, Kind: KindKeyword, Detail: "complex type", SortText: "4" + t})
		}
		s.typeItems(file, text, add)
	default:
		for _, k := range keywords {
			add(CompletionItem{Label: k, Kind: KindKeyword})
		}
	}
	return out
}

// fileOf returns the IR file at path p.
func (s *Server) fileOf(p string) *ir.File {
	if s.snap == nil || s.snap.res.Schema == nil {
		return nil
	}
	for _, f := range s.snap.res.Schema.Files {
		if f.Path == p {
			return f
		}
	}
	return nil
}

// lookupType resolves a type name as written in file: its namespace first,
// then as a full name.
func (s *Server) lookupType(file, name string) *ir.Named {
	if s.snap == nil || s.snap.res.Schema == nil {
		return nil
	}
	sch := s.snap.res.Schema
	text, _ := s.readFile(file)
	if ns, _ := s.fileScope(file, text); !strings.Contains(name, ".") {
		if n := sch.Lookup(ir.JoinName(ns, name)); n != nil {
			return n
		}
	}
	return sch.Lookup(name)
}

var (
	namespaceLine = lazyregexp.New(`(?m)^\s*namespace\s+([A-Za-z0-9_.]+)\s*;`)
	importLine    = lazyregexp.New(`(?m)^\s*import\s+"([^"]+)"\s*;`)
)

// fileScope returns a file's namespace and the paths of the files it
// imports: from the IR, or, while the file does not parse (it is being
// typed), from its namespace and import lines.
func (s *Server) fileScope(file string, text []byte) (ns string, imports []string) {
	if f := s.fileOf(file); f != nil {
		return f.Namespace, f.Imports
	}
	if m := namespaceLine().FindSubmatch(text); m != nil {
		ns = string(m[1])
	}
	for _, m := range importLine().FindAllSubmatch(text, -1) {
		imports = append(imports, path.Join(path.Dir(file), string(m[1])))
	}
	return ns, imports
}

// typeItems offers every named and custom type of the workspace: by short
// name in the file's namespace, else by full name; a type of a file this
// one does not import comes with the import to add.
func (s *Server) typeItems(file string, text []byte, add func(CompletionItem)) {
	if s.snap == nil || s.snap.res.Schema == nil {
		return
	}
	ns, imports := s.fileScope(file, text)
	visible := map[string]bool{file: true}
	for _, imp := range imports {
		visible[imp] = true
	}
	item := func(name, fullName, kind string, decl *ir.File, docText string, k int) {
		label := fullName
		if decl != nil && decl.Namespace == ns && ns != "" || ns == "" && !strings.Contains(fullName, ".") {
			label = name
		}
		it := CompletionItem{Label: label, Kind: k, Detail: kind + " " + fullName, Documentation: docText, SortText: "1" + label}
		if decl != nil && !visible[decl.Path] && !decl.Imported && decl.Path != file && !decl.Avsc {
			rel := relImport(file, decl.Path)
			it.Detail += " (adds import " + rel + ")"
			it.AdditionalTextEdits = []TextEdit{importEdit(text, rel, s.utf8)}
		}
		add(it)
	}
	seen := map[string]bool{}
	for _, n := range s.snap.res.Schema.Types {
		if seen[n.FullName()] {
			continue
		}
		seen[n.FullName()] = true
		k := KindStruct
		if n.Kind == ir.Enum {
			k = KindEnum
		}
		item(n.Name, n.FullName(), n.Kind.String(), n.File, n.Doc, k)
	}
	for _, c := range s.snap.res.Schema.Customs {
		item(c.Name, c.FullName(), "type", c.File, c.Doc, KindTypeParam)
	}
}

// relImport is the import path from file to target, relative to file's
// folder.
func relImport(file, target string) string {
	from := strings.Split(path.Dir(file), "/")
	to := strings.Split(target, "/")
	i := 0
	for i < len(from) && i < len(to)-1 && from[i] == to[i] {
		i++
	}
	var parts []string
	for range from[i:] {
		parts = append(parts, "..")
	}
	parts = append(parts, to[i:]...)
	return strings.Join(parts, "/")
}

// importEdit inserts `import "p";` after the file's last import, else
// after its namespace and options.
func importEdit(text []byte, p string, utf8 bool) TextEdit {
	ls := newLines(text, utf8)
	line := 0
	for i := range ls.start {
		end := len(text)
		if i+1 < len(ls.start) {
			end = ls.start[i+1]
		}
		t := strings.TrimSpace(string(text[ls.start[i]:end]))
		if strings.HasPrefix(t, "import ") || strings.HasPrefix(t, "namespace ") || strings.HasPrefix(t, "option ") {
			line = i + 1
		}
	}
	at := Position{Line: line}
	return TextEdit{Range: Range{Start: at, End: at}, NewText: fmt.Sprintf("import %q;\n", p)}
}

func (s *Server) documentSymbols(file string) []DocumentSymbol {
	f := s.fileOf(file)
	if f == nil {
		return []DocumentSymbol{}
	}
	ls := s.snap.linesOf(file)
	sym := func(name, detail string, kind int, span, sel diag.Span) DocumentSymbol {
		if !sel.IsValid() {
			sel = span
		}
		r, sr := ls.spanRange(span), ls.spanRange(sel)
		if !span.End.IsValid() {
			r = sr
		}
		return DocumentSymbol{Name: name, Detail: detail, Kind: kind, Range: r, SelectionRange: sr}
	}
	out := []DocumentSymbol{}
	for _, n := range f.Types {
		kind := SymbolStruct
		switch {
		case n.Event != nil:
			kind = SymbolEvent
		case n.Kind == ir.Enum:
			kind = SymbolEnum
		case n.Kind == ir.Fixed:
			kind = SymbolTypeParam
		}
		d := sym(n.Name, n.Kind.String(), kind, n.Span, n.NameSpan)
		for _, fl := range n.Fields {
			d.Children = append(d.Children, sym(fl.Name, fl.Type.Name(), SymbolField, fl.Span, fl.NameSpan))
		}
		for _, sy := range n.Symbols {
			d.Children = append(d.Children, sym(sy.Name, "", SymbolEnumMember, sy.Span, sy.Span))
		}
		out = append(out, d)
	}
	for _, c := range f.Customs {
		out = append(out, sym(c.Name, "type = "+c.Wire.Name(), SymbolTypeParam, c.Span, c.Span))
	}
	for _, t := range f.Topics {
		out = append(out, sym(t.Name, "topic", SymbolNamespace, t.Span, t.Span))
	}
	return out
}

func (s *Server) format(file string) ([]TextEdit, error) {
	text, ok := s.readFile(file)
	if !ok || !strings.HasSuffix(file, ".evc") {
		return nil, nil
	}
	out, errs := idl.Format(file, text)
	if len(errs) > 0 || string(out) == string(text) {
		return []TextEdit{}, nil
	}
	ls := newLines(text, s.utf8)
	return []TextEdit{{Range: Range{Start: Position{}, End: ls.position(len(text))}, NewText: string(out)}}, nil
}

var (
	didYouMean = lazyregexp.New(`^did you mean "([^"]+)"\?$`)
	addImport  = lazyregexp.New(`^add: import "([^"]+)";$`)
)

func (s *Server) codeActions(p CodeActionParams) []CodeAction {
	file := uriToPath(p.TextDocument.URI)
	uri := p.TextDocument.URI
	out := []CodeAction{}
	text, _ := s.readFile(file)
	fix := func(title string, d *Diagnostic, edits ...TextEdit) {
		a := CodeAction{Title: title, Kind: "quickfix", Edit: &WorkspaceEdit{Changes: map[string][]TextEdit{uri: edits}}, IsPreferred: d != nil}
		if d != nil {
			a.Diagnostics = []Diagnostic{*d}
		}
		out = append(out, a)
	}
	for i := range p.Context.Diagnostics {
		d := &p.Context.Diagnostics[i]
		help := diagHelp(d)
		if m := didYouMean().FindStringSubmatch(help); m != nil {
			fix(fmt.Sprintf("Change to %q", m[1]), d, TextEdit{Range: d.Range, NewText: m[1]})
		}
		if m := addImport().FindStringSubmatch(help); m != nil {
			fix(fmt.Sprintf("Add import %q", m[1]), d, importEdit(text, m[1], s.utf8))
		}
		if d.Code == string(compat.FieldNoDefault) {
			if e := s.fieldAt(file, d.Range.Start); e != nil && e.field.Default == nil {
				if def, ok := zeroDefault(e.field.Type); ok {
					if ed, ok := s.defaultEdit(e.field, def); ok {
						fix(fmt.Sprintf("Add the default %s so data written without %q reads", def, e.field.Name), d, ed)
					}
				}
			}
		}
	}
	// On a field: keep a former name of it as an alias, when the baseline's
	// version of the record has a field that is gone now.
	if e := s.fieldAt(file, p.Range.Start); e != nil && s.base != nil && s.base.earlier != nil && len(e.field.Aliases) == 0 {
		if before := s.base.earlier.All[e.named.FullName()]; before != nil {
			for _, of := range before.Fields {
				if e.named.Field(of.Name) == nil {
					fix(fmt.Sprintf("Rename: keep the old name %q as an alias of %q", of.Name, e.field.Name), nil, s.insertAboveField(e.field, fmt.Sprintf("@aliases(%q)", of.Name)))
				}
			}
		}
	}
	return out
}

func diagHelp(d *Diagnostic) string {
	if len(d.Data) > 0 {
		var data diagData
		if err := json.Unmarshal(d.Data, &data); err == nil && data.Help != "" {
			return data.Help
		}
	}
	if _, h, ok := strings.Cut(d.Message, "\nhelp: "); ok {
		return h
	}
	return ""
}

// fieldAt returns the field element on the line of pos, if any.
func (s *Server) fieldAt(file string, pos Position) *element {
	if s.snap == nil {
		return nil
	}
	ls := s.snap.linesOf(file)
	var best *element
	for _, e := range s.snap.idx().byFile[file] {
		if e.kind != elemField {
			continue
		}
		r := ls.spanRange(e.field.NameSpan)
		if r.Start.Line == pos.Line {
			best = e
		}
	}
	return best
}

// zeroDefault is the default a field of type t can take that means "none":
// null for an optional, the empty value otherwise; ok is false when there
// is none to guess (a record, a fixed).
func zeroDefault(t *ir.Type) (string, bool) {
	if t.Kind == ir.Union {
		if len(t.Branches) > 0 && t.Branches[0].Kind == ir.Null {
			return "null", true
		}
		return "", false
	}
	switch t.Kind {
	case ir.Null:
		return "null", true
	case ir.Boolean:
		return "false", true
	case ir.Int, ir.Long:
		if t.Logical != ir.NoLogical {
			return "", false
		}
		return "0", true
	case ir.Float, ir.Double:
		return "0.0", true
	case ir.String:
		if t.Logical != ir.NoLogical {
			return "", false
		}
		return `""`, true
	case ir.Bytes:
		if t.Logical != ir.NoLogical {
			return "", false
		}
		return `""`, true
	case ir.Array:
		return "[]", true
	case ir.Map:
		return "{}", true
	case ir.Enum:
		if t.Named != nil {
			if t.Named.HasDefault {
				return t.Named.Default, true
			}
			if len(t.Named.Symbols) > 0 {
				return t.Named.Symbols[0].Name, true
			}
		}
	}
	return "", false
}

// defaultEdit inserts " = def" before the ; that ends a field.
func (s *Server) defaultEdit(f *ir.Field, def string) (TextEdit, bool) {
	ls := s.snap.linesOf(f.NameSpan.Start.File)
	from := ls.posOffset(f.NameSpan.Start)
	depth := 0
	for i := from; i < len(ls.text); i++ {
		switch ls.text[i] {
		case '<', '(', '[', '{':
			depth++
		case '>', ')', ']', '}':
			depth--
		case '=':
			if depth == 0 {
				return TextEdit{}, false // it has a default already
			}
		case ';':
			if depth == 0 {
				at := ls.position(i)
				return TextEdit{Range: Range{Start: at, End: at}, NewText: " = " + def}, true
			}
		}
	}
	return TextEdit{}, false
}
