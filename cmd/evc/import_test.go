package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evc-dev/evc/backend/avro"
	"github.com/evc-dev/evc/compiler"
	"github.com/evc-dev/evc/compiler/avsc"
	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/internal/golden"
)

const (
	importDir   = "testdata/import"
	enrollment  = "org+openedx+learning+course+enrollment+created+v1_schema"
	redemptionR = "org+openedx+enterprise+subsidy+redemption-reversed+v1_schema"
)

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
	in := filepath.Join(importDir, enrollment+".avsc")
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
	bad := filepath.Join(importDir, redemptionR+".avsc")
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
	// The good file is still imported; the bad ones write nothing.
	entries, _ := os.ReadDir(out)
	if len(entries) != 1 || entries[0].Name() != "money.evc" {
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
