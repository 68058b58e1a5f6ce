// Package resolve decodes data written with another version of a generated
// type's schema, applying Avro's schema resolution rules. It is the path
// runtime/serde takes for other writers' data, apart from package runtime
// so that generated code, which imports runtime, does not pull in
// twmb/avro and its dependencies.
//
// Its errors are bare causes, without an "evc:" prefix: callers wrap them
// with the type and schema id they concern (serde's *DecodeError does).
package resolve

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/twmb/avro"

	"github.com/evc-dev/evc/runtime"
	"github.com/evc-dev/evc/runtime/avrobin"
)

// DecodeFrom decodes data, written with writerSchema (Avro JSON), into m,
// resolving the writer's schema against m's own as Avro's schema resolution
// rules say: promotions, writer fields unknown to m skipped, m's fields
// missing from the writer filled from defaults, unknown enum symbols mapped
// to the enum default. It is the path serde takes when a producer is on
// another version of a type.
//
// When the writer's schema has the same Parsing Canonical Form as m's,
// DecodeFrom is m.UnmarshalAvro. Otherwise it runs a plan, built once per
// writer schema and type from the two schemas, with no reflection and no
// generic value per message. For a generated record (a
// runtime.FieldDecoder), the plan walks the writer's fields in the writer's
// order and decodes each into m with m's own field decoder: a field whose
// writer encoding is m's straight from data, a changed nested record field
// by field into the record m holds, a field the writer lacks from its
// default, a writer field m lacks skipped; any other changed field (a
// promotion to float or double, an enum symbol or a union branch to map,
// an array of changed records) is transcoded alone into m's encoding and
// decoded from there. Strings are sliced from one copy of data, as
// UnmarshalAvro slices them; a transcoded field that holds any is
// transcoded ahead, into the end of that copy. A record generated with
// runtime.StepDecoder runs a plan that transcodes nothing itself, in its
// own code (see stepsOf). For any other Message, the plan transcodes the whole
// message into m's encoding and m.UnmarshalAvro decodes the result. Either
// way the transcoded bytes may be at most OutputPerByte times the input
// plus OutputSlack, the bound of the generated decoders' allocations; past
// it DecodeFrom fails with ErrTooLarge.
//
// Whether the schemas resolve at all is twmb/avro's Resolve's verdict, and
// its error when they do not. A compatible pair the plan builder does not
// handle (none in the project's corpus) falls back to twmb/avro's generic
// path: decode with the resolved schema into a generic value, encode that
// with m's schema, decode the result. Resolutions are cached per writer
// schema and type, in a cache of at most CacheSize entries that is safe for
// concurrent use.
func DecodeFrom(writerSchema string, m runtime.Message, data []byte) error {
	t := m.AvroType()
	return decode(resolvers.get(writerSchema, t), t.Name, m, data)
}

// A Decoder decodes data written with one writer schema into messages of
// one type, as DecodeFrom does, without looking the pair's resolution up
// for every message: for callers that know a message's writer before its
// bytes, as serde does from the schema id. A Decoder is safe for
// concurrent use.
type Decoder struct {
	r *resolution
	t *runtime.Type
}

// For returns the Decoder of data written with writerSchema (Avro JSON)
// into messages of type t. The pair's resolution is DecodeFrom's, from the
// same cache; when the schemas do not resolve, Decode returns DecodeFrom's
// error for every message.
func For(writerSchema string, t *runtime.Type) *Decoder {
	return &Decoder{r: resolvers.get(writerSchema, t), t: t}
}

// Decode decodes data into m, a message of d's type, as DecodeFrom does.
func (d *Decoder) Decode(m runtime.Message, data []byte) error {
	if t := m.AvroType(); t != d.t {
		return fmt.Errorf("a %s cannot be decoded by a decoder for %s", t.Name, d.t.Name)
	}
	return decode(d.r, d.t.Name, m, data)
}

// decode decodes data into m, of the type named typ, as its resolution r
// says.
func decode(r *resolution, typ string, m runtime.Message, data []byte) error {
	if r.err != nil {
		return r.err
	}
	if r.same {
		return m.UnmarshalAvro(data)
	}
	if r.plan != nil {
		if sd, ok := m.(runtime.StepDecoder); ok && r.steps != nil && !r.noSteps.Load() {
			return decodeSteps(r, sd, data, typ)
		}
		if fd, ok := m.(runtime.FieldDecoder); ok {
			return decodeDirect(r.plan, fd, data, typ)
		}
		// The transcoder lives on the stack, which spares its many
		// pointer writes the write barrier; its buffers are pooled.
		b := buffers.Get().(*scratch)
		tc := transcoder{out: b.out[:0], spans: b.spans}
		out, err := tc.transcode(r.plan, data)
		if err == nil {
			err = m.UnmarshalAvro(out)
		}
		if cap(out) <= maxPooled {
			b.out, b.spans = out, tc.spans
			buffers.Put(b)
		}
		return err
	}
	return decodeGeneric(r, m, data)
}

// maxPooled is the largest buffer DecodeFrom keeps for the next message.
const maxPooled = 64 << 10

type scratch struct {
	out   []byte
	spans []int
}

var buffers = sync.Pool{New: func() any { return new(scratch) }}

// decodeGeneric is the path of the pairs that have no plan: it decodes data
// into a generic value, encodes that with the reader's schema and decodes
// the result.
func decodeGeneric(r *resolution, m runtime.Message, data []byte) error {
	var v any
	rest, err := r.resolved.Decode(data, &v, avro.TaggedUnions())
	if err != nil {
		return fmt.Errorf("data does not match the writer's schema: %s", strings.TrimPrefix(err.Error(), "avro: "))
	}
	if len(rest) != 0 {
		return fmt.Errorf("%d trailing bytes after the message", len(rest))
	}
	buf, err := r.reader.AppendEncode(nil, v)
	if err != nil {
		return fmt.Errorf("re-encoding with the type's schema: %s", strings.TrimPrefix(err.Error(), "avro: "))
	}
	return m.UnmarshalAvro(buf)
}

// CacheSize bounds how many (writer schema, type) resolutions DecodeFrom
// keeps.
const CacheSize = 256

type resolveKey struct {
	writer string
	reader *runtime.Type
}

type resolution struct {
	same bool
	plan *op // nil: the generic path
	// steps: the plan's, for runtime.StepDecoders; nil for a plan
	// that transcodes, or noSteps once a message has needed one.
	steps   []runtime.Step
	noSteps atomic.Bool
	// top: the root's steps without the skips of its own fields, for a
	// plan whose messages decodeSteps cuts those out of first.
	top []runtime.Step
	// trim: what the steps' messages leave out of their copy, when they
	// skip writer values (runtime.TrimOf).
	trim     avrobin.Trim
	resolved *avro.Schema
	reader   *avro.Schema
	err      error
}

// identityKey names a writer schema by the address of its text: callers of
// DecodeFrom mostly pass the same string for every message of a writer, and
// looking it up by address saves hashing a schema of kilobytes per message.
// The key holds the text's address, so the text stays alive and the
// address cannot name another text.
type identityKey struct {
	p      *byte
	n      int
	reader *runtime.Type
}

type resolveCache struct {
	mu   sync.RWMutex
	m    map[resolveKey]*resolution
	byID sync.Map // identityKey to *resolution, read without locking
	ids  int      // entries in byID, under mu
}

var resolvers = &resolveCache{m: map[resolveKey]*resolution{}}

func (c *resolveCache) get(writer string, t *runtime.Type) *resolution {
	id := identityKey{unsafe.StringData(writer), len(writer), t}
	if r, ok := c.byID.Load(id); ok {
		return r.(*resolution)
	}
	k := resolveKey{writer, t}
	c.mu.RLock()
	r := c.m[k]
	c.mu.RUnlock()
	if r == nil {
		r = resolve(writer, t)
		c.mu.Lock()
		if len(c.m) >= CacheSize {
			// Drop an arbitrary entry: writers are few in practice, and a
			// dropped one only costs a resolution.
			for old := range c.m {
				delete(c.m, old)
				break
			}
		}
		c.m[k] = r
		c.mu.Unlock()
	}
	c.remember(id, r)
	return r
}

// remember files r under its writer text's address, in a map as bounded as
// the cache, which it empties when full.
func (c *resolveCache) remember(id identityKey, r *resolution) {
	c.mu.Lock()
	if c.ids >= CacheSize {
		c.byID.Clear()
		c.ids = 0
	}
	if _, loaded := c.byID.LoadOrStore(id, r); !loaded {
		c.ids++
	}
	c.mu.Unlock()
}

func resolve(writer string, t *runtime.Type) *resolution {
	w, err := avro.Parse(writer)
	if err != nil {
		return &resolution{err: fmt.Errorf("the writer's schema does not parse: %s", strings.TrimPrefix(err.Error(), "avro: "))}
	}
	canonical, schema := t.Canonical(), t.Schema()
	if canonical != "" && string(w.Canonical()) == canonical {
		return &resolution{same: true}
	}
	rd, err := avro.Parse(schema)
	if err != nil {
		return &resolution{err: fmt.Errorf("the type's own schema does not parse: %s", strings.TrimPrefix(err.Error(), "avro: "))}
	}
	if canonical == "" && string(w.Canonical()) == string(rd.Canonical()) {
		return &resolution{same: true}
	}
	// Resolve the schemas without their logical types: resolution looks at
	// the underlying types only (a decimal's scale is the reader's), and the
	// generic value in the middle then holds wire values that re-encode to
	// exactly what the reader's schema says, which the generated decoder
	// turns into times, decimals and UUIDs itself.
	if w, err = parsePlain(writer); err != nil {
		return &resolution{err: fmt.Errorf("the writer's schema does not parse: %s", strings.TrimPrefix(err.Error(), "avro: "))}
	}
	if rd, err = parsePlain(schema); err != nil {
		return &resolution{err: fmt.Errorf("the type's own schema does not parse: %s", strings.TrimPrefix(err.Error(), "avro: "))}
	}
	res, err := avro.Resolve(w, rd)
	if err != nil {
		return &resolution{err: incompatible(err)}
	}
	p, _ := newPlan(w, rd)
	r := &resolution{plan: p, resolved: res, reader: rd}
	if p != nil {
		r.steps = stepsOf(p, t)
		r.top = topStepsOf(p, r.steps)
		if skipsIn(r.steps) {
			r.steps[0].Trim = &r.trim
		}
	}
	return r
}

// incompatible says why the writer's schema does not resolve against the
// type's, in one sentence.
func incompatible(err error) error {
	var ce *avro.CompatibilityError
	if !errors.As(err, &ce) {
		return fmt.Errorf("the type cannot read data written with this schema: %s", strings.TrimPrefix(err.Error(), "avro: "))
	}
	writer := ce.WriterType
	if writer == "" {
		writer = "value"
	}
	return fmt.Errorf("the type cannot read data written with this schema: at %s, the writer's %s cannot be read as %s (%s)",
		ce.Path, writer, ce.ReaderType, ce.Detail)
}

// parsePlain parses schema with every logicalType attribute removed.
func parsePlain(schema string) (*avro.Schema, error) {
	d := json.NewDecoder(strings.NewReader(schema))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	plain, err := json.Marshal(stripLogical(v))
	if err != nil {
		return nil, err
	}
	return avro.Parse(string(plain))
}

func stripLogical(v any) any {
	switch v := v.(type) {
	case map[string]any:
		delete(v, "logicalType")
		for k, x := range v {
			if k != "default" {
				v[k] = stripLogical(x)
			}
		}
	case []any:
		for i, x := range v {
			v[i] = stripLogical(x)
		}
	}
	return v
}
