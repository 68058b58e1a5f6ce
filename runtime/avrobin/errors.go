package avrobin

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// The causes an *Error wraps; test for them with errors.Is.
var (
	// ErrShortBuffer means the input ended in the middle of a value.
	ErrShortBuffer = errors.New("unexpected end of input")
	// ErrOverflow means a varint is longer than its type allows or its value
	// is out of the type's range.
	ErrOverflow = errors.New("varint overflows")
	// ErrLength means a length prefix is negative or larger than the input
	// that remains.
	ErrLength = errors.New("invalid length")
	// ErrCount means an array or map block count is negative beyond what a
	// long can negate, or claims more items than the remaining input can
	// hold.
	ErrCount = errors.New("invalid block count")
	// ErrEnumIndex means an enum index is out of the enum's range.
	ErrEnumIndex = errors.New("enum index out of range")
	// ErrUnionIndex means a union branch index is out of the union's range.
	ErrUnionIndex = errors.New("union branch index out of range")
	// ErrTrailing means input remains after the message.
	ErrTrailing = errors.New("trailing bytes after the message")
	// ErrDepth means the nesting of recursive records exceeds MaxDepth.
	ErrDepth = errors.New("nesting too deep")
	// ErrInvalid means a value is not valid for its type: a malformed UUID,
	// a decimal that does not fit, a date out of range.
	ErrInvalid = errors.New("invalid value")
)

// Error is a decoding or encoding error, with where it happened.
type Error struct {
	// Op is "decode" or "encode".
	Op string
	// Type is the Avro full name of the message being decoded or encoded,
	// when known.
	Type string
	// Path is the path of the offending field inside the message, such as
	// "items[3].name" or `labels["k"]`; "" for the message itself.
	Path string
	// Offset is the byte offset in the input where decoding failed; -1 when
	// encoding.
	Offset int
	// Err is the cause, usually one of the Err variables of this package.
	Err error
}

// Error renders e as "evc: decode squarebot.message: field channel_id at
// offset 7: unexpected end of input".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("evc: ")
	b.WriteString(e.Op)
	if e.Type != "" {
		b.WriteByte(' ')
		b.WriteString(e.Type)
	}
	if e.Path != "" {
		b.WriteString(": field ")
		b.WriteString(e.Path)
	}
	if e.Offset >= 0 {
		if e.Path == "" {
			b.WriteString(":")
		}
		b.WriteString(" at offset ")
		b.WriteString(strconv.Itoa(e.Offset))
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

func decodeErr(off int, err error) error {
	return &Error{Op: "decode", Offset: off, Err: err}
}

// EncodeError returns an encoding *Error with cause err, which should wrap
// ErrInvalid or come from a user's marshaller.
func EncodeError(err error) error {
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	return &Error{Op: "encode", Offset: -1, Err: err}
}

// Invalidf returns an encoding *Error for a value that has no Avro
// encoding, wrapping ErrInvalid.
func Invalidf(format string, args ...any) error {
	return &Error{Op: "encode", Offset: -1, Err: fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, args...)...)}
}

// DecodeInvalid returns a decoding *Error for a value that was read but is
// not valid for its type, such as a custom type whose UnmarshalText failed.
func (r *Reader) DecodeInvalid(err error) error {
	return decodeErr(r.off, err)
}

func asError(err error, op string) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Op: op, Offset: -1, Err: err}
}

func prefix(e *Error, p string) {
	switch {
	case e.Path == "":
		e.Path = p
	case e.Path[0] == '[':
		e.Path = p + e.Path
	default:
		e.Path = p + "." + e.Path
	}
}

// AtField prefixes the path of err, an *Error (or a plain error, which it
// wraps in one), with a record field's name. Generated code calls it as an
// error travels out of a field.
func AtField(err error, name string) error {
	e := asError(err, "encode")
	prefix(e, name)
	return e
}

// AtIndex prefixes the path of err with an array index.
func AtIndex(err error, i int) error {
	e := asError(err, "encode")
	prefix(e, "["+strconv.Itoa(i)+"]")
	return e
}

// AtKey prefixes the path of err with a map key.
func AtKey(err error, k string) error {
	e := asError(err, "encode")
	prefix(e, "["+strconv.Quote(k)+"]")
	return e
}

// InType records in err, an *Error (or a plain error, which it wraps), the
// full name of the message type being decoded or encoded. A record's
// AppendAvro calls it, so that as an error leaves nested records the
// outermost type's name is what remains.
func InType(err error, typeName string) error {
	e := asError(err, "encode")
	e.Type = typeName
	return e
}
