// Package evcsrc writes evc source: it turns the IR of a schema, typically
// one read from an .avsc file, into an .evc file that compiles back to the
// same Avro schema. evc import uses it.
//
// The file's namespace is that of the top-level type. A named type in
// another namespace is declared with @namespace and referenced by its full
// name; a type whose name another type of the file or a built-in type
// already takes gets a distinct identifier and keeps its Avro name through
// @name. Docs become /// comments; defaults, aliases, sort orders,
// deprecation, evc's extension attributes and custom properties become
// literals and annotations. The result is in the canonical layout of
// idl.Format.
package evcsrc
