package serde

import (
	"context"

	"github.com/evc-dev/evc/runtime"
)

// Serialize returns msg in the Confluent wire format: the magic byte 0, the
// schema id of msg's type as four big-endian bytes, and the Avro binary
// encoding. Once the type's id is cached it makes no network call; before,
// it registers the type's schema (or, with AutoRegister(false), looks it
// up).
func (m *Manager) Serialize(ctx context.Context, msg runtime.Message) ([]byte, error) {
	return m.AppendSerialize(ctx, nil, msg)
}

// AppendSerialize appends msg in the Confluent wire format to dst, as
// Serialize does. On error it returns dst unchanged.
func (m *Manager) AppendSerialize(ctx context.Context, dst []byte, msg runtime.Message) ([]byte, error) {
	if msg == nil {
		return dst, errNilMessage
	}
	id, ok := m.typeIDs.get(msg.AvroType())
	if !ok {
		return m.appendSlow(ctx, dst, msg)
	}
	out, err := msg.AppendAvro(append(dst, 0, byte(id>>24), byte(id>>16), byte(id>>8), byte(id)))
	if err != nil {
		return dst, &EncodeError{Type: msg.AvroType().Name, Err: err}
	}
	return out, nil
}

// appendSlow is AppendSerialize for a type whose id is not cached yet.
func (m *Manager) appendSlow(ctx context.Context, dst []byte, msg runtime.Message) ([]byte, error) {
	t, err := typeOf(msg)
	if err != nil {
		return dst, err
	}
	id, err := m.idFor(ctx, t)
	if err != nil {
		return dst, err
	}
	out, err := msg.AppendAvro(append(dst, 0, byte(id>>24), byte(id>>16), byte(id>>8), byte(id)))
	if err != nil {
		return dst, &EncodeError{Type: t.Name, Err: err}
	}
	return out, nil
}
