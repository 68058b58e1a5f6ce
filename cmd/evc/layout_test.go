package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The layouts of issue 11 §1: evc's own output in the folders it reads is
// never read back as a source, and the layouts docs/evolution.md recommends
// work with the default commands.

const (
	layoutCommon = "namespace shop.common;\n\nrecord Address {\n  street: string;\n  city: string;\n}\n\nenum Currency { EUR, USD }\n"
	layoutOrder  = "namespace shop;\n\nimport \"common.evc\";\n\nrecord Money {\n  amount: long;\n  currency: shop.common.Currency;\n}\n\nrecord Order {\n  id: string;\n  ship_to: shop.common.Address;\n  total: Money;\n}\n"
)

// TestLayout_OutputInTheSourceFolder: compile --avro-out events events/ and
// then compile and compat events/ again, also after the .evc changed (the
// .avsc copies are stale then).
func TestLayout_OutputInTheSourceFolder(t *testing.T) {
	dir := fmtTree(t, map[string]string{"events/common.evc": layoutCommon, "events/order.evc": layoutOrder})
	t.Chdir(dir)
	for i, args := range [][]string{
		{"compile", "--avro-out", "events", "events/"},
		{"compile", "--avro-out", "events", "events/"},
		{"compile", "events/"},
		{"compat", "--against", "events", "events/"},
	} {
		if code, _, errs := runEvc(t, "", args...); code != exitOK {
			t.Fatalf("run %d %v: exit %d\n%s", i, args, code, errs)
		}
	}
	if _, err := os.Stat("events/shop.common.Address.avsc"); err != nil {
		t.Fatal(err)
	}
	// The source changes; the copies in events/ are stale.
	if err := os.WriteFile("events/common.evc", []byte(strings.Replace(layoutCommon, "city: string;", "city: string;\n  zip: string = \"\";", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := runEvc(t, "", "compile", "--avro-out", "events", "events/"); code != exitOK {
		t.Fatalf("after a change: exit %d\n%s", code, errs)
	}
	if b, _ := os.ReadFile("events/shop.Order.avsc"); !strings.Contains(string(b), `"zip"`) {
		t.Errorf("shop.Order.avsc was not regenerated:\n%s", b)
	}
}

// TestLayout_Examples: the repository's examples hold their checked-in
// .avsc output beside the .evc sources.
func TestLayout_Examples(t *testing.T) {
	code, _, errs := runEvc(t, "", "compile", "--avro-out", t.TempDir(), "../../examples")
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, errs)
	}
}

// TestLayout_DifferentAvsc: an .avsc that is not evc's output and defines a
// .evc type differently is an error whose help names it and says what to
// do; "exclude" in evc.json leaves it out, and "roots" and "compile" make
// the command's arguments optional.
func TestLayout_DifferentAvsc(t *testing.T) {
	dir := fmtTree(t, map[string]string{
		"schemas/common.evc": layoutCommon,
		"schemas/order.evc":  layoutOrder,
		"schemas/legacy/a.avsc": `{"type": "record", "name": "Address", "namespace": "shop.common", "fields": [{"name": "street", "type": "string"}]}
`,
	})
	t.Chdir(dir)
	code, _, errs := runEvc(t, "", "compile", "schemas")
	want := `schemas/legacy/a.avsc:1:28: type "shop.common.Address" is already defined
   |
 1 | {"type": "record", "name": "Address", "namespace": "shop.common", "fields": [{"name": "street", "type": "string"}]}
   |                            ^~~~~~~~~
  schemas/common.evc:3:8: note: first defined here
  help: schemas/legacy/a.avsc defines it differently from schemas/common.evc; if it is generated output, keep it out of the folders evc reads (write it elsewhere, or list it under "exclude" in evc.json), else define the type in one place
`
	if code != exitSchema || errs != want {
		t.Errorf("exit %d, stderr:\n%s\nwant:\n%s", code, errs, want)
	}
	if err := os.WriteFile("evc.json", []byte(`{"roots": ["schemas"], "exclude": ["schemas/legacy"], "compile": {"avro_out": "gen/avro"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := runEvc(t, "", "compile"); code != exitOK {
		t.Fatalf("with evc.json: exit %d\n%s", code, errs)
	}
	if _, err := os.Stat("gen/avro/shop.Order.avsc"); err != nil {
		t.Errorf("compile wrote no gen/avro: %v", err)
	}
	if code, _, errs := runEvc(t, "", "compile", "--check"); code != exitOK {
		t.Errorf("--check: exit %d\n%s", code, errs)
	}
	// A bad workspace file is a usage error at its line; a missing one named
	// by --config too.
	if err := os.WriteFile("bad.json", []byte(`{"roots": "schemas"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs = runEvc(t, "", "compile", "--config", "bad.json")
	if want := "bad.json:1:11: \"roots\" must be an array of strings\n"; code != exitUsage || !strings.HasPrefix(errs, want) {
		t.Errorf("bad config: exit %d, stderr %q, want %q", code, errs, want)
	}
	code, _, errs = runEvc(t, "", "compile", "--config", "nope.json")
	if want := "evc: --config: open nope.json: no such file or directory\n"; code != exitUsage || !strings.HasPrefix(errs, want) {
		t.Errorf("missing config: exit %d, stderr %q, want %q", code, errs, want)
	}
	// evc doc reads the same roots and excludes.
	if code, _, errs := runEvc(t, "", "doc", "--format", "asyncapi", "-o", "api.json"); code != exitOK {
		t.Errorf("doc: exit %d\n%s", code, errs)
	}
}

// TestLayout_GitWithOutputAndHistory: the layout of docs/evolution.md,
// schemas/*.evc with gen/avro/*.avsc and schemas/history/*, checked with
// evc compat --against git:v1 and PATH defaulting to ".".
func TestLayout_GitWithOutputAndHistory(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("git is not installed")
		}
		t.Skip("git not installed")
	}
	repo := fmtTree(t, map[string]string{"schemas/common.evc": layoutCommon, "schemas/order.evc": layoutOrder})
	t.Chdir(repo)
	t.Setenv("GIT_CEILING_DIRECTORIES", filepath.Dir(repo))
	for _, args := range [][]string{
		{"compile", "--avro-out", "gen/avro", "schemas"},
		{"compat", "--record-history", "schemas/history", "schemas"},
	} {
		if code, _, errs := runEvc(t, "", args...); code != exitOK {
			t.Fatalf("%v: exit %d\n%s", args, code, errs)
		}
	}
	gitRun(t, repo, "init", "-q")
	gitRun(t, repo, "add", ".")
	gitRun(t, repo, "commit", "-q", "-m", "v1")
	gitRun(t, repo, "tag", "v1")
	if code, out, errs := runEvc(t, "", "compat", "--against", "git:v1"); code != exitOK {
		t.Fatalf("unchanged: exit %d\n%s%s", code, out, errs)
	}
	if err := os.WriteFile("schemas/order.evc", []byte(strings.Replace(layoutOrder, "id: string;", "id: long;", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runEvc(t, "", "compat", "--against", "git:v1")
	if code != exitSchema || errs != "" || !strings.HasPrefix(out, `schemas/order.evc:11:7: FORWARD: consumers on v1 cannot read new data: field "id" of "shop.Order" changed from string to long`) {
		t.Errorf("a break: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
}
