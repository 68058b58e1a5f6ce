package catalog

import (
	"encoding/json"
	"fmt"
	"html/template"
	"strings"

	"github.com/evc-dev/evc/ir"
)

type overviewPage struct {
	page
	Diagram    template.HTML
	Topics     []*topicPage
	Events     []*typePage
	Namespaces []namespace
	Histories  []*historyPage
	// Counts says how many topics, events, types and namespaces there are.
	Counts string
}

func (st *site) overview(diagram template.HTML) *overviewPage {
	p := &overviewPage{page: st.page(st.opts.Title, ""), Diagram: diagram, Topics: st.topics, Namespaces: st.namespaces, Histories: st.histories}
	for _, t := range st.types {
		if t.Event != nil {
			p.Events = append(p.Events, t)
		}
	}
	p.Counts = strings.Join([]string{
		count(len(p.Topics), "topic"), count(len(p.Events), "event"),
		count(len(st.types), "type"), count(len(p.Namespaces), "namespace"),
	}, " · ")
	return p
}

// count says "1 topic" or "3 topics".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// entry is one search result: a topic, a type, a field or a symbol.
type entry struct {
	Name string `json:"n"`
	Kind string `json:"k"`
	URL  string `json:"u"`
	// In is what the entry belongs to (the type of a field).
	In  string `json:"i,omitempty"`
	Doc string `json:"d,omitempty"`
}

// searchIndex is assets/index.js: every topic, type, field and symbol with
// its doc, as a script that sets window.EVC_INDEX (a page opened from disk
// cannot fetch a JSON file).
func (st *site) searchIndex() []byte {
	var es []entry
	for _, t := range st.topics {
		es = append(es, entry{Name: t.Name, Kind: "topic", URL: t.File, Doc: oneLine(topicByName(st.schema, t.Name).Doc)})
	}
	for _, p := range st.types {
		n := p.named
		es = append(es, entry{Name: p.FullName, Kind: p.Kind, URL: p.File, Doc: oneLine(n.Doc)})
		for i, f := range p.Fields {
			es = append(es, entry{Name: f.Name, Kind: "field", URL: p.File + "#" + f.Anchor, In: p.FullName, Doc: oneLine(n.Fields[i].Doc)})
		}
		for i, s := range p.Symbols {
			es = append(es, entry{Name: s.Name, Kind: "symbol", URL: p.File + "#" + s.Anchor, In: p.FullName, Doc: oneLine(n.Symbols[i].Doc)})
		}
	}
	data, err := json.Marshal(es)
	if err != nil {
		panic(err) // strings only: cannot fail
	}
	return []byte("window.EVC_INDEX = " + string(data) + ";\n")
}

// oneLine is a doc as the search shows and matches it: its words on one
// line, without the backquotes that mark code on the pages.
func oneLine(doc string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(doc, "`", "")), " ")
}

// Diagram layout, in SVG user units.
const (
	rowH      = 34
	boxH      = 24
	charW     = 8.1
	leftX     = 10
	rightX    = 440
	diagWidth = 800
)

// diagram draws the topics in a left column and the types they carry in a
// right one, a solid line to each value type and a dashed one to the key.
// Each box links to its page.
func (st *site) diagram() []byte {
	type node struct {
		name, file string
		y          int
	}
	var rights []*node
	index := map[string]*node{}
	type edge struct {
		from, to int
		key      bool
	}
	var edges []edge
	rightOf := func(full, short string) int {
		if n, ok := index[full]; ok {
			for i, r := range rights {
				if r == n {
					return i
				}
			}
		}
		n := &node{name: short, file: typeFile(full)}
		index[full] = n
		rights = append(rights, n)
		return len(rights) - 1
	}
	for i, t := range st.topics {
		topic := topicByName(st.schema, t.Name)
		if topic.Key != nil && topic.Key.Named != nil {
			edges = append(edges, edge{i, rightOf(topic.Key.Named.FullName(), topic.Key.Named.Name), true})
		}
		for _, v := range topic.Values {
			for _, n := range namedIn(v) {
				edges = append(edges, edge{i, rightOf(n.full, n.short), false})
			}
		}
	}
	rows := max(len(st.topics), len(rights), 1)
	h := rows*rowH + 40
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="diagram" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="Topics and the event types they carry">`, diagWidth, h, diagWidth, h)
	b.WriteString(`<style>.t{font:13px ui-monospace,monospace;fill:#1b1f24}.h{font:bold 12px sans-serif;fill:#57606a}.bt{fill:#ddf4ff;stroke:#0969da}.bv{fill:#fff8c5;stroke:#9a6700}.e{stroke:#57606a;fill:none}.k{stroke-dasharray:4 3}</style>`)
	fmt.Fprintf(&b, `<text class="h" x="%d" y="16">TOPICS</text><text class="h" x="%d" y="16">EVENT AND KEY TYPES</text>`, leftX, rightX)
	boxW := func(s string) int { return int(float64(len(s))*charW) + 20 }
	y := func(i int) int { return 30 + i*rowH }
	for _, e := range edges {
		t := st.topics[e.from]
		x1 := leftX + boxW(t.Name)
		y1 := y(e.from) + boxH/2
		y2 := y(e.to) + boxH/2
		cls := "e"
		if e.key {
			cls = "e k"
		}
		mid := (x1 + rightX) / 2
		fmt.Fprintf(&b, `<path class="%s" d="M%d %d C%d %d %d %d %d %d"/>`, cls, x1, y1, mid, y1, mid, y2, rightX, y2)
	}
	for i, t := range st.topics {
		fmt.Fprintf(&b, `<a href="%s"><rect class="bt" x="%d" y="%d" width="%d" height="%d" rx="4"/><text class="t" x="%d" y="%d">%s</text></a>`,
			template.HTMLEscapeString(t.File), leftX, y(i), boxW(t.Name), boxH, leftX+10, y(i)+17, template.HTMLEscapeString(t.Name))
	}
	for i, n := range rights {
		fmt.Fprintf(&b, `<a href="%s"><rect class="bv" x="%d" y="%d" width="%d" height="%d" rx="4"/><text class="t" x="%d" y="%d">%s</text></a>`,
			template.HTMLEscapeString(n.file), rightX, y(i), boxW(n.name), boxH, rightX+10, y(i)+17, template.HTMLEscapeString(n.name))
	}
	b.WriteString("</svg>\n")
	return []byte(b.String())
}

type namedRef struct{ full, short string }

// namedIn lists the named types a topic value is: the type itself, or each
// named branch of a union.
func namedIn(t *ir.Type) []namedRef {
	var out []namedRef
	ir.EachNamed(t, func(n *ir.Named) { out = append(out, namedRef{n.FullName(), n.Name}) })
	return out
}
