package avro

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os/exec"
	"strings"
	"testing"

	tavro "github.com/twmb/avro"

	"github.com/evc-dev/evc/compiler/avsc"
	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/internal/corpus"
	"github.com/evc-dev/evc/internal/pyavro"
	"github.com/evc-dev/evc/ir"
)

// readAvsc reads an .avsc with the compiler's reader, failing on errors.
func readAvsc(t testing.TB, name string, src []byte) *ir.File {
	t.Helper()
	var l diag.List
	f := avsc.Read(name, src, &l, nil)
	if l.HasErrors() {
		t.Fatalf("%s: %v", name, l.Err())
	}
	return f
}

func TestTypeJSON_CorpusRoundTrip(t *testing.T) {
	schemas := corpus.Schemas()
	var outputs []pyCase
	pcfCompared := 0
	for _, s := range schemas {
		name := s.Name
		if strings.Contains(name, "redemption-reversed") {
			continue // invalid Avro: the reader's own test covers it
		}
		in := readAvsc(t, name, s.Data)
		out1 := TypeJSON(in.Root, true)
		mid := readAvsc(t, name+" (written once)", out1)
		out2 := TypeJSON(mid.Root, true)
		if !bytes.Equal(out1, out2) {
			t.Errorf("%s: not a fixed point:\n%s\n---\n%s", name, out1, out2)
			continue
		}
		if !bytes.Equal(TypeJSON(in.Root, false), TypeJSON(mid.Root, false)) {
			t.Errorf("%s: compact form differs after a round trip", name)
		}
		if diff := compareTypes(in.Root, mid.Root, map[[2]*ir.Named]bool{}); diff != "" {
			t.Errorf("%s: the round trip changed the schema: %s\n%s", name, diff, out1)
		}
		// The Parsing Canonical Form of the output equals the input's.
		want, err := tavro.Parse(string(s.Data))
		if err != nil {
			t.Logf("%s: twmb/avro rejects the input, canonical form not compared: %v", name, err)
		} else {
			got, err := tavro.Parse(string(out1))
			if err != nil {
				t.Errorf("%s: twmb/avro rejects the output: %v\n%s", name, err, out1)
				continue
			}
			pcfCompared++
			if !bytes.Equal(got.Canonical(), want.Canonical()) {
				t.Errorf("%s: canonical form changed:\n got %s\nwant %s", name, got.Canonical(), want.Canonical())
			}
		}
		outputs = append(outputs, pyCase{name, out1})
	}
	if pcfCompared < len(schemas)-10 {
		t.Errorf("compared the canonical form of only %d of %d schemas", pcfCompared, len(schemas))
	}
	t.Logf("%d schemas round-tripped, %d canonical forms compared", len(outputs), pcfCompared)
	pythonParses(t, outputs)
}

// compareTypes returns how a and b differ, or "".
func compareTypes(a, b *ir.Type, seen map[[2]*ir.Named]bool) string {
	switch {
	case a == nil || b == nil:
		if a != b {
			return "one type is missing"
		}
		return ""
	case a.Kind != b.Kind || a.Logical != b.Logical || a.Precision != b.Precision || a.Scale != b.Scale || a.Optional != b.Optional:
		return fmt.Sprintf("type %s became %s", a.Name(), b.Name())
	case !sameProps(a.Props, b.Props):
		return fmt.Sprintf("props of %s: %v became %v", a.Name(), a.Props, b.Props)
	}
	switch a.Kind {
	case ir.Array:
		return compareTypes(a.Items, b.Items, seen)
	case ir.Map:
		return compareTypes(a.Values, b.Values, seen)
	case ir.Union:
		if len(a.Branches) != len(b.Branches) {
			return fmt.Sprintf("%s became %s", a.Name(), b.Name())
		}
		for i := range a.Branches {
			if d := compareTypes(a.Branches[i], b.Branches[i], seen); d != "" {
				return d
			}
		}
	case ir.Record, ir.Enum, ir.Fixed:
		return compareNamed(a.Named, b.Named, seen)
	}
	return ""
}

func compareNamed(a, b *ir.Named, seen map[[2]*ir.Named]bool) string {
	if seen[[2]*ir.Named{a, b}] {
		return ""
	}
	seen[[2]*ir.Named{a, b}] = true
	name := a.FullName()
	switch {
	case name != b.FullName() || a.Kind != b.Kind:
		return fmt.Sprintf("%s %s became %s %s", a.Kind, name, b.Kind, b.FullName())
	case a.Doc != b.Doc:
		return fmt.Sprintf("doc of %s: %q became %q", name, a.Doc, b.Doc)
	case strings.Join(a.Aliases, ",") != strings.Join(b.Aliases, ","):
		return fmt.Sprintf("aliases of %s: %v became %v", name, a.Aliases, b.Aliases)
	case !sameProps(a.Props, b.Props):
		return fmt.Sprintf("props of %s: %v became %v", name, a.Props, b.Props)
	case a.Size != b.Size || a.Logical != b.Logical || a.Precision != b.Precision || a.Scale != b.Scale:
		return fmt.Sprintf("fixed %s changed", name)
	case a.Default != b.Default || a.HasDefault != b.HasDefault:
		return fmt.Sprintf("enum default of %s changed", name)
	case a.Deprecated != b.Deprecated || a.DeprecatedReason != b.DeprecatedReason:
		return fmt.Sprintf("deprecation of %s changed", name)
	case len(a.Symbols) != len(b.Symbols) || len(a.Fields) != len(b.Fields) || len(a.Reserved) != len(b.Reserved):
		return fmt.Sprintf("members of %s changed", name)
	case (a.Event == nil) != (b.Event == nil) || a.Event != nil && (a.Event.Type != b.Event.Type || a.Event.Source != b.Event.Source):
		return fmt.Sprintf("event of %s changed", name)
	}
	for i, s := range a.Symbols {
		if s.Name != b.Symbols[i].Name || s.Doc != b.Symbols[i].Doc {
			return fmt.Sprintf("symbol %d of %s changed", i, name)
		}
	}
	for i, r := range a.Reserved {
		if r.Name != b.Reserved[i].Name {
			return fmt.Sprintf("reserved names of %s changed", name)
		}
	}
	for i, f := range a.Fields {
		g := b.Fields[i]
		switch {
		case f.Name != g.Name:
			return fmt.Sprintf("field %d of %s: %s became %s", i, name, f.Name, g.Name)
		case f.Doc != g.Doc || f.Order != g.Order || strings.Join(f.Aliases, ",") != strings.Join(g.Aliases, ","):
			return fmt.Sprintf("field %s.%s: doc, order or aliases changed", name, f.Name)
		case f.Deprecated != g.Deprecated || f.DeprecatedReason != g.DeprecatedReason:
			return fmt.Sprintf("field %s.%s: deprecation changed", name, f.Name)
		case !sameProps(f.Props, g.Props):
			return fmt.Sprintf("field %s.%s: props %v became %v", name, f.Name, f.Props, g.Props)
		case (f.Default == nil) != (g.Default == nil):
			return fmt.Sprintf("field %s.%s: default added or lost", name, f.Name)
		case f.Default != nil && !sameValue(f.Default, g.Default):
			return fmt.Sprintf("field %s.%s: default %s became %s", name, f.Name, f.Default.JSON(), g.Default.JSON())
		}
		if d := compareTypes(f.Type, g.Type, seen); d != "" {
			return fmt.Sprintf("field %s.%s: %s", name, f.Name, d)
		}
	}
	return ""
}

// sameProps compares props by name and by their JSON with insignificant
// whitespace removed.
func sameProps(a, b []ir.Prop) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Name != b[i].Name || compact(a[i].Value) != compact(b[i].Value) {
			return false
		}
	}
	return true
}

func compact(s string) string {
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(s)); err != nil {
		return s
	}
	return b.String()
}

// sameValue compares two defaults as values: kind, branch and exact
// numbers (longs beyond 2^53 included), recursively.
func sameValue(a, b *ir.Value) bool {
	if a.Kind != b.Kind || a.Branch != b.Branch || a.Bool != b.Bool || a.Int != b.Int || a.Str != b.Str ||
		!bytes.Equal(a.Bytes, b.Bytes) || len(a.Items) != len(b.Items) || len(a.Entries) != len(b.Entries) {
		return false
	}
	if a.Float != b.Float && !(a.Float != a.Float && b.Float != b.Float) {
		return false
	}
	for i := range a.Items {
		if !sameValue(a.Items[i], b.Items[i]) {
			return false
		}
	}
	for i := range a.Entries {
		if a.Entries[i].Key != b.Entries[i].Key || !sameValue(a.Entries[i].Value, b.Entries[i].Value) {
			return false
		}
	}
	return true
}

// pyCase is one schema for the Python reference to parse.
type pyCase struct {
	name string
	json []byte
}

// pythonParses checks that Apache Avro's Python implementation parses every
// schema, in one Python process. It skips when python3-avro is missing,
// unless CI=true.
func pythonParses(t *testing.T, cases []pyCase) {
	t.Helper()
	pyavro.Require(t, "avro.schema")
	var in bytes.Buffer
	for _, c := range cases {
		line, _ := json.Marshal(map[string]string{"name": c.name, "schema": string(c.json)})
		in.Write(line)
		in.WriteByte('\n')
	}
	const script = `
import json, sys, avro.schema
bad = 0
for line in sys.stdin:
    c = json.loads(line)
    try:
        avro.schema.parse(c["schema"])
    except Exception as e:
        bad += 1
        print("%s: %s: %s" % (c["name"], type(e).__name__, e))
print("parsed", bad)
`
	cmd := exec.Command(pyavro.Python, "-c", script)
	cmd.Stdin = &in
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("python: %v\n%s", err, out)
	}
	if !bytes.HasSuffix(out, []byte("parsed 0\n")) {
		t.Errorf("Apache Avro (Python) rejects some schemas we wrote:\n%s", out)
	}
}
