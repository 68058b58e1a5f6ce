package runtime

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/twmb/avro"
)

// DecodeFrom decodes data, written with writerSchema (Avro JSON), into m,
// resolving the writer's schema against m's own as Avro's schema resolution
// rules say: promotions, writer fields unknown to m skipped, m's fields
// missing from the writer filled from defaults, unknown enum symbols mapped
// to the enum default. It is the slow path that serde takes when a producer
// is on another version of a type.
//
// When the writer's schema has the same Parsing Canonical Form as m's,
// DecodeFrom is m.UnmarshalAvro. Otherwise it decodes data with the
// resolved schema (twmb/avro's Resolve) into a generic value, encodes that
// with m's schema and decodes the result with m.UnmarshalAvro. The resolved
// schemas are cached per writer schema and type, in a cache of at most
// ResolveCacheSize entries that is safe for concurrent use.
func DecodeFrom(writerSchema string, m Message, data []byte) error {
	t := m.AvroType()
	r := resolvers.get(writerSchema, t)
	if r.err != nil {
		return r.err
	}
	if r.same {
		return m.UnmarshalAvro(data)
	}
	var v any
	rest, err := r.resolved.Decode(data, &v, avro.TaggedUnions())
	if err != nil {
		return fmt.Errorf("evc: decode %s from its writer's schema: %w", t.Name, err)
	}
	if len(rest) != 0 {
		return fmt.Errorf("evc: decode %s from its writer's schema: %d trailing bytes after the message", t.Name, len(rest))
	}
	buf, err := r.reader.AppendEncode(nil, v)
	if err != nil {
		return fmt.Errorf("evc: decode %s from its writer's schema: re-encoding: %w", t.Name, err)
	}
	return m.UnmarshalAvro(buf)
}

// ResolveCacheSize bounds how many (writer schema, type) resolutions
// DecodeFrom keeps.
const ResolveCacheSize = 256

type resolveKey struct {
	writer string
	reader *Type
}

type resolution struct {
	same     bool
	resolved *avro.Schema
	reader   *avro.Schema
	err      error
}

type resolveCache struct {
	mu sync.RWMutex
	m  map[resolveKey]*resolution
}

var resolvers = &resolveCache{m: map[resolveKey]*resolution{}}

func (c *resolveCache) get(writer string, t *Type) *resolution {
	k := resolveKey{writer, t}
	c.mu.RLock()
	r := c.m[k]
	c.mu.RUnlock()
	if r != nil {
		return r
	}
	r = resolve(writer, t)
	c.mu.Lock()
	if len(c.m) >= ResolveCacheSize {
		// Drop an arbitrary entry: writers are few in practice, and a
		// dropped one only costs a resolution.
		for old := range c.m {
			delete(c.m, old)
			break
		}
	}
	c.m[k] = r
	c.mu.Unlock()
	return r
}

func resolve(writer string, t *Type) *resolution {
	w, err := avro.Parse(writer)
	if err != nil {
		return &resolution{err: fmt.Errorf("evc: writer schema for %s: %w", t.Name, err)}
	}
	if t.Canonical != "" && string(w.Canonical()) == t.Canonical {
		return &resolution{same: true}
	}
	rd, err := avro.Parse(t.Schema)
	if err != nil {
		return &resolution{err: fmt.Errorf("evc: schema of %s: %w", t.Name, err)}
	}
	if t.Canonical == "" && string(w.Canonical()) == string(rd.Canonical()) {
		return &resolution{same: true}
	}
	// Resolve the schemas without their logical types: resolution looks at
	// the underlying types only (a decimal's scale is the reader's), and the
	// generic value in the middle then holds wire values that re-encode to
	// exactly what the reader's schema says, which the generated decoder
	// turns into times, decimals and UUIDs itself.
	if w, err = parsePlain(writer); err != nil {
		return &resolution{err: fmt.Errorf("evc: writer schema for %s: %w", t.Name, err)}
	}
	if rd, err = parsePlain(t.Schema); err != nil {
		return &resolution{err: fmt.Errorf("evc: schema of %s: %w", t.Name, err)}
	}
	res, err := avro.Resolve(w, rd)
	if err != nil {
		return &resolution{err: fmt.Errorf("evc: %s cannot read data written with this schema: %w", t.Name, err)}
	}
	return &resolution{resolved: res, reader: rd}
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
