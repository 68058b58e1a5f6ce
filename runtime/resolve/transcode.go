package resolve

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/evc-dev/evc/runtime/avrobin"
)

// Bounds of the transcoded output, the project's decode allocation bound:
// a message of n bytes may grow to at most OutputPerByte*n + OutputSlack
// bytes (reader defaults filled in for every record of a long array of
// empty writer records grow it most), beyond which DecodeFrom fails.
const (
	OutputPerByte = 256
	OutputSlack   = 256 << 10
)

// ErrTooLarge means the data, transcoded to the type's schema, would exceed
// the decode allocation bound.
var ErrTooLarge = errors.New("the data resolved to the type's schema would exceed the decode allocation bound")

// transcoder runs a plan over one message.
type transcoder struct {
	r avrobin.Reader
	// sub reads what decodeDirect decodes from elsewhere than the input:
	// a reader default, a field transcoded alone.
	sub avrobin.Reader
	// symbol reads the reader's index of a remapped enum symbol from
	// symbolBuf, which it aliases from its first use on: each symbol is
	// copied in and read with Rewind, so that no pointer is written per
	// value (a write barrier while the garbage collector marks).
	symbol    avrobin.Reader
	symbolBuf [binary.MaxVarintLen32]byte
	src       []byte
	out       []byte
	limit     int
	spans     []int // field spans of the unordered records being reordered
	// What scan found, for decodeDirect: the copy, the parts of the
	// input that it leaves out, in order, the next to cross, and the
	// copy's base after the last crossed; the values transcoded ahead,
	// and the next; where the first string may start.
	own   []byte
	gaps  []span
	gap   int
	base  int
	ahead []transcoded
	next  int
	first int
}

// span is a part of the input, from start to end.
type span struct{ start, end int }

// transcoded is a value that scan transcoded ahead: its plan, its part of
// the input, and its transcoding, from out to outEnd in t.out or, for one
// that holds strings or bytes (copied), in the copy.
type transcoded struct {
	op *op
	span
	out, outEnd int
	copied      bool
}

var keyOp = &op{k: kBytes, min: 1}

// transcode appends data, written with the plan's writer schema, to dst in
// the encoding of its reader schema.
func transcode(p *op, dst, data []byte) ([]byte, error) {
	t := transcoder{out: dst}
	return t.transcode(p, data)
}

// transcode appends data to t.out, reusing t's buffers.
func (t *transcoder) transcode(p *op, data []byte) ([]byte, error) {
	t.r, t.src = avrobin.NewAliasReader(data), data
	t.limit = len(t.out) + OutputPerByte*len(data) + OutputSlack
	t.spans = t.spans[:0]
	if err := t.run(p); err != nil {
		return t.out, err
	}
	return t.out, t.r.Finish()
}

func (t *transcoder) grow() error {
	if len(t.out) > t.limit {
		return t.r.DecodeInvalid(fmt.Errorf("%w (%d bytes)", ErrTooLarge, t.limit))
	}
	return nil
}

func (t *transcoder) run(p *op) error {
	r := &t.r
	if p.same && p.k >= kFixed {
		start := r.Offset()
		if err := t.pass(p); err != nil {
			return err
		}
		t.out = append(t.out, t.src[start:r.Offset()]...)
		return t.grow()
	}
	switch p.k {
	case kNull:
		return nil
	case kBool:
		b, err := r.ReadFixed(1)
		if err != nil {
			return err
		}
		if b[0] > 1 {
			return r.DecodeInvalid(fmt.Errorf("boolean byte %d", b[0]))
		}
		t.out = append(t.out, b[0])
	case kInt:
		v, err := r.ReadInt()
		if err != nil {
			return err
		}
		t.out = avrobin.AppendInt(t.out, v)
	case kLong:
		v, err := r.ReadLong()
		if err != nil {
			return err
		}
		t.out = avrobin.AppendLong(t.out, v)
	case kIntFloat:
		v, err := r.ReadInt()
		if err != nil {
			return err
		}
		t.out = avrobin.AppendFloat(t.out, float32(v))
	case kLongFloat:
		v, err := r.ReadLong()
		if err != nil {
			return err
		}
		t.out = avrobin.AppendFloat(t.out, float32(v))
	case kIntDouble:
		v, err := r.ReadInt()
		if err != nil {
			return err
		}
		t.out = avrobin.AppendDouble(t.out, float64(v))
	case kLongDouble:
		v, err := r.ReadLong()
		if err != nil {
			return err
		}
		t.out = avrobin.AppendDouble(t.out, float64(v))
	case kFloat:
		b, err := r.ReadFixed(4)
		if err != nil {
			return err
		}
		t.out = append(t.out, b...)
	case kFloatDouble:
		v, err := r.ReadFloat()
		if err != nil {
			return err
		}
		t.out = avrobin.AppendDouble(t.out, float64(v))
	case kDouble:
		b, err := r.ReadFixed(8)
		if err != nil {
			return err
		}
		t.out = append(t.out, b...)
	case kBytes:
		b, err := r.ReadRaw()
		if err != nil {
			return err
		}
		t.out = avrobin.AppendBytes(t.out, b)
	case kFixed:
		b, err := r.ReadFixed(p.size)
		if err != nil {
			return err
		}
		t.out = append(t.out, b...)
	case kEnum:
		i, err := r.ReadEnum(len(p.enum))
		if err != nil {
			return err
		}
		if p.enum[i] < 0 {
			return r.DecodeInvalid(fmt.Errorf("the writer's symbol %d is not a symbol of %s, which has no default", i, p.name))
		}
		t.out = avrobin.AppendInt(t.out, p.enum[i])
	case kUnion:
		i, err := r.ReadUnion(len(p.branches))
		if err != nil {
			return err
		}
		if p.branches[i] == nil {
			return r.DecodeInvalid(fmt.Errorf("the writer's union branch %d cannot be read as the type's", i))
		}
		return t.run(p.branches[i])
	case kToUnion:
		t.out = append(t.out, p.prefix...)
		return t.run(p.elem)
	case kArray, kMap:
		return t.blocks(p)
	case kRecord:
		return t.record(p)
	}
	return nil
}

func (t *transcoder) blocks(p *op) error {
	r := &t.r
	min := p.elem.min
	if p.k == kMap {
		min++
	}
	for {
		n, err := r.ReadBlockCount(min)
		if err != nil {
			return err
		}
		if n == 0 {
			t.out = append(t.out, 0)
			return nil
		}
		t.out = avrobin.AppendLong(t.out, int64(n))
		for range n {
			if p.k == kMap {
				if err := t.run(keyOp); err != nil {
					return err
				}
			}
			if err := t.run(p.elem); err != nil {
				return err
			}
			if err := t.grow(); err != nil {
				return err
			}
		}
	}
}

func (t *transcoder) record(p *op) error {
	r := &t.r
	if err := r.Enter(); err != nil {
		return err
	}
	err := t.fields(p)
	r.Leave()
	return err
}

func (t *transcoder) fields(p *op) error {
	r := &t.r
	if p.ordered {
		// Runs of fields whose encoding is the reader's are copied whole.
		run := -1
		for i := range p.fields {
			f := &p.fields[i]
			if f.op != nil && f.op.same && len(f.pre) == 0 {
				if run < 0 {
					run = r.Offset()
				}
				if err := t.pass(f.op); err != nil {
					return avrobin.AtField(err, f.name)
				}
				continue
			}
			if run >= 0 {
				t.out = append(t.out, t.src[run:r.Offset()]...)
				run = -1
			}
			if f.op == nil {
				if err := t.skip(f.skip); err != nil {
					return avrobin.AtField(err, f.name)
				}
				continue
			}
			t.out = append(t.out, f.pre...)
			if err := t.run(f.op); err != nil {
				return avrobin.AtField(err, f.name)
			}
		}
		if run >= 0 {
			t.out = append(t.out, t.src[run:r.Offset()]...)
		}
		t.out = append(t.out, p.tail...)
		return t.grow()
	}
	// Transcode the fields in writer order, then append them in reader
	// order and move the result down over the writer-ordered bytes.
	start, base := len(t.out), len(t.spans)
	n := len(p.defaults)
	for range n {
		t.spans = append(t.spans, -1, -1)
	}
	for i := range p.fields {
		f := &p.fields[i]
		if f.op == nil {
			if err := t.skip(f.skip); err != nil {
				return avrobin.AtField(err, f.name)
			}
			continue
		}
		from := len(t.out)
		if err := t.run(f.op); err != nil {
			return avrobin.AtField(err, f.name)
		}
		t.spans[base+2*f.reader], t.spans[base+2*f.reader+1] = from, len(t.out)
	}
	mid := len(t.out)
	for i := range n {
		if d := p.defaults[i]; d != nil {
			t.out = append(t.out, d...)
			continue
		}
		t.out = append(t.out, t.out[t.spans[base+2*i]:t.spans[base+2*i+1]]...)
	}
	t.out = t.out[:start+copy(t.out[start:], t.out[mid:])]
	t.spans = t.spans[:base]
	return t.grow()
}

// skip reads past a writer value that the reader does not keep, of p's
// writer type (p is the plan of the type to itself, or one whose writer
// encoding is the reader's), in time linear in the bytes skipped. Like
// Avro's (and twmb/avro's) skipping, it skips a block of items whose size
// in bytes is given whole.
func (t *transcoder) skip(p *op) error { return skipIn(&t.r, p, true) }

// pass is skip for a value that is kept, copied or checked: it reads the
// items of every block, as decoding them does, whatever size a block says
// it has.
func (t *transcoder) pass(p *op) error { return skipIn(&t.r, p, false) }

// skipIn is skip in r, or pass without sized.
func skipIn(r *avrobin.Reader, p *op, sized bool) error { return r.Skip(p.st, !sized) }
