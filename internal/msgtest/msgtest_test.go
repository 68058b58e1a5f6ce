package msgtest

import (
	"strings"
	"testing"

	"github.com/twmb/avro"
)

func TestType_CanonicalAndFingerprint(t *testing.T) {
	const schema = `{"type": "record", "name": "R", "namespace": "n", "doc": "d",
	  "fields": [{"name": "a", "type": "int"}]}`
	typ := Type("n.R", schema, nil)
	if typ.Canonical() != `{"name":"n.R","type":"record","fields":[{"name":"a","type":"int"}]}` {
		t.Errorf("Canonical = %s", typ.Canonical())
	}
	if strings.ContainsAny(typ.Schema(), "\n ") {
		t.Errorf("Schema is not compact: %q", typ.Schema())
	}
	h := avro.NewRabin()
	h.Write([]byte(typ.Canonical()))
	if typ.Fingerprint != h.Sum64() || typ.Fingerprint == 0 {
		t.Errorf("Fingerprint = %x", typ.Fingerprint)
	}
}

func TestDecodeExact_RejectsTrailingBytes(t *testing.T) {
	s := avro.MustParse(`"int"`)
	var v int32
	if err := DecodeExact(s, []byte{0x02}, &v); err != nil || v != 1 {
		t.Fatalf("DecodeExact = %v, %d", err, v)
	}
	if err := DecodeExact(s, []byte{0x02, 0x00}, &v); err == nil {
		t.Fatal("trailing byte accepted")
	}
}
