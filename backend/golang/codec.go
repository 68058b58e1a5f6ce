package golang

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/evc-dev/evc/ir"
)

// codec writes the body of one record's encoder or decoder.
type codec struct {
	g  *generator
	f  *GeneratedFile
	ni *namedInfo
	// depth is how deep in nested arrays, maps and unions the code being
	// written is; it suffixes local names, so that an inner one does not
	// shadow an outer one.
	depth int
	// done is set when the encoder returned unconditionally (a union with
	// no branches, which has no value).
	done bool
}

func (c *codec) p(v ...any) { c.f.P(v...) }

func (c *codec) q(id GoIdent) string { return c.f.Qualify(id) }

// local returns the name of a local variable at the current depth.
func (c *codec) local(name string) string {
	if c.depth == 0 {
		return name
	}
	return name + strconv.Itoa(c.depth)
}

// nested runs fn one level deeper.
func (c *codec) nested(fn func()) {
	c.depth++
	fn()
	c.depth--
}

// recv returns x as the operand of a selector, a slice or an index
// expression: a pointer p rather than *p, which Go dereferences itself.
func recv(x string) string { return strings.TrimPrefix(x, "*") }

// A wrapper adds to an error expression where the error happened (the
// field, index or key), as the error travels out.
type wrapper func(err string) string

func (c *codec) wrapIndex(i string, outer wrapper) wrapper {
	return func(err string) string {
		return outer(c.q(av("AtIndex")) + "(" + err + ", " + i + ")")
	}
}

func (c *codec) wrapKey(k string, outer wrapper) wrapper {
	return func(err string) string {
		return outer(c.q(av("AtKey")) + "(" + err + ", " + k + ")")
	}
}

func (c *codec) wrapField(name string) wrapper {
	return func(err string) string {
		return c.q(av("AtField")) + "(" + err + ", " + strconv.Quote(name) + ")"
	}
}

func wireOf(t *ir.Type) *ir.Type {
	w := *t
	w.Custom = nil
	return &w
}

// invalid returns an avrobin.Invalidf call.
func (c *codec) invalid(format string, args ...string) string {
	return c.q(av("Invalidf")) + "(" + strings.Join(append([]string{strconv.Quote(format)}, args...), ", ") + ")"
}

// enc writes statements that append the encoding of x, of type t, to dst.
func (c *codec) enc(t *ir.Type, x string, wrap wrapper) {
	fails := func(call string) {
		c.p("if dst, err = ", call, "; err != nil {")
		c.p("return dst, ", wrap("err"))
		c.p("}")
	}
	if _, ok := customIdent(t); ok {
		switch {
		case c.g.marshals(t):
			// The type's own method, called directly: through an interface
			// the value, and the message holding it, would escape.
			b := c.local("b")
			m := "MarshalText"
			if t.Kind == ir.Bytes {
				m = "MarshalBinary"
			}
			c.p("switch ", b, ", err := ", recv(x), ".", m, "(); {")
			c.p("case err != nil:")
			c.p("return dst, ", wrap(c.q(av("EncodeError"))+"(err)"))
			c.p("default:")
			if t.Kind == ir.String {
				fails(c.q(av("AppendUTF8")) + "(dst, " + b + ")")
			} else {
				c.p("dst = ", av("AppendBytes"), "(dst, ", b, ")")
			}
			c.p("}")
		default:
			w := wireOf(t)
			typ := c.g.goType(c.f, w)
			if strings.HasPrefix(typ, "*") {
				typ = "(" + typ + ")"
			}
			c.enc(w, typ+"("+x+")", wrap)
		}
		return
	}
	if s, ok := scalarOf(t); ok {
		call := c.q(av(s.appendFn)) + "(dst, " + x + s.appendArgs(t) + ")"
		if s.fails {
			fails(call)
		} else {
			c.p("dst = ", call)
		}
		return
	}
	switch t.Kind {
	case ir.Null:
	case ir.Enum:
		fails(fmt.Sprintf("%s(dst, %s, %d, %q)", c.q(av("AppendEnum")), x, len(t.Named.Symbols), t.Named.FullName()))
	case ir.Fixed:
		c.p("dst = append(dst, ", recv(x), "[:]...)")
	case ir.Record:
		m := "AppendAvro"
		if c.g.named[t.Named].pkg == c.ni.pkg {
			m = "appendAvro"
		}
		fails(recv(x) + "." + m + "(dst)")
	case ir.Array:
		c.encArray(t, x, wrap)
	case ir.Map:
		c.encMap(t, x, wrap)
	case ir.Union:
		c.encUnion(t, x, wrap)
	}
}

func (c *codec) encArray(t *ir.Type, x string, wrap wrapper) {
	i := c.local("i")
	c.p("if len(", x, ") > 0 {")
	c.p("dst = ", av("AppendCount"), "(dst, len(", x, "))")
	if t.Items.Kind != ir.Null { // null items have no bytes: the count says it all
		c.p("for ", i, " := range ", x, " {")
		c.nested(func() { c.enc(t.Items, recv(x)+"["+i+"]", c.wrapIndex(i, wrap)) })
		c.p("}")
	}
	c.p("}")
	c.p("dst = append(dst, 0)")
}

func (c *codec) encMap(t *ir.Type, x string, wrap wrapper) {
	entries, sorted, e := c.local("entries"), c.local("sorted"), c.local("e")
	c.p("if len(", x, ") > 0 {")
	c.p("dst = ", av("AppendCount"), "(dst, len(", x, "))")
	c.p("var ", entries, " [", av("SmallMap"), "]", av("Entry"), "[", c.g.goType(c.f, t.Values), "]")
	c.p(sorted, " := ", entries, "[:0]")
	c.p("if ", sorted, ", err = ", av("SortedEntries"), "(", sorted, ", ", x, "); err != nil {")
	c.p("return dst, ", wrap("err"))
	c.p("}")
	c.p("for _, ", e, " := range ", sorted, " {")
	c.p("dst = ", av("AppendKey"), "(dst, ", e, ".Key)")
	if t.Values.Kind != ir.Null {
		c.nested(func() { c.enc(t.Values, e+".Value", c.wrapKey(e+".Key", wrap)) })
	}
	c.p("}")
	c.p("}")
	c.p("dst = append(dst, 0)")
}

func (c *codec) encUnion(t *ir.Type, x string, wrap wrapper) {
	if v, nullIdx, ok := isNullable(t); ok {
		c.p("if ", x, " == nil {")
		c.p("dst = append(dst, ", varint(int64(nullIdx)), ")")
		c.p("} else {")
		c.p("dst = append(dst, ", varint(int64(1-nullIdx)), ")")
		if nilIsNull(v) {
			c.enc(v, x, wrap)
		} else {
			c.enc(v, "*"+x, wrap)
		}
		c.p("}")
		return
	}
	u := c.g.unions[t]
	if len(t.Branches) == 0 {
		c.p("return dst, ", wrap(c.invalid("union "+u.ident.Name+" has no branches")))
		c.done = true
		return
	}
	v := c.local("u")
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
		c.p("return dst, ", wrap(c.invalid("nil value for union "+u.ident.Name+", which has no null branch")))
	}
	for i, b := range t.Branches {
		if b.Kind == ir.Null {
			continue
		}
		c.p("case ", u.branches[i], ":")
		c.p("dst = append(dst, ", varint(int64(i)), ")")
		c.nested(func() { c.enc(b, v+".Value", wrap) })
	}
	c.p("default:")
	c.p("return dst, ", wrap(c.invalid("%T is not a branch of union "+u.ident.Name, v)))
	c.p("}")
}

// dec writes statements that decode a value of type t from r into lv, an
// addressable expression of t's Go type.
func (c *codec) dec(t *ir.Type, lv string, wrap wrapper) {
	check := func(stmt string) {
		c.p("if ", stmt, "; err != nil {")
		c.p("return ", wrap("err"))
		c.p("}")
	}
	if _, ok := customIdent(t); ok {
		switch {
		case c.g.marshals(t):
			b := c.local("b")
			m := "UnmarshalText"
			if t.Kind == ir.Bytes {
				m = "UnmarshalBinary"
			}
			c.p("switch ", b, ", err := r.ReadRaw(); {")
			c.p("case err != nil:")
			c.p("return ", wrap("err"))
			c.p("default:")
			c.p("if err := ", recv(lv), ".", m, "(", b, "); err != nil {")
			c.p("return ", wrap("r.DecodeInvalid(err)"))
			c.p("}")
			c.p("}")
		default:
			w := wireOf(t)
			v := c.local("w")
			c.p("{")
			c.p("var ", v, " ", c.g.goType(c.f, w))
			c.dec(w, v, wrap)
			c.p(lv, " = ", c.g.goType(c.f, t), "(", v, ")")
			c.p("}")
		}
		return
	}
	if s, ok := scalarOf(t); ok {
		check(lv + ", err = r." + s.read + "(" + strings.TrimPrefix(s.args(t), ", ") + ")")
		return
	}
	switch t.Kind {
	case ir.Null:
	case ir.Enum:
		check(fmt.Sprintf("%s, err = %s[%s](r, %d)", lv, c.q(av("ReadEnum")), c.g.goType(c.f, t), len(t.Named.Symbols)))
	case ir.Fixed:
		check("err = r.ReadFixedTo(" + recv(lv) + "[:])")
	case ir.Record:
		check("err = " + recv(lv) + ".DecodeAvro(r)")
	case ir.Array:
		c.decArray(t, lv, wrap)
	case ir.Map:
		c.decMap(t, lv, wrap)
	case ir.Union:
		c.decUnion(t, lv, wrap)
	}
}

func (c *codec) decArray(t *ir.Type, lv string, wrap wrapper) {
	s, n := c.local("s"), c.local("n")
	typ := c.g.goType(c.f, t)
	c.p("{")
	c.p("var ", s, " ", typ)
	c.p("for {")
	c.p(n, ", err := r.ReadBlockCount(", c.g.minBytes(t.Items), ")")
	c.p("if err != nil {")
	c.p("return ", wrap("err"))
	c.p("}")
	c.p("if ", n, " == 0 {")
	c.p("break")
	c.p("}")
	c.p(s, " = ", GoIdent{"slices", "Grow"}, "(", s, ", ", n, ")")
	c.p("for range ", n, " {")
	c.p(s, " = ", s, "[:len(", s, ")+1]")
	c.nested(func() { c.dec(t.Items, s+"[len("+s+")-1]", c.wrapIndex("len("+s+")-1", wrap)) })
	c.p("}")
	c.p("}")
	c.p("if ", s, " == nil {")
	c.p(s, " = ", typ, "{}")
	c.p("}")
	c.p(lv, " = ", s)
	c.p("}")
}

func (c *codec) decMap(t *ir.Type, lv string, wrap wrapper) {
	mp, n, k, v := c.local("mp"), c.local("n"), c.local("k"), c.local("v")
	typ := c.g.goType(c.f, t)
	c.p("{")
	c.p("var ", mp, " ", typ)
	c.p("for {")
	c.p(n, ", err := r.ReadBlockCount(", 1+c.g.minBytes(t.Values), ")")
	c.p("if err != nil {")
	c.p("return ", wrap("err"))
	c.p("}")
	c.p("if ", n, " == 0 {")
	c.p("break")
	c.p("}")
	c.p("if ", mp, " == nil {")
	c.p(mp, " = make(", typ, ", ", n, ")")
	c.p("}")
	c.p("for range ", n, " {")
	c.p(k, ", err := r.ReadString()")
	c.p("if err != nil {")
	c.p("return ", wrap("err"))
	c.p("}")
	c.p("var ", v, " ", c.g.goType(c.f, t.Values))
	c.nested(func() { c.dec(t.Values, v, c.wrapKey(k, wrap)) })
	c.p(mp, "[", k, "] = ", v)
	c.p("}")
	c.p("}")
	c.p("if ", mp, " == nil {")
	c.p(mp, " = ", typ, "{}")
	c.p("}")
	c.p(lv, " = ", mp)
	c.p("}")
}

func (c *codec) decUnion(t *ir.Type, lv string, wrap wrapper) {
	if len(t.Branches) == 0 {
		// No index is valid: ReadUnion fails.
		c.p("if _, err = r.ReadUnion(0); err != nil {")
		c.p("return ", wrap("err"))
		c.p("}")
		return
	}
	b := c.local("b")
	c.p("switch ", b, ", err := r.ReadUnion(", len(t.Branches), "); {")
	c.p("case err != nil:")
	c.p("return ", wrap("err"))
	if v, nullIdx, ok := isNullable(t); ok {
		c.p("case ", b, " == ", nullIdx, ":")
		c.p(lv, " = nil")
		c.p("default:")
		if nilIsNull(v) {
			c.nested(func() { c.dec(v, lv, wrap) })
		} else {
			p := c.local("p")
			c.p(p, " := new(", c.g.goType(c.f, v), ")")
			c.nested(func() { c.dec(v, "*"+p, wrap) })
			c.p(lv, " = ", p)
		}
		c.p("}")
		return
	}
	u := c.g.unions[t]
	for i, br := range t.Branches {
		c.p("case ", b, " == ", i, ":")
		if br.Kind == ir.Null {
			c.p(lv, " = nil")
			continue
		}
		v := c.local("u")
		c.p("var ", v, " ", u.branches[i])
		c.nested(func() { c.dec(br, v+".Value", wrap) })
		c.p(lv, " = ", v)
	}
	c.p("}")
}
