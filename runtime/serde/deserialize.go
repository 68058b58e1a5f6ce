package serde

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"maps"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/evc-dev/evc/runtime"
	"github.com/twmb/avro"
	"github.com/twmb/franz-go/pkg/sr"
)

var errNilMessage = errors.New("evc: serde: nil message")

// unknownID remembers that the registry did not know an id, so that a
// topic full of corrupt data does not make a registry call per message.
type unknownID struct {
	at  time.Time
	err *UnknownIDError
}

// maxUnknown bounds the unknown-id cache; when it is full, expired entries
// go, and if none has expired, all do.
const maxUnknown = 4096

// budget is a token bucket for lookups that end in "unknown id": a lookup
// waits until a token is there, and an unknown answer spends one.
type budget struct {
	mu     sync.Mutex
	rate   float64 // tokens a second; 0: no bound
	burst  float64
	tokens float64
	last   time.Time
}

func newBudget(rate float64, burst int) *budget {
	return &budget{rate: rate, burst: float64(burst), tokens: float64(burst), last: time.Now()}
}

func (b *budget) refill(now time.Time) {
	b.tokens = min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	b.last = now
}

// wait returns once a token is there, or when ctx ends.
func (b *budget) wait(ctx context.Context, sleep func(context.Context, time.Duration) error) error {
	if b.rate == 0 {
		return nil
	}
	for {
		b.mu.Lock()
		b.refill(time.Now())
		short := 1 - b.tokens
		b.mu.Unlock()
		if short <= 0 {
			return nil
		}
		if err := sleep(ctx, time.Duration(short/b.rate*float64(time.Second))+time.Millisecond); err != nil {
			return err
		}
	}
}

// spend takes a token; the count may go below zero when concurrent lookups
// passed wait together, which makes later ones wait longer.
func (b *budget) spend() {
	if b.rate == 0 {
		return
	}
	b.mu.Lock()
	b.refill(time.Now())
	b.tokens--
	b.mu.Unlock()
}

// writer is a schema fetched by id: the schema some producer wrote with.
type writer struct {
	id     uint32
	schema string
	name   string // full name, or the type of an unnamed schema
	fp     uint64 // CRC-64-AVRO of the Parsing Canonical Form
}

// Deserialize decodes data in the Confluent wire format into a new message
// of the type registered for the writer schema's full name (or an alias of
// it). The writer schema is fetched once per id and cached. Data written
// with the type's own schema is decoded by its generated decoder; data
// written with another version of it goes through a resolve.Decoder, one
// per writer id.
//
// Errors are typed: *ShortDataError, *MagicByteError, *UnknownIDError,
// *UnknownNameError, *SchemaError, *DecodeError, *RegistryError.
func (m *Manager) Deserialize(ctx context.Context, data []byte) (runtime.Message, error) {
	id, payload, err := splitHeader(data)
	if err != nil {
		return nil, err
	}
	b, ok := m.bindings.get(id)
	if !ok {
		if b, err = m.bind(ctx, id); err != nil {
			return nil, err
		}
	}
	msg := b.typ.New()
	if err := b.decode(msg, payload); err != nil {
		return nil, err
	}
	return msg, nil
}

// DeserializeInto decodes data in the Confluent wire format into msg, which
// must be of the type the data was written with (by full name or alias), or
// the error is a *TypeMismatchError. It lets a consumer reuse one message.
func (m *Manager) DeserializeInto(ctx context.Context, data []byte, msg runtime.Message) error {
	if msg == nil {
		return errNilMessage
	}
	id, payload, err := splitHeader(data)
	if err != nil {
		return err
	}
	t := msg.AvroType()
	if b, ok := m.bindings.get(id); ok && b.typ == t {
		return b.decode(msg, payload)
	}
	if t, err = typeOf(msg); err != nil {
		return err
	}
	w, err := m.writer(ctx, id)
	if err != nil {
		return err
	}
	if !nameMatches(w, t) {
		return &TypeMismatchError{ID: int(id), Writer: w.name, Want: t.Name}
	}
	b := newBinding(t, w)
	m.mu.Lock()
	if _, ok := m.bindings.get(id); !ok {
		m.bindings.put(id, b)
	}
	m.mu.Unlock()
	return b.decode(msg, payload)
}

// DeserializeAs decodes data into a new message of type T, such as
// *squarebot.Message, as DeserializeInto does. T may also be an interface
// (runtime.Message itself, or one that some generated types implement):
// then it decodes as Deserialize does and checks that the result is a T.
func DeserializeAs[T runtime.Message](ctx context.Context, m *Manager, data []byte) (T, error) {
	var zero T
	if any(zero) == nil {
		msg, err := m.Deserialize(ctx, data)
		if err != nil {
			return zero, err
		}
		v, ok := msg.(T)
		if !ok {
			id, _, _ := splitHeader(data)
			return zero, &TypeMismatchError{ID: int(id), Writer: msg.AvroType().Name, Want: typeName[T]()}
		}
		return v, nil
	}
	t := zero.AvroType()
	if t == nil || t.New == nil {
		return zero, errors.New("evc: serde: DeserializeAs: type has no descriptor")
	}
	v, ok := t.New().(T)
	if !ok {
		return zero, errors.New("evc: serde: DeserializeAs: the type descriptor's New returns another Go type")
	}
	if err := m.DeserializeInto(ctx, data, v); err != nil {
		return zero, err
	}
	return v, nil
}

func typeName[T any]() string { return reflect.TypeFor[T]().String() }

// splitHeader reads the wire format's header.
func splitHeader(data []byte) (uint32, []byte, error) {
	if len(data) < 5 {
		return 0, nil, &ShortDataError{Len: len(data)}
	}
	if data[0] != 0 {
		return 0, nil, &MagicByteError{Got: data[0]}
	}
	return binary.BigEndian.Uint32(data[1:5]), data[5:], nil
}

func (b *binding) decode(msg runtime.Message, payload []byte) error {
	var err error
	if b.fast {
		err = msg.UnmarshalAvro(payload)
	} else {
		err = b.dec.Decode(msg, payload)
	}
	if err != nil {
		return &DecodeError{ID: int(b.w.id), Type: b.typ.Name, Resolved: !b.fast, Err: err}
	}
	return nil
}

// bind finds the type that data written with schema id decodes into.
func (m *Manager) bind(ctx context.Context, id uint32) (*binding, error) {
	w, err := m.writer(ctx, id)
	if err != nil {
		return nil, err
	}
	t := m.typeFor(w)
	if t == nil {
		return nil, &UnknownNameError{ID: int(id), Name: w.name}
	}
	b := newBinding(t, w)
	m.mu.Lock()
	defer m.mu.Unlock()
	if old, ok := m.bindings.get(id); ok {
		return old, nil
	}
	m.bindings.put(id, b)
	return b, nil
}

// typeFor returns the known type for w's name: a type of that name, else a
// type with that name among its aliases (w is a former version). A type
// named as one of w's own aliases is not a match: as in Avro's schema
// resolution, only the reader's aliases rename. Among several, the one whose
// schema w is wins, then the first known.
func (m *Manager) typeFor(w *writer) *runtime.Type {
	m.mu.RLock()
	defer m.mu.RUnlock()
	cands := append(slices.Clip(m.byName[w.name]), m.byAlias[w.name]...)
	for _, t := range cands {
		if t.Fingerprint == w.fp {
			return t
		}
	}
	if len(cands) > 0 {
		return cands[0]
	}
	return nil
}

func nameMatches(w *writer, t *runtime.Type) bool {
	return w.name == t.Name || slices.Contains(t.Aliases, w.name)
}

// writer returns the schema with id, fetching it once.
func (m *Manager) writer(ctx context.Context, id uint32) (*writer, error) {
	m.mu.RLock()
	w := m.writers[id]
	miss, missed := m.unknown[id]
	m.mu.RUnlock()
	if w != nil {
		return w, nil
	}
	if missed && time.Since(miss.at) < m.cfg.unknownTTL {
		return nil, miss.err
	}
	return m.fetches.do(ctx, id, func() (*writer, error) {
		m.mu.RLock()
		w := m.writers[id]
		m.mu.RUnlock()
		if w != nil {
			return w, nil
		}
		if err := m.unknownBudget.wait(ctx, m.cfg.sleep); err != nil {
			return nil, err
		}
		s, err := m.cl.SchemaByID(ctx, int(id))
		if err != nil {
			re := registryError(m.secrets, "fetch", "", int(id), err)
			if re.Code == sr.ErrSchemaNotFound.Code {
				m.unknownBudget.spend()
				e := &UnknownIDError{ID: int(id), Err: re}
				now := time.Now()
				m.mu.Lock()
				if len(m.unknown) >= maxUnknown {
					maps.DeleteFunc(m.unknown, func(_ uint32, u unknownID) bool { return now.Sub(u.at) >= m.cfg.unknownTTL })
					if len(m.unknown) >= maxUnknown {
						clear(m.unknown)
					}
				}
				m.unknown[id] = unknownID{at: now, err: e}
				m.mu.Unlock()
				return nil, e
			}
			return nil, re
		}
		if s.Type != sr.TypeAvro {
			return nil, &SchemaError{ID: int(id), Reason: "is a " + s.Type.String() + " schema, not Avro"}
		}
		if len(s.References) > 0 {
			return nil, &SchemaError{ID: int(id), Reason: "uses schema references, which evc does not resolve"}
		}
		if w, err = parseWriter(id, s.Schema); err != nil {
			return nil, err
		}
		m.mu.Lock()
		defer m.mu.Unlock()
		if old := m.writers[id]; old != nil {
			return old, nil
		}
		m.writers[id] = w
		return w, nil
	})
}

// parseWriter parses a writer schema and computes its fingerprint and
// names.
func parseWriter(id uint32, text string) (*writer, error) {
	s, err := avro.Parse(text)
	if err != nil {
		return nil, &SchemaError{ID: int(id), Reason: "does not parse", Err: err}
	}
	h := avro.NewRabin()
	h.Write(s.Canonical())
	w := &writer{id: id, schema: text, fp: h.Sum64()}
	w.name = schemaName(text)
	return w, nil
}

// schemaName returns the full name of a schema's top level; for an unnamed
// schema, its type ("string", "array", "union").
func schemaName(text string) string {
	var v any
	if err := json.Unmarshal([]byte(text), &v); err != nil {
		return "?"
	}
	switch v := v.(type) {
	case string:
		return v
	case []any:
		return "union"
	case map[string]any:
		typ, _ := v["type"].(string)
		switch typ {
		case "record", "error", "enum", "fixed":
		case "":
			return "?"
		default:
			return typ
		}
		name, _ := v["name"].(string)
		ns, _ := v["namespace"].(string)
		if strings.Contains(name, ".") || ns == "" {
			return name
		}
		return ns + "." + name
	}
	return "?"
}
