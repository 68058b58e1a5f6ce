package compiler

import (
	"fmt"

	"github.com/evc-dev/evc/ir"
)

// checkFinite warns about records declared in .evc files that can hold no
// value at all, because a required field needs a value of the record itself
// (record Node { next: Node; }), directly or through other records. Avro
// accepts such schemas, so this is a warning (evc must be able to say what
// an .avsc says), but no datum of them can ever be written.
func (c *compilation) checkFinite() {
	var records []*ir.Named
	for _, d := range c.decls {
		if d.named != nil && d.named.Kind == ir.Record && !c.repeats[d.named] {
			records = append(records, d.named)
		}
	}
	// The least fixed point: a record has a value once all its fields do.
	ok := map[*ir.Named]bool{}
	for changed := true; changed; {
		changed = false
		for _, n := range records {
			if !ok[n] && firstEmptyField(n, ok) == nil {
				ok[n], changed = true, true
			}
		}
	}
	for _, d := range c.decls {
		n := d.named
		if d.ast == nil || n == nil || n.Kind != ir.Record || ok[n] || c.repeats[n] || !onEmptyCycle(n, ok) {
			continue // a record empty only because it uses another is reported there
		}
		f := firstEmptyField(n, ok)
		typ := f.Type.Name()
		if f.Type.Named != nil {
			typ = f.Type.Named.Name
		}
		d := c.res.Diags.Warnf(n.NameSpan, "record %q can never hold a value: field %q (%s) contains another %q, and so on without end", n.Name, f.Name, typ, n.Name)
		d.Help = fmt.Sprintf("make the field optional (%s: %s?), or hold the records in an array or a map", f.Name, typ)
		if f.Type.Kind == ir.Union {
			d.Help = "add null, or a branch that needs no such record, to the union"
		}
	}
}

// firstEmptyField returns the first field of n whose type has no value yet,
// given the records known to have one.
func firstEmptyField(n *ir.Named, ok map[*ir.Named]bool) *ir.Field {
	for _, f := range n.Fields {
		if !hasValue(f.Type, ok, 0) {
			return f
		}
	}
	return nil
}

func hasValue(t *ir.Type, ok map[*ir.Named]bool, depth int) bool {
	if t == nil || depth > 1000 {
		return true // nothing to say about what could not be resolved
	}
	switch t.Kind {
	case ir.Record:
		return t.Named == nil || ok[t.Named]
	case ir.Union:
		for _, b := range t.Branches {
			if hasValue(b, ok, depth+1) {
				return true
			}
		}
		return len(t.Branches) == 0
	}
	// Primitives, enums (an empty one is warned about on its own), fixed,
	// and arrays and maps, which may be empty.
	return true
}

// onEmptyCycle reports whether n, which has no value, contains itself
// through fields that have none.
func onEmptyCycle(n *ir.Named, ok map[*ir.Named]bool) bool {
	seen := map[*ir.Named]bool{}
	var visit func(m *ir.Named) bool
	visit = func(m *ir.Named) bool {
		for _, f := range m.Fields {
			if hasValue(f.Type, ok, 0) {
				continue
			}
			for _, r := range emptyRecords(f.Type, ok, nil) {
				if r == n {
					return true
				}
				if !seen[r] {
					seen[r] = true
					if visit(r) {
						return true
					}
				}
			}
		}
		return false
	}
	return visit(n)
}

// emptyRecords appends the records without a value that t (which has none)
// is made of.
func emptyRecords(t *ir.Type, ok map[*ir.Named]bool, out []*ir.Named) []*ir.Named {
	ir.Walk(t, func(t *ir.Type) bool {
		if t.Kind == ir.Record && t.Named != nil && !ok[t.Named] {
			out = append(out, t.Named)
		}
		return t.Kind == ir.Union // the branches of a union; not arrays or maps, which may be empty
	})
	return out
}
