package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	twmb "github.com/twmb/avro"

	"github.com/evc-dev/evc/backend/avro"
	"github.com/evc-dev/evc/compiler"
	"github.com/evc-dev/evc/compiler/avsc"
	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/internal/corpus"
	"github.com/evc-dev/evc/internal/golden"
)

const (
	importDir   = "testdata/import"
	enrollment  = "org+openedx+learning+course+enrollment+created+v1_schema"
	redemptionR = "org+openedx+enterprise+subsidy+redemption-reversed+v1_schema"
)

// openEdx writes the named Open edX schemas of the corpus (internal/corpus)
// into a new temporary directory, for the CLI to read, and returns it.
func openEdx(t *testing.T, names ...string) string {
	t.Helper()
	dir := t.TempDir()
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	for _, f := range corpus.OpenEdx() {
		if want[f.Name] {
			if err := os.WriteFile(filepath.Join(dir, f.Name), f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
			delete(want, f.Name)
		}
	}
	if len(want) > 0 {
		t.Fatalf("the corpus lacks %v", want)
	}
	return dir
}

// compileDir compiles the .evc files of dir and fails the test on errors.
func compileDir(t *testing.T, dir string) *compiler.Result {
	t.Helper()
	res := compiler.Compile([]string{dir}, compiler.Options{})
	if res.Diags.HasErrors() {
		var b bytes.Buffer
		diag.WriteText(&b, res.Diags.Items(), res.Sources)
		t.Fatalf("the imported source does not compile:\n%s", b.String())
	}
	return res
}

func TestImport_OpenEdxToDir(t *testing.T) {
	out := t.TempDir()
	in := filepath.Join(openEdx(t, enrollment+".avsc"), enrollment+".avsc")
	code, stdout, stderr := runEvc(t, "", "import", "-o", out, in)
	if code != 0 || stdout != "" || stderr != "" {
		t.Fatalf("code %d stdout %q stderr %q", code, stdout, stderr)
	}
	got, err := os.ReadFile(filepath.Join(out, enrollment+".evc"))
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, filepath.Join(importDir, enrollment+".evc.golden"), got)

	// It compiles back to the schema the .avsc file holds.
	res := compileDir(t, out)
	src, _ := os.ReadFile(in)
	var l diag.List
	f := avsc.Read(in, src, &l, nil)
	root := f.Root.Named
	n := res.Schema.Lookup(root.FullName())
	if n == nil {
		t.Fatalf("%s not compiled", root.FullName())
	}
	if want, got := avro.SchemaJSON(root, true), avro.SchemaJSON(n, true); !bytes.Equal(want, got) {
		t.Errorf("round trip (-want +got):\n%s", golden.Diff(string(want), string(got)))
	}
}

func TestImport_Stdout(t *testing.T) {
	code, stdout, stderr := runEvc(t, "", "import", filepath.Join(importDir, "money.avsc"))
	want := "namespace shop;\n\nfixed Money(8) decimal(12, 2);\n"
	if code != 0 || stdout != want || stderr != "" {
		t.Errorf("code %d stdout %q stderr %q", code, stdout, stderr)
	}
}

// TestImport_UsesEarlierFile imports a schema that uses a type another
// input defines: its .evc imports that file's .evc, and both compile.
func TestImport_UsesEarlierFile(t *testing.T) {
	out := t.TempDir()
	code, _, stderr := runEvc(t, "", "import", "-o", out, filepath.Join(importDir, "money.avsc"), filepath.Join(importDir, "order.avsc"))
	if code != 0 || stderr != "" {
		t.Fatalf("code %d stderr %q", code, stderr)
	}
	got, err := os.ReadFile(filepath.Join(out, "order.evc"))
	if err != nil {
		t.Fatal(err)
	}
	want := `namespace shop.orders;

import "money.evc";

/// An order.
record Order {
  total: shop.Money;
  note: string?;
}
`
	if string(got) != want {
		t.Errorf("order.evc:\n%s\nwant:\n%s", got, want)
	}
	res := compileDir(t, out)
	if n := res.Schema.Lookup("shop.orders.Order"); n == nil || n.Fields[0].Type.Named == nil || n.Fields[0].Type.Named.FullName() != "shop.Money" {
		t.Errorf("Order.total does not resolve to shop.Money")
	}
}

func TestImport_SchemaErrors(t *testing.T) {
	out := t.TempDir()
	bad := filepath.Join(openEdx(t, redemptionR+".avsc"), redemptionR+".avsc")
	union := filepath.Join(importDir, "union.avsc")
	good := filepath.Join(importDir, "money.avsc")
	code, _, stderr := runEvc(t, "", "import", "-o", out, bad, union, good)
	if code != exitSchema {
		t.Errorf("code %d, want %d", code, exitSchema)
	}
	for _, want := range []string{
		bad + ":", `"redemption-reversed" has a "-"`,
		union + ":1:1: the top-level schema of " + union + " is a union",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	// All or nothing: the good file is not written either.
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("wrote %v", entries)
	}
}

func TestImport_UsageErrors(t *testing.T) {
	for name, args := range map[string][]string{
		"no files":     {"import"},
		"missing file": {"import", filepath.Join(importDir, "nope.avsc")},
		"same name":    {"import", filepath.Join(importDir, "money.avsc"), filepath.Join(importDir, "money.avsc")},
		"bad format":   {"import", "--format", "xml", filepath.Join(importDir, "money.avsc")},
	} {
		t.Run(name, func(t *testing.T) {
			code, _, stderr := runEvc(t, "", args...)
			if code != exitUsage || stderr == "" {
				t.Errorf("code %d stderr %q", code, stderr)
			}
		})
	}
}

// canonical returns the Parsing Canonical Form of an Avro schema, by
// twmb/avro.
func canonical(t *testing.T, what string, schema []byte) string {
	t.Helper()
	s, err := twmb.Parse(string(schema))
	if err != nil {
		t.Fatalf("twmb/avro rejects %s: %v\n%s", what, err, schema)
	}
	return string(s.Canonical())
}

// importTogether imports every .avsc of dir (sorted) into a temporary
// directory, compiles that directory as one workspace, and checks that each
// schema compiled back has the Parsing Canonical Form of its original. It
// returns the output directory.
func importTogether(t *testing.T, dir string, files []string) string {
	t.Helper()
	out := t.TempDir()
	var paths []string
	for _, f := range files {
		paths = append(paths, filepath.Join(dir, f))
	}
	code, stdout, stderr := runEvc(t, "", append([]string{"import", "-o", out}, paths...)...)
	if code != 0 || stdout != "" || stderr != "" {
		t.Fatalf("import: code %d stdout %q stderr:\n%s", code, stdout, stderr)
	}
	res := compileDir(t, out)
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var l diag.List
		root := avsc.Read(p, src, &l, nil).Root.Named
		n := res.Schema.Lookup(root.FullName())
		if n == nil {
			t.Errorf("%s: %s not compiled", p, root.FullName())
			continue
		}
		if want, got := canonical(t, p, src), canonical(t, root.FullName(), avro.SchemaJSON(n, true)); want != got {
			t.Errorf("%s: canonical form differs (-want +got):\n%s", p, golden.Diff(want, got))
		}
	}
	return out
}

// avscNames lists the .avsc files of dir, sorted.
func avscNames(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "*.avsc"))
	if err != nil || len(m) == 0 {
		t.Fatalf("no .avsc in %s: %v", dir, err)
	}
	var names []string
	for _, p := range m {
		names = append(names, filepath.Base(p))
	}
	return names
}

// TestImport_OpenEdxTogether imports a handful of real Open edX schemas in
// one run, compiles the results together, and compares canonical forms.
// Each file defines its own UserData, CourseData, ... in the namespace of
// its event, so nothing is shared between them.
func TestImport_OpenEdxTogether(t *testing.T) {
	dir := openEdx(t,
		"org+openedx+content_authoring+course+created+v1_schema.avsc",
		"org+openedx+learning+certificate+created+v1_schema.avsc",
		"org+openedx+learning+course+enrollment+created+v1_schema.avsc",
		"org+openedx+learning+course+persistent_grade_summary+changed+v1_schema.avsc",
		"org+openedx+learning+course+unenrollment+completed+v1_schema.avsc",
		"org+openedx+learning+student+registration+completed+v1_schema.avsc",
	)
	out := importTogether(t, dir, avscNames(t, dir))
	for _, e := range mustReadDir(t, out) {
		data, _ := os.ReadFile(filepath.Join(out, e.Name()))
		if strings.Contains(string(data), "import ") {
			t.Errorf("%s imports another file, but the events share no type:\n%s", e.Name(), data)
		}
	}
}

func mustReadDir(t *testing.T, dir string) []os.DirEntry {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// TestImport_SharedTypes imports Open edX schemas that each define the same
// UserData, UserPersonalData and CourseData (in one shared namespace): each
// is declared once, in the first file that defines it, the other files import
// it, and the whole compiles together to the original canonical forms.
func TestImport_SharedTypes(t *testing.T) {
	dir := filepath.Join(importDir, "shared")
	var learning []string
	for _, n := range avscNames(t, dir) {
		if strings.Contains(n, "+learning+") {
			learning = append(learning, n)
		}
	}
	if len(learning) < 4 {
		t.Fatalf("want at least 4 learning schemas, have %v", learning)
	}
	out := importTogether(t, dir, learning)
	first := strings.TrimSuffix(learning[0], ".avsc") + ".evc"
	declared := map[string][]string{}
	for _, e := range mustReadDir(t, out) {
		data, err := os.ReadFile(filepath.Join(out, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		src := string(data)
		for _, typ := range []string{"UserData", "UserPersonalData", "CourseData"} {
			if strings.Contains(src, "\nrecord "+typ+" {") {
				declared[typ] = append(declared[typ], e.Name())
			}
		}
		usesShared := strings.Contains(src, "org.openedx.learning.UserData") || strings.Contains(src, "org.openedx.learning.CourseData")
		if e.Name() != first && usesShared && !strings.Contains(src, "import \""+first+"\";") {
			t.Errorf("%s uses shared types but does not import %s:\n%s", e.Name(), first, src)
		}
	}
	for _, typ := range []string{"UserData", "UserPersonalData", "CourseData"} {
		if got := declared[typ]; len(got) != 1 || got[0] != first {
			t.Errorf("%s declared in %v, want only in %s", typ, got, first)
		}
	}
}

// TestImport_SharedTypeConflict: two files define the same type differently
// (Open edX's content-authoring CourseData has one field, the learning one
// four): the error names both files, and nothing is written.
func TestImport_SharedTypeConflict(t *testing.T) {
	dir := filepath.Join(importDir, "shared")
	out := t.TempDir()
	t.Chdir(dir)
	code, stdout, stderr := runEvc(t, "", append([]string{"import", "-o", out}, avscNames(t, ".")...)...)
	if code != exitSchema || stdout != "" {
		t.Errorf("code %d stdout %q", code, stdout)
	}
	golden.Check(t, "conflict.stderr.golden", []byte(stderr))
	// All or nothing.
	if entries := mustReadDir(t, out); len(entries) != 0 {
		t.Errorf("a failed import wrote %v", entries)
	}
}

// TestImport_RepeatedRoot: a file whose only type an earlier file defines
// becomes a file that imports it; a definition that differs only in its doc
// is a conflict, since sharing it would lose one of the docs.
func TestImport_RepeatedRoot(t *testing.T) {
	out := t.TempDir()
	money, again := filepath.Join(importDir, "money.avsc"), filepath.Join(importDir, "money_again.avsc")
	code, _, stderr := runEvc(t, "", "import", "-o", out, money, again, filepath.Join(importDir, "order.avsc"))
	if code != 0 || stderr != "" {
		t.Fatalf("code %d stderr %q", code, stderr)
	}
	got, _ := os.ReadFile(filepath.Join(out, "money_again.evc"))
	if want := "namespace shop;\n\nimport \"money.evc\";\n"; string(got) != want {
		t.Errorf("money_again.evc:\n%s\nwant:\n%s", got, want)
	}
	compileDir(t, out)

	doc := filepath.Join(importDir, "money_doc.avsc")
	code, _, stderr = runEvc(t, "", "import", "-o", t.TempDir(), money, doc)
	want := doc + `:3:11: type "shop.Money" is defined differently in ` + doc + " and in " + money
	if code != exitSchema || !strings.Contains(stderr, want) || !strings.Contains(stderr, money+":1:27: note: first defined here") {
		t.Errorf("code %d, stderr lacks %q:\n%s", code, want, stderr)
	}
}

// TestImport_AnyOrder: a file may use a type that a file after it on the
// command line defines (the README's evc import -o events/ legacy/*.avsc
// sorts them by name).
func TestImport_AnyOrder(t *testing.T) {
	dir := fmtTree(t, map[string]string{
		"a_order.avsc":    `{"type": "record", "name": "Order", "namespace": "com.acme", "fields": [{"name": "customer", "type": "com.acme.Customer"}, {"name": "shipping", "type": "com.acme.Address"}]}`,
		"b_customer.avsc": `{"type": "record", "name": "Customer", "namespace": "com.acme", "fields": [{"name": "address", "type": "com.acme.Address"}]}`,
		"c_address.avsc":  `{"type": "record", "name": "Address", "namespace": "com.acme", "fields": [{"name": "street", "type": "string"}]}`,
	})
	t.Chdir(dir)
	code, stdout, stderr := runEvc(t, "", "import", "-o", "out", "a_order.avsc", "b_customer.avsc", "c_address.avsc")
	if code != exitOK || stdout != "" || stderr != "" {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	got, _ := os.ReadFile("out/a_order.evc")
	want := `namespace com.acme;

import "b_customer.evc";
import "c_address.evc";

record Order {
  customer: com.acme.Customer;
  shipping: com.acme.Address;
}
`
	if string(got) != want {
		t.Errorf("a_order.evc:\n%s\nwant:\n%s", got, want)
	}
	res := compileDir(t, "out")
	if res.Schema.Lookup("com.acme.Order") == nil {
		t.Error("the imported files do not compile to com.acme.Order")
	}
}

// TestImport_FailureWritesNothing: one bad file among good ones writes no
// file, to a folder or to standard output, and each error is printed once.
func TestImport_FailureWritesNothing(t *testing.T) {
	dir := fmtTree(t, map[string]string{
		"b.avsc": `{"type": "record", "name": "Customer", "namespace": "com.acme", "fields": [{"name": "n", "type": "string"}]}`,
		"c.avsc": `{"type": "record", "name": "X", "namespace": "com.acme", "fields": [{"name": "addr", "type": {"type": "record", "name": "Addr", "fields": [{"name": "s", "type": "string"}]}}]}`,
		"d.avsc": `{"type": "record", "name": "Y", "namespace": "com.acme", "fields": [{"name": "addr", "type": {"type": "record", "name": "Addr", "fields": [{"name": "s", "type": "int"}]}}]}`,
	})
	t.Chdir(dir)
	for _, args := range [][]string{{"import", "-o", "out", "b.avsc", "c.avsc", "d.avsc"}, {"import", "b.avsc", "c.avsc", "d.avsc"}} {
		code, stdout, stderr := runEvc(t, "", args...)
		const msg = "d.avsc:1:121: type \"com.acme.Addr\" is defined differently in d.avsc and in c.avsc\n"
		const help = "  c.avsc:1:121: note: first defined here\n  help: evc import declares a type shared by several files once; make the definitions agree, or import these files separately\n"
		if code != exitSchema || stdout != "" || !strings.HasPrefix(stderr, msg) || !strings.HasSuffix(stderr, help) || strings.Count(stderr, "defined differently") != 1 {
			t.Errorf("%v: exit %d\nstdout %q\nstderr:\n%s", args, code, stdout, stderr)
		}
	}
	if _, err := os.Stat("out"); err == nil {
		t.Error("a failed import created out/")
	}
}
