package compiler

import (
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/alecthomas/participle/v2/lexer"

	"github.com/evc-dev/evc/compiler/names"
	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/idl"
	"github.com/evc-dev/evc/internal/lazyregexp"
	"github.com/evc-dev/evc/ir"
)

// decl is a declared name: a named type or a custom domain type.
type decl struct {
	unit   *unit
	named  *ir.Named
	custom *ir.Custom
	ast    *idl.Decl // nil for types read from .avsc
	// index is the declaration's place among its file's: what a later
	// compilation of the file declares at that place is the same type.
	index int
	// idlName is the namespace plus the declared identifier when @name
	// gives the type another Avro name: it is found by both.
	idlName string
	// resolving and resolved guard the lazy resolution of custom types.
	resolving, resolved bool
}

func (d *decl) fullName() string {
	if d.named != nil {
		return d.named.FullName()
	}
	return d.custom.FullName()
}

func (d *decl) span() diag.Span {
	if d.named != nil {
		return d.named.NameSpan
	}
	return d.custom.Span
}

// scope holds the declarations of the whole compilation.
type scope struct {
	// byName maps Avro full names, and IDL full names (namespace plus the
	// declared identifier, when @name renames the type), to declarations.
	byName map[string][]*decl
}

// declare creates the IR file of every .evc unit and registers every named
// type and custom type, reporting names that break Avro's rules and
// duplicates. A unit reused from an earlier compilation keeps its file and
// declarations; only the registering, which involves every file, is done
// again.
func (c *compilation) declare() {
	for _, u := range c.order {
		if u.ast != nil && !u.reused {
			done := c.into(u)
			c.declareFile(u)
			done()
		}
	}
	c.register()
}

// register adds the declarations of every file to the scope, in the order
// of the files, and reports names defined twice.
func (c *compilation) register() {
	c.scope = &scope{byName: map[string][]*decl{}}
	seen := map[string]*decl{}
	add := func(key string, d *decl, primary bool) {
		if prev, ok := seen[key]; ok && prev != d {
			c.collided = true
			if d.ast == nil && prev.ast == nil && d.named != nil && prev.named != nil && sameNamed(prev.named, d.named) {
				// The same type again in another self-contained .avsc.
				c.repeats[d.named] = true
				return
			}
			if primary && d.named != nil && prev.named != nil && (d.ast == nil) != (prev.ast == nil) {
				// A .evc type and an .avsc definition: one type when they
				// agree, which is known once the .evc type is resolved
				// (checkCopies). The .evc definition is the one used.
				evc, avsc := prev, d
				if d.ast != nil {
					evc, avsc = d, prev
					seen[key] = evc
					for i, x := range c.scope.byName[key] {
						if x == avsc {
							c.scope.byName[key][i] = evc
						}
					}
				}
				c.repeats[avsc.named] = true
				c.copies = append(c.copies, [2]*decl{evc, avsc})
				return
			}
			if primary {
				msg := "type " + strconv.Quote(key) + " is already defined"
				if d.ast == nil && prev.ast == nil {
					msg += ", differently"
				}
				dg := diag.Diagnostic{
					Span:    d.span(),
					Message: msg,
					Related: []diag.Related{{Span: prev.span(), Message: "first defined here"}},
				}
				c.res.Diags.Add(dg)
			}
			return
		}
		seen[key] = d
		c.scope.byName[key] = append(c.scope.byName[key], d)
	}
	declareAvsc := func(u *unit) {
		for i, n := range u.file.Types {
			d := &decl{unit: u, named: n, resolved: true, index: i}
			u.decls = append(u.decls, d)
			c.decls = append(c.decls, d)
			add(n.FullName(), d, true)
		}
	}
	imported := map[*unit]bool{}
	for _, u := range c.order {
		for _, e := range u.imports {
			imported[e.target] = true
		}
	}
	// evc's own output, found in a folder being compiled, is not a source:
	// history files (<dir>/<full.name>/v<N>.avsc, of that type) are left
	// out, and a <full.name>.avsc of a type that a .evc file defines is that
	// type's generated copy, stale or not.
	var copies []*unit
	for _, u := range c.order {
		switch {
		case u.avsc && u.file != nil:
			if u.walked && !imported[u] {
				switch root := rootName(u.file); {
				case root != "" && historyFile(u.path, root):
					u.file = nil
					continue
				case root != "" && path.Base(u.path) == root+".avsc":
					copies = append(copies, u)
					continue
				}
			}
			declareAvsc(u)
		case u.ast != nil:
			for _, d := range u.decls {
				c.decls = append(c.decls, d)
				add(d.fullName(), d, true)
				if d.idlName != "" {
					add(d.idlName, d, false)
				}
			}
		}
	}
	for _, u := range copies {
		if d := seen[rootName(u.file)]; d != nil && d.ast != nil {
			u.file = nil
			continue
		}
		declareAvsc(u)
	}
}

// checkCopies settles the .avsc definitions of .evc types, now that the
// .evc types are resolved: an identical one (the same Parsing Canonical
// Form) is the same type, and an .avsc file that only repeats .evc types is
// no source of its own (not one more top-level type); a different one is an
// error at the .avsc whose help says what to do.
func (c *compilation) checkCopies() {
	copied := map[*ir.Named]bool{}
	for _, p := range c.copies {
		evc, avsc := p[0], p[1]
		if sameNamed(evc.named, avsc.named) {
			copied[avsc.named] = true
			continue
		}
		c.res.Diags.Add(diag.Diagnostic{
			Span:    avsc.span(),
			Message: "type " + strconv.Quote(avsc.named.FullName()) + " is already defined",
			Related: []diag.Related{{Span: evc.span(), Message: "first defined here"}},
			Help: fmt.Sprintf("%s defines it differently from %s; if it is generated output, keep it out of the folders evc reads (write it elsewhere, or list it under \"exclude\" in evc.json), else define the type in one place",
				avsc.unit.path, evc.unit.path),
		})
	}
	if len(copied) == 0 {
		return
	}
	for _, u := range c.order {
		if !u.avsc || u.file == nil || len(u.file.Types) == 0 {
			continue
		}
		only, some := true, false
		for _, n := range u.file.Types {
			only = only && c.repeats[n]
			some = some || copied[n]
		}
		if only && some {
			u.file = nil
		}
	}
}

// rootName is the full name of an .avsc file's top-level type, "" when it
// is not a named type.
func rootName(f *ir.File) string {
	if f.Root == nil || f.Root.Named == nil {
		return ""
	}
	return f.Root.Named.FullName()
}

var historyVersion = lazyregexp.New(`^v[0-9]+\.avsc$`)

// historyFile reports whether p is laid out as evc compat --record-history
// writes a version of the type called name: <dir>/<name>/v<N>.avsc.
func historyFile(p, name string) bool {
	return historyVersion().MatchString(path.Base(p)) && path.Base(path.Dir(p)) == name
}

// declareFile creates u's IR file and the header of each type it declares
// (the bodies are resolved once every file is declared), in u.decls.
func (c *compilation) declareFile(u *unit) {
	f := &ir.File{Path: u.path, Imported: u.imported, Doc: docText(u.ast.Doc)}
	u.file = f
	u.decls = nil
	if ns := u.ast.Namespace; ns != nil {
		f.Namespace = ns.Name.String()
		if p := names.NamespaceProblem(f.Namespace, false); p != "" {
			c.res.Diags.Errorf(idl.Span(u.path, ns.Name.Pos, ns.Name.EndPos), "namespace %q is not a valid Avro name: %s", f.Namespace, p)
		}
	}
	for _, d := range u.ast.Decls {
		var kind ir.Kind
		var ident idl.Ident
		var namePos, nameEnd lexer.Position
		var pos, end = d.Pos, d.EndPos
		switch {
		case d.Record != nil:
			kind, ident, namePos, nameEnd = ir.Record, d.Record.Name, d.Record.NamePos, d.Record.NameEnd
		case d.Enum != nil:
			kind, ident, namePos, nameEnd = ir.Enum, d.Enum.Name, d.Enum.NamePos, d.Enum.NameEnd
		case d.Fixed != nil:
			kind, ident, namePos, nameEnd = ir.Fixed, d.Fixed.Name, d.Fixed.NamePos, d.Fixed.NameEnd
		case d.TypeDef != nil:
			ident, namePos, nameEnd = d.TypeDef.Name, d.TypeDef.NamePos, d.TypeDef.NameEnd
		case d.Option != nil:
			c.option(u, d)
			continue
		default:
			continue // imports were loaded; topics are resolved later
		}
		nameSpan := idl.Span(u.path, namePos, nameEnd)
		if d.TypeDef != nil {
			an := c.annotations(u, d.Annotations, onTypeDef)
			cu := &ir.Custom{
				Name: string(ident), Namespace: f.Namespace, Doc: docText(d.Doc),
				GoType: an.goType, GoSpan: an.spans["go"], File: f, Span: nameSpan,
			}
			c.checkName(string(ident), nameSpan, "type")
			if an.goType != "" && !validGoType(an.goType) {
				c.res.Diags.Errorf(an.spans["go"], "@go needs a Go type as \"import/path.Name\", not %q", an.goType)
			}
			f.Customs = append(f.Customs, cu)
			u.decls = append(u.decls, &decl{unit: u, custom: cu, ast: d, index: len(u.decls)})
			continue
		}
		an := c.annotations(u, d.Annotations, onNamed)
		n := &ir.Named{
			Kind: kind, Name: string(ident), Namespace: f.Namespace, Doc: docText(d.Doc),
			Deprecated: an.deprecated, DeprecatedReason: an.deprecatedReason,
			Props: an.props, Compat: an.compat, Event: an.event, GoName: an.goName,
			File: f, Span: idl.Span(u.path, pos, end), NameSpan: nameSpan,
		}
		n.Doc, n.EmptyDoc = c.docOf(d.Doc, an)
		n.Error = d.Record != nil && d.Record.Keyword == "error"
		if an.event != nil && kind != ir.Record {
			c.res.Diags.Errorf(an.event.Span, "@event applies to records only")
		}
		if an.name != nil {
			n.Name = an.name.val
			nameSpan = an.name.span
			if n.GoName == "" && n.Name != string(ident) {
				n.GoName = string(ident)
			}
		}
		if an.namespace != nil {
			n.Namespace = an.namespace.val
			if p := names.NamespaceProblem(n.Namespace, false); p != "" {
				c.res.Diags.Errorf(an.namespace.span, "namespace %q is not a valid Avro name: %s", n.Namespace, p)
			}
		}
		if n.Namespace != "" && names.IsPrimitiveName(n.Name) && names.Problem(n.Name) == "" {
			d := c.res.Diags.Warnf(nameSpan, "%s %q is outside the Avro specification: its name is that of a primitive type", kind, n.FullName())
			d.Help = fmt.Sprintf("Avro Java accepts it (refer to it by its full name, %q: %q alone is the primitive), but the specification and other libraries may refuse it", n.FullName(), n.Name)
		} else {
			c.checkName(n.Name, nameSpan, kind.String())
		}
		for _, al := range an.aliases {
			full := al.val
			if short, ok := names.NullNamespaceAlias(full); ok {
				n.Aliases = append(n.Aliases, short) // ".Old": Old in the null namespace
				continue
			}
			if p := names.NamespaceProblem(full, true); p != "" {
				c.res.Diags.Errorf(al.span, "alias %q is not a valid Avro name: %s", al.val, p)
				continue
			}
			if ns, _ := ir.SplitName(full); ns == "" {
				full = ir.JoinName(n.Namespace, full)
			}
			n.Aliases = append(n.Aliases, full)
		}
		f.Types = append(f.Types, n)
		dd := &decl{unit: u, named: n, ast: d, index: len(u.decls)}
		if idlName := ir.JoinName(f.Namespace, string(ident)); idlName != n.FullName() {
			dd.idlName = idlName
		}
		u.decls = append(u.decls, dd)
	}
}

func (c *compilation) checkName(name string, sp diag.Span, what string) {
	if p := names.Problem(name); p != "" {
		c.res.Diags.Errorf(sp, "%s name %q is not a valid Avro name: it %s", what, name, p)
		return
	}
	if names.IsPrimitiveName(name) {
		c.res.Diags.Errorf(sp, "%s name %q is an Avro primitive type", what, name)
	}
}

func (c *compilation) option(u *unit, d *idl.Decl) {
	o := d.Option
	sp := idl.Span(u.path, o.Pos, o.EndPos)
	if len(d.Annotations) > 0 {
		c.res.Diags.Errorf(sp, "options take no annotations")
	}
	switch o.Name {
	case "go_package":
		if s, ok := c.stringLit(u, o.Value); ok {
			if !ValidImportPath(s) {
				c.res.Diags.Errorf(sp, "go_package %q is not a Go import path", s).Help = `an import path is slash-separated elements, none of them empty, "." or ".."`
				return
			}
			u.file.GoPackage = s
			u.file.GoPackageSpan = idl.Span(u.path, o.Value.Pos, o.Value.EndPos)
		}
	case "compat":
		var s string
		if o.Value.Ident != nil {
			s = string(*o.Value.Ident)
		} else if v, ok := c.stringLit(u, o.Value); ok {
			s = v
		} else {
			return
		}
		mode := toUpper(s)
		if !validMode(mode) {
			c.res.Diags.Errorf(sp, "unknown compatibility mode %q", s).Help = "use one of BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE, NONE"
			return
		}
		u.file.Compat = mode
	default:
		c.res.Diags.Errorf(sp, "unknown option %q", string(o.Name)).Help = "the options are go_package and compat"
	}
}

func toUpper(s string) string {
	b := []byte(s)
	for i, ch := range b {
		if ch >= 'a' && ch <= 'z' {
			b[i] = ch - 32
		}
	}
	return string(b)
}

// docText joins doc comment lines.
func docText(lines []string) string {
	out := ""
	for i, l := range lines {
		if i > 0 {
			out += "\n"
		}
		out += l
	}
	return out
}

// ValidImportPath reports whether s can be a Go import path that evc writes
// a package to: go_package, and --go-package.
func ValidImportPath(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r <= ' ' || r == '"' || r == '\\' || r == '`' {
			return false
		}
	}
	// No element may be empty, "." or "..": the path becomes folders under
	// --go-out, and must not lead out of it.
	for _, el := range strings.Split(s, "/") {
		if el == "" || el == "." || el == ".." {
			return false
		}
	}
	return true
}

// validGoType accepts "import/path.Name".
func validGoType(s string) bool {
	i := lastDot(s)
	if i <= 0 || i == len(s)-1 || !ValidImportPath(s[:i]) {
		return false
	}
	return names.ValidName(s[i+1:])
}

func lastDot(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '.' {
			return i
		}
		if s[i] == '/' {
			return -1
		}
	}
	return -1
}
