package runtime

import "strings"

// Def is a named type's own definition: its schema with the definitions of
// the named types it uses left out, in pieces between which those go. A
// generated Def holds each piece of JSON once, whatever the nesting, and
// refers to the types it uses by their Go types, which keeps recursive
// types free of initialization cycles.
//
// A hand-written Type may give a whole schema as Def{JSON: []string{schema},
// Canonical: []string{canonical}}.
type Def struct {
	// Head opens the definition as compact JSON, up to and including its
	// "name" member: {"type":"record","name":"message".
	Head string
	// Namespace is the type's namespace. It is written after Head, as a
	// "namespace" member, when it differs from the namespace of the
	// enclosing definition (the null namespace for the whole schema's
	// root), as Avro's own writers do.
	Namespace string
	// JSON continues the definition after Head: Uses[i] goes between
	// JSON[i] and JSON[i+1].
	JSON []string
	// Canonical is the definition's Parsing Canonical Form, cut in the
	// same places as JSON.
	Canonical []string
	// Uses are the named types whose definitions go between the pieces. A
	// named type is defined at its first use in the whole schema and
	// referred to by its full name after that; a use that is always a
	// reference (a type's use of itself, or a second use of a type) is
	// written in the pieces instead.
	Uses []Named
}

// compose writes t's whole schema and its canonical form from the Defs of t
// and of the types it uses.
func (t *Type) compose() {
	c := composer{defined: map[string]bool{}}
	c.def(t, "")
	t.schema, t.canonical = c.json.String(), c.canonical.String()
}

type composer struct {
	json, canonical strings.Builder
	// defined holds the full names already defined.
	defined map[string]bool
}

// def writes t inside a definition of namespace ns: its definition at its
// first use, and its full name after that.
func (c *composer) def(t *Type, ns string) {
	if c.defined[t.Name] {
		quoteName(&c.json, t.Name)
		quoteName(&c.canonical, t.Name)
		return
	}
	c.defined[t.Name] = true
	d := &t.Def
	c.json.WriteString(d.Head)
	if d.Namespace != ns {
		c.json.WriteString(`,"namespace":`)
		quoteName(&c.json, d.Namespace)
	}
	c.json.WriteString(piece(d.JSON, 0))
	c.canonical.WriteString(piece(d.Canonical, 0))
	for i, u := range d.Uses {
		if ut := u.AvroType(); ut != nil {
			c.def(ut, d.Namespace)
		}
		c.json.WriteString(piece(d.JSON, i+1))
		c.canonical.WriteString(piece(d.Canonical, i+1))
	}
}

// quoteName writes an Avro name or namespace as a JSON string: its letters,
// digits, underscores and dots need no escaping.
func quoteName(b *strings.Builder, s string) {
	b.WriteByte('"')
	b.WriteString(s)
	b.WriteByte('"')
}

// piece returns pieces[i], or "" past the end of a hand-written Def.
func piece(pieces []string, i int) string {
	if i < len(pieces) {
		return pieces[i]
	}
	return ""
}
