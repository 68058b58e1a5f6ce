package defaults

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/ir"
)

// lit parses JSON into a Literal (without spans); a bare word that is not
// JSON, like RED, becomes a LitIdent.
func lit(t *testing.T, s string) *Literal {
	t.Helper()
	if s != "" && (s[0] >= 'A' && s[0] <= 'Z') {
		return &Literal{Kind: LitIdent, Text: s}
	}
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	l, err := decodeLit(dec)
	if err != nil {
		t.Fatalf("bad test literal %s: %v", s, err)
	}
	return l
}

func decodeLit(dec *json.Decoder) (*Literal, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch tok := tok.(type) {
	case nil:
		return &Literal{Kind: LitNull}, nil
	case bool:
		return &Literal{Kind: LitBool, Bool: tok}, nil
	case json.Number:
		return &Literal{Kind: LitNumber, Text: tok.String()}, nil
	case string:
		return &Literal{Kind: LitString, Text: tok}, nil
	case json.Delim:
		switch tok {
		case '[':
			l := &Literal{Kind: LitArray}
			for dec.More() {
				it, err := decodeLit(dec)
				if err != nil {
					return nil, err
				}
				l.Items = append(l.Items, it)
			}
			_, err := dec.Token()
			return l, err
		case '{':
			l := &Literal{Kind: LitObject}
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return nil, err
				}
				v, err := decodeLit(dec)
				if err != nil {
					return nil, err
				}
				l.Fields = append(l.Fields, Member{Key: k.(string), Value: v})
			}
			_, err := dec.Token()
			return l, err
		}
	}
	return nil, fmt.Errorf("unexpected %v", tok)
}

func prim(k ir.Kind) *ir.Type { return &ir.Type{Kind: k} }

func union(bs ...*ir.Type) *ir.Type { return &ir.Type{Kind: ir.Union, Branches: bs} }

func optional(b *ir.Type) *ir.Type {
	return &ir.Type{Kind: ir.Union, Optional: true, Branches: []*ir.Type{prim(ir.Null), b}}
}

var (
	color = &ir.Named{Kind: ir.Enum, Name: "Color", Namespace: "ex", Symbols: []*ir.Symbol{{Name: "RED"}, {Name: "GREEN"}}}
	md5   = &ir.Named{Kind: ir.Fixed, Name: "MD5", Namespace: "ex", Size: 4}
	point = &ir.Named{Kind: ir.Record, Name: "Point", Namespace: "ex", Fields: []*ir.Field{
		{Name: "x", Type: prim(ir.Int)},
		{Name: "y", Type: prim(ir.Int), Default: &ir.Value{Kind: ir.Int}},
		{Name: "tags", Type: &ir.Type{Kind: ir.Array, Items: prim(ir.String)}, Default: &ir.Value{Kind: ir.Array}},
	}}
	colorT = &ir.Type{Kind: ir.Enum, Named: color}
	md5T   = &ir.Type{Kind: ir.Fixed, Named: md5}
	pointT = &ir.Type{Kind: ir.Record, Named: point}
)

func TestCheck(t *testing.T) {
	tests := []struct {
		name string
		typ  *ir.Type
		lit  string
		want string // JSON of the value, or the error message
		err  bool
	}{
		{"success_null", prim(ir.Null), `null`, `null`, false},
		{"success_bool", prim(ir.Boolean), `true`, `true`, false},
		{"success_int", prim(ir.Int), `-2147483648`, `-2147483648`, false},
		{"success_long_exact", prim(ir.Long), `9007199254740993`, `9007199254740993`, false},
		{"success_long_min", prim(ir.Long), `-9223372036854775808`, `-9223372036854775808`, false},
		{"success_float_int_text", prim(ir.Float), `1`, `1.0`, false},
		{"success_double", prim(ir.Double), `1.5e300`, `1.5e+300`, false},
		{"success_double_nan", prim(ir.Double), `"NaN"`, `"NaN"`, false},
		{"success_float_neg_inf", prim(ir.Float), `"-Infinity"`, `"-Infinity"`, false},
		{"success_string", prim(ir.String), `"héllo"`, `"héllo"`, false},
		{"success_bytes_latin1", prim(ir.Bytes), `"\u00ff\u0000a"`, `"ÿ\u0000a"`, false},
		{"success_decimal_bytes", &ir.Type{Kind: ir.Bytes, Logical: ir.Decimal, Precision: 4, Scale: 2}, `"\u0001"`, `"\u0001"`, false},
		{"success_uuid", &ir.Type{Kind: ir.String, Logical: ir.UUID}, `"6ba7b810-9dad-11d1-80b4-00c04fd430c8"`, `"6ba7b810-9dad-11d1-80b4-00c04fd430c8"`, false},
		{"success_date", &ir.Type{Kind: ir.Int, Logical: ir.Date}, `19000`, `19000`, false},
		{"success_fixed", md5T, `"abcd"`, `"abcd"`, false},
		{"success_enum_string", colorT, `"GREEN"`, `"GREEN"`, false},
		{"success_enum_ident", colorT, `GREEN`, `"GREEN"`, false},
		{"success_array", &ir.Type{Kind: ir.Array, Items: prim(ir.Long)}, `[1, 2]`, `[1, 2]`, false},
		{"success_map", &ir.Type{Kind: ir.Map, Values: prim(ir.String)}, `{"b": "x", "a": "y"}`, `{"b": "x", "a": "y"}`, false},
		{"success_record_defaults_fill", pointT, `{"x": 1}`, `{"x": 1}`, false},
		{"success_union_first", union(prim(ir.String), prim(ir.Null)), `"a"`, `"a"`, false},
		{"success_optional_null", optional(prim(ir.String)), `null`, `null`, false},
		{"success_custom_as_wire", &ir.Type{Kind: ir.Long, Logical: ir.TimestampMillis, Custom: &ir.Custom{Name: "Instant", Namespace: "ex"}}, `5`, `5`, false},

		{"failure_string_number", prim(ir.String), `3`, `field "user" has default 3, but its type is string`, true},
		{"failure_optional_number", optional(prim(ir.String)), `3`, `field "user" has default 3, but its type is string?`, true},
		{"failure_int_range", prim(ir.Int), `2147483648`, `field "user" has an invalid default: 2147483648 is out of range for int`, true},
		{"failure_long_range", prim(ir.Long), `9223372036854775808`, `field "user" has an invalid default: 9223372036854775808 is out of range for long`, true},
		{"failure_int_fraction", prim(ir.Int), `1.0`, `field "user" has default 1.0, but its type is int`, true},
		{"failure_float_range", prim(ir.Float), `1e39`, `field "user" has an invalid default: 1e39 is out of range for float`, true},
		{"failure_double_string", prim(ir.Double), `"nan"`, `field "user" has default "nan", but its type is double`, true},
		{"failure_null", prim(ir.Null), `0`, `field "user" has default 0, but its type is null`, true},
		{"failure_bool", prim(ir.Boolean), `"true"`, `field "user" has default "true", but its type is boolean`, true},
		{"failure_bytes_wide", prim(ir.Bytes), `"€"`, `field "user" has an invalid default: "€" has a character above U+00FF, but each character of a bytes default is one byte`, true},
		{"failure_enum_symbol", colorT, `"BLUE"`, `field "user" has an invalid default: "BLUE" is not a symbol of ex.Color`, true},
		{"failure_enum_number", colorT, `1`, `field "user" has default 1, but its type is ex.Color`, true},
		{"failure_uuid_number", &ir.Type{Kind: ir.String, Logical: ir.UUID}, `1`, `field "user" has default 1, but its type is uuid`, true},
		{"failure_array_item", &ir.Type{Kind: ir.Array, Items: prim(ir.String)}, `["a", 2]`, `field "user" has an invalid default: item 2: expected string, found 2`, true},
		{"failure_array_object", &ir.Type{Kind: ir.Array, Items: prim(ir.String)}, `{"a": 1}`, `field "user" has default {"a": 1}, but its type is array<string>`, true},
		{"failure_map_value", &ir.Type{Kind: ir.Map, Values: prim(ir.Int)}, `{"a": 1, "b": [1]}`, `field "user" has an invalid default: key "b": expected int, found an array`, true},
		{"failure_map_dup", &ir.Type{Kind: ir.Map, Values: prim(ir.Int)}, `{"a": 1, "a": 2}`, `field "user" has an invalid default: key "a" is written twice`, true},
		{"failure_record_missing", pointT, `{"y": 1}`, `field "user" has an invalid default: field "x" is missing, and ex.Point gives it no default`, true},
		{"failure_record_nested", pointT, `{"x": 1, "tags": ["a", null]}`, `field "user" has an invalid default: field "tags": item 2: expected string, found null`, true},
		{"failure_record_dup", pointT, `{"x": 1, "x": 2}`, `field "user" has an invalid default: field "x" is written twice`, true},
		{"failure_union_nested", &ir.Type{Kind: ir.Array, Items: optional(prim(ir.Int))}, `[null, 1]`, `field "user" has an invalid default: item 2: expected int?, found 1`, true},
		{"failure_union_range", union(prim(ir.Int), prim(ir.Long)), `3000000000`, `field "user" has an invalid default: 3000000000 is out of range for int`, true},
		{"failure_ident_for_string", prim(ir.String), `RED`, `field "user" has default RED, but its type is string`, true},
		{"failure_long_text", prim(ir.Int), `"` + strings.Repeat("x", 100) + `"`, `field "user" has default "` + strings.Repeat("x", 56) + `..., but its type is int`, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var l diag.List
			v := Check(`field "user"`, tc.typ, lit(t, tc.lit), &l)
			if tc.err {
				if v != nil {
					t.Errorf("got value %s, want an error", v.JSON())
				}
				if l.Len() != 1 {
					t.Fatalf("got %d diagnostics, want 1: %v", l.Len(), l.Items())
				}
				if got := l.Items()[0].Message; got != tc.want {
					t.Errorf("message:\n got %s\nwant %s", got, tc.want)
				}
				return
			}
			if l.Len() != 0 {
				t.Fatalf("unexpected diagnostics: %v", l.Items())
			}
			if v == nil {
				t.Fatal("nil value")
			}
			if got := v.JSON(); got != tc.want {
				t.Errorf("JSON = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestCheck_Values(t *testing.T) {
	var l diag.List
	v := Check("f", prim(ir.Long), lit(t, `9223372036854775807`), &l)
	if v == nil || v.Kind != ir.Long || v.Int != math.MaxInt64 || v.Raw != "9223372036854775807" {
		t.Errorf("long: %+v", v)
	}
	v = Check("f", union(prim(ir.String), prim(ir.Null)), lit(t, `"x"`), &l)
	if v == nil || v.Kind != ir.String || v.Branch != 0 || v.Str != "x" {
		t.Errorf("union: %+v", v)
	}
	v = Check("f", prim(ir.Bytes), lit(t, `"\u00ff\u0001"`), &l)
	if v == nil || string(v.Bytes) != "\xff\x01" {
		t.Errorf("bytes: %+v", v)
	}
	v = Check("f", prim(ir.Double), lit(t, `"Infinity"`), &l)
	if v == nil || !math.IsInf(v.Float, 1) {
		t.Errorf("infinity: %+v", v)
	}
	v = Check("f", colorT, lit(t, `RED`), &l)
	if v == nil || v.Kind != ir.Enum || v.Str != "RED" {
		t.Errorf("enum: %+v", v)
	}
	if l.Len() != 0 {
		t.Errorf("diagnostics: %v", l.Items())
	}
}

func TestCheck_SpanAndHelp(t *testing.T) {
	at := func(col int) diag.Span { return diag.At(diag.Pos{File: "a.evc", Line: 1, Col: col}) }
	item := &Literal{Kind: LitNumber, Text: "2", Span: at(7)}
	arr := &Literal{Kind: LitArray, Items: []*Literal{{Kind: LitString, Text: "a", Span: at(2)}, item}, Span: at(1)}
	var l diag.List
	Check(`field "tags"`, &ir.Type{Kind: ir.Array, Items: prim(ir.String)}, arr, &l)
	if l.Len() != 1 || l.Items()[0].Span != item.Span {
		t.Fatalf("want one diagnostic at the item, got %v", l.Items())
	}
	if got, want := l.Items()[0].Error(), `a.evc:1:7: field "tags" has an invalid default: item 2: expected string, found 2`; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}

	l = diag.List{}
	Check(`field "name"`, optional(prim(ir.String)), &Literal{Kind: LitString, Text: "x"}, &l)
	if got, want := l.Items()[0].Help, `the default of an optional type can only be null; for a default of "x", write a union with string first`; got != want {
		t.Errorf("help:\n got %s\nwant %s", got, want)
	}
}

// TestCheck_OutsideSpecification covers what the specification forbids and
// Avro Java accepts: a warning that says what Java does, and the value as
// Java reads it (a record default keeps the key it ignores, so that the
// schema is written back as it was).
func TestCheck_OutsideSpecification(t *testing.T) {
	const prefix = `field "user" has a default outside the Avro specification: `
	for _, tc := range []struct {
		name   string
		typ    *ir.Type
		lit    string
		avsc   bool
		branch int
		want   string // the warning, after prefix
		help   string
	}{
		{"union_second", union(prim(ir.Null), prim(ir.Int), prim(ir.String)), `"a"`, false, 2,
			`"a" is of branch 3 of union<null, int, string>, string, not of the first`,
			`Avro Java reads it as branch 3; the specification and most other libraries need a value of the first branch, null`},
		{"optional_in_avsc", optional(prim(ir.String)), `"a"`, true, 1,
			`"a" is of branch 2 of string?, string, not of the first`,
			`Avro Java reads it as branch 2; the specification and most other libraries need a value of the first branch, null`},
		{"fixed_short", md5T, `"abc"`, false, 0,
			`"abc" is 3 bytes long, but ex.MD5 has size 4`,
			`Avro Java pads it with zero bytes to 4 bytes; other libraries may refuse it`},
		{"fixed_long_nested", &ir.Type{Kind: ir.Array, Items: md5T}, `["abcd", "abcde"]`, true, 0,
			`item 2: "abcde" is 5 bytes long, but ex.MD5 has size 4`,
			`Avro Java cuts it to 4 bytes; other libraries may refuse it`},
		{"record_unknown_key", pointT, `{"x": 1, "z": [2]}`, false, 0,
			`ex.Point has no field "z"`,
			`Avro ignores it; evc keeps it as written`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var l diag.List
			check := Check
			if tc.avsc {
				check = CheckAvsc
			}
			v := check(`field "user"`, tc.typ, lit(t, tc.lit), &l)
			if v == nil || l.Len() != 1 || l.HasErrors() {
				t.Fatalf("value %v, diagnostics %v; want a value and one warning", v, l.Items())
			}
			d := l.Items()[0]
			if d.Message != prefix+tc.want || d.Help != tc.help {
				t.Errorf("got  %s\n     help: %s\nwant %s\n     help: %s", d.Message, d.Help, prefix+tc.want, tc.help)
			}
			if v.Branch != tc.branch {
				t.Errorf("branch %d, want %d", v.Branch, tc.branch)
			}
			if got, want := v.JSON(), tc.lit; got != want {
				t.Errorf("the value is written back as %s, want %s", got, want)
			}
		})
	}
	// In .evc, T? still means a null default.
	var l diag.List
	if v := Check(`field "user"`, optional(prim(ir.String)), lit(t, `"a"`), &l); v != nil || !l.HasErrors() {
		t.Errorf("T? with a string default: %v %v, want an error", v, l.Items())
	}
}

func TestCheck_DeepNesting(t *testing.T) {
	typ := prim(ir.Int)
	l := &Literal{Kind: LitNumber, Text: "1"}
	for i := 0; i < maxDepth+5; i++ {
		typ = &ir.Type{Kind: ir.Array, Items: typ}
		l = &Literal{Kind: LitArray, Items: []*Literal{l}}
	}
	var dl diag.List
	if v := Check("f", typ, l, &dl); v != nil || dl.Len() != 1 {
		t.Fatalf("want one error, got %v %v", v, dl.Items())
	}
	want := "f has an invalid default: item 1: item 1: item 1: item 1: item 1: item 1: item 1: ...: item 1: item 1: item 1: item 1: item 1: item 1: item 1: it nests more than 1000 levels deep"
	if got := dl.Items()[0].Message; got != want {
		t.Errorf("message:\n got %s\nwant %s", got, want)
	}
}

func TestRender(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`3`, `3`},
		{`"abc"`, `"abc"`},
		{`[1,2]`, `[1, 2]`},
		{`{"a":1,"b":[null,true]}`, `{"a": 1, "b": [null, true]}`},
		{`"a\"b\n"`, `"a\"b\n"`},
		{`RED`, `RED`},
		{`-1.50e3`, `-1.50e3`},
	} {
		if got := Render(lit(t, tc.in)); got != tc.want {
			t.Errorf("Render(%s) = %s, want %s", tc.in, got, tc.want)
		}
	}
}
