package resolve

import (
	"errors"
	"fmt"
	"sync"

	"github.com/evc-dev/evc/runtime"
	"github.com/evc-dev/evc/runtime/avrobin"
)

// The steps of a plan are what generated code runs, through
// runtime.StepDecoder, to decode data written with another version of its
// schema: the plan's steps, as decodeDirect takes them, turned into
// runtime.Steps once per plan. Generated code then decodes the runs of
// fields and the changed records nested in the message with direct calls,
// from a Reader of its own, and calls back into the plan only for what
// changed: a skipped value, a mapped enum symbol, defaults, a checked
// value. A plan that transcodes any value (a promotion to float or
// double, a union's branches mapped otherwise than to a record or null,
// a changed record in an array or map) has no steps, and decodeDirect
// decodes its messages.
//
// The copy that strings and bytes are sliced from is the Reader's own, of
// the input from the first string on, as for a message of the type's own
// schema: skipped values are in it too (decodeDirect's scanTop leaves them
// out, at the cost of reading the message twice).

// errNoSteps is what a step returns for a record that generated code does
// not decode itself (one bound to a custom Go type): DecodeFrom then
// decodes the message, and every later one of the resolution, with
// decodeDirect, which decodes such a record from its transcoding.
var errNoSteps = errors.New("no steps for the record")

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
			return runtime.Step{Op: runtime.StepDo, Do: checkedRun(s)}, true
		}
		return runtime.Step{Op: runtime.StepFields, Fields: s.fields}, true
	case doSkipBytes:
		return runtime.Step{Op: runtime.StepDo, Do: func(_ runtime.FieldDecoder, r *avrobin.Reader) error {
			if err := r.SkipBytes(); err != nil {
				return avrobin.AtField(err, f.name)
			}
			return nil
		}}, true
	case doSkipLong:
		return runtime.Step{Op: runtime.StepDo, Do: func(_ runtime.FieldDecoder, r *avrobin.Reader) error {
			if err := r.SkipLong(); err != nil {
				return avrobin.AtField(err, f.name)
			}
			return nil
		}}, true
	case doSkip:
		return runtime.Step{Op: runtime.StepDo, Do: func(_ runtime.FieldDecoder, r *avrobin.Reader) error {
			if err := skipIn(r, f.skip, true); err != nil {
				return avrobin.AtField(err, f.name)
			}
			return nil
		}}, true
	case doEnum:
		return runtime.Step{Op: runtime.StepValue, Fields: f.one, Value: enumValue(f, f.op)}, true
	case doWidens:
		return runtime.Step{Op: runtime.StepDo, Do: func(m runtime.FieldDecoder, r *avrobin.Reader) error {
			return widens(f, m, r)
		}}, true
	case doRecord:
		return b.recordStep(f, f.op, nil)
	}
	// doOther: what decodeField does without transcoding.
	switch p := f.op; {
	case p.k == kToUnion && p.elem.k == kNull:
		// The union index is the whole encoding.
		return runtime.Step{Op: runtime.StepValue, Fields: f.one, Bytes: p.prefix}, true
	case p.k == kToUnion && p.elem.k == kRecord:
		return b.recordStep(f, p.elem, present)
	case p.k == kUnion:
		// A writer's union read as a reader's record or null: each
		// branch is null, that one record, or unreadable.
		var rec *op
		for _, br := range p.branches {
			switch {
			case br == nil || br.k == kToUnion && br.elem.k == kNull:
			case br.k == kToUnion && br.elem.k == kRecord && (rec == nil || rec == br.elem):
				rec = br.elem
			default:
				return runtime.Step{}, false
			}
		}
		if rec == nil {
			return runtime.Step{}, false
		}
		return b.recordStep(f, rec, unionPresent(p))
	}
	return runtime.Step{}, false
}

// recordStep is the step of field f, a changed record with plan p, held
// by the reader's record by value or, with present, as a record or null.
func (b *stepBuilder) recordStep(f *fieldOp, p *op, present func(*avrobin.Reader) (bool, error)) (runtime.Step, bool) {
	steps, ok := b.record(p)
	if !ok {
		return runtime.Step{}, false
	}
	return runtime.Step{Op: runtime.StepRecord, Fields: f.one, Steps: steps, Present: present, Name: f.name, Do: noSteps}, true
}

func noSteps(runtime.FieldDecoder, *avrobin.Reader) error { return errNoSteps }

// present is Present for a writer's record read as the reader's record or
// null: it is always there, and takes no bytes to say so.
func present(*avrobin.Reader) (bool, error) { return true, nil }

// unionPresent is Present for a writer's union, p, whose branches are
// null, a record, or unreadable.
func unionPresent(p *op) func(*avrobin.Reader) (bool, error) {
	return func(r *avrobin.Reader) (bool, error) {
		i, err := r.ReadUnion(len(p.branches))
		if err != nil {
			return false, err
		}
		b := p.branches[i]
		if b == nil {
			return false, r.DecodeInvalid(fmt.Errorf("the writer's union branch %d cannot be read as the type's", i))
		}
		return b.elem.k == kRecord, nil
	}
}

// enumValue returns the Value of enum field f, whose plan is p: the
// reader's symbol that the writer's maps to, as decodeEnum reads it.
func enumValue(f *fieldOp, p *op) func(*avrobin.Reader) ([]byte, error) {
	return func(r *avrobin.Reader) ([]byte, error) {
		i, err := r.ReadEnum(len(p.enum))
		if err != nil {
			return nil, avrobin.AtField(err, f.name)
		}
		if p.symbols[i] == nil {
			return nil, avrobin.AtField(r.DecodeInvalid(fmt.Errorf("the writer's symbol %d is not a symbol of %s, which has no default", i, p.name)), f.name)
		}
		return p.symbols[i], nil
	}
}

// checkedRun returns the Do of run s, whose first field widens: as
// decodeFields takes it.
func checkedRun(s *step) func(runtime.FieldDecoder, *avrobin.Reader) error {
	return func(m runtime.FieldDecoder, r *avrobin.Reader) error {
		if fits(r.Unread(), s.check) {
			return m.DecodeAvroFields(s.fields, r)
		}
		// Decoded and checked alone, for the error it gives.
		if err := widens(s.f, m, r); err != nil || len(s.fields) == 1 {
			return err
		}
		return m.DecodeAvroFields(s.fields[1:], r)
	}
}

// widens is decodeWidens from r.
func widens(f *fieldOp, m runtime.FieldDecoder, r *avrobin.Reader) error {
	src, start := r.Unread(), r.Offset()
	if err := m.DecodeAvroFields(f.one, r); err != nil {
		return err
	}
	sub := avrobin.NewAliasReader(src[:r.Offset()-start])
	if err := skipIn(&sub, f.op, false); err != nil {
		return avrobin.AtField(err, f.name)
	}
	return nil
}

// decodeSteps decodes data, written with the writer's schema of res, into
// m with the plan's steps.
func decodeSteps(res *resolution, m runtime.StepDecoder, data []byte, typ string) error {
	// m takes the Reader through an interface, so it would escape to the
	// heap: it is pooled instead.
	r := stepReaders.Get().(*avrobin.Reader)
	r.Reset(data, false)
	err := r.Done(m.DecodeAvroSteps(res.steps, r), typ)
	stepReaders.Put(r)
	if err != nil && errors.Is(err, errNoSteps) {
		res.noSteps.Store(true)
		return decodeDirect(res.plan, m, data, typ)
	}
	return err
}

var stepReaders = sync.Pool{New: func() any { return new(avrobin.Reader) }}
