// Package bench compares evc's generated Avro codecs with hamba/avro and
// twmb/avro on the examples' types, and its resolving decoders also with
// gogen-avro's VM (internal/gogen). It is a module of its own so that the
// libraries it measures against never enter evc's go.mod.
//
// Run it with
//
//	go test -run '^$' -bench . -benchmem -count 5
package bench
