package resolve

import (
	"errors"

	"github.com/evc-dev/evc/runtime"
)

// The steps of a plan are what generated code runs, through
// runtime.StepDecoder, to decode data written with another version of its
// schema: the plan's steps, as decodeDirect takes them, turned into
// runtime.Steps once per plan. Generated code then decodes the runs of
// fields and the changed records nested in the message with direct calls,
// from a Reader on its stack; skipped values, mapped enum symbols, defaults
// and checks are the runtime.Step's own methods, from its data. A plan
// that transcodes any value (a promotion to float or double, a union's
// branches mapped otherwise than to a record or null, a changed record in
// an array or map) has no steps, and decodeDirect decodes its messages.
//
// The copy that strings and bytes are sliced from is the Reader's own, of
// the input from the first string on, as for a message of the type's own
// schema: skipped values are in it too (decodeDirect's scanTop leaves them
// out, at the cost of reading the message twice).

// stepsOf returns the steps of plan p, a record's, or nil when some value
// of it must be transcoded.
func stepsOf(p *op) []runtime.Step {
	b := stepBuilder{memo: map[*op][]runtime.Step{}}
	steps, ok := b.record(p)
	if !ok {
		return nil
	}
	return steps
}

type stepBuilder struct {
	memo map[*op][]runtime.Step
}

// record returns the steps of record plan p. The slice is made and
// remembered before it is filled, so that a recursive record's steps hold
// themselves.
func (b *stepBuilder) record(p *op) ([]runtime.Step, bool) {
	if steps, ok := b.memo[p]; ok {
		return steps, true
	}
	n := len(p.steps)
	if p.missing.fields != nil {
		n++
	}
	if p.missingBytes.fields != nil {
		n++
	}
	steps := make([]runtime.Step, 0, n)
	b.memo[p] = steps[:n]
	for i := range p.steps {
		s, ok := b.step(&p.steps[i])
		if !ok {
			return nil, false
		}
		steps = append(steps, s)
	}
	if d := p.missing; d.fields != nil {
		steps = append(steps, runtime.Step{Op: runtime.StepValue, Fields: d.fields, Bytes: d.value})
	}
	if d := p.missingBytes; d.fields != nil {
		steps = append(steps, runtime.Step{Op: runtime.StepValue, Fields: d.fields, Bytes: d.value, Copy: true})
	}
	return steps, true
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
		return runtime.Step{Op: runtime.StepEnum, Fields: f.one, Symbols: f.op.symbols, Enum: f.op.name, Name: f.name}, true
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

// decodeSteps decodes data, written with the writer's schema of res, into
// m with the plan's steps. A step that m's code cannot take sends the
// message, and every later one of the pair, to decodeDirect; a value that
// the writer cannot have written, the message alone, for the error that
// decodeDirect gives.
func decodeSteps(res *resolution, m runtime.StepDecoder, data []byte, typ string) error {
	err := m.UnmarshalAvroSteps(res.steps, data)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, runtime.ErrNoSteps):
		res.noSteps.Store(true)
	case !errors.Is(err, runtime.ErrStepCheck):
		return err
	}
	return decodeDirect(res.plan, m, data, typ)
}
