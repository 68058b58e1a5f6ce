package avrobin

import (
	"errors"
	"testing"
)

func TestReader_Skip(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
		skip func(r *Reader) error
		off  int
		err  error
	}{
		{"bool", []byte{1, 9}, (*Reader).SkipBool, 1, nil},
		{"bool short", nil, (*Reader).SkipBool, 0, ErrShortBuffer},
		{"long", AppendLong(nil, -1<<40), (*Reader).SkipLong, 6, nil},
		{"long overflow", []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02}, (*Reader).SkipLong, 0, ErrOverflow},
		{"float", []byte{1, 2, 3, 4, 5}, (*Reader).SkipFloat, 4, nil},
		{"double short", []byte{1, 2, 3, 4, 5}, (*Reader).SkipDouble, 0, ErrShortBuffer},
		{"bytes", str(nil, "hello"), (*Reader).SkipBytes, 6, nil},
		{"bytes too long", append(AppendLong(nil, 1<<40), 'x'), (*Reader).SkipBytes, 0, ErrLength},
		{"fixed", []byte{1, 2, 3}, func(r *Reader) error { return r.SkipFixed(3) }, 3, nil},
		{"fixed short", []byte{1, 2}, func(r *Reader) error { return r.SkipFixed(3) }, 0, ErrShortBuffer},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := NewReader(tc.data)
			err := tc.skip(&r)
			if !errors.Is(err, tc.err) || (err == nil) != (tc.err == nil) {
				t.Fatalf("err = %v, want %v", err, tc.err)
			}
			if r.Offset() != tc.off {
				t.Errorf("offset %d, want %d", r.Offset(), tc.off)
			}
		})
	}
}
