package resolve

import (
	"bufio"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/twmb/avro"

	"github.com/evc-dev/evc/internal/pyavro"
)

// requirePython skips the test when python3-avro is missing, unless CI is
// "true": then it fails.
func requirePython(t *testing.T) { pyavro.Require(t, "avro.io, avro.schema") }

// pyCase is a line of testdata/python_reader.py's input: a pair of schemas
// and writer data, in hex.
type pyCase struct {
	Writer json.RawMessage `json:"writer"`
	Reader json.RawMessage `json:"reader"`
	Data   []string        `json:"data"`
}

type pyAnswer struct {
	Error  string `json:"error"`
	Values []struct {
		V     any    `json:"v"`
		Error string `json:"error"`
	} `json:"values"`
}

// readWithPython runs testdata/python_reader.py once over every case.
func readWithPython(t *testing.T, cases []pyCase) []pyAnswer {
	t.Helper()
	dir := t.TempDir()
	in, out := filepath.Join(dir, "cases.jsonl"), filepath.Join(dir, "answers.jsonl")
	f, err := os.Create(in)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	for _, c := range cases {
		if err := enc.Encode(c); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	cmd := exec.Command(pyavro.Python, filepath.Join("testdata", "python_reader.py"), in, out)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("python3-avro: %v\n%s", err, msg)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var answers []pyAnswer
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.UseNumber()
	for dec.More() {
		var a pyAnswer
		if err := dec.Decode(&a); err != nil {
			t.Fatal(err)
		}
		answers = append(answers, a)
	}
	if len(answers) != len(cases) {
		t.Fatalf("python3-avro answered %d of %d cases", len(answers), len(cases))
	}
	return answers
}

// plainJSON is schema without its logical types, as the plans see it: the
// resolution is of the underlying types, and decimals and timestamps are
// compared as the bytes and longs they are written as.
func plainJSON(t *testing.T, schema string) json.RawMessage {
	d := json.NewDecoder(strings.NewReader(schema))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(stripLogical(v))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// samePython reports whether python3-avro's value p (in the form
// python_reader.py writes) is the generic value g that twmb/avro decodes
// from the plan's output with the reader's schema. Python returns the
// writer's value where Java promotes it (an int read as a float stays an
// int): such a value is promoted here, as Java does, to g's type.
func samePython(g, p any) bool {
	tagged := func(tag string) (string, bool) {
		m, ok := p.(map[string]any)
		if !ok || len(m) != 1 {
			return "", false
		}
		s, ok := m[tag].(string)
		return s, ok
	}
	integer := func() (*big.Int, bool) {
		s, ok := tagged("i")
		if !ok {
			return nil, false
		}
		return new(big.Int).SetString(s, 10)
	}
	float := func() (float64, bool) {
		s, ok := tagged("f")
		if !ok {
			return 0, false
		}
		b, err := hex.DecodeString(s)
		if err != nil || len(b) != 8 {
			return 0, false
		}
		var u uint64
		for _, c := range b {
			u = u<<8 | uint64(c)
		}
		return math.Float64frombits(u), true
	}
	switch g := g.(type) {
	case nil:
		return p == nil
	case bool:
		return p == g
	case int32:
		n, ok := integer()
		return ok && n.IsInt64() && n.Int64() == int64(g)
	case int64:
		n, ok := integer()
		return ok && n.IsInt64() && n.Int64() == g
	case int:
		n, ok := integer()
		return ok && n.IsInt64() && n.Int64() == int64(g)
	case float32:
		if n, ok := integer(); ok {
			return n.IsInt64() && float32(n.Int64()) == g
		}
		f, ok := float()
		return ok && math.Float32bits(float32(f)) == math.Float32bits(g)
	case float64:
		if n, ok := integer(); ok {
			return n.IsInt64() && float64(n.Int64()) == g
		}
		f, ok := float()
		return ok && math.Float64bits(f) == math.Float64bits(g)
	case string:
		s, ok := tagged("b")
		return ok && s == hex.EncodeToString([]byte(g))
	case []byte:
		s, ok := tagged("b")
		return ok && s == hex.EncodeToString(g)
	case []any:
		l, ok := p.([]any)
		if !ok || len(l) != len(g) {
			return false
		}
		for i := range g {
			if !samePython(g[i], l[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		m, ok := p.(map[string]any)
		if !ok || len(m) != 1 {
			return false
		}
		o, ok := m["o"].(map[string]any)
		if !ok || len(o) != len(g) {
			return false
		}
		for k, v := range g {
			pv, ok := o[k]
			if !ok || !samePython(v, pv) {
				return false
			}
		}
		return true
	}
	// A fixed, as an array of bytes.
	if v := reflect.ValueOf(g); v.Kind() == reflect.Array && v.Type().Elem().Kind() == reflect.Uint8 {
		b := make([]byte, v.Len())
		reflect.Copy(reflect.ValueOf(b), v)
		return samePython(b, p)
	}
	return false
}

// differential runs writer data through the plans of compatible pairs,
// compares each result with twmb/avro's generic resolution as it goes, and
// collects the cases that python3-avro reads afterwards.
type differential struct {
	rng     *rand.Rand
	perPair int
	// The pairs by verdict: incompatible, same canonical form, resolved.
	incompatible, same, compatible int
	compared                       int // values the plan and the generic path agree on
	cases                          []pyCase
	pairs                          []pair
	want                           [][]any   // per case and datum: the value, or nil after an error
	failed                         [][]error // per case and datum: the plan's error
	plans                          []*op
}

// add checks one pair: its verdict, and then perPair random writer values
// through the plan and the generic path. It returns the resolution.
func (d *differential) add(t *testing.T, p pair) *resolution {
	t.Helper()
	res := resolve(p.writer, readerType(p.reader))
	switch {
	case res.err != nil:
		if !strings.HasPrefix(res.err.Error(), "the type cannot read data written with this schema") &&
			!strings.Contains(res.err.Error(), "does not parse") {
			t.Errorf("%s: error %v", p.name, res.err)
		}
		d.incompatible++
		return res
	case res.same:
		d.same++
		return res
	case res.plan == nil:
		t.Errorf("%s: no plan for a compatible pair\nwriter: %s\nreader: %s", p.name, p.writer, p.reader)
		return res
	}
	d.compatible++
	d.plans = append(d.plans, res.plan)
	w := mustPlain(t, p.writer)
	gen := &generator{rng: d.rng, names: map[string]*avro.SchemaNode{}}
	root := w.Root()
	collect(root, "", gen.names)
	c := pyCase{Writer: plainJSON(t, p.writer), Reader: plainJSON(t, p.reader)}
	var wants []any
	var errs []error
	for i := range d.perPair {
		data := gen.value(nil, root, "", 0)
		want, werr := genericBytes(res, data)
		got, gerr := transcode(res.plan, nil, data)
		if gerr == nil {
			gerr = checkReader(res.reader, got)
		}
		if (werr != nil) != (gerr != nil) {
			t.Errorf("%s #%d (data %x): generic path error %v, plan error %v\nwriter: %s\nreader: %s", p.name, i, data, werr, gerr, p.writer, p.reader)
			continue
		}
		var v any
		if werr == nil {
			if !sameValue(t, res.reader, want, got) {
				t.Errorf("%s #%d (data %x): plan gives %x, generic path %x\nwriter: %s\nreader: %s", p.name, i, data, got, want, p.writer, p.reader)
				continue
			}
			d.compared++
			if _, err := res.reader.Decode(got, &v); err != nil {
				t.Fatal(err)
			}
		}
		c.Data = append(c.Data, hex.EncodeToString(data))
		wants = append(wants, v)
		errs = append(errs, gerr)
	}
	d.cases = append(d.cases, c)
	d.pairs = append(d.pairs, p)
	d.want = append(d.want, wants)
	d.failed = append(d.failed, errs)
	return res
}

// python has python3-avro read every collected datum with the pair's
// writer and reader schemas, and checks that it reads the plan's value, or
// fails where the plan failed. It returns the number of values compared.
func (d *differential) python(t *testing.T) int {
	t.Helper()
	answers := readWithPython(t, d.cases)
	compared, reported, implicit := 0, 0, 0
	for i, a := range answers {
		p := d.pairs[i]
		if a.Error != "" {
			t.Errorf("%s: python3-avro does not parse the schemas: %s\nwriter: %s\nreader: %s", p.name, a.Error, p.writer, p.reader)
			continue
		}
		if len(a.Values) != len(d.want[i]) {
			t.Fatalf("%s: python3-avro read %d of %d values", p.name, len(a.Values), len(d.want[i]))
		}
		for j, v := range a.Values {
			var msg string
			switch gerr := d.failed[i][j]; {
			case gerr != nil && v.Error == "":
				msg = fmt.Sprintf("the plan fails (%v), python3-avro reads %s", gerr, mustJSON(v.V))
			case gerr == nil && implicitNull(t, p.reader, v.Error):
				// twmb/avro's verdict, which DecodeFrom takes: a
				// reader field without a default whose type is a union
				// with null first reads as null. Avro (Java and Python)
				// rejects the pair, and so does evc compat.
				implicit++
			case gerr == nil && v.Error != "":
				msg = fmt.Sprintf("the plan reads %s, python3-avro fails: %s", mustJSON(d.want[i][j]), v.Error)
			case gerr == nil && !samePython(d.want[i][j], v.V):
				msg = fmt.Sprintf("the plan reads %s, python3-avro %s", mustJSON(d.want[i][j]), mustJSON(v.V))
			case gerr == nil:
				compared++
			}
			if msg != "" {
				if reported++; reported <= 20 {
					t.Errorf("%s, data %s: %s\nwriter: %s\nreader: %s", p.name, d.cases[i].Data[j], msg, p.writer, p.reader)
				}
			}
		}
	}
	if reported > 20 {
		t.Errorf("... %d disagreements with python3-avro in all", reported)
	}
	if implicit > 0 {
		t.Logf("%d values not compared: python3-avro rejects a reader field without a default that twmb/avro reads as an implicit null", implicit)
	}
	return compared
}

// implicitNull reports whether python3-avro's error is that a reader field
// has no default, and the reader's field of that name is one that twmb/avro
// gives an implicit null default: no default, a union with null first.
func implicitNull(t *testing.T, reader, pyErr string) bool {
	name, ok := strings.CutPrefix(pyErr, "SchemaResolutionException: No default value for field ")
	if !ok {
		return false
	}
	name, _, _ = strings.Cut(name, "\n")
	name = strings.TrimSpace(name)
	r := mustPlain(t, reader)
	b := &builder{rnames: map[string]*avro.SchemaNode{}}
	collect(r.Root(), "", b.rnames)
	for _, n := range b.rnames {
		for i := range n.Fields {
			f := &n.Fields[i]
			if f.Name == name && !f.HasDefault && b.nullFirst(&f.Type, namespaceOf(fullName(n, ""))) {
				return true
			}
		}
	}
	return false
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// TestPlan_CorpusAgreesWithPython reads random writer data of every
// compatible pair of the corpus with the plan and with python3-avro's
// resolving reader, which must read the same values, and fail on the same
// data (an enum symbol or union branch the reader lacks).
func TestPlan_CorpusAgreesWithPython(t *testing.T) {
	requirePython(t)
	d := &differential{rng: rand.New(rand.NewPCG(5, 6)), perPair: 10}
	for _, p := range corpusPairs() {
		d.add(t, p)
	}
	n := d.python(t)
	if d.compatible < 1500 || n < 10*d.compatible/2 {
		t.Errorf("%d compatible pairs, %d values compared with python3-avro", d.compatible, n)
	}
	t.Logf("%d compatible corpus pairs, %d values equal to twmb/avro's and %d to python3-avro's", d.compatible, d.compared, n)
	features := planFeatures(d.plans)
	for _, f := range []string{"int as float", "int as double", "long as float", "long as double", "float as double", "union into a value", "value into a union", "enum symbols mapped"} {
		if features[f] == 0 {
			t.Errorf("no compatible corpus pair with %q (%v)", f, features)
		}
	}
	t.Logf("plan features by pair: %v", features)
}
