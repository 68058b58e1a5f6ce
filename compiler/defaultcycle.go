package compiler

import (
	"strings"

	"github.com/evc-dev/evc/ir"
)

// checkDefaultCycles reports defaults that never end. A record value in a
// default may leave out a field that has a default of its own, which Avro
// then fills in; when that default, in turn, leaves out a field whose default
// leads back to the first, the value is infinite, and Avro libraries fail on
// it (twmb/avro: "recursion limit exceeded"). For example:
//
//	record R { a: R = {"a": {}}; }
func (c *compilation) checkDefaultCycles() {
	var fields []*ir.Field
	owner := map[*ir.Field]*ir.Named{}
	deps := map[*ir.Field][]*ir.Field{}
	for _, d := range c.decls {
		n := d.named
		if n == nil || n.Kind != ir.Record || c.repeats[n] {
			continue
		}
		for _, f := range n.Fields {
			if f.Default == nil || f.Default.Kind == ir.Invalid {
				continue
			}
			// A default that leaves nothing out (every default of a
			// primitive type, so nearly all) is on no cycle: leaving it
			// out of the search changes nothing it finds, and saves the
			// maps an entry for each of thousands of fields.
			out := leftOut(f.Type, f.Default, nil, 0)
			if len(out) == 0 {
				continue
			}
			owner[f] = n
			fields = append(fields, f)
			deps[f] = out
		}
	}
	const (
		white = iota
		grey
		black
	)
	color := map[*ir.Field]int{}
	var stack []*ir.Field
	var visit func(f *ir.Field)
	visit = func(f *ir.Field) {
		color[f] = grey
		stack = append(stack, f)
		for _, g := range deps[f] {
			switch color[g] {
			case white:
				if owner[g] != nil {
					visit(g)
				}
			case grey:
				start := len(stack) - 1
				for stack[start] != g {
					start--
				}
				var path []string
				for _, h := range append(stack[start:], g) {
					path = append(path, owner[h].Name+"."+h.Name)
				}
				d := c.res.Diags.Errorf(g.Default.Span, "the default of field %q never ends: a record in it leaves out a field whose default leads back to it (%s)", g.Name, strings.Join(path, " -> "))
				d.Help = "write out the left-out field's value, or make its type optional"
			}
		}
		stack = stack[:len(stack)-1]
		color[f] = black
	}
	for _, f := range fields {
		if color[f] == white {
			visit(f)
		}
	}
}

// leftOut appends to out the fields that record values within v (of type t)
// leave out and that therefore take their own defaults.
func leftOut(t *ir.Type, v *ir.Value, out []*ir.Field, depth int) []*ir.Field {
	if t == nil || v == nil || depth > 2000 {
		return out
	}
	switch t.Kind {
	case ir.Union:
		if v.Branch >= 0 && v.Branch < len(t.Branches) {
			return leftOut(t.Branches[v.Branch], v, out, depth+1)
		}
	case ir.Array:
		for _, it := range v.Items {
			out = leftOut(t.Items, it, out, depth+1)
		}
	case ir.Map:
		for _, e := range v.Entries {
			out = leftOut(t.Values, e.Value, out, depth+1)
		}
	case ir.Record:
		if t.Named == nil {
			return out
		}
		for _, f := range t.Named.Fields {
			if fv := v.Entry(f.Name); fv != nil {
				out = leftOut(f.Type, fv, out, depth+1)
			} else if f.Default != nil {
				out = append(out, f)
			}
		}
	}
	return out
}
