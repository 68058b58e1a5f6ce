package resolve

import (
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	mrand "math/rand"

	"github.com/evc-dev/evc/internal/schemagen"
)

// The random differential: randomSeed and randomPairs compatible pairs in
// CI; EVC_RESOLVE_PAIRS and EVC_RESOLVE_SEED run more, or others.
const (
	randomSeed  = 20261201
	randomPairs = 1000
)

// evolvedPairs returns compatible and incompatible (writer, reader) pairs
// from internal/schemagen (compat's generator: random records, a third of
// them recursive, each evolved by one to three random changes), both
// directions of each evolution, until n pairs resolve.
func evolvedPairs(t *testing.T, seed int64, n int, each func(pair) bool) {
	g := schemagen.New(mrand.NewSource(seed))
	for i := 0; n > 0; i++ {
		v1 := g.Record(0)
		if i%3 == 2 {
			g.Recursive(v1)
		}
		v2 := g.Evolve(v1)
		old, new := v1.JSON(), v2.JSON()
		name := "evolution " + strconv.Itoa(i)
		for _, p := range []pair{{name + " backward", old, new}, {name + " forward", new, old}} {
			if each(p) {
				n--
			}
		}
	}
}

func envInt(t *testing.T, name string, def int64) int64 {
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatalf("%s=%q: %v", name, s, err)
	}
	return n
}

// TestPlan_RandomPairs generates random compatible pairs (promotions,
// string <-> bytes, fields added with defaults, removed, reordered and
// renamed with aliases, named types renamed with aliases or moved, enum
// symbols added and removed with reader defaults, unions to non-unions and
// back, nested and recursive records in every shape, fixed, decimals) and
// reads random writer data of each with the plan, twmb/avro's generic
// resolution and python3-avro's resolving reader: all three must read the
// same values, and fail on the same data.
func TestPlan_RandomPairs(t *testing.T) {
	requirePython(t)
	seed := envInt(t, "EVC_RESOLVE_SEED", randomSeed)
	n := int(envInt(t, "EVC_RESOLVE_PAIRS", randomPairs))
	d := &differential{rng: rand.New(rand.NewPCG(uint64(seed), 7)), perPair: 10}
	evolvedPairs(t, seed, n, func(p pair) bool {
		r := d.add(t, p)
		return r.err == nil && !r.same && r.plan != nil
	})
	py := d.python(t)
	t.Logf("seed %d: %d compatible pairs (and %d incompatible, %d of the same canonical form), %d values equal to twmb/avro's and %d to python3-avro's",
		seed, d.compatible, d.incompatible, d.same, d.compared, py)
	if py < 10*d.compatible/2 {
		t.Errorf("only %d values compared with python3-avro", py)
	}
	// The generator must reach every part of the plans, or the test
	// proves little.
	features := planFeatures(d.plans)
	// Promotions come from one kind of change of the generator's, and
	// a union read as a non-union only from the corpus (the generator's
	// unions hold branches of unrelated kinds).
	for f, min := range map[string]int{
		"int as float": 3, "int as double": 3, "long as float": 3, "long as double": 3, "float as double": 3,
		"enum symbols mapped": 10, "value into a union": 10, "field skipped": 100, "reader default": 100,
		"fields reordered": 50, "recursive": 100, "fixed": 100, "map": 100, "array": 100,
	} {
		if features[f] < min {
			t.Errorf("%d compatible pairs with %q, want at least %d (%v)", features[f], f, min, features)
		}
	}
	t.Logf("plan features by pair: %v", features)
}

// planFeatures counts the pairs whose plans hold each kind of resolution.
func planFeatures(plans []*op) map[string]int {
	out := map[string]int{}
	for _, root := range plans {
		have := map[string]bool{}
		seen := map[*op]bool{}
		var walk func(p *op, inUnion bool)
		walk = func(p *op, inUnion bool) {
			if p == nil {
				return
			}
			if seen[p] {
				if p.k == kRecord {
					have["recursive"] = true
				}
				return
			}
			seen[p] = true
			switch p.k {
			case kIntFloat:
				have["int as float"] = true
			case kIntDouble:
				have["int as double"] = true
			case kLongFloat:
				have["long as float"] = true
			case kLongDouble:
				have["long as double"] = true
			case kFloatDouble:
				have["float as double"] = true
			case kFixed:
				have["fixed"] = true
			case kMap:
				have["map"] = true
			case kArray:
				have["array"] = true
			case kEnum:
				for i, j := range p.enum {
					if int(j) != i {
						have["enum symbols mapped"] = true
					}
				}
			case kToUnion:
				if !inUnion {
					have["value into a union"] = true
				}
			case kUnion:
				for _, b := range p.branches {
					if b == nil {
						have["union branch dropped"] = true
					} else if b.k != kToUnion {
						have["union into a value"] = true
					}
				}
			case kRecord:
				if !p.ordered {
					have["fields reordered"] = true
				}
				if len(p.tail) > 0 {
					have["reader default"] = true
				}
				for _, d := range p.defaults {
					if d != nil {
						have["reader default"] = true
					}
				}
				for _, f := range p.fields {
					if f.op == nil {
						have["field skipped"] = true
					}
					if len(f.pre) > 0 {
						have["reader default"] = true
					}
				}
			}
			for _, b := range p.branches {
				walk(b, p.k == kUnion)
			}
			walk(p.elem, false)
			for _, f := range p.fields {
				walk(f.op, false)
				walk(f.skip, false)
			}
		}
		walk(root, false)
		for k := range have {
			out[k]++
		}
	}
	return out
}
