package compat

import (
	"strconv"

	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/ir"
)

// The rules of the strict checks: changes Avro's resolution lets through
// but that silently change what the data means.
const (
	// RuleLogicalTypeChanged: a logical type was changed, dropped or added
	// (timestamp-millis to timestamp-micros: the same long, read 1000 times
	// off).
	RuleLogicalTypeChanged = "LOGICAL_TYPE_CHANGED"
	// RuleDecimalChanged: a decimal's precision or scale changed (the same
	// unscaled bytes now mean another number).
	RuleDecimalChanged = "DECIMAL_CHANGED"
	// RuleDefaultChanged: a field's default value changed (readers fill
	// missing fields with another value than before).
	RuleDefaultChanged = "DEFAULT_CHANGED"
)

// Change is a change between an old and a new type that Avro's rules allow
// but that changes meaning.
type Change struct {
	// Rule is one of the RuleLogicalTypeChanged, RuleDecimalChanged and
	// RuleDefaultChanged.
	Rule string
	// Path names the element as Incompatibility.Path does.
	Path string
	// Old and New describe the element's value on each side: a logical
	// type's name ("none" when there is none), a decimal's
	// "decimal(p, s)", a default's JSON.
	Old, New string
	// Field is the new field, when the element belongs to one.
	Field *ir.Field
	// Span is the element in the new schema.
	Span diag.Span
}

// StrictChanges compares an old and a new version of a type and returns the
// changes that keep the data readable but change its meaning: logical types
// changed, dropped or added, decimal precision or scale changed, field
// defaults changed. Fields are matched by name and by the new field's
// aliases; union branches by kind and name.
func StrictChanges(old, new *ir.Type) []*Change {
	var s strictWalk
	return s.changes(old, new)
}

type strictWalk struct {
	seen map[pairKey]bool
	out  []*Change
}

// changes runs one comparison, reusing the walk's memory.
func (s *strictWalk) changes(old, new *ir.Type) []*Change {
	if s.seen == nil {
		s.seen = map[pairKey]bool{}
	} else {
		clear(s.seen)
	}
	s.out = nil
	s.walk(old, new, spath{}, nil)
	return s.out
}

// spath is an element path, built only when a change is found: the record
// and field the element belongs to, and the suffixes below the field.
type spath struct {
	rec    *ir.Named
	field  *ir.Field
	suffix string
	root   *ir.Type
}

func (p spath) String() string {
	if p.rec != nil && p.field != nil {
		return p.rec.FullName() + "." + p.field.Name + p.suffix
	}
	if p.root != nil {
		return p.root.Name() + p.suffix
	}
	return p.suffix
}

func (s *strictWalk) add(rule string, p spath, old, new string, f *ir.Field, t *ir.Type) {
	path := p.String()
	sp := spanOf(t, f, nil)
	if f != nil && f.Span.IsValid() && rule == RuleDefaultChanged {
		sp = f.Span
		if f.Default != nil && f.Default.Span.IsValid() {
			sp = f.Default.Span
		}
	}
	s.out = append(s.out, &Change{Rule: rule, Path: path, Old: old, New: new, Field: f, Span: sp})
}

func logicalName(t *ir.Type) string {
	if l := t.LogicalType(); l != ir.NoLogical {
		return l.String()
	}
	return "none"
}

func decimalOf(t *ir.Type) (p, sc int) {
	if t.Kind == ir.Fixed && t.Named != nil {
		return t.Named.Precision, t.Named.Scale
	}
	return t.Precision, t.Scale
}

func (s *strictWalk) walk(o, n *ir.Type, path spath, f *ir.Field) {
	if o == nil || n == nil {
		return
	}
	if path.rec == nil && path.root == nil {
		path.root = n
	}
	if o.Kind == ir.Union || n.Kind == ir.Union {
		ob, nb := branches(o), branches(n)
		for _, x := range nb {
			for _, y := range ob {
				if sameBranch(y, x) {
					s.walk(y, x, path, f)
					break
				}
			}
		}
		return
	}
	if o.Kind != n.Kind {
		return // a promotion, or an incompatibility CheckPair reports
	}
	ol, nl := o.LogicalType(), n.LogicalType()
	switch {
	case ol != nl:
		s.add(RuleLogicalTypeChanged, path, logicalName(o), logicalName(n), f, n)
	case nl == ir.Decimal:
		op, os := decimalOf(o)
		np, ns := decimalOf(n)
		if op != np || os != ns {
			s.add(RuleDecimalChanged, path, decimalText(op, os), decimalText(np, ns), f, n)
		}
	}
	switch n.Kind {
	case ir.Array:
		path.suffix += "[]"
		s.walk(o.Items, n.Items, path, f)
	case ir.Map:
		path.suffix += "{}"
		s.walk(o.Values, n.Values, path, f)
	case ir.Record:
		on, nn := o.Named, n.Named
		if on == nil || nn == nil {
			return
		}
		k := pairKey{on, nn}
		if s.seen[k] {
			return
		}
		s.seen[k] = true
		for _, nf := range nn.Fields {
			of := on.Field(nf.Name)
			if of == nil {
				for _, a := range nf.Aliases {
					if of = on.Field(a); of != nil {
						break
					}
				}
			}
			if of == nil {
				continue
			}
			fp := spath{rec: nn, field: nf}
			if of.Default != nil && nf.Default != nil && !valueEqual(of.Default, nf.Default) {
				if oj, nj := of.Default.JSON(), nf.Default.JSON(); oj != nj {
					s.add(RuleDefaultChanged, fp, oj, nj, nf, nf.Type)
				}
			}
			s.walk(of.Type, nf.Type, fp, nf)
		}
	}
}

func decimalText(p, s int) string {
	return "decimal(" + strconv.Itoa(p) + ", " + strconv.Itoa(s) + ")"
}

func branches(t *ir.Type) []*ir.Type {
	if t.Kind == ir.Union {
		return t.Branches
	}
	return []*ir.Type{t}
}

func sameBranch(a, b *ir.Type) bool {
	if a.Kind != b.Kind {
		return false
	}
	if a.Kind.IsNamed() {
		return nameEquals(b.Named, a.Named) || nameEquals(a.Named, b.Named)
	}
	return true
}

// valueEqual reports whether two defaults are the same value, as their JSON
// would say, without rendering them.
func valueEqual(a, b *ir.Value) bool {
	if a == nil || b == nil {
		return a == b
	}
	if a.Kind != b.Kind {
		return false
	}
	switch a.Kind {
	case ir.Null:
		return true
	case ir.Boolean:
		return a.Bool == b.Bool
	case ir.Int, ir.Long:
		return a.Int == b.Int
	case ir.Float, ir.Double:
		return a.Float == b.Float || (a.Float != a.Float && b.Float != b.Float)
	case ir.String, ir.Enum:
		return a.Str == b.Str
	case ir.Bytes, ir.Fixed:
		return string(a.Bytes) == string(b.Bytes)
	case ir.Array:
		if len(a.Items) != len(b.Items) {
			return false
		}
		for i := range a.Items {
			if !valueEqual(a.Items[i], b.Items[i]) {
				return false
			}
		}
		return true
	case ir.Map, ir.Record:
		if len(a.Entries) != len(b.Entries) {
			return false
		}
		for i := range a.Entries {
			if a.Entries[i].Key != b.Entries[i].Key || !valueEqual(a.Entries[i].Value, b.Entries[i].Value) {
				return false
			}
		}
		return true
	}
	return a.JSON() == b.JSON()
}
