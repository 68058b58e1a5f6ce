package resolve

import (
	"fmt"
	"sync"

	"github.com/evc-dev/evc/runtime"
	"github.com/evc-dev/evc/runtime/avrobin"
)

// decodeDirect decodes data, written with the plan's writer schema, into m
// field by field in the writer's order, with m's own field decoders: a
// field whose writer encoding is the reader's is decoded straight from
// data, a writer field the reader lacks is skipped, a reader field the
// writer lacks is decoded from its default, a nested record that changed
// (held by value, or in a union with null) is decoded the same way into
// the record m holds, an enum whose symbols changed from the reader's
// index, encoded in the plan, and any other field that changed (a
// promotion to float or double, a union's branches mapped, an array of
// changed records) is transcoded alone to the reader's encoding and
// decoded from there. The data is thus read once, but for the fields that
// changed, and the transcoded bytes count against the bound of the whole
// transcoding path.
//
// Strings and bytes are sliced from one copy of data, as UnmarshalAvro
// slices them, and from one copy of each transcoded field that holds any.
func decodeDirect(p *op, m runtime.FieldDecoder, data []byte, typ string) error {
	// The field decoders take the Reader through an interface, so it
	// would escape to the heap: it lives in a pooled transcoder instead.
	// Every pointer written to it costs a write barrier while the GC
	// marks, so its Readers are reset in place, and the pool keeps the
	// last message's references until the next (sync.Pool drops its
	// contents within two garbage collections).
	t := decoders.Get().(*transcoder)
	t.r.Reset(data, false)
	t.src = data
	t.zero = 0
	t.limit = OutputPerByte*len(data) + OutputSlack
	err := t.r.Done(t.decodeRecord(p, m), typ)
	if len(t.out) != 0 {
		t.out = t.out[:0]
	}
	if len(t.spans) != 0 {
		t.spans = t.spans[:0]
	}
	if cap(t.out) <= maxPooled {
		decoders.Put(t)
	}
	return err
}

var decoders = sync.Pool{New: func() any { return new(transcoder) }}

func (t *transcoder) decodeRecord(p *op, m runtime.FieldDecoder) error {
	if err := t.r.Enter(); err != nil {
		return err
	}
	err := t.decodeFields(p, m)
	t.r.Leave()
	return err
}

func (t *transcoder) decodeFields(p *op, m runtime.FieldDecoder) error {
	for i := range p.steps {
		s := &p.steps[i]
		var err error
		switch s.how {
		case howSame:
			err = m.DecodeAvroFields(s.fields, &t.r)
		case howSkip:
			if err = t.skip(s.f.skip); err != nil {
				err = avrobin.AtField(err, s.f.name)
			}
		case howEnum:
			err = t.decodeEnum(s.f, s.f.op, m)
		case howWidens:
			// Decoded as the reader's, and checked as the writer's.
			start := t.r.Offset()
			if err = m.DecodeAvroFields(s.f.one, &t.r); err == nil {
				t.sub.Reset(t.src[start:t.r.Offset()], true)
				if err = t.skipIn(&t.sub, s.f.op); err != nil {
					err = avrobin.AtField(err, s.f.name)
				}
			}
		default:
			err = t.decodeField(s.f, s.f.op, m)
		}
		if err != nil {
			return err
		}
	}
	if d := &p.missing; d.fields != nil {
		t.sub.Reset(d.value, true)
		if err := m.DecodeAvroFields(d.fields, &t.sub); err != nil {
			return err
		}
	}
	if d := &p.missingBytes; d.fields != nil {
		t.sub.Reset(d.value, false)
		if err := m.DecodeAvroFields(d.fields, &t.sub); err != nil {
			return err
		}
	}
	return nil
}

// decodeField decodes the writer's value of field f, whose plan is p, into
// m's field.
func (t *transcoder) decodeField(f *fieldOp, p *op, m runtime.FieldDecoder) error {
	switch {
	case p.same && !p.widens:
		return m.DecodeAvroFields(f.one, &t.r)
	case p.k == kUnion:
		// The writer's branch decides; its plan writes the reader's
		// encoding of the field, union index and all.
		i, err := t.r.ReadUnion(len(p.branches))
		if err != nil {
			return avrobin.AtField(err, f.name)
		}
		if p.branches[i] == nil {
			return avrobin.AtField(t.r.DecodeInvalid(fmt.Errorf("the writer's union branch %d cannot be read as the type's", i)), f.name)
		}
		return t.decodeField(f, p.branches[i], m)
	case p.k == kEnum:
		return t.decodeEnum(f, p, m)
	case p.k == kToUnion && p.elem.k == kNull:
		// The union index is the whole encoding.
		t.sub.Reset(p.prefix, true)
		return m.DecodeAvroFields(f.one, &t.sub)
	case p.k == kRecord || p.k == kToUnion && p.elem.k == kRecord:
		if rec := m.AvroRecordField(f.reader); rec != nil {
			if p.k == kToUnion {
				p = p.elem
			}
			if err := t.decodeRecord(p, rec); err != nil {
				return avrobin.AtField(err, f.name)
			}
			return nil
		}
	}
	return t.decodeTranscoded(f, p, m)
}

// decodeEnum decodes the writer's symbol of enum field f, whose plan is p,
// as the reader's symbol it maps to.
func (t *transcoder) decodeEnum(f *fieldOp, p *op, m runtime.FieldDecoder) error {
	i, err := t.r.ReadEnum(len(p.enum))
	if err != nil {
		return avrobin.AtField(err, f.name)
	}
	if p.symbols[i] == nil {
		return avrobin.AtField(t.r.DecodeInvalid(fmt.Errorf("the writer's symbol %d is not a symbol of %s, which has no default", i, p.name)), f.name)
	}
	// A varint ends itself: what follows it in the buffer is not read.
	copy(t.symbolBuf[:], p.symbols[i])
	if t.symbol.Rewind(); t.symbol.Remaining() == 0 {
		t.symbol.Reset(t.symbolBuf[:], true) // the transcoder's first
	}
	return m.DecodeAvroFields(f.one, &t.symbol)
}

// decodeTranscoded transcodes the value of field f alone, after the values
// transcoded before it in t.out, and decodes it from there.
func (t *transcoder) decodeTranscoded(f *fieldOp, p *op, m runtime.FieldDecoder) error {
	start := len(t.out)
	if err := t.run(p); err != nil {
		return avrobin.AtField(err, f.name)
	}
	if err := t.grow(); err != nil {
		return avrobin.AtField(err, f.name)
	}
	// A copying Reader: t.out is reused for the next message.
	t.sub.Reset(t.out[start:], false)
	if err := m.DecodeAvroFields(f.one, &t.sub); err != nil {
		return err
	}
	return t.sub.Finish()
}
