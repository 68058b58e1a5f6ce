package router_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/evc-dev/evc/runtime"
)

// Hand-written message types standing in for generated code. Their "Avro"
// encoding is the raw text; fakeDeserializer frames it as "name|text".

type Msg struct{ Text string }
type Reaction struct{ Emoji string }
type UserKey struct{ ID string }
type ChannelKey struct{ ID string }

var (
	msgType      = &runtime.Type{Name: "test.message", New: func() runtime.Message { return new(Msg) }}
	reactionType = &runtime.Type{Name: "test.reaction", New: func() runtime.Message { return new(Reaction) }}
	userKeyType  = &runtime.Type{Name: "test.user_key", New: func() runtime.Message { return new(UserKey) }}
	chanKeyType  = &runtime.Type{Name: "test.channel_key", New: func() runtime.Message { return new(ChannelKey) }}
)

func (*Msg) AvroType() *runtime.Type                 { return msgType }
func (m *Msg) AppendAvro(dst []byte) ([]byte, error) { return append(dst, m.Text...), nil }
func (m *Msg) UnmarshalAvro(b []byte) error          { m.Text = string(b); return nil }

func (*Reaction) AvroType() *runtime.Type                 { return reactionType }
func (m *Reaction) AppendAvro(dst []byte) ([]byte, error) { return append(dst, m.Emoji...), nil }
func (m *Reaction) UnmarshalAvro(b []byte) error          { m.Emoji = string(b); return nil }

func (*UserKey) AvroType() *runtime.Type                 { return userKeyType }
func (m *UserKey) AppendAvro(dst []byte) ([]byte, error) { return append(dst, m.ID...), nil }
func (m *UserKey) UnmarshalAvro(b []byte) error          { m.ID = string(b); return nil }

func (*ChannelKey) AvroType() *runtime.Type                 { return chanKeyType }
func (m *ChannelKey) AppendAvro(dst []byte) ([]byte, error) { return append(dst, m.ID...), nil }
func (m *ChannelKey) UnmarshalAvro(b []byte) error          { m.ID = string(b); return nil }

// Event is an interface some value types implement.
type Event interface {
	runtime.Message
	Describe() string
}

func (m *Msg) Describe() string      { return "msg " + m.Text }
func (m *Reaction) Describe() string { return "reaction " + m.Emoji }

type fakeDeserializer struct {
	types map[string]*runtime.Type
}

func newFake(types ...*runtime.Type) *fakeDeserializer {
	d := &fakeDeserializer{types: map[string]*runtime.Type{}}
	for _, t := range types {
		d.types[t.Name] = t
	}
	return d
}

var errPoison = errors.New("not a framed message")

func (d *fakeDeserializer) Deserialize(_ context.Context, data []byte) (runtime.Message, error) {
	name, payload, ok := bytes.Cut(data, []byte("|"))
	if !ok {
		return nil, errPoison
	}
	t, ok := d.types[string(name)]
	if !ok {
		return nil, fmt.Errorf("fake: %w", &unknownTypeError{string(name)})
	}
	m := t.New()
	if err := m.UnmarshalAvro(payload); err != nil {
		return nil, err
	}
	return m, nil
}

func enc(m runtime.Message) []byte {
	b, _ := m.AppendAvro([]byte(m.AvroType().Name + "|"))
	return b
}

// unknownTypeError has the method the router's default Options.UnknownType
// looks for.
type unknownTypeError struct{ name string }

func (e *unknownTypeError) Error() string           { return fmt.Sprintf("unknown type %q", e.name) }
func (e *unknownTypeError) UnknownTypeName() string { return e.name }
