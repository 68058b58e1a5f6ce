package resolve

import (
	"errors"
	"fmt"
	"strings"

	"github.com/twmb/avro"

	"github.com/evc-dev/evc/runtime/avrobin"
)

// A plan transcodes data written with one schema into the encoding of
// another, so that the reader's generated decoder can decode it: Avro's
// resolution rules applied to bytes, without a generic value in between.
// Plans are built once per (writer schema, type) from the two schemas
// without their logical types, after twmb/avro's Resolve has said that the
// pair is compatible; a plan is immutable and safe for concurrent use.
type op struct {
	k    kind
	size int // fixed: its size
	// min is the fewest bytes one writer value takes, to check block
	// counts against the input; 0 while a recursive record is being built.
	min int
	// enum: reader index of each writer symbol, -1 when it has none, and
	// that index encoded (nil for none).
	enum    []int32
	symbols [][]byte
	// array and map: the items; toUnion: the branch's plan.
	elem *op
	// toUnion: the reader's branch index, encoded.
	prefix []byte
	// union (writer side): a plan per writer branch, nil for a branch the
	// reader cannot read.
	branches []*op
	// record: the writer's fields in writer order.
	fields []fieldOp
	// record, ordered: reader defaults after the last writer field.
	tail []byte
	// ordered records write each field as it comes, with the reader-only
	// fields' defaults in between; the others collect the fields' bytes
	// and reorder them.
	ordered  bool
	defaults [][]byte // unordered: per reader field, its default or nil
	// steps: how decodeDirect decodes the writer's fields, runs of
	// fields whose encoding is the reader's in one call.
	steps []step
	// missing: the reader's fields that the writer lacks, with their
	// defaults, for decoding field by field: those whose values may
	// alias their defaults, and those that hold bytes.
	missing, missingBytes defaults
	name                  string
	// same: the writer's encoding of the value is already the reader's,
	// so the value is skipped and its bytes copied.
	same bool
	// bytes: a writer value may hold a string or bytes value.
	bytes bool
	// scan, scanTop (a root record): decodeDirect scans the message
	// first (see transcoder.scan and scanTop), for scanTop with top, its
	// fields in writer order.
	scan, scanTop bool
	top           []topField
	// recursive: a record on a cycle of the plan, whose decoding counts
	// the nesting as the generated decoders do.
	recursive bool
	// widens: the reader's decoder accepts values of the type that the
	// writer cannot write (more enum symbols or union branches, a long
	// for an int), so that a same value decoded with it must be checked
	// against the writer's type too.
	widens bool
	// st: the writer's type, as avrobin.Reader.Skip reads it.
	st *avrobin.SkipType
}

type fieldOp struct {
	op     *op    // nil: skipped with skip
	skip   *op    // the writer's type to itself; nil in a plan of its own
	reader int    // index of the reader's field, -1 for none
	one    []int  // reader alone, for FieldDecoder.DecodeAvroFields
	pre    []byte // ordered: the defaults to write before this field
	name   string
	// how decodeDirect decodes the field, set with same and widens.
	how how
}

// how says how decodeDirect decodes a writer field, so that its loop
// branches once per field.
type how uint8

const (
	howSkip   how = iota // a writer field the reader lacks
	howSame              // the reader's decoder reads the writer's value
	howWidens            // the same, then checked as the writer's
	howEnum              // an enum whose symbols changed
	howOther             // anything else that changed
)

// step is a writer field that decodeDirect decodes on its own, or a run of
// writer fields whose encoding is the reader's, decoded with one call.
type step struct {
	how how
	// do is how, narrowed for the common cases that decodeFields then
	// takes without a call: a skipped string, bytes or long, a changed
	// record held by the reader's record.
	do     do
	fields []int    // howSame: the run's reader fields, in writer order
	ops    []*op    // howSame: the run's fields' plans, to skip them
	f      *fieldOp // the others, and a checked run's first: the field
	// check: a run's first field widens, as an int read as a long or an
	// enum with more symbols: its value must be the writer's, which
	// decodeFields checks before the run.
	check *op
}

// do says what decodeFields does for a step.
type do uint8

const (
	doSame      do = iota // a run: DecodeAvroFields
	doSkip                // skip with the plan
	doSkipBytes           // a string or bytes skipped
	doSkipLong            // a long skipped
	doEnum                // decodeEnum
	doWidens              // decodeWidens
	doRecord              // a changed record, into AvroRecordField's
	doOther               // decodeField
)

// topField is a field of a message's record as scanTop reads it, in
// little memory, for the common kinds without the plan.
type topField struct {
	k       kind // the writer's
	keep    bool
	bytes   bool // may hold strings or bytes
	symbols int32
	w       *op // the writer's type to itself
}

// defaults are reader fields that the writer lacks, decoded with one call
// from their defaults, encoded one after another.
type defaults struct {
	fields []int
	value  []byte
	each   [][]byte // each field's part of value
}

type kind uint8

const (
	kNull kind = iota
	kBool
	kInt // int, also read as long
	kLong
	kIntFloat
	kIntDouble
	kLongFloat
	kLongDouble
	kFloat
	kFloatDouble
	kDouble
	kBytes // string or bytes, either way
	kFixed
	kEnum
	kRecord
	kArray
	kMap
	kUnion   // a writer's union
	kToUnion // a writer's non-union value as a branch of the reader's union
)

// errUnsupported makes DecodeFrom fall back to the generic path.
var errUnsupported = errors.New("unsupported by the transcoding plan")

type builder struct {
	wnames, rnames map[string]*avro.SchemaNode
	memo           map[[2]string]*op
	// writer builds the plans that skip writer values: the writer's
	// types to themselves, with the writer's names on both sides and a
	// memo of their own, apart from the reader's types of the same names.
	writer *builder
}

func newPlan(w, r *avro.Schema) (p *op, err error) {
	defer func() {
		// The plan is an optimisation: anything unexpected in the schema
		// trees sends the pair down the generic path instead.
		if recover() != nil {
			p, err = nil, errUnsupported
		}
	}()
	wn, rn := w.Root(), r.Root()
	b := &builder{wnames: map[string]*avro.SchemaNode{}, rnames: map[string]*avro.SchemaNode{}, memo: map[[2]string]*op{}}
	collect(wn, "", b.wnames)
	collect(rn, "", b.rnames)
	b.writer = &builder{wnames: b.wnames, rnames: b.wnames, memo: map[[2]string]*op{}}
	b.writer.writer = b.writer
	p, err = b.build(wn, "", rn, "")
	if err == nil {
		markSame(p)
	}
	return p, err
}

// markSame sets same on the ops whose writer encoding is the reader's: the
// greatest fixed point, so that a recursive record is the same if nothing
// on its cycles says otherwise.
func markSame(root *op) {
	var all []*op
	seen := map[*op]bool{}
	var walk func(p *op)
	walk = func(p *op) {
		if p == nil || seen[p] {
			return
		}
		seen[p] = true
		p.same = true
		all = append(all, p)
		walk(p.elem)
		for _, b := range p.branches {
			walk(b)
		}
		for _, f := range p.fields {
			walk(f.op)
			walk(f.skip)
		}
	}
	walk(root)
	for changed := true; changed; {
		changed = false
		for _, p := range all {
			if p.same && !sameNow(p) {
				p.same, changed = false, true
			}
		}
	}
	// And widens on those that hold a value that widens: the least fixed
	// point.
	for changed := true; changed; {
		changed = false
		for _, p := range all {
			if !p.widens && widensNow(p) {
				p.widens, changed = true, true
			}
		}
	}
	skipTypes(all)
	for _, p := range all {
		for i := range p.fields {
			f := &p.fields[i]
			switch {
			case f.op == nil:
				f.how = howSkip
			case f.op.same && !f.op.widens:
				f.how = howSame
			case f.op.same:
				f.how = howWidens
			case f.op.k == kEnum:
				f.how = howEnum
			default:
				f.how = howOther
			}
			if n := len(p.steps); f.how == howSame && n > 0 && p.steps[n-1].how == howSame {
				p.steps[n-1].fields = append(p.steps[n-1].fields, f.reader)
				p.steps[n-1].ops = append(p.steps[n-1].ops, f.op)
				continue
			}
			s := step{how: f.how, f: f}
			switch {
			case f.how == howSame:
				s.fields, s.ops = []int{f.reader}, []*op{f.op}
			case f.how == howWidens && (f.op.k == kInt || f.op.k == kEnum):
				// Checked ahead, it starts a run.
				s = step{how: howSame, fields: []int{f.reader}, ops: []*op{f.op}, f: f, check: f.op}
			}
			p.steps = append(p.steps, s)
		}
		for i := range p.steps {
			p.steps[i].do = doOf(&p.steps[i])
		}
	}
	markRecursive(all)
	// bytes: the least fixed point.
	for changed := true; changed; {
		changed = false
		for _, p := range all {
			if !p.bytes && bytesNow(p) {
				p.bytes, changed = true, true
			}
		}
	}
	root.scan = scans(root, map[*op]bool{})
	for _, f := range root.fields {
		if k := f.skip; f.op == nil && !root.scan && (k.bytes || k.k == kArray || k.k == kMap) {
			root.scanTop = true
		}
	}
	if root.scanTop {
		for _, f := range root.fields {
			w := f.skip
			root.top = append(root.top, topField{k: w.k, keep: f.op != nil, bytes: w.bytes, symbols: int32(len(w.enum)), w: w})
		}
	}
}

// skipTypes sets st on every op of all: the writer's type, which a
// reader's union (kToUnion) shares with its branch.
func skipTypes(all []*op) {
	for _, p := range all {
		if p.k != kToUnion {
			p.st = &avrobin.SkipType{Min: p.min}
		}
	}
	for _, p := range all {
		if p.k == kToUnion {
			e := p.elem
			for e.k == kToUnion {
				e = e.elem
			}
			p.st = e.st
		}
	}
	for _, p := range all {
		t := p.st
		switch p.k {
		case kNull:
			t.Kind = avrobin.SkipNull
		case kBool:
			t.Kind = avrobin.SkipBool
		case kInt, kIntFloat, kIntDouble:
			t.Kind = avrobin.SkipInt
		case kLong, kLongFloat, kLongDouble:
			t.Kind = avrobin.SkipLong
		case kFloat, kFloatDouble:
			t.Kind = avrobin.SkipFloat
		case kDouble:
			t.Kind = avrobin.SkipDouble
		case kBytes:
			t.Kind = avrobin.SkipBytes
		case kFixed:
			t.Kind, t.Size = avrobin.SkipFixed, p.size
		case kEnum:
			t.Kind, t.Symbols = avrobin.SkipEnum, len(p.enum)
		case kUnion:
			t.Kind = avrobin.SkipUnion
			t.Branches = make([]*avrobin.SkipType, len(p.branches))
			for i, b := range p.branches {
				if b == nil {
					// A branch the reader cannot read is never skipped
					// through this plan (its skip plan has them all).
					t.Branches[i] = unskippable
					continue
				}
				t.Branches[i] = b.st
			}
		case kRecord:
			t.Kind = avrobin.SkipRecord
			for _, f := range p.fields {
				fo := f.op
				if fo == nil {
					fo = f.skip
				}
				t.Fields, t.Names = append(t.Fields, fo.st), append(t.Names, f.name)
			}
		case kArray, kMap:
			t.Kind, t.Elem = avrobin.SkipArray, p.elem.st
			if p.k == kMap {
				t.Kind = avrobin.SkipMap
			}
		}
	}
}

// unskippable is a type Skip fails on.
var unskippable = &avrobin.SkipType{Kind: 255}

func doOf(s *step) do {
	switch s.how {
	case howSame:
		return doSame
	case howSkip:
		switch s.f.skip.k {
		case kBytes:
			return doSkipBytes
		case kLong:
			return doSkipLong
		}
		return doSkip
	case howEnum:
		return doEnum
	case howWidens:
		return doWidens
	}
	if s.f.op.k == kRecord {
		return doRecord
	}
	return doOther
}

// markRecursive sets recursive on the records that lie on a cycle of the
// plan, so that decoding them counts the nesting: those in a strongly
// connected component of more than one op, or that hold themselves. It is
// Tarjan's algorithm, linear in the plan (a plan comes from a schema a
// registry hands out, and a check per record would take time with the
// square of its records).
func markRecursive(all []*op) {
	index, low := map[*op]int{}, map[*op]int{}
	onStack := map[*op]bool{}
	var stack []*op
	var visit func(p *op)
	visit = func(p *op) {
		index[p], low[p] = len(index), len(index)
		stack = append(stack, p)
		onStack[p] = true
		self := false
		p.each(func(q *op) {
			if q == p {
				self = true
			}
			if _, ok := index[q]; !ok {
				visit(q)
				low[p] = min(low[p], low[q])
			} else if onStack[q] {
				low[p] = min(low[p], index[q])
			}
		})
		if low[p] != index[p] {
			return
		}
		i := len(stack) - 1
		for stack[i] != p {
			i--
		}
		component := stack[i:]
		stack = stack[:i]
		for _, q := range component {
			onStack[q] = false
			q.recursive = q.k == kRecord && (len(component) > 1 || self && q == p)
		}
	}
	for _, p := range all {
		if _, ok := index[p]; !ok {
			visit(p)
		}
	}
}

// each calls f with each op that decoding a value of p may decode next.
func (p *op) each(f func(*op)) {
	if p.elem != nil {
		f(p.elem)
	}
	for _, b := range p.branches {
		if b != nil {
			f(b)
		}
	}
	for i := range p.fields {
		if q := p.fields[i].op; q != nil {
			f(q)
		}
	}
}

// bytesNow reports whether a value of p may hold a string or bytes value
// now that p's parts are known to: a map always may, in its keys.
func bytesNow(p *op) bool {
	if p.k == kBytes || p.k == kMap || p.elem != nil && p.elem.bytes {
		return true
	}
	for _, b := range p.branches {
		if b != nil && b.bytes {
			return true
		}
	}
	for _, f := range p.fields {
		if f.op != nil && f.op.bytes || f.skip != nil && f.skip.bytes {
			return true
		}
	}
	return false
}

// scans reports whether decodeDirect, decoding record p field by field,
// would transcode a value that holds strings or bytes alone, which scan
// then transcodes ahead into the copy that strings are sliced from. (Only
// to leave skipped values out of the copy, a scan costs more time than the
// smaller copy saves.)
func scans(p *op, seen map[*op]bool) bool {
	if seen[p] {
		return false
	}
	seen[p] = true
	for _, s := range p.steps {
		if s.how == howOther && scansValue(s.f.op, seen) {
			return true
		}
	}
	return false
}

// scansValue is scans for a changed value that decodeField decodes.
func scansValue(p *op, seen map[*op]bool) bool {
	switch {
	case p.same && !p.widens:
		return false
	case p.k == kUnion:
		for _, b := range p.branches {
			if b != nil && scansValue(b, seen) {
				return true
			}
		}
		return false
	case p.k == kEnum, p.k == kToUnion && p.elem.k == kNull:
		return false
	case p.k == kRecord:
		return scans(p, seen)
	case p.k == kToUnion && p.elem.k == kRecord:
		return scans(p.elem, seen)
	}
	return p.bytes
}

func widensNow(p *op) bool {
	if p.elem != nil && p.elem.widens {
		return true
	}
	for _, b := range p.branches {
		if b != nil && (b.widens || b.elem != nil && b.elem.widens) {
			return true
		}
	}
	for _, f := range p.fields {
		if f.op != nil && f.op.widens {
			return true
		}
	}
	return false
}

func sameNow(p *op) bool {
	switch p.k {
	case kNull, kBool, kInt, kLong, kFloat, kDouble, kBytes, kFixed:
		return true
	case kEnum:
		for i, j := range p.enum {
			if int(j) != i {
				return false
			}
		}
		return true
	case kArray, kMap:
		return p.elem.same
	case kUnion:
		for i, b := range p.branches {
			if b == nil || b.k != kToUnion || len(b.prefix) != 1 || int(b.prefix[0]) != 2*i || !b.elem.same {
				return false
			}
		}
		return true
	case kRecord:
		if !p.ordered || len(p.tail) != 0 {
			return false
		}
		for _, f := range p.fields {
			if f.op == nil || len(f.pre) != 0 || !f.op.same {
				return false
			}
		}
		return true
	}
	return false // kToUnion: adds a branch index
}

func fullName(n *avro.SchemaNode, ns string) string {
	if strings.Contains(n.Name, ".") {
		return n.Name
	}
	if n.Namespace != "" {
		return n.Namespace + "." + n.Name
	}
	return n.Name
}

func namespaceOf(full string) string {
	if i := strings.LastIndexByte(full, '.'); i >= 0 {
		return full[:i]
	}
	return ""
}

func collect(n *avro.SchemaNode, ns string, names map[string]*avro.SchemaNode) {
	if n.Name == "" && (n.Type == "record" || n.Type == "error" || n.Type == "enum" || n.Type == "fixed") {
		return // a reference, see deref
	}
	switch n.Type {
	case "record", "error":
		full := fullName(n, ns)
		names[full] = n
		for i := range n.Fields {
			collect(&n.Fields[i].Type, namespaceOf(full), names)
		}
	case "enum", "fixed":
		names[fullName(n, ns)] = n
	case "array":
		collect(n.Items, ns, names)
	case "map":
		collect(n.Values, ns, names)
	case "union":
		for i := range n.Branches {
			collect(&n.Branches[i], ns, names)
		}
	}
}

// deref returns the definition a name reference stands for, with the
// namespace its children are in.
func deref(n *avro.SchemaNode, ns string, names map[string]*avro.SchemaNode) (*avro.SchemaNode, string) {
	switch n.Type {
	case "null", "boolean", "int", "long", "float", "double", "bytes", "string", "array", "map", "union":
		return n, ns
	case "record", "error", "enum", "fixed":
		if n.Name != "" {
			return n, namespaceOf(fullName(n, ns))
		}
		// A reference to a type named like a kind, as Java allows: a
		// record named "record" (a definition always has a name).
	}
	var d *avro.SchemaNode
	if !strings.Contains(n.Type, ".") && ns != "" {
		d = names[ns+"."+n.Type]
	}
	if d == nil {
		d = names[n.Type]
	}
	if d == nil {
		panic("unresolved name " + n.Type)
	}
	return d, namespaceOf(fullName(d, ns))
}

func kindOf(t string) string {
	if t == "error" {
		return "record"
	}
	return t
}

func (b *builder) build(w *avro.SchemaNode, wns string, r *avro.SchemaNode, rns string) (*op, error) {
	w, wns = deref(w, wns, b.wnames)
	r, rns = deref(r, rns, b.rnames)
	wt, rt := kindOf(w.Type), kindOf(r.Type)
	if wt == "union" {
		u := &op{k: kUnion, min: 1, branches: make([]*op, len(w.Branches))}
		u.widens = rt == "union" && len(r.Branches) > len(w.Branches)
		for i := range w.Branches {
			if p, err := b.build(&w.Branches[i], wns, r, rns); err == nil {
				u.branches[i] = p
			}
		}
		return u, nil
	}
	if rt == "union" {
		i := b.match(w, wns, r, rns)
		if i < 0 {
			return nil, fmt.Errorf("no branch of the reader's union reads the writer's %s", w.Type)
		}
		p, err := b.build(w, wns, &r.Branches[i], rns)
		if err != nil {
			return nil, err
		}
		return &op{k: kToUnion, min: p.min, elem: p, prefix: avrobin.AppendLong(nil, int64(i))}, nil
	}
	switch wt + ">" + rt {
	case "null>null":
		return &op{k: kNull}, nil
	case "boolean>boolean":
		return &op{k: kBool, min: 1}, nil
	case "int>int":
		return &op{k: kInt, min: 1}, nil
	case "int>long":
		return &op{k: kInt, min: 1, widens: true}, nil
	case "long>long":
		return &op{k: kLong, min: 1}, nil
	case "int>float":
		return &op{k: kIntFloat, min: 1}, nil
	case "int>double":
		return &op{k: kIntDouble, min: 1}, nil
	case "long>float":
		return &op{k: kLongFloat, min: 1}, nil
	case "long>double":
		return &op{k: kLongDouble, min: 1}, nil
	case "float>float":
		return &op{k: kFloat, min: 4}, nil
	case "float>double":
		return &op{k: kFloatDouble, min: 4}, nil
	case "double>double":
		return &op{k: kDouble, min: 8}, nil
	case "string>string", "string>bytes", "bytes>bytes", "bytes>string":
		return &op{k: kBytes, min: 1}, nil
	case "fixed>fixed":
		if w.Size != r.Size {
			return nil, fmt.Errorf("fixed sizes differ")
		}
		return &op{k: kFixed, size: w.Size, min: w.Size}, nil
	case "enum>enum":
		p := &op{k: kEnum, min: 1, enum: make([]int32, len(w.Symbols)), name: fullName(r, ""), widens: len(r.Symbols) > len(w.Symbols)}
		def := int32(-1)
		if r.HasEnumDefault {
			def = int32(index(r.Symbols, r.EnumDefault))
		}
		p.symbols = make([][]byte, len(w.Symbols))
		for i, s := range w.Symbols {
			p.enum[i] = def
			if j := index(r.Symbols, s); j >= 0 {
				p.enum[i] = int32(j)
			}
			if p.enum[i] >= 0 {
				p.symbols[i] = avrobin.AppendInt(nil, p.enum[i])
			}
		}
		return p, nil
	case "array>array":
		e, err := b.build(w.Items, wns, r.Items, rns)
		if err != nil {
			return nil, err
		}
		return &op{k: kArray, min: 1, elem: e}, nil
	case "map>map":
		e, err := b.build(w.Values, wns, r.Values, rns)
		if err != nil {
			return nil, err
		}
		return &op{k: kMap, min: 1, elem: e}, nil
	case "record>record":
		return b.record(w, wns, r, rns)
	}
	return nil, fmt.Errorf("the writer's %s cannot be read as %s", w.Type, r.Type)
}

// nullFirst reports whether the reader's type n is a union whose first
// branch is null.
func (b *builder) nullFirst(n *avro.SchemaNode, ns string) bool {
	n, ns = deref(n, ns, b.rnames)
	if n.Type != "union" || len(n.Branches) == 0 {
		return false
	}
	first, _ := deref(&n.Branches[0], ns, b.rnames)
	return first.Type == "null"
}

// hasBytes reports whether a value of the reader's type n may hold a
// bytes value.
func (b *builder) hasBytes(n *avro.SchemaNode, ns string, seen map[*avro.SchemaNode]bool) bool {
	n, ns = deref(n, ns, b.rnames)
	if seen[n] {
		return false
	}
	seen[n] = true
	switch kindOf(n.Type) {
	case "bytes":
		return true
	case "array":
		return b.hasBytes(n.Items, ns, seen)
	case "map":
		return b.hasBytes(n.Values, ns, seen)
	case "union":
		for i := range n.Branches {
			if b.hasBytes(&n.Branches[i], ns, seen) {
				return true
			}
		}
	case "record":
		for i := range n.Fields {
			if b.hasBytes(&n.Fields[i].Type, ns, seen) {
				return true
			}
		}
	}
	return false
}

func index(ss []string, s string) int {
	for i, x := range ss {
		if x == s {
			return i
		}
	}
	return -1
}

func (b *builder) record(w *avro.SchemaNode, wns string, r *avro.SchemaNode, rns string) (*op, error) {
	key := [2]string{fullName(w, wns), fullName(r, rns)}
	if p := b.memo[key]; p != nil {
		return p, nil
	}
	p := &op{k: kRecord, name: key[1]}
	b.memo[key] = p
	wns, rns = namespaceOf(key[0]), namespaceOf(key[1])
	// Which writer field each reader field reads.
	from := make([]int, len(r.Fields))
	taken := make([]bool, len(w.Fields))
	for i := range r.Fields {
		rf := &r.Fields[i]
		from[i] = -1
		for _, name := range append([]string{rf.Name}, rf.Aliases...) {
			for j := range w.Fields {
				if !taken[j] && w.Fields[j].Name == name {
					from[i] = j
					break
				}
			}
			if from[i] >= 0 {
				taken[from[i]] = true
				break
			}
		}
	}
	defaults := make([][]byte, len(r.Fields))
	for i, j := range from {
		if j >= 0 {
			continue
		}
		rf := &r.Fields[i]
		var d []byte
		switch {
		case rf.HasDefault:
			s, err := rf.Type.Schema()
			if err != nil {
				return nil, errUnsupported
			}
			if d, err = s.AppendEncode(nil, rf.Default); err != nil {
				return nil, errUnsupported
			}
		case b.nullFirst(&rf.Type, rns):
			// twmb/avro's Resolve, whose verdict DecodeFrom takes, gives
			// such a field an implicit null default (Avro gives it none).
			d = []byte{0}
		default:
			return nil, fmt.Errorf("field %s has no default", rf.Name)
		}
		defaults[i] = d
		// What is decoded from a default that holds no bytes value may
		// alias it: strings are immutable, and the plan never changes.
		m := &p.missing
		if b.hasBytes(&rf.Type, rns, map[*avro.SchemaNode]bool{}) {
			m = &p.missingBytes
		}
		m.fields = append(m.fields, i)
		m.value = append(m.value, d...)
		m.each = append(m.each, d)
	}
	readerOf := make([]int, len(w.Fields))
	for j := range readerOf {
		readerOf[j] = -1
	}
	for i, j := range from {
		if j >= 0 {
			readerOf[j] = i
		}
	}
	p.ordered = true
	last := -1
	for _, i := range readerOf {
		if i >= 0 {
			if i < last {
				p.ordered = false
			}
			last = i
		}
	}
	next := 0 // the next reader field to write, when ordered
	for j := range w.Fields {
		wf := &w.Fields[j]
		f := fieldOp{reader: readerOf[j], name: wf.Name}
		var err error
		if i := readerOf[j]; i >= 0 {
			f.one = []int{i}
			if f.op, err = b.build(&wf.Type, wns, &r.Fields[i].Type, rns); err != nil {
				return nil, err
			}
			if p.ordered {
				for ; next < i; next++ {
					f.pre = append(f.pre, defaults[next]...)
				}
				next = i + 1
			}
		}
		if f.op == nil || b != b.writer {
			// Kept fields too, for scanTop.
			if f.skip, err = b.writer.build(&wf.Type, wns, &wf.Type, wns); err != nil {
				return nil, err
			}
		}
		p.fields = append(p.fields, f)
	}
	if p.ordered {
		for ; next < len(r.Fields); next++ {
			p.tail = append(p.tail, defaults[next]...)
		}
	} else {
		p.defaults = defaults
	}
	for _, f := range p.fields {
		if f.op != nil {
			p.min += f.op.min
		} else {
			p.min += f.skip.min
		}
	}
	return p, nil
}

// match returns the index of the reader union's branch that reads the
// writer's type, ranked as twmb/avro ranks them: the first branch of the same
// kind and full name (or alias), then of the same unqualified name, then the
// first the writer's type promotes to; -1 if none. A fixed matches only a
// fixed of its size.
func (b *builder) match(w *avro.SchemaNode, wns string, r *avro.SchemaNode, rns string) int {
	wt := kindOf(w.Type)
	named := wt == "record" || wt == "enum" || wt == "fixed"
	for tier := range 3 {
		for i := range r.Branches {
			br, brns := deref(&r.Branches[i], rns, b.rnames)
			rt := kindOf(br.Type)
			if tier == 2 {
				switch wt + ">" + rt {
				case "int>long", "int>float", "int>double", "long>float", "long>double", "float>double", "string>bytes", "bytes>string":
					return i
				}
				continue
			}
			if wt != rt || (wt == "fixed" && w.Size != br.Size) {
				continue
			}
			if !named {
				if tier == 0 {
					return i
				}
				continue
			}
			if names(w, wns, br, brns, tier == 1) {
				return i
			}
		}
	}
	return -1
}

// names reports whether the reader's named type answers to the writer's
// name: by full name or alias, or with short, by unqualified name or an
// alias written without a namespace.
func names(w *avro.SchemaNode, wns string, r *avro.SchemaNode, rns string, short bool) bool {
	wf, rf := fullName(w, wns), fullName(r, rns)
	if short {
		ws := wf[strings.LastIndexByte(wf, '.')+1:]
		if ws == rf[strings.LastIndexByte(rf, '.')+1:] {
			return true
		}
		for _, a := range r.Aliases {
			if !strings.Contains(a, ".") && a == ws {
				return true
			}
		}
		return false
	}
	if wf == rf {
		return true
	}
	for _, a := range r.Aliases {
		if a == wf || (!strings.Contains(a, ".") && namespaceOf(rf) != "" && namespaceOf(rf)+"."+a == wf) {
			return true
		}
	}
	return false
}
