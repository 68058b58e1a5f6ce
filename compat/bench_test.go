package compat

import (
	"math/rand"
	"strconv"
	"testing"

	"github.com/evc-dev/evc/compiler/avsc"
	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/internal/schemagen"
	"github.com/evc-dev/evc/ir"
)

// fullTransitiveSubjects builds n types with v versions each: a random record
// (nested records, enums, unions, arrays, maps) whose every version adds a
// field with a default, so that every pair is compatible and every check
// walks the whole type.
func fullTransitiveSubjects(b testing.TB, n, v int) []Subject {
	g := schemagen.New(rand.NewSource(1))
	subjects := make([]Subject, 0, n)
	for i := 0; i < n; i++ {
		t := g.Record(1)
		for len(t.Fields) < 6 {
			f := &schemagen.Field{Name: "p" + strconv.Itoa(len(t.Fields)), Type: g.Type(2)}
			t.Fields = append(t.Fields, f)
		}
		var versions []Version
		for j := 0; j < v; j++ {
			var l diag.List
			f := avsc.Read("t.avsc", []byte(t.JSON()), &l, nil)
			if l.HasErrors() {
				b.Fatal(l.Err())
			}
			versions = append(versions, Version{Label: "v" + strconv.Itoa(j+1), Type: f.Root})
			t = t.Clone()
			t.Fields = append(t.Fields, &schemagen.Field{Name: "add" + strconv.Itoa(j), Type: &schemagen.Type{Kind: "string"}, Default: `"x"`})
		}
		subjects = append(subjects, Subject{
			Name: versions[0].Type.Named.FullName(), New: versions[len(versions)-1].Type,
			Mode: FullTransitive, Versions: versions[:len(versions)-1],
		})
	}
	return subjects
}

// BenchmarkFullTransitive1000x10 checks 1,000 types with 10 versions each
// (the new one against 9 earlier ones) in FULL_TRANSITIVE mode: both
// directions and the strict comparison for every pair.
func BenchmarkFullTransitive1000x10(b *testing.B) {
	subjects := fullTransitiveSubjects(b, 1000, 10)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rep := Check(subjects, nil, Options{})
		if rep.Failed() || rep.Checked != 1000 {
			b.Fatalf("checked %d types, %d errors", rep.Checked, rep.Errors)
		}
	}
}

func TestFullTransitive_GeneratedHistoryIsCompatible(t *testing.T) {
	subjects := fullTransitiveSubjects(t, 50, 10)
	rep := Check(subjects, nil, Options{})
	if rep.Failed() || !rep.BackwardOK || !rep.ForwardOK {
		t.Fatalf("want compatible, got %d errors: %v", rep.Errors, rep.Diags)
	}
	// Add a field without a default to the newest version of one type:
	// BACKWARD breaks against every earlier version, reported once with all
	// nine labels.
	s := &subjects[7]
	nn := *s.New.Named
	nn.Fields = append(append([]*ir.Field(nil), nn.Fields...), &ir.Field{Name: "extra", Type: &ir.Type{Kind: ir.Int}})
	s.New = NamedType(&nn)
	rep = Check(subjects, nil, Options{})
	if rep.Errors != 1 || rep.BackwardOK || !rep.ForwardOK {
		t.Fatalf("want 1 backward error, got %d errors (backward ok %v, forward ok %v): %v", rep.Errors, rep.BackwardOK, rep.ForwardOK, rep.Diags)
	}
	want := `BACKWARD: new consumers cannot read data written with v1, v2, v3, v4, v5, v6, v7, v8 and v9: field "extra" of "` + nn.FullName() + `" was added without a default [FIELD_NO_DEFAULT]`
	if got := rep.Diags[0].Message; got != want {
		t.Errorf("message:\n got %s\nwant %s", got, want)
	}
}
