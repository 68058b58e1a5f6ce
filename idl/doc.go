// Package idl is the syntax of the evc language: its lexer, its grammar
// (participle structs that double as the AST, every node with positions),
// Parse, and the canonical formatter. It knows nothing of meaning: names are
// resolved and types checked by package compiler.
//
// The language is documented in docs/language.md.
package idl
