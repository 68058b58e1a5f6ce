// Package avro is evc's Avro backend: it writes each named type of a schema
// as a self-contained, pretty-printed .avsc file, and gives the compact
// schema text that generated code embeds and the runtime registers, with its
// Parsing Canonical Form and Rabin fingerprint.
//
// Output is deterministic byte for byte. Keys come in a fixed order: type,
// name, namespace, doc, aliases, the kind's own keys, evc's extension
// attributes, then custom properties in the order they were written. A
// definition carries "namespace" when its namespace differs from the
// enclosing one (always on the top-level type); references to named types
// are always full names. Every named type a schema uses is defined inline at
// its first use.
package avro
