package compiler

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash"
	"reflect"
	"sort"
	"strings"

	"github.com/alecthomas/participle/v2/lexer"

	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/idl"
	"github.com/evc-dev/evc/ir"
)

// lookupRec is a name a unit's types use, and what it was found to be.
type lookupRec struct {
	name string
	span diag.Span
	decl *decl
}

// lookupFrom is lookup for a reference in u's own source. It notes what it
// found in u, for a later compilation to check before it reuses u, and
// sends what it reports to the compilation's list: the messages of a name
// not found (did you mean, which file defines it) depend on every file, and
// are worked out again each time.
func (c *compilation) lookupFrom(u *unit, name string, sp diag.Span) *decl {
	saved := c.res.Diags
	c.res.Diags = diag.List{}
	d := c.lookup(u, name, sp)
	c.lookupDiags.Merge(&c.res.Diags)
	c.res.Diags = saved
	if c.recording {
		u.lookups = append(u.lookups, lookupRec{name: name, span: sp, decl: d})
	}
	return d
}

// sameDecl reports whether b, found now, is the declaration a was found to
// be earlier: the same one, or the one of the same name and kind in the
// same file compiled again.
func sameDecl(a, b *decl) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a == b || a.unit.path == b.unit.path && (a.named == nil) == (b.named == nil) && a.fullName() == b.fullName()
}

// plan works out every .evc unit's key and takes the compiled state of
// those whose AST and key are those of the cache's.
func (c *compilation) plan() {
	if c.cache == nil {
		return
	}
	c.cache.stats.reused, c.cache.stats.relinked, c.cache.stats.fellBack = 0, 0, false
	if c.cycle {
		// A key stands for what a file reaches, which a cycle makes
		// endless: compile everything (the cycle is an error anyway), and
		// keep nothing.
		c.reuse = false
		return
	}
	reached := map[string][32]byte{}
	for _, u := range c.order {
		if u.avsc || u.ast == nil {
			continue
		}
		sum := c.cache.summary(u.path, u.ast)
		h := sha256.New()
		h.Write([]byte("evc\x00" + u.path + "\x00"))
		if u.imported {
			h.Write([]byte{1})
		}
		h.Write(sum.self[:])
		for _, e := range u.imports {
			h.Write([]byte(e.target.path + "\x00"))
			k := c.reach(e.target, sum.mentions, reached)
			h.Write(k[:])
		}
		h.Sum(u.key[:0])
	}
	if !c.reuse {
		return
	}
	for _, u := range c.order {
		st := c.cache.units[u.path]
		if u.avsc || u.ast == nil || st == nil || st.ast != u.ast || st.key != u.key {
			continue
		}
		u.reused = true
		c.cache.stats.reused++
		u.file = st.file
		u.file.Topics = nil // resolved again
		u.decls = st.decls
		for _, d := range u.decls {
			d.unit = u
		}
		u.local.Merge(&st.local)
		u.prev = st.lookups
	}
}

// reach returns the key of what names (sorted), used in a file that
// imports u, can reach in u: u's declarations of those names (by the last
// part; all that @name renames), those their names reach in u, and what
// these reach in the files u imports. It is memoized in reached.
func (c *compilation) reach(u *unit, names []string, reached map[string][32]byte) [32]byte {
	memo := u.path + "\x00" + strings.Join(names, "\x00")
	if k, ok := reached[memo]; ok {
		return k
	}
	h := sha256.New()
	switch {
	case u.avsc:
		// Its types are read again each time: new objects, linked in.
		h.Write([]byte("avsc\x00" + u.path + "\x00"))
		h.Write(u.src)
	case u.ast != nil:
		sum := c.cache.summary(u.path, u.ast)
		h.Write([]byte("evc\x00" + u.path + "\x00"))
		h.Write(sum.header[:])
		want := make(map[string]bool, len(names))
		for _, n := range names {
			want[n] = true
		}
		in := make([]bool, len(sum.decls))
		for more := true; more; {
			more = false
			for i, d := range sum.decls {
				if !in[i] && (want[d.ident] || d.renamed) {
					in[i], more = true, true
					for _, m := range d.mentions {
						want[m] = true
					}
				}
			}
		}
		// What the declarations reached use may be found in u's imports
		// (a name used in the file importing u cannot: it sees only its
		// own imports).
		usedBy := map[string]bool{}
		for i, d := range sum.decls {
			if in[i] {
				h.Write([]byte(d.ident + "\x00"))
				h.Write(d.key[:])
				for _, m := range d.mentions {
					usedBy[m] = true
				}
			}
		}
		if len(usedBy) > 0 {
			used := make([]string, 0, len(usedBy))
			for n := range usedBy {
				used = append(used, n)
			}
			sort.Strings(used)
			for _, e := range u.imports {
				h.Write([]byte(e.target.path + "\x00"))
				k := c.reach(e.target, used, reached)
				h.Write(k[:])
			}
		}
	default:
		h.Write([]byte("none\x00" + u.path))
	}
	var k [32]byte
	h.Sum(k[:0])
	reached[memo] = k
	return k
}

// relink checks that the names each reused unit uses find what they found
// when it was compiled, and points its types at the current objects of the
// types they use. It reports false, and sets c.fallback, when a name finds
// another declaration: then nothing is reused.
//
// When two declarations have a name in common (now, or in the compilation
// the cache holds), which one a name finds depends on every file: then the
// names of the units compiled again must also find what they found before,
// since the files reused beside them saw what those reached.
func (c *compilation) relink() bool {
	if c.cache == nil || !c.reuse {
		return true
	}
	if c.collided || c.cache.collided {
		for _, u := range c.order {
			st := c.cache.units[u.path]
			if u.reused || st == nil {
				continue
			}
			found := make(map[string]*decl, len(u.lookups))
			for _, l := range u.lookups {
				found[l.name] = l.decl
			}
			for _, l := range st.lookups {
				if d, ok := found[l.name]; ok && !sameDecl(l.decl, d) {
					c.fallback = true
					return false
				}
			}
		}
	}
	for _, u := range c.order {
		if !u.reused {
			continue
		}
		var named map[*ir.Named]*ir.Named
		var custom map[*ir.Custom]*ir.Custom
		for _, l := range u.prev {
			d := c.lookupFrom(u, l.name, l.span)
			if !sameDecl(l.decl, d) {
				c.fallback = true
				return false
			}
			if d == l.decl || d == nil {
				continue
			}
			if d.named != nil {
				if named == nil {
					named = map[*ir.Named]*ir.Named{}
				}
				named[l.decl.named] = d.named
			} else {
				if custom == nil {
					custom = map[*ir.Custom]*ir.Custom{}
				}
				custom[l.decl.custom] = d.custom
			}
		}
		if named == nil && custom == nil {
			continue
		}
		c.cache.stats.relinked++
		swap := func(t *ir.Type) bool {
			if n := named[t.Named]; n != nil && t.Named != nil {
				t.Named = n
			}
			if cu := custom[t.Custom]; cu != nil && t.Custom != nil {
				t.Custom = cu
			}
			return true
		}
		for _, d := range u.decls {
			if d.named == nil {
				continue // a custom type's wire type is a primitive
			}
			for _, f := range d.named.Fields {
				ir.Walk(f.Type, swap)
			}
		}
	}
	return true
}

// keep stores the compiled state of every .evc unit in the cache, for the
// next compilation, and drops what it no longer needs.
func (c *compilation) keep() {
	if c.cache == nil {
		return
	}
	units := make(map[string]*unitState, len(c.order))
	for _, u := range c.order {
		if c.cycle || u.avsc || u.ast == nil || u.file == nil {
			continue
		}
		st := &unitState{ast: u.ast, key: u.key, file: u.file, decls: u.decls, lookups: u.lookups}
		st.local.Merge(&u.local)
		units[u.path] = st
	}
	c.cache.collided = c.collided
	c.cache.units = units
	// Parses of files this compilation did not read (deleted, renamed,
	// no longer imported) are of no more use.
	c.cache.mu.Lock()
	for p := range c.cache.parsed {
		if c.units[p] == nil {
			delete(c.cache.parsed, p)
		}
	}
	c.cache.mu.Unlock()
}

// fileSummary is what other files can see of a parsed file, without
// positions and doc comments, which no other file sees.
type fileSummary struct {
	// header stands for the namespace, options and imports; self for the
	// whole file but its topics, which are resolved again every time.
	header, self [32]byte
	decls        []declSummary
	// mentions are the last parts of the names the declarations use.
	mentions []string
}

// declSummary is what other files can see of a declaration.
type declSummary struct {
	ident string
	// renamed is set for a declaration with @name: found by another name.
	renamed bool
	// key hashes the declaration. A custom type's keeps its positions: the
	// properties on its wire type are copied, with theirs, into the types
	// of the fields that use it.
	key      [32]byte
	mentions []string
}

func summarize(f *idl.File) *fileSummary {
	s := &fileSummary{}
	header := keyWriter{h: sha256.New()}
	if f.Namespace != nil {
		header.value(reflect.ValueOf(f.Namespace), false)
	}
	self := keyWriter{h: sha256.New()}
	all := map[string]bool{}
	for _, d := range f.Decls {
		var ident string
		switch {
		case d.Topic != nil:
			continue // resolved again every time
		case d.Record != nil:
			ident = string(d.Record.Name)
		case d.Enum != nil:
			ident = string(d.Enum.Name)
		case d.Fixed != nil:
			ident = string(d.Fixed.Name)
		case d.TypeDef != nil:
			ident = string(d.TypeDef.Name)
		default: // imports, options, and what did not parse
			header.value(reflect.ValueOf(d), false)
			continue
		}
		w := keyWriter{h: sha256.New(), mentions: map[string]bool{}}
		w.value(reflect.ValueOf(d), d.TypeDef != nil)
		ds := declSummary{ident: ident, key: w.sum()}
		for m := range w.mentions {
			ds.mentions = append(ds.mentions, m)
			all[m] = true
		}
		sort.Strings(ds.mentions)
		for _, an := range d.Annotations {
			ds.renamed = ds.renamed || an.Name.String() == "name"
		}
		s.decls = append(s.decls, ds)
		self.h.Write([]byte(ident + "\x00"))
		self.h.Write(ds.key[:])
	}
	s.header = header.sum()
	self.h.Write(s.header[:])
	s.self = self.sum()
	for m := range all {
		s.mentions = append(s.mentions, m)
	}
	sort.Strings(s.mentions)
	return s
}

var (
	positionType      = reflect.TypeFor[lexer.Position]()
	qualifiedNameType = reflect.TypeFor[idl.QualifiedName]()
)

// keyWriter hashes an AST, and notes in mentions (when set) the last part
// of every dotted name in it.
type keyWriter struct {
	h        hash.Hash
	buf      [8]byte
	mentions map[string]bool
}

func (w *keyWriter) sum() [32]byte {
	var k [32]byte
	w.h.Sum(k[:0])
	return k
}

func (w *keyWriter) int(n int64) {
	binary.LittleEndian.PutUint64(w.buf[:], uint64(n))
	w.h.Write(w.buf[:])
}

func (w *keyWriter) value(v reflect.Value, positions bool) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			w.int(0)
			return
		}
		w.int(1)
		w.value(v.Elem(), positions)
	case reflect.Struct:
		if v.Type() == positionType {
			if positions {
				w.int(v.FieldByName("Offset").Int())
				w.int(v.FieldByName("Line").Int())
				w.int(v.FieldByName("Column").Int())
			}
			return
		}
		t := v.Type()
		if t == qualifiedNameType && w.mentions != nil {
			if parts := v.FieldByName("Parts"); parts.Len() > 0 {
				w.mentions[parts.Index(parts.Len()-1).String()] = true
			}
		}
		for i := 0; i < v.NumField(); i++ {
			if t.Field(i).Name == "Doc" && t.Field(i).Type.Kind() == reflect.Slice {
				continue
			}
			w.value(v.Field(i), positions)
		}
	case reflect.Slice:
		w.int(int64(v.Len()))
		for i := 0; i < v.Len(); i++ {
			w.value(v.Index(i), positions)
		}
	case reflect.String:
		s := v.String()
		w.int(int64(len(s)))
		w.h.Write([]byte(s))
	case reflect.Bool:
		if v.Bool() {
			w.int(1)
		} else {
			w.int(0)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		w.int(v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		w.int(int64(v.Uint()))
	default:
		// No other kind is in the AST; should one be added, hash its
		// printed form rather than miss it.
		fmt.Fprintf(w.h, "%v", v)
	}
}
