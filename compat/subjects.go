package compat

import (
	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/ir"
)

// Root is a top-level type of a schema: a named type that no other named
// type uses, or the top-level schema of an .avsc file that is not a named
// type (a union, a primitive).
type Root struct {
	// Name is the type's full name, or the file's path for an unnamed
	// .avsc schema.
	Name string
	Type *ir.Type
	// Named is the type's definition; nil for an unnamed schema.
	Named *ir.Named
	File  *ir.File
}

// NamedType returns a use of n, as a field would hold it.
func NamedType(n *ir.Named) *ir.Type { return &ir.Type{Kind: n.Kind, Named: n} }

// Roots returns the top-level types of s, in declaration order: the named
// types that no type outside their own reference cycle uses, and the
// top-level schema of each .avsc file that is not a named type. Files
// reached only through imports contribute none.
//
// Types are told apart by full name, not by definition: a folder of
// self-contained .avsc files defines a shared type again in every file that
// uses it, and those repeats are not top-level (LineItem.avsc and
// Money.avsc, both holding Currency, give LineItem only).
//
// A cycle that no other type uses (R uses N and N uses R) has no type that
// nothing uses; its top-level types are the ones declared as a file's
// schema (.avsc), else the ones a topic carries, else its first declared
// type. Every type of such a cycle is still checked: through that one.
func Roots(s *ir.Schema) []Root {
	g := newUseGraph(s)
	var out []Root
	for _, f := range s.Files {
		if f.Imported {
			continue
		}
		if f.Avsc && f.Root != nil && !f.Root.Kind.IsNamed() {
			out = append(out, Root{Name: f.Path, Type: f.Root, File: f})
		}
	}
	top := g.topLevel(s)
	done := map[string]bool{}
	for _, f := range s.Files {
		if f.Imported {
			continue
		}
		cands := f.Types
		if f.Avsc {
			// The other types of an .avsc file are inside its schema.
			cands = nil
			if f.Root != nil && f.Root.Named != nil {
				cands = []*ir.Named{f.Root.Named}
			}
		}
		for _, n := range cands {
			name := n.FullName()
			if done[name] || !top[name] {
				continue
			}
			done[name] = true
			out = append(out, Root{Name: name, Type: NamedType(n), Named: n, File: f})
		}
	}
	return out
}

// useGraph is which named type uses which, by full name.
type useGraph struct {
	names []string            // every named type, in declaration order
	uses  map[string][]string // the named types each one's fields use
	// usedOutside holds the types an unnamed .avsc schema uses.
	usedOutside map[string]bool
}

func newUseGraph(s *ir.Schema) *useGraph {
	g := &useGraph{uses: map[string][]string{}, usedOutside: map[string]bool{}}
	seen := map[string]bool{}
	for _, f := range s.Files {
		for _, n := range f.Types {
			name := n.FullName()
			if !seen[name] {
				seen[name] = true
				g.names = append(g.names, name)
			}
			for _, fd := range n.Fields {
				ir.EachNamed(fd.Type, func(m *ir.Named) {
					if !containsString(g.uses[name], m.FullName()) {
						g.uses[name] = append(g.uses[name], m.FullName())
					}
				})
			}
		}
		if f.Root != nil && !f.Root.Kind.IsNamed() {
			ir.EachNamed(f.Root, func(m *ir.Named) { g.usedOutside[m.FullName()] = true })
		}
	}
	return g
}

// components returns the strongly connected components of the graph
// (Tarjan's algorithm, iterative), each a list of names, and the component
// of each name.
func (g *useGraph) components() (comps [][]string, compOf map[string]int) {
	index := map[string]int{}
	low := map[string]int{}
	onStack := map[string]bool{}
	compOf = map[string]int{}
	var stack []string
	next := 0
	type frame struct {
		v string
		i int
	}
	for _, root := range g.names {
		if _, ok := index[root]; ok {
			continue
		}
		work := []frame{{v: root}}
		index[root], low[root] = next, next
		next++
		stack = append(stack, root)
		onStack[root] = true
		for len(work) > 0 {
			top := &work[len(work)-1]
			if top.i < len(g.uses[top.v]) {
				w := g.uses[top.v][top.i]
				top.i++
				if _, ok := index[w]; !ok {
					index[w], low[w] = next, next
					next++
					stack = append(stack, w)
					onStack[w] = true
					work = append(work, frame{v: w})
				} else if onStack[w] && index[w] < low[top.v] {
					low[top.v] = index[w]
				}
				continue
			}
			v := top.v
			work = work[:len(work)-1]
			if len(work) > 0 {
				if p := work[len(work)-1].v; low[v] < low[p] {
					low[p] = low[v]
				}
			}
			if low[v] == index[v] {
				var comp []string
				for {
					w := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					onStack[w] = false
					compOf[w] = len(comps)
					comp = append(comp, w)
					if w == v {
						break
					}
				}
				comps = append(comps, comp)
			}
		}
	}
	return comps, compOf
}

// topLevel returns the full names of the top-level named types of s.
func (g *useGraph) topLevel(s *ir.Schema) map[string]bool {
	comps, compOf := g.components()
	usedFromOutside := make([]bool, len(comps))
	for _, v := range g.names {
		for _, w := range g.uses[v] {
			if compOf[w] != compOf[v] {
				usedFromOutside[compOf[w]] = true
			}
		}
	}
	for w := range g.usedOutside {
		if c, ok := compOf[w]; ok {
			usedFromOutside[c] = true
		}
	}
	fileRoot := map[string]bool{}
	for _, f := range s.Files {
		if f.Root != nil && f.Root.Named != nil && !f.Imported {
			fileRoot[f.Root.Named.FullName()] = true
		}
	}
	carried := map[string]bool{}
	for _, t := range s.Topics {
		for _, v := range append([]*ir.Type{t.Key}, t.Values...) {
			if v != nil && v.Named != nil {
				carried[v.Named.FullName()] = true
			}
		}
	}
	order := map[string]int{}
	for i, v := range g.names {
		order[v] = i
	}
	top := map[string]bool{}
	for c, comp := range comps {
		if usedFromOutside[c] {
			continue
		}
		if len(comp) == 1 {
			top[comp[0]] = true
			continue
		}
		var pick []string
		for _, by := range []map[string]bool{fileRoot, carried} {
			for _, v := range comp {
				if by[v] {
					pick = append(pick, v)
				}
			}
			if len(pick) > 0 {
				break
			}
		}
		if len(pick) == 0 {
			first := comp[0]
			for _, v := range comp {
				if order[v] < order[first] {
					first = v
				}
			}
			pick = []string{first}
		}
		for _, v := range pick {
			top[v] = true
		}
	}
	return top
}

// ModeRules decide the mode of each top-level type. From the most to the
// least specific: Override (the --mode flag), the type's @compat in the IDL,
// Types (the config file's per-type modes), the file's option compat in the
// IDL, Default (the config file's mode), and DefaultMode.
type ModeRules struct {
	Override Mode
	Types    map[string]Mode
	Default  Mode
}

// Of returns the mode that applies to r. A mode in the IDL that is not one
// is reported to l (when l is not nil) and skipped.
func (mr ModeRules) Of(r Root, l *diag.List) Mode {
	if mr.Override != "" {
		return mr.Override
	}
	if m := idlMode(compatOf(r.Named), namedSpan(r.Named), l); m != "" {
		return m
	}
	if m := mr.Types[r.Name]; m != "" {
		return m
	}
	if m := idlMode(fileCompat(r.File), diag.Span{Start: diag.Pos{File: filePath(r.File)}}, l); m != "" {
		return m
	}
	if mr.Default != "" {
		return mr.Default
	}
	return DefaultMode
}

// ModeOf returns the mode that applies to a root: override when it is set,
// else the type's own @compat, else its file's, else DefaultMode. A mode in
// the IDL that is not one is reported to l.
func ModeOf(r Root, override Mode, l *diag.List) Mode {
	return ModeRules{Override: override}.Of(r, l)
}

// idlMode parses a mode written in the IDL, "" when none is.
func idlMode(s string, sp diag.Span, l *diag.List) Mode {
	if s == "" {
		return ""
	}
	mode, err := ParseMode(s)
	if err != nil {
		if l != nil {
			l.Errorf(sp, "unknown compatibility mode %q", s).Help = ModeHelp
		}
		return ""
	}
	return mode
}

func compatOf(n *ir.Named) string {
	if n == nil {
		return ""
	}
	return n.Compat
}

func namedSpan(n *ir.Named) diag.Span {
	if n == nil {
		return diag.Span{}
	}
	return n.NameSpan
}

func fileCompat(f *ir.File) string {
	if f == nil {
		return ""
	}
	return f.Compat
}

func filePath(f *ir.File) string {
	if f == nil {
		return ""
	}
	return f.Path
}

// Earlier holds the earlier versions of every top-level type a source has.
type Earlier struct {
	// Label describes the source ("git:origin/main").
	Label string
	// Versions are each type's versions, oldest first, by Root name.
	Versions map[string][]Version
	// Order is the Root names in the order the source gave them.
	Order []string
	// Roots are the latest earlier version of each top-level type, by name:
	// the mode of a removed type is decided from them (its IDL's @compat and
	// option compat).
	Roots map[string]Root
	// All indexes every named type of the latest earlier versions, top-level
	// or not, by full name: a type that became top-level is compared with
	// its earlier nested self.
	All map[string]*ir.Named
	// Sources are the texts of the earlier files, for rendering.
	Sources diag.Sources
}

// NewEarlier returns an empty Earlier labelled label.
func NewEarlier(label string) *Earlier {
	return &Earlier{Label: label, Versions: map[string][]Version{}, Roots: map[string]Root{}, All: map[string]*ir.Named{}, Sources: diag.Sources{}}
}

// Add appends a version of the type called name.
func (e *Earlier) Add(name string, v Version) {
	if _, ok := e.Versions[name]; !ok {
		e.Order = append(e.Order, name)
	}
	e.Versions[name] = append(e.Versions[name], v)
}

// AddSchema adds every top-level type of s as one version labelled label,
// and indexes its named types.
func (e *Earlier) AddSchema(s *ir.Schema, label string) {
	for _, r := range Roots(s) {
		e.Add(r.Name, Version{Label: label, Type: r.Type})
		e.Roots[r.Name] = r
	}
	for _, n := range s.Types {
		e.All[n.FullName()] = n
	}
}

// Match pairs the new top-level types with their earlier versions, by full
// name and through the new types' aliases, and lists the earlier top-level
// types that are gone. rules decide each type's mode (a removed type's from
// its earlier IDL). Invalid modes in the IDL are reported to l.
func Match(roots []Root, newSchema *ir.Schema, old *Earlier, rules ModeRules, l *diag.List) (subjects []Subject, removed []Removed) {
	matched := map[string]bool{}
	for _, r := range roots {
		s := Subject{Name: r.Name, File: filePath(r.File), New: r.Type, Mode: rules.Of(r, l)}
		keys := []string{}
		if r.Named != nil {
			keys = append(keys, r.Named.Aliases...)
		}
		keys = append(keys, r.Name)
		for _, k := range keys {
			if vs, ok := old.Versions[k]; ok {
				s.Versions = append(s.Versions, vs...)
				matched[k] = true
			}
		}
		if len(s.Versions) == 0 && r.Named != nil {
			// A type that was nested before and is top-level now.
			for _, k := range keys {
				if n := old.All[k]; n != nil && n.Kind == r.Named.Kind {
					s.Versions = []Version{{Label: old.Label, Type: NamedType(n)}}
					break
				}
			}
		}
		subjects = append(subjects, s)
	}
	// Every name the new side still has, top-level or nested, with aliases.
	have := map[string]bool{}
	for _, r := range roots {
		have[r.Name] = true
	}
	if newSchema != nil {
		for _, n := range newSchema.Types {
			have[n.FullName()] = true
			for _, a := range n.Aliases {
				have[a] = true
			}
		}
	}
	// A type that moved to another namespace: Avro matches named types by
	// their unqualified name, so its earlier self still reads and is read
	// by it. One candidate only, of the same kind.
	for i := range subjects {
		s := &subjects[i]
		if len(s.Versions) > 0 || s.New == nil || s.New.Named == nil {
			continue
		}
		var cands []string
		for _, name := range old.Order {
			r := old.Roots[name]
			if !matched[name] && !have[name] && r.Named != nil && r.Named.Kind == s.New.Named.Kind && r.Named.Name == s.New.Named.Name {
				cands = append(cands, name)
			}
		}
		if len(cands) == 1 {
			s.Versions = append(s.Versions, old.Versions[cands[0]]...)
			matched[cands[0]] = true
		}
	}
	subjects = append(subjects, nestedSubjects(roots, newSchema, old, rules, subjects)...)
	for _, name := range old.Order {
		if matched[name] || have[name] {
			continue
		}
		vs := old.Versions[name]
		r, ok := old.Roots[name]
		if !ok {
			r = Root{Name: name}
		}
		removed = append(removed, Removed{Name: name, Mode: rules.Of(r, nil), Version: vs[len(vs)-1]})
	}
	return subjects, removed
}

// nestedSubjects returns the named types of the new schemas that have an
// earlier version but that no checked top-level type reaches (every type
// that uses them is new, or was renamed without an alias), so that they
// are checked on their own, in the joint mode of the top-level types that
// use them. Of such types that reach one another, only the outermost is
// returned.
func nestedSubjects(roots []Root, s *ir.Schema, old *Earlier, rules ModeRules, subjects []Subject) []Subject {
	if s == nil {
		return nil
	}
	byName := map[string]*ir.Named{}
	for _, n := range s.Types {
		byName[n.FullName()] = n
	}
	reach := func(from *ir.Type) map[string]bool {
		seen := map[string]bool{}
		var walk func(t *ir.Type)
		walk = func(t *ir.Type) {
			ir.EachNamed(t, func(m *ir.Named) {
				name := m.FullName()
				if seen[name] {
					return
				}
				seen[name] = true
				if n := byName[name]; n != nil {
					m = n
				}
				for _, f := range m.Fields {
					walk(f.Type)
				}
			})
		}
		walk(from)
		return seen
	}
	checked := map[string]bool{}
	for _, sub := range subjects {
		if len(sub.Versions) > 0 {
			for name := range reach(sub.New) {
				checked[name] = true
			}
		}
	}
	isRoot := map[string]bool{}
	rootReach := make([]map[string]bool, len(roots))
	for i, r := range roots {
		isRoot[r.Name] = true
		rootReach[i] = reach(r.Type)
	}
	type cand struct {
		n        *ir.Named
		versions []Version
		reach    map[string]bool
	}
	var cands []cand
	for _, n := range s.Types {
		name := n.FullName()
		if isRoot[name] || checked[name] {
			continue
		}
		var vs []Version
		for _, k := range append([]string{name}, n.Aliases...) {
			if v, ok := old.Versions[k]; ok {
				vs = v
				break
			}
			if o := old.All[k]; o != nil && o.Kind == n.Kind {
				vs = []Version{{Label: old.Label, Type: NamedType(o)}}
				break
			}
		}
		if vs != nil {
			cands = append(cands, cand{n, vs, reach(NamedType(n))})
		}
	}
	var out []Subject
	for i, c := range cands {
		name := c.n.FullName()
		inner := false
		for j, d := range cands {
			// c is inside d, unless they reach each other and c comes first.
			if j != i && d.reach[name] && (!c.reach[d.n.FullName()] || j < i) {
				inner = true
				break
			}
		}
		if inner {
			continue
		}
		var modes []Mode
		for k, r := range roots {
			if rootReach[k][name] {
				modes = append(modes, rules.Of(r, nil))
			}
		}
		mode := joinModes(modes)
		if len(modes) == 0 {
			mode = rules.Of(Root{Name: name, Type: NamedType(c.n), Named: c.n, File: c.n.File}, nil)
		}
		out = append(out, Subject{Name: name, File: filePath(c.n.File), New: NamedType(c.n), Mode: mode, Versions: c.versions, Nested: true})
	}
	return out
}
