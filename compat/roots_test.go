package compat

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/evc-dev/evc/compiler"
	"github.com/evc-dev/evc/ir"
)

// compileFiles compiles in-memory files, all of them inputs.
func compileFiles(t testing.TB, files map[string]string) *ir.Schema {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, src := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(src)}
	}
	res := compiler.Compile([]string{"."}, compiler.Options{FS: fsys})
	if res.Diags.HasErrors() || res.Schema == nil {
		t.Fatalf("%v", res.Diags.Items())
	}
	return res.Schema
}

func rootNames(rs []Root) string {
	var names []string
	for _, r := range rs {
		names = append(names, r.Name+"@"+r.File.Path)
	}
	return strings.Join(names, " ")
}

// TestRoots finds the top-level types: named types no type outside their
// cycle uses, told apart by full name (repeats in self-contained .avsc
// files are not top-level), with one pick per cycle that nothing else uses.
func TestRoots(t *testing.T) {
	const money = `{"type": "record", "name": "Money", "namespace": "shop", "fields": [{"name": "amount", "type": "long"}, {"name": "currency", "type": {"type": "enum", "name": "Currency", "symbols": ["EUR", "USD"]}}]}`
	const lineItem = `{"type": "record", "name": "LineItem", "namespace": "shop", "fields": [{"name": "price", "type": ` + money + `}]}`
	const cycle = `{"type": "record", "name": "R", "fields": [{"name": "x", "type": "int"}, {"name": "n", "type": {"type": "record", "name": "N", "fields": [{"name": "r", "type": ["null", "R"]}]}}]}`
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"avsc folder of evc's own output: repeats are not top-level", map[string]string{
			"shop.LineItem.avsc": lineItem,
			"shop.Money.avsc":    money,
			"shop.Currency.avsc": `{"type": "enum", "name": "Currency", "namespace": "shop", "symbols": ["EUR", "USD"]}`,
			"shop.Order.avsc":    `{"type": "record", "name": "Order", "namespace": "shop", "fields": [{"name": "total", "type": ` + money + `}]}`,
		}, "shop.LineItem@shop.LineItem.avsc shop.Order@shop.Order.avsc"},
		{"two files, LineItem containing Money containing Currency", map[string]string{
			"a.avsc": lineItem,
			"b.avsc": money,
		}, "shop.LineItem@a.avsc"},
		{"a cycle in one .avsc: the file's schema", map[string]string{"R.avsc": cycle}, "R@R.avsc"},
		{"a cycle in two .avsc files: both files' schemas", map[string]string{
			"R.avsc": cycle,
			"N.avsc": `{"type": "record", "name": "N", "fields": [{"name": "r", "type": ["null", {"type": "record", "name": "R", "fields": [{"name": "x", "type": "int"}, {"name": "n", "type": "N"}]}]}]}`,
		}, "N@N.avsc R@R.avsc"},
		{"a cycle in .evc: the first declared", map[string]string{
			"a.evc": "namespace a;\nrecord R { x: int; n: N; }\nrecord N { r: R?; }\n",
		}, "a.R@a.evc"},
		{"a cycle in .evc: the one a topic carries", map[string]string{
			"a.evc": "namespace a;\nrecord N { r: R?; }\nrecord R { x: int; n: N; }\ntopic \"t\" { value: R; }\n",
		}, "a.R@a.evc"},
		{"a three-record cycle under an event, and self-recursion", map[string]string{
			"a.evc": "namespace a;\nrecord Event { a: A; tree: Tree; }\nrecord A { b: B; }\nrecord B { c: C; }\nrecord C { back: A?; }\nrecord Tree { kids: array<Tree>; }\n",
		}, "a.Event@a.evc"},
		{"self-recursion alone", map[string]string{
			"a.evc": "namespace a;\nrecord Tree { kids: map<Tree>; }\n",
		}, "a.Tree@a.evc"},
		{"a cycle across namespaces", map[string]string{
			"a.evc": "namespace a;\nrecord R { n: b.N; }\n@namespace(\"b\") record N { r: a.R?; }\n",
		}, "a.R@a.evc"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := compileFiles(t, tc.files)
			if got := rootNames(Roots(s)); got != tc.want {
				t.Errorf("roots = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestJoinModes(t *testing.T) {
	for _, tc := range []struct {
		in   []Mode
		want Mode
	}{
		{nil, None},
		{[]Mode{None}, None},
		{[]Mode{Forward}, Forward},
		{[]Mode{Forward, Backward}, Full},
		{[]Mode{BackwardTransitive, None}, BackwardTransitive},
		{[]Mode{ForwardTransitive, Forward}, ForwardTransitive},
		{[]Mode{Backward, ForwardTransitive}, FullTransitive},
		{[]Mode{Full}, Full},
	} {
		if got := joinModes(tc.in); got != tc.want {
			t.Errorf("joinModes(%v) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

// TestCheck_SharedEnumOnce: an enum two records use, through fields of
// other names, that gains a symbol is one finding, at the symbol.
func TestCheck_SharedEnumOnce(t *testing.T) {
	const src = "namespace s;\nenum Cur { EUR, USD%s }\nrecord A { c: Cur; }\nrecord B { d: Cur; }\n"
	old := compileFiles(t, map[string]string{"a.evc": fmt.Sprintf(src, "")})
	e := NewEarlier("v1")
	e.AddSchema(old, "v1")
	ns := compileFiles(t, map[string]string{"a.evc": fmt.Sprintf(src, ", GBP")})
	subjects, removed := Match(Roots(ns), ns, e, ModeRules{}, nil)
	rep := Check(subjects, removed, Options{Homes: Homes(ns)})
	if len(rep.Findings) != 1 || rep.Findings[0].Rule != RuleEnumSymbolAdded || rep.Findings[0].Span.Start.Col != 22 || strings.Join(rep.Findings[0].Types, " ") != "s.A s.B" {
		t.Errorf("findings: %+v", rep.Findings)
	}
}
