package compat

import (
	"sort"
	"strconv"
	"strings"

	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/ir"
)

// Kind is the kind of an incompatibility between a reader and a writer type.
// The names follow Avro Java's SchemaIncompatibilityType, except
// FieldNoDefault (Java's READER_FIELD_MISSING_DEFAULT_VALUE) and
// AmbiguousField, where Java throws instead of answering.
type Kind string

// The kinds of incompatibility CheckPair finds.
const (
	// NameMismatch: a reader record, enum or fixed has another name than the
	// writer's, and none of its aliases is the writer's full name.
	NameMismatch Kind = "NAME_MISMATCH"
	// FixedSizeMismatch: reader and writer fixed differ in size.
	FixedSizeMismatch Kind = "FIXED_SIZE_MISMATCH"
	// MissingEnumSymbols: the writer's enum has symbols the reader's lacks,
	// and the reader's enum has no default symbol.
	MissingEnumSymbols Kind = "MISSING_ENUM_SYMBOLS"
	// FieldNoDefault: a reader field has no writer field (by name or alias)
	// and no default value.
	FieldNoDefault Kind = "FIELD_NO_DEFAULT"
	// TypeMismatch: the writer's type cannot be read as the reader's, not
	// even by promotion.
	TypeMismatch Kind = "TYPE_MISMATCH"
	// MissingUnionBranch: a writer type (or union branch) matches no branch
	// of the reader's union.
	MissingUnionBranch Kind = "MISSING_UNION_BRANCH"
	// AmbiguousField: a reader field matches two writer fields, one by name
	// and one by alias (or two by alias). Avro Java throws
	// ("matches multiple fields"); python3-avro takes the first match.
	AmbiguousField Kind = "AMBIGUOUS_FIELD"
)

// Incompatibility is one reason why a reader cannot read what a writer
// wrote.
type Incompatibility struct {
	Kind Kind
	// Location is where Avro Java would report it, as a JSON pointer into
	// the reader schema: "/fields/1/type/items".
	Location string
	// Path names the element for people: the innermost record's full name
	// followed by field names, "[]" for array items and "{}" for map values:
	// "com.acme.User.tags[]".
	Path string
	// Reader and Writer are the types where the incompatibility was found.
	Reader, Writer *ir.Type
	// ReaderRecord and WriterRecord are the innermost records on each side,
	// when there are records around the element.
	ReaderRecord, WriterRecord *ir.Named
	// ReaderField and WriterField are the fields the element belongs to, on
	// either side, when it belongs to a field (for FieldNoDefault only
	// ReaderField is set).
	ReaderField, WriterField *ir.Field
	// WriterBranch is set when Writer is a branch of a writer union that the
	// reader's type, not a union, was checked against (a field that was
	// optional and is not any more, read the BACKWARD way).
	WriterBranch bool
	// Symbols are the writer symbols the reader lacks (MissingEnumSymbols),
	// sorted, or the writer fields a reader field matches (AmbiguousField).
	Symbols []string
	// ReaderSpan and WriterSpan are the source spans of the element on each
	// side: the type, the field or the record, whichever is most precise.
	ReaderSpan, WriterSpan diag.Span
}

// Message describes the incompatibility in Avro's terms, reader against
// writer, without saying which side is new.
func (in *Incompatibility) Message() string {
	switch in.Kind {
	case NameMismatch:
		return "reader " + in.Reader.Kind.String() + " " + quote(fullName(in.Reader)) + " does not match writer name " + quote(fullName(in.Writer))
	case FixedSizeMismatch:
		return "reader fixed " + quote(fullName(in.Reader)) + " has size " + strconv.Itoa(namedSize(in.Reader)) + ", writer has size " + strconv.Itoa(namedSize(in.Writer))
	case MissingEnumSymbols:
		return "reader enum " + quote(fullName(in.Reader)) + " lacks writer symbols " + quoteList(in.Symbols)
	case FieldNoDefault:
		return "reader field " + quote(in.ReaderField.Name) + " is not in the writer and has no default"
	case TypeMismatch:
		return "reader type " + in.Reader.Name() + " cannot read writer type " + in.Writer.Name()
	case MissingUnionBranch:
		return "reader union " + in.Reader.Name() + " has no branch for writer type " + in.Writer.Name()
	case AmbiguousField:
		return "reader field " + quote(in.ReaderField.Name) + " matches several writer fields: " + quoteList(in.Symbols)
	}
	return string(in.Kind)
}

// CheckPair reports why data written with writer cannot be read with reader,
// following Avro Java's SchemaCompatibility: it returns nil when the reader
// can read everything the writer writes, and otherwise every incompatibility
// it finds, each once. Logical types are ignored, as Avro ignores them.
func CheckPair(reader, writer *ir.Type) []*Incompatibility {
	c := newChecker()
	return c.pair(reader, writer)
}

// Compatible reports whether reader can read everything writer writes. It
// gives CheckPair's verdict without collecting the reasons.
func Compatible(reader, writer *ir.Type) bool {
	var v verdict
	return v.ok(reader, writer)
}

type pairKey struct{ r, w *ir.Named }

type memoEntry struct {
	done bool
	list []*Incompatibility
}

// checker holds the memo of named pairs for one run, as Java's
// ReaderWriterCompatibilityChecker does: a pair met again while it is being
// checked (recursion) counts as compatible, and a pair checked before gives
// the same incompatibilities again.
type checker struct {
	memo map[pairKey]*memoEntry
}

func newChecker() *checker { return &checker{memo: map[pairKey]*memoEntry{}} }

// pair checks reader against writer and returns the incompatibilities, each
// once.
func (c *checker) pair(reader, writer *ir.Type) []*Incompatibility {
	list := c.check(reader, writer, &loc{})
	return dedup(list)
}

func dedup(list []*Incompatibility) []*Incompatibility {
	if len(list) < 2 {
		return list
	}
	seen := make(map[*Incompatibility]bool, len(list))
	out := list[:0:0]
	for _, in := range list {
		if !seen[in] {
			seen[in] = true
			out = append(out, in)
		}
	}
	return out
}

// loc is where the walk is, as a chain from the root: Java's location
// tokens and the path suffix added at each step, and the innermost records
// and fields on each side. Pointers and paths are built only for an
// incompatibility.
type loc struct {
	parent         *loc
	tok1, tok2     string
	suffix         string
	rRec, wRec     *ir.Named
	rField, wField *ir.Field
	field          bool // this step enters a reader field
	wBranch        bool // this step enters a branch of a writer union
}

func (l *loc) with(token, pathSuffix string) *loc {
	n := *l
	n.parent, n.tok1, n.tok2, n.suffix, n.field, n.wBranch = l, token, "", pathSuffix, false, false
	return &n
}

func (l *loc) pointer(extra ...string) string {
	var toks []string
	for x := l; x != nil; x = x.parent {
		if x.tok2 != "" {
			toks = append(toks, x.tok2)
		}
		if x.tok1 != "" {
			toks = append(toks, x.tok1)
		}
	}
	if len(toks)+len(extra) == 0 {
		return "/"
	}
	var b strings.Builder
	for i := len(toks) - 1; i >= 0; i-- {
		b.WriteByte('/')
		b.WriteString(toks[i])
	}
	for _, t := range extra {
		b.WriteByte('/')
		b.WriteString(t)
	}
	return b.String()
}

// path is the innermost reader record's full name and field, then the
// suffixes of the steps below the field.
func (l *loc) path() string {
	var suffixes []string
	base := ""
	for x := l; x != nil; x = x.parent {
		if x.field {
			base = x.rRec.FullName() + "." + x.rField.Name
			break
		}
		if x.suffix != "" {
			suffixes = append(suffixes, x.suffix)
		}
	}
	for i := len(suffixes) - 1; i >= 0; i-- {
		base += suffixes[i]
	}
	return base
}

func (c *checker) newIncompat(k Kind, r, w *ir.Type, at *loc, extra ...string) *Incompatibility {
	in := &Incompatibility{
		Kind: k, Location: at.pointer(extra...), Path: at.path(),
		Reader: r, Writer: w,
		ReaderRecord: at.rRec, WriterRecord: at.wRec,
		ReaderField: at.rField, WriterField: at.wField,
	}
	in.WriterBranch = at.wBranch
	in.ReaderSpan = spanOf(r, at.rField, at.rRec)
	in.WriterSpan = spanOf(w, at.wField, at.wRec)
	if k == FieldNoDefault || k == AmbiguousField {
		// The field itself, not its type.
		in.ReaderSpan = spanOf(nil, at.rField, at.rRec)
		if f := at.rField; f != nil && f.NameSpan.IsValid() {
			in.ReaderSpan = f.NameSpan
		}
	}
	if in.Path == "" {
		in.Path = r.Name()
	}
	return in
}

// spanOf returns the most precise span: the type as written, else the
// field, else the record's name.
func spanOf(t *ir.Type, f *ir.Field, rec *ir.Named) diag.Span {
	if t != nil {
		if t.Span.IsValid() {
			return t.Span
		}
		if t.Kind.IsNamed() && t.Named != nil && f == nil {
			if t.Named.NameSpan.IsValid() {
				return t.Named.NameSpan
			}
			if t.Named.Span.IsValid() {
				return t.Named.Span
			}
		}
	}
	if f != nil {
		if f.Span.IsValid() {
			return f.Span
		}
		return f.NameSpan
	}
	if rec != nil {
		if rec.NameSpan.IsValid() {
			return rec.NameSpan
		}
		return rec.Span
	}
	return diag.Span{}
}

func (c *checker) check(r, w *ir.Type, at *loc) []*Incompatibility {
	if r == nil || w == nil {
		return nil
	}
	if r.Kind == w.Kind && r.Kind.IsNamed() {
		k := pairKey{r.Named, w.Named}
		if e, ok := c.memo[k]; ok {
			if !e.done {
				return nil // recursion: compatible unless proven otherwise
			}
			return e.list
		}
		e := &memoEntry{}
		c.memo[k] = e
		e.list = c.named(r, w, at)
		e.done = true
		return e.list
	}
	if r.Kind == w.Kind {
		switch r.Kind {
		case ir.Array:
			return c.check(r.Items, w.Items, at.with("items", "[]"))
		case ir.Map:
			return c.check(r.Values, w.Values, at.with("values", "{}"))
		case ir.Union:
			// Every writer branch must be readable by the reader union.
			var out []*Incompatibility
			for i, wb := range w.Branches {
				out = append(out, c.readerUnion(r, wb, at, strconv.Itoa(i))...)
			}
			return out
		}
		return nil // the same primitive
	}
	if w.Kind == ir.Union {
		// The reader must read every branch the writer may write.
		var out []*Incompatibility
		bl := *at
		bl.parent, bl.tok1, bl.tok2, bl.suffix, bl.field, bl.wBranch = at, "", "", "", false, true
		for _, wb := range w.Branches {
			out = append(out, c.check(r, wb, &bl)...)
		}
		return out
	}
	if r.Kind == ir.Union {
		return c.readerUnion(r, w, at)
	}
	if promotes(w.Kind, r.Kind) {
		return nil
	}
	return []*Incompatibility{c.newIncompat(TypeMismatch, r, w, at)}
}

// readerUnion checks a writer type that is not a union against a reader
// union: some branch must read it. When none does, and one branch is the
// writer's own type (the same primitive, or a named type of the same kind
// and name), the reasons that branch fails are reported instead of a bare
// MissingUnionBranch: the verdict is the same, and the reasons are what a
// person needs (a changed record behind an optional field).
func (c *checker) readerUnion(r, w *ir.Type, at *loc, token ...string) []*Incompatibility {
	var same []*Incompatibility
	sameFound := false
	for _, rb := range r.Branches {
		got := c.check(rb, w, at)
		if len(got) == 0 {
			return nil
		}
		if !sameFound && rb.Kind == w.Kind && (!rb.Kind.IsNamed() || nameEquals(rb.Named, w.Named)) {
			same, sameFound = got, true
		}
	}
	if sameFound {
		return same
	}
	return []*Incompatibility{c.newIncompat(MissingUnionBranch, r, w, at, token...)}
}

// promotes reports whether a writer of kind w can be read as kind r by Avro's
// promotion rules.
func promotes(w, r ir.Kind) bool {
	switch r {
	case ir.Long:
		return w == ir.Int
	case ir.Float:
		return w == ir.Int || w == ir.Long
	case ir.Double:
		return w == ir.Int || w == ir.Long || w == ir.Float
	case ir.Bytes:
		return w == ir.String
	case ir.String:
		return w == ir.Bytes
	}
	return false
}

// named checks two named types of the same kind.
func (c *checker) named(r, w *ir.Type, at *loc) []*Incompatibility {
	rn, wn := r.Named, w.Named
	if rn == nil || wn == nil {
		return nil
	}
	var out []*Incompatibility
	if !nameEquals(rn, wn) {
		out = append(out, c.newIncompat(NameMismatch, r, w, at, "name"))
	}
	switch r.Kind {
	case ir.Fixed:
		if rn.Size != wn.Size {
			out = append(out, c.newIncompat(FixedSizeMismatch, r, w, at, "size"))
		}
	case ir.Enum:
		if missing := missingSymbols(rn, wn); len(missing) > 0 {
			in := c.newIncompat(MissingEnumSymbols, r, w, at, "symbols")
			in.Symbols = missing
			out = append(out, in)
		}
	case ir.Record:
		out = append(out, c.fields(r, w, at)...)
	}
	return out
}

// nameEquals is Java's schemaNameEquals: the unqualified names are equal, or
// one of the reader's (fully qualified) aliases is the writer's full name.
func nameEquals(r, w *ir.Named) bool {
	if r == nil || w == nil {
		return r == w
	}
	if r.Name == w.Name {
		return true
	}
	wf := w.FullName()
	for _, a := range r.Aliases {
		if a == wf {
			return true
		}
	}
	return false
}

// missingSymbols returns the writer symbols the reader lacks, sorted, or nil
// when the reader has none missing or has a default symbol it declares.
func missingSymbols(r, w *ir.Named) []string {
	var missing []string
	for _, s := range w.Symbols {
		if r.SymbolIndex(s.Name) < 0 {
			missing = append(missing, s.Name)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	if r.HasDefault && r.SymbolIndex(r.Default) >= 0 {
		return nil
	}
	sort.Strings(missing)
	return missing
}

// fields is Java's checkReaderWriterRecordFields.
func (c *checker) fields(r, w *ir.Type, at *loc) []*Incompatibility {
	rn, wn := r.Named, w.Named
	var out []*Incompatibility
	for i, rf := range rn.Fields {
		matches := lookupWriterFields(wn, rf)
		fl := &loc{parent: at, tok1: "fields", tok2: strconv.Itoa(i), rRec: rn, wRec: wn, rField: rf, field: true}
		switch len(matches) {
		case 0:
			// Java also reaches here for an enum field whose enum has a
			// default symbol: it then checks the enum against the writer
			// record, which always fails. Either way the field needs a
			// default of its own.
			if rf.Default == nil {
				out = append(out, c.newIncompat(FieldNoDefault, rf.Type, w, fl))
			}
		case 1:
			fl.wField = matches[0]
			out = append(out, c.check(rf.Type, matches[0].Type, fl.with("type", ""))...)
		default:
			in := c.newIncompat(AmbiguousField, rf.Type, w, fl)
			for _, m := range matches {
				in.Symbols = append(in.Symbols, m.Name)
			}
			out = append(out, in)
		}
	}
	return out
}

// lookupWriterFields is Java's lookupWriterField: the writer field named as
// the reader field, then one for each of its aliases. More than one match is
// an error in Java.
func lookupWriterFields(w *ir.Named, rf *ir.Field) []*ir.Field {
	var out []*ir.Field
	if f := w.Field(rf.Name); f != nil {
		out = append(out, f)
	}
	for _, a := range rf.Aliases {
		if f := w.Field(a); f != nil {
			out = append(out, f)
		}
	}
	return out
}

func fullName(t *ir.Type) string {
	if t != nil && t.Named != nil {
		return t.Named.FullName()
	}
	return t.Name()
}

func namedSize(t *ir.Type) int {
	if t != nil && t.Named != nil {
		return t.Named.Size
	}
	return 0
}

func quote(s string) string { return strconv.Quote(s) }

func quoteList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = quote(s)
	}
	return strings.Join(q, ", ")
}

// verdict is CheckPair without the reasons: the same walk, the same memo
// semantics, no allocation per element. Check runs it first and asks
// CheckPair for the reasons only when it says no.
type verdict struct {
	memo map[pairKey]uint8 // 1: in progress, 2: compatible, 3: incompatible
}

// ok reports whether r reads w, with a fresh memo as Java's checker has.
func (v *verdict) ok(r, w *ir.Type) bool {
	if v.memo == nil {
		v.memo = map[pairKey]uint8{}
	} else {
		clear(v.memo)
	}
	return v.check(r, w)
}

func (v *verdict) check(r, w *ir.Type) bool {
	if r == nil || w == nil {
		return true
	}
	if r.Kind == w.Kind {
		switch r.Kind {
		case ir.Record, ir.Enum, ir.Fixed:
			k := pairKey{r.Named, w.Named}
			switch v.memo[k] {
			case 1, 2:
				return true
			case 3:
				return false
			}
			v.memo[k] = 1
			ok := v.named(r.Named, w.Named)
			if ok {
				v.memo[k] = 2
			} else {
				v.memo[k] = 3
			}
			return ok
		case ir.Array:
			return v.check(r.Items, w.Items)
		case ir.Map:
			return v.check(r.Values, w.Values)
		case ir.Union:
			for _, wb := range w.Branches {
				if !v.readerUnion(r, wb) {
					return false
				}
			}
		}
		return true
	}
	if w.Kind == ir.Union {
		for _, wb := range w.Branches {
			if !v.check(r, wb) {
				return false
			}
		}
		return true
	}
	if r.Kind == ir.Union {
		return v.readerUnion(r, w)
	}
	return promotes(w.Kind, r.Kind)
}

func (v *verdict) readerUnion(r, w *ir.Type) bool {
	for _, rb := range r.Branches {
		if v.check(rb, w) {
			return true
		}
	}
	return false
}

func (v *verdict) named(rn, wn *ir.Named) bool {
	if rn == nil || wn == nil {
		return true
	}
	if !nameEquals(rn, wn) {
		return false
	}
	switch rn.Kind {
	case ir.Fixed:
		return rn.Size == wn.Size
	case ir.Enum:
		return missingSymbols(rn, wn) == nil
	case ir.Record:
		ok := true
		for _, rf := range rn.Fields {
			var match *ir.Field
			n := 0
			if f := wn.Field(rf.Name); f != nil {
				match, n = f, 1
			}
			for _, a := range rf.Aliases {
				if f := wn.Field(a); f != nil {
					match, n = f, n+1
				}
			}
			switch {
			case n == 0:
				if rf.Default == nil {
					return false
				}
			case n > 1:
				return false
			default:
				// Java checks every field even after a failure; the verdict
				// is the same, so stop at the first, but keep walking for
				// the memo's sake only when still compatible.
				if !v.check(rf.Type, match.Type) {
					ok = false
				}
			}
			if !ok {
				return false
			}
		}
		return ok
	}
	return true
}
