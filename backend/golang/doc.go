// Package golang is evc's Go backend: it turns the IR into Go packages, one
// per Avro namespace (namespaces whose types refer to each other, directly or
// through others, share the package of the first of them by import path, or
// the one go_package chose, since Go packages cannot import each other),
// with a type per record, enum and fixed, and for every
// record a reflection-free Avro binary codec (AppendAvro, MarshalAvro,
// UnmarshalAvro, UnmarshalAvroAlias) and the runtime.Type descriptor that
// runtime/serde registers.
//
// # Mapping
//
//   - record: a struct with avro:"name" tags; a field whose record type
//     would contain itself is a pointer.
//   - enum: a named int32 type with one constant per symbol, named
//     <Type><Symbol>, with String, MarshalText and UnmarshalText.
//   - fixed: a named [N]byte type.
//   - array, map: []T and map[string]T. Maps are encoded with their keys in
//     sorted order, so the same value always has the same encoding.
//   - T? (a union of null and one other type): *T, or for an array, a map or
//     bytes-decimal the nil slice, map or *big.Rat, which stands for null
//     (a decoded non-null empty array or map is non-nil).
//   - other unions: a sealed interface named <Record><Field> with one struct
//     type per branch, <Union><Branch>{Value T}; the nil interface is null.
//   - logical types: date, timestamp-millis/micros and their local- forms
//     to time.Time (decoded in UTC; a date is encoded from the calendar day
//     and a local timestamp from the wall clock of the time's own location), time-millis/micros to time.Duration, uuid on a
//     string to avrobin.UUID, decimal to *big.Rat (nil encodes as zero; on
//     bytes, the unscaled value takes bitlen(|v|)/8+1 bytes, as
//     python3-avro writes it). A uuid or duration on a fixed keeps the
//     fixed's [N]byte type.
//   - custom domain types bound to a Go type T ("import/path.T"): for a
//     string on the wire, *T must implement encoding.TextUnmarshaler and T
//     encoding.TextMarshaler; for bytes, encoding.BinaryUnmarshaler and
//     encoding.BinaryMarshaler; for any other wire type, T must be
//     convertible to and from the Go type of the wire type (int64 for a
//     long, time.Time for a timestamp), as type T int64 is.
//
// # Decoding
//
// UnmarshalAvro copies its input once and slices every string and bytes
// value from that copy: one allocation for all of them.
// UnmarshalAvroAlias does not copy: strings and bytes alias the input, which
// must stay unmodified while the message is in use. Both reject truncated or
// corrupt input and trailing bytes with an *avrobin.Error that names the
// field. Data written with another version of a schema is read with
// resolve.DecodeFrom (runtime/resolve).
package golang
