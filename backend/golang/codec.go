package golang

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/evc-dev/evc/ir"
)

// codec writes the body of one record's encoder or decoder.
type codec struct {
	g   *generator
	f   *GeneratedFile
	ni  *namedInfo
	tmp int
	// done is set when the encoder returned unconditionally (a union with
	// no branches, which has no value).
	done bool
}

func (c *codec) p(v ...any) { c.f.P(v...) }

// v returns a fresh local variable name.
func (c *codec) v(prefix string) string {
	c.tmp++
	return prefix + strconv.Itoa(c.tmp)
}

type wrapper func(err string) string

func (c *codec) q(id GoIdent) string { return c.f.Qualify(id) }

func (c *codec) wrapIndex(i string, outer wrapper) wrapper {
	return func(err string) string {
		return outer(fmt.Sprintf("%s(%s, %s)", c.q(av("AtIndex")), err, i))
	}
}

func (c *codec) wrapKey(k string, outer wrapper) wrapper {
	return func(err string) string {
		return outer(fmt.Sprintf("%s(%s, %s)", c.q(av("AtKey")), err, k))
	}
}

func (c *codec) wrapField(name string, outer wrapper) wrapper {
	return func(err string) string {
		return outer(fmt.Sprintf("%s(%s, %s)", c.q(av("AtField")), err, strconv.Quote(name)))
	}
}

func identity(err string) string { return err }

func wireOf(t *ir.Type) *ir.Type {
	w := *t
	w.Custom = nil
	return &w
}

// enc writes statements that append the encoding of x, of type t, to dst.
func (c *codec) enc(t *ir.Type, x string, wrap wrapper) {
	ret := func(err string) string { return "return dst, " + wrap(err) }
	if _, ok := customIdent(t); ok {
		switch t.Kind {
		case ir.String, ir.Bytes:
			m := "MarshalText"
			if t.Kind == ir.Bytes {
				m = "MarshalBinary"
			}
			b := c.v("b")
			c.p("if ", b, ", err := ", x, ".", m, "(); err != nil {")
			c.p(ret(c.q(av("EncodeError")) + "(err)"))
			c.p("} else {")
			c.p("dst = ", av("AppendBytes"), "(dst, ", b, ")")
			c.p("}")
		default:
			w := wireOf(t)
			c.enc(w, c.g.goType(c.f, w)+"("+x+")", wrap)
		}
		return
	}
	fallible := func(fn string, args ...string) {
		c.p("if dst, err = ", av(fn), "(dst, ", x, strings.Join(append([]string{""}, args...), ", "), "); err != nil {")
		c.p(ret("err"))
		c.p("}")
	}
	simple := func(fn string) { c.p("dst = ", av(fn), "(dst, ", x, ")") }
	switch t.Kind {
	case ir.Null:
	case ir.Boolean:
		simple("AppendBool")
	case ir.Int:
		switch t.Logical {
		case ir.Date:
			fallible("AppendDate")
		case ir.TimeMillis:
			fallible("AppendTimeMillis")
		default:
			simple("AppendInt")
		}
	case ir.Long:
		switch t.Logical {
		case ir.TimestampMillis:
			simple("AppendTimestampMillis")
		case ir.TimestampMicros:
			simple("AppendTimestampMicros")
		case ir.LocalTimestampMillis:
			simple("AppendLocalTimestampMillis")
		case ir.LocalTimestampMicros:
			simple("AppendLocalTimestampMicros")
		case ir.TimeMicros:
			simple("AppendTimeMicros")
		default:
			simple("AppendLong")
		}
	case ir.Float:
		simple("AppendFloat")
	case ir.Double:
		simple("AppendDouble")
	case ir.Bytes:
		if t.Logical == ir.Decimal {
			fallible("AppendDecimal", strconv.Itoa(t.Scale))
		} else {
			simple("AppendBytes")
		}
	case ir.String:
		if t.Logical == ir.UUID {
			simple("AppendUUID")
		} else {
			simple("AppendString")
		}
	case ir.Enum:
		n := len(t.Named.Symbols)
		c.p("if uint32(", x, ") >= ", n, " {")
		c.p(ret(fmt.Sprintf("%s(%q, %s, %q)", c.q(av("Invalidf")), "enum value %d is not a symbol of %s", x, t.Named.FullName())))
		c.p("}")
		c.p("dst = ", av("AppendInt"), "(dst, int32(", x, "))")
	case ir.Fixed:
		if t.Named.Logical == ir.Decimal {
			fallible("AppendDecimalFixed", strconv.Itoa(t.Named.Scale), strconv.Itoa(t.Named.Size))
		} else {
			c.p("dst = append(dst, ", x, "[:]...)")
		}
	case ir.Record:
		m := "AppendAvro"
		if c.g.named[t.Named].pkg == c.ni.pkg {
			m = "appendAvro"
		}
		c.p("if dst, err = ", x, ".", m, "(dst); err != nil {")
		c.p(ret("err"))
		c.p("}")
	case ir.Array:
		c.p("if len(", x, ") > 0 {")
		c.p("dst = ", av("AppendCount"), "(dst, len(", x, "))")
		if t.Items.Kind != ir.Null { // null items have no bytes: the count says it all
			i := c.v("i")
			c.p("for ", i, " := range ", x, " {")
			c.enc(t.Items, x+"["+i+"]", c.wrapIndex(i, wrap))
			c.p("}")
		}
		c.p("}")
		c.p("dst = append(dst, 0)")
	case ir.Map:
		k, v := c.v("k"), c.v("v")
		c.p("if len(", x, ") > 0 {")
		c.p("dst = ", av("AppendCount"), "(dst, len(", x, "))")
		c.p("for _, ", k, " := range ", av("SortedKeys"), "(", x, ") {")
		c.p("dst = ", av("AppendString"), "(dst, ", k, ")")
		if t.Values.Kind != ir.Null {
			c.p(v, " := ", x, "[", k, "]")
			c.enc(t.Values, v, c.wrapKey(k, wrap))
		}
		c.p("}")
		c.p("}")
		c.p("dst = append(dst, 0)")
	case ir.Union:
		if v, nullIdx, ok := isNullable(t); ok {
			c.p("if ", x, " == nil {")
			c.p("dst = append(dst, ", varint(int64(nullIdx)), ")")
			c.p("} else {")
			c.p("dst = append(dst, ", varint(int64(1-nullIdx)), ")")
			if nilIsNull(v) {
				c.enc(v, x, wrap)
			} else {
				c.enc(v, "(*"+x+")", wrap)
			}
			c.p("}")
			return
		}
		u := c.g.unions[t]
		if len(t.Branches) == 0 {
			c.p(ret(fmt.Sprintf("%s(%q)", c.q(av("Invalidf")), "union "+u.ident.Name+" has no branches")))
			c.done = true
			return
		}
		v := c.v("u")
		c.p("switch ", v, " := ", x, ".(type) {")
		c.p("case nil:")
		hasNull := false
		for i, b := range t.Branches {
			if b.Kind == ir.Null {
				c.p("dst = append(dst, ", varint(int64(i)), ")")
				hasNull = true
			}
		}
		if !hasNull {
			c.p(ret(fmt.Sprintf("%s(%q)", c.q(av("Invalidf")), "nil value for union "+u.ident.Name+", which has no null branch")))
		}
		for i, b := range t.Branches {
			if b.Kind == ir.Null {
				continue
			}
			c.p("case ", u.branches[i], ":")
			c.p("dst = append(dst, ", varint(int64(i)), ")")
			c.enc(b, v+".Value", wrap)
		}
		c.p("default:")
		c.p(ret(fmt.Sprintf("%s(%q, %s)", c.q(av("Invalidf")), "%T is not a branch of union "+u.ident.Name, v)))
		c.p("}")
	}
}

// dec writes statements that decode a value of type t from r into lv, an
// addressable expression of t's Go type.
func (c *codec) dec(t *ir.Type, lv string, wrap wrapper) {
	ret := func(err string) string { return "return " + wrap(err) }
	if _, ok := customIdent(t); ok {
		switch t.Kind {
		case ir.String, ir.Bytes:
			m := "UnmarshalText"
			if t.Kind == ir.Bytes {
				m = "UnmarshalBinary"
			}
			b := c.v("b")
			c.p("if ", b, ", err := r.ReadRaw(); err != nil {")
			c.p(ret("err"))
			c.p("} else if err := ", lv, ".", m, "(", b, "); err != nil {")
			c.p(ret("r.DecodeInvalid(err)"))
			c.p("}")
		default:
			w := wireOf(t)
			v := c.v("w")
			c.p("{")
			c.p("var ", v, " ", c.g.goType(c.f, w))
			c.dec(w, v, wrap)
			c.p(lv, " = ", c.g.goType(c.f, t), "(", v, ")")
			c.p("}")
		}
		return
	}
	read := func(call string) {
		c.p("if ", lv, ", err = r.", call, "; err != nil {")
		c.p(ret("err"))
		c.p("}")
	}
	switch t.Kind {
	case ir.Null:
	case ir.Boolean:
		read("ReadBool()")
	case ir.Int:
		switch t.Logical {
		case ir.Date:
			read("ReadDate()")
		case ir.TimeMillis:
			read("ReadTimeMillis()")
		default:
			read("ReadInt()")
		}
	case ir.Long:
		switch t.Logical {
		case ir.TimestampMillis, ir.LocalTimestampMillis:
			read("ReadTimestampMillis()")
		case ir.TimestampMicros, ir.LocalTimestampMicros:
			read("ReadTimestampMicros()")
		case ir.TimeMicros:
			read("ReadTimeMicros()")
		default:
			read("ReadLong()")
		}
	case ir.Float:
		read("ReadFloat()")
	case ir.Double:
		read("ReadDouble()")
	case ir.Bytes:
		if t.Logical == ir.Decimal {
			read(fmt.Sprintf("ReadDecimal(%d)", t.Scale))
		} else {
			read("ReadBytes()")
		}
	case ir.String:
		if t.Logical == ir.UUID {
			read("ReadUUID()")
		} else {
			read("ReadString()")
		}
	case ir.Enum:
		v := c.v("e")
		c.p("if ", v, ", err := r.ReadEnum(", len(t.Named.Symbols), "); err != nil {")
		c.p(ret("err"))
		c.p("} else {")
		c.p(lv, " = ", c.g.goType(c.f, t), "(", v, ")")
		c.p("}")
	case ir.Fixed:
		if t.Named.Logical == ir.Decimal {
			read(fmt.Sprintf("ReadDecimalFixed(%d, %d)", t.Named.Scale, t.Named.Size))
			return
		}
		b := c.v("b")
		c.p("if ", b, ", err := r.ReadFixed(", t.Named.Size, "); err != nil {")
		c.p(ret("err"))
		c.p("} else {")
		c.p("copy(", lv, "[:], ", b, ")")
		c.p("}")
	case ir.Record:
		c.p("if err = ", lv, ".DecodeAvro(r); err != nil {")
		c.p(ret("err"))
		c.p("}")
	case ir.Array:
		s, n := c.v("s"), c.v("n")
		typ := c.g.goType(c.f, t)
		c.p("{")
		c.p("var ", s, " ", typ)
		c.p("for {")
		c.p(n, ", err := r.ReadBlockCount(", minBytes(t.Items, map[*ir.Named]bool{}), ")")
		c.p("if err != nil {")
		c.p(ret("err"))
		c.p("}")
		c.p("if ", n, " == 0 {")
		c.p("break")
		c.p("}")
		c.p(s, " = ", GoIdent{"slices", "Grow"}, "(", s, ", ", n, ")")
		c.p("for range ", n, " {")
		c.p(s, " = ", s, "[:len(", s, ")+1]")
		c.dec(t.Items, s+"[len("+s+")-1]", c.wrapIndex("len("+s+")-1", wrap))
		c.p("}")
		c.p("}")
		c.p("if ", s, " == nil {")
		c.p(s, " = ", typ, "{}")
		c.p("}")
		c.p(lv, " = ", s)
		c.p("}")
	case ir.Map:
		m, n, k, v := c.v("m"), c.v("n"), c.v("k"), c.v("v")
		typ := c.g.goType(c.f, t)
		c.p("{")
		c.p("var ", m, " ", typ)
		c.p("for {")
		c.p(n, ", err := r.ReadBlockCount(", 1+minBytes(t.Values, map[*ir.Named]bool{}), ")")
		c.p("if err != nil {")
		c.p(ret("err"))
		c.p("}")
		c.p("if ", n, " == 0 {")
		c.p("break")
		c.p("}")
		c.p("if ", m, " == nil {")
		c.p(m, " = make(", typ, ", ", n, ")")
		c.p("}")
		c.p("for range ", n, " {")
		c.p(k, ", err := r.ReadString()")
		c.p("if err != nil {")
		c.p(ret("err"))
		c.p("}")
		c.p("var ", v, " ", c.g.goType(c.f, t.Values))
		c.dec(t.Values, v, c.wrapKey(k, wrap))
		c.p(m, "[", k, "] = ", v)
		c.p("}")
		c.p("}")
		c.p("if ", m, " == nil {")
		c.p(m, " = ", typ, "{}")
		c.p("}")
		c.p(lv, " = ", m)
		c.p("}")
	case ir.Union:
		b := c.v("b")
		c.p("if ", b, ", err := r.ReadUnion(", len(t.Branches), "); err != nil {")
		c.p(ret("err"))
		if v, nullIdx, ok := isNullable(t); ok {
			c.p("} else if ", b, " == ", nullIdx, " {")
			c.p(lv, " = nil")
			c.p("} else {")
			if nilIsNull(v) {
				c.dec(v, lv, wrap)
			} else {
				p := c.v("p")
				c.p(p, " := new(", c.g.goType(c.f, v), ")")
				c.dec(v, "(*"+p+")", wrap)
				c.p(lv, " = ", p)
			}
			c.p("}")
			return
		}
		u := c.g.unions[t]
		c.p("} else {")
		c.p("switch ", b, " {")
		for i, br := range t.Branches {
			c.p("case ", i, ":")
			if br.Kind == ir.Null {
				c.p(lv, " = nil")
				continue
			}
			v := c.v("u")
			c.p("var ", v, " ", u.branches[i])
			c.dec(br, v+".Value", wrap)
			c.p(lv, " = ", v)
		}
		c.p("}")
		c.p("}")
	}
}
