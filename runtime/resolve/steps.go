package resolve

import (
	"errors"
	"slices"
	"sync"

	"github.com/evc-dev/evc/runtime"
	"github.com/evc-dev/evc/runtime/avrobin"
)

// The steps of a plan are what generated code runs, through
// runtime.StepDecoder, to decode data written with another version of its
// schema: the plan's steps, as decodeDirect takes them, turned into
// runtime.Steps once per plan. Generated code then decodes the runs of
// fields and the changed records nested in the message with direct calls,
// from a Reader on its stack. The defaults of the fields that the writer
// lacks are set in a run too, where the record's code sets them itself
// (runtime.DefaultSetter: a number, a string, an enum symbol, null), and
// decoded from their encoding otherwise; skipped values, mapped enum
// symbols, encoded defaults and checks are the runtime.Step's own methods,
// from its data. A plan
// that transcodes any value (a promotion to float or double, a union's
// branches mapped otherwise than to a record or null, a changed record in
// an array or map) has no steps, and decodeDirect decodes its messages.
//
// The copy that strings and bytes are sliced from is the Reader's own, of
// the input from the first string on, as for a message of the type's own
// schema, less what the steps skip after that string: the generated code
// and the steps cut each skipped value (avrobin.Reader.Cut), and the
// Reader, made with the pair's avrobin.Trim (runtime.TrimOf), leaves out
// of its copy as many bytes as the pair's earlier messages cut. Squarebot's
// newer writer's 156-byte message, whose steps skip 43, thus allocates the
// 208 bytes of the same value in the type's own schema, not 256, with the
// message read once. A pair whose messages skip less than an eighth of
// their bytes after the first string keeps them in the copy: Open edX's
// newer writer's message, whose cuts would drop 16 of its bytes, decodes
// 5% faster so. When the message's own record has writer fields that
// the type lacks and that may take many bytes (what a newer writer adds),
// and the message is larger than cutAbove, those are cut out of the copy
// first instead, as decodeDirect's scanTop does, so that a large value the
// reader ignores is never copied, whatever the guess: decodeSteps reads the
// message's fields once ahead (cutSkipped) and runs the root's steps
// without their skips (topSteps) over what remains. A smaller message is
// not read twice: that costs more than the guess saves.

// stepsOf returns the steps of plan p, a record's read as type t, or nil
// when some value of it must be transcoded.
func stepsOf(p *op, t *runtime.Type) []runtime.Step {
	literal, nested := codesOf(t)
	b := stepBuilder{memo: map[*op][]runtime.Step{}, literal: literal, nested: nested}
	steps, ok := b.record(p)
	if !ok {
		return nil
	}
	return pack(steps)
}

// pack returns a copy of steps whose steps, nested ones too, lie in one
// array in the order that decoding meets them, and their fields in another:
// decoding a message then reads a few cache lines in a row instead of as
// many small slices as the builder made. Steps that several hold (a record
// used twice, a recursive record's own) stay shared.
func pack(steps []runtime.Step) []runtime.Step {
	var nSteps, nFields int
	eachList(steps, func(ss []runtime.Step) {
		nSteps += len(ss)
		for i := range ss {
			nFields += len(ss[i].Fields)
		}
	})
	// Both arrays are made to size, so that what is moved stays put.
	all := make([]runtime.Step, 0, nSteps)
	fields := make([]int, 0, nFields)
	moved := map[*runtime.Step][]runtime.Step{}
	var move func([]runtime.Step) []runtime.Step
	move = func(ss []runtime.Step) []runtime.Step {
		if len(ss) == 0 {
			return ss
		}
		if m, ok := moved[&ss[0]]; ok {
			return m
		}
		start := len(all)
		all = append(all, ss...)
		out := all[start:len(all):len(all)]
		moved[&ss[0]] = out
		for i := range out {
			if f := out[i].Fields; len(f) > 0 {
				at := len(fields)
				fields = append(fields, f...)
				out[i].Fields = fields[at:len(fields):len(fields)]
			}
		}
		for i := range out {
			out[i].Steps = move(out[i].Steps)
		}
		return out
	}
	return move(steps)
}

type stepBuilder struct {
	memo map[*op][]runtime.Step
	// literal: per reader record, the fields whose defaults its
	// generated code sets itself (runtime.DefaultSetter).
	literal map[string][]int
	// nested: per reader record, the nested code (runtime.RecordField
	// and the others) that its generated code takes for a field, by
	// index (runtime.NestedDecoder).
	nested map[string]map[int]int
}

// codesOf returns, per record that type t is or uses, the fields whose
// defaults its generated code sets itself, and the nested codes that it
// takes, by field.
func codesOf(t *runtime.Type) (literal map[string][]int, nested map[string]map[int]int) {
	literal, nested = map[string][]int{}, map[string]map[int]int{}
	var walk func(n runtime.Named)
	walk = func(n runtime.Named) {
		t := n.AvroType()
		if _, seen := literal[t.Name]; seen {
			return
		}
		var fields []int
		if d, ok := n.(runtime.DefaultSetter); ok {
			fields = d.AvroDefaultFields()
		}
		literal[t.Name] = fields
		if d, ok := n.(runtime.NestedDecoder); ok {
			codes := map[int]int{}
			for _, c := range d.AvroNestedFields() {
				if i, code := nestedField(c); code != 0 {
					codes[i] = code
				}
			}
			nested[t.Name] = codes
		}
		for _, u := range t.Def.Uses {
			walk(u)
		}
	}
	if t.New != nil {
		walk(t.New())
	}
	return literal, nested
}

// nestedField splits c, a nested code of a field, into the field's index
// and the code (runtime.RecordField and the others); code is 0 for a c
// that is none.
func nestedField(c int) (i, code int) {
	for _, code := range []int{runtime.EnumField, runtime.NullableRecordField, runtime.RecordField} {
		if c <= code {
			return code - c, code
		}
	}
	return -1, 0
}

// isNested reports whether c, in a run of fields, is a nested code,
// whose ints follow it.
func isNested(c int) bool { return c <= runtime.RecordField }

// The bounds of nesting: a record's or an enum's ints go into its
// holder's run when they are at most maxNested, and a run grows to at
// most maxRun, so that a record used many times in a tree of records does
// not multiply its steps past a few pages.
const (
	maxNested = 256
	maxRun    = 4096
)

// record returns the steps of record plan p. The slice is made and
// remembered before it is filled, so that a recursive record's steps hold
// themselves. The defaults of the fields that the writer lacks are set in
// the last run of fields, or a run of their own, where the record's code
// sets them itself, and decoded from their encoding (StepValue) otherwise.
func (b *stepBuilder) record(p *op) ([]runtime.Step, bool) {
	if steps, ok := b.memo[p]; ok {
		return steps, true
	}
	groups := runsOf(p.steps)
	literal, missing, missingBytes := b.defaults(p)
	n := len(groups)
	if missing.fields != nil {
		n++
	}
	if missingBytes.fields != nil {
		n++
	}
	// A run ends the groups when its last group is one.
	lastRun := len(groups) > 0 && (len(groups[len(groups)-1]) > 1 || p.steps[groups[len(groups)-1][0]].do == doSame)
	if literal != nil && !lastRun {
		n++
	}
	steps := make([]runtime.Step, 0, n)
	b.memo[p] = steps[:n]
	for _, g := range groups {
		if len(g) > 1 {
			steps = append(steps, run(p.steps, g))
			continue
		}
		s, ok := b.step(&p.steps[g[0]])
		if !ok {
			return nil, false
		}
		steps = append(steps, s)
	}
	if literal != nil {
		if lastRun {
			last := &steps[len(steps)-1]
			last.Fields = append(slices.Clip(last.Fields), literal...)
		} else {
			steps = append(steps, runtime.Step{Op: runtime.StepFields, Fields: literal})
		}
	}
	if d := missing; d.fields != nil {
		steps = append(steps, runtime.Step{Op: runtime.StepValue, Fields: d.fields, Bytes: d.value})
	}
	if d := missingBytes; d.fields != nil {
		steps = append(steps, runtime.Step{Op: runtime.StepValue, Fields: d.fields, Bytes: d.value, Copy: true})
	}
	if !p.recursive {
		// No step holds these yet: only a recursive record's steps hold
		// themselves.
		steps = nest(b.nested[p.name], steps)
		b.memo[p] = steps
	}
	return steps, true
}

// nest returns steps with the changed records and enums that the record's
// code takes in a run (its nested codes, by field) moved into the run
// before them, or a run of their own, and the runs that then follow each
// other joined: a record whose own steps are one run of fields costs no
// step, nor any step loop, of its own. So does a skipped string or long
// between them. Steps for code that takes no nested codes (nil codes) stay
// as they are, so that code generated before them meets only the steps it
// knows.
func nest(codes map[int]int, steps []runtime.Step) []runtime.Step {
	if codes == nil {
		return steps
	}
	var out []runtime.Step
	for _, s := range steps {
		ints := nestedInts(codes, &s)
		if ints == nil {
			switch s.Op {
			case runtime.StepFields:
				ints = s.Fields
			case runtime.StepSkip:
				ints = skipInts(s.Skip)
			}
		}
		last := len(out) - 1
		if ints == nil || last < 0 || out[last].Op != runtime.StepFields && out[last].Op != runtime.StepChecked || len(out[last].Fields)+len(ints) > maxRun {
			if ints != nil {
				s = runtime.Step{Op: runtime.StepFields, Fields: ints}
			}
			out = append(out, s)
			continue
		}
		out[last].Fields = append(slices.Clip(out[last].Fields), ints...)
	}
	return out
}

// nestedInts returns the nested code and its ints that take step s, a
// changed record or enum of field s.Fields[0], in its holder's run; nil
// when the holder's code has no such code for it, or the ints would be
// too many.
func nestedInts(codes map[int]int, s *runtime.Step) []int {
	if s.Op != runtime.StepRecord && s.Op != runtime.StepEnum {
		return nil
	}
	i := s.Fields[0]
	code, run := codes[i], s.Run()
	var ints []int
	switch {
	case s.Op == runtime.StepEnum && code == runtime.EnumField:
		for _, sym := range s.Symbols {
			ints = append(ints, int(sym))
		}
	case s.Op == runtime.StepRecord && code == runtime.RecordField && s.Branches == nil && run != nil:
		ints = run
	case s.Op == runtime.StepRecord && code == runtime.NullableRecordField && run != nil:
		ints = append(ints, len(s.Branches))
		for _, br := range s.Branches {
			ints = append(ints, int(br))
		}
		ints = append(ints, run...)
	default:
		return nil
	}
	if len(ints) > maxNested {
		return nil
	}
	return append([]int{code - i, len(ints)}, ints...)
}

// skipInts returns the code that skips a StepSkip's value of type st in a
// run, or nil for a type that a run does not skip.
func skipInts(st *avrobin.SkipType) []int {
	switch st.Kind {
	case avrobin.SkipBytes:
		return []int{runtime.SkipBytesField}
	case avrobin.SkipLong:
		return []int{runtime.SkipLongField}
	}
	return nil
}

// defaults splits the fields that the writer of p lacks into the indexes
// that set the defaults that the reader's code sets itself
// (runtime.DefaultField - i) and the rest, with their encoded defaults.
func (b *stepBuilder) defaults(p *op) (literal []int, missing, missingBytes defaults) {
	own := b.literal[p.name]
	split := func(d defaults, rest *defaults) {
		for k, i := range d.fields {
			if slices.Contains(own, i) {
				literal = append(literal, runtime.DefaultField-i)
				continue
			}
			rest.fields = append(rest.fields, i)
			rest.value = append(rest.value, d.each[k]...)
		}
	}
	split(p.missing, &missing)
	split(p.missingBytes, &missingBytes)
	return literal, missing, missingBytes
}

// runsOf groups the indexes of steps into the runtime.Steps that take
// them: a run of fields (checked or not) with the skipped longs and
// strings and the unchecked runs that follow it, the skipped longs and
// strings before an unchecked run with it, and every other step alone.
func runsOf(steps []step) [][]int {
	var groups [][]int
	var skips []int // skipped longs and strings not yet in a group
	flush := func() {
		for _, i := range skips {
			groups = append(groups, []int{i})
		}
		skips = skips[:0]
	}
	inRun := false
	for i := range steps {
		s := &steps[i]
		switch {
		case skipField(s) != 0:
			if inRun {
				groups[len(groups)-1] = append(groups[len(groups)-1], i)
			} else {
				skips = append(skips, i)
			}
		case s.do == doSame && s.check == nil:
			if inRun {
				groups[len(groups)-1] = append(groups[len(groups)-1], i)
				continue
			}
			groups = append(groups, append(skips, i))
			skips, inRun = nil, true
		default:
			flush()
			groups = append(groups, []int{i})
			inRun = s.do == doSame // a checked run
		}
	}
	flush()
	return groups
}

// run returns the runtime.Step of group g of steps, a run with the skips
// and runs that follow it, or that skips first: checked if its first step
// is.
func run(steps []step, g []int) runtime.Step {
	s := runtime.Step{Op: runtime.StepFields}
	if c := steps[g[0]].check; c != nil {
		s = runtime.Step{Op: runtime.StepChecked, Check: checkOf(c)}
	}
	for _, i := range g {
		s.Fields = append(s.Fields, runFields(&steps[i])...)
	}
	return s
}

// runFields returns what step s adds to a run's fields.
func runFields(s *step) []int {
	if i := skipField(s); i != 0 {
		return []int{i}
	}
	return s.fields
}

// skipField returns the index that skips the value of step s in a run
// (runtime.SkipLongField and the others), or 0 for none.
func skipField(s *step) int {
	switch s.do {
	case doSkipBytes:
		return runtime.SkipBytesField
	case doSkipLong:
		return runtime.SkipLongField
	case doSkip:
		w := s.f.skip
		switch {
		case w.k == kUnion && len(w.branches) == 2 && unwrap(w.branches[0]).k == kNull && unwrap(w.branches[1]).k == kBytes:
			return runtime.SkipOptionalBytesField
		case w.k == kArray && unwrap(w.elem).k == kBytes:
			return runtime.SkipBytesArrayField
		}
	}
	return 0
}

// unwrap returns the branch that a reader's union holds, p's elem for a
// kToUnion, or p.
func unwrap(p *op) *op {
	if p != nil && p.k == kToUnion {
		return p.elem
	}
	return p
}

// step returns the runtime.Step of s, as decodeFields takes it.
func (b *stepBuilder) step(s *step) (runtime.Step, bool) {
	f := s.f
	switch s.do {
	case doSame:
		if s.check != nil {
			return runtime.Step{Op: runtime.StepChecked, Fields: s.fields, Check: checkOf(s.check)}, true
		}
		return runtime.Step{Op: runtime.StepFields, Fields: s.fields}, true
	case doSkipBytes, doSkipLong, doSkip:
		return runtime.Step{Op: runtime.StepSkip, Skip: f.skip.st, Name: f.name}, true
	case doEnum:
		return runtime.Step{Op: runtime.StepEnum, Fields: f.one, Symbols: f.op.enum, Enum: f.op.name, Name: f.name}, true
	case doWidens:
		return runtime.Step{Op: runtime.StepWidens, Fields: f.one, Skip: f.op.st, Name: f.name}, true
	case doRecord:
		return b.recordStep(f, f.op, nil)
	}
	// doOther: what decodeField does without transcoding.
	switch p := f.op; {
	case p.k == kToUnion && p.elem.k == kNull:
		// The union index is the whole encoding.
		return runtime.Step{Op: runtime.StepValue, Fields: f.one, Bytes: p.prefix}, true
	case p.k == kToUnion && p.elem.k == kRecord:
		return b.recordStep(f, p.elem, nil)
	case p.k == kUnion:
		// A writer's union read as a reader's record or null: each
		// branch is null, that one record, or unreadable.
		var rec *op
		branches := make([]runtime.Branch, len(p.branches))
		for i, br := range p.branches {
			switch {
			case br == nil:
				branches[i] = runtime.BranchNone
			case br.k == kToUnion && br.elem.k == kNull:
				branches[i] = runtime.BranchNull
			case br.k == kToUnion && br.elem.k == kRecord && (rec == nil || rec == br.elem):
				branches[i], rec = runtime.BranchRecord, br.elem
			default:
				return runtime.Step{}, false
			}
		}
		if rec == nil {
			return runtime.Step{}, false
		}
		return b.recordStep(f, rec, branches)
	}
	return runtime.Step{}, false
}

// recordStep is the step of field f, a changed record with plan p, held
// by the reader's record by value or as a record or null, which the
// writer wrote in a union of branches (nil for none).
func (b *stepBuilder) recordStep(f *fieldOp, p *op, branches []runtime.Branch) (runtime.Step, bool) {
	steps, ok := b.record(p)
	if !ok {
		return runtime.Step{}, false
	}
	return runtime.Step{Op: runtime.StepRecord, Fields: f.one, Steps: steps, Branches: branches, Name: f.name}, true
}

// cutAbove is the size of the largest message that decodeSteps decodes in
// one pass when it skips fields of the message's own record; a larger one
// has them cut out first (decodeCut).
const cutAbove = 1 << 10

// topStepsOf returns the root's steps without the skips of its own fields
// (steps of their own, or in a run),
// for a plan whose messages decodeSteps cuts them out of (scanTop), or nil.
func topStepsOf(root *op, steps []runtime.Step) []runtime.Step {
	if !root.scanTop || steps == nil {
		return nil
	}
	var top []runtime.Step
	for _, s := range steps {
		switch s.Op {
		case runtime.StepSkip:
			continue
		case runtime.StepFields, runtime.StepChecked:
			// Without the skips in the run too.
			s.Fields = ownFields(s.Fields)
		}
		top = append(top, s)
	}
	return top
}

// cutSkipped returns a copy of data without the values of the message's
// own fields that p skips, or nil when data does not read as p's writer's
// (decoding then reports the error).
func cutSkipped(p *op, data []byte, gaps []span) ([]byte, []span) {
	r := avrobin.NewAliasReader(data)
	gaps, _, err := topGaps(&r, p, gaps)
	if err != nil || r.Remaining() != 0 {
		return nil, gaps
	}
	return appendKept(make([]byte, 0, keptLen(data, 0, gaps)), data, 0, gaps), gaps
}

// decodeSteps decodes data, written with the writer's schema of res, into
// m with the plan's steps. A step that m's code cannot take sends the
// message, and every later one of the pair, to decodeDirect; any other
// error, the message alone, for the error that decodeDirect gives (which
// names the field of a value skipped in a run).
func decodeSteps(res *resolution, m runtime.StepDecoder, data []byte, typ string) error {
	if res.top != nil && len(data) > cutAbove {
		if err, ok := decodeCut(res, m, data, typ); ok {
			return err
		}
	}
	err := m.UnmarshalAvroSteps(res.steps, data)
	if err == nil {
		return nil
	}
	if errors.Is(err, runtime.ErrNoSteps) {
		res.noSteps.Store(true)
	}
	// The error decodeDirect gives names the field of a skip in a run.
	return decodeDirect(res.plan, m, data, typ)
}

// decodeCut is decodeSteps for a plan with topSteps: the message with the
// skipped fields cut out, decoded with an aliasing Reader, since the cut
// copy is the message's own. Any error sends the message to decodeDirect,
// whose error's offsets are the input's. It reports false when data does
// not read far enough to be cut.
func decodeCut(res *resolution, m runtime.StepDecoder, data []byte, typ string) (error, bool) {
	c := cutters.Get().(*cutter)
	kept, gaps := cutSkipped(res.plan, data, c.gaps[:0])
	c.gaps = gaps[:0]
	if kept == nil {
		cutters.Put(c)
		return nil, false
	}
	c.r.Reset(kept, true)
	err := c.r.Done(m.DecodeAvroSteps(res.top, &c.r), typ)
	c.r.Reset(nil, false)
	cutters.Put(c)
	if err == nil {
		return nil, true
	}
	if errors.Is(err, runtime.ErrNoSteps) {
		res.noSteps.Store(true)
	}
	return decodeDirect(res.plan, m, data, typ), true
}

// skipsIn reports whether steps, or the steps of a record in them, skip
// a writer value.
func skipsIn(steps []runtime.Step) bool {
	skips := false
	eachList(steps, func(ss []runtime.Step) {
		for i := range ss {
			skips = skips || ss[i].Op == runtime.StepSkip || runSkips(ss[i].Fields)
		}
	})
	return skips
}

// runSkips reports whether run, a run of fields, or the run of a record
// nested in it, skips a writer value.
func runSkips(run []int) bool {
	for at := 0; at < len(run); at++ {
		c := run[at]
		if !isNested(c) {
			if isSkipField(c) {
				return true
			}
			continue
		}
		var ints []int
		ints, at = runtime.Nested(run, at)
		if runSkips(nestedRun(c, ints)) {
			return true
		}
	}
	return false
}

// nestedRun returns the run of fields of the record whose nested code c
// holds ints, after the branches of a record or null; nil for an enum's.
func nestedRun(c int, ints []int) []int {
	switch _, code := nestedField(c); code {
	case runtime.RecordField:
		return ints
	case runtime.NullableRecordField:
		return ints[1+ints[0]:]
	}
	return nil
}

// ownFields returns a copy of run, a run of fields, without the skips of
// its own record's fields, and with those of the records nested in it.
func ownFields(run []int) []int {
	var out []int
	for at := 0; at < len(run); at++ {
		c := run[at]
		if isNested(c) {
			_, end := runtime.Nested(run, at)
			out = append(out, run[at:end+1]...)
			at = end
			continue
		}
		if !isSkipField(c) {
			out = append(out, c)
		}
	}
	return out
}

// eachList calls visit with steps and with each list of steps nested in
// them, once each: a list that several steps hold (a record used twice, a
// recursive record's own) is visited once.
func eachList(steps []runtime.Step, visit func([]runtime.Step)) {
	seen := map[*runtime.Step]bool{}
	var walk func([]runtime.Step)
	walk = func(ss []runtime.Step) {
		if len(ss) == 0 || seen[&ss[0]] {
			return
		}
		seen[&ss[0]] = true
		visit(ss)
		for i := range ss {
			walk(ss[i].Steps)
		}
	}
	walk(steps)
}

// isSkipField reports whether i, in a run of fields, skips a writer value.
func isSkipField(i int) bool { return i < 0 && i > runtime.DefaultField }

// cutter is decodeCut's pooled state: m takes the Reader through an
// interface, so that it would escape to the heap.
type cutter struct {
	r    avrobin.Reader
	gaps []span
}

var cutters = sync.Pool{New: func() any { return new(cutter) }}
