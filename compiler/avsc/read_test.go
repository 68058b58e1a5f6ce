package avsc

import (
	"os"
	"strings"
	"testing"

	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/internal/corpus"
	"github.com/evc-dev/evc/ir"
)

func read(t *testing.T, src string) (*ir.File, *diag.List) {
	t.Helper()
	var l diag.List
	f := Read("t.avsc", []byte(src), &l, nil)
	return f, &l
}

func mustRead(t *testing.T, src string) *ir.File {
	t.Helper()
	f, l := read(t, src)
	if l.HasErrors() {
		for _, d := range l.Items() {
			t.Error(d.Error())
		}
		t.FailNow()
	}
	return f
}

func TestRead_Namespaces(t *testing.T) {
	f := mustRead(t, `{"type": "record", "name": "A", "namespace": "x.y", "aliases": ["Old", "z.Older"], "fields": [
		{"name": "b", "type": {"type": "record", "name": "B", "fields": [
			{"name": "c", "type": {"type": "enum", "name": "q.C", "symbols": ["S"]}},
			{"name": "d", "type": {"type": "fixed", "name": "D", "size": 1}}
		]}},
		{"name": "e", "type": {"type": "record", "name": "E", "namespace": "", "fields": [{"name": "b2", "type": "x.y.B"}]}},
		{"name": "c2", "type": "q.C"},
		{"name": "self", "type": ["null", "A"]},
		{"name": "e2", "type": "E"}
	]}`)
	var got []string
	for _, n := range f.Types {
		got = append(got, n.Kind.String()+" "+n.FullName())
	}
	want := []string{"record x.y.A", "record x.y.B", "enum q.C", "fixed x.y.D", "record E"}
	if strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("types: got %v, want %v", got, want)
	}
	a := f.Types[0]
	if f.Root.Named != a || a.File != f || !f.Avsc || f.Path != "t.avsc" {
		t.Errorf("root/file not set: %+v", f)
	}
	if strings.Join(a.Aliases, ",") != "x.y.Old,z.Older" {
		t.Errorf("aliases: %v", a.Aliases)
	}
	if n := a.Field("self").Type; !n.Optional || n.Branches[1].Named != a {
		t.Errorf("self: %+v", n)
	}
	if a.Field("c2").Type.Named != f.Types[2] || a.Field("e2").Type.Named != f.Types[4] {
		t.Error("references resolved to the wrong types")
	}
	if f.Types[4].Fields[0].Type.Named != f.Types[1] {
		t.Error("full-name reference from the null namespace")
	}
}

func TestRead_Fields(t *testing.T) {
	f := mustRead(t, `{"type": "record", "name": "R", "doc": "a record", "x-team": {"a": [1, 2]}, "fields": [
		{"name": "id", "type": "long", "doc": "the id", "default": 9007199254740993, "order": "descending", "aliases": ["ident"], "x-pii": true},
		{"name": "ts", "type": {"type": "long", "logicalType": "timestamp-micros", "connect.name": "ts"}},
		{"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}},
		{"name": "money", "type": {"type": "fixed", "name": "Money", "size": 8, "logicalType": "decimal", "precision": 18}},
		{"name": "odd", "type": {"type": "string", "logicalType": "date", "x": 1}},
		{"name": "u", "type": {"type": "fixed", "name": "U", "size": 16, "logicalType": "uuid"}},
		{"name": "old", "type": "int", "deprecated": "use id", "default": 0},
		{"name": "flag", "type": "boolean", "deprecated": false, "default": false}
	]}`)
	r := f.Types[0]
	if r.Doc != "a record" || len(r.Props) != 1 || r.Props[0].Name != "x-team" || r.Props[0].Value != `{"a": [1, 2]}` {
		t.Errorf("record: doc %q props %+v", r.Doc, r.Props)
	}
	id := r.Field("id")
	if id.Doc != "the id" || id.Default.Int != 9007199254740993 || id.Default.JSON() != "9007199254740993" ||
		id.Order != ir.OrderDescending || id.Aliases[0] != "ident" || len(id.Props) != 1 || id.Props[0].Value != "true" {
		t.Errorf("id: %+v", id)
	}
	if ts := r.Field("ts").Type; ts.Kind != ir.Long || ts.Logical != ir.TimestampMicros || len(ts.Props) != 1 || ts.Props[0].Name != "connect.name" {
		t.Errorf("ts: %+v", ts)
	}
	if a := r.Field("amount").Type; a.Logical != ir.Decimal || a.Precision != 10 || a.Scale != 2 || len(a.Props) != 0 {
		t.Errorf("amount: %+v", a)
	}
	if m := r.Field("money").Type.Named; m.Logical != ir.Decimal || m.Precision != 18 || m.Scale != 0 || m.Size != 8 {
		t.Errorf("money: %+v", m)
	}
	odd := r.Field("odd").Type
	if odd.Logical != ir.NoLogical || len(odd.Props) != 2 || odd.Props[0].Name != "logicalType" || odd.Props[0].Value != `"date"` {
		t.Errorf("odd: %+v", odd)
	}
	if u := r.Field("u").Type.Named; u.Logical != ir.UUID {
		t.Errorf("uuid on fixed(16): %+v", u)
	}
	if old := r.Field("old"); !old.Deprecated || old.DeprecatedReason != "use id" || len(old.Props) != 0 {
		t.Errorf("old: %+v", old)
	}
	if fl := r.Field("flag"); fl.Deprecated || len(fl.Props) != 1 || fl.Props[0].Value != "false" {
		t.Errorf("flag: %+v", fl)
	}
}

func TestRead_Extensions(t *testing.T) {
	f := mustRead(t, `{"type": "record", "name": "Ev", "namespace": "n", "deprecated": true,
		"x-evc-event": {"type": "n.ev.v1", "source": "/svc"}, "x-evc-reserved": ["gone"],
		"fields": [{"name": "c", "type": {"type": "enum", "name": "C", "symbols": ["A", "B"], "default": "A",
			"x-evc-symbol-docs": {"B": "the b"}, "x-evc-reserved": ["Z"]}}]}`)
	ev, c := f.Types[0], f.Types[1]
	if !ev.Deprecated || ev.DeprecatedReason != "" || ev.Event == nil || ev.Event.Type != "n.ev.v1" || ev.Event.Source != "/svc" ||
		len(ev.Reserved) != 1 || ev.Reserved[0].Name != "gone" || len(ev.Props) != 0 {
		t.Errorf("record: %+v", ev)
	}
	if c.Symbols[0].Doc != "" || c.Symbols[1].Doc != "the b" || !c.HasDefault || c.Default != "A" || c.Reserved[0].Name != "Z" || len(c.Props) != 0 {
		t.Errorf("enum: %+v", c)
	}
}

func TestRead_TopLevelShapes(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{`"string"`, "string"},
		{`{"type": "long", "logicalType": "timestamp-millis"}`, "timestamp-millis"},
		{`["null", {"type": "map", "values": "int"}]`, "map<int>?"},
		{`["int", "string"]`, "union<int, string>"},
		{`{"type": "array", "items": {"type": "enum", "name": "E", "symbols": []}}`, "array<E>"},
		{"\ufeff  \"int\" \n", "int"},
	} {
		f := mustRead(t, tc.src)
		if got := f.Root.Name(); got != tc.want {
			t.Errorf("%s: root %s, want %s", tc.src, got, tc.want)
		}
	}
}

func TestRead_Lookup(t *testing.T) {
	ext := &ir.Named{Kind: ir.Enum, Name: "Color", Namespace: "lib", Symbols: []*ir.Symbol{{Name: "RED"}}}
	var l diag.List
	f := Read("t.avsc", []byte(`{"type": "record", "name": "R", "namespace": "lib", "fields": [{"name": "c", "type": "Color", "default": "RED"}]}`), &l,
		func(full string) *ir.Named {
			if full == "lib.Color" {
				return ext
			}
			return nil
		})
	if l.Len() != 0 {
		t.Fatal(l.Items())
	}
	if got := f.Types[0].Fields[0].Type.Named; got != ext || len(f.Types) != 1 {
		t.Errorf("imported type not resolved: %v", got)
	}
}

func TestRead_Positions(t *testing.T) {
	_, l := read(t, "{\"type\": \"record\", \"doc\": \"é\", \"name\": \"R\",\n \"fields\": [{\"name\": \"x\", \"type\": \"nope\"}]}")
	ds := l.Items()
	if len(ds) != 1 {
		t.Fatalf("want 1 diagnostic, got %v", ds)
	}
	// Columns count runes: "é" is one column though two bytes.
	if got := ds[0].Span.Start; got.Line != 2 || got.Col != 35 || got.Offset != 79 {
		t.Errorf("unknown type at %+v, want 2:35 offset 79", got)
	}
	_, l = read(t, "{\"doc\": \"é\", \"type\": 7}")
	if got := l.Items()[0].Span.Start; got.Col != 22 || got.Offset != 22 {
		t.Errorf("bad type at %+v, want col 22 offset 22", got)
	}
}

func TestRead_Corpus(t *testing.T) {
	schemas := corpus.Schemas()
	if len(schemas) < 300 {
		t.Fatalf("only %d corpus schemas", len(schemas))
	}
	for _, s := range schemas {
		name := s.Name
		var l diag.List
		f := Read(name, s.Data, &l, nil)
		if strings.Contains(name, "redemption-reversed") {
			if !l.HasErrors() {
				t.Errorf("%s: want the invalid-namespace error", name)
			}
			continue
		}
		for _, d := range l.Items() {
			t.Errorf("%s", d.Error())
		}
		if f.Root == nil {
			t.Errorf("%s: no root", name)
		}
	}
}

// TestRead_JavaAccepts checks what the reader makes of schemas Avro Java
// accepts (testdata/errors/java_accepts.avsc shows their warnings).
func TestRead_JavaAccepts(t *testing.T) {
	src, err := os.ReadFile("testdata/errors/java_accepts.avsc")
	if err != nil {
		t.Fatal(err)
	}
	var l diag.List
	f := Read("java_accepts.avsc", src, &l, nil)
	if l.HasErrors() {
		t.Fatal(l.Err())
	}
	r := f.Root.Named
	if got := strings.Join(r.Aliases, ","); got != "Old,a.Older" {
		t.Errorf("aliases %s, want Old (the null namespace),a.Older", got)
	}
	if r.Doc != "" || r.EmptyDoc {
		t.Errorf("a null doc is no doc: %q %v", r.Doc, r.EmptyDoc)
	}
	typ := func(name string) *ir.Type { return r.Field(name).Type }
	if n := typ("i").Named; n == nil || n.FullName() != "a.int" || typ("again").Named != n {
		t.Errorf("a.int: %+v, %+v", typ("i"), typ("again"))
	}
	if typ("prim").Kind != ir.Int {
		t.Errorf(`"int" in namespace a is the primitive, not a.int: %v`, typ("prim").Kind)
	}
	if b := typ("recref").Branches; len(b) != 2 || b[1].Named == nil || b[1].Named.FullName() != "record" {
		t.Errorf(`"record" names the record called record: %+v`, b)
	}
	if u := typ("empty"); u.Kind != ir.Union || u.Branches == nil || len(u.Branches) != 0 {
		t.Errorf("empty union: %+v", u)
	}
	if e := typ("err").Named; e == nil || !e.Error || !e.EmptyDoc {
		t.Errorf("error type with an empty doc: %+v", e)
	}
	if e := typ("nsnum").Named; e == nil || e.FullName() != "a.N" || e.HasDefault {
		t.Errorf("a namespace or an enum default that is not a string is none: %+v", e)
	}
}
