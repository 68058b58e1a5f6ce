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
// slices them; for a plan that transcodes values that hold any, scan
// makes that copy first, with those values transcoded at its end, and for
// one that skips fields of the message's record that may take many bytes
// (a newer writer's), scanTop makes it without them.
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
	t.limit = OutputPerByte*len(data) + OutputSlack
	if p.scan {
		t.scan(p)
	} else if p.scanTop {
		t.scanTop(p)
	}
	err := t.r.Done(t.decodeRecord(p, m), typ)
	if len(t.out) != 0 {
		t.out = t.out[:0]
	}
	if len(t.spans) != 0 {
		t.spans = t.spans[:0]
	}
	// Each slice is cut back in a statement of its own, which writes only
	// its length: a pointer written to the pooled transcoder costs a write
	// barrier while the GC marks. The copy (t.own) stays referenced until
	// the next scan, as the Readers' inputs do.
	if len(t.gaps) != 0 {
		t.gaps = t.gaps[:0]
	}
	if len(t.ahead) != 0 {
		t.ahead = t.ahead[:0]
	}
	t.gap, t.next = 0, 0
	if cap(t.out) <= maxPooled {
		decoders.Put(t)
	}
	return err
}

var decoders = sync.Pool{New: func() any { return new(transcoder) }}

func (t *transcoder) decodeRecord(p *op, m runtime.FieldDecoder) error {
	if !p.recursive {
		// Its nesting is the schema's, as in the generated decoders,
		// which count only recursive records'.
		return t.decodeFields(p, m)
	}
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
		if t.gap < len(t.gaps) && t.gaps[t.gap].end <= t.r.Offset() {
			t.cross()
		}
		var err error
		switch s.do {
		case doSame:
			if s.check != nil && !t.fits(s.check) {
				// Decoded and checked alone, for the error it gives.
				if err = t.decodeWidens(s.f, m); err == nil && len(s.fields) > 1 {
					err = m.DecodeAvroFields(s.fields[1:], &t.r)
				}
				break
			}
			err = m.DecodeAvroFields(s.fields, &t.r)
		case doSkipBytes:
			if err = t.r.SkipBytes(); err != nil {
				err = avrobin.AtField(err, s.f.name)
			}
		case doSkipLong:
			if err = t.r.SkipLong(); err != nil {
				err = avrobin.AtField(err, s.f.name)
			}
		case doSkip:
			if g := t.gap; g < len(t.gaps) && t.gaps[g].start == t.r.Offset() {
				err = t.r.SkipFixed(t.gaps[g].end - t.gaps[g].start) // scanned
			} else if err = t.skip(s.f.skip); err != nil {
				err = avrobin.AtField(err, s.f.name)
			}
		case doEnum:
			err = t.decodeEnum(s.f, s.f.op, m)
		case doWidens:
			err = t.decodeWidens(s.f, m)
		case doRecord:
			if rec := m.AvroRecordField(s.f.reader); rec != nil {
				if err = t.decodeRecord(s.f.op, rec); err != nil {
					err = avrobin.AtField(err, s.f.name)
				}
				break
			}
			err = t.decodeTranscoded(s.f, s.f.op, m)
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

// decodeWidens decodes field f, whose value the reader's decoder reads
// more widely than the writer's type allows, as the reader's, and checks it
// as the writer's.
func (t *transcoder) decodeWidens(f *fieldOp, m runtime.FieldDecoder) error {
	start := t.r.Offset()
	if err := m.DecodeAvroFields(f.one, &t.r); err != nil {
		return err
	}
	t.sub.Reset(t.src[start:t.r.Offset()], true)
	if err := skipIn(&t.sub, f.op, false); err != nil {
		return avrobin.AtField(err, f.name)
	}
	return nil
}

// fits reports whether the value at the input's offset is one that p,
// an int read as a long or an enum with more reader symbols, may take as
// the writer wrote it.
func (t *transcoder) fits(p *op) bool { return t.r.Fits(checkOf(p)) }

// checkOf is avrobin.Reader.Fits's argument for p, an int or an enum.
func checkOf(p *op) int {
	if p.k == kInt {
		return 0
	}
	return len(p.enum)
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
	for t.next < len(t.ahead) && t.ahead[t.next].start < t.r.Offset() {
		t.next++ // transcoded ahead within a value transcoded whole
	}
	if t.next < len(t.ahead) && t.ahead[t.next].start == t.r.Offset() && t.ahead[t.next].op == p {
		a := &t.ahead[t.next]
		t.next++
		if a.copied {
			// Its strings and bytes are sliced from the copy.
			t.sub.Reset(t.own[a.out:a.outEnd], true)
		} else {
			t.sub.Reset(t.out[a.out:a.outEnd], true)
		}
		if err := m.DecodeAvroFields(f.one, &t.sub); err != nil {
			return err
		}
		if err := t.sub.Finish(); err != nil {
			return err
		}
		return t.r.SkipFixed(a.end - a.start)
	}
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

// scan reads the message once before decodeDirect decodes it, for a plan
// that skips writer values that may take many bytes, or transcodes values
// that hold strings or bytes: it notes the parts of the input that the
// reader does not keep, transcodes the changed values ahead, and makes the
// one copy that strings and bytes are sliced from of the input without
// those parts, from the first value that may hold a string, followed by the
// transcoded values that hold any. The copy thus holds what a message
// written with the reader's schema would: no more allocations, and no
// larger, than decoding the reader's own encoding. Invalid input ends the
// scan, and decoding then reports the error as without it.
func (t *transcoder) scan(p *op) {
	t.first = -1
	err := t.scanRecord(p)
	t.rewind()
	if err != nil {
		t.gaps, t.ahead, t.out = t.gaps[:0], t.ahead[:0], t.out[:0]
		return
	}
	t.copyKept(t.first)
}

// rewind makes the transcoder read its input again from the start, as
// decodeDirect does after a scan.
func (t *transcoder) rewind() {
	// A scan slices nothing from the input (it reads strings raw), so
	// the Reader has no copy yet and need not be Reset.
	t.r.Rewind()
}

// scanTop is scan for a plan that only skips writer fields of the
// message's own record that may take many bytes (fields added by a newer
// writer): it reads the message's fields once, as fast as it can, to leave
// those out of the copy.
func (t *transcoder) scanTop(p *op) {
	gaps, first, err := topGaps(&t.r, p, t.gaps)
	t.gaps = gaps
	t.rewind()
	if err != nil {
		t.gaps = t.gaps[:0]
		return
	}
	t.copyKept(first)
}

// topGaps reads the message's own fields of p.top from r, as fast as it
// can, and appends to gaps the parts of the input that hold those the
// type skips. It returns where the first value that may hold a string
// starts, or -1.
func topGaps(r *avrobin.Reader, p *op, gaps []span) (_ []span, first int, err error) {
	first = -1
	for i := range p.top {
		f := &p.top[i]
		start := r.Offset()
		switch {
		case f.k == kBytes && (!f.keep || first >= 0):
			err = r.SkipBytes()
		case f.k == kBytes:
			var b []byte
			b, err = r.ReadRaw()
			first = r.Offset() - len(b)
		case f.k == kLong:
			err = r.SkipLong()
		case f.k == kEnum:
			_, err = r.ReadEnum(int(f.symbols))
		default:
			if f.keep && first < 0 && f.bytes {
				first = start
			}
			// A kept value is read whole, as decoding it will be.
			err = r.Skip(f.w.st, f.keep)
		}
		if err != nil {
			return gaps, first, err
		}
		if !f.keep {
			gaps = append(gaps, span{start, r.Offset()})
		}
	}
	return gaps, first, nil
}

// copyKept makes the copy that strings and bytes are sliced from: the
// input from first (none if first is -1) without the gaps, followed by
// the values transcoded ahead that hold strings or bytes.
func (t *transcoder) copyKept(first int) {
	if first < 0 {
		first = len(t.src)
	}
	// Leave out the gaps before the first string, which nothing is
	// sliced from.
	d := 0
	for d < len(t.gaps) && t.gaps[d].start < first {
		d++
	}
	if d > 0 {
		t.gaps = t.gaps[:copy(t.gaps, t.gaps[d:])]
	}
	n := keptLen(t.src, first, t.gaps)
	for _, a := range t.ahead {
		if a.copied {
			n += a.outEnd - a.out
		}
	}
	own := appendKept(make([]byte, 0, n), t.src, first, t.gaps)
	for i := range t.ahead {
		if a := &t.ahead[i]; a.copied {
			k := len(own)
			own = append(own, t.out[a.out:a.outEnd]...)
			a.out, a.outEnd = k, len(own)
		}
	}
	t.own, t.base = own, first
	t.r.UseCopy(own, first)
}

// keptLen is the length of src from first on without gaps, which lie in
// order at or after first.
func keptLen(src []byte, first int, gaps []span) int {
	n := len(src) - first
	for _, g := range gaps {
		n -= g.end - g.start
	}
	return n
}

// appendKept appends src from first on without gaps, which lie in order at
// or after first, to dst.
func appendKept(dst, src []byte, first int, gaps []span) []byte {
	at := first
	for _, g := range gaps {
		dst = append(dst, src[at:g.start]...)
		at = g.end
	}
	return append(dst, src[at:]...)
}

// cross moves the copy's base past the gaps that the input's offset has
// passed.
func (t *transcoder) cross() {
	for t.gap < len(t.gaps) && t.gaps[t.gap].end <= t.r.Offset() {
		t.base += t.gaps[t.gap].end - t.gaps[t.gap].start
		t.gap++
	}
	t.r.Rebase(t.base)
}

// scanRecord reads record p as decodeFields decodes it, noting what scan
// needs.
func (t *transcoder) scanRecord(p *op) error {
	if err := t.r.Enter(); err != nil {
		return err
	}
	err := t.scanFields(p)
	t.r.Leave()
	return err
}

func (t *transcoder) scanFields(p *op) error {
	r := &t.r
	for i := range p.steps {
		switch s := &p.steps[i]; s.how {
		case howSame:
			for _, o := range s.ops {
				if err := t.scanSame(o); err != nil {
					return err
				}
			}
		case howSkip:
			start := r.Offset()
			if err := t.skip(s.f.skip); err != nil {
				return err
			}
			t.gaps = append(t.gaps, span{start, r.Offset()})
		case howEnum:
			if err := t.pass(s.f.op); err != nil {
				return err
			}
		case howWidens:
			if err := t.scanSame(s.f.op); err != nil {
				return err
			}
		default:
			if err := t.scanValue(s.f.op); err != nil {
				return err
			}
		}
	}
	return nil
}

// scanSame reads a value that is decoded straight from the input, noting
// where the first string may start.
func (t *transcoder) scanSame(p *op) error {
	if t.first < 0 && p.bytes {
		if p.k == kBytes {
			b, err := t.r.ReadRaw()
			t.first = t.r.Offset() - len(b)
			return err
		}
		t.first = t.r.Offset()
	}
	return t.pass(p)
}

// scanValue reads a changed value as decodeField decodes it.
func (t *transcoder) scanValue(p *op) error {
	r := &t.r
	switch {
	case p.same && !p.widens:
		return t.scanSame(p)
	case p.k == kUnion:
		i, err := r.ReadUnion(len(p.branches))
		if err != nil {
			return err
		}
		if p.branches[i] == nil {
			return errUnsupported
		}
		return t.scanValue(p.branches[i])
	case p.k == kEnum:
		_, err := r.ReadEnum(len(p.enum))
		return err
	case p.k == kToUnion && p.elem.k == kNull:
		return nil
	case p.k == kRecord:
		return t.scanRecord(p)
	case p.k == kToUnion && p.elem.k == kRecord:
		return t.scanRecord(p.elem)
	}
	start, out := r.Offset(), len(t.out)
	if err := t.run(p); err != nil {
		return err
	}
	if err := t.grow(); err != nil {
		return err
	}
	t.ahead = append(t.ahead, transcoded{op: p, span: span{start, r.Offset()}, out: out, outEnd: len(t.out), copied: p.bytes})
	if p.bytes {
		t.gaps = append(t.gaps, span{start, r.Offset()})
	}
	return nil
}
