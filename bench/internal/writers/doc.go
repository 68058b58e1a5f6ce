// Package writers holds the Go bindings that evc generates for the
// examples' message types as the versions before and after them write
// them (internal/evolved's schemas, in the .avsc files here): the
// same-version decode of an evolved message, beside the resolving decode
// into the examples' own types, in BenchmarkSquarebot and BenchmarkOpenedx.
//
// TestWriters_Fresh fails when they are stale; EVC_UPDATE=1 rewrites them,
// and so does go run ./internal/writers/regen (from bench/), which builds
// when the stale bindings do not.
package writers
