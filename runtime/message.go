package runtime

import (
	"sync"

	"github.com/evc-dev/evc/runtime/avrobin"
)

// Version is the runtime's contract version. Generated code refers to
// SupportsVersion1 (or a later constant), so code generated for a newer
// contract fails to build against an older runtime instead of misbehaving.
const Version = 1

// SupportsVersion1 exists while the runtime supports code generated for
// contract version 1. Generated files contain
//
//	const _ = runtime.SupportsVersion1
const SupportsVersion1 = true

// Message is implemented by the pointer type of every generated record, so
// that the runtime can register, serialize and deserialize it without
// reflection.
type Message interface {
	Named
	// AppendAvro appends the Avro binary encoding of the message to dst.
	AppendAvro(dst []byte) ([]byte, error)
	// UnmarshalAvro replaces the message with the decoding of data, which
	// must be exactly one message written with the type's own schema.
	UnmarshalAvro(data []byte) error
}

// FieldDecoder is implemented by the pointer type of every generated
// record, beside Message: it decodes the record's fields in any order, with
// the code of its own decoder, so that runtime/resolve can read data
// written with another version of the schema straight into it, field by
// field in the writer's order, instead of rewriting the data first.
type FieldDecoder interface {
	// DecodeAvroFields decodes the fields of the record that fields
	// lists, each an index counting the fields of the record's own schema
	// from 0, from r in that order, as the record's decoder does: one call
	// for a run of fields that the writer wrote as the record's schema
	// does, in whatever order. Code generated with StepDecoder also takes
	// SkipLongField and the other Skip...Field indexes, for a writer's value
	// between them that the record lacks (the error of such a skip names
	// no field), and DefaultField - i for the fields that DefaultSetter
	// lists.
	DecodeAvroFields(fields []int, r *avrobin.Reader) error
	// AvroRecordField returns the record that field i holds, so that a
	// nested record whose schema changed can be decoded field by field
	// too: the field's own record, or for a field of a record or null, a
	// new record that it first stores in the field. It returns nil for a
	// field of any other type (a record bound to a custom Go type too).
	AvroRecordField(i int) FieldDecoder
}

// Named is implemented by the pointer type of every generated named type:
// records, enums and fixed types.
type Named interface {
	// AvroType returns the type's descriptor; it does not read the receiver,
	// so it may be called on a nil pointer.
	AvroType() *Type
}

// Type describes a generated named type. Generated code declares one as a
// package variable per record, enum and fixed type; it must not be modified.
//
// A Type holds only its own definition (Def), with the named types it uses
// left out, so that generated code grows with the schema and not with the
// square of its nesting; Schema and Canonical compose the whole schema on
// first use.
type Type struct {
	// Name is the Avro full name, such as "squarebot.message".
	Name string
	// Aliases are the type's former full names.
	Aliases []string
	// Def is the type's own definition, from which Schema and Canonical
	// are composed.
	Def Def
	// Fingerprint is the 64-bit Rabin fingerprint (CRC-64-AVRO) of
	// Canonical.
	Fingerprint uint64
	// New returns a new, zero message of a record type; it is nil for an
	// enum or fixed type.
	New func() Message
	// Topics are the Kafka topics the IDL declares this type on.
	Topics []TopicRole
	// Event is the type's CloudEvents metadata, or nil.
	Event *Event

	once      sync.Once
	schema    string
	canonical string
}

// Schema returns the type's self-contained Avro schema as compact JSON, with
// docs, defaults and custom properties: what is registered. Every named type
// is defined at its first use and referred to by its full name after that.
func (t *Type) Schema() string {
	t.once.Do(t.compose)
	return t.schema
}

// Canonical returns the schema's Parsing Canonical Form.
func (t *Type) Canonical() string {
	t.once.Do(t.compose)
	return t.canonical
}

// TopicRole says that a type is the key or a value of a topic.
type TopicRole struct {
	Topic string
	// Key is true when the type is the topic's key, false for a value.
	Key bool
}

// Event is the CloudEvents metadata the IDL declares for an event type.
type Event struct {
	// Type is the CloudEvents "type" attribute.
	Type string
	// Source is the CloudEvents "source" attribute, or "".
	Source string
}
