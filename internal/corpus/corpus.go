package corpus

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"strconv"
)

//go:embed testdata/compat/cases.jsonl testdata/compat/divergences.jsonl testdata/compat/java-master-pairs.jsonl testdata/vectors/vectors.jsonl testdata/realworld/openedx-events/*.avsc
var files embed.FS

// The corpus files, by their path under testdata/ (and in the shared corpus).
const (
	CasesFile       = "compat/cases.jsonl"
	DivergencesFile = "compat/divergences.jsonl"
	PairsFile       = "compat/java-master-pairs.jsonl"
	VectorsFile     = "vectors/vectors.jsonl"
	OpenEdxDir      = "realworld/openedx-events"
)

// Case is one line of compat/cases.jsonl: a reader and a writer schema from
// Apache Avro's own compatibility tests, with the suite's verdict and the
// verdicts of the reference checkers. testdata/README.md describes each field.
type Case struct {
	// Line is the line of the case in compat/cases.jsonl, from 1.
	Line int `json:"-"`
	// Name says where the pair comes from, e.g. "java/TestSchemaCompatibility...: LONG_SCHEMA reads INT_SCHEMA".
	Name string `json:"name"`
	// Reader and Writer are the schemas, as JSON text.
	Reader json.RawMessage `json:"reader"`
	Writer json.RawMessage `json:"writer"`
	// Compatible is the expectation of the Avro test the pair comes from:
	// data written with Writer can be read with Reader.
	Compatible bool `json:"compatible"`
	// Source and Test are the file in apache/avro and the test in it.
	Source string `json:"source"`
	Test   string `json:"test"`
	// AlsoIn lists the other tests with the same pair.
	AlsoIn []string `json:"also_in"`
	// ReverseCompatible is python3-avro 1.11.1's verdict with reader and
	// writer swapped (not a suite expectation).
	ReverseCompatible bool `json:"reverse_compatible"`
	// OracleDisagrees: python3-avro 1.11.1 says the opposite of Compatible.
	OracleDisagrees bool `json:"oracle_disagrees"`
	// JavaDisagrees: Avro Java says the opposite of Compatible, or throws
	// (JavaError).
	JavaDisagrees bool `json:"java_disagrees"`
	// JavaError is what Avro Java throws instead of answering, if it does.
	JavaError string `json:"java_error"`
	// ReverseJavaDisagrees: Avro Java says the opposite of ReverseCompatible.
	ReverseJavaDisagrees bool `json:"reverse_java_disagrees"`
	// Note says how the pair was transcribed, or why a checker differs.
	Note string `json:"note"`
}

// Python is python3-avro 1.11.1's verdict on Reader reads Writer.
func (c Case) Python() bool { return c.Compatible != c.OracleDisagrees }

// PythonReverse is python3-avro 1.11.1's verdict on Writer reads Reader.
func (c Case) PythonReverse() bool { return c.ReverseCompatible }

// Java is Avro Java's verdict on Reader reads Writer. Where Java throws
// (JavaError), it is false: Java does not accept the pair.
func (c Case) Java() bool {
	if c.JavaError != "" {
		return false
	}
	return c.Compatible != c.JavaDisagrees
}

// JavaReverse is Avro Java's verdict on Writer reads Reader.
func (c Case) JavaReverse() bool { return c.ReverseCompatible != c.ReverseJavaDisagrees }

// Divergence is one line of compat/divergences.jsonl: a hand-made pair on
// which python3-avro 1.11.1 and Avro Java disagree (or a control).
type Divergence struct {
	// Line is the line of the pair in compat/divergences.jsonl, from 1.
	Line int `json:"-"`
	// Name names the pair.
	Name string `json:"name"`
	// Reader and Writer are the schemas, as JSON text.
	Reader json.RawMessage `json:"reader"`
	Writer json.RawMessage `json:"writer"`
	// Python is python3-avro 1.11.1's verdict on Reader reads Writer.
	Python bool `json:"python_1_11_1"`
	// Java is Avro Java's verdict on Reader reads Writer.
	Java JavaVerdict `json:"java"`
	// JavaError is what Java throws, when Java is JavaThrows.
	JavaError string `json:"java_error"`
	// Why says why the checkers differ.
	Why string `json:"why"`
}

// JavaVerdict is Avro Java's answer on a pair of compat/divergences.jsonl,
// written there as true, false or "error".
type JavaVerdict int

// The answers Avro Java gives.
const (
	JavaIncompatible JavaVerdict = iota // false
	JavaCompatible                      // true
	JavaThrows                          // "error": Java throws instead of answering
)

// String returns the verdict as the corpus writes it: true, false or error.
func (v JavaVerdict) String() string {
	switch v {
	case JavaIncompatible:
		return "false"
	case JavaCompatible:
		return "true"
	case JavaThrows:
		return "error"
	}
	return "JavaVerdict(" + strconv.Itoa(int(v)) + ")"
}

// UnmarshalJSON reads true, false or "error", and rejects anything else.
func (v *JavaVerdict) UnmarshalJSON(b []byte) error {
	switch string(b) {
	case "false":
		*v = JavaIncompatible
	case "true":
		*v = JavaCompatible
	case `"error"`:
		*v = JavaThrows
	default:
		return fmt.Errorf("java verdict %s is not true, false or \"error\"", b)
	}
	return nil
}

// Pair is one line of compat/java-master-pairs.jsonl: an old and a new
// version of a schema, made by a seeded generator, with the verdicts of Avro
// Java master and of python3-avro 1.11.1 in both directions.
type Pair struct {
	// Line is the line of the pair in compat/java-master-pairs.jsonl, from 1.
	Line int `json:"-"`
	// Old and New are the two versions, as JSON text.
	Old json.RawMessage `json:"old"`
	New json.RawMessage `json:"new"`
	// Java is Avro Java master's SchemaCompatibility verdict; Python is
	// python3-avro 1.11.1's. They differ on 15 pairs; follow Java.
	Java   Verdicts `json:"java"`
	Python Verdicts `json:"python"`
	// Generator is the generator that made the pair: GeneralPairs or
	// RecursivePairs.
	Generator string `json:"generator"`
	// Shape and Change say what the recursive generator made: the shape
	// of the cycle ("self_opt", "mutual_ns", "three_cycle", ...) and the
	// change at some level of it ("int_to_string", "type_rename_alias",
	// ...); "" for the general generator.
	Shape  string `json:"shape"`
	Change string `json:"change"`
}

// The generators of compat/java-master-pairs.jsonl.
const (
	// GeneralPairs: realistic records with one to three changes each.
	GeneralPairs = "gp.jsonl"
	// RecursivePairs: recursive types with one change at some level.
	RecursivePairs = "rec.jsonl"
)

// Recursive reports whether the pair is over recursive types.
func (p Pair) Recursive() bool { return p.Generator == RecursivePairs }

// Verdicts are a checker's answers on a Pair.
type Verdicts struct {
	// Backward: the new schema (reader) reads data written with the old.
	Backward bool `json:"backward"`
	// Forward: the old schema (reader) reads data written with the new.
	Forward bool `json:"forward"`
}

// Vector is one line of vectors/vectors.jsonl: a datum and the bytes
// python3-avro 1.11.1 wrote for it with a schema.
type Vector struct {
	// Line is the line of the vector in vectors/vectors.jsonl, from 1.
	Line int `json:"-"`
	// Name names the vector, e.g. "union/null_record/record".
	Name string `json:"name"`
	// Schema is the writer schema, as JSON text.
	Schema json.RawMessage `json:"schema"`
	// Datum is the value in Avro's JSON encoding (bytes and fixed as latin-1
	// strings, union values as {"branch": value}).
	Datum json.RawMessage `json:"datum"`
	// Hex is the whole binary encoding of Datum, lowercase hex.
	Hex string `json:"hex"`
	// Logical is a logical type's value as text ("2024-02-29"), if any.
	Logical string `json:"logical"`
	// Note says what is worth knowing about the vector, if anything.
	Note string `json:"note"`
}

// File is a named text of the corpus.
type File struct {
	// Name names the text; see the function that returns it.
	Name string
	// Data is the text, a fresh copy.
	Data []byte
}

// Cases returns the 255 pairs of compat/cases.jsonl, in file order.
func Cases() []Case {
	return must(parseLines(CasesFile, read(CasesFile),
		[]string{"name", "reader", "writer", "compatible", "source", "test", "reverse_compatible"},
		func(c *Case, line int) { c.Line = line }))
}

// Divergences returns the 11 pairs of compat/divergences.jsonl, in file order.
func Divergences() []Divergence {
	return must(parseLines(DivergencesFile, read(DivergencesFile),
		[]string{"name", "reader", "writer", "python_1_11_1", "java", "why"},
		func(d *Divergence, line int) { d.Line = line }))
}

// Pairs returns the 1,882 pairs of compat/java-master-pairs.jsonl, in file
// order: 1,500 from GeneralPairs, 382 from RecursivePairs.
func Pairs() []Pair {
	return must(parseLines(PairsFile, read(PairsFile),
		[]string{"old", "new", "java", "python", "generator"},
		func(p *Pair, line int) { p.Line = line }))
}

// Vectors returns the 167 vectors of vectors/vectors.jsonl, in file order.
func Vectors() []Vector {
	return must(parseLines(VectorsFile, read(VectorsFile),
		[]string{"name", "schema", "datum", "hex"},
		func(v *Vector, line int) { v.Line = line }))
}

// OpenEdx returns the 72 Open edX event schemas, sorted by name, each named
// by its file name ("org+openedx+learning+course+enrollment+created+v1_schema.avsc").
// One of them is not valid Avro (see testdata/realworld/README.md).
func OpenEdx() []File {
	entries, err := files.ReadDir("testdata/" + OpenEdxDir)
	if err != nil {
		panic("evc: corpus: " + err.Error())
	}
	out := make([]File, 0, len(entries))
	for _, e := range entries {
		out = append(out, File{Name: e.Name(), Data: read(path.Join(OpenEdxDir, e.Name()))})
	}
	return out
}

// Schemas returns every distinct schema of the corpus that a reader of .avsc
// must accept, and the one invalid Open edX file: first the Open edX files,
// named by their path in the corpus ("realworld/openedx-events/<file>.avsc"),
// then each reader, writer (compat/cases.jsonl) and schema
// (vectors/vectors.jsonl) whose JSON text has not come before, in file order,
// named file:line:key ("compat/cases.jsonl:214:reader"). The names are
// stable: they change only when the corpus does.
//
// The pairs of compat/divergences.jsonl are left out: some are invalid on
// purpose (a field default of the wrong type).
func Schemas() []File {
	var out []File
	for _, f := range OpenEdx() {
		out = append(out, File{Name: path.Join(OpenEdxDir, f.Name), Data: f.Data})
	}
	seen := map[string]bool{}
	add := func(file string, line int, key string, s json.RawMessage) {
		if seen[string(s)] {
			return
		}
		seen[string(s)] = true
		out = append(out, File{Name: fmt.Sprintf("%s:%d:%s", file, line, key), Data: bytes.Clone(s)})
	}
	for _, c := range Cases() {
		add(CasesFile, c.Line, "reader", c.Reader)
		add(CasesFile, c.Line, "writer", c.Writer)
	}
	for _, v := range Vectors() {
		add(VectorsFile, v.Line, "schema", v.Schema)
	}
	return out
}

// read returns a copy of the embedded file at name (relative to testdata/).
func read(name string) []byte {
	data, err := files.ReadFile("testdata/" + name)
	if err != nil {
		panic("evc: corpus: " + err.Error())
	}
	return bytes.Clone(data)
}

func must[T any](v []T, err error) []T {
	if err != nil {
		panic(err)
	}
	return v
}

// parseLines decodes JSON Lines: one T per line that is not blank, each a
// single JSON object (nothing after it) with every key of required and no
// key that T lacks.
// setLine is given each value and its line number.
func parseLines[T any](file string, data []byte, required []string, setLine func(*T, int)) ([]T, error) {
	var out []T
	for i, text := range bytes.Split(data, []byte("\n")) {
		line := i + 1
		if len(bytes.TrimSpace(text)) == 0 {
			continue
		}
		fail := func(err error) ([]T, error) {
			return nil, fmt.Errorf("evc: corpus: %s:%d: %w", file, line, err)
		}
		var keys map[string]json.RawMessage
		if err := json.Unmarshal(text, &keys); err != nil {
			var te *json.UnmarshalTypeError
			if errors.As(err, &te) {
				return fail(errors.New("not a JSON object"))
			}
			return fail(err)
		}
		for _, k := range required {
			if _, ok := keys[k]; !ok {
				return fail(fmt.Errorf("no %q", k))
			}
		}
		var v T
		dec := json.NewDecoder(bytes.NewReader(text))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&v); err != nil {
			return fail(err)
		}
		setLine(&v, line)
		out = append(out, v)
	}
	return out, nil
}
