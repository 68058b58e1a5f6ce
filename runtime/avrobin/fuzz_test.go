package avrobin

import (
	"bytes"
	"fmt"
	"runtime"
	"testing"
	"unicode/utf8"
)

// FuzzReader runs a program of reads, chosen by ops, over data, with a
// copying and an aliasing Reader: no read may panic or move past the input,
// a long skipped ends where it is read, and allocations stay within a bound
// linear in the input's size.
func FuzzReader(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, str(AppendLong(nil, 300), "héllo"))
	f.Add([]byte{6, 6, 6}, []byte{0x01, 0x04, 0x02, 0x02, 0x00})
	f.Add([]byte{9}, str(nil, "123e4567-e89b-42d3-a456-426614174000"))
	f.Add([]byte{3, 4}, []byte{0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, ops, data []byte) {
		if len(ops) > 64 {
			ops = ops[:64]
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		for _, alias := range []bool{false, true} {
			r := NewReader(data)
			if alias {
				r = NewAliasReader(data)
			}
			for _, op := range ops {
				var err error
				switch op % 16 {
				case 0:
					// SkipLong ends where ReadLong does, or fails too.
					s, start := r, r.Offset()
					_, err = r.ReadLong()
					if serr := s.SkipLong(); (serr == nil) != (err == nil) || s.Offset() != r.Offset() {
						t.Fatalf("% x from %d: SkipLong %v at %d, ReadLong %v at %d", data, start, serr, s.Offset(), err, r.Offset())
					}
				case 1:
					_, err = r.ReadInt()
				case 2:
					_, err = r.ReadString()
				case 3:
					_, err = r.ReadBytes()
				case 4:
					_, err = r.ReadFloat()
				case 5:
					_, err = r.ReadDouble()
				case 6:
					_, err = r.ReadBlockCount(int(op >> 4))
				case 7:
					_, err = r.ReadUnion(int(op>>4) + 1)
				case 8:
					_, err = r.ReadEnum(int(op>>4) + 1)
				case 9:
					_, err = r.ReadUUID()
				case 10:
					_, err = r.ReadDecimal(int(op >> 4))
				case 11:
					_, err = r.ReadFixed(int(op >> 4))
				case 12:
					_, err = r.ReadTimeMicros()
				case 13:
					_, err = r.ReadDate()
				case 14:
					_, err = r.ReadBool()
				case 15:
					_, err = r.ReadRaw()
				}
				if r.Offset() > len(data) {
					t.Fatalf("offset %d beyond the input's %d bytes", r.Offset(), len(data))
				}
				if err != nil {
					break
				}
			}
		}
		runtime.ReadMemStats(&after)
		if n := after.TotalAlloc - before.TotalAlloc; n > uint64(16*len(data))+256<<10 {
			t.Fatalf("%d bytes allocated for %d bytes of input", n, len(data))
		}
	})
}

// FuzzValidUTF8 checks the word-at-a-time UTF-8 checks against
// unicode/utf8: validUTF8's, and AppendString's and AppendUTF8's, which
// also copy the words they checked into a dst with room.
func FuzzValidUTF8(f *testing.F) {
	f.Add([]byte("plain ascii, longer than thirty-two bytes in all"))
	f.Add([]byte("é"))
	f.Add([]byte("0123456789abcdef0123456789abcdef\xff"))
	f.Add([]byte("abcd\xed\xa0\x80"))
	f.Fuzz(func(t *testing.T, b []byte) {
		want := utf8.Valid(b)
		if got := validUTF8(b); got != want || validUTF8(string(b)) != want {
			t.Errorf("validUTF8(%q) = %v, want %v", b, got, want)
		}
		for _, room := range []int{0, len(b) + 1} {
			dst := append(make([]byte, 0, 2+room), 'k')
			s, err := AppendString(dst, string(b))
			u, uerr := AppendUTF8(dst, b)
			if (err == nil) != want || (uerr == nil) != want {
				t.Fatalf("AppendString(%q): %v, AppendUTF8: %v; UTF-8: %v", b, err, uerr, want)
			}
			if want && (!bytes.Equal(s, AppendBytes([]byte("k"), b)) || !bytes.Equal(u, s)) {
				t.Fatalf("AppendString(%q) = %x, AppendUTF8 %x", b, s, u)
			}
			if !want && (string(s) != "k" || string(u) != "k") {
				t.Fatalf("AppendString(%q) = %x, AppendUTF8 %x on an error, want dst unchanged", b, s, u)
			}
		}
	})
}

// FuzzSkipShapes holds the skips that runs of fields take without a
// SkipType (SkipOptionalBytes, SkipBytesArray), fast paths and all, to
// Skip of the type they skip: the same error, or none, at the same offset.
func FuzzSkipShapes(f *testing.F) {
	f.Add([]byte{0})
	f.Add([]byte{2, 4, 'h', 'i'})
	f.Add([]byte{4, 2, 'x', 0, 0})
	f.Add([]byte{2, 2, 'x', 2, 2, 'y', 0})  // a second block
	f.Add([]byte{3, 4, 0xff, 0xff, 0})      // a sized block
	f.Add([]byte{126, 0})                   // more items than bytes
	f.Add([]byte{0x80, 0x01, 2, 'x', 0, 0}) // 64 items
	f.Add([]byte{0x80, 0x00, 2, 'x'})       // branch 0 in two bytes
	optional := &SkipType{Kind: SkipUnion, Branches: []*SkipType{{Kind: SkipNull}, {Kind: SkipBytes, Min: 1}}}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, c := range []struct {
			name string
			fast func(*Reader) error
			t    *SkipType
		}{
			{"SkipOptionalBytes", (*Reader).SkipOptionalBytes, optional},
			{"SkipBytesArray", (*Reader).SkipBytesArray, bytesArray},
		} {
			fast, slow := NewAliasReader(data), NewAliasReader(data)
			ferr, serr := c.fast(&fast), slow.Skip(c.t, false)
			if fmt.Sprint(ferr) != fmt.Sprint(serr) || ferr == nil && fast.Offset() != slow.Offset() {
				t.Fatalf("% x: %s %v at %d, Skip %v at %d", data, c.name, ferr, fast.Offset(), serr, slow.Offset())
			}
		}
	})
}
