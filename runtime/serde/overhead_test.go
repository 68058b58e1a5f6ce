package serde_test

import (
	"context"
	"errors"
	"testing"

	"github.com/evc-dev/evc/runtime"
)

// tiny is a message whose codec costs next to nothing, to measure what the
// wire format adds.
type tiny struct{ b byte }

var tinyType = mkType("evc.test.Tiny", `{"type":"record","name":"Tiny","namespace":"evc.test","fields":[{"name":"b","type":"int"}]}`, nil, func() runtime.Message { return new(tiny) })

func (*tiny) AvroType() *runtime.Type                 { return tinyType }
func (m *tiny) AppendAvro(dst []byte) ([]byte, error) { return append(dst, m.b), nil }
func (m *tiny) UnmarshalAvro(b []byte) error {
	if len(b) != 1 {
		return errShort
	}
	m.b = b[0]
	return nil
}

var errShort = errors.New("short")

func BenchmarkOverhead(b *testing.B) {
	reg := newRegistry(b)
	m := newManager(b, reg.URL())
	ctx := context.Background()
	msg := &tiny{b: 2}
	// Several types, as in a real service.
	if err := m.Register(ctx, (*UserV1)(nil), (*Order)(nil), (*OrderKey)(nil), (*Person)(nil), msg); err != nil {
		b.Fatal(err)
	}
	data, _ := m.Serialize(ctx, msg)
	buf := make([]byte, 0, 64)
	b.Run("serialize", func(b *testing.B) {
		for b.Loop() {
			buf, _ = m.AppendSerialize(ctx, buf[:0], msg)
		}
	})
	b.Run("deserialize-into", func(b *testing.B) {
		for b.Loop() {
			if err := m.DeserializeInto(ctx, data, msg); err != nil {
				b.Fatal(err)
			}
		}
	})
}
