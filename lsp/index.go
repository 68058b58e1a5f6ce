package lsp

import (
	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/ir"
)

// elemKind says what an element of the index is.
type elemKind int

const (
	elemNamed  elemKind = iota // a record, enum or fixed, at its name
	elemField                  // a record field, at its name
	elemSymbol                 // an enum symbol
	elemTopic                  // a topic declaration
	elemCustom                 // a custom domain type, at its declaration
	elemRef                    // a use of a named or custom type
)

// element is one thing in the source that a request can be about.
type element struct {
	kind elemKind
	span diag.Span
	// named is the declared type, the field's or symbol's type, or the
	// type a reference names.
	named  *ir.Named
	field  *ir.Field
	symbol *ir.Symbol
	topic  *ir.Topic
	custom *ir.Custom
	ref    *ir.Type
}

// target is what a reference or declaration stands for: the named type or
// custom type it declares or uses.
func (e *element) target() (*ir.Named, *ir.Custom) {
	switch e.kind {
	case elemNamed:
		return e.named, nil
	case elemCustom:
		return nil, e.custom
	case elemRef:
		if e.ref.Custom != nil {
			return nil, e.ref.Custom
		}
		return e.ref.Named, nil
	}
	return nil, nil
}

// index lists the elements of every file by position.
type index struct {
	byFile map[string][]*element
	refs   []*element
}

func buildIndex(s *ir.Schema) *index {
	ix := &index{byFile: map[string][]*element{}}
	if s == nil {
		return ix
	}
	add := func(e *element) {
		if !e.span.IsValid() {
			return
		}
		f := e.span.Start.File
		ix.byFile[f] = append(ix.byFile[f], e)
		if e.kind == elemRef {
			ix.refs = append(ix.refs, e)
		}
	}
	uses := func(t *ir.Type) {
		ir.Walk(t, func(t *ir.Type) bool {
			if t.Custom != nil || (t.Kind.IsNamed() && t.Named != nil) {
				add(&element{kind: elemRef, span: t.Span, ref: t, named: t.Named, custom: t.Custom})
				return false
			}
			return true
		})
	}
	for _, f := range s.Files {
		for _, n := range f.Types {
			add(&element{kind: elemNamed, span: n.NameSpan, named: n})
			for _, fl := range n.Fields {
				add(&element{kind: elemField, span: fl.NameSpan, named: n, field: fl})
				uses(fl.Type)
			}
			for _, sym := range n.Symbols {
				add(&element{kind: elemSymbol, span: sym.Span, named: n, symbol: sym})
			}
		}
		for _, c := range f.Customs {
			add(&element{kind: elemCustom, span: c.Span, custom: c})
		}
		for _, t := range f.Topics {
			add(&element{kind: elemTopic, span: t.Span, topic: t})
			uses(t.Key)
			for _, v := range t.Values {
				uses(v)
			}
		}
	}
	return ix
}

// at returns the innermost element whose span holds the byte offset off of
// file, or nil.
func (ix *index) at(file string, off int, ls *lines) *element {
	var best *element
	bestLen := -1
	for _, e := range ix.byFile[file] {
		start := ls.posOffset(e.span.Start)
		end := start
		if e.span.End.IsValid() {
			end = ls.posOffset(e.span.End)
		}
		if off < start || off > end {
			continue
		}
		if n := end - start; best == nil || n < bestLen {
			best, bestLen = e, n
		}
	}
	return best
}

// uses returns the references to a named or custom type.
func (ix *index) uses(n *ir.Named, c *ir.Custom) []*element {
	var out []*element
	for _, e := range ix.refs {
		if (n != nil && e.ref.Named == n && e.ref.Custom == nil) || (c != nil && e.ref.Custom == c) {
			out = append(out, e)
		}
	}
	return out
}
