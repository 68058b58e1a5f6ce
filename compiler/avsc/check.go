package avsc

import (
	"fmt"
	"strings"

	"github.com/evc-dev/evc/compiler/defaults"
	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/ir"
)

// resolve resolves the references to types that were not defined when they
// were read: a forward reference within the file (Avro Java 1.12 accepts
// it, most tools do not, so it is a warning), or an unknown type.
func (r *reader) resolve() {
	for _, p := range r.pending {
		var found *ir.Named
		for _, c := range p.candidates {
			if n := r.defs[c]; n != nil {
				found = n
				break
			}
		}
		if found != nil {
			p.t.Kind, p.t.Named = found.Kind, found
			d := r.l.Warnf(p.t.Span, "type %q is used before it is defined at %s", found.FullName(), found.NameSpan.Start)
			d.Help = "Avro 1.11 and most tools other than Avro Java 1.12 need a type defined before its first use; move the definition here"
			continue
		}
		var d = r.l.Errorf(p.t.Span, "unknown type %q", p.written)
		if len(p.candidates) > 1 {
			d.Message += fmt.Sprintf(" (looked for %q and %q)", p.candidates[0], p.candidates[1])
		}
		_, short := ir.SplitName(p.written)
		for _, n := range r.file.Types {
			if strings.EqualFold(n.Name, short) {
				d.Help = fmt.Sprintf("did you mean %q?", n.FullName())
				break
			}
		}
	}
}

// checkUnions checks what Avro forbids in a union: a union directly in a
// union, and two branches of the same type.
func (r *reader) checkUnions() {
	for _, u := range r.unions {
		seen := map[string]*ir.Type{}
		for _, b := range u.Branches {
			key := b.Kind.String()
			switch {
			case b.Kind == ir.Invalid:
				continue
			case b.Kind == ir.Union:
				r.l.Errorf(b.Span, "a union cannot directly contain another union")
				continue
			case b.Named != nil:
				key = b.Named.FullName()
			}
			if first := seen[key]; first != nil {
				d := r.l.Errorf(b.Span, "the union has two branches of type %s", key)
				d.Related = []diag.Related{{Span: first.Span, Message: "first branch of that type"}}
				continue
			}
			seen[key] = b
		}
		if len(u.Branches) == 2 && u.Branches[0].Kind == ir.Null && u.Branches[1].Kind != ir.Null &&
			u.Branches[1].Kind != ir.Invalid && u.Branches[1].Kind != ir.Union {
			u.Optional = true
		}
	}
}

// checkDefaults checks every field default against its type. Every field
// with a default is first marked as having one, so that a record default
// may leave out fields that have their own.
func (r *reader) checkDefaults() {
	for _, p := range r.defaults {
		p.f.Default = &ir.Value{}
	}
	for _, p := range r.defaults {
		if !valid(p.f.Type) {
			p.f.Default = nil
			continue
		}
		p.f.Default = defaults.CheckAvsc(fmt.Sprintf("field %q", p.f.Name), p.f.Type, p.lit, r.l)
	}
}

// valid reports whether t was read without errors, so that a default is
// checked only against a type that exists.
func valid(t *ir.Type) bool {
	if t == nil {
		return false
	}
	ok := true
	ir.WalkDeep(t, func(t *ir.Type) bool {
		switch {
		case t.Kind == ir.Invalid,
			t.Kind == ir.Record && t.Named == nil,
			t.Kind == ir.Array && t.Items == nil,
			t.Kind == ir.Map && t.Values == nil:
			ok = false
		}
		return ok
	})
	return ok
}
