package catalog

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"sort"
	"strings"

	"github.com/evc-dev/evc/backend"
	"github.com/evc-dev/evc/ir"
)

// Options are what the site shows beyond the IR.
type Options struct {
	// Title heads every page; "" means "Event catalog".
	Title string
	// Mode returns the compatibility mode in force for a named type, as
	// evc compat decides it; nil shows none.
	Mode func(*ir.Named) string
	// History holds the earlier versions of types, by type.
	History []History
	// Verdict judges one step of a type's history: data written with older
	// read by newer and the other way, in the type's mode. nil shows the
	// changes without a verdict.
	Verdict func(name string, older, newer Version) Verdict
}

// History is the earlier versions of one type, oldest first. The current
// definition (from the schema) is added after them.
type History struct {
	// Name is the type's full name.
	Name     string
	Versions []Version
}

// Version is one version of a type.
type Version struct {
	// Label names it: "v3", "git:v1.2".
	Label string
	Type  *ir.Type
}

// Verdict is what evc compat says of one step.
type Verdict struct {
	Mode       string
	Compatible bool
	Findings   []Finding
}

// Finding is one incompatibility or warning, as evc compat reports it.
type Finding struct {
	// Severity is "error" or "warning".
	Severity string
	// Rule is the stable rule id, such as FIELD_NO_DEFAULT.
	Rule string
	// Direction is BACKWARD or FORWARD, or "".
	Direction string
	Path      string
	Message   string
}

//go:embed assets/*
var assets embed.FS

// Generate returns the site's files: index.html, search.html, a page per
// topic (topic-NAME.html) and per named type (type-FULLNAME.html), a history
// page per type that has earlier versions, the overview diagram as
// overview.svg, and the assets. Paths are flat, so every link is relative
// and the site works from any folder and from file://.
func Generate(s *ir.Schema, opts Options) ([]backend.File, error) {
	if opts.Title == "" {
		opts.Title = "Event catalog"
	}
	site := newSite(s, opts)
	var files []backend.File
	add := func(name string, data []byte) { files = append(files, backend.File{Path: name, Data: data}) }

	for _, a := range []string{"style.css", "search.js"} {
		data, err := assets.ReadFile("assets/" + a)
		if err != nil {
			return nil, err
		}
		add("assets/"+a, data)
	}
	add("assets/index.js", site.searchIndex())
	diagram := site.diagram()
	add("overview.svg", diagram)

	render := func(name, tmpl string, data any) error {
		var b bytes.Buffer
		if err := parsedTemplates().ExecuteTemplate(&b, tmpl, data); err != nil {
			return fmt.Errorf("evc: catalog: %s: %w", name, err)
		}
		add(name, b.Bytes())
		return nil
	}
	if err := render("index.html", "index", site.overview(template.HTML(diagram))); err != nil {
		return nil, err
	}
	if err := render("search.html", "search", site.page("Search", "")); err != nil {
		return nil, err
	}
	for _, t := range site.topics {
		if err := render(t.File, "topic", t); err != nil {
			return nil, err
		}
	}
	for _, n := range site.types {
		if err := render(n.File, "type", n); err != nil {
			return nil, err
		}
	}
	for _, h := range site.histories {
		if err := render(h.File, "history", h); err != nil {
			return nil, err
		}
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return files, nil
}

// typeFile is the page of a named type.
func typeFile(fullName string) string { return "type-" + fileSafe(fullName) + ".html" }

// topicFile is the page of a topic.
func topicFile(name string) string { return "topic-" + fileSafe(name) + ".html" }

// historyFile is the history page of a type.
func historyFile(fullName string) string { return "history-" + fileSafe(fullName) + ".html" }

// fileSafe keeps the characters Avro names and Kafka topics use and spells
// any other byte as ~XX, so that two names never share a file.
func fileSafe(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '.', c == '-', c == '_':
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "~%02X", c)
		}
	}
	return b.String()
}

// anchor is a fragment id for a field or symbol.
func anchor(kind, name string) string { return kind + "-" + fileSafe(name) }
