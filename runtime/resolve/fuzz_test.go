package resolve

import (
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/twmb/avro"
)

var (
	fuzzOnce  sync.Once
	fuzzPlans []fuzzPair
)

type fuzzPair struct {
	*resolution
	writer string
}

// compatiblePlans returns the resolutions of the corpus's compatible pairs.
func compatiblePlans() []fuzzPair {
	fuzzOnce.Do(func() {
		for _, p := range corpusPairs() {
			if r := resolve(p.writer, readerType(p.reader)); r.err == nil && r.plan != nil {
				fuzzPlans = append(fuzzPlans, fuzzPair{r, p.writer})
			}
		}
	})
	return fuzzPlans
}

// FuzzTranscode feeds random writer bytes to the plans of the corpus's
// compatible pairs: no panic, output within the decode allocation bound,
// and whatever the plan accepts from valid writer data is data in the
// reader's encoding.
func FuzzTranscode(f *testing.F) {
	plans := compatiblePlans()
	rng := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < len(plans); i += 37 {
		w := mustPlain(f, plans[i].writer)
		gen := &generator{rng: rng, names: map[string]*avro.SchemaNode{}}
		root := w.Root()
		collect(root, "", gen.names)
		f.Add(uint16(i), gen.value(nil, root, "", 0))
	}
	f.Add(uint16(0), []byte{0x01, 0x02, 0x80})
	f.Fuzz(func(t *testing.T, i uint16, data []byte) {
		r := plans[int(i)%len(plans)]
		out, err := transcode(r.plan, nil, data)
		if limit := OutputPerByte*len(data) + OutputSlack; len(out) > limit+OutputSlack {
			t.Fatalf("%d bytes of output from %d of input", len(out), len(data))
		}
		if err == nil {
			// Sized blocks are copied unread: what they hide is the
			// reader's decoder's to reject, and invalid writer data too.
			if err := checkReader(r.reader, out); err != nil && validWriterData(r.resolution, data) {
				t.Fatalf("transcoded %x to %x, which the reader's schema rejects: %v", data, out, err)
			}
		}
	})
}

func validWriterData(r *resolution, data []byte) bool {
	_, err := genericBytes(r, data)
	return err == nil
}
