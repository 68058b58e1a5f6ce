package avro

import (
	"bytes"
	"fmt"
	"strconv"

	"github.com/evc-dev/evc/ir"
)

// Canonical returns a named type's Parsing Canonical Form and its 64-bit
// Rabin fingerprint (CRC-64-AVRO), as the specification defines them and
// Avro Java's SchemaNormalization writes them. It is built from the IR, not
// by parsing the schema with another library, so that every schema evc
// accepts has one: Avro Java accepts schemas that twmb/avro refuses (a field
// alias equal to another field's name, a decimal whose scale is not an
// integer). The error is for a type the IR cannot hold (a reference to no
// definition), which the compiler never gives a backend.
func Canonical(n *ir.Named) (pcf []byte, fingerprint uint64, err error) {
	c := canonical{seen: map[string]bool{}}
	if err := c.typ(&ir.Type{Kind: n.Kind, Named: n}); err != nil {
		return nil, 0, fmt.Errorf("evc: canonical form of %s: %w", n.FullName(), err)
	}
	return c.buf.Bytes(), rabin(c.buf.Bytes()), nil
}

// canonical writes the Parsing Canonical Form: only type, name, fields,
// symbols, items, values and size, in that order, full names, a named type
// defined once and then referred to by its full name, primitives by name
// whatever attributes they had.
type canonical struct {
	buf  bytes.Buffer
	seen map[string]bool
	// own, when set, makes the writer write only own's definition, cut
	// where other named types go (see Own).
	own *ownCuts
}

func (c *canonical) typ(t *ir.Type) error {
	switch t.Kind {
	case ir.Record, ir.Enum, ir.Fixed:
		if t.Named == nil {
			return fmt.Errorf("a %s with no definition", t.Kind)
		}
		return c.named(t.Named)
	case ir.Array:
		c.buf.WriteString(`{"type":"array","items":`)
		if err := c.typ(t.Items); err != nil {
			return err
		}
		c.buf.WriteByte('}')
	case ir.Map:
		c.buf.WriteString(`{"type":"map","values":`)
		if err := c.typ(t.Values); err != nil {
			return err
		}
		c.buf.WriteByte('}')
	case ir.Union:
		c.buf.WriteByte('[')
		for i, b := range t.Branches {
			if i > 0 {
				c.buf.WriteByte(',')
			}
			if err := c.typ(b); err != nil {
				return err
			}
		}
		c.buf.WriteByte(']')
	default:
		if !t.Kind.IsPrimitive() {
			return fmt.Errorf("a type of kind %s", t.Kind)
		}
		c.quote(t.Kind.String())
	}
	return nil
}

func (c *canonical) named(n *ir.Named) error {
	full := n.FullName()
	if c.seen[full] {
		c.quote(full)
		return nil
	}
	c.seen[full] = true
	if c.own.cut(&c.buf, n) {
		return nil
	}
	c.buf.WriteString(`{"name":`)
	c.quote(full)
	c.buf.WriteString(`,"type":`)
	c.quote(n.Kind.String()) // an error type is a record
	switch n.Kind {
	case ir.Record:
		c.buf.WriteString(`,"fields":[`)
		for i, f := range n.Fields {
			if i > 0 {
				c.buf.WriteByte(',')
			}
			c.buf.WriteString(`{"name":`)
			c.quote(f.Name)
			c.buf.WriteString(`,"type":`)
			if f.Type == nil {
				return fmt.Errorf("field %q has no type", f.Name)
			}
			if err := c.typ(f.Type); err != nil {
				return err
			}
			c.buf.WriteByte('}')
		}
		c.buf.WriteByte(']')
	case ir.Enum:
		c.buf.WriteString(`,"symbols":[`)
		for i, s := range n.Symbols {
			if i > 0 {
				c.buf.WriteByte(',')
			}
			c.quote(s.Name)
		}
		c.buf.WriteByte(']')
	case ir.Fixed:
		c.buf.WriteString(`,"size":`)
		c.buf.WriteString(strconv.Itoa(n.Size))
	}
	c.buf.WriteByte('}')
	return nil
}

// quote writes a name as a JSON string. Avro names are letters, digits, "_"
// and ".", which need no escaping; anything else is escaped as JSON does.
func (c *canonical) quote(s string) { c.buf.WriteString(ir.QuoteJSON(s)) }
