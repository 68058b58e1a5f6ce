package avro

import (
	"math/rand/v2"
	"testing"

	tavro "github.com/twmb/avro"
)

// TestRabinTable builds the table as the specification does and compares
// it with the one written out in rabin.go.
func TestRabinTable(t *testing.T) {
	for i := range 256 {
		fp := uint64(i)
		for range 8 {
			fp = (fp >> 1) ^ (rabinEmpty & -(fp & 1))
		}
		if rabinTable[i] != fp {
			t.Errorf("rabinTable[%d] = %#x, want %#x", i, rabinTable[i], fp)
		}
	}
}

// TestRabin compares the fingerprint with twmb/avro's NewRabin, which evc
// used before, over the empty input, a canonical form and random bytes.
func TestRabin(t *testing.T) {
	inputs := [][]byte{nil, []byte(`"null"`), []byte(`{"name":"a.F","type":"fixed","size":2}`)}
	r := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		b := make([]byte, r.IntN(300))
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		inputs = append(inputs, b)
	}
	for _, in := range inputs {
		h := tavro.NewRabin()
		h.Write(in)
		if got, want := rabin(in), h.Sum64(); got != want {
			t.Errorf("rabin(%q) = %#x, twmb/avro says %#x", in, got, want)
		}
	}
	if got := rabin(nil); got != rabinEmpty {
		t.Errorf("rabin(nil) = %#x, want %#x", got, uint64(rabinEmpty))
	}
}
