package compiler

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash"
	"reflect"

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
// be earlier: the same one, or the one at the same place of the same file
// compiled again.
func sameDecl(a, b *decl) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a == b || a.unit.path == b.unit.path && a.index == b.index && (a.named == nil) == (b.named == nil)
}

// plan works out every unit's key and takes the compiled state of the .evc
// units whose AST and key are those of the cache's.
func (c *compilation) plan() {
	if c.cache == nil {
		return
	}
	c.cache.stats.reused, c.cache.stats.relinked, c.cache.stats.fellBack = 0, 0, false
	const (
		todo = iota
		busy
		done
	)
	state := map[*unit]int{}
	cyclic := false
	var keyOf func(u *unit)
	keyOf = func(u *unit) {
		state[u] = busy
		for _, e := range u.imports {
			switch state[e.target] {
			case todo:
				keyOf(e.target)
			case busy:
				cyclic = true
			}
		}
		state[u] = done
		h := sha256.New()
		switch {
		case u.avsc:
			// Its types are read again each time: new objects, linked in.
			h.Write([]byte("avsc\x00" + u.path + "\x00"))
			h.Write(u.src)
		case u.ast != nil:
			h.Write([]byte("evc\x00" + u.path + "\x00"))
			if u.imported {
				h.Write([]byte{1})
			}
			k := c.cache.iface(u.path, u.ast)
			h.Write(k[:])
			for _, e := range u.imports {
				h.Write([]byte(e.target.path + "\x00"))
				h.Write(e.target.key[:])
			}
		default:
			h.Write([]byte("none\x00" + u.path))
		}
		h.Sum(u.key[:0])
	}
	for _, u := range c.order {
		if state[u] == todo {
			keyOf(u)
		}
	}
	if cyclic {
		// A key stands for what a file reaches, which a cycle makes
		// endless: compile everything (the cycle is an error anyway).
		c.reuse = false
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

// relink checks that the names each reused unit uses find what they found
// when it was compiled, and points its types at the current objects of the
// types they use. It reports false, and sets c.fallback, when a name finds
// another declaration: then nothing is reused.
//
// It also checks the units compiled again whose key did not change: others
// were reused on the strength of it, so what their names find must not
// have changed either.
func (c *compilation) relink() bool {
	if c.cache == nil || !c.reuse {
		return true
	}
	for _, u := range c.order {
		st := c.cache.units[u.path]
		if u.reused || st == nil || st.key != u.key || u.avsc || u.ast == nil {
			continue
		}
		found := make(map[string]*decl, len(u.lookups))
		for _, l := range u.lookups {
			found[l.name] = l.decl
		}
		for _, l := range st.lookups {
			if d, ok := found[l.name]; !ok || !sameDecl(l.decl, d) {
				c.fallback = true
				return false
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
		if u.avsc || u.ast == nil || u.file == nil {
			continue
		}
		st := &unitState{ast: u.ast, key: u.key, file: u.file, decls: u.decls, lookups: u.lookups}
		st.local.Merge(&u.local)
		units[u.path] = st
	}
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

// astKey hashes what f says, without positions and doc comments, which no
// other file sees. A custom type's declaration keeps its positions: the
// properties on its wire type are copied, with theirs, into the types of
// the fields that use it.
func astKey(f *idl.File) [32]byte {
	w := keyWriter{h: sha256.New()}
	if f.Namespace != nil {
		w.value(reflect.ValueOf(f.Namespace), false)
	}
	for _, d := range f.Decls {
		if d.Topic != nil {
			continue // resolved again every time
		}
		w.value(reflect.ValueOf(d), d.TypeDef != nil)
	}
	var k [32]byte
	w.h.Sum(k[:0])
	return k
}

var positionType = reflect.TypeFor[lexer.Position]()

type keyWriter struct {
	h   hash.Hash
	buf [8]byte
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
