package corpus

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"path"
	"strings"
	"testing"
)

// checkLines fails unless lines run 1, 2, ... n (the corpus has no blank
// lines).
func checkLines(t *testing.T, file string, lines []int) {
	t.Helper()
	for i, l := range lines {
		if l != i+1 {
			t.Fatalf("%s: entry %d has line %d", file, i, l)
		}
	}
}

func checkJSON(t *testing.T, what string, b []byte) {
	t.Helper()
	if len(b) == 0 || !json.Valid(b) {
		t.Errorf("%s: not JSON: %q", what, b)
	}
}

func TestCases_Corpus(t *testing.T) {
	cases := Cases()
	if len(cases) != 255 {
		t.Fatalf("%d cases, want 255", len(cases))
	}
	var lines []int
	names, pairs := map[string]bool{}, map[string]bool{}
	var compatible, python, javaDisagrees, java, javaErrors, reverseJava int
	for _, c := range cases {
		lines = append(lines, c.Line)
		at := fmt.Sprintf("%s:%d", CasesFile, c.Line)
		if c.Name == "" || c.Source == "" || c.Test == "" {
			t.Errorf("%s: name %q source %q test %q", at, c.Name, c.Source, c.Test)
		}
		if names[c.Name] {
			t.Errorf("%s: name %q repeats", at, c.Name)
		}
		names[c.Name] = true
		checkJSON(t, at+" reader", c.Reader)
		checkJSON(t, at+" writer", c.Writer)
		// The README: the file is deduplicated on the exact reader and writer JSON.
		pair := string(c.Reader) + "\x00" + string(c.Writer)
		if pairs[pair] {
			t.Errorf("%s: the pair repeats", at)
		}
		pairs[pair] = true
		if c.Compatible {
			compatible++
		}
		if c.Python() != c.Compatible {
			python++
		}
		if c.JavaDisagrees {
			javaDisagrees++
		}
		if c.Java() != c.Compatible {
			java++
		}
		if c.JavaError != "" {
			javaErrors++
			if !c.JavaDisagrees || c.Java() {
				t.Errorf("%s: Java throws, but java_disagrees %v, Java() %v", at, c.JavaDisagrees, c.Java())
			}
		}
		if c.JavaReverse() != c.PythonReverse() {
			reverseJava++
		}
	}
	checkLines(t, CasesFile, lines)
	// The counts testdata/README.md gives. Java disagrees with the suite on
	// 10 pairs, throwing on one, which the suite deems incompatible: so
	// Java() differs from Compatible on 9.
	if compatible != 156 || python != 10 || javaDisagrees != 10 || java != 9 || javaErrors != 1 || reverseJava != 1 {
		t.Errorf("%d compatible (want 156), Python differs on %d (want 10), Java disagrees on %d (want 10), Java() differs on %d (want 9), throws on %d (want 1), differs reversed on %d (want 1)",
			compatible, python, javaDisagrees, java, javaErrors, reverseJava)
	}
	if got, want := cases[0].Name, "java/TestSchemaCompatibility.validateSchemaPairMissingField: reader drops oldfield2"; got != want {
		t.Errorf("first case %q, want %q", got, want)
	}
}

func TestCase_Verdicts(t *testing.T) {
	for _, tc := range []struct {
		c                                Case
		python, pythonRev, java, javaRev bool
	}{
		{Case{Compatible: true, ReverseCompatible: true}, true, true, true, true},
		{Case{Compatible: false, ReverseCompatible: true}, false, true, false, true},
		{Case{Compatible: true, OracleDisagrees: true}, false, false, true, false},
		{Case{Compatible: false, JavaDisagrees: true}, false, false, true, false},
		{Case{Compatible: false, JavaDisagrees: true, JavaError: "AvroRuntimeException"}, false, false, false, false},
		{Case{ReverseCompatible: true, ReverseJavaDisagrees: true}, false, true, false, false},
		{Case{ReverseJavaDisagrees: true}, false, false, false, true},
	} {
		c := tc.c
		if c.Python() != tc.python || c.PythonReverse() != tc.pythonRev || c.Java() != tc.java || c.JavaReverse() != tc.javaRev {
			t.Errorf("%+v: Python %v/%v Java %v/%v, want %v/%v %v/%v", c,
				c.Python(), c.PythonReverse(), c.Java(), c.JavaReverse(), tc.python, tc.pythonRev, tc.java, tc.javaRev)
		}
	}
}

func TestDivergences_Corpus(t *testing.T) {
	ds := Divergences()
	if len(ds) != 11 {
		t.Fatalf("%d divergences, want 11", len(ds))
	}
	var lines []int
	throws, controls := 0, 0
	for _, d := range ds {
		lines = append(lines, d.Line)
		at := fmt.Sprintf("%s:%d", DivergencesFile, d.Line)
		checkJSON(t, at+" reader", d.Reader)
		checkJSON(t, at+" writer", d.Writer)
		if d.Name == "" || d.Why == "" {
			t.Errorf("%s: name %q why %q", at, d.Name, d.Why)
		}
		if (d.Java == JavaThrows) != (d.JavaError != "") {
			t.Errorf("%s: java %v but java_error %q", at, d.Java, d.JavaError)
		}
		if d.Java == JavaThrows {
			throws++
		}
		if d.Java == JavaCompatible && d.Python {
			controls++
		}
	}
	checkLines(t, DivergencesFile, lines)
	if throws != 2 || controls != 2 {
		t.Errorf("Java throws on %d pairs (want 2), %d controls (want 2)", throws, controls)
	}
}

func TestJavaVerdict_JSON(t *testing.T) {
	for in, want := range map[string]JavaVerdict{"true": JavaCompatible, "false": JavaIncompatible, `"error"`: JavaThrows} {
		var v JavaVerdict
		if err := json.Unmarshal([]byte(in), &v); err != nil || v != want {
			t.Errorf("%s: %v %v, want %v", in, v, err, want)
		}
		if got := v.String(); got != strings.Trim(in, `"`) {
			t.Errorf("%s: String() = %q", in, got)
		}
	}
	for _, in := range []string{`"true"`, `1`, `null`, `"Error"`} {
		var v JavaVerdict
		if err := json.Unmarshal([]byte(in), &v); err == nil {
			t.Errorf("%s: accepted as %v", in, v)
		}
	}
	if got := JavaVerdict(7).String(); got != "JavaVerdict(7)" {
		t.Errorf("String() = %q", got)
	}
}

func TestVectors_Corpus(t *testing.T) {
	vs := Vectors()
	if len(vs) != 167 {
		t.Fatalf("%d vectors, want 167", len(vs))
	}
	var lines []int
	names := map[string]bool{}
	logical, notes := 0, 0
	for _, v := range vs {
		lines = append(lines, v.Line)
		at := fmt.Sprintf("%s:%d %s", VectorsFile, v.Line, v.Name)
		if v.Name == "" || names[v.Name] {
			t.Errorf("%s: empty or repeated name", at)
		}
		names[v.Name] = true
		checkJSON(t, at+" schema", v.Schema)
		checkJSON(t, at+" datum", v.Datum)
		if b, err := hex.DecodeString(v.Hex); err != nil || len(b) == 0 && v.Hex != "" || v.Hex != strings.ToLower(v.Hex) {
			t.Errorf("%s: hex %q: %v", at, v.Hex, err)
		}
		if v.Logical != "" {
			logical++
		}
		if v.Note != "" {
			notes++
		}
	}
	checkLines(t, VectorsFile, lines)
	if logical != 39 || notes != 25 {
		t.Errorf("%d vectors with a logical value (want 39), %d with a note (want 25)", logical, notes)
	}
	// One vector checked by hand: the README's example.
	for _, v := range vs {
		if v.Name == "union/null_record/record" {
			if v.Hex != "020e" || string(v.Datum) != `{"net.Ping": {"seq": 7}}` {
				t.Errorf("%s: hex %s datum %s", v.Name, v.Hex, v.Datum)
			}
			return
		}
	}
	t.Error("no vector union/null_record/record")
}

func TestOpenEdx_Corpus(t *testing.T) {
	fs := OpenEdx()
	if len(fs) != 72 {
		t.Fatalf("%d Open edX schemas, want 72", len(fs))
	}
	for i, f := range fs {
		if i > 0 && fs[i-1].Name >= f.Name {
			t.Errorf("not sorted: %s before %s", fs[i-1].Name, f.Name)
		}
		if !strings.HasPrefix(f.Name, "org+openedx+") || !strings.HasSuffix(f.Name, "_schema.avsc") || strings.Contains(f.Name, "/") {
			t.Errorf("name %q", f.Name)
		}
		var s struct {
			Type, Name, Namespace string
		}
		if err := json.Unmarshal(f.Data, &s); err != nil || s.Type != "record" || s.Name != "CloudEvent" || s.Namespace == "" {
			t.Errorf("%s: %+v %v", f.Name, s, err)
		}
	}
}

func TestSchemas_Corpus(t *testing.T) {
	ss := Schemas()
	// Pinned: the names are stable, and so is their number until the
	// corpus changes.
	if len(ss) != 300 {
		t.Errorf("%d schemas, want 300", len(ss))
	}
	openedx := OpenEdx()
	names, texts := map[string]bool{}, map[string]string{}
	for i, s := range ss {
		if names[s.Name] {
			t.Errorf("name %s repeats", s.Name)
		}
		names[s.Name] = true
		if i < len(openedx) {
			if want := path.Join(OpenEdxDir, openedx[i].Name); s.Name != want || !bytes.Equal(s.Data, openedx[i].Data) {
				t.Errorf("schema %d is %s, want %s", i, s.Name, want)
			}
			continue
		}
		if prev, ok := texts[string(s.Data)]; ok {
			t.Errorf("%s: the same text as %s", s.Name, prev)
		}
		texts[string(s.Data)] = s.Name
	}
	// Each name says where its text is, and every schema of the jsonl files
	// is there.
	cases, vectors := Cases(), Vectors()
	field := func(name string) []byte {
		var file, key string
		var line int
		if parts := strings.Split(name, ":"); len(parts) == 3 {
			file, key = parts[0], parts[2]
			fmt.Sscan(parts[1], &line)
		}
		switch {
		case file == CasesFile && key == "reader" && line >= 1 && line <= len(cases):
			return cases[line-1].Reader
		case file == CasesFile && key == "writer" && line >= 1 && line <= len(cases):
			return cases[line-1].Writer
		case file == VectorsFile && key == "schema" && line >= 1 && line <= len(vectors):
			return vectors[line-1].Schema
		}
		return nil
	}
	for _, s := range ss[len(openedx):] {
		if f := field(s.Name); f == nil || !bytes.Equal(f, s.Data) {
			t.Errorf("%s does not name its text %s", s.Name, s.Data)
		}
	}
	for _, c := range cases {
		for _, s := range []json.RawMessage{c.Reader, c.Writer} {
			if _, ok := texts[string(s)]; !ok {
				t.Errorf("%s:%d: a schema is missing: %s", CasesFile, c.Line, s)
			}
		}
	}
	for _, v := range vectors {
		if _, ok := texts[string(v.Schema)]; !ok {
			t.Errorf("%s:%d: the schema is missing: %s", VectorsFile, v.Line, v.Schema)
		}
	}
	if ss[len(openedx)].Name != CasesFile+":1:reader" {
		t.Errorf("first jsonl schema %s", ss[len(openedx)].Name)
	}
}

// TestLoaders_FreshCopies: what a caller changes does not reach the next
// caller.
func TestLoaders_FreshCopies(t *testing.T) {
	a := Schemas()
	a[0].Data[0], a[len(a)-1].Data[0] = 'X', 'X'
	c := Cases()
	c[0].Reader[0] = 'X'
	o := OpenEdx()
	o[0].Data[0] = 'X'
	p := Pairs()
	p[0].Old[0] = 'X'
	b := Schemas()
	if Pairs()[0].Old[0] == 'X' || b[0].Data[0] == 'X' || b[len(b)-1].Data[0] == 'X' || Cases()[0].Reader[0] == 'X' || OpenEdx()[0].Data[0] == 'X' {
		t.Error("a change to a returned value shows in the next call")
	}
}

func TestParseLines_Errors(t *testing.T) {
	type row struct {
		Line int    `json:"-"`
		A    string `json:"a"`
		B    int    `json:"b"`
	}
	parse := func(text string) ([]row, error) {
		return parseLines("f.jsonl", []byte(text), []string{"a"}, func(r *row, line int) { r.Line = line })
	}
	got, err := parse("{\"a\": \"x\"}\n\n  \n{\"a\": \"y\", \"b\": 2}\n")
	if err != nil || len(got) != 2 || got[0] != (row{1, "x", 0}) || got[1] != (row{4, "y", 2}) {
		t.Errorf("got %+v, %v", got, err)
	}
	for text, want := range map[string]string{
		"{\"a\": \"x\"}\n{\"a\": 1}":                   `evc: corpus: f.jsonl:2: json: cannot unmarshal number into Go struct field row.a of type string`,
		"{\"b\": 1}":                                   `evc: corpus: f.jsonl:1: no "a"`,
		"{\"a\": \"x\", \"c\": 1}":                     `evc: corpus: f.jsonl:1: json: unknown field "c"`,
		"{\"a\": \"x\"} {\"a\": \"y\"}":                `evc: corpus: f.jsonl:1: invalid character '{' after top-level value`,
		"\n\n{\"a\": \"x\"":                            `evc: corpus: f.jsonl:3: unexpected end of JSON input`,
		"[1]":                                          `evc: corpus: f.jsonl:1: not a JSON object`,
		"{\"a\": \"x\", \"java\": \"maybe\"}":          `evc: corpus: f.jsonl:1: json: unknown field "java"`,
		"{\"a\": \"x\"}\n{\"a\": \"x\", \"b\": \"2\"}": `evc: corpus: f.jsonl:2: json: cannot unmarshal string into Go struct field row.b of type int`,
	} {
		if _, err := parse(text); err == nil || err.Error() != want {
			t.Errorf("%q: error %v, want %s", text, err, want)
		}
	}
	_, err = parseLines("d.jsonl", []byte(`{"java": "maybe"}`), nil, func(*Divergence, int) {})
	if err == nil || !strings.Contains(err.Error(), `d.jsonl:1: java verdict "maybe" is not true, false or "error"`) {
		t.Errorf("bad verdict: %v", err)
	}
}

func TestPairs_Corpus(t *testing.T) {
	ps := Pairs()
	if len(ps) != 1882 {
		t.Fatalf("%d pairs, want 1882", len(ps))
	}
	var lines []int
	gen, rec, differ := 0, 0, 0
	shapes := map[string]int{}
	for _, p := range ps {
		lines = append(lines, p.Line)
		at := fmt.Sprintf("%s:%d", PairsFile, p.Line)
		checkJSON(t, at+" old", p.Old)
		checkJSON(t, at+" new", p.New)
		switch p.Generator {
		case GeneralPairs:
			gen++
			if p.Recursive() || p.Shape != "" || p.Change != "" {
				t.Errorf("%s: a general pair with shape %q change %q", at, p.Shape, p.Change)
			}
		case RecursivePairs:
			rec++
			shapes[p.Shape]++
			if !p.Recursive() || p.Change == "" {
				t.Errorf("%s: a recursive pair with change %q", at, p.Change)
			}
		default:
			t.Errorf("%s: generator %q", at, p.Generator)
		}
		if p.Java != p.Python {
			differ++
		}
	}
	checkLines(t, PairsFile, lines)
	if gen != 1500 || rec != 382 || differ != 15 || len(shapes) != 8 {
		t.Errorf("%d general, %d recursive pairs (want 1500, 382); Java and Python differ on %d (want 15); shapes %v", gen, rec, differ, shapes)
	}
	// The first line, as the file holds it.
	p := ps[0]
	if p.Shape != "mutual_union" || p.Change != "string_to_bytes" || p.Java != (Verdicts{true, true}) || !strings.HasPrefix(string(p.Old), `{"type": "record", "name": "R"`) {
		t.Errorf("line 1: %+v", p)
	}
}
