package avrobin

import (
	"errors"
	"testing"
)

// TestReader_SkipType skips a value of each kind of SkipType, and checks
// the errors of blocks that cannot be.
func TestReader_SkipType(t *testing.T) {
	str := &SkipType{Kind: SkipBytes, Min: 1}
	long := &SkipType{Kind: SkipLong, Min: 1}
	empty := &SkipType{Kind: SkipRecord}
	rec := &SkipType{Kind: SkipRecord, Min: 2, Fields: []*SkipType{str, long}, Names: []string{"s", "n"}}
	for _, c := range []struct {
		name string
		t    *SkipType
		in   []byte
		all  bool
		err  string // "" for none
	}{
		{"null", &SkipType{Kind: SkipNull}, nil, false, ""},
		{"bool", &SkipType{Kind: SkipBool}, []byte{1}, false, ""},
		{"int", &SkipType{Kind: SkipInt}, []byte{0x80, 0x01}, false, ""},
		{"int past", &SkipType{Kind: SkipInt}, AppendLong(nil, 1<<40), false, "evc: decode: at offset 0: varint overflows"},
		{"float", &SkipType{Kind: SkipFloat}, make([]byte, 4), false, ""},
		{"double", &SkipType{Kind: SkipDouble}, make([]byte, 8), false, ""},
		{"fixed", &SkipType{Kind: SkipFixed, Size: 3}, []byte{1, 2, 3}, false, ""},
		{"enum", &SkipType{Kind: SkipEnum, Symbols: 2}, []byte{2}, false, ""},
		{"enum past", &SkipType{Kind: SkipEnum, Symbols: 2}, []byte{4}, false, "evc: decode: at offset 0: enum index out of range: 2 of 2 symbols"},
		{"union string", &SkipType{Kind: SkipUnion, Branches: []*SkipType{{Kind: SkipNull}, str, rec}}, []byte{2, 2, 'x'}, false, ""},
		{"union record", &SkipType{Kind: SkipUnion, Branches: []*SkipType{{Kind: SkipNull}, str, rec}}, []byte{4, 2, 'x', 6}, false, ""},
		{"record field", rec, []byte{2, 'x'}, false, "evc: decode: field n at offset 2: unexpected end of input"},
		{"array", &SkipType{Kind: SkipArray, Elem: str}, []byte{4, 2, 'x', 0, 0}, false, ""},
		{"map", &SkipType{Kind: SkipMap, Elem: long}, []byte{2, 2, 'k', 6, 0}, false, ""},
		{"block skipped whole", &SkipType{Kind: SkipArray, Elem: long}, []byte{3, 4, 0xff, 0xff, 0}, false, ""},
		{"block read", &SkipType{Kind: SkipArray, Elem: long}, []byte{3, 4, 0xff, 0xff, 0}, true, "evc: decode: at offset 5: unexpected end of input"},
		{"block size past", &SkipType{Kind: SkipArray, Elem: long}, []byte{3, 8, 0}, false, "evc: decode: at offset 2: invalid length: block size 4 with 1 bytes left"},
		{"count past", &SkipType{Kind: SkipArray, Elem: long}, []byte{8, 0}, false, "evc: decode: at offset 1: invalid block count: 4 items with 1 bytes left"},
		{"empty records", &SkipType{Kind: SkipArray, Elem: empty}, append(AppendLong(nil, maxZeroSizeItems), 0), false, ""},
		{"too many empty records", &SkipType{Kind: SkipArray, Elem: empty}, append(AppendLong(nil, maxZeroSizeItems+1), 0), false, "evc: decode: at offset 4: invalid block count: more than 1048576 items of a type that takes no bytes"},
		{"unskippable", &SkipType{Kind: 255}, nil, false, "cannot skip kind 255"},
	} {
		r := NewReader(c.in)
		err := r.Skip(c.t, c.all)
		switch {
		case c.err == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.err == "" && r.Remaining() != 0:
			t.Errorf("%s: %d bytes left", c.name, r.Remaining())
		case c.err != "" && (err == nil || err.Error() != c.err):
			t.Errorf("%s: %v, want %s", c.name, err, c.err)
		}
	}
}

// TestReader_SkipTypeDepth: a recursive record's values count their
// nesting as they are skipped.
func TestReader_SkipTypeDepth(t *testing.T) {
	node := &SkipType{Kind: SkipRecord, Min: 1}
	node.Fields, node.Names = []*SkipType{{Kind: SkipUnion, Min: 1, Branches: []*SkipType{{Kind: SkipNull}, node}}}, []string{"next"}
	list := func(n int) []byte {
		b := make([]byte, n, n+1)
		for i := range b {
			b[i] = 2
		}
		return append(b, 0)
	}
	r := NewReader(list(MaxDepth - 1))
	if err := r.Skip(node, false); err != nil || r.Remaining() != 0 {
		t.Errorf("%d nested: %v", MaxDepth, err)
	}
	r = NewReader(list(MaxDepth))
	if err := r.Skip(node, false); !errors.Is(err, ErrDepth) {
		t.Errorf("%d nested: %v, want ErrDepth", MaxDepth+1, err)
	}
}

// TestReader_SkipCommon: the skips of the writer values that a run of
// fields skips without a step of its own.
func TestReader_SkipCommon(t *testing.T) {
	for _, c := range []struct {
		name string
		skip func(*Reader) error
		in   []byte
		err  string
	}{
		{"optional null", (*Reader).SkipOptionalBytes, []byte{0}, ""},
		{"optional string", (*Reader).SkipOptionalBytes, []byte{2, 4, 'h', 'i'}, ""},
		{"optional branch 2", (*Reader).SkipOptionalBytes, []byte{4}, "evc: decode: at offset 0: union branch index out of range: 2 of 2 branches"},
		{"strings", (*Reader).SkipBytesArray, []byte{4, 2, 'x', 0, 0}, ""},
		{"strings in a sized block", (*Reader).SkipBytesArray, []byte{3, 4, 0xff, 0xff, 0}, ""},
		{"strings cut short", (*Reader).SkipBytesArray, []byte{4, 2, 'x'}, "evc: decode: at offset 3: unexpected end of input"},
	} {
		r := NewReader(c.in)
		err := c.skip(&r)
		switch {
		case c.err == "" && (err != nil || r.Remaining() != 0):
			t.Errorf("%s: %v, %d bytes left", c.name, err, r.Remaining())
		case c.err != "" && (err == nil || err.Error() != c.err):
			t.Errorf("%s: %v, want %s", c.name, err, c.err)
		}
	}
}
