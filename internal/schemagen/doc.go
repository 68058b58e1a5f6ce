// Package schemagen generates random Avro record schemas and random
// evolutions of them, for the tests that hold evc to Apache Avro: the
// compatibility differential against python3-avro and twmb/avro (package
// compat), and the resolving decoders' differential (runtime/resolve).
// Every schema it writes is valid; the evolutions are compatible or not
// at random, recursive types in every shape included.
package schemagen
