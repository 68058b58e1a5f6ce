package avrobin

import (
	"bytes"
	"errors"
	"math"
	"math/big"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unsafe"
)

func TestLong_RoundTrip(t *testing.T) {
	for _, v := range []int64{0, 1, -1, 63, -64, 64, -65, 8191, -8192, 1 << 31, math.MaxInt32, math.MinInt32, math.MaxInt64, math.MinInt64} {
		b := AppendLong(nil, v)
		r := NewReader(b)
		got, err := r.ReadLong()
		if err != nil || got != v || r.Finish() != nil {
			t.Errorf("long %d: got %d, %v (encoded %x)", v, got, err, b)
		}
		if v >= math.MinInt32 && v <= math.MaxInt32 {
			if ib := AppendInt(nil, int32(v)); !bytes.Equal(ib, b) {
				t.Errorf("int %d encodes as %x, long as %x", v, ib, b)
			}
			r := NewReader(b)
			if got, err := r.ReadInt(); err != nil || int64(got) != v {
				t.Errorf("int %d: got %d, %v", v, got, err)
			}
		} else {
			r := NewReader(b)
			if _, err := r.ReadInt(); !errors.Is(err, ErrOverflow) {
				t.Errorf("int read of long %d: %v, want ErrOverflow", v, err)
			}
		}
	}
}

func TestReader_Errors(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []byte
		read func(r *Reader) error
		want error
	}{
		{"long empty", nil, func(r *Reader) error { _, err := r.ReadLong(); return err }, ErrShortBuffer},
		{"long unterminated", []byte{0x80, 0x80}, func(r *Reader) error { _, err := r.ReadLong(); return err }, ErrShortBuffer},
		{"long eleven bytes", bytes.Repeat([]byte{0xff}, 11), func(r *Reader) error { _, err := r.ReadLong(); return err }, ErrOverflow},
		{"long tenth byte too big", append(bytes.Repeat([]byte{0xff}, 9), 0x02), func(r *Reader) error { _, err := r.ReadLong(); return err }, ErrOverflow},
		{"float short", []byte{1, 2, 3}, func(r *Reader) error { _, err := r.ReadFloat(); return err }, ErrShortBuffer},
		{"double short", []byte{1, 2, 3, 4, 5, 6, 7}, func(r *Reader) error { _, err := r.ReadDouble(); return err }, ErrShortBuffer},
		{"string too long", []byte{0x08, 'a'}, func(r *Reader) error { _, err := r.ReadString(); return err }, ErrLength},
		{"bytes negative", []byte{0x03}, func(r *Reader) error { _, err := r.ReadBytes(); return err }, ErrLength},
		{"fixed short", []byte{1}, func(r *Reader) error { _, err := r.ReadFixed(2); return err }, ErrShortBuffer},
		{"enum out of range", []byte{0x04}, func(r *Reader) error { _, err := r.ReadEnum(2); return err }, ErrEnumIndex},
		{"enum negative", []byte{0x01}, func(r *Reader) error { _, err := r.ReadEnum(2); return err }, ErrEnumIndex},
		{"union out of range", []byte{0x04}, func(r *Reader) error { _, err := r.ReadUnion(2); return err }, ErrUnionIndex},
		{"union big", AppendLong(nil, 1<<40), func(r *Reader) error { _, err := r.ReadUnion(2); return err }, ErrUnionIndex},
		{"count beyond input", []byte{0x0a, 0, 0}, func(r *Reader) error { _, err := r.ReadBlockCount(1); return err }, ErrCount},
		{"count min int64", AppendLong(nil, math.MinInt64), func(r *Reader) error { _, err := r.ReadBlockCount(1); return err }, ErrCount},
		{"count negative size beyond input", []byte{0x01, 0x08, 0}, func(r *Reader) error { _, err := r.ReadBlockCount(1); return err }, ErrLength},
		{"count of zero-size items", AppendLong(nil, maxZeroSizeItems+1), func(r *Reader) error { _, err := r.ReadBlockCount(0); return err }, ErrCount},
		{"uuid malformed", str(nil, "123e4567-e89b-42d3-a456-42661417400g"), func(r *Reader) error { _, err := r.ReadUUID(); return err }, ErrInvalid},
		{"uuid short", str(nil, "123e4567"), func(r *Reader) error { _, err := r.ReadUUID(); return err }, ErrInvalid},
		{"time-micros overflow", AppendLong(nil, math.MaxInt64), func(r *Reader) error { _, err := r.ReadTimeMicros(); return err }, ErrOverflow},
		{"trailing", []byte{0, 0}, func(r *Reader) error { r.ReadLong(); return r.Finish() }, ErrTrailing},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := NewReader(tc.in)
			err := tc.read(&r)
			if !errors.Is(err, tc.want) {
				t.Fatalf("error %v, want %v", err, tc.want)
			}
			var e *Error
			if !errors.As(err, &e) || e.Op != "decode" || e.Offset < 0 {
				t.Errorf("error %#v is not a decode *Error with an offset", err)
			}
		})
	}
}

// allocated returns how many bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestReader_NoAllocationFromLength checks that a length or count larger
// than the input is refused before anything is allocated for it: only the
// error is.
func TestReader_NoAllocationFromLength(t *testing.T) {
	in := AppendLong(nil, 1<<24) // 16 MiB, were it allocated
	if n := allocated(func() {
		r := NewReader(in)
		r.ReadString()
	}); n > 64<<10 {
		t.Errorf("string with a huge length: %d bytes allocated", n)
	}
	if n := allocated(func() {
		r := NewReader(in)
		r.ReadBlockCount(1)
	}); n > 64<<10 {
		t.Errorf("block with a huge count: %d bytes allocated", n)
	}
}

func TestReader_Strings(t *testing.T) {
	in := AppendBytes(str(str(nil, "hello"), ""), []byte{})
	in = str(in, "world")
	r := NewReader(in)
	a, _ := r.ReadString()
	empty, _ := r.ReadString()
	b, err := r.ReadBytes()
	if err != nil || b == nil || len(b) != 0 {
		t.Errorf("empty bytes: %v, %v", b, err)
	}
	c, _ := r.ReadString()
	if a != "hello" || empty != "" || c != "world" || r.Finish() != nil {
		t.Errorf("read %q %q %q", a, empty, c)
	}
	in[1] = 'j'
	if a != "hello" {
		t.Errorf("copied string changed with the input: %q", a)
	}
	r = NewAliasReader(in)
	a, _ = r.ReadString()
	in[1] = 'y'
	if a != "yello" {
		t.Errorf("aliased string does not alias the input: %q", a)
	}
}

func TestError_Rendering(t *testing.T) {
	r := NewReader([]byte{0x02})
	_, err := r.ReadString()
	err = InType(AtField(AtIndex(AtField(err, "name"), 3), "items"), "shop.Order")
	want := "evc: decode shop.Order: field items[3].name at offset 0: invalid length: 1 with 0 bytes left"
	if err.Error() != want {
		t.Errorf("got  %s\nwant %s", err, want)
	}
	err = InType(AtKey(Invalidf("enum value %d is not a symbol of %s", 9, "shop.Color"), "k"), "shop.Order")
	want = `evc: encode shop.Order: field ["k"]: invalid value: enum value 9 is not a symbol of shop.Color`
	if err.Error() != want {
		t.Errorf("got  %s\nwant %s", err, want)
	}
}

func TestDecimal(t *testing.T) {
	for _, tc := range []struct {
		v     string
		scale int
		hex   []byte
	}{
		{"12.34", 2, []byte{0x04, 0xd2}},
		{"-12.34", 2, []byte{0xfb, 0x2e}},
		{"0", 2, []byte{0x00}},
		{"1.27", 2, []byte{0x7f}},
		{"1.28", 2, []byte{0x00, 0x80}},
		{"-1.28", 2, []byte{0xff, 0x80}}, // python3-avro's length
		{"-1.29", 2, []byte{0xff, 0x7f}},
		{"-42", 0, []byte{0xd6}},
	} {
		v, _ := new(big.Rat).SetString(tc.v)
		b, err := AppendDecimal(nil, v, 38, tc.scale)
		if err != nil || !bytes.Equal(b, AppendBytes(nil, tc.hex)) {
			t.Errorf("decimal %s: %x, %v; want %x", tc.v, b, err, tc.hex)
		}
		r := NewReader(b)
		got, err := r.ReadDecimal(tc.scale)
		if err != nil || got.Cmp(v) != 0 {
			t.Errorf("decimal %s reads back as %v, %v", tc.v, got, err)
		}
	}
	if _, err := AppendDecimal(nil, big.NewRat(1, 3), 38, 2); !errors.Is(err, ErrInvalid) {
		t.Errorf("1/3 at scale 2: %v", err)
	}
	if _, err := AppendDecimalFixed(nil, big.NewRat(40000, 1), 38, 0, 2); !errors.Is(err, ErrInvalid) {
		t.Errorf("40000 in 2 bytes: %v", err)
	}
	b, err := AppendDecimalFixed(nil, big.NewRat(-1, 100), 9, 2, 4)
	if err != nil || !bytes.Equal(b, []byte{0xff, 0xff, 0xff, 0xff}) {
		t.Errorf("-0.01 in 4 bytes: %x, %v", b, err)
	}
	b, err = AppendDecimalFixed(nil, big.NewRat(-128, 1), 3, 0, 1)
	if err != nil || !bytes.Equal(b, []byte{0x80}) {
		t.Errorf("-128 in 1 byte: %x, %v", b, err)
	}
}

func TestLogical(t *testing.T) {
	d := time.Date(1969, 12, 31, 23, 0, 0, 0, time.UTC)
	b, err := AppendDate(nil, d)
	if err != nil || !bytes.Equal(b, []byte{0x01}) {
		t.Errorf("date %s: %x, %v", d, b, err)
	}
	paris := time.FixedZone("CET", 3600)
	if b, err := AppendDate(nil, time.Date(1970, 1, 2, 0, 30, 0, 0, paris)); err != nil || !bytes.Equal(b, []byte{0x02}) {
		t.Errorf("date at 00:30 in +01:00: %x, %v; want day 1", b, err)
	}
	at := time.Date(2024, 1, 1, 12, 0, 0, 0, paris)
	if got, want := AppendLocalTimestampMillis(nil, at), AppendLong(nil, time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC).UnixMilli()); !bytes.Equal(got, want) {
		t.Errorf("local timestamp of 12:00 in +01:00: %x, want %x", got, want)
	}
	if got, want := AppendLocalTimestampMicros(nil, at), AppendLong(nil, time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC).UnixMicro()); !bytes.Equal(got, want) {
		t.Errorf("local timestamp of 12:00 in +01:00: %x, want %x", got, want)
	}
	if got := DateFromDays(-1); !got.Equal(time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("DateFromDays(-1) = %s", got)
	}
	if _, err := AppendDate(nil, time.Date(9999999, 1, 1, 0, 0, 0, 0, time.UTC)); !errors.Is(err, ErrInvalid) {
		t.Errorf("far date: %v", err)
	}
	if _, err := AppendTimeMillis(nil, 1000*time.Hour*24*30); !errors.Is(err, ErrInvalid) {
		t.Errorf("long time-millis: %v", err)
	}
	u, err := ParseUUID("123E4567-E89B-42D3-A456-426614174000")
	if err != nil || u.String() != "123e4567-e89b-42d3-a456-426614174000" {
		t.Errorf("uuid %s, %v", u, err)
	}
	r := NewReader(AppendUUID(nil, u))
	if got, err := r.ReadUUID(); err != nil || got != u {
		t.Errorf("uuid read back %s, %v", got, err)
	}
}

var first string

func TestSortedEntries(t *testing.T) {
	for _, n := range []int{0, 1, 2, 5, SmallMap, SmallMap + 1, 12, 13, 100} {
		m := map[string]int{}
		for i := range n {
			m[strconv.Itoa(i*7919%1000)] = i
		}
		var buf [SmallMap]Entry[int]
		got, err := SortedEntries(buf[:0], m)
		if err != nil || len(got) != n || !slices.IsSortedFunc(got, func(a, b Entry[int]) int { return strings.Compare(a.Key, b.Key) }) {
			t.Errorf("%d entries: SortedEntries = %v", n, got)
		}
		for _, e := range got {
			if m[e.Key] != e.Value {
				t.Errorf("%d entries: %q has %d, want %d", n, e.Key, e.Value, m[e.Key])
			}
		}
	}
	small := map[string]int{"e": 1, "b": 2, "d": 3, "a": 4, "c": 5}
	allocs := testing.AllocsPerRun(100, func() {
		var buf [SmallMap]Entry[int]
		got, _ := SortedEntries(buf[:0], small)
		first = got[0].Key
	})
	if first != "a" {
		t.Errorf("first key %q, want a", first)
	}
	if allocs != 0 {
		t.Errorf("SortedEntries of %d entries into a stack array: %v allocations, want 0", len(small), allocs)
	}
}

func TestSortedEntries_KeyNotUTF8(t *testing.T) {
	// Two bad keys: the error names the first in order, where the encoding
	// would stop, whatever order the map gives them in.
	m := map[string]int{"b\xff": 1, "a": 2, "c\xfe": 3, "\u00e9t\u00e9": 4}
	for range 20 {
		var buf [SmallMap]Entry[int]
		got, err := SortedEntries(buf[:0], m)
		const want = `field ["b\xff"]: invalid value: string is not valid UTF-8: byte 0xff at offset 1`
		if err == nil || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), want) {
			t.Fatalf("SortedEntries error %v, want one with %s", err, want)
		}
		if len(got) != len(m) {
			t.Fatalf("SortedEntries returned %d entries, want %d", len(got), len(m))
		}
	}
	if _, err := SortedEntries(nil, map[string]int{"\u00e9t\u00e9": 1, "z": 2}); err != nil {
		t.Errorf("SortedEntries of UTF-8 keys: %v", err)
	}
	// Keys under 64 bytes are read in overlapping words: a bad byte at
	// every place of every length is found, and a two-byte rune is not.
	for n := 1; n <= 80; n++ {
		k := strings.Repeat("abcdefghij", 9)[:n]
		for i := range n {
			bad := k[:i] + "\xff" + k[i+1:]
			if _, err := SortedEntries(nil, map[string]int{bad: 1, "z": 2}); err == nil {
				t.Fatalf("%d-byte key with 0xff at %d: no error", n, i)
			}
			if i+1 < n {
				ok := k[:i] + "\u00e9" + k[i+2:]
				if _, err := SortedEntries(nil, map[string]int{ok: 1, "z": 2}); err != nil {
					t.Fatalf("%d-byte key with é at %d: %v", n, i, err)
				}
			}
		}
	}
}

// str is AppendString for strings the test knows are UTF-8.
func str(dst []byte, s string) []byte {
	b, err := AppendString(dst, s)
	if err != nil {
		panic(err)
	}
	return b
}

// TestAppendString_EveryLengthAndPlace puts a byte that is not UTF-8, and
// then a valid two-byte rune, at every place of strings of every length up
// to 80: AppendString and AppendUTF8 read text under 64 bytes in
// overlapping words, and each length class must see every byte. Each runs
// into a dst with no room, which appends as append does, and into one with
// room, into which the checked words are stored: the bytes past dst's
// length stay as they were on an error.
func TestAppendString_EveryLengthAndPlace(t *testing.T) {
	dsts := []struct {
		name string
		new  func() []byte
	}{
		{"full dst", func() []byte { return []byte("k")[:1:1] }},
		{"roomy dst", func() []byte {
			b := bytes.Repeat([]byte{0xaa}, 160)
			b[0] = 'k'
			return b[:1]
		}},
	}
	for n := 0; n <= 80; n++ {
		s := strings.Repeat("abcdefghij", 9)[:n]
		for _, fn := range []struct {
			name   string
			append func([]byte, string) ([]byte, error)
		}{
			{"AppendString", AppendString},
			{"AppendUTF8", func(dst []byte, s string) ([]byte, error) { return AppendUTF8(dst, []byte(s)) }},
		} {
			for _, d := range dsts {
				if got, err := fn.append(d.new(), s); err != nil || !bytes.Equal(got, AppendBytes([]byte("k"), []byte(s))) {
					t.Fatalf("%s, %s, %d ASCII bytes: %x, %v", fn.name, d.name, n, got, err)
				}
				for i := range n {
					bad := s[:i] + "\xff" + s[i+1:]
					dst := d.new()
					got, err := fn.append(dst, bad)
					if err == nil || string(got) != "k" {
						t.Fatalf("%s, %s, %d bytes, 0xff at %d: %x, %v; want an error and dst unchanged", fn.name, d.name, n, i, got, err)
					}
					if spare := dst[1:cap(dst)]; len(bytes.Trim(spare, "\xaa")) != 0 {
						t.Fatalf("%s, %s, %d bytes, 0xff at %d: wrote past dst's length on an error: %x", fn.name, d.name, n, i, spare)
					}
					if i+1 < n {
						ok := s[:i] + "\u00e9" + s[i+2:]
						if got, err := fn.append(d.new(), ok); err != nil || !bytes.Equal(got, AppendBytes([]byte("k"), []byte(ok))) {
							t.Fatalf("%s, %s, %d bytes, é at %d: %x, %v", fn.name, d.name, n, i, got, err)
						}
					}
				}
			}
		}
	}
}

func TestAppendString_UTF8(t *testing.T) {
	for _, tc := range []struct {
		name, s string
		err     string // "" when s is UTF-8
	}{
		{"ascii", "hello", ""},
		{"empty", "", ""},
		{"multibyte", "héllo, 世界 🙂", ""},
		{"long ascii", strings.Repeat("a", 200), ""},
		{"latin-1 byte", "caf\xe9", "string is not valid UTF-8: byte 0xe9 at offset 3"},
		{"lone continuation", "\x80", "string is not valid UTF-8: byte 0x80 at offset 0"},
		{"truncated sequence", "ok\xc3", "string is not valid UTF-8: byte 0xc3 at offset 2"},
		{"surrogate half", "a\xed\xa0\x80", "string is not valid UTF-8: byte 0xed at offset 1"},
		{"overlong", "\xc0\xaf", "string is not valid UTF-8: byte 0xc0 at offset 0"},
		{"late in a long string", strings.Repeat("é", 100) + "\xff", "string is not valid UTF-8: byte 0xff at offset 200"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, fn := range []struct {
				name   string
				append func([]byte) ([]byte, error)
			}{
				{"AppendString", func(dst []byte) ([]byte, error) { return AppendString(dst, tc.s) }},
				{"AppendUTF8", func(dst []byte) ([]byte, error) { return AppendUTF8(dst, []byte(tc.s)) }},
			} {
				got, err := fn.append([]byte("keep"))
				if tc.err == "" {
					if err != nil || !bytes.Equal(got, AppendBytes([]byte("keep"), []byte(tc.s))) {
						t.Errorf("%s: %x, %v", fn.name, got, err)
					}
					continue
				}
				var e *Error
				if !errors.As(err, &e) || !errors.Is(err, ErrInvalid) || e.Op != "encode" {
					t.Fatalf("%s: error %v, want an encode *Error wrapping ErrInvalid", fn.name, err)
				}
				if want := "evc: encode: invalid value: " + tc.err; err.Error() != want {
					t.Errorf("%s: error %q, want %q", fn.name, err, want)
				}
				if string(got) != "keep" {
					t.Errorf("%s: returned %q, want dst unchanged", fn.name, got)
				}
			}
		})
	}
}

// text is a custom domain type whose text is itself.
type text string

func (t text) MarshalText() ([]byte, error) { return []byte(t), nil }

func TestAppendString_NoAllocations(t *testing.T) {
	buf := make([]byte, 0, 256)
	if n := testing.AllocsPerRun(100, func() {
		buf, _ = AppendString(buf[:0], "a message of some length, with é and 🙂 in it")
	}); n != 0 {
		t.Errorf("AppendString allocates %v times", n)
	}
}

func TestDecimal_Precision(t *testing.T) {
	for _, tc := range []struct {
		v                string
		precision, scale int
		err              string // "" when v fits
	}{
		{"12345678.90", 10, 2, ""},
		{"-99999999.99", 10, 2, ""},
		{"0.01", 1, 2, ""},
		{"123456789012.34", 10, 2, "decimal 123456789012.34 has 14 digits, more than its precision 10"},
		{"100000000.00", 10, 2, "decimal 100000000.00 has 11 digits, more than its precision 10"},
		{"-100000000", 10, 2, "decimal -100000000.00 has 11 digits, more than its precision 10"},
		{"10", 1, 0, "decimal 10 has 2 digits, more than its precision 1"},
		{"9", 1, 0, ""},
		// 2^30 has 10 digits and 31 bits, past the bit-length shortcut.
		{"1073741824", 10, 0, ""},
		{"9999999999", 10, 0, ""},
		{"10000000000", 10, 0, "decimal 10000000000 has 11 digits, more than its precision 10"},
	} {
		v, _ := new(big.Rat).SetString(tc.v)
		_, err := AppendDecimal(nil, v, tc.precision, tc.scale)
		_, ferr := AppendDecimalFixed(nil, v, tc.precision, tc.scale, 16)
		for _, err := range []error{err, ferr} {
			switch {
			case tc.err == "" && err != nil:
				t.Errorf("%s as decimal(%d,%d): %v", tc.v, tc.precision, tc.scale, err)
			case tc.err != "" && (!errors.Is(err, ErrInvalid) || err.Error() != "evc: encode: invalid value: "+tc.err):
				t.Errorf("%s as decimal(%d,%d): error %v, want %q", tc.v, tc.precision, tc.scale, err, tc.err)
			}
		}
	}
}

// TestValidUTF8_EveryPosition puts one bad byte at every position of
// strings of every length up to 80, past each word and block boundary of
// the fast path.
func TestValidUTF8_EveryPosition(t *testing.T) {
	for n := 0; n <= 80; n++ {
		b := bytes.Repeat([]byte{'a'}, n)
		if !validUTF8(b) {
			t.Fatalf("validUTF8 of %d ASCII bytes is false", n)
		}
		for i := range n {
			for _, bad := range []byte{0x80, 0xff, 0xc3} {
				c := bytes.Clone(b)
				c[i] = bad
				if validUTF8(c) {
					t.Fatalf("validUTF8 of %d bytes with 0x%02x at %d is true", n, bad, i)
				}
			}
			if i+2 <= n {
				c := bytes.Clone(b)
				copy(c[i:], "é")
				if !validUTF8(c) {
					t.Fatalf("validUTF8 of %d bytes with é at %d is false", n, i)
				}
			}
		}
	}
}

func TestReader_Reset(t *testing.T) {
	src := AppendLong(nil, 2)
	src = append(src, "ab"...)
	var r Reader
	for _, alias := range []bool{false, true, false} {
		r.Reset(src, alias)
		s, err := r.ReadString()
		if err != nil || s != "ab" || r.Finish() != nil {
			t.Fatalf("alias %v: read %q, %v", alias, s, err)
		}
		if aliases := unsafe.StringData(s) == &src[1]; aliases != alias {
			t.Errorf("alias %v: the string aliases the input: %v", alias, aliases)
		}
	}
	r.Reset(nil, false)
	if _, err := r.ReadLong(); !errors.Is(err, ErrShortBuffer) {
		t.Errorf("after Reset(nil): %v", err)
	}
}

func TestReader_Rewind(t *testing.T) {
	// An alias Reader reads its buffer again, as it is now.
	buf := AppendInt(nil, 70) // two bytes
	r := NewAliasReader(buf)
	for _, want := range []int32{70, 3} {
		r.Rewind()
		if v, err := r.ReadInt(); err != nil || v != want {
			t.Fatalf("read %d, %v; want %d", v, err, want)
		}
		copy(buf, AppendInt(nil, 3)) // one byte, the second one stale
	}
	// A copying Reader slices its strings from its copy, at the same place.
	src := append(AppendLong(nil, 2), "ab"...)
	r = NewReader(src)
	for range 2 {
		r.Rewind()
		s, err := r.ReadString()
		if err != nil || s != "ab" || r.Finish() != nil {
			t.Fatalf("read %q, %v", s, err)
		}
		if unsafe.StringData(s) == &src[1] {
			t.Error("the string aliases the input of a copying Reader")
		}
	}
}
