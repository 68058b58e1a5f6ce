package golang

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/evc-dev/evc/ir"
)

// recordLiteral returns a composite literal of record n: the fields v gives
// (a record default), else the fields' own defaults, else, for a nested
// record that has defaults somewhere, its constructor's value.
func (g *generator) recordLiteral(f *GeneratedFile, n *ir.Named, v *ir.Value) string {
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
		case fl.Type.Kind == ir.Record && fl.Type.Custom == nil && !g.fieldIsPointer(n, fl.Type) && hasDefaults(fl.Type.Named, map[*ir.Named]bool{}):
			expr = g.recordLiteral(f, fl.Type.Named, nil)
			if strings.HasSuffix(expr, "{}") {
				continue // the zero value
			}
		default:
			continue
		}
		parts = append(parts, ni.fields[i]+": "+expr)
	}
	if len(parts) == 0 {
		return f.Qualify(ni.ident) + "{}"
	}
	return f.Qualify(ni.ident) + "{\n" + strings.Join(parts, ",\n") + ",\n}"
}

// hasDefaults reports whether a record's constructor sets anything: a field
// default, in it or in a record it holds by value.
func hasDefaults(n *ir.Named, seen map[*ir.Named]bool) bool {
	if seen[n] {
		return false
	}
	seen[n] = true
	for _, f := range n.Fields {
		if f.Default != nil {
			return true
		}
		if f.Type.Kind == ir.Record && f.Type.Custom == nil && hasDefaults(f.Type.Named, seen) {
			return true
		}
	}
	return false
}

// goValue returns a Go expression for the default v of type t.
func (g *generator) goValue(f *GeneratedFile, t *ir.Type, v *ir.Value) string {
	if id, ok := customIdent(t); ok {
		w := wireOf(t)
		switch t.Kind {
		case ir.String:
			return fmt.Sprintf("%s[%s](%s)", f.Qualify(av("MustText")), f.Qualify(id), strconv.Quote(v.Str))
		case ir.Bytes:
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
