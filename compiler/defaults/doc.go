// Package defaults checks default values against their types and builds the
// typed ir.Value. A default arrives as a Literal, a small JSON-like tree with
// spans: the .avsc reader builds it from JSON, the .evc compiler from IDL
// literals. The rules are the Avro specification's: a union's default
// matches its first branch, bytes and fixed are strings of code points up to
// U+00FF, logical and custom types are checked as their wire types.
package defaults
