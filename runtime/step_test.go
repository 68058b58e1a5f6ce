package runtime_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/evc-dev/evc/runtime"
	"github.com/evc-dev/evc/runtime/avrobin"
)

// TestStep_Methods runs each method of runtime.Step that generated code
// calls over valid and invalid input, with the errors it gives.
func TestStep_Methods(t *testing.T) {
	long := avrobin.AppendLong
	t.Run("Checked", func(t *testing.T) {
		for _, c := range []struct {
			check int
			in    []byte
			ok    bool
		}{
			{0, long(nil, 5), true},
			{0, long(nil, -1<<31), true},
			{0, long(nil, 1<<31), false},                           // a long past an int
			{0, []byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, false}, // six bytes
			{0, nil, false},
			{3, long(nil, 2), true},
			{3, long(nil, 3), false}, // a symbol the writer lacks
			{3, long(nil, -1), false},
			{300, long(nil, 299), true}, // two bytes
			{300, long(nil, 300), false},
		} {
			r := avrobin.NewReader(c.in)
			s := runtime.Step{Op: runtime.StepChecked, Check: c.check}
			if err := s.Checked(&r); (err == nil) != c.ok || err != nil && !errors.Is(err, runtime.ErrStepCheck) {
				t.Errorf("check %d of %x: %v, want ok %v", c.check, c.in, err, c.ok)
			}
		}
	})
	t.Run("Symbol", func(t *testing.T) {
		s := runtime.Step{Op: runtime.StepEnum, Symbols: []int32{1, -1}, Enum: "a.E", Name: "e"}
		r := avrobin.NewReader([]byte{0x00, 0x02, 0x04})
		if i, err := s.SymbolIndex(&r); err != nil || i != 1 {
			t.Errorf("symbol 0: %d, %v", i, err)
		}
		if _, err := s.SymbolIndex(&r); err == nil || err.Error() != "evc: decode: field e at offset 2: the writer's symbol 1 is not a symbol of a.E, which has no default" {
			t.Errorf("symbol 1: %v", err)
		}
		if _, err := s.SymbolIndex(&r); err == nil || err.Error() != "evc: decode: field e at offset 2: enum index out of range: 2 of 2 symbols" {
			t.Errorf("symbol 2 of 2: %v", err)
		}
		// Encoded, for code generated before SymbolIndex.
		r = avrobin.NewReader([]byte{0x00, 0x02})
		if b, err := s.Symbol(&r); err != nil || string(b) != "\x02" {
			t.Errorf("encoded symbol 0: %x, %v", b, err)
		}
		if _, err := s.Symbol(&r); err == nil || !strings.Contains(err.Error(), "not a symbol of a.E") {
			t.Errorf("encoded symbol 1: %v", err)
		}
	})
	t.Run("Nested", func(t *testing.T) {
		run := []int{3, runtime.RecordField - 1, 2, 0, 1, 4}
		ints, at := runtime.Nested(run, 1)
		if !slices.Equal(ints, []int{0, 1}) || at != 4 || run[at+1] != 4 {
			t.Errorf("Nested: %v, %d", ints, at)
		}
		// None of its own: the code's ints are empty.
		ints, at = runtime.Nested([]int{runtime.RecordField, 0, 7}, 0)
		if len(ints) != 0 || at != 1 {
			t.Errorf("Nested of none: %v, %d", ints, at)
		}
	})
	t.Run("PresentIn", func(t *testing.T) {
		run := []int{0, 1}
		for _, c := range []struct {
			ints []int
			in   []byte
			ok   bool
			err  string
		}{
			{slices.Concat([]int{0}, run), nil, true, ""}, // no union
			{slices.Concat([]int{2, int(runtime.BranchNull), int(runtime.BranchRecord)}, run), []byte{0x02}, true, ""},
			{slices.Concat([]int{2, int(runtime.BranchNull), int(runtime.BranchRecord)}, run), []byte{0x00}, false, ""},
			{slices.Concat([]int{2, int(runtime.BranchRecord), int(runtime.BranchNone)}, run), []byte{0x02}, false, "evc: decode: at offset 1: the writer's union branch 1 cannot be read as the type's"},
			{slices.Concat([]int{2, int(runtime.BranchNull), int(runtime.BranchRecord)}, run), []byte{0x04}, false, "evc: decode: at offset 0: union branch index out of range: 2 of 2 branches"},
			{slices.Concat([]int{2, int(runtime.BranchNull), int(runtime.BranchRecord)}, run), nil, false, "evc: decode: at offset 0: unexpected end of input"},
		} {
			r := avrobin.NewReader(c.in)
			ok, got, err := runtime.PresentIn(c.ints, &r)
			if errText(err) != c.err || ok != c.ok || ok && !slices.Equal(got, run) {
				t.Errorf("PresentIn(%v) of %x: %v, %v, %v; want %v, %q", c.ints, c.in, ok, got, err, c.ok, c.err)
			}
		}
	})
	t.Run("SymbolIn", func(t *testing.T) {
		symbols := []int{2, -1, 0}
		r := avrobin.NewReader([]byte{0x00, 0x04, 0x02, 0x06})
		for _, want := range []struct {
			sym int32
			err string
		}{
			{2, ""}, {0, ""},
			{0, "evc: decode: at offset 3: the writer's symbol 1 is not a symbol of the type's enum, which has no default"},
			{0, "evc: decode: at offset 3: enum index out of range: 3 of 3 symbols"},
		} {
			if sym, err := runtime.SymbolIn(symbols, &r); sym != want.sym || errText(err) != want.err {
				t.Errorf("SymbolIn: %d, %v; want %d, %q", sym, err, want.sym, want.err)
			}
		}
	})
	t.Run("Run", func(t *testing.T) {
		run := []int{2, runtime.SkipLongField, 0}
		for _, c := range []struct {
			steps []runtime.Step
			want  []int
		}{
			{[]runtime.Step{{Op: runtime.StepFields, Fields: run}}, run},
			{[]runtime.Step{{Op: runtime.StepChecked, Fields: run}}, nil},
			{[]runtime.Step{{Op: runtime.StepFields, Fields: run}, {Op: runtime.StepSkip}}, nil},
			{nil, nil},
		} {
			s := runtime.Step{Op: runtime.StepRecord, Fields: []int{1}, Steps: c.steps}
			if got := s.Run(); !slices.Equal(got, c.want) || (got == nil) != (c.want == nil) {
				t.Errorf("Run of %+v: %v, want %v", c.steps, got, c.want)
			}
			if got := runtime.RunOf(c.steps); !slices.Equal(got, c.want) || (got == nil) != (c.want == nil) {
				t.Errorf("RunOf %+v: %v, want %v", c.steps, got, c.want)
			}
		}
	})
	t.Run("Present", func(t *testing.T) {
		s := runtime.Step{Op: runtime.StepRecord, Branches: []runtime.Branch{runtime.BranchNull, runtime.BranchRecord, runtime.BranchNone}}
		r := avrobin.NewReader([]byte{0x00, 0x02, 0x04})
		for _, want := range []bool{false, true} {
			if got, err := s.Present(&r); got != want || err != nil {
				t.Errorf("Present = %v, %v; want %v", got, err, want)
			}
		}
		if _, err := s.Present(&r); err == nil || err.Error() != "evc: decode: at offset 3: the writer's union branch 2 cannot be read as the type's" {
			t.Errorf("unreadable branch: %v", err)
		}
		none := runtime.Step{Op: runtime.StepRecord}
		if got, err := none.Present(&r); !got || err != nil {
			t.Errorf("no union: %v, %v", got, err)
		}
	})
	t.Run("SkipIn", func(t *testing.T) {
		strs := &avrobin.SkipType{Kind: avrobin.SkipArray, Elem: &avrobin.SkipType{Kind: avrobin.SkipBytes, Min: 1}}
		in := append(long(long(long(nil, 42), 2), 1), 'x', 0x02, 'y', 0x00) // a long, then ["x", "y"]
		in = append([]byte{0x02, 'z'}, in...)                               // a string first
		r := avrobin.NewReader(in)
		for _, typ := range []*avrobin.SkipType{{Kind: avrobin.SkipBytes}, {Kind: avrobin.SkipLong}, strs} {
			s := runtime.Step{Op: runtime.StepSkip, Skip: typ, Name: "f"}
			if err := s.SkipIn(&r); err != nil {
				t.Fatalf("skip %d: %v", typ.Kind, err)
			}
		}
		if r.Remaining() != 0 {
			t.Errorf("%d bytes left", r.Remaining())
		}
		s := runtime.Step{Op: runtime.StepSkip, Skip: strs, Name: "f"}
		if err := s.SkipIn(&r); err == nil || err.Error() != "evc: decode: field f at offset 9: unexpected end of input" {
			t.Errorf("skip past the end: %v", err)
		}
	})
	t.Run("Recheck", func(t *testing.T) {
		s := runtime.Step{Op: runtime.StepWidens, Skip: &avrobin.SkipType{Kind: avrobin.SkipArray, Elem: &avrobin.SkipType{Kind: avrobin.SkipInt, Min: 1}}, Name: "ints"}
		if err := s.Recheck(append(long(long(nil, 1), 7), 0)); err != nil {
			t.Errorf("[7]: %v", err)
		}
		if err := s.Recheck(append(long(long(nil, 1), 1<<40), 0)); err == nil || err.Error() != "evc: decode: field ints at offset 1: varint overflows" {
			t.Errorf("[1<<40] as ints: %v", err)
		}
	})
}

func TestFollows(t *testing.T) {
	fields := []int{2, 3, runtime.SkipLongField, 4, 0}
	for _, c := range []struct {
		at, i int
		want  bool
	}{
		{0, 3, true},  // 3 comes after 2
		{0, 4, false}, // but not 4
		{1, 4, false}, // a skip comes between
		{3, 5, false}, // 0 comes after 4, not 5
		{4, 1, false}, // nothing comes after the last
	} {
		if got := runtime.Follows(fields, c.at, c.i); got != c.want {
			t.Errorf("Follows(%v, %d, %d) = %v, want %v", fields, c.at, c.i, got, c.want)
		}
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
