package catalog

import (
	"fmt"
	"slices"

	"github.com/evc-dev/evc/ir"
)

// maxAllPairs is the most versions of a type for which every pair of
// versions is compared; beyond it, each version is compared with the next
// and with the current one, so a long history does not grow the page by
// the square of its length.
const maxAllPairs = 12

type historyPage struct {
	page
	File     string
	Name     string
	TypeFile string
	Labels   []string
	Steps    []*step
}

// step is one comparison of two versions of a type.
type step struct {
	ID       string
	From, To string
	Changes  []change
	Verdict  *Verdict
	// Judged says a verdict was given (Options.Verdict is set).
	Judged bool
}

// Count says how many changes there are, in words.
func (s *step) Count() string {
	switch len(s.Changes) {
	case 0:
		return "no change"
	case 1:
		return "1 change"
	}
	return fmt.Sprintf("%d changes", len(s.Changes))
}

// change is one field-level difference.
type change struct {
	// Op is "added", "removed" or "changed".
	Op   string
	Path string
	What string
}

func (st *site) historyPages() []*historyPage {
	var out []*historyPage
	for _, h := range st.opts.History {
		cur := st.byName[h.Name]
		versions := slices.Clone(h.Versions)
		if cur != nil {
			versions = append(versions, Version{Label: "current", Type: &ir.Type{Kind: cur.named.Kind, Named: cur.named}})
		}
		if len(versions) < 2 {
			continue
		}
		p := &historyPage{page: st.page("History of "+h.Name, ""), File: historyFile(h.Name), Name: h.Name}
		if cur != nil {
			p.TypeFile = cur.File
			cur.History = p.File
		}
		for _, v := range versions {
			p.Labels = append(p.Labels, v.Label)
		}
		last := len(versions) - 1
		for i := 0; i < last; i++ {
			for j := i + 1; j <= last; j++ {
				if len(versions) > maxAllPairs && j != i+1 && j != last {
					continue
				}
				p.Steps = append(p.Steps, st.step(h.Name, versions[i], versions[j]))
			}
		}
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b *historyPage) int {
		if a.Name < b.Name {
			return -1
		}
		if a.Name > b.Name {
			return 1
		}
		return 0
	})
	return out
}

func (st *site) step(name string, older, newer Version) *step {
	s := &step{ID: fileSafe(older.Label) + "--" + fileSafe(newer.Label), From: older.Label, To: newer.Label}
	d := differ{seen: map[[2]*ir.Named]bool{}}
	d.typ(name, older.Type, newer.Type)
	s.Changes = d.out
	if st.opts.Verdict != nil {
		v := st.opts.Verdict(name, older, newer)
		s.Verdict, s.Judged = &v, true
	}
	return s
}

// differ lists the field-level differences between two versions of a type,
// entering nested named types once each.
type differ struct {
	seen map[[2]*ir.Named]bool
	out  []change
}

func (d *differ) add(op, path, format string, args ...any) {
	d.out = append(d.out, change{Op: op, Path: path, What: fmt.Sprintf(format, args...)})
}

func (d *differ) typ(path string, old, new *ir.Type) {
	if old == nil || new == nil {
		return
	}
	if old.Kind != new.Kind || (!old.Kind.IsNamed() && wireName(old) != wireName(new)) {
		d.add("changed", path, "type %s → %s", wireName(old), wireName(new))
		return
	}
	switch old.Kind {
	case ir.Array:
		d.typ(path+"[]", old.Items, new.Items)
	case ir.Map:
		d.typ(path+"{}", old.Values, new.Values)
	case ir.Record, ir.Enum, ir.Fixed:
		if old.Named.FullName() != new.Named.FullName() {
			d.add("changed", path, "type %s → %s", old.Named.FullName(), new.Named.FullName())
		}
		d.named(path, old.Named, new.Named)
	}
}

func (d *differ) named(path string, old, new *ir.Named) {
	key := [2]*ir.Named{old, new}
	if d.seen[key] {
		return
	}
	d.seen[key] = true
	switch old.Kind {
	case ir.Record:
		d.fields(path, old, new)
	case ir.Enum:
		for _, s := range old.Symbols {
			if new.SymbolIndex(s.Name) < 0 {
				d.add("removed", path, "symbol %s", s.Name)
			}
		}
		for _, s := range new.Symbols {
			if old.SymbolIndex(s.Name) < 0 {
				d.add("added", path, "symbol %s", s.Name)
			}
		}
		if old.Default != new.Default || old.HasDefault != new.HasDefault {
			d.add("changed", path, "default symbol %s → %s", orNone(old.HasDefault, old.Default), orNone(new.HasDefault, new.Default))
		}
	case ir.Fixed:
		if old.Size != new.Size {
			d.add("changed", path, "size %d → %d", old.Size, new.Size)
		}
	}
}

func (d *differ) fields(path string, old, new *ir.Named) {
	matched := map[*ir.Field]bool{}
	for _, nf := range new.Fields {
		of := old.Field(nf.Name)
		renamed := false
		if of == nil {
			for _, a := range nf.Aliases {
				if of = old.Field(a); of != nil {
					renamed = true
					break
				}
			}
		}
		fp := path + "." + nf.Name
		if of == nil {
			def := "no default"
			if nf.Default != nil {
				def = "default " + nf.Default.JSON()
			}
			d.add("added", fp, "field %s: %s (%s)", nf.Name, nf.Type.Name(), def)
			continue
		}
		matched[of] = true
		if renamed {
			d.add("changed", fp, "renamed from %s", of.Name)
		}
		d.typ(fp, of.Type, nf.Type)
		od, nd := defaultText(of), defaultText(nf)
		if od != nd {
			d.add("changed", fp, "default %s → %s", od, nd)
		}
		if of.Doc != nf.Doc {
			d.add("changed", fp, "doc")
		}
		if of.Deprecated != nf.Deprecated {
			d.add("changed", fp, "deprecated %t → %t", of.Deprecated, nf.Deprecated)
		}
	}
	for _, of := range old.Fields {
		if !matched[of] {
			d.add("removed", path+"."+of.Name, "field %s: %s", of.Name, of.Type.Name())
		}
	}
}

// wireName is the name of a type as Avro sees it: a custom domain type is
// its wire type, so binding a string to a Go type is no change.
func wireName(t *ir.Type) string {
	if t.Custom == nil {
		return t.Name()
	}
	c := *t
	c.Custom = nil
	return c.Name()
}

func defaultText(f *ir.Field) string {
	if f.Default == nil {
		return "none"
	}
	return f.Default.JSON()
}

func orNone(ok bool, s string) string {
	if !ok {
		return "none"
	}
	return s
}
