package golang

import (
	"github.com/evc-dev/evc/backend/avro"
	"github.com/evc-dev/evc/ir"
)

// schemaInfo returns a record's self-contained schema as compact JSON (what
// the Avro backend writes), its Parsing Canonical Form and the Rabin
// fingerprint of that form.
func schemaInfo(n *ir.Named) (schema, canonical string, fp uint64, err error) {
	pcf, fp, err := avro.Canonical(n)
	if err != nil {
		return "", "", 0, err
	}
	return string(avro.SchemaJSON(n, false)), string(pcf), fp, nil
}
