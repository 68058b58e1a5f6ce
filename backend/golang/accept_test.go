package golang

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evc-dev/evc/backend/avro"
	"github.com/evc-dev/evc/compiler"
	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/ir"
)

// acceptCases are schemas the compiler accepts whose Go code once did not
// build: each folder of testdata/accept, with the record to exercise with
// random values ("" for a folder whose code is only built and vetted:
// twmb/avro, which makes the values, refuses its schemas, or they have no
// values).
var acceptCases = []struct{ dir, root string }{
	{"same_short_name", "R"},            // two types F in two namespaces, one renamed with @name
	{"array_of_null", "R"},              // array<null>, map<null>: nothing to encode per item
	{"cross_namespace_cycle", "a.Node"}, // a and b refer to each other
	{"java_accepts", "a.R"},             // what Avro Java accepts outside the specification
	{"build_only", ""},                  // a field alias equal to another field, a decimal scale of 2.5, an empty union, fixed defaults of the wrong length
}

func compileAccept(t *testing.T, dir string) *ir.Schema {
	t.Helper()
	res := compiler.Compile([]string{filepath.Join("testdata/accept", dir)}, compiler.Options{})
	if res.Diags.HasErrors() {
		var b strings.Builder
		_ = diag.WriteText(&b, res.Diags.Items(), res.Sources)
		t.Fatalf("%s has diagnostics:\n%s", dir, b.String())
	}
	return res.Schema
}

// TestGenerate_Accepted generates Go for each accepted case, builds and
// vets it, and round-trips random values that twmb/avro encodes.
func TestGenerate_Accepted(t *testing.T) {
	h := newHarness(t)
	for _, c := range acceptCases {
		s := compileAccept(t, c.dir)
		root := s.Types[0]
		if c.root != "" {
			root = s.Lookup(c.root)
		}
		if root == nil {
			t.Fatalf("%s: no type %s", c.dir, c.root)
		}
		id, err := h.add(s, root)
		if err != nil {
			t.Fatalf("%s: %v", c.dir, err)
		}
		if c.root != "" {
			schema := string(avro.SchemaJSON(root, false))
			h.cases = append(h.cases, harnessCase{kind: "random", name: c.dir, schema: schema, goType: id})
			for _, e := range []string{"reordered", "defaults-dropped"} {
				h.cases = append(h.cases, harnessCase{kind: "resolve", name: c.dir + " " + e, writer: evolve(t, schema, e), reader: schema, goType: id})
			}
		}
	}
	results := h.run()
	for _, c := range acceptCases {
		if c.root == "" {
			continue
		}
		for _, name := range []string{c.dir, c.dir + " reordered", c.dir + " defaults-dropped"} {
			if r := results[name]; r.Status != "ok" {
				t.Errorf("%s: %s: %s", name, r.Status, r.Detail)
			}
		}
	}
}

// evolve returns a writer schema of another version of schema, which the
// generated code for schema must read: "reordered" reverses the fields of
// every record and adds a field that the reader skips first;
// "defaults-dropped" removes every field that has a default, which the
// reader fills in.
func evolve(t *testing.T, schema, how string) string {
	var v any
	d := json.NewDecoder(strings.NewReader(schema))
	d.UseNumber()
	if err := d.Decode(&v); err != nil {
		t.Fatal(err)
	}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if fields, ok := v["fields"].([]any); ok {
				out := []any{}
				switch how {
				case "reordered":
					// The last fields that name no type move first, in
					// reverse order: a name must be defined before use.
					n := len(fields)
					for n > 0 && unnamed(fields[n-1].(map[string]any)["type"]) {
						n--
					}
					out = append(out, map[string]any{"name": "evc_skipped", "type": []any{"null", "string", "long"}})
					for i := len(fields) - 1; i >= n; i-- {
						out = append(out, fields[i])
					}
					out = append(out, fields[:n]...)
				case "defaults-dropped":
					for _, f := range fields {
						if _, ok := f.(map[string]any)["default"]; !ok {
							out = append(out, f)
						}
					}
				}
				v["fields"] = out
			}
			for k, x := range v {
				if k != "default" {
					walk(x)
				}
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(v)
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// unnamed reports whether a schema neither defines nor refers to a named
// type.
func unnamed(schema any) bool {
	switch s := schema.(type) {
	case string:
		switch s {
		case "null", "boolean", "int", "long", "float", "double", "bytes", "string":
			return true
		}
	case []any:
		for _, b := range s {
			if !unnamed(b) {
				return false
			}
		}
		return true
	case map[string]any:
		switch s["type"] {
		case "array":
			return unnamed(s["items"])
		case "map":
			return unnamed(s["values"])
		case "record", "error", "enum", "fixed":
			return false
		}
		return unnamed(s["type"])
	}
	return false
}

// TestGenerate_CyclePackages checks where the types of namespaces that
// refer to each other go: into one package, the first by import path,
// unless go_package or Options.Packages chose one of them.
func TestGenerate_CyclePackages(t *testing.T) {
	s := compileAccept(t, "cross_namespace_cycle")
	for _, tc := range []struct {
		name     string
		packages map[string]string
		want     map[string]string // full name -> import path
	}{
		{"default", nil, map[string]string{"a.Node": "example.com/m/a", "b.Leaf": "example.com/m/a", "c.Other": "example.com/m/c"}},
		{"one chosen", map[string]string{"b": "example.com/m/tree"}, map[string]string{"a.Node": "example.com/m/tree", "b.Leaf": "example.com/m/tree", "c.Other": "example.com/m/c"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, g, err := generate(s, Options{Module: "example.com/m", Packages: tc.packages})
			if err != nil {
				t.Fatal(err)
			}
			for full, want := range tc.want {
				if got := g.named[s.Lookup(full)].ident.ImportPath; got != want {
					t.Errorf("%s is in %s, want %s", full, got, want)
				}
			}
		})
	}
	// Two packages chosen apart stay apart, and that is an error.
	_, err := Generate(s, Options{Module: "example.com/m", Packages: map[string]string{"a": "example.com/m/p", "b": "example.com/m/q"}})
	want := `evc: go backend: Go packages would import each other: "example.com/m/p" (a.Node uses a type of the next), "example.com/m/q" (b.Leaf uses a type of the next); put these namespaces in one package with go_package or Options.Packages`
	if err == nil || err.Error() != want {
		t.Errorf("error %v\nwant  %s", err, want)
	}
}

func TestTypeName(t *testing.T) {
	for _, tc := range []struct{ name, goName, want string }{
		{"F", "", "F"},
		{"F", "two_F", "TwoF"}, // an evc identifier given @name("F")
		{"F", "MyF", "MyF"},    // @go_name as written
		{"event_created", "", "EventCreated"},
	} {
		if got := typeName(&ir.Named{Name: tc.name, GoName: tc.goName}); got != tc.want {
			t.Errorf("typeName(%q, GoName %q) = %q, want %q", tc.name, tc.goName, got, tc.want)
		}
	}
}

// TestGenerate_CycleOfThree: a -> b -> c -> a share one package, the first;
// d, which uses a, keeps its own, and so does e, used by the cycle.
func TestGenerate_CycleOfThree(t *testing.T) {
	rec := func(ns string) *ir.Named { return &ir.Named{Kind: ir.Record, Name: "T", Namespace: ns} }
	a, b, c, d, e := rec("a"), rec("b"), rec("c"), rec("d"), rec("e")
	use := func(from *ir.Named, to ...*ir.Named) {
		for i, n := range to {
			typ := &ir.Type{Kind: ir.Record, Named: n}
			if n != e {
				typ = &ir.Type{Kind: ir.Array, Items: typ} // finite values
			}
			from.Fields = append(from.Fields, &ir.Field{Name: fmt.Sprintf("f%d", i), Type: typ})
		}
	}
	use(a, b)
	use(b, c, e)
	use(c, a)
	use(d, a)
	s := &ir.Schema{Types: []*ir.Named{d, c, b, a, e}}
	_, g, err := generate(s, Options{Module: "example.com/m"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[*ir.Named]string{a: "example.com/m/a", b: "example.com/m/a", c: "example.com/m/a", d: "example.com/m/d", e: "example.com/m/e"}
	for n, ip := range want {
		if got := g.named[n].ident; got.ImportPath != ip {
			t.Errorf("%s.T is in %s, want %s", n.Namespace, got.ImportPath, ip)
		}
	}
	// Three types named T in one package: each keeps a distinct Go name.
	names := map[string]bool{}
	for _, n := range []*ir.Named{a, b, c} {
		names[g.named[n].ident.Name] = true
	}
	if len(names) != 3 {
		t.Errorf("Go names %v, want three", names)
	}
}
