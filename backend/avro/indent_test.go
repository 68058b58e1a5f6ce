package avro

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/evc-dev/evc/ir"
)

// TestIndent_AsJSONIndent: within the depth bound, indent lays JSON out
// exactly as json.Indent does.
func TestIndent_AsJSONIndent(t *testing.T) {
	for _, src := range []string{
		`{}`, `[]`, `"a"`, `1`, `{"a":[],"b":{},"c":[1,2,{"d":"x\"y\\"}],"e":null}`,
		`{"type":"record","name":"R","fields":[{"name":"a","type":["null",{"type":"map","values":"int"}],"default":null}]}`,
		` { "a" : [ 1 , "s p" ] } `,
	} {
		var want, got bytes.Buffer
		if err := json.Indent(&want, []byte(src), "", "  "); err != nil {
			t.Fatal(err)
		}
		indent(&got, []byte(src), 100)
		if got.String() != strings.TrimSpace(want.String()) {
			t.Errorf("%s:\ngot  %s\nwant %s", src, got.String(), want.String())
		}
	}
}

// TestIndent_Bounded: deeper than the bound, values stay compact and valid.
func TestIndent_Bounded(t *testing.T) {
	src := `{"a":{"b":{"c":[1,{"d":"}]"}]}}}`
	var got bytes.Buffer
	indent(&got, []byte(src), 2)
	want := "{\n  \"a\": {\n    \"b\": {\"c\":[1,{\"d\":\"}]\"}]}\n  }\n}"
	if got.String() != want {
		t.Errorf("got\n%s\nwant\n%s", got.String(), want)
	}
	if !json.Valid(got.Bytes()) {
		t.Error("not valid JSON")
	}
}

// TestGenerate_ChainStaysSmall is the chain reproducer: records nested as
// optional fields N deep. Each self-contained .avsc holds the rest of the
// chain, so the files together grow with N^2; the bounded indentation keeps
// every file linear in what it holds (it was N^2 each, N^3 together: 275 MB
// for N=250).
func TestGenerate_ChainStaysSmall(t *testing.T) {
	size := func(n int) (total, first int) {
		f := &ir.File{Path: "chain.evc"}
		rs := make([]*ir.Named, n)
		for i := range rs {
			rs[i] = &ir.Named{Kind: ir.Record, Name: fmt.Sprintf("R%d", i), Namespace: "chain", File: f}
		}
		for i, r := range rs {
			typ := &ir.Type{Kind: ir.String}
			if i+1 < n {
				typ = &ir.Type{Kind: ir.Union, Branches: []*ir.Type{{Kind: ir.Null}, {Kind: ir.Record, Named: rs[i+1]}}}
			}
			r.Fields = []*ir.Field{{Name: fmt.Sprintf("a%d", i), Type: typ}}
		}
		f.Types = rs
		files, err := Generate(&ir.Schema{Files: []*ir.File{f}, Types: rs})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			total += len(f.Data)
			if f.Path == "chain.R0.avsc" {
				first = len(f.Data)
			}
		}
		return total, first
	}
	t100, f100 := size(100)
	t200, f200 := size(200)
	if f200 > 2*f100+2*f100/10 {
		t.Errorf("the first file grows faster than the chain: %d bytes for 100, %d for 200", f100, f200)
	}
	if t200 > 4*t100+4*t100/10 {
		t.Errorf("the files grow faster than N^2: %d bytes for 100, %d for 200", t100, t200)
	}
}
