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
