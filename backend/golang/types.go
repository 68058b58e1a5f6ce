package golang

import (
	"fmt"
	"strings"

	"github.com/evc-dev/evc/ir"
)

func av(name string) GoIdent { return GoIdent{avrobinPath, name} }

// customIdent returns the Go type a custom domain type binds to, or false
// when it binds to none.
func customIdent(t *ir.Type) (GoIdent, bool) {
	if t.Custom == nil || t.Custom.GoType == "" {
		return GoIdent{}, false
	}
	gt := t.Custom.GoType
	i := strings.LastIndexByte(gt, '.')
	if i < 0 {
		return GoIdent{Name: gt}, true
	}
	return GoIdent{ImportPath: gt[:i], Name: gt[i+1:]}, true
}

// marshals reports whether generated code carries the custom type of t
// through its marshalling methods rather than by conversion.
func (g *generator) marshals(t *ir.Type) bool {
	if _, ok := customIdent(t); !ok || g.opts.Convert[t.Custom.GoType] {
		return false
	}
	return t.Kind == ir.String || t.Kind == ir.Bytes
}

// CustomWire says how a custom type's Go type must relate to its wire type
// c.Wire: Wire is the Go type generated code uses for the wire type (with
// Pointer, *Wire), and Methods, when not "", names the marshaller pair
// that may stand in for conversion: "Text" (encoding.TextMarshaler and
// TextUnmarshaler) or "Binary" (BinaryMarshaler and BinaryUnmarshaler).
// gotypes checks the user's Go type against it.
func CustomWire(c *ir.Custom) (wire GoIdent, pointer bool, methods string) {
	if s, ok := scalarOf(c.Wire); ok {
		wire, pointer = s.goType, s.pointer
	}
	switch c.Wire.Kind {
	case ir.String:
		methods = "Text"
	case ir.Bytes:
		methods = "Binary"
	}
	return wire, pointer, methods
}

// goType returns the Go type of t as written in f.
func (g *generator) goType(f *GeneratedFile, t *ir.Type) string {
	if id, ok := customIdent(t); ok {
		return f.Qualify(id)
	}
	return g.wireGoType(f, t)
}

// wireGoType is goType without custom domain types.
func (g *generator) wireGoType(f *GeneratedFile, t *ir.Type) string {
	if s, ok := scalarOf(t); ok {
		if s.pointer {
			return "*" + f.Qualify(s.goType)
		}
		return f.Qualify(s.goType)
	}
	switch t.Kind {
	case ir.Null:
		return "struct{}"
	case ir.Record, ir.Enum, ir.Fixed:
		return f.Qualify(g.named[t.Named].ident)
	case ir.Array:
		return "[]" + g.goType(f, t.Items)
	case ir.Map:
		return "map[string]" + g.goType(f, t.Values)
	case ir.Union:
		if v, _, ok := isNullable(t); ok {
			if nilIsNull(v) {
				return g.goType(f, v)
			}
			return "*" + g.goType(f, v)
		}
		return f.Qualify(g.unions[t].ident)
	}
	return "any"
}

// nilIsNull reports whether the Go type of t, as the value of T?, stands for
// null with its own nil value instead of a pointer.
func nilIsNull(t *ir.Type) bool {
	if _, ok := customIdent(t); ok {
		return false
	}
	if s, ok := scalarOf(t); ok {
		return s.pointer
	}
	return t.Kind == ir.Array || t.Kind == ir.Map
}

// fieldIsPointer reports whether a record-typed field of rec is a pointer:
// when the field's record contains rec by value, directly or through other
// records, which Go cannot hold by value.
func (g *generator) fieldIsPointer(rec *ir.Named, t *ir.Type) bool {
	if t.Kind != ir.Record || t.Custom != nil {
		return false
	}
	return containsByValue(t.Named, rec, map[*ir.Named]bool{})
}

func containsByValue(n, target *ir.Named, seen map[*ir.Named]bool) bool {
	if n == target {
		return true
	}
	if seen[n] {
		return false
	}
	seen[n] = true
	for _, f := range n.Fields {
		if f.Type.Kind == ir.Record && f.Type.Custom == nil && containsByValue(f.Type.Named, target, seen) {
			return true
		}
	}
	return false
}

// recursive reports whether a record can contain itself, through any path.
func recursive(n *ir.Named) bool {
	found := false
	for _, f := range n.Fields {
		ir.WalkDeep(f.Type, func(t *ir.Type) bool {
			found = found || t.Kind == ir.Record && t.Named == n
			return !found
		})
	}
	return found
}

// minBytes returns a lower bound of the number of bytes a value of t takes
// on the wire, which decoders check item counts against. A record counts
// the sum of its fields, and 0 where it contains itself; each record is
// computed once, so a type used many times (a diamond) costs nothing more.
func (g *generator) minBytes(t *ir.Type) int {
	switch t.Kind {
	case ir.Null:
		return 0
	case ir.Float:
		return 4
	case ir.Double:
		return 8
	case ir.Fixed:
		return t.Named.Size
	case ir.Record:
		if n, ok := g.minSize[t.Named]; ok {
			return n // -1 while being computed: a record inside itself
		}
		g.minSize[t.Named] = -1
		n := 0
		for _, f := range t.Named.Fields {
			n += max(g.minBytes(f.Type), 0)
		}
		g.minSize[t.Named] = n
		return n
	}
	return 1
}

// varint returns the Go byte list of the zig-zag varint of v.
func varint(v int64) string {
	u := uint64(v<<1) ^ uint64(v>>63)
	var parts []string
	for u >= 0x80 {
		parts = append(parts, fmt.Sprintf("0x%02x", byte(u)|0x80))
		u >>= 7
	}
	parts = append(parts, fmt.Sprintf("0x%02x", byte(u)))
	return strings.Join(parts, ", ")
}
