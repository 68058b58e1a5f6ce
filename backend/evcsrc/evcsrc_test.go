package evcsrc

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	tavro "github.com/twmb/avro"

	"github.com/evc-dev/evc/backend/avro"
	"github.com/evc-dev/evc/compiler"
	"github.com/evc-dev/evc/compiler/avsc"
	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/idl"
	"github.com/evc-dev/evc/internal/corpus"
	"github.com/evc-dev/evc/internal/golden"
	"github.com/evc-dev/evc/ir"
)

// printAvsc reads an .avsc and prints it as evc, returning the source and
// the diagnostics of both steps.
func printAvsc(t testing.TB, name string, src []byte) (*ir.File, []byte, []diag.Diagnostic) {
	t.Helper()
	var l diag.List
	f := avsc.Read(name, src, &l, nil)
	if l.HasErrors() {
		return f, nil, l.Items()
	}
	out := Print(f, &l)
	return f, out, l.Items()
}

func TestPrint_Golden(t *testing.T) {
	inputs, _ := filepath.Glob(filepath.Join("testdata", "golden", "*.avsc"))
	if len(inputs) == 0 {
		t.Fatal("no inputs in testdata/golden")
	}
	for _, path := range inputs {
		t.Run(filepath.Base(path), func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			_, out, ds := printAvsc(t, filepath.ToSlash(path), src)
			got := out
			if len(ds) > 0 {
				var b bytes.Buffer
				b.Write(out)
				b.WriteString("=== diagnostics\n")
				diag.WriteText(&b, ds, nil)
				got = b.Bytes()
			}
			golden.Check(t, strings.TrimSuffix(path, ".avsc")+".evc.golden", got)
			if out != nil {
				again, errs := idl.Format("x.evc", out)
				if len(errs) > 0 || !bytes.Equal(again, out) {
					t.Errorf("the output is not in canonical form: %v", errs)
				}
			}
		})
	}
}

func TestPrint_NotNamedRoot(t *testing.T) {
	for src, want := range map[string]string{
		`["null", "string"]`:                `the top-level schema of x.avsc is a union, not a record, enum or fixed`,
		`"long"`:                            `the top-level schema of x.avsc is the primitive type long, not a record`,
		`{"type": "array", "items": "int"}`: `the top-level schema of x.avsc is an array`,
	} {
		_, out, ds := printAvsc(t, "x.avsc", []byte(src))
		if out != nil || len(ds) != 1 || !strings.Contains(ds[0].Error(), want) {
			t.Errorf("%s: out %q diagnostics %v, want %q", src, out, ds, want)
		}
	}
}

// corpusSchemas returns the schemas to round-trip: the golden inputs, then
// every schema of the corpus (internal/corpus).
func corpusSchemas(t testing.TB) []corpus.File {
	t.Helper()
	goldens, _ := filepath.Glob("testdata/golden/*.avsc")
	var out []corpus.File
	for _, g := range goldens {
		src, err := os.ReadFile(g)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, corpus.File{Name: filepath.ToSlash(g), Data: src})
	}
	return append(out, corpus.Schemas()...)
}

// TestPrint_RoundTrip checks .avsc -> IR -> .evc -> compiler -> .avsc on
// every schema of the corpus whose top-level type is named: the compiled
// type writes the same .avsc as the type read, with the same Parsing
// Canonical Form as the input, and the same docs, defaults, aliases, orders
// and custom properties.
func TestPrint_RoundTrip(t *testing.T) {
	schemas := corpusSchemas(t)
	// knownGaps are schemas that evc source cannot say yet, with why. A gap
	// that closes fails the test, so that it leaves this list.
	knownGaps := map[string]string{}
	gapSeen := map[string]bool{}
	dir := t.TempDir()
	done, unnamed, pcf, lossless := 0, 0, 0, 0
	for i, s := range schemas {
		name := s.Name
		var l diag.List
		in := avsc.Read(name, s.Data, &l, nil)
		if strings.Contains(name, "redemption-reversed") {
			// Not valid Avro: the reader says so, naming the file and the name.
			if !l.HasErrors() || !strings.Contains(l.Err().Error(), name+":") || !strings.Contains(l.Err().Error(), `"redemption-reversed"`) {
				t.Errorf("%s: want an error naming the file and \"redemption-reversed\", got %v", name, l.Err())
			}
			continue
		}
		if l.HasErrors() {
			if strings.Contains(name, "testdata/golden/") {
				continue // the golden test shows these errors
			}
			t.Errorf("%s: %v", name, l.Err())
			continue
		}
		if in.Root == nil || !in.Root.Kind.IsNamed() {
			unnamed++
			continue
		}
		src := Print(in, &l)
		if l.HasErrors() {
			t.Errorf("%s: Print: %v", name, l.Err())
			continue
		}
		path := filepath.Join(dir, fmt.Sprintf("s%03d.evc", i))
		if err := os.WriteFile(path, src, 0o644); err != nil {
			t.Fatal(err)
		}
		res := compiler.Compile([]string{path}, compiler.Options{})
		if why, ok := knownGaps[name]; ok {
			gapSeen[name] = true
			if res.Diags.HasErrors() {
				t.Logf("%s: known gap: %s", name, why)
				continue
			}
			t.Errorf("%s: compiles now; remove it from knownGaps", name)
		}
		if res.Diags.HasErrors() {
			var b bytes.Buffer
			diag.WriteText(&b, res.Diags.Items(), res.Sources)
			t.Errorf("%s: the printed source does not compile:\n%s\n%s", name, b.String(), src)
			continue
		}
		root := in.Root.Named
		n := res.Schema.Lookup(root.FullName())
		if n == nil {
			t.Errorf("%s: %s is not in the compiled schema:\n%s", name, root.FullName(), src)
			continue
		}
		want, got := avro.SchemaJSON(root, true), avro.SchemaJSON(n, true)
		if !bytes.Equal(want, got) {
			t.Errorf("%s: the round trip changed the schema (-want +got):\n%s\nsource:\n%s", name, golden.Diff(string(want), string(got)), src)
			continue
		}
		if diff := compareAttributes(s.Data, got); diff != "" {
			t.Errorf("%s: %s\nsource:\n%s", name, diff, src)
		}
		// The whole schema, as Avro reads it: nothing lost, nothing added.
		if a, b := mustNormal(t, s.Data), mustNormal(t, got); a != b {
			t.Errorf("%s: not the same schema after the round trip (-input +output):\n%s", name, golden.Diff(a, b))
			continue
		}
		lossless++
		if orig, err := tavro.Parse(string(s.Data)); err == nil {
			out, err := tavro.Parse(string(got))
			if err != nil {
				t.Errorf("%s: twmb/avro rejects the output: %v", name, err)
				continue
			}
			if !bytes.Equal(orig.Canonical(), out.Canonical()) {
				t.Errorf("%s: canonical form changed:\n got %s\nwant %s", name, out.Canonical(), orig.Canonical())
			}
			pcf++
		}
		done++
	}
	for name := range knownGaps {
		if !gapSeen[name] {
			t.Errorf("known gap %s was not tried", name)
		}
	}
	if done < 200 || pcf < done-10 {
		t.Errorf("round-tripped %d schemas, compared %d canonical forms", done, pcf)
	}
	t.Logf("%d schemas round-tripped (%d canonical forms compared, %d the same schema as the input), %d with an unnamed top-level type skipped", done, pcf, lossless, unnamed)
}

// compareAttributes compares what Parsing Canonical Form drops: docs,
// defaults, aliases, orders, custom properties, every attribute but the
// structure, by place in the schema, values compared as JSON (numbers by
// value).
func compareAttributes(want, got []byte) string {
	a, err := attributes(want)
	if err != nil {
		return "input: " + err.Error()
	}
	b, err := attributes(got)
	if err != nil {
		return "output: " + err.Error()
	}
	var diffs []string
	for k, v := range a {
		if w, ok := b[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("%s: %s is lost", k, v))
		} else if w != v {
			diffs = append(diffs, fmt.Sprintf("%s: %s became %s", k, v, w))
		}
	}
	for k, v := range b {
		if _, ok := a[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("%s: %s is new", k, v))
		}
	}
	sort.Strings(diffs)
	return strings.Join(diffs, "\n")
}

// attributes flattens a schema's attributes to place -> canonical JSON.
func attributes(src []byte) (map[string]string, error) {
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	out := map[string]string{}
	walkSchema(v, "", "root", out, map[string]bool{})
	return out, nil
}

var structural = map[string]bool{"type": true, "name": true, "namespace": true, "fields": true, "items": true, "values": true, "aliases": true}

func walkSchema(v any, ns, at string, out map[string]string, defined map[string]bool) {
	switch s := v.(type) {
	case []any:
		for i, b := range s {
			walkSchema(b, ns, fmt.Sprintf("%s|%d", at, i), out, defined)
		}
	case map[string]any:
		typ, _ := s["type"].(string)
		switch typ {
		case "record", "error", "enum", "fixed":
			name, _ := s["name"].(string)
			if n, ok := s["namespace"].(string); ok && !strings.Contains(name, ".") {
				ns = n
			}
			full := name
			if !strings.Contains(name, ".") && ns != "" {
				full = ns + "." + name
			}
			if i := strings.LastIndexByte(full, '.'); i >= 0 {
				ns = full[:i]
			} else {
				ns = ""
			}
			at = "type " + full
			out[at+" is"] = typ // "error" stays "error"
			if als, ok := s["aliases"].([]any); ok {
				var q []string
				for _, a := range als {
					a := a.(string)
					if !strings.Contains(a, ".") && ns != "" {
						a = ns + "." + a
					}
					q = append(q, a)
				}
				out[at+" aliases"] = strings.Join(q, ",")
			}
		case "array", "map":
		default:
			if _, primitive := ir.PrimitiveKind(typ); !primitive {
				return // a reference: Avro drops attributes there
			}
		}
		for k, val := range s {
			if _, str := val.(string); k == "doc" && !str {
				continue // Avro reads a doc that is not a string as none
			}
			if !structural[k] {
				out[at+" "+k] = canonicalJSON(val)
			}
		}
		if fields, ok := s["fields"].([]any); ok {
			for _, f := range fields {
				fo := f.(map[string]any)
				fat := fmt.Sprintf("%s.%v", at, fo["name"])
				for k, val := range fo {
					if _, str := val.(string); k == "doc" && !str {
						continue
					}
					switch k {
					case "name", "type":
					case "aliases":
						out[fat+" aliases"] = canonicalJSON(val)
					default:
						out[fat+" "+k] = canonicalJSON(val)
					}
				}
				walkSchema(fo["type"], ns, fat+" type", out, defined)
			}
		}
		walkSchema(s["items"], ns, at+" items", out, defined)
		walkSchema(s["values"], ns, at+" values", out, defined)
	}
}

// canonicalJSON renders a decoded JSON value with sorted keys and numbers by
// exact value.
func canonicalJSON(v any) string {
	switch x := v.(type) {
	case json.Number:
		r, ok := new(big.Rat).SetString(x.String())
		if !ok {
			return x.String()
		}
		return r.RatString()
	case []any:
		parts := make([]string, len(x))
		for i, it := range x {
			parts[i] = canonicalJSON(it)
		}
		return "[" + strings.Join(parts, ",") + "]"
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = ir.QuoteJSON(k) + ":" + canonicalJSON(x[k])
		}
		return "{" + strings.Join(parts, ",") + "}"
	case string:
		return ir.QuoteJSON(x)
	default:
		b, _ := json.Marshal(x)
		return string(b)
	}
}

// TestCompareAttributes_Fails makes sure the attribute comparison sees a
// lost doc, a changed default and a changed property.
func TestCompareAttributes_Fails(t *testing.T) {
	base := `{"type": "record", "name": "R", "doc": "d", "x": [1], "fields": [{"name": "a", "type": "long", "default": 9007199254740993}]}`
	for _, changed := range []string{
		`{"type": "record", "name": "R", "x": [1], "fields": [{"name": "a", "type": "long", "default": 9007199254740993}]}`,
		`{"type": "record", "name": "R", "doc": "d", "x": [1], "fields": [{"name": "a", "type": "long", "default": 9007199254740992}]}`,
		`{"type": "record", "name": "R", "doc": "d", "x": [2], "fields": [{"name": "a", "type": "long", "default": 9007199254740993}]}`,
	} {
		if compareAttributes([]byte(base), []byte(changed)) == "" {
			t.Errorf("no difference found in %s", changed)
		}
	}
	if d := compareAttributes([]byte(base), []byte(strings.ReplaceAll(base, `[1]`, `[1.0]`))); d != "" {
		t.Errorf("1 and 1.0 differ: %s", d)
	}
}

func TestPrint_Deterministic(t *testing.T) {
	src, err := os.ReadFile("testdata/golden/everything.avsc")
	if err != nil {
		t.Fatal(err)
	}
	_, a, _ := printAvsc(t, "e.avsc", src)
	for i := 0; i < 5; i++ {
		_, b, _ := printAvsc(t, "e.avsc", src)
		if !bytes.Equal(a, b) {
			t.Fatal("two runs print different source")
		}
	}
}

// TestLiteral covers default values that the corpus lacks.
func TestLiteral(t *testing.T) {
	for _, c := range []struct {
		v    *ir.Value
		want string
	}{
		{&ir.Value{Kind: ir.Long, Int: -9223372036854775808}, "-9223372036854775808"},
		{&ir.Value{Kind: ir.Double, Float: 0.1, Raw: "1e-1"}, "1e-1"},
		{&ir.Value{Kind: ir.Float, Float: 2}, "2.0"},
		{&ir.Value{Kind: ir.Bytes, Bytes: []byte{0, 'a', 0xff, '"'}}, `"\u0000a\u00ff\""`},
		{&ir.Value{Kind: ir.Enum, Str: "true"}, `"true"`},
		{&ir.Value{Kind: ir.Enum, Str: "RED"}, `RED`},
		{&ir.Value{Kind: ir.Map, Entries: []ir.Entry{{Key: "k", Value: &ir.Value{Kind: ir.Array}}}}, `{"k": []}`},
	} {
		if got := literal(c.v); got != c.want {
			t.Errorf("literal(%+v) = %s, want %s", c.v, got, c.want)
		}
	}
	if !reflect.DeepEqual(prop(ir.Prop{Name: "order", Value: `"x"`}), `@prop("order", "x")`) {
		t.Errorf("prop order = %s", prop(ir.Prop{Name: "order", Value: `"x"`}))
	}
}

// knownGapMessages are compiler errors on schemas that the .avsc reader
// accepts: what evc source cannot say yet.
var knownGapMessages = []string{
	`"logicalType" is an Avro attribute`,     // an unknown logical type's attribute
	`has no symbols`,                         // an enum without symbols
	`the size must be a whole number from 1`, // a fixed of size 0
	`appears twice`,                          // a duplicate key inside a property's JSON value
}

func mustNormal(t testing.TB, src []byte) string {
	t.Helper()
	s, err := normalSchema(src)
	if err != nil {
		t.Fatalf("not JSON: %v\n%s", err, src)
	}
	// The output has the input's meaning but one layout: compare the
	// parsed forms, so a key's order or a number's spelling does not count.
	return strings.ReplaceAll(s, `,"`, ",\n\"")
}

// FuzzPrint checks that every .avsc the reader accepts with a named
// top-level type prints as evc that compiles back to the same schema.
func FuzzPrint(f *testing.F) {
	goldens, _ := filepath.Glob("testdata/golden/*.avsc")
	for _, g := range goldens {
		src, err := os.ReadFile(g)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if !utf8.Valid(src) {
			return // JSON text is UTF-8 (RFC 8259); the reader keeps invalid bytes as they are
		}
		var l diag.List
		in := avsc.Read("f.avsc", src, &l, nil)
		if l.HasErrors() || in.Root == nil || !in.Root.Kind.IsNamed() {
			return
		}
		before := l.Len()
		out := Print(in, &l)
		if l.HasErrors() {
			t.Fatalf("Print: %v", l.Err())
		}
		if l.Len() > before {
			return // Print warned that the source cannot carry something exactly
		}
		res := compiler.Compile([]string{"f.evc"}, compiler.Options{FS: fstest.MapFS{"f.evc": {Data: out}}})
		if res.Diags.HasErrors() {
			for _, gap := range knownGapMessages {
				if strings.Contains(res.Diags.Err().Error(), gap) {
					return
				}
			}
			t.Fatalf("does not compile: %v\n%s", res.Diags.Err(), out)
		}
		n := res.Schema.Lookup(in.Root.Named.FullName())
		if n == nil {
			t.Fatalf("%s not compiled:\n%s", in.Root.Named.FullName(), out)
		}
		// Equal as JSON: a property's value may come back spelt otherwise
		// ("\u0020" as " ").
		if want, got := avro.SchemaJSON(in.Root.Named, false), avro.SchemaJSON(n, false); jsonText(t, want) != jsonText(t, got) {
			t.Fatalf("schema changed:\n%s\n%s\nsource:\n%s", want, got, out)
		}
	})
}

// jsonText decodes JSON and renders it canonically (sorted keys, numbers by
// value, strings re-quoted).
func jsonText(t *testing.T, b []byte) string {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	return canonicalJSON(v)
}
