package avro

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	tavro "github.com/twmb/avro"

	"github.com/evc-dev/evc/ir"
)

// update reports whether goldens should be rewritten (EVC_UPDATE=1).
func update() bool { return os.Getenv("EVC_UPDATE") == "1" }

// genSchema reads every testdata/gen/*.avsc into one schema.
func genSchema(t *testing.T) *ir.Schema {
	t.Helper()
	files, err := filepath.Glob("testdata/gen/*.avsc")
	if err != nil || len(files) == 0 {
		t.Fatalf("no inputs: %v", err)
	}
	s := &ir.Schema{}
	for _, p := range files {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		f := readAvsc(t, p, src)
		s.Files = append(s.Files, f)
		s.Types = append(s.Types, f.Types...)
	}
	// An imported file produces no output.
	s.Files = append(s.Files, &ir.File{Path: "dep.avsc", Imported: true, Types: []*ir.Named{{Kind: ir.Fixed, Name: "Dep", Size: 1}}})
	return s
}

// TestGenerate_Golden regenerates every .avsc under testdata/golden and fails
// on stale or missing files.
func TestGenerate_Golden(t *testing.T) {
	files, err := Generate(genSchema(t))
	if err != nil {
		t.Fatal(err)
	}
	dir := "testdata/golden"
	var got []string
	for _, f := range files {
		got = append(got, f.Path)
		path := filepath.Join(dir, f.Path)
		if update() {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("missing golden %s (run with EVC_UPDATE=1): %v", path, err)
			continue
		}
		if !bytes.Equal(want, f.Data) {
			t.Errorf("stale generated file %s: -want +got:\n-%s\n+%s", path, want, f.Data)
		}
	}
	sort.Strings(got)
	want := []string{"Anon.avsc", "shop.orders.v1.Hash.avsc", "shop.orders.v1.Line.avsc", "shop.orders.v1.OrderPlaced.avsc",
		"shop.orders.v1.Span.avsc", "shop.orders.v1.Status.avsc", "shop.people.Customer.avsc"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("files:\n got %v\nwant %v", got, want)
	}
	// Every golden on disk is one Generate writes.
	onDisk, _ := filepath.Glob(filepath.Join(dir, "*.avsc"))
	if len(onDisk) != len(files) {
		t.Errorf("%d goldens on disk, %d generated: remove the stale ones", len(onDisk), len(files))
	}
	var cases []pyCase
	for _, f := range files {
		if !bytes.HasSuffix(f.Data, []byte("}\n")) || bytes.HasSuffix(f.Data, []byte("\n\n")) {
			t.Errorf("%s: want one final newline", f.Path)
		}
		if _, err := tavro.Parse(string(f.Data)); err != nil {
			t.Errorf("%s: twmb/avro rejects it: %v", f.Path, err)
		}
		// Reading the output back gives the same types.
		back := readAvsc(t, f.Path, f.Data)
		if !bytes.Equal(TypeJSON(back.Root, true), bytes.TrimSuffix(f.Data, []byte("\n"))) {
			t.Errorf("%s: reading it back and writing it again differs", f.Path)
		}
		cases = append(cases, pyCase{f.Path, f.Data})
	}
	pythonParses(t, cases)
}

// TestGenerate_ReadBack: the generated top-level schema, read back, is the
// schema it was generated from.
func TestGenerate_ReadBack(t *testing.T) {
	s := genSchema(t)
	order := s.Files[0].Types[0]
	back := readAvsc(t, "back.avsc", SchemaJSON(order, true))
	if d := compareNamed(order, back.Types[0], map[[2]*ir.Named]bool{}); d != "" {
		t.Error(d)
	}
	if got := back.Types[0].Field("seq").Default.Int; got != 9007199254740993 {
		t.Errorf("long default %d", got)
	}
}

func TestSchemaJSON_Compact(t *testing.T) {
	color := &ir.Named{Kind: ir.Enum, Name: "Color", Namespace: "ex", Symbols: []*ir.Symbol{{Name: "RED", Doc: "red"}, {Name: "BLUE"}}}
	money := &ir.Named{Kind: ir.Fixed, Name: "Money", Namespace: "lib", Size: 8, Logical: ir.Decimal, Precision: 10, Scale: 2}
	rec := &ir.Named{Kind: ir.Record, Name: "Paint", Namespace: "ex", Deprecated: true, DeprecatedReason: "old", Fields: []*ir.Field{
		{Name: "color", Type: &ir.Type{Kind: ir.Union, Optional: true, Branches: []*ir.Type{{Kind: ir.Null}, {Kind: ir.Enum, Named: color}}},
			Default: &ir.Value{Kind: ir.Null}},
		{Name: "second", Type: &ir.Type{Kind: ir.Enum, Named: color}, Default: &ir.Value{Kind: ir.Enum, Str: "BLUE"}},
		{Name: "price", Type: &ir.Type{Kind: ir.Fixed, Named: money}},
		{Name: "at", Type: &ir.Type{Kind: ir.Long, Logical: ir.TimestampMicros, Custom: &ir.Custom{Name: "Instant", Namespace: "ex"}}},
		{Name: "n", Type: &ir.Type{Kind: ir.Long}, Default: &ir.Value{Kind: ir.Long, Int: -9223372036854775808}, Deprecated: true,
			Props: []ir.Prop{{Name: "x-unit", Value: "  \"ms\" "}, {Name: "type", Value: `"bogus"`}}},
	}}
	want := `{"type":"record","name":"Paint","namespace":"ex","fields":[` +
		`{"name":"color","type":["null",{"type":"enum","name":"Color","symbols":["RED","BLUE"],"x-evc-symbol-docs":{"RED":"red"}}],"default":null},` +
		`{"name":"second","type":"ex.Color","default":"BLUE"},` +
		`{"name":"price","type":{"type":"fixed","name":"Money","namespace":"lib","size":8,"logicalType":"decimal","precision":10,"scale":2}},` +
		`{"name":"at","type":{"type":"long","logicalType":"timestamp-micros"}},` +
		`{"name":"n","type":"long","default":-9223372036854775808,"deprecated":true,"x-unit":"ms"}` +
		`],"deprecated":"old"}`
	if got := string(SchemaJSON(rec, false)); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if got := string(TypeJSON(&ir.Type{Kind: ir.Union, Branches: []*ir.Type{{Kind: ir.Null}, {Kind: ir.String}}}, true)); got != "[\n  \"null\",\n  \"string\"\n]" {
		t.Errorf("union: %q", got)
	}
	if got := string(TypeJSON(&ir.Type{Kind: ir.Int}, false)); got != `"int"` {
		t.Errorf("int: %s", got)
	}
}
