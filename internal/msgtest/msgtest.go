// Package msgtest helps tests write stand-ins for generated message types:
// a runtime.Type built from an Avro schema, and a decoder that insists on
// consuming all of its input, both on top of twmb/avro.
package msgtest

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/twmb/avro"

	"github.com/evc-dev/evc/runtime"
)

// Type describes a hand-written message type whose schema is schemaJSON,
// with its canonical form and fingerprint computed as generated code has
// them. It panics on a schema that does not parse: tests give literals.
func Type(name, schemaJSON string, newFn func() runtime.Message) *runtime.Type {
	s := avro.MustParse(schemaJSON)
	var compact bytes.Buffer
	if err := json.Compact(&compact, []byte(schemaJSON)); err != nil {
		panic(err)
	}
	h := avro.NewRabin()
	h.Write(s.Canonical())
	return &runtime.Type{
		Name:        name,
		Def:         runtime.Def{JSON: []string{compact.String()}, Canonical: []string{string(s.Canonical())}},
		Fingerprint: h.Sum64(),
		New:         newFn,
	}
}

// DecodeExact decodes one value of s from b into v; bytes left over are an
// error, as UnmarshalAvro requires.
func DecodeExact(s *avro.Schema, b []byte, v any) error {
	rest, err := s.Decode(b, v)
	if err != nil {
		return err
	}
	if len(rest) != 0 {
		return fmt.Errorf("%d trailing bytes", len(rest))
	}
	return nil
}
