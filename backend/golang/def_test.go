package golang

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	tavro "github.com/twmb/avro"

	"github.com/evc-dev/evc/backend/avro"
	"github.com/evc-dev/evc/compiler"
	"github.com/evc-dev/evc/compiler/avsc"
	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/internal/corpus"
	"github.com/evc-dev/evc/ir"
	"github.com/evc-dev/evc/runtime"

	"github.com/evc-dev/evc/backend/golang/internal/amp"
	"github.com/evc-dev/evc/backend/golang/internal/kitchen"
	"github.com/evc-dev/evc/backend/golang/internal/kitchen/other"
	learning "github.com/evc-dev/evc/examples/openedx/gen/learning"
	squarebot "github.com/evc-dev/evc/examples/squarebot/gen/squarebot"
	everytypev1 "github.com/evc-dev/evc/interop/gen/everytypev1"
	everytypev2 "github.com/evc-dev/evc/interop/gen/everytypev2"
)

// described stands for a generated Go type in a hand-built runtime.Def.
type described struct{ t *runtime.Type }

func (d described) AvroType() *runtime.Type { return d.t }

// composedTypes builds the runtime.Type of every named type of s from its
// own definition (avro.OwnDef), as generated code declares them.
func composedTypes(t *testing.T, s *ir.Schema) map[*ir.Named]*runtime.Type {
	t.Helper()
	types := map[*ir.Named]*runtime.Type{}
	for _, n := range s.Types {
		types[n] = &runtime.Type{Name: n.FullName()}
	}
	for _, n := range s.Types {
		own, err := avro.OwnDef(n)
		if err != nil {
			t.Fatal(err)
		}
		d := runtime.Def{Head: own.Head, Namespace: n.Namespace, JSON: own.JSON, Canonical: own.Canonical}
		for _, u := range own.Uses {
			if types[u] == nil {
				t.Fatalf("%s uses %s, which the schema does not hold", n.FullName(), u.FullName())
			}
			d.Uses = append(d.Uses, described{types[u]})
		}
		types[n].Def = d
	}
	return types
}

// checkComposes checks that every named type of s composes to the
// self-contained schema and canonical form that descriptors held whole
// before (avro.SchemaJSON and avro.Canonical, byte for byte), and returns
// how many types it checked.
func checkComposes(t *testing.T, where string, s *ir.Schema) int {
	t.Helper()
	types := composedTypes(t, s)
	defs := avro.NewFingerprints()
	for _, n := range s.Types {
		ty := types[n]
		pcf, fp, err := avro.Canonical(n)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := defs.Of(n); err != nil || got != fp {
			t.Errorf("%s: %s: fingerprint from the own definitions %#x, %v; want %#x", where, n.FullName(), got, err, fp)
		}
		if got, want := ty.Schema(), string(avro.SchemaJSON(n, false)); got != want {
			t.Errorf("%s: %s: composed schema\n%s\nwant\n%s", where, n.FullName(), got, want)
		}
		if got := ty.Canonical(); got != string(pcf) {
			t.Errorf("%s: %s: composed canonical form\n%s\nwant\n%s", where, n.FullName(), got, pcf)
		}
		h := tavro.NewRabin()
		h.Write([]byte(ty.Canonical()))
		if h.Sum64() != fp {
			t.Errorf("%s: %s: fingerprint of the composed canonical form %#x, want %#x", where, n.FullName(), h.Sum64(), fp)
		}
	}
	return len(s.Types)
}

// TestOwnDef_Composes: for every named type of the examples, the backend's
// goldens and the corpus's schemas, composing the own definitions as
// runtime.Type does gives back, byte for byte, the schema and canonical
// form that generated descriptors held as whole literals before.
func TestOwnDef_Composes(t *testing.T) {
	dirs := []string{"../../examples/squarebot", "../../examples/openedx", "../../interop/testdata/v1", "../../interop/testdata/v2", "testdata/kitchen", "testdata/amp"}
	accept, _ := filepath.Glob("testdata/accept/*")
	dirs = append(dirs, accept...)
	total := 0
	for _, dir := range dirs {
		res := compiler.Compile([]string{dir}, compiler.Options{})
		if res.Diags.HasErrors() {
			t.Fatalf("%s has errors: %v", dir, res.Diags.Items())
		}
		total += checkComposes(t, dir, res.Schema)
	}
	// The corpus: every schema that reads, alone.
	var docs []json.RawMessage
	for _, v := range corpus.Vectors() {
		docs = append(docs, v.Schema)
	}
	for _, c := range corpus.Cases() {
		docs = append(docs, c.Reader, c.Writer)
	}
	for _, p := range corpus.Pairs() {
		docs = append(docs, p.Old, p.New)
	}
	for _, f := range corpus.OpenEdx() {
		docs = append(docs, f.Data)
	}
	for i, doc := range docs {
		var l diag.List
		f := avsc.Read(fmt.Sprintf("corpus%d.avsc", i), doc, &l, nil)
		if l.Err() != nil || len(f.Types) == 0 {
			continue
		}
		s := &ir.Schema{Files: []*ir.File{f}, Types: f.Types}
		s.Index()
		total += checkComposes(t, fmt.Sprintf("corpus schema %d", i), s)
	}
	if total < 1000 {
		t.Errorf("checked %d named types; the corpus alone has more", total)
	}
}

// TestGenerated_Schemas: the checked-in generated packages compose the
// schemas of their sources, and their fingerprints are those of the
// composed canonical forms. Each root reaches the types it uses.
func TestGenerated_Schemas(t *testing.T) {
	for _, c := range []struct {
		dir   string
		roots []runtime.Named
	}{
		{"../../examples/squarebot", []runtime.Named{(*squarebot.SquarebotMessage)(nil), (*squarebot.SquarebotMessageKey)(nil)}},
		{"../../examples/openedx", []runtime.Named{(*learning.StudentRegistrationCompletedV1)(nil), (*learning.CourseEnrollmentCreatedV1)(nil), (*learning.CourseEnrollmentChangedV1)(nil), (*learning.PersistentGradeSummaryChangedV1)(nil), (*learning.LearnerKey)(nil)}},
		{"../../interop/testdata/v1", []runtime.Named{(*everytypev1.EveryType)(nil), (*everytypev1.EveryTypeKey)(nil)}},
		{"../../interop/testdata/v2", []runtime.Named{(*everytypev2.EveryType)(nil), (*everytypev2.EveryTypeKey)(nil)}},
		{"testdata/kitchen", []runtime.Named{(*kitchen.Everything)(nil), (*kitchen.EverythingKey)(nil), (*kitchen.Empty)(nil), (*kitchen.Diamond)(nil), (*other.Wrapper)(nil)}},
		{"testdata/amp", []runtime.Named{(*amp.Empty)(nil), (*amp.ArrArr)(nil), (*amp.ArrMap)(nil), (*amp.ArrDec)(nil), (*amp.ArrBigDec)(nil), (*amp.ArrTime)(nil), (*amp.ArrUnion)(nil), (*amp.ArrOpt)(nil), (*amp.ArrEmpty)(nil), (*amp.MapArr)(nil), (*amp.ArrRec)(nil), (*amp.Wide)(nil), (*amp.ArrArrEmpty)(nil), (*amp.ArrUnion2)(nil), (*amp.Edge)(nil)}},
	} {
		res := compiler.Compile([]string{c.dir}, compiler.Options{})
		if res.Diags.HasErrors() {
			t.Fatalf("%s has errors: %v", c.dir, res.Diags.Items())
		}
		byName := map[string]*ir.Named{}
		for _, n := range res.Schema.Types {
			byName[n.FullName()] = n
		}
		seen := map[*runtime.Type]bool{}
		reached := map[string]bool{}
		var walk func(ty *runtime.Type)
		walk = func(ty *runtime.Type) {
			if seen[ty] {
				return
			}
			seen[ty] = true
			reached[ty.Name] = true
			n := byName[ty.Name]
			if n == nil {
				t.Errorf("%s: no type %s in the source", c.dir, ty.Name)
				return
			}
			pcf, fp, err := avro.Canonical(n)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := ty.Schema(), string(avro.SchemaJSON(n, false)); got != want {
				t.Errorf("%s: %s: Schema()\n%s\nwant\n%s", c.dir, ty.Name, got, want)
			}
			if ty.Canonical() != string(pcf) || ty.Fingerprint != fp {
				t.Errorf("%s: %s: Canonical() %s, Fingerprint %#x; want %s, %#x", c.dir, ty.Name, ty.Canonical(), ty.Fingerprint, pcf, fp)
			}
			s, err := tavro.Parse(ty.Schema())
			if err != nil {
				t.Fatalf("%s: %s: twmb/avro does not parse Schema(): %v", c.dir, ty.Name, err)
			}
			h := tavro.NewRabin()
			h.Write(s.Canonical())
			if h.Sum64() != ty.Fingerprint {
				t.Errorf("%s: %s: twmb/avro's fingerprint %#x, Fingerprint %#x", c.dir, ty.Name, h.Sum64(), ty.Fingerprint)
			}
			for _, u := range ty.Def.Uses {
				walk(u.AvroType())
			}
		}
		for _, r := range c.roots {
			walk(r.AvroType())
		}
		for _, n := range res.Schema.Types {
			if !reached[n.FullName()] {
				t.Errorf("%s: no root reaches %s", c.dir, n.FullName())
			}
		}
	}
}

// TestType_ComposeRace composes the schemas of a fresh set of types from
// many goroutines at once (go test -race checks the lazy composition).
func TestType_ComposeRace(t *testing.T) {
	res := compiler.Compile([]string{"testdata/kitchen"}, compiler.Options{})
	if res.Diags.HasErrors() {
		t.Fatalf("errors: %v", res.Diags.Items())
	}
	types := composedTypes(t, res.Schema)
	var wg sync.WaitGroup
	for range 8 {
		for n, ty := range types {
			wg.Go(func() {
				if ty.Schema() != string(avro.SchemaJSON(n, false)) {
					t.Errorf("%s: wrong schema", n.FullName())
				}
				_ = ty.Canonical()
			})
		}
	}
	wg.Wait()
}
