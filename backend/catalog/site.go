package catalog

import (
	"html/template"
	"sort"
	"strings"

	"github.com/evc-dev/evc/backend/avro"
	"github.com/evc-dev/evc/ir"
)

// site is the catalog's model: what every page shows, worked out once.
type site struct {
	opts      Options
	schema    *ir.Schema
	topics    []*topicPage
	types     []*typePage
	histories []*historyPage
	byName    map[string]*typePage
	// namespaces are the namespaces with types, sorted, each with its types.
	namespaces []namespace
}

// page is what every page's frame needs.
type page struct {
	Site  string
	Title string
	// Doc is rendered under the heading.
	Doc template.HTML
}

type namespace struct {
	Name  string
	Types []*typePage
}

type topicPage struct {
	page
	File   string
	Name   string
	Key    template.HTML
	Values []template.HTML
	// Subjects are the Schema Registry subjects of the topic under
	// Confluent's default TopicNameStrategy.
	Subjects []string
	Events   []*typePage
	Source   string
}

type typePage struct {
	page
	File       string
	Name       string
	FullName   string
	Namespace  string
	Kind       string
	Mode       string
	Source     string
	Aliases    []string
	Deprecated string
	IsDep      bool
	Event      *ir.Event
	Props      []prop
	Fields     []fieldRow
	Symbols    []symbolRow
	EnumDef    string
	Size       int
	Logical    string
	Schema     string
	UsedBy     []usage
	History    string
	named      *ir.Named
}

type fieldRow struct {
	Anchor     string
	Name       string
	Type       template.HTML
	Default    string
	HasDefault bool
	Doc        template.HTML
	Aliases    []string
	Order      string
	Deprecated string
	IsDep      bool
	Props      []prop
	PII        bool
}

type symbolRow struct {
	Anchor     string
	Name       string
	Doc        template.HTML
	Deprecated string
	IsDep      bool
	IsDefault  bool
}

type prop struct {
	Name, Value string
	// Tag marks a property shown as a badge, such as x-pii.
	Tag bool
}

type usage struct {
	Link template.HTML
	// Via is the field (or "key", "value") through which it is used.
	Via string
}

func newSite(s *ir.Schema, opts Options) *site {
	st := &site{opts: opts, schema: s, byName: map[string]*typePage{}}
	for _, n := range s.Types {
		if st.byName[n.FullName()] != nil {
			continue // an identical repeat from a self-contained .avsc
		}
		p := st.typePage(n)
		st.types = append(st.types, p)
		st.byName[n.FullName()] = p
	}
	sort.Slice(st.types, func(i, j int) bool { return st.types[i].FullName < st.types[j].FullName })
	for _, t := range s.Topics {
		st.topics = append(st.topics, st.topicPage(t))
	}
	sort.SliceStable(st.topics, func(i, j int) bool { return st.topics[i].Name < st.topics[j].Name })
	st.usages()
	st.histories = st.historyPages()
	ns := map[string][]*typePage{}
	var names []string
	for _, p := range st.types {
		if _, ok := ns[p.Namespace]; !ok {
			names = append(names, p.Namespace)
		}
		ns[p.Namespace] = append(ns[p.Namespace], p)
	}
	sort.Strings(names)
	for _, n := range names {
		st.namespaces = append(st.namespaces, namespace{Name: n, Types: ns[n]})
	}
	return st
}

func (st *site) page(title, doc string) page {
	return page{Site: st.opts.Title, Title: title, Doc: renderDoc(doc)}
}

func (st *site) typePage(n *ir.Named) *typePage {
	p := &typePage{
		page:      st.page(n.Name, n.Doc),
		File:      typeFile(n.FullName()),
		Name:      n.Name,
		FullName:  n.FullName(),
		Namespace: n.Namespace,
		Kind:      n.Kind.String(),
		Aliases:   n.Aliases,
		IsDep:     n.Deprecated,
		Event:     n.Event,
		Props:     props(n.Props),
		Size:      n.Size,
		Schema:    string(avro.SchemaJSON(n, true)),
		named:     n,
	}
	if p.IsDep {
		p.Deprecated = n.DeprecatedReason
	}
	if n.File != nil {
		p.Source = n.File.Path
	}
	if st.opts.Mode != nil {
		p.Mode = st.opts.Mode(n)
	}
	if n.Logical != ir.NoLogical {
		p.Logical = n.Logical.String()
		if n.Logical == ir.Decimal {
			p.Logical = (&ir.Type{Kind: ir.Bytes, Logical: ir.Decimal, Precision: n.Precision, Scale: n.Scale}).Name()
		}
	}
	for _, f := range n.Fields {
		r := fieldRow{
			Anchor:  anchor("field", f.Name),
			Name:    f.Name,
			Type:    st.typeHTML(f.Type),
			Doc:     renderDoc(f.Doc),
			Aliases: f.Aliases,
			Order:   string(f.Order),
			IsDep:   f.Deprecated,
			Props:   props(f.Props),
		}
		if f.Deprecated {
			r.Deprecated = f.DeprecatedReason
		}
		if f.Default != nil {
			r.HasDefault = true
			r.Default = f.Default.JSON()
		}
		for _, pr := range r.Props {
			if pr.Tag && strings.Contains(strings.ToLower(pr.Name), "pii") && pr.Value != "false" {
				r.PII = true
			}
		}
		p.Fields = append(p.Fields, r)
	}
	for _, s := range n.Symbols {
		r := symbolRow{Anchor: anchor("symbol", s.Name), Name: s.Name, Doc: renderDoc(s.Doc), IsDep: s.Deprecated, IsDefault: n.HasDefault && n.Default == s.Name}
		if s.Deprecated {
			r.Deprecated = s.DeprecatedReason
		}
		p.Symbols = append(p.Symbols, r)
	}
	if n.HasDefault {
		p.EnumDef = n.Default
	}
	return p
}

func (st *site) topicPage(t *ir.Topic) *topicPage {
	p := &topicPage{page: st.page(t.Name, t.Doc), File: topicFile(t.Name), Name: t.Name}
	if t.File != nil {
		p.Source = t.File.Path
	}
	if t.Key != nil {
		p.Key = st.typeHTML(t.Key)
		p.Subjects = append(p.Subjects, t.Name+"-key")
	}
	for _, v := range t.Values {
		p.Values = append(p.Values, st.typeHTML(v))
		if v.Named != nil {
			if tp := st.byName[v.Named.FullName()]; tp != nil && v.Named.Event != nil {
				p.Events = append(p.Events, tp)
			}
		}
	}
	if len(t.Values) > 0 {
		p.Subjects = append(p.Subjects, t.Name+"-value")
	}
	return p
}

// usages fills UsedBy: the fields and topics that use each named type.
func (st *site) usages() {
	for _, from := range st.types {
		seen := map[string]bool{}
		for _, f := range from.named.Fields {
			ir.EachNamed(f.Type, func(n *ir.Named) {
				key := n.FullName() + "\x00" + f.Name
				if seen[key] {
					return
				}
				seen[key] = true
				if to := st.byName[n.FullName()]; to != nil {
					to.UsedBy = append(to.UsedBy, usage{Link: link(from.File+"#"+anchor("field", f.Name), from.FullName+"."+f.Name), Via: "field"})
				}
			})
		}
	}
	for _, t := range st.topics {
		topic := topicByName(st.schema, t.Name)
		use := func(ty *ir.Type, via string) {
			ir.EachNamed(ty, func(n *ir.Named) {
				if to := st.byName[n.FullName()]; to != nil {
					to.UsedBy = append(to.UsedBy, usage{Link: link(t.File, t.Name), Via: "topic " + via})
				}
			})
		}
		if topic.Key != nil {
			use(topic.Key, "key")
		}
		for _, v := range topic.Values {
			use(v, "value")
		}
	}
}

func topicByName(s *ir.Schema, name string) *ir.Topic {
	for _, t := range s.Topics {
		if t.Name == name {
			return t
		}
	}
	return nil
}

// typeHTML renders a use of a type with its named types linked.
func (st *site) typeHTML(t *ir.Type) template.HTML {
	var b strings.Builder
	st.writeType(&b, t)
	return template.HTML(b.String())
}

func (st *site) writeType(b *strings.Builder, t *ir.Type) {
	if t == nil {
		b.WriteString("?")
		return
	}
	if t.Custom != nil {
		b.WriteString(`<span class="custom" title="`)
		b.WriteString(template.HTMLEscapeString("on the wire: " + t.Custom.Wire.Name()))
		b.WriteString(`">`)
		b.WriteString(template.HTMLEscapeString(t.Custom.Name))
		b.WriteString("</span>")
		return
	}
	switch t.Kind {
	case ir.Record, ir.Enum, ir.Fixed:
		if t.Named != nil {
			b.WriteString(string(link(typeFile(t.Named.FullName()), t.Named.Name)))
			return
		}
	case ir.Array:
		b.WriteString("array&lt;")
		st.writeType(b, t.Items)
		b.WriteString("&gt;")
		return
	case ir.Map:
		b.WriteString("map&lt;")
		st.writeType(b, t.Values)
		b.WriteString("&gt;")
		return
	case ir.Union:
		if t.Optional && len(t.Branches) == 2 {
			st.writeType(b, t.Branches[1])
			b.WriteString("?")
			return
		}
		b.WriteString("union&lt;")
		for i, br := range t.Branches {
			if i > 0 {
				b.WriteString(", ")
			}
			st.writeType(b, br)
		}
		b.WriteString("&gt;")
		return
	}
	b.WriteString(`<span class="prim">`)
	b.WriteString(template.HTMLEscapeString(t.Name()))
	b.WriteString("</span>")
}

func link(href, text string) template.HTML {
	return template.HTML(`<a href="` + template.HTMLEscapeString(href) + `">` + template.HTMLEscapeString(text) + `</a>`)
}

// props lists custom properties; x- properties are shown as tags.
func props(ps []ir.Prop) []prop {
	var out []prop
	for _, p := range ps {
		out = append(out, prop{Name: p.Name, Value: p.Value, Tag: strings.HasPrefix(p.Name, "x-")})
	}
	return out
}

// renderDoc renders a doc comment: paragraphs split at blank lines, text
// escaped, `code` spans kept.
func renderDoc(doc string) template.HTML {
	doc = strings.TrimSpace(doc)
	if doc == "" {
		return ""
	}
	var b strings.Builder
	for _, para := range strings.Split(strings.ReplaceAll(doc, "\r\n", "\n"), "\n\n") {
		para = strings.TrimSpace(para)
		if para == "" {
			continue
		}
		b.WriteString("<p>")
		parts := strings.Split(para, "`")
		for i, part := range parts {
			esc := template.HTMLEscapeString(part)
			if i%2 == 1 && i < len(parts)-1 {
				b.WriteString("<code>" + esc + "</code>")
			} else {
				if i%2 == 1 {
					b.WriteString("`")
				}
				b.WriteString(esc)
			}
		}
		b.WriteString("</p>")
	}
	return template.HTML(b.String())
}
