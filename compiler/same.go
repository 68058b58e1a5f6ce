package compiler

import "github.com/evc-dev/evc/ir"

// sameNamed reports whether two definitions of a named type describe the same
// schema, as their Parsing Canonical Forms would: the same full name, kind,
// fields in order with the same names and types, symbols, size and logical
// type. Docs, defaults, aliases and properties are not compared. Folders of
// self-contained .avsc files define shared types again in every file; such
// repeats are fine when they agree.
func sameNamed(a, b *ir.Named) bool {
	return (&sameCmp{seen: map[[2]*ir.Named]bool{}}).named(a, b)
}

type sameCmp struct{ seen map[[2]*ir.Named]bool }

func (s *sameCmp) named(a, b *ir.Named) bool {
	if a == b {
		return true
	}
	if a == nil || b == nil || a.FullName() != b.FullName() || a.Kind != b.Kind {
		return false
	}
	key := [2]*ir.Named{a, b}
	if s.seen[key] {
		return true // recursion: assume equal, as a coinductive comparison does
	}
	s.seen[key] = true
	switch a.Kind {
	case ir.Record:
		if len(a.Fields) != len(b.Fields) {
			return false
		}
		for i := range a.Fields {
			if a.Fields[i].Name != b.Fields[i].Name || !s.typ(a.Fields[i].Type, b.Fields[i].Type) {
				return false
			}
		}
	case ir.Enum:
		if len(a.Symbols) != len(b.Symbols) {
			return false
		}
		for i := range a.Symbols {
			if a.Symbols[i].Name != b.Symbols[i].Name {
				return false
			}
		}
	case ir.Fixed:
		if a.Size != b.Size || a.Logical != b.Logical || a.Precision != b.Precision || a.Scale != b.Scale {
			return false
		}
	}
	return true
}

func (s *sameCmp) typ(a, b *ir.Type) bool {
	if a == nil || b == nil {
		return a == b
	}
	if a.Kind != b.Kind || a.Logical != b.Logical || a.Precision != b.Precision || a.Scale != b.Scale {
		return false
	}
	switch a.Kind {
	case ir.Record, ir.Enum, ir.Fixed:
		return s.named(a.Named, b.Named)
	case ir.Array:
		return s.typ(a.Items, b.Items)
	case ir.Map:
		return s.typ(a.Values, b.Values)
	case ir.Union:
		if len(a.Branches) != len(b.Branches) {
			return false
		}
		for i := range a.Branches {
			if !s.typ(a.Branches[i], b.Branches[i]) {
				return false
			}
		}
	}
	return true
}
