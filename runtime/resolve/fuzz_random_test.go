package resolve

import (
	"errors"
	"math"
	mrand "math/rand"
	"math/rand/v2"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/twmb/avro"

	"github.com/evc-dev/evc/internal/schemagen"
	"github.com/evc-dev/evc/runtime/avrobin"
)

type randomPair struct {
	r      *resolution
	writer string
	plain  *avro.Schema // the writer's schema without logical types
}

// fuzzPairs is how many random pairs the fuzzer draws from, each resolved
// once and kept: resolving a pair costs milliseconds, a thousand times
// what transcoding a message does.
const fuzzPairs = 1024

var randomPlans sync.Map

// randomCompatible returns the first compatible (writer, reader) pair with
// a plan among the evolutions that internal/schemagen makes from seed (a
// third of them recursive), or nil.
func randomCompatible(seed uint64) (*resolution, string) {
	p := randomPairOf(seed)
	return p.r, p.writer
}

func randomPairOf(seed uint64) randomPair {
	if p, ok := randomPlans.Load(seed); ok {
		return p.(randomPair)
	}
	var p randomPair
	if p.r, p.writer = findCompatible(seed); p.r != nil {
		p.plain, _ = parsePlain(p.writer)
	}
	randomPlans.Store(seed, p)
	return p
}

func findCompatible(seed uint64) (*resolution, string) {
	g := schemagen.New(mrand.NewSource(int64(seed)))
	for i := range 10 {
		v1 := g.Record(0)
		if (seed+uint64(i))%3 == 0 {
			g.Recursive(v1)
		}
		v2 := g.Evolve(v1)
		old, new := v1.JSON(), v2.JSON()
		if seed&1 == 1 {
			old, new = new, old
		}
		for _, p := range [][2]string{{old, new}, {new, old}} {
			if r := resolve(p[0], readerType(p[1])); r.err == nil && r.plan != nil {
				return r, p[0]
			}
		}
	}
	return nil, ""
}

// FuzzTranscodeRandom picks a random compatible pair from the generator of
// the random differential (the fuzzer's seed) and feeds the plan random
// writer bytes: it never panics, stays within the decode allocation bound,
// and wherever the bytes are valid data of the writer's schema it reads
// what twmb/avro's generic resolution reads.
func FuzzTranscodeRandom(f *testing.F) {
	rng := rand.New(rand.NewPCG(8, 9))
	for seed := range uint64(24) {
		r, writer := randomCompatible(seed)
		if r == nil {
			continue
		}
		w := mustPlain(f, writer)
		gen := &generator{rng: rng, names: map[string]*avro.SchemaNode{}}
		root := w.Root()
		collect(root, "", gen.names)
		f.Add(seed, gen.value(nil, root, "", 0))
	}
	f.Fuzz(func(t *testing.T, seed uint64, data []byte) {
		p := randomPairOf(seed % fuzzPairs)
		r, writer := p.r, p.writer
		if r == nil {
			return
		}
		out, perr := transcode(r.plan, nil, data)
		if limit := OutputPerByte*len(data) + OutputSlack; len(out) > limit+OutputSlack {
			t.Fatalf("%d bytes of output from %d of input", len(out), len(data))
		}
		if errors.Is(perr, ErrTooLarge) || errors.Is(perr, avrobin.ErrCount) || errors.Is(perr, avrobin.ErrDepth) {
			// The decode bounds, which the generic path lacks: it may
			// take minutes over what the plan rejects at once.
			return
		}
		// Valid writer data is what the writer's schema itself reads
		// (twmb/avro's resolution takes an enum index past the writer's
		// symbols for the reader's default), as strictly as evc's own
		// decoders read it: booleans of 0 or 1 (twmb/avro takes any other
		// byte for true), and the byte size of a block, which twmb/avro,
		// Java and Python read past, neither negative nor past the end.
		if checkReader(p.plain, data) != nil || perr != nil &&
			(strings.Contains(perr.Error(), "boolean byte") || strings.Contains(perr.Error(), "block size")) {
			return
		}
		want, werr := genericBytes(r, data)
		if werr != nil {
			t.Fatalf("the writer's schema reads %x, the generic path fails: %v", data, werr)
		}
		if perr == nil {
			perr = checkReader(r.reader, out)
		}
		if perr != nil {
			t.Fatalf("the generic path reads %x, the plan fails: %v\nwriter: %s\nreader: %s", data, perr, writer, r.reader.String())
		}
		if !sameBits(t, r.reader, want, out) {
			t.Fatalf("data %x: the plan gives %x, the generic path %x\nwriter: %s\nreader: %s", data, out, want, writer, r.reader.String())
		}
	})
}

// sameBits is sameValue with floats compared by their bits, so that a NaN
// equals itself.
func sameBits(t *testing.T, s *avro.Schema, a, b []byte) bool {
	if string(a) == string(b) {
		return true
	}
	var va, vb any
	if _, err := s.Decode(a, &va, avro.TaggedUnions()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Decode(b, &vb, avro.TaggedUnions()); err != nil {
		return false
	}
	return bitsEqual(va, vb)
}

func bitsEqual(a, b any) bool {
	switch a := a.(type) {
	case float32:
		b, ok := b.(float32)
		return ok && math.Float32bits(a) == math.Float32bits(b)
	case float64:
		b, ok := b.(float64)
		return ok && math.Float64bits(a) == math.Float64bits(b)
	case []any:
		b, ok := b.([]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for i := range a {
			if !bitsEqual(a[i], b[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		b, ok := b.(map[string]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for k, v := range a {
			if w, ok := b[k]; !ok || !bitsEqual(v, w) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(a, b)
}
