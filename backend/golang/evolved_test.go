package golang

import (
	mrand "math/rand"
	"strconv"
	"testing"

	"github.com/twmb/avro"

	"github.com/evc-dev/evc/internal/schemagen"
	"github.com/evc-dev/evc/internal/testknob"
)

// TestGenerate_RandomEvolutions generates Go for the readers of random
// compatible pairs from internal/schemagen (compat's and runtime/resolve's
// generator: random records, a third of them recursive, each evolved by
// one to three random changes, in both directions), and has the harness
// decode ten random writer values of each with resolve.DecodeFrom, field
// by field and transcoded whole, to the value twmb/avro's resolution reads.
// runtime/resolve's random differential runs such pairs through the plans
// alone; here the plans drive generated field decoders, whose copy of the
// input (with skipped fields left out, values rewritten ahead) they must
// slice strings from correctly.
//
// EVC_EVOLUTION_PAIRS and EVC_EVOLUTION_SEED run more pairs, or others.
func TestGenerate_RandomEvolutions(t *testing.T) {
	pairs := testknob.Int(t, "EVC_EVOLUTION_PAIRS", 120)
	h := newHarness(t)
	g := schemagen.New(mrand.NewSource(testknob.Int(t, "EVC_EVOLUTION_SEED", 20261201)))
	var names []string
	for i := 0; len(names) < int(pairs); i++ {
		v1 := g.Record(0)
		if i%3 == 2 {
			g.Recursive(v1)
		}
		v2 := g.Evolve(v1)
		for _, d := range []struct{ dir, writer, reader string }{
			{"backward", v1.JSON(), v2.JSON()}, {"forward", v2.JSON(), v1.JSON()},
		} {
			w, err1 := avro.Parse(d.writer)
			r, err2 := avro.Parse(d.reader)
			if err1 != nil || err2 != nil {
				t.Fatalf("evolution %d: the generator's schemas do not parse: %v, %v", i, err1, err2)
			}
			if _, err := avro.Resolve(w, r); err != nil {
				continue // not compatible
			}
			s, root, err := readAvsc("reader.avsc", []byte(d.reader))
			if err != nil {
				t.Fatalf("evolution %d %s: the compiler refuses the reader: %v\n%s", i, d.dir, err, d.reader)
			}
			id, err := h.add(s, root)
			if err != nil {
				t.Fatalf("evolution %d %s: %v", i, d.dir, err)
			}
			name := "evolution " + strconv.Itoa(i) + " " + d.dir
			names = append(names, name)
			h.cases = append(h.cases, harnessCase{kind: "resolve", name: name, writer: d.writer, reader: d.reader, goType: id})
		}
	}
	results := h.run()
	failed := 0
	for _, n := range names {
		r, ok := results[n]
		switch {
		case !ok:
			t.Errorf("%s: no result", n)
		case r.Status != "ok":
			if failed++; failed <= 10 {
				t.Errorf("%s: %s: %s", n, r.Status, r.Detail)
			}
		}
	}
	t.Logf("%d compatible random pairs, %d failed", len(names), failed)
}
