// Package avsc reads Avro JSON schema files (.avsc) into evc's IR.
//
// It has its own small JSON parser, which keeps the position of every value
// and object key, the order of object keys and the exact text of numbers, so
// that every problem is reported where it is written and a long default
// beyond 2^53 survives. Read reports all problems of a file in one run: bad
// JSON, unknown and duplicate names, invalid names, bad defaults, missing
// keys. It follows the Avro 1.11/1.12 specification, reads evc's own
// extension attributes (x-evc-symbol-docs, x-evc-reserved, x-evc-event,
// deprecated) into the IR, and keeps every other custom attribute as a prop.
package avsc
