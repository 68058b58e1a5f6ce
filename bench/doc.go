// Package bench compares evc's generated Avro codecs with hamba/avro and
// twmb/avro on the examples' types. It is a module of its own so that the
// libraries it measures against never enter evc's go.mod.
//
// Run it with
//
//	go test -run '^$' -bench . -benchmem -count 5
package bench
