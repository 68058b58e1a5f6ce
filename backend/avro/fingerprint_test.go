package avro

import (
	"fmt"
	"math/rand"
	"runtime"
	"strings"
	"testing"

	"github.com/evc-dev/evc/internal/corpus"
	"github.com/evc-dev/evc/internal/schemagen"
	"github.com/evc-dev/evc/ir"
)

// TestCRCShift: the register after A then B is the register after A moved
// by len(B) zero bytes, XOR B's CRC from a zero register, for lengths
// across every power of two up to 2^20.
func TestCRCShift(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for _, n := range []int{0, 1, 2, 3, 7, 8, 9, 63, 64, 65, 1000, 4096, 65537, 1 << 20} {
		a := make([]byte, r.Intn(100))
		b := make([]byte, n)
		r.Read(a)
		r.Read(b)
		want := rabinUpdate(rabinEmpty, string(a)+string(b))
		if got := crcShift(rabinUpdate(rabinEmpty, string(a)), n) ^ rabinUpdate(0, string(b)); got != want {
			t.Errorf("%d bytes after %d: %#x, want %#x", n, len(a), got, want)
		}
	}
}

// shapes returns schemas whose forms nest and share types every way that
// decides whether a part can be reused: a chain, a diamond, two types that
// share a third, self and mutual recursion, and a type reached first
// inside another root's part.
func shapes() map[string]string {
	chain := `{"type":"record","name":"R59","fields":[{"name":"x","type":"string"}]}`
	diamond := `{"type":"record","name":"D59","fields":[{"name":"x","type":"string"}]}`
	for i := 58; i >= 0; i-- {
		chain = fmt.Sprintf(`{"type":"record","name":"R%d","fields":[{"name":"x","type":["null",%s]}]}`, i, chain)
		diamond = fmt.Sprintf(`{"type":"record","name":"D%d","fields":[{"name":"l","type":%s},{"name":"r","type":"D%d"},{"name":"m","type":{"type":"map","values":"D%d"}}]}`, i, diamond, i+1, i+1)
	}
	return map[string]string{
		"chain":   chain,
		"diamond": diamond,
		"shared": `{"type":"record","name":"E","namespace":"s","fields":[` +
			`{"name":"a","type":{"type":"record","name":"A","fields":[{"name":"c","type":{"type":"record","name":"C","namespace":"t","fields":[{"name":"e","type":{"type":"enum","name":"K","symbols":["X","Y"]}}]}}]}},` +
			`{"name":"b","type":{"type":"record","name":"B","fields":[{"name":"c","type":"t.C"},{"name":"f","type":{"type":"fixed","name":"F","size":3}}]}},` +
			`{"name":"k","type":"t.K"},{"name":"b2","type":"B"}]}`,
		"recursive": `{"type":"record","name":"List","fields":[{"name":"next","type":["null","List"]},` +
			`{"name":"tree","type":{"type":"record","name":"Tree","fields":[{"name":"kids","type":{"type":"array","items":"Tree"}},{"name":"list","type":["null","List"]},` +
			`{"name":"leaf","type":{"type":"record","name":"Leaf","fields":[{"name":"up","type":["null","Tree"]},{"name":"s","type":{"type":"enum","name":"S","symbols":["A"]}}]}}]}},` +
			`{"name":"leaf","type":"Leaf"},{"name":"other","type":{"type":"record","name":"Other","fields":[{"name":"s","type":"S"}]}}]}`,
	}
}

// TestFingerprints_AsCanonical: Fingerprints gives every named type the
// fingerprint of the form Canonical writes out whole: for the shapes above,
// every corpus schema and 300 random ones (a third recursive), taking the
// types in the file's order, in the reverse order, and each with a
// Fingerprints of its own, since what a Fingerprints has seen decides which
// parts it reuses.
func TestFingerprints_AsCanonical(t *testing.T) {
	docs := map[string]string{}
	for name, s := range shapes() {
		docs[name] = s
	}
	for _, s := range corpus.Schemas() {
		if !strings.Contains(s.Name, "redemption-reversed") {
			docs[s.Name] = string(s.Data)
		}
	}
	g := schemagen.New(rand.NewSource(7))
	for i := range 300 {
		r := g.Record(0)
		if i%3 == 0 {
			g.Recursive(r)
		}
		docs[fmt.Sprintf("random %d", i)] = r.JSON()
	}
	checked := 0
	for name, doc := range docs {
		f := readAvsc(t, name, []byte(doc))
		if len(f.Types) == 0 {
			continue
		}
		want := map[*ir.Named]uint64{}
		for _, n := range f.Types {
			_, fp, err := Canonical(n)
			if err != nil {
				t.Fatal(err)
			}
			want[n] = fp
		}
		forward, backward := NewFingerprints(), NewFingerprints()
		for i, n := range f.Types {
			m := f.Types[len(f.Types)-1-i]
			for _, c := range []struct {
				how string
				fs  *Fingerprints
				n   *ir.Named
			}{{"in order", forward, n}, {"in reverse", backward, m}, {"alone", NewFingerprints(), n}} {
				got, err := c.fs.Of(c.n)
				if err != nil {
					t.Fatalf("%s: %s: %v", name, c.n.FullName(), err)
				}
				if got != want[c.n] {
					t.Errorf("%s: %s, %s: fingerprint %#x, want %#x", name, c.n.FullName(), c.how, got, want[c.n])
				}
			}
			checked++
		}
	}
	if checked < 1500 {
		t.Errorf("checked %d types; the corpus and the random schemas have more", checked)
	}
}

// TestFingerprints_Linear: the fingerprints of a chain of records nested in
// one another take work (bytes hashed) and memory that grow with the chain,
// not with the whole forms, which grow with its square.
func TestFingerprints_Linear(t *testing.T) {
	measure := func(n int) (hashed int, allocated uint64) {
		types := make([]*ir.Named, n)
		for i := n - 1; i >= 0; i-- {
			x := &ir.Type{Kind: ir.String}
			if i < n-1 {
				x = &ir.Type{Kind: ir.Union, Branches: []*ir.Type{{Kind: ir.Null}, {Kind: ir.Record, Named: types[i+1]}}}
			}
			types[i] = &ir.Named{Kind: ir.Record, Name: fmt.Sprintf("R%d", i), Namespace: "chain", Fields: []*ir.Field{{Name: "x", Type: x}}}
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		fs := NewFingerprints()
		for _, n := range types {
			if _, err := fs.Of(n); err != nil {
				t.Fatal(err)
			}
		}
		runtime.ReadMemStats(&after)
		return fs.hashed, after.TotalAlloc - before.TotalAlloc
	}
	smallHashed, small := measure(500)
	largeHashed, large := measure(1000)
	if float64(largeHashed) > 2.5*float64(smallHashed) || float64(large) > 2.5*float64(small) {
		t.Errorf("fingerprints of a chain of 500: %d bytes hashed, %d allocated; of 1,000: %d and %d; they should grow linearly",
			smallHashed, small, largeHashed, large)
	}
}
