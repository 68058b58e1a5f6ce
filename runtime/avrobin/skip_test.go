package avrobin

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"math/rand/v2"
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

// TestReader_LongEveryLength reads and skips varints of every length, from
// every offset of buffers that leave room for the eight-byte paths or not,
// canonical or not, truncated, and overflowing at the tenth byte, against
// encoding/binary's reading of the same bytes (Avro's zigzag varint is
// binary.Varint's; avrobin also rejects a tenth byte above 1 that does not
// end the varint).
func TestReader_LongEveryLength(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var inputs [][]byte
	for n := 1; n <= 11; n++ {
		for range 200 {
			b := make([]byte, n)
			for i := range b {
				b[i] = byte(rng.IntN(256)) | 0x80
			}
			switch last := byte(rng.IntN(128)); {
			case n == 10 && rng.IntN(2) == 0:
				b[9] = last & 1 // the tenth byte's largest values
			case n <= 10:
				b[n-1] = last
			}
			inputs = append(inputs, b)
		}
	}
	for _, v := range []int64{0, -1, 1 << 48, -1 << 48, 1<<55 - 1, 1 << 55, math.MaxInt64, math.MinInt64} {
		inputs = append(inputs, AppendLong(nil, v))
	}
	inputs = append(inputs, []byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}) // zero in eight bytes
	for _, in := range inputs {
		for pre := range 3 {
			for tail := range 10 {
				// Every length from empty to the whole varint and a tail.
				full := append(append(bytes.Repeat([]byte{7}, pre), in...), bytes.Repeat([]byte{0x81}, tail)...)
				for cut := pre; cut <= len(full); cut++ {
					data := full[:cut]
					want, n := binary.Varint(data[pre:])
					if len(data)-pre >= 10 && data[pre+9] > 1 && (n == 0 || n == 10) {
						n = -10 // avrobin's rule: a tenth byte above 1 overflows, whatever follows
					}
					for _, skip := range []bool{false, true} {
						r := NewReader(data)
						if err := r.SkipFixed(pre); err != nil {
							t.Fatal(err)
						}
						var got int64
						var err error
						if skip {
							err = r.SkipLong()
						} else {
							got, err = r.ReadLong()
						}
						switch {
						case n > 0 && (err != nil || r.Offset() != pre+n || !skip && got != want):
							t.Fatalf("% x from %d (skip %v): %d, %v at %d; want %d at %d", data, pre, skip, got, err, r.Offset(), want, pre+n)
						case n == 0 && (!errors.Is(err, ErrShortBuffer) || r.Offset() != pre):
							t.Fatalf("% x from %d (skip %v): %v at %d; want a short buffer at %d", data, pre, skip, err, r.Offset(), pre)
						case n < 0 && (!errors.Is(err, ErrOverflow) || r.Offset() != pre):
							t.Fatalf("% x from %d (skip %v): %v at %d; want an overflow at %d", data, pre, skip, err, r.Offset(), pre)
						}
					}
				}
			}
		}
	}
}
