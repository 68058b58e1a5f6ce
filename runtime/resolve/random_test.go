package resolve

import (
	"encoding/json"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	mrand "math/rand"

	"github.com/evc-dev/evc/internal/schemagen"
	"github.com/evc-dev/evc/internal/testknob"
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
	seed := testknob.Int(t, "EVC_RESOLVE_SEED", randomSeed)
	n := int(testknob.Int(t, "EVC_RESOLVE_PAIRS", randomPairs))
	d := &differential{rng: rand.New(rand.NewPCG(uint64(seed), 7)), perPair: 10}
	changes := map[string]int{}
	evolvedPairs(t, seed, n, func(p pair) bool {
		r := d.add(t, p)
		ok := r.err == nil && !r.same && r.plan != nil
		if ok {
			for c := range schemaChanges(t, p.writer, p.reader) {
				changes[c]++
			}
		}
		return ok
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
	for c, min := range map[string]int{
		"string as bytes": 3, "bytes as string": 3, "field alias": 10, "named type alias": 10,
		"enum default": 3, "decimal": 50, "named type moved": 10,
	} {
		if changes[c] < min {
			t.Errorf("%d compatible pairs with %q, want at least %d (%v)", changes[c], c, min, changes)
		}
	}
	t.Logf("schema changes by pair: %v", changes)
}

// schemaChanges lists the changes from writer to reader that the plans do
// not show: string and bytes read as each other, fields and named types
// read through an alias or moved to another namespace, enum symbols read
// as the reader's default, decimals. It reads schemas as internal/schemagen
// writes them: named types defined once, with their namespace.
func schemaChanges(t *testing.T, writer, reader string) map[string]bool {
	type named struct {
		full   string
		node   map[string]any
		fields map[string]string // record: field name to its type's JSON
	}
	index := func(schema string) map[string]named {
		var root any
		if err := json.Unmarshal([]byte(schema), &root); err != nil {
			t.Fatal(err)
		}
		out := map[string]named{}
		var walk func(v any)
		walk = func(v any) {
			switch v := v.(type) {
			case []any:
				for _, b := range v {
					walk(b)
				}
			case map[string]any:
				name, _ := v["name"].(string)
				if k, _ := v["type"].(string); name != "" && (k == "record" || k == "enum" || k == "fixed") {
					full := name
					if ns, _ := v["namespace"].(string); ns != "" {
						full = ns + "." + name
					}
					n := named{full: full, node: v, fields: map[string]string{}}
					fs, _ := v["fields"].([]any)
					for _, f := range fs {
						f := f.(map[string]any)
						typ, _ := json.Marshal(f["type"])
						n.fields[f["name"].(string)] = string(typ)
					}
					out[name] = n
				}
				for k, x := range v {
					if k != "default" {
						walk(x)
					}
				}
			}
		}
		walk(root)
		return out
	}
	w, r := index(writer), index(reader)
	out := map[string]bool{}
	if strings.Contains(reader, `"decimal"`) {
		out["decimal"] = true
	}
	for short, rn := range r {
		wn, ok := w[short]
		if !ok {
			// Renamed: read through an alias.
			aliases, _ := rn.node["aliases"].([]any)
			for _, a := range aliases {
				for _, x := range w {
					if x.full == a {
						out["named type alias"] = true
					}
				}
			}
			continue
		}
		if wn.full != rn.full {
			out["named type moved"] = true
		}
		if syms, _ := rn.node["symbols"].([]any); syms != nil && rn.node["default"] != nil {
			have := map[any]bool{}
			for _, s := range syms {
				have[s] = true
			}
			ws, _ := wn.node["symbols"].([]any)
			for _, s := range ws {
				if !have[s] {
					out["enum default"] = true
				}
			}
		}
		fs, _ := rn.node["fields"].([]any)
		for _, f := range fs {
			f := f.(map[string]any)
			name := f["name"].(string)
			if wt, ok := wn.fields[name]; ok {
				switch wt + ">" + rn.fields[name] {
				case `"string">"bytes"`:
					out["string as bytes"] = true
				case `"bytes">"string"`:
					out["bytes as string"] = true
				}
				continue
			}
			aliases, _ := f["aliases"].([]any)
			for _, a := range aliases {
				if _, ok := wn.fields[a.(string)]; ok {
					out["field alias"] = true
				}
			}
		}
	}
	return out
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
