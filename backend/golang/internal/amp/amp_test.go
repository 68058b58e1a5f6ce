package amp

import (
	"bytes"
	"errors"
	"runtime"
	"strings"
	"testing"

	evcrt "github.com/evc-dev/evc/runtime"
	"github.com/evc-dev/evc/runtime/avrobin"
	"github.com/evc-dev/evc/runtime/resolve"
)

// The bound the project's decoders keep, for any input: at most 256 bytes
// allocated per input byte, plus 256 KiB.
const (
	perByte = 256
	slack   = 256 << 10
)

// msg is one record with one array or map field: a block count n, then n
// copies of item (the smallest encoding of one element), then the end.
func msg(n int, item []byte) []byte {
	b := avrobin.AppendLong(nil, int64(n))
	b = append(b, bytes.Repeat(item, n)...)
	return append(b, 0)
}

// allocated returns the bytes allocated by decoding data into m, and the
// error.
func allocated(m evcrt.Message, data []byte) (uint64, error) {
	runtime.GC()
	var a, b runtime.MemStats
	runtime.ReadMemStats(&a)
	err := m.UnmarshalAvro(data)
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc, err
}

func checkBound(t *testing.T, m evcrt.Message, data []byte) error {
	t.Helper()
	n, err := allocated(m, data)
	if limit := uint64(perByte*len(data) + slack); n > limit {
		t.Errorf("%T: %d bytes allocated to decode %d bytes (%.1f per byte; the bound is %d + %d KiB)",
			m, n, len(data), float64(n)/float64(len(data)), perByte, slack>>10)
	}
	return err
}

// TestAmplification decodes about 256 KB of the smallest items of each type:
// what once allocated up to 9 KB per input byte (decimals recomputing
// 10^scale, nested empty collections) stays within the bound.
func TestAmplification(t *testing.T) {
	const size = 1 << 18
	trunc := msg(size, []byte{0})
	for _, tc := range []struct {
		name string
		m    evcrt.Message
		data []byte
		ok   bool
	}{
		{"ArrArr", new(ArrArr), msg(size, []byte{0}), true},
		{"ArrMap", new(ArrMap), msg(size, []byte{0}), true},
		{"ArrDec zero", new(ArrDec), msg(size, []byte{0}), true},
		{"ArrDec one", new(ArrDec), msg(size/2, []byte{2, 1}), true},
		{"ArrBigDec zero", new(ArrBigDec), msg(size/16, []byte{0}), true},
		{"ArrBigDec one", new(ArrBigDec), msg(size/16, []byte{2, 1}), true},
		{"ArrTime", new(ArrTime), msg(size, []byte{0}), true},
		{"ArrUnion null", new(ArrUnion), msg(size, []byte{0}), true},
		{"ArrUnion string", new(ArrUnion), msg(size/2, []byte{2, 0}), true},
		{"ArrUnion2", new(ArrUnion2), msg(size/2, []byte{0, 0}), true},
		{"ArrOpt null", new(ArrOpt), msg(size, []byte{0}), true},
		{"ArrOpt string", new(ArrOpt), msg(size/2, []byte{2, 0}), true},
		{"ArrEmpty", new(ArrEmpty), msg(size, nil), true},
		{"MapArr duplicate keys", new(MapArr), msg(size/2, []byte{0, 0}), true},
		{"ArrRec", new(ArrRec), msg(size/8, []byte{0, 0, 0, 0, 0, 0, 0, 0}), true},
		{"ArrMap truncated", new(ArrMap), trunc[:len(trunc)-2], false},
		{"MapArr truncated", new(MapArr), msg(size/2, []byte{0, 0})[:size/2], false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := checkBound(t, tc.m, tc.data)
			if (err == nil) != tc.ok {
				t.Errorf("error %v, want ok=%v", err, tc.ok)
			}
		})
	}
}

// TestNestedEmpty: arrays of arrays of empty records, each inner array three
// bytes on the wire for 4096 records that take none. The decoder accepts a
// bounded number of such items in all.
func TestNestedEmpty(t *testing.T) {
	inner := append(avrobin.AppendLong(nil, 4096), 0)
	data := avrobin.AppendLong(nil, 1000)
	data = append(data, bytes.Repeat(inner, 1000)...)
	data = append(data, 0)
	if err := checkBound(t, new(ArrArrEmpty), data); !errors.Is(err, avrobin.ErrCount) {
		t.Errorf("error %v, want %v", err, avrobin.ErrCount)
	}
}

// TestEdges feeds hostile wire data to a record of every awkward type: typed
// errors, no panic, no allocation beyond the bound.
func TestEdges(t *testing.T) {
	good := func(s []byte) []byte { // s, then u=null, e=0, f, d, fd
		return append(s, 0, 0, 1, 2, 3, 4, 0, 0, 0, 0, 0)
	}
	for _, tc := range []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, avrobin.ErrShortBuffer},
		{"truncated", good(must(avrobin.AppendString(nil, "hello")))[:3], avrobin.ErrLength},
		{"length 2^62", append(avrobin.AppendLong(nil, 1<<62), 'x'), avrobin.ErrLength},
		{"length -1", append(avrobin.AppendLong(nil, -1), 'x'), avrobin.ErrLength},
		{"length MinInt64", avrobin.AppendLong(nil, -1<<63), avrobin.ErrLength},
		{"varint 11 bytes", []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}, avrobin.ErrOverflow},
		{"varint 10th byte 2", []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02}, avrobin.ErrOverflow},
		{"union index 3", []byte{0, 6}, avrobin.ErrUnionIndex},
		{"union index -1", []byte{0, 1}, avrobin.ErrUnionIndex},
		{"union index 2^40", append([]byte{0}, avrobin.AppendLong(nil, 1<<40)...), avrobin.ErrUnionIndex},
		{"enum index 2", []byte{0, 0, 4}, avrobin.ErrEnumIndex},
		{"enum index -1", []byte{0, 0, 1}, avrobin.ErrEnumIndex},
		{"decimal 2^62 bytes", append([]byte{0, 0, 0, 1, 2, 3, 4}, avrobin.AppendLong(nil, 1<<62)...), avrobin.ErrLength},
		{"trailing", append(good([]byte{0}), 9), avrobin.ErrTrailing},
		{"good", good([]byte{0}), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var m Edge
			err := checkBound(t, &m, tc.data)
			if !errors.Is(err, tc.want) || (err == nil) != (tc.want == nil) {
				t.Errorf("error %v, want %v", err, tc.want)
			}
		})
	}
	// Arrays: a block count of 2^62, a negative count of MinInt64, a
	// negative count with a lying size.
	for _, tc := range []struct {
		name string
		data []byte
		want error
	}{
		{"count 2^62", avrobin.AppendLong(nil, 1<<62), avrobin.ErrCount},
		{"count MinInt64", avrobin.AppendLong(nil, -1<<63), avrobin.ErrCount},
		{"count -5 size 2^40", append(avrobin.AppendLong(nil, -5), avrobin.AppendLong(nil, 1<<40)...), avrobin.ErrLength},
		{"count -1 size -1", append(avrobin.AppendLong(nil, -1), avrobin.AppendLong(nil, -1)...), avrobin.ErrLength},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := checkBound(t, new(ArrOpt), tc.data); !errors.Is(err, tc.want) {
				t.Errorf("ArrOpt: error %v, want %v", err, tc.want)
			}
			if err := checkBound(t, new(ArrArrEmpty), tc.data); err == nil {
				t.Error("ArrArrEmpty: no error")
			}
		})
	}
}

var ampTypes = []func() evcrt.Message{
	func() evcrt.Message { return new(ArrArr) },
	func() evcrt.Message { return new(ArrMap) },
	func() evcrt.Message { return new(ArrDec) },
	func() evcrt.Message { return new(ArrBigDec) },
	func() evcrt.Message { return new(ArrTime) },
	func() evcrt.Message { return new(ArrUnion) },
	func() evcrt.Message { return new(ArrOpt) },
	func() evcrt.Message { return new(MapArr) },
	func() evcrt.Message { return new(ArrRec) },
	func() evcrt.Message { return new(ArrArrEmpty) },
	func() evcrt.Message { return new(Edge) },
}

// FuzzAmp holds the decoders of the amp types to the bound, on any input.
func FuzzAmp(f *testing.F) {
	f.Add(byte(0), []byte{2, 0, 0})
	f.Add(byte(3), []byte{4, 2, 1, 2, 1, 0})
	f.Add(byte(2), []byte{8, 0, 0, 0, 0, 0})
	f.Add(byte(9), append(avrobin.AppendLong(nil, 100), bytes.Repeat(append(avrobin.AppendLong(nil, 4096), 0), 100)...))
	f.Fuzz(func(t *testing.T, which byte, data []byte) {
		m := ampTypes[int(which)%len(ampTypes)]()
		checkBound(t, m, data)
	})
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

// TestResolvedBound: the reproducers once more, now through
// resolve.DecodeFrom from a writer one version ahead, which added a field
// the type skips (an array of arrays of empty records): generated code runs
// the resolution plan (runtime.StepDecoder), and the decode keeps the same
// bound, the nested empty records fail as they do from the type's own
// schema, and a megabyte of the skipped field is cut out before the copy.
func TestResolvedBound(t *testing.T) {
	const junk = `,{"name":"junk","type":{"type":"array","items":{"type":"array","items":{"type":"record","name":"Junk","fields":[]}}}}]}`
	writer := func(m evcrt.Message) string {
		return strings.TrimSuffix(m.AvroType().Schema(), "]}") + junk
	}
	const size = 1 << 18
	inner := append(avrobin.AppendLong(nil, 4096), 0)
	nested := avrobin.AppendLong(nil, 1000)
	nested = append(nested, bytes.Repeat(inner, 1000)...)
	nested = append(nested, 0)
	// A megabyte of the skipped field, in blocks that give their size.
	bigJunk := avrobin.AppendLong(nil, -1)
	bigJunk = avrobin.AppendLong(bigJunk, 1<<20)
	bigJunk = append(bigJunk, bytes.Repeat([]byte{0}, 1<<20)...)
	bigJunk = append(bigJunk, 0)
	for _, tc := range []struct {
		name string
		m    evcrt.Message
		data []byte
		err  error // nil: no error
	}{
		{"ArrArr", new(ArrArr), append(msg(size, []byte{0}), 0), nil},
		{"ArrDec one", new(ArrDec), append(msg(size/2, []byte{2, 1}), 0), nil},
		{"ArrEmpty", new(ArrEmpty), append(msg(size, nil), 0), nil},
		{"ArrArrEmpty nested", new(ArrArrEmpty), append(nested, 0), avrobin.ErrCount},
		{"ArrArr, skipped nested", new(ArrArr), append(msg(1, []byte{0}), nested...), avrobin.ErrCount},
		{"ArrOpt, a megabyte skipped", new(ArrOpt), append(msg(1, []byte{2, 2, 'x'}), bigJunk...), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, ok := tc.m.(evcrt.StepDecoder); !ok {
				t.Fatalf("%T is not a runtime.StepDecoder", tc.m)
			}
			runtime.GC()
			var a, b runtime.MemStats
			runtime.ReadMemStats(&a)
			err := resolve.DecodeFrom(writer(tc.m), tc.m, tc.data)
			runtime.ReadMemStats(&b)
			n := b.TotalAlloc - a.TotalAlloc
			if limit := uint64(perByte*len(tc.data) + slack); n > limit {
				t.Errorf("%d bytes allocated to decode %d bytes, more than %d", n, len(tc.data), limit)
			}
			if tc.err == nil && err != nil || tc.err != nil && !errors.Is(err, tc.err) {
				t.Errorf("error %v, want %v", err, tc.err)
			}
			if tc.name == "ArrOpt, a megabyte skipped" && n > 256<<10 {
				t.Errorf("%d bytes allocated for a message of a megabyte the type skips: the skipped field is copied", n)
			}
		})
	}
}
