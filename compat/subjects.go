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

// Roots returns the top-level types of s, in declaration order. Files
// reached only through imports contribute none.
func Roots(s *ir.Schema) []Root {
	used := map[*ir.Named]bool{}
	var mark func(t *ir.Type, from *ir.Named)
	mark = func(t *ir.Type, from *ir.Named) {
		if t == nil {
			return
		}
		switch t.Kind {
		case ir.Record, ir.Enum, ir.Fixed:
			if t.Named != nil && t.Named != from {
				used[t.Named] = true
			}
		case ir.Array:
			mark(t.Items, from)
		case ir.Map:
			mark(t.Values, from)
		case ir.Union:
			for _, b := range t.Branches {
				mark(b, from)
			}
		}
	}
	for _, n := range s.Types {
		for _, f := range n.Fields {
			mark(f.Type, n)
		}
	}
	var out []Root
	for _, f := range s.Files {
		if f.Imported {
			continue
		}
		if f.Avsc && f.Root != nil && !f.Root.Kind.IsNamed() {
			mark(f.Root, nil)
			out = append(out, Root{Name: f.Path, Type: f.Root, File: f})
		}
	}
	for _, f := range s.Files {
		if f.Imported {
			continue
		}
		for _, n := range f.Types {
			if !used[n] {
				out = append(out, Root{Name: n.FullName(), Type: NamedType(n), Named: n, File: f})
			}
		}
	}
	return out
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
