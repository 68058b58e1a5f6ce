package compat

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/evc-dev/evc/compiler"
	"github.com/evc-dev/evc/compiler/avsc"
	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/ir"
)

// TestCheckPair_AllIncompatibilities checks that every incompatibility is
// collected, with Java's location pointer, the human path and the rule.
func TestCheckPair_AllIncompatibilities(t *testing.T) {
	reader := parseSchema(t, "reader.avsc", []byte(`{"type": "record", "name": "R", "namespace": "n", "fields": [
		{"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A"]}},
		{"name": "f", "type": {"type": "fixed", "name": "F", "size": 2}},
		{"name": "l", "type": {"type": "array", "items": "int"}},
		{"name": "m", "type": {"type": "map", "values": ["null", "int"]}},
		{"name": "new", "type": "string"},
		{"name": "inner", "type": {"type": "record", "name": "Other", "fields": [{"name": "x", "type": "int"}]}}
	]}`))
	writer := parseSchema(t, "writer.avsc", []byte(`{"type": "record", "name": "R", "namespace": "n", "fields": [
		{"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A", "C", "B"]}},
		{"name": "f", "type": {"type": "fixed", "name": "F", "size": 4}},
		{"name": "l", "type": {"type": "array", "items": "long"}},
		{"name": "m", "type": {"type": "map", "values": ["null", "string"]}},
		{"name": "inner", "type": {"type": "record", "name": "Inner", "fields": [{"name": "x", "type": "int"}]}}
	]}`))
	got := CheckPair(reader, writer)
	var lines []string
	for _, in := range got {
		lines = append(lines, string(in.Kind)+" "+in.Location+" "+in.Path+" "+strings.Join(in.Symbols, ","))
	}
	want := []string{
		"MISSING_ENUM_SYMBOLS /fields/0/type/symbols n.R.e B,C",
		"FIXED_SIZE_MISMATCH /fields/1/type/size n.R.f ",
		"TYPE_MISMATCH /fields/2/type/items n.R.l[] ",
		"MISSING_UNION_BRANCH /fields/3/type/values/1 n.R.m{} ",
		"FIELD_NO_DEFAULT /fields/4 n.R.new ",
		"NAME_MISMATCH /fields/5/type/name n.R.inner ",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	for _, in := range got {
		if !in.ReaderSpan.IsValid() || !in.WriterSpan.IsValid() {
			t.Errorf("%s at %s: spans %v / %v, want both valid", in.Kind, in.Location, in.ReaderSpan, in.WriterSpan)
		}
		if in.Message() == "" {
			t.Errorf("%s: empty message", in.Kind)
		}
	}
}

// TestCheckPair_Recursive checks a recursive record in both directions:
// the recursion ends (a pair met again counts as compatible), and a break
// inside is still found.
func TestCheckPair_Recursive(t *testing.T) {
	list := func(extra string) *ir.Type {
		return parseSchema(t, "list.avsc", []byte(`{"type": "record", "name": "Node", "fields": [
			{"name": "value", "type": "int"}, {"name": "next", "type": ["null", "Node"]}`+extra+`]}`))
	}
	a, b := list(""), list(`, {"name": "label", "type": "string"}`)
	if !compatible(t, a, b) {
		t.Errorf("the reader without label must read the writer with it: %s", describeAll(CheckPair(a, b)))
	}
	got := CheckPair(b, a)
	if len(got) != 1 || got[0].Kind != FieldNoDefault || got[0].Path != "Node.label" {
		t.Errorf("want one FIELD_NO_DEFAULT at Node.label, got %s", describeAll(got))
	}
}

// TestCheckPair_OptionalRecordReportsInnerReason checks that a changed
// record behind an optional field is reported by what changed in it.
func TestCheckPair_OptionalRecordReportsInnerReason(t *testing.T) {
	r := parseSchema(t, "r.avsc", []byte(`{"type": "record", "name": "O", "fields": [{"name": "a", "type": ["null", {"type": "record", "name": "A", "fields": [{"name": "x", "type": "int"}, {"name": "y", "type": "int"}]}]}]}`))
	w := parseSchema(t, "w.avsc", []byte(`{"type": "record", "name": "O", "fields": [{"name": "a", "type": ["null", {"type": "record", "name": "A", "fields": [{"name": "x", "type": "int"}]}]}]}`))
	got := CheckPair(r, w)
	if len(got) != 1 || got[0].Kind != FieldNoDefault || got[0].Path != "A.y" {
		t.Errorf("want FIELD_NO_DEFAULT at A.y, got %s", describeAll(got))
	}
}

func TestParseMode(t *testing.T) {
	for _, s := range []string{"backward", "Forward_Transitive", " FULL ", "none"} {
		if _, err := ParseMode(s); err != nil {
			t.Errorf("ParseMode(%q): %v", s, err)
		}
	}
	if _, err := ParseMode("SIDEWAYS"); err == nil || !strings.HasPrefix(err.Error(), "evc: ") {
		t.Errorf("ParseMode(SIDEWAYS) = %v, want an evc: error", err)
	}
	m, _ := ParseMode("full_transitive")
	if !m.Backward() || !m.Forward() || !m.Transitive() {
		t.Errorf("%s: backward %v forward %v transitive %v", m, m.Backward(), m.Forward(), m.Transitive())
	}
	if None.Backward() || None.Forward() {
		t.Error("NONE checks something")
	}
}

func TestParseAcks_Errors(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"success_empty", `{"acknowledged": []}`, ""},
		{"failure_not_object", `[]`, "acks.json:1:1: acknowledged breaks: expected a JSON object"},
		{"failure_unknown_key", "{\n  \"acked\": []\n}", `acks.json:2:3: acknowledged breaks: unknown key "acked"`},
		{"failure_no_reason", "{\"acknowledged\": [\n  {\"rule\": \"FIELD_NO_DEFAULT\", \"target\": \"a.B\"}\n]}", `acks.json:2:3: acknowledged break FIELD_NO_DEFAULT on "a.B" has no reason`},
		{"failure_no_rule", "{\"acknowledged\": [{\"target\": \"a.B\", \"reason\": \"x\"}]}", `acks.json:1:19: acknowledged break has no "rule"`},
		{"failure_unknown_field", "{\"acknowledged\": [{\"rule\": \"R\", \"target\": \"a\", \"reason\": \"x\", \"why\": 1}]}", `acks.json:1:19: acknowledged breaks: json: unknown field "why"`},
		{"failure_trailing", `{"acknowledged": []} {}`, "acks.json:1:22: acknowledged breaks: unexpected data after the object"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var l diag.List
			acks := ParseAcks("acks.json", []byte(tc.src), &l)
			var got []string
			for _, d := range l.Items() {
				got = append(got, d.Error())
			}
			if strings.Join(got, "\n") != tc.want {
				t.Errorf("got %q, want %q", strings.Join(got, "\n"), tc.want)
			}
			if tc.want == "" && acks != nil {
				t.Errorf("acks = %v, want none", acks)
			}
		})
	}
}

func TestAck_Matches(t *testing.T) {
	a := &Ack{Rule: "FIELD_NO_DEFAULT", Target: "acme.User.tags"}
	for _, tc := range []struct {
		rule, subject, path string
		want                bool
	}{
		{"FIELD_NO_DEFAULT", "acme.User", "acme.User.tags", true},
		{"FIELD_NO_DEFAULT", "acme.User", "acme.User.tags[]", true},
		{"FIELD_NO_DEFAULT", "acme.User", "acme.User.tagsets", false},
		{"TYPE_MISMATCH", "acme.User", "acme.User.tags", false},
	} {
		if got := a.Matches(tc.rule, tc.subject, tc.path); got != tc.want {
			t.Errorf("Matches(%s, %s, %s) = %v, want %v", tc.rule, tc.subject, tc.path, got, tc.want)
		}
	}
	whole := &Ack{Rule: "TYPE_MISMATCH", Target: "acme.User"}
	if !whole.Matches("TYPE_MISMATCH", "acme.User", "acme.Address.zip") {
		t.Error("a type's full name must cover every finding in it")
	}
}

func TestStrictChanges(t *testing.T) {
	o := parseSchema(t, "o.avsc", []byte(`{"type": "record", "name": "T", "fields": [
		{"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
		{"name": "d", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}},
		{"name": "s", "type": "string", "default": "a"},
		{"name": "u", "type": ["null", {"type": "long", "logicalType": "timestamp-micros"}], "default": null},
		{"name": "same", "type": "int", "default": 1}]}`))
	n := parseSchema(t, "n.avsc", []byte(`{"type": "record", "name": "T", "fields": [
		{"name": "at", "type": "long"},
		{"name": "d", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 3}},
		{"name": "s", "type": "string", "default": "b"},
		{"name": "u", "type": ["null", {"type": "long", "logicalType": "local-timestamp-micros"}], "default": null},
		{"name": "same", "type": "int", "default": 1}]}`))
	var got []string
	for _, c := range StrictChanges(o, n) {
		got = append(got, c.Rule+" "+c.Path+" "+c.Old+" -> "+c.New)
	}
	want := []string{
		"LOGICAL_TYPE_CHANGED T.at timestamp-millis -> none",
		"DECIMAL_CHANGED T.d decimal(10, 2) -> decimal(10, 3)",
		`DEFAULT_CHANGED T.s "a" -> "b"`,
		"LOGICAL_TYPE_CHANGED T.u timestamp-micros -> local-timestamp-micros",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestMatch_AliasesAndRemoved matches new roots to earlier versions by name
// and alias, and lists what is gone.
func TestMatch_AliasesAndRemoved(t *testing.T) {
	read := func(name, src string) *ir.File {
		var l diag.List
		f := avsc.Read(name, []byte(src), &l, nil)
		if l.HasErrors() {
			t.Fatal(l.Err())
		}
		return f
	}
	oldA := read("a.avsc", `{"type": "record", "name": "A", "namespace": "x", "fields": []}`)
	oldB := read("b.avsc", `{"type": "record", "name": "B", "namespace": "x", "fields": []}`)
	old := &ir.Schema{Files: []*ir.File{oldA, oldB}, Types: append(append([]*ir.Named(nil), oldA.Types...), oldB.Types...)}
	e := NewEarlier("old")
	e.AddSchema(old, "old")

	newA := read("a2.avsc", `{"type": "record", "name": "A2", "namespace": "x", "aliases": ["x.A"], "fields": []}`)
	ns := &ir.Schema{Files: []*ir.File{newA}, Types: newA.Types}
	subjects, removed := Match(Roots(ns), ns, e, ModeRules{}, nil)
	if len(subjects) != 1 || subjects[0].Name != "x.A2" || len(subjects[0].Versions) != 1 || subjects[0].Mode != DefaultMode {
		t.Fatalf("subjects = %+v", subjects)
	}
	if len(removed) != 1 || removed[0].Name != "x.B" {
		t.Fatalf("removed = %+v", removed)
	}
	rep := Check(subjects, removed, Options{})
	var rules []string
	for _, d := range rep.Diags {
		rules = append(rules, d.Rule)
	}
	// A rename with an alias is BACKWARD only: FORWARD (the default) fails
	// with NAME_MISMATCH; B is gone.
	if got := strings.Join(rules, " "); got != "NAME_MISMATCH TYPE_REMOVED CHECKED SUMMARY UPGRADE_ORDER" {
		t.Errorf("rules = %s", got)
	}
	if !rep.Failed() || !strings.Contains(rep.Diags[len(rep.Diags)-1].Message, "none is safe") {
		t.Errorf("report: %+v", rep.Diags)
	}
}

// compileEVC compiles one .evc source held in memory.
func compileEVC(t *testing.T, name, src string) *ir.Schema {
	t.Helper()
	res := compiler.Compile([]string{name}, compiler.Options{FS: fstest.MapFS{name: {Data: []byte(src)}}})
	if res.Diags.HasErrors() || res.Schema == nil {
		t.Fatalf("%s: %v", name, res.Diags.Items())
	}
	return res.Schema
}

// TestCheck_SharedNestedOnce checks that a change in a nested type that two
// top-level types use is one finding that names both, counted once, and
// which acks cover it: its element path, or both types, but not one type.
func TestCheck_SharedNestedOnce(t *testing.T) {
	const src = "namespace learn;\n\nrecord User {\n  id: long;\n%s}\n\nrecord Enrolled {\n  user: User;\n}\n\nrecord Unenrolled {\n  user: User;\n}\n"
	old := compileEVC(t, "old.evc", fmt.Sprintf(src, "  email: string;\n"))
	e := NewEarlier("v1")
	e.AddSchema(old, "v1")
	ns := compileEVC(t, "new.evc", fmt.Sprintf(src, ""))
	subjects, removed := Match(Roots(ns), ns, e, ModeRules{}, nil)
	if len(subjects) != 2 || len(removed) != 0 {
		t.Fatalf("subjects %+v, removed %+v", subjects, removed)
	}
	rep := Check(subjects, removed, Options{})
	if rep.Errors != 1 || len(rep.Findings) != 1 {
		t.Fatalf("want 1 finding, got %d errors: %+v", rep.Errors, rep.Findings)
	}
	f := rep.Findings[0]
	if f.Rule != string(FieldNoDefault) || f.Path != "learn.User.email" || strings.Join(f.Types, " ") != "learn.Enrolled learn.Unenrolled" || f.Span.Start.Line != 3 {
		t.Errorf("finding: %+v", f)
	}
	if !strings.HasSuffix(f.Message, `(in "learn.Enrolled" and "learn.Unenrolled")`) || rep.Summary != "1 incompatibility in 2 types checked" {
		t.Errorf("message %q, summary %q", f.Message, rep.Summary)
	}
	for _, tc := range []struct {
		targets []string
		covered bool
	}{
		{[]string{"learn.User.email"}, true},
		{[]string{"learn.User"}, true},
		{[]string{"learn.Enrolled", "learn.Unenrolled"}, true},
		{[]string{"learn.Enrolled"}, false},
		{[]string{"learn.User.id"}, false},
	} {
		var acks []*Ack
		for _, target := range tc.targets {
			acks = append(acks, &Ack{Rule: string(FieldNoDefault), Target: target, Reason: "r"})
		}
		rep := Check(subjects, removed, Options{Acks: acks})
		if got := rep.Acknowledged == 1 && !rep.Failed(); got != tc.covered {
			t.Errorf("acks %v: covered %v, want %v (%+v)", tc.targets, got, tc.covered, rep.Findings)
		}
	}
}
