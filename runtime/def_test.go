package runtime_test

import (
	"sync"
	"testing"

	"github.com/evc-dev/evc/runtime"
)

// typeOf stands for a generated Go type in a Def's Uses.
type typeOf struct{ t *runtime.Type }

func (u typeOf) AvroType() *runtime.Type { return u.t }

// graph returns a.A, which holds b.B twice and the null namespace's C; B
// holds A (a cycle) and C.
func graph() (a, b, c *runtime.Type) {
	a = &runtime.Type{Name: "a.A"}
	b = &runtime.Type{Name: "b.B"}
	c = &runtime.Type{Name: "C"}
	a.Def = runtime.Def{
		Head:      `{"type":"record","name":"A"`,
		Namespace: "a",
		JSON:      []string{`,"fields":[{"name":"b","type":`, `},{"name":"b2","type":"b.B"},{"name":"c","type":`, `}]}`},
		Canonical: []string{`{"name":"a.A","type":"record","fields":[{"name":"b","type":`, `},{"name":"b2","type":"b.B"},{"name":"c","type":`, `}]}`},
		Uses:      []runtime.Named{typeOf{b}, typeOf{c}},
	}
	b.Def = runtime.Def{
		Head:      `{"type":"record","name":"B"`,
		Namespace: "b",
		JSON:      []string{`,"fields":[{"name":"a","type":["null",`, `]},{"name":"c","type":`, `}]}`},
		Canonical: []string{`{"name":"b.B","type":"record","fields":[{"name":"a","type":["null",`, `]},{"name":"c","type":`, `}]}`},
		Uses:      []runtime.Named{typeOf{a}, typeOf{c}},
	}
	c.Def = runtime.Def{
		Head:      `{"type":"enum","name":"C"`,
		JSON:      []string{`,"symbols":["X"]}`},
		Canonical: []string{`{"name":"C","type":"enum","symbols":["X"]}`},
	}
	return a, b, c
}

func TestType_Compose(t *testing.T) {
	a, b, c := graph()
	for _, tc := range []struct {
		t                 *runtime.Type
		schema, canonical string
	}{
		{a,
			`{"type":"record","name":"A","namespace":"a","fields":[{"name":"b","type":{"type":"record","name":"B","namespace":"b","fields":[{"name":"a","type":["null","a.A"]},{"name":"c","type":{"type":"enum","name":"C","namespace":"","symbols":["X"]}}]}},{"name":"b2","type":"b.B"},{"name":"c","type":"C"}]}`,
			`{"name":"a.A","type":"record","fields":[{"name":"b","type":{"name":"b.B","type":"record","fields":[{"name":"a","type":["null","a.A"]},{"name":"c","type":{"name":"C","type":"enum","symbols":["X"]}}]}},{"name":"b2","type":"b.B"},{"name":"c","type":"C"}]}`},
		{b,
			`{"type":"record","name":"B","namespace":"b","fields":[{"name":"a","type":["null",{"type":"record","name":"A","namespace":"a","fields":[{"name":"b","type":"b.B"},{"name":"b2","type":"b.B"},{"name":"c","type":{"type":"enum","name":"C","namespace":"","symbols":["X"]}}]}]},{"name":"c","type":"C"}]}`,
			`{"name":"b.B","type":"record","fields":[{"name":"a","type":["null",{"name":"a.A","type":"record","fields":[{"name":"b","type":"b.B"},{"name":"b2","type":"b.B"},{"name":"c","type":{"name":"C","type":"enum","symbols":["X"]}}]}]},{"name":"c","type":"C"}]}`},
		// The root in the null namespace has no namespace member.
		{c, `{"type":"enum","name":"C","symbols":["X"]}`, `{"name":"C","type":"enum","symbols":["X"]}`},
	} {
		if got := tc.t.Schema(); got != tc.schema {
			t.Errorf("%s: Schema() =\n%s\nwant\n%s", tc.t.Name, got, tc.schema)
		}
		if got := tc.t.Canonical(); got != tc.canonical {
			t.Errorf("%s: Canonical() =\n%s\nwant\n%s", tc.t.Name, got, tc.canonical)
		}
	}
}

// TestType_ComposeWhole: a hand-written Type gives its whole schema as one
// piece.
func TestType_ComposeWhole(t *testing.T) {
	const schema = `{"type":"record","name":"R","namespace":"n","fields":[]}`
	ty := &runtime.Type{Name: "n.R", Def: runtime.Def{JSON: []string{schema}}}
	if ty.Schema() != schema || ty.Canonical() != "" {
		t.Errorf("Schema() = %s, Canonical() = %q", ty.Schema(), ty.Canonical())
	}
}

// TestType_ComposeConcurrently: Schema and Canonical compose once, safely,
// from many goroutines (go test -race).
func TestType_ComposeConcurrently(t *testing.T) {
	a, b, c := graph()
	want := map[*runtime.Type]string{}
	for _, ty := range []*runtime.Type{a, b, c} {
		// The same definitions composed apart give what each must read.
		a2, b2, c2 := graph()
		want[ty] = map[string]*runtime.Type{"a.A": a2, "b.B": b2, "C": c2}[ty.Name].Schema()
	}
	var wg sync.WaitGroup
	for range 16 {
		for _, ty := range []*runtime.Type{a, b, c} {
			wg.Go(func() {
				if ty.Schema() != want[ty] {
					t.Errorf("%s: Schema() = %s", ty.Name, ty.Schema())
				}
				_ = ty.Canonical()
			})
		}
	}
	wg.Wait()
}
