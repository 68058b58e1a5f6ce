package compiler

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/evc-dev/evc/compiler/defaults"
	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/idl"
	"github.com/evc-dev/evc/ir"
)

// Where an annotation is written; it decides which evc annotations apply.
type target int

const (
	onNamed target = iota
	onTypeDef
	onField
	onSymbol
	onType
	onTopic
)

var targetNames = map[target]string{
	onNamed: "a type declaration", onTypeDef: "a type declaration", onField: "a field",
	onSymbol: "an enum symbol", onType: "a type", onTopic: "a topic",
}

// evcAnnotations are the annotations evc gives a meaning to, with where they
// apply. Any other annotation is a custom Avro property.
var evcAnnotations = map[string][]target{
	"name":       {onNamed},
	"namespace":  {onNamed},
	"aliases":    {onNamed, onField},
	"deprecated": {onNamed, onTypeDef, onField, onSymbol},
	"compat":     {onNamed},
	"event":      {onNamed},
	"go":         {onTypeDef},
	"go_name":    {onNamed, onTypeDef, onField},
	"order":      {onField},
	"prop":       {onNamed, onField, onType},
	"doc":        {onNamed, onField, onSymbol},
}

// annotations is the meaning of a list of annotations.
type annotations struct {
	name, namespace  *stringArg
	doc              *stringArg
	aliases          []stringArg
	deprecated       bool
	deprecatedReason string
	compat           string
	event            *ir.Event
	goType, goName   string
	order            ir.Order
	props            []ir.Prop
	spans            map[string]diag.Span
}

// noAnnotations is the meaning of no annotations; it is never modified.
var noAnnotations annotations

type stringArg struct {
	val  string
	span diag.Span
}

// annotations interprets the annotations written on one element.
func (c *compilation) annotations(u *unit, list []*idl.Annotation, where target) *annotations {
	if len(list) == 0 {
		return &noAnnotations
	}
	a := &annotations{spans: map[string]diag.Span{}}
	for _, an := range list {
		name := an.Name.String()
		sp := idl.Span(u.path, an.Pos, an.EndPos)
		targets, known := evcAnnotations[name]
		if !known {
			if where == onSymbol || where == onTopic || where == onTypeDef {
				c.res.Diags.Errorf(sp, "custom property @%s cannot be set on %s", name, targetNames[where])
				continue
			}
			if len(an.Args) != 1 || an.Args[0].Name != nil {
				c.res.Diags.Errorf(sp, "custom property @%s takes one value, as in @%s(true)", name, name)
				continue
			}
			if raw, ok := c.jsonText(u, an.Args[0].Value); ok {
				a.props = append(a.props, ir.Prop{Name: name, Value: raw, Span: sp})
			}
			continue
		}
		if !containsTarget(targets, where) {
			c.res.Diags.Errorf(sp, "@%s cannot be used on %s", name, targetNames[where])
			continue
		}
		if _, dup := a.spans[name]; dup && name != "prop" {
			c.res.Diags.Errorf(sp, "@%s is given twice", name)
			continue
		}
		a.spans[name] = sp
		switch name {
		case "name", "namespace", "go", "go_name", "doc":
			s, ok := c.oneString(u, an, sp)
			if !ok {
				continue
			}
			switch name {
			case "doc":
				a.doc = &stringArg{s, sp}
			case "name":
				a.name = &stringArg{s, sp}
			case "namespace":
				a.namespace = &stringArg{s, sp}
			case "go":
				a.goType = s
			case "go_name":
				a.goName = s
			}
		case "aliases":
			if len(an.Args) == 0 {
				c.res.Diags.Errorf(sp, "@aliases needs at least one name")
			}
			for _, arg := range an.Args {
				s, ok := c.stringLit(u, arg.Value)
				if ok {
					a.aliases = append(a.aliases, stringArg{s, idl.Span(u.path, arg.Pos, arg.EndPos)})
				}
			}
		case "deprecated":
			a.deprecated = true
			switch len(an.Args) {
			case 0:
			case 1:
				if s, ok := c.stringLit(u, an.Args[0].Value); ok {
					a.deprecatedReason = s
				}
			default:
				c.res.Diags.Errorf(sp, "@deprecated takes at most one reason")
			}
		case "compat":
			s, ok := c.oneWord(u, an, sp)
			if !ok {
				continue
			}
			mode := strings.ToUpper(s)
			if !validMode(mode) {
				c.res.Diags.Errorf(sp, "unknown compatibility mode %q", s).Help = "use one of " + strings.Join(compatModes, ", ")
				continue
			}
			a.compat = mode
		case "order":
			s, ok := c.oneWord(u, an, sp)
			if !ok {
				continue
			}
			switch ir.Order(s) {
			case ir.OrderAscending, ir.OrderDescending, ir.OrderIgnore:
				a.order = ir.Order(s)
			default:
				c.res.Diags.Errorf(sp, "@order must be ascending, descending or ignore, not %q", s)
			}
		case "event":
			ev := &ir.Event{Span: sp}
			for _, arg := range an.Args {
				if arg.Name == nil {
					c.res.Diags.Errorf(idl.Span(u.path, arg.Pos, arg.EndPos), "@event arguments are named: @event(type = \"...\", source = \"...\")")
					continue
				}
				s, ok := c.stringLit(u, arg.Value)
				if !ok {
					continue
				}
				switch *arg.Name {
				case "type":
					ev.Type = s
				case "source":
					ev.Source = s
				default:
					c.res.Diags.Errorf(idl.Span(u.path, arg.NamePos, arg.NameEnd), "@event has no argument %q; it takes type and source", string(*arg.Name))
				}
			}
			if ev.Type == "" {
				c.res.Diags.Errorf(sp, "@event needs a type, as in @event(type = \"org.example.thing.happened.v1\")")
				continue
			}
			a.event = ev
		case "prop":
			if len(an.Args) != 2 || an.Args[0].Name != nil || an.Args[1].Name != nil {
				c.res.Diags.Errorf(sp, "@prop takes a name and a value, as in @prop(\"name\", true)")
				continue
			}
			pname, ok := c.stringLit(u, an.Args[0].Value)
			if !ok {
				continue
			}
			if raw, ok := c.jsonText(u, an.Args[1].Value); ok {
				a.props = append(a.props, ir.Prop{Name: pname, Value: raw, Span: sp})
			}
		}
	}
	c.checkProps(a.props, where)
	return a
}

// reservedKeys are the attributes Avro gives a meaning to; a custom property
// may not take their names.
var reservedKeys = map[target][]string{
	// logicalType, precision and scale are allowed as properties: Avro
	// keeps a logical type it does not know (or whose parameters are
	// invalid) as plain attributes of the underlying type, and evc keeps
	// them too, without giving them a meaning.
	onNamed: {"type", "name", "namespace", "aliases", "doc", "fields", "symbols", "default", "size"},
	onField: {"name", "type", "default", "doc", "aliases", "order"},
	onType:  {"type", "items", "values"},
}

// docOf returns the doc of an element: its /// comment, or its @doc,
// which says exactly what a /// comment cannot (an empty doc, white space at
// the end of a line, a carriage return). empty reports an empty @doc("").
func (c *compilation) docOf(lines []string, a *annotations) (doc string, empty bool) {
	if a.doc == nil {
		return docText(lines), false
	}
	if len(lines) > 0 {
		d := c.res.Diags.Errorf(a.doc.span, "@doc is given as well as a /// comment")
		d.Help = "keep one of them"
	}
	return a.doc.val, a.doc.val == ""
}

func (c *compilation) checkProps(props []ir.Prop, where target) {
	seen := map[string]bool{}
	for _, p := range props {
		for _, k := range reservedKeys[where] {
			if p.Name == k {
				c.res.Diags.Errorf(p.Span, "%q is an Avro attribute, not a custom property", p.Name)
			}
		}
		if seen[p.Name] {
			c.res.Diags.Errorf(p.Span, "custom property %q is set twice", p.Name)
		}
		seen[p.Name] = true
	}
}

func containsTarget(ts []target, t target) bool {
	for _, x := range ts {
		if x == t {
			return true
		}
	}
	return false
}

// compatModes are the Confluent Schema Registry's compatibility levels.
var compatModes = []string{"BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD", "FORWARD_TRANSITIVE", "FULL", "FULL_TRANSITIVE", "NONE"}

func validMode(m string) bool {
	for _, x := range compatModes {
		if x == m {
			return true
		}
	}
	return false
}

func (c *compilation) oneString(u *unit, an *idl.Annotation, sp diag.Span) (string, bool) {
	if len(an.Args) != 1 || an.Args[0].Name != nil {
		c.res.Diags.Errorf(sp, "@%s takes one string", an.Name.String())
		return "", false
	}
	return c.stringLit(u, an.Args[0].Value)
}

// oneWord accepts @x(word) or @x("word").
func (c *compilation) oneWord(u *unit, an *idl.Annotation, sp diag.Span) (string, bool) {
	if len(an.Args) != 1 || an.Args[0].Name != nil {
		c.res.Diags.Errorf(sp, "@%s takes one value", an.Name.String())
		return "", false
	}
	v := an.Args[0].Value
	if v.Ident != nil {
		return string(*v.Ident), true
	}
	return c.stringLit(u, v)
}

func (c *compilation) stringLit(u *unit, v *idl.Literal) (string, bool) {
	if v.String == nil {
		c.res.Diags.Errorf(idl.Span(u.path, v.Pos, v.EndPos), "expected a string")
		return "", false
	}
	s, err := idl.Unquote(*v.String)
	if err != nil {
		c.res.Diags.Errorf(idl.Span(u.path, v.Pos, v.EndPos), "%v", err)
		return "", false
	}
	return s, true
}

// jsonText renders a literal as JSON text for a custom property.
func (c *compilation) jsonText(u *unit, v *idl.Literal) (string, bool) {
	lit, ok := c.literal(u, v)
	if !ok {
		return "", false
	}
	if bad := findIdent(lit); bad != nil {
		c.res.Diags.Errorf(bad.Span, "%s is not a JSON value; write it as a string: %q", bad.Text, bad.Text)
		return "", false
	}
	return literalJSON(lit), true
}

func findIdent(l *defaults.Literal) *defaults.Literal {
	switch l.Kind {
	case defaults.LitIdent:
		return l
	case defaults.LitArray:
		for _, it := range l.Items {
			if b := findIdent(it); b != nil {
				return b
			}
		}
	case defaults.LitObject:
		for _, m := range l.Fields {
			if b := findIdent(m.Value); b != nil {
				return b
			}
		}
	}
	return nil
}

// literalJSON renders a literal that holds no bare identifier as compact
// JSON: the defaults package's rendering, with its spaces taken out.
func literalJSON(l *defaults.Literal) string {
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(defaults.Render(l))); err != nil {
		return defaults.Render(l) // unreachable: Render writes valid JSON
	}
	return b.String()
}

// literal converts an IDL literal to the defaults package's literal.
func (c *compilation) literal(u *unit, v *idl.Literal) (*defaults.Literal, bool) {
	if v == nil {
		return nil, false
	}
	sp := idl.Span(u.path, v.Pos, v.EndPos)
	switch {
	case v.Number != nil:
		return &defaults.Literal{Kind: defaults.LitNumber, Text: *v.Number, Span: sp}, true
	case v.String != nil:
		s, err := idl.Unquote(*v.String)
		if err != nil {
			c.res.Diags.Errorf(sp, "%v", err)
			return nil, false
		}
		return &defaults.Literal{Kind: defaults.LitString, Text: s, Span: sp}, true
	case v.Ident != nil:
		switch *v.Ident {
		case "null":
			return &defaults.Literal{Kind: defaults.LitNull, Span: sp}, true
		case "true", "false":
			return &defaults.Literal{Kind: defaults.LitBool, Bool: *v.Ident == "true", Span: sp}, true
		}
		return &defaults.Literal{Kind: defaults.LitIdent, Text: string(*v.Ident), Span: sp}, true
	case v.List != nil:
		out := &defaults.Literal{Kind: defaults.LitArray, Span: sp}
		ok := true
		for _, it := range v.List.Items {
			l, k := c.literal(u, it)
			ok = ok && k
			out.Items = append(out.Items, l)
		}
		return out, ok
	case v.Object != nil:
		out := &defaults.Literal{Kind: defaults.LitObject, Span: sp}
		ok := true
		seen := map[string]bool{}
		for _, m := range v.Object.Members {
			key := m.Key.Text()
			ksp := idl.Span(u.path, m.Key.Pos, m.Key.EndPos)
			if m.Key.String != nil {
				if _, err := idl.Unquote(*m.Key.String); err != nil {
					c.res.Diags.Errorf(ksp, "%v", err)
					ok = false
				}
			}
			if seen[key] {
				c.res.Diags.Errorf(ksp, "key %q appears twice", key)
				ok = false
			}
			seen[key] = true
			l, k := c.literal(u, m.Value)
			ok = ok && k
			out.Fields = append(out.Fields, defaults.Member{Key: key, KeySpan: ksp, Value: l})
		}
		return out, ok
	}
	return nil, false
}
