package avsc

import (
	"fmt"
	"strings"

	"github.com/evc-dev/evc/compiler/defaults"
	"github.com/evc-dev/evc/compiler/names"
	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/ir"
)

var namedKinds = map[string]ir.Kind{"record": ir.Record, "error": ir.Record, "enum": ir.Enum, "fixed": ir.Fixed}

// named reads a record, error, enum or fixed definition in namespace ns.
func (r *reader) named(o *object, typ string, ns string, depth int) *ir.Named {
	n := &ir.Named{Kind: namedKinds[typ], Error: typ == "error", File: r.file, Span: o.lit.Span}
	reserved := []string{"type", "name", "namespace", "doc", "aliases"}

	name, nameLit := r.str(o, "name", typ)
	if nameLit == nil {
		if o.get("name") == nil {
			r.l.Errorf(o.lit.Span, `%s has no "name"`, typ)
		}
		n.NameSpan = o.lit.Span
	} else {
		n.NameSpan = nameLit.Span
	}
	if strings.Contains(name, ".") {
		n.Namespace, n.Name = ir.SplitName(name)
		if !names.ValidFullName(name) {
			d := r.l.Errorf(nameLit.Span, "%s name %q is not a valid Avro name: %s", typ, name, names.NamespaceProblem(name, true))
			d.Help = nameHelp
		}
	} else {
		n.Name, n.Namespace = name, ns
		if nsv := o.get("namespace"); nsv != nil {
			switch nsv.Kind {
			case defaults.LitString:
				n.Namespace = nsv.Text
				if !names.ValidNamespace(nsv.Text) {
					d := r.l.Errorf(nsv.Span, "namespace %q is not a valid Avro name: %s", nsv.Text, names.NamespaceProblem(nsv.Text, false))
					d.Help = nameHelp
				}
			case defaults.LitNull:
				// Python writes "namespace": null for the null namespace's
				// children; it leaves the enclosing namespace in force.
			default:
				// Avro Java reads a namespace that is not a string as none
				// written: the enclosing namespace stays in force.
				d := r.l.Warnf(nsv.Span, `%s %q: "namespace" is %s, not a string, so Avro ignores it`, typ, name, kindName(nsv))
				d.Help = "Avro Java reads it as no namespace: the enclosing one applies"
			}
		}
		if nameLit != nil && !names.ValidName(name) {
			d := r.l.Errorf(nameLit.Span, "%s name %q is not a valid Avro name: %s", typ, name, names.NamespaceProblem(name, true))
			d.Help = nameHelp
		}
	}
	if nameLit != nil && names.IsPrimitiveName(n.Name) {
		if n.Namespace == "" {
			r.l.Errorf(nameLit.Span, "%s cannot be named %q: that is the name of a primitive type", typ, n.Name)
		} else {
			d := r.l.Warnf(nameLit.Span, "%s %q is outside the Avro specification: its name is that of a primitive type", typ, n.FullName())
			d.Help = fmt.Sprintf("Avro Java accepts it (refer to it by its full name, %q: %q alone is the primitive), but the specification and other libraries may refuse it", n.FullName(), n.Name)
		}
	}
	full := n.FullName()
	owner := typ
	if n.Name != "" {
		owner = fmt.Sprintf("%s %q", typ, full)
	}

	if nameLit != nil {
		if first := r.defs[full]; first != nil {
			d := r.l.Errorf(nameLit.Span, "type %q is already defined at %s", full, first.NameSpan.Start)
			d.Related = []diag.Related{{Span: first.NameSpan, Message: "first defined here"}}
		} else {
			r.defs[full] = n
			r.file.Types = append(r.file.Types, n)
		}
	}

	n.Doc, n.EmptyDoc = r.doc(o, owner)
	n.Aliases = r.aliases(o, n.Namespace, owner, true)
	n.Deprecated, n.DeprecatedReason = r.deprecated(o)
	if n.Deprecated {
		reserved = append(reserved, ir.AttrDeprecated)
	}

	switch typ {
	case "record", "error":
		reserved = append(reserved, "fields", ir.AttrReserved, ir.AttrEvent)
		r.fields(n, o, owner, depth)
		n.Reserved = r.reservedNames(o, owner)
		r.event(n, o, owner)
		for _, res := range n.Reserved {
			if f := n.Field(res.Name); f != nil {
				d := r.l.Errorf(f.NameSpan, "field %q of %s is reserved", f.Name, full)
				d.Related = []diag.Related{{Span: res.Span, Message: "reserved here"}}
			}
		}
	case "enum":
		reserved = append(reserved, "symbols", "default", ir.AttrSymbolDocs, ir.AttrDeprecatedSymbols, ir.AttrReserved)
		r.symbols(n, o, owner)
		n.Reserved = r.reservedNames(o, owner)
		for _, res := range n.Reserved {
			if i := n.SymbolIndex(res.Name); i >= 0 {
				d := r.l.Errorf(n.Symbols[i].Span, "symbol %q of %s is reserved", res.Name, full)
				d.Related = []diag.Related{{Span: res.Span, Message: "reserved here"}}
			}
		}
	case "fixed":
		reserved = append(reserved, "size")
		sv := o.get("size")
		switch size, ok := 0, false; {
		case sv == nil:
			r.l.Errorf(o.lit.Span, `%s has no "size"`, owner)
		default:
			if size, ok = intValue(sv); !ok || size < 0 {
				r.l.Errorf(sv.Span, `%s: "size" must be a non-negative integer, not %s`, owner, defaults.Render(sv))
			} else if size > ir.MaxFixedSize {
				r.l.Errorf(sv.Span, `%s: "size" is %d; evc takes a fixed of at most %d bytes (16 MiB)`, owner, size, ir.MaxFixedSize).Help = "every value of a fixed holds all its bytes; use bytes for large or variable-size data"
			} else {
				n.Size = size
				reserved = append(reserved, r.logical(o, ir.Fixed, size, &n.Logical, &n.Precision, &n.Scale, &n.NoScale)...)
			}
		}
	}
	n.Props = r.props(o, reserved...)
	return n
}

// doc reads "doc"; empty reports an empty doc, which is kept. Avro Java
// reads a doc that is not a string (null, a number) as no doc, so that is a
// warning, and the doc is dropped.
func (r *reader) doc(o *object, owner string) (doc string, empty bool) {
	v := o.get("doc")
	if v == nil {
		return "", false
	}
	if v.Kind != defaults.LitString {
		d := r.l.Warnf(v.Span, "%s: \"doc\" is %s, not a string, so Avro ignores it", owner, kindName(v))
		d.Help = "Avro Java reads it as no doc; evc drops it"
		return "", false
	}
	return v.Text, v.Text == ""
}

// deprecated reads "deprecated": true or "deprecated": "reason".
func (r *reader) deprecated(o *object) (bool, string) {
	v := o.get(ir.AttrDeprecated)
	switch {
	case v == nil:
		return false, ""
	case v.Kind == defaults.LitBool && v.Bool:
		return true, ""
	case v.Kind == defaults.LitString && v.Text != "":
		return true, v.Text
	}
	return false, ""
}

// aliases reads "aliases": full qualifies them against ns, as Avro Java does
// for a named type's aliases.
func (r *reader) aliases(o *object, ns, owner string, full bool) []string {
	v := o.get("aliases")
	if v == nil {
		return nil
	}
	if v.Kind != defaults.LitArray {
		r.l.Errorf(v.Span, `%s: "aliases" must be an array of names, not %s`, owner, kindName(v))
		return nil
	}
	var out []string
	for _, it := range v.Items {
		if it.Kind != defaults.LitString {
			r.l.Errorf(it.Span, `%s: an alias must be a string, not %s`, owner, defaults.Render(it))
			continue
		}
		a := it.Text
		ok := names.ValidName(a)
		if full {
			ok = names.ValidFullName(a)
			if short, dot := names.NullNamespaceAlias(a); dot {
				a, ok = short, true
			} else if !strings.Contains(a, ".") {
				a = ir.JoinName(ns, a)
			}
		}
		if !ok {
			d := r.l.Errorf(it.Span, "%s: alias %q is not a valid Avro name: %s", owner, it.Text, names.NamespaceProblem(it.Text, true))
			d.Help = nameHelp
			continue
		}
		out = append(out, a)
	}
	return out
}

// reservedNames reads "x-evc-reserved": ["a", "b"].
func (r *reader) reservedNames(o *object, owner string) []ir.Reserved {
	v := o.get(ir.AttrReserved)
	if v == nil {
		return nil
	}
	if v.Kind != defaults.LitArray {
		r.l.Errorf(v.Span, `%s: %q must be an array of names, not %s`, owner, ir.AttrReserved, kindName(v))
		return nil
	}
	var out []ir.Reserved
	for _, it := range v.Items {
		if it.Kind != defaults.LitString || !names.ValidName(it.Text) {
			r.l.Errorf(it.Span, `%s: %q must list valid names, not %s`, owner, ir.AttrReserved, defaults.Render(it))
			continue
		}
		out = append(out, ir.Reserved{Name: it.Text, Span: it.Span})
	}
	return out
}

// event reads "x-evc-event": {"type": "...", "source": "..."}.
func (r *reader) event(n *ir.Named, o *object, owner string) {
	v := o.get(ir.AttrEvent)
	if v == nil {
		return
	}
	if v.Kind != defaults.LitObject {
		r.l.Errorf(v.Span, `%s: %q must be an object with "type" and "source", not %s`, owner, ir.AttrEvent, kindName(v))
		return
	}
	ev := &ir.Event{Span: v.Span}
	eo := r.object(v)
	for _, m := range v.Fields {
		switch m.Key {
		case "type", "source":
			if m.Value.Kind != defaults.LitString {
				r.l.Errorf(m.Value.Span, `%s: %q %q must be a string, not %s`, owner, ir.AttrEvent, m.Key, kindName(m.Value))
				continue
			}
			if m.Key == "type" {
				ev.Type = m.Value.Text
			} else {
				ev.Source = m.Value.Text
			}
		default:
			r.l.Errorf(m.KeySpan, `%s: %q has no key %q (it takes "type" and "source")`, owner, ir.AttrEvent, m.Key)
		}
	}
	if eo.get("type") == nil {
		r.l.Errorf(v.Span, `%s: %q has no "type"`, owner, ir.AttrEvent)
	}
	n.Event = ev
}

// fields reads a record's "fields".
func (r *reader) fields(n *ir.Named, o *object, owner string, depth int) {
	fv := o.get("fields")
	if fv == nil {
		r.l.Errorf(o.lit.Span, `%s has no "fields"`, owner)
		return
	}
	if fv.Kind != defaults.LitArray {
		r.l.Errorf(fv.Span, `%s: "fields" must be an array, not %s`, owner, kindName(fv))
		return
	}
	n.Fields = []*ir.Field{}
	seen := map[string]*ir.Field{}
	for _, flit := range fv.Items {
		if flit.Kind != defaults.LitObject {
			r.l.Errorf(flit.Span, "%s: a field must be an object, not %s", owner, defaults.Render(flit))
			continue
		}
		fo := r.object(flit)
		f := &ir.Field{Span: flit.Span, NameSpan: flit.Span}
		name, nameLit := r.str(fo, "name", owner+": field")
		if nameLit == nil {
			if fo.get("name") == nil {
				r.l.Errorf(flit.Span, `%s: a field has no "name"`, owner)
			}
		} else {
			f.Name, f.NameSpan = name, nameLit.Span
			if !names.ValidName(name) {
				d := r.l.Errorf(nameLit.Span, "field name %q is not a valid Avro name: %s", name, names.NamespaceProblem(name, true))
				d.Help = nameHelp
			}
			if first := seen[name]; first != nil {
				d := r.l.Errorf(nameLit.Span, "%s has two fields named %q", owner, name)
				d.Related = []diag.Related{{Span: first.NameSpan, Message: "first defined here"}}
			} else {
				seen[name] = f
			}
		}
		fowner := fmt.Sprintf("field %q", name)
		if tv := fo.get("type"); tv == nil {
			r.l.Errorf(flit.Span, `%s of %s has no "type"`, fowner, owner)
			f.Type = &ir.Type{Span: flit.Span}
		} else {
			f.Type = r.schema(tv, n.Namespace, depth+1)
		}
		f.Doc, f.EmptyDoc = r.doc(fo, fowner)
		f.Aliases = r.aliases(fo, "", fowner, false)
		if ov := fo.get("order"); ov != nil {
			switch ord := ir.Order(ov.Text); {
			case ov.Kind == defaults.LitString && (ord == ir.OrderAscending || ord == ir.OrderDescending || ord == ir.OrderIgnore):
				f.Order = ord
			default:
				r.l.Errorf(ov.Span, `%s: "order" must be "ascending", "descending" or "ignore", not %s`, fowner, defaults.Render(ov))
			}
		}
		f.Deprecated, f.DeprecatedReason = r.deprecated(fo)
		reserved := []string{"name", "type", "doc", "default", "order", "aliases"}
		if f.Deprecated {
			reserved = append(reserved, ir.AttrDeprecated)
		}
		f.Props = r.props(fo, reserved...)
		if dv := fo.get("default"); dv != nil {
			r.defaults = append(r.defaults, pendingDefault{f: f, lit: dv})
		}
		n.Fields = append(n.Fields, f)
	}
}

// symbols reads an enum's "symbols", "default" and "x-evc-symbol-docs".
func (r *reader) symbols(n *ir.Named, o *object, owner string) {
	sv := o.get("symbols")
	switch {
	case sv == nil:
		r.l.Errorf(o.lit.Span, `%s has no "symbols"`, owner)
	case sv.Kind != defaults.LitArray:
		r.l.Errorf(sv.Span, `%s: "symbols" must be an array of names, not %s`, owner, kindName(sv))
	default:
		n.Symbols = []*ir.Symbol{}
		seen := map[string]*ir.Symbol{}
		for _, it := range sv.Items {
			if it.Kind != defaults.LitString {
				r.l.Errorf(it.Span, "%s: a symbol must be a string, not %s", owner, defaults.Render(it))
				continue
			}
			if !names.ValidName(it.Text) {
				d := r.l.Errorf(it.Span, "symbol %q of %s is not a valid Avro name: %s", it.Text, owner, names.NamespaceProblem(it.Text, true))
				d.Help = nameHelp
			}
			if first := seen[it.Text]; first != nil {
				d := r.l.Errorf(it.Span, "%s has the symbol %q twice", owner, it.Text)
				d.Related = []diag.Related{{Span: first.Span, Message: "first defined here"}}
				continue
			}
			s := &ir.Symbol{Name: it.Text, Span: it.Span}
			seen[it.Text] = s
			n.Symbols = append(n.Symbols, s)
		}
	}
	if dv := o.get("default"); dv != nil {
		switch {
		case dv.Kind != defaults.LitString:
			// Avro Java reads a default that is not a string as none.
			d := r.l.Warnf(dv.Span, "%s has default %s, which is not a string, so Avro ignores it", owner, defaults.Render(dv))
			d.Help = "an enum's default is one of its symbols; Avro Java reads anything else as no default"
		case n.Symbols != nil && n.SymbolIndex(dv.Text) < 0:
			r.l.Errorf(dv.Span, "%s has default %q, which is not one of its symbols", owner, dv.Text)
		default:
			n.Default, n.HasDefault = dv.Text, true
		}
	}
	r.perSymbol(o, n, owner, ir.AttrSymbolDocs, "symbol docs", func(sym *ir.Symbol, v *defaults.Literal) string {
		if v.Kind != defaults.LitString {
			return fmt.Sprintf("the doc of symbol %q must be a string, not %s", sym.Name, kindName(v))
		}
		sym.Doc = v.Text
		return ""
	})
	r.perSymbol(o, n, owner, ir.AttrDeprecatedSymbols, "deprecated symbols", func(sym *ir.Symbol, v *defaults.Literal) string {
		switch {
		case v.Kind == defaults.LitString:
			sym.Deprecated, sym.DeprecatedReason = true, v.Text
		case v.Kind == defaults.LitBool && v.Bool:
			sym.Deprecated = true
		default:
			return fmt.Sprintf("the deprecation of symbol %q must be true or a reason, not %s", sym.Name, kindName(v))
		}
		return ""
	})
}

// perSymbol reads an evc attribute that maps enum symbols to values, such as
// "x-evc-symbol-docs", calling set for each; set returns a problem, or "".
func (r *reader) perSymbol(o *object, n *ir.Named, owner, key, what string, set func(*ir.Symbol, *defaults.Literal) string) {
	dv := o.get(key)
	if dv == nil {
		return
	}
	if dv.Kind != defaults.LitObject {
		r.l.Errorf(dv.Span, `%s: %q must be an object of %s, not %s`, owner, key, what, kindName(dv))
		return
	}
	r.object(dv)
	for _, m := range dv.Fields {
		i := n.SymbolIndex(m.Key)
		if i < 0 {
			r.l.Errorf(m.KeySpan, `%s: %q names %q, which is not a symbol`, owner, key, m.Key)
			continue
		}
		if p := set(n.Symbols[i], m.Value); p != "" {
			r.l.Errorf(m.Value.Span, "%s: %s", owner, p)
		}
	}
}
