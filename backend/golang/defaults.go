package golang

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/evc-dev/evc/ir"
)

// recordLiteral returns a composite literal of record n: the fields v gives
// (a record default), else the fields' own defaults, else, for a record held
// by value whose constructor sets something, a call of that constructor. The
// call, rather than its literal inlined, keeps the output linear in the
// input: a record used twice in each of n nested records would otherwise
// be written out 2^n times.
func (g *generator) recordLiteral(f *GeneratedFile, n *ir.Named, v *ir.Value) string {
	parts := g.recordParts(f, n, v)
	ident := f.Qualify(g.named[n].ident)
	if len(parts) == 0 {
		return ident + "{}"
	}
	return ident + "{\n" + strings.Join(parts, ",\n") + ",\n}"
}

// recordParts returns the "Field: value" entries of recordLiteral.
func (g *generator) recordParts(f *GeneratedFile, n *ir.Named, v *ir.Value) []string {
	ni := g.named[n]
	var parts []string
	for i, fl := range n.Fields {
		val := fl.Default
		if v != nil {
			if e := v.Entry(fl.Name); e != nil {
				val = e
			}
		}
		var expr string
		switch {
		case val != nil:
			expr = g.goValue(f, fl.Type, val)
			switch expr {
			case "nil", `""`, "0", "false":
				continue // the zero value
			}
			if g.fieldIsPointer(n, fl.Type) {
				expr = "&" + expr
			}
		case fl.Type.Kind == ir.Record && fl.Type.Custom == nil && !g.fieldIsPointer(n, fl.Type) && g.constructorSets(fl.Type.Named):
			nested := g.named[fl.Type.Named]
			expr = "*" + f.Qualify(GoIdent{nested.ident.ImportPath, nested.ctor}) + "()"
		default:
			continue
		}
		parts = append(parts, ni.fields[i]+": "+expr)
	}
	return parts
}

// constructorSets reports whether a record's constructor sets anything: a
// field default that is not Go's zero value, in it or in a record it holds
// by value (which cannot hold it in turn, so this ends).
func (g *generator) constructorSets(n *ir.Named) bool {
	if sets, ok := g.ctorSets[n]; ok {
		return sets
	}
	ni := g.named[n]
	scratch := newGeneratedFile("scratch.go", ni.ident.ImportPath, "scratch")
	sets := len(g.recordParts(scratch, n, nil)) > 0
	g.ctorSets[n] = sets
	return sets
}

// goValue returns a Go expression for the default v of type t.
func (g *generator) goValue(f *GeneratedFile, t *ir.Type, v *ir.Value) string {
	if id, ok := customIdent(t); ok {
		w := wireOf(t)
		switch {
		case g.marshals(t) && t.Kind == ir.String:
			return fmt.Sprintf("%s[%s](%s)", f.Qualify(av("MustText")), f.Qualify(id), strconv.Quote(v.Str))
		case g.marshals(t):
			return fmt.Sprintf("%s[%s]([]byte(%s))", f.Qualify(av("MustBinary")), f.Qualify(id), strconv.Quote(string(v.Bytes)))
		}
		return f.Qualify(id) + "(" + g.goValue(f, w, v) + ")"
	}
	switch t.Kind {
	case ir.Union:
		if v.Branch < 0 || v.Branch >= len(t.Branches) {
			return "nil"
		}
		b := t.Branches[v.Branch]
		if b.Kind == ir.Null {
			return "nil"
		}
		if _, _, ok := isNullable(t); ok {
			if nilIsNull(b) {
				return g.goValue(f, b, v)
			}
			if b.Kind == ir.Record && b.Custom == nil {
				return "&" + g.goValue(f, b, v)
			}
			return fmt.Sprintf("%s[%s](%s)", f.Qualify(av("Ptr")), g.goType(f, b), g.goValue(f, b, v))
		}
		return f.Qualify(g.unions[t].branches[v.Branch]) + "{Value: " + g.goValue(f, b, v) + "}"
	case ir.Null:
		return "struct{}{}"
	case ir.Boolean:
		return strconv.FormatBool(v.Bool)
	case ir.Int, ir.Long:
		n := strconv.FormatInt(v.Int, 10)
		switch t.Logical {
		case ir.Date:
			return f.Qualify(av("DateFromDays")) + "(" + n + ")"
		case ir.TimeMillis:
			return f.Qualify(timeDur) + "(" + n + ") * " + f.Qualify(GoIdent{"time", "Millisecond"})
		case ir.TimeMicros:
			return f.Qualify(timeDur) + "(" + n + ") * " + f.Qualify(GoIdent{"time", "Microsecond"})
		case ir.TimestampMillis, ir.LocalTimestampMillis:
			return f.Qualify(GoIdent{"time", "UnixMilli"}) + "(" + n + ").UTC()"
		case ir.TimestampMicros, ir.LocalTimestampMicros:
			return f.Qualify(GoIdent{"time", "UnixMicro"}) + "(" + n + ").UTC()"
		}
		return n
	case ir.Float, ir.Double:
		conv := "float64"
		bits := 64
		if t.Kind == ir.Float {
			conv, bits = "float32", 32
		}
		switch x := v.Float; {
		case math.IsNaN(x):
			return conv + "(" + f.Qualify(GoIdent{"math", "NaN"}) + "())"
		case math.IsInf(x, 1):
			return conv + "(" + f.Qualify(GoIdent{"math", "Inf"}) + "(1))"
		case math.IsInf(x, -1):
			return conv + "(" + f.Qualify(GoIdent{"math", "Inf"}) + "(-1))"
		case x == 0 && math.Signbit(x):
			return conv + "(" + f.Qualify(GoIdent{"math", "Copysign"}) + "(0, -1))"
		}
		return strconv.FormatFloat(v.Float, 'g', -1, bits)
	case ir.Bytes:
		if t.Logical == ir.Decimal {
			return fmt.Sprintf("%s([]byte(%s), %d)", f.Qualify(av("DecimalFromBytes")), strconv.Quote(string(v.Bytes)), t.Scale)
		}
		return "[]byte(" + strconv.Quote(string(v.Bytes)) + ")"
	case ir.String:
		if t.Logical == ir.UUID {
			return f.Qualify(av("MustParseUUID")) + "(" + strconv.Quote(v.Str) + ")"
		}
		return strconv.Quote(v.Str)
	case ir.Enum:
		i := t.Named.SymbolIndex(v.Str)
		if i < 0 {
			i = 0
		}
		ni := g.named[t.Named]
		return f.Qualify(GoIdent{ni.ident.ImportPath, ni.symbols[i]})
	case ir.Fixed:
		if t.Named.Logical == ir.Decimal {
			return fmt.Sprintf("%s([]byte(%s), %d)", f.Qualify(av("DecimalFromBytes")), strconv.Quote(string(v.Bytes)), t.Named.Scale)
		}
		var bs []string
		// A default of the wrong length (a warning): Avro Java pads it with
		// zeros, as a shorter literal does, or cuts it.
		for _, b := range v.Bytes[:min(len(v.Bytes), t.Named.Size)] {
			bs = append(bs, fmt.Sprintf("0x%02x", b))
		}
		return f.Qualify(g.named[t.Named].ident) + "{" + strings.Join(bs, ", ") + "}"
	case ir.Record:
		return g.recordLiteral(f, t.Named, v)
	case ir.Array:
		var items []string
		for _, it := range v.Items {
			items = append(items, g.goValue(f, t.Items, it))
		}
		return g.goType(f, t) + "{" + strings.Join(items, ", ") + "}"
	case ir.Map:
		var items []string
		for _, e := range v.Entries {
			items = append(items, strconv.Quote(e.Key)+": "+g.goValue(f, t.Values, e.Value))
		}
		return g.goType(f, t) + "{" + strings.Join(items, ", ") + "}"
	}
	return "nil"
}

// literalDefaults returns the fields of record n whose defaults
// DecodeAvroFields sets itself (runtime.DefaultField - i), each with the Go
// expression of its default: a field whose default is a literal of a type
// that Go holds by value or as a pointer to one, such as a number, a string,
// an enum symbol or null. A record, a collection, a custom Go type and the
// logical types parsed from text keep runtime/resolve's decoding of the
// default.
func (g *generator) literalDefaults(f *GeneratedFile, n *ir.Named) []literalDefault {
	var out []literalDefault
	for i, fl := range n.Fields {
		if fl.Default == nil || !literalType(fl.Type, fl.Default) {
			continue
		}
		out = append(out, literalDefault{i, g.goValue(f, fl.Type, fl.Default)})
	}
	return out
}

// literalDefault is a field of literalDefaults: its index and the Go
// expression of its default.
type literalDefault struct {
	i    int
	expr string
}

// literalType reports whether the default v of type t is one that
// literalDefaults sets.
func literalType(t *ir.Type, v *ir.Value) bool {
	if _, ok := customIdent(t); ok {
		return false
	}
	switch t.Kind {
	case ir.Null, ir.Boolean, ir.Float, ir.Double, ir.Enum:
		return true
	case ir.Int, ir.Long:
		switch t.Logical {
		case ir.NoLogical, ir.Date, ir.TimeMillis, ir.TimeMicros, ir.TimestampMillis, ir.TimestampMicros, ir.LocalTimestampMillis, ir.LocalTimestampMicros:
			return true // goValue's literals
		}
		return false
	case ir.String, ir.Bytes:
		return t.Logical == ir.NoLogical
	case ir.Union:
		value, _, ok := isNullable(t)
		if !ok || v.Branch < 0 || v.Branch >= len(t.Branches) {
			return false
		}
		return t.Branches[v.Branch].Kind == ir.Null || literalType(value, v)
	}
	return false
}
