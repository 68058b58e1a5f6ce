package compat

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/evc-dev/evc/backend/evcsrc"
	"github.com/evc-dev/evc/compiler"
	"github.com/evc-dev/evc/compiler/avsc"
	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/internal/corpus"
	"github.com/evc-dev/evc/ir"
)

// readPair reads a pair's two schemas, failing on input errors: Java
// accepts every one of them.
func readPair(t *testing.T, p corpus.Pair) (oldT, newT *ir.Type) {
	t.Helper()
	var l diag.List
	of := avsc.Read("old.avsc", p.Old, &l, nil)
	nf := avsc.Read("new.avsc", p.New, &l, nil)
	if l.HasErrors() || of == nil || nf == nil || of.Root == nil || nf.Root == nil {
		t.Fatalf("%s:%d: %v", corpus.PairsFile, p.Line, l.Err())
	}
	return of.Root, nf.Root
}

// TestCheckPair_AgreesWithJavaMasterOnPairs holds CheckPair to Avro Java
// master's verdict on every pair of compat/java-master-pairs.jsonl, both
// directions, 382 of the pairs over recursive types.
func TestCheckPair_AgreesWithJavaMasterOnPairs(t *testing.T) {
	var agree, total, recAgree, recTotal int
	for _, p := range corpus.Pairs() {
		oldT, newT := readPair(t, p)
		for _, d := range []struct {
			name string
			r, w *ir.Type
			java bool
		}{{"BACKWARD (new reads old)", newT, oldT, p.Java.Backward}, {"FORWARD (old reads new)", oldT, newT, p.Java.Forward}} {
			total++
			if p.Recursive() {
				recTotal++
			}
			if got := compatible(t, d.r, d.w); got != d.java {
				t.Errorf("%s:%d %s %s/%s: evc says compatible=%v, Java master %v; %s", corpus.PairsFile, p.Line, d.name, p.Shape, p.Change, got, d.java, describeAll(CheckPair(d.r, d.w)))
				continue
			}
			agree++
			if p.Recursive() {
				recAgree++
			}
		}
	}
	t.Logf("CheckPair agrees with Java master on %d of %d verdicts (%d of %d recursive)", agree, total, recAgree, recTotal)
	if total != 3764 || recTotal != 764 {
		t.Errorf("%d verdicts, %d recursive; want 3764 and 764", total, recTotal)
	}
}

// pairFiles returns the pair's two schemas as files of the given form:
// the .avsc as given, or the .evc that evc import writes from it.
func pairFiles(t *testing.T, what string, oldSrc, newSrc []byte, form string) (old, new fstest.MapFS) {
	t.Helper()
	out := [2]fstest.MapFS{}
	for i, src := range [][]byte{oldSrc, newSrc} {
		dir := []string{"old", "new"}[i]
		if form == ".avsc" {
			out[i] = fstest.MapFS{dir + "/s.avsc": {Data: src}}
			continue
		}
		var l diag.List
		f := avsc.Read(dir+"/s.avsc", src, &l, nil)
		var text []byte
		if !l.HasErrors() {
			text = evcsrc.Print(f, &l)
		}
		if l.HasErrors() {
			t.Fatalf("%s: import of %s: %v", what, dir, l.Err())
		}
		out[i] = fstest.MapFS{dir + "/s.evc": {Data: text}}
	}
	return out[0], out[1]
}

// checkPairAsCLI returns a function that checks one pair as evc compat
// --against old new does with folders: both compiled (once), top-level
// types found and matched by name, then checked in the mode given.
func checkPairAsCLI(t *testing.T, oldFS, newFS fstest.MapFS) func(Mode) *Report {
	t.Helper()
	compile := func(fsys fstest.MapFS, dir string) *ir.Schema {
		res := compiler.Compile([]string{dir}, compiler.Options{FS: fsys})
		if res.Diags.HasErrors() || res.Schema == nil {
			var files []string
			for name, f := range fsys {
				files = append(files, name+":\n"+string(f.Data))
			}
			t.Fatalf("%v\n%s", res.Diags.Items(), strings.Join(files, "\n"))
		}
		return res.Schema
	}
	olds, news := compile(oldFS, "old"), compile(newFS, "new")
	e := NewEarlier("old")
	e.AddSchema(olds, "old")
	roots := Roots(news)
	return func(mode Mode) *Report {
		subjects, removed := Match(roots, news, e, ModeRules{Override: mode}, nil)
		return Check(subjects, removed, Options{Homes: Homes(news)})
	}
}

// TestCompat_AgreesWithJavaMasterOnPairs runs every pair of
// compat/java-master-pairs.jsonl through the whole check, as evc compat
// does with a folder of old and one of new schemas, in .avsc and in .evc
// form, in every mode: it fails exactly where Java
// master says the mode's directions do not hold. Recursive types are found
// and checked however their cycle runs.
func TestCompat_AgreesWithJavaMasterOnPairs(t *testing.T) {
	pairs := corpus.Pairs()
	if testing.Short() {
		pairs = pairs[:200]
	}
	for _, form := range []string{".avsc", ".evc"} {
		var agree, total, recAgree, recTotal int
		for _, p := range pairs {
			oldFS, newFS := pairFiles(t, fmt.Sprintf("%s:%d", corpus.PairsFile, p.Line), p.Old, p.New, form)
			check := checkPairAsCLI(t, oldFS, newFS)
			for _, m := range Modes {
				want := (!m.Backward() || p.Java.Backward) && (!m.Forward() || p.Java.Forward)
				rep := check(m)
				total++
				if p.Recursive() {
					recTotal++
				}
				if got := !rep.Failed(); got != want {
					var msgs []string
					for _, d := range rep.Diags {
						msgs = append(msgs, d.Message)
					}
					t.Errorf("%s:%d %s %s %s/%s: evc compat passes=%v, Java master %v (backward %v, forward %v):\n%s", corpus.PairsFile, p.Line, form, m, p.Shape, p.Change, got, want, p.Java.Backward, p.Java.Forward, strings.Join(msgs, "\n"))
					continue
				}
				if m != None && rep.Checked == 0 && len(rep.Findings) == 0 {
					t.Errorf("%s:%d %s %s: nothing checked", corpus.PairsFile, p.Line, form, m)
				}
				agree++
				if p.Recursive() {
					recAgree++
				}
			}
		}
		t.Logf("%s: evc compat agrees with Java master on %d of %d mode verdicts (%d of %d recursive)", form, agree, total, recAgree, recTotal)
		if !testing.Short() && total != len(Modes)*len(corpus.Pairs()) {
			t.Errorf("%s: %d mode verdicts, want %d", form, total, len(Modes)*len(corpus.Pairs()))
		}
	}
}
