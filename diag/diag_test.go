package diag

import (
	"bytes"
	"strings"
	"testing"
)

func TestWriteText_CaretUnderColumn(t *testing.T) {
	src := Sources{"a.evc": []byte("namespace x;\nrecord R {\n  user: string? = 3;\n}\n")}
	var l List
	l.Errorf(Span{Start: Pos{File: "a.evc", Line: 3, Col: 19}, End: Pos{File: "a.evc", Line: 3, Col: 20}}, "field %q has default 3, but its type is string?", "user").Help = "use null"
	l.Errorf(At(Pos{File: "a.evc", Line: 1, Col: 11}), "first")
	l.Sort()
	var b bytes.Buffer
	if err := WriteText(&b, l.Items(), src); err != nil {
		t.Fatal(err)
	}
	want := `a.evc:1:11: first
   |
 1 | namespace x;
   |           ^
a.evc:3:19: field "user" has default 3, but its type is string?
   |
 3 |   user: string? = 3;
   |                   ^
  help: use null
`
	if got := b.String(); got != want {
		t.Errorf("-want +got:\n%s\n%s", want, got)
	}
}

func TestList_ErrAndDedup(t *testing.T) {
	var l List
	if l.Err() != nil {
		t.Fatal("empty list has an error")
	}
	l.Warnf(Span{}, "just a warning")
	if l.Err() != nil {
		t.Fatal("warnings alone must not fail")
	}
	p := At(Pos{File: "f", Line: 2, Col: 1})
	l.Errorf(p, "dup")
	l.Errorf(p, "dup")
	l.Sort()
	if l.Len() != 2 {
		t.Fatalf("got %d diagnostics, want 2 after dedup", l.Len())
	}
	ds, ok := AsList(l.Err())
	if !ok || len(ds) != 2 {
		t.Fatalf("AsList = %v, %v", ds, ok)
	}
}

// TestList_SortIgnoresFoundOrder: diagnostics that tie on position and
// message come out in one order whatever order they were added in.
func TestList_SortIgnoresFoundOrder(t *testing.T) {
	p := At(Pos{File: "f", Line: 2, Col: 1})
	q := At(Pos{File: "g", Line: 1, Col: 1})
	ds := []Diagnostic{
		{Span: p, Message: "m", Severity: Warning},
		{Span: p, Message: "m", Help: "b"},
		{Span: p, Message: "m", Help: "a", Related: []Related{{Span: q, Message: "here"}}},
		{Span: p, Message: "m", Help: "a"},
		{Span: p, Message: "m", Rule: "R"},
	}
	var want []Diagnostic
	for perm := 0; perm < 2; perm++ {
		var l List
		for i := range ds {
			j := i
			if perm == 1 {
				j = len(ds) - 1 - i
			}
			l.Add(ds[j])
		}
		l.Sort()
		if perm == 0 {
			want = l.Items()
			continue
		}
		for i, d := range l.Items() {
			if d.Message != want[i].Message || d.Help != want[i].Help || d.Severity != want[i].Severity || d.Rule != want[i].Rule || len(d.Related) != len(want[i].Related) {
				t.Errorf("item %d: got %+v, want %+v", i, d, want[i])
			}
		}
	}
	if len(want) != 3 {
		// Errors at one place with one message and rule are duplicates: the
		// first in order (help "a", no related place) is kept.
		t.Errorf("got %d diagnostics, want 3: %+v", len(want), want)
	}
	if want[0].Help != "a" || len(want[0].Related) != 0 || want[1].Rule != "R" || want[2].Severity != Warning {
		t.Errorf("order: %+v", want)
	}
}

func TestWriteGitHub_Escapes(t *testing.T) {
	var b bytes.Buffer
	d := Diagnostic{Span: Span{Start: Pos{File: "a,b.evc", Line: 4, Col: 2}}, Rule: "FIELD_NO_DEFAULT", Message: "100% bad\nreally"}
	if err := WriteGitHub(&b, []Diagnostic{d}); err != nil {
		t.Fatal(err)
	}
	want := "::error file=a%2Cb.evc,line=4,col=2,title=FIELD_NO_DEFAULT::100%25 bad%0Areally\n"
	if b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
	if !strings.HasPrefix(b.String(), "::error ") {
		t.Error("not an error annotation")
	}
}

func TestWriteText_LongLineShowsAWindow(t *testing.T) {
	line := strings.Repeat("a", 300) + "BAD" + strings.Repeat("b", 300)
	src := Sources{"x.evc": []byte("first\n" + line + "\n")}
	d := Diagnostic{Span: Span{Start: Pos{File: "x.evc", Line: 2, Col: 301}, End: Pos{File: "x.evc", Line: 2, Col: 304}}, Message: "bad"}
	var b bytes.Buffer
	if err := WriteText(&b, []Diagnostic{d}, src); err != nil {
		t.Fatal(err)
	}
	out := strings.Split(b.String(), "\n")
	code, caret := out[2], out[3]
	if len(code) > snippetWidth+20 {
		t.Errorf("the source line is not windowed: %d bytes", len(code))
	}
	i := strings.Index(code, "BAD")
	if i < 0 || !strings.HasPrefix(caret[i:], "^~~") {
		t.Errorf("the caret is not under BAD:\n%s\n%s", code, caret)
	}
	if !strings.Contains(code, "| ...a") || !strings.HasSuffix(code, "b...") {
		t.Errorf("the window is not marked: %q", code)
	}
}

func TestEditDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{{"", "", 0}, {"record", "record", 0}, {"recrod", "record", 2}, {"namepsace", "namespace", 2}, {"int", "Int", 1}, {"é", "e", 1}, {"", "abc", 3}} {
		if got := EditDistance(tc.a, tc.b); got != tc.want {
			t.Errorf("EditDistance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}
