package avrobin

import (
	"encoding"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"
)

// AppendBool appends an Avro boolean: one byte, 0 or 1.
func AppendBool(dst []byte, v bool) []byte {
	if v {
		return append(dst, 1)
	}
	return append(dst, 0)
}

// AppendInt appends an Avro int: a zig-zag varint.
func AppendInt(dst []byte, v int32) []byte {
	u := uint32(v<<1) ^ uint32(v>>31)
	for u >= 0x80 {
		dst = append(dst, byte(u)|0x80)
		u >>= 7
	}
	return append(dst, byte(u))
}

// AppendLong appends an Avro long: a zig-zag varint.
func AppendLong(dst []byte, v int64) []byte {
	u := uint64(v<<1) ^ uint64(v>>63)
	for u >= 0x80 {
		dst = append(dst, byte(u)|0x80)
		u >>= 7
	}
	return append(dst, byte(u))
}

// AppendFloat appends an Avro float: four bytes, little-endian IEEE 754.
func AppendFloat(dst []byte, v float32) []byte {
	return binary.LittleEndian.AppendUint32(dst, math.Float32bits(v))
}

// AppendDouble appends an Avro double: eight bytes, little-endian IEEE 754.
func AppendDouble(dst []byte, v float64) []byte {
	return binary.LittleEndian.AppendUint64(dst, math.Float64bits(v))
}

// AppendString appends an Avro string: its length as a long, then its bytes.
// Avro strings are UTF-8, and readers reject (python3-avro, Java) or alter
// (avsc) any other bytes, so a string that is not valid UTF-8 is an
// ErrInvalid error and dst is returned unchanged.
//
// The common case, an ASCII string under 64 bytes appended where dst has
// room, is done here, in one call with no loop: s is read in eight, four or
// two words that may overlap (under 8 bytes, two half words or three
// bytes), and once they are checked the same words are stored into dst, so
// that the copy costs no call to memmove. Nothing is stored before the
// check, so a string it rejects leaves even dst's spare capacity as it was.
// Anything else goes to appendStringSlow. On the Open edX enrollment event
// (six strings and a course key) this made the encode 1.17x the time of a
// hand-written encoder that checks nothing, from 1.35x with a check first
// and append's memmove after it.
func AppendString(dst []byte, s string) ([]byte, error) {
	const hi = 0x8080808080808080
	n, l := len(s), len(dst)
	if n >= 64 || cap(dst)-l <= n {
		return appendStringSlow(dst, s)
	}
	d := dst[l+1 : l+1+n]
	switch {
	case n >= 32:
		t := s[n-32:]
		w0, w1, w2, w3 := word(s), word(s[8:]), word(s[16:]), word(s[24:])
		w4, w5, w6, w7 := word(t), word(t[8:]), word(t[16:]), word(t[24:])
		if (w0|w1|w2|w3|w4|w5|w6|w7)&hi != 0 {
			return appendStringSlow(dst, s)
		}
		e := d[n-32:]
		binary.LittleEndian.PutUint64(d, w0)
		binary.LittleEndian.PutUint64(d[8:], w1)
		binary.LittleEndian.PutUint64(d[16:], w2)
		binary.LittleEndian.PutUint64(d[24:], w3)
		binary.LittleEndian.PutUint64(e, w4)
		binary.LittleEndian.PutUint64(e[8:], w5)
		binary.LittleEndian.PutUint64(e[16:], w6)
		binary.LittleEndian.PutUint64(e[24:], w7)
	case n >= 16:
		t := s[n-16:]
		w0, w1, w2, w3 := word(s), word(s[8:]), word(t), word(t[8:])
		if (w0|w1|w2|w3)&hi != 0 {
			return appendStringSlow(dst, s)
		}
		e := d[n-16:]
		binary.LittleEndian.PutUint64(d, w0)
		binary.LittleEndian.PutUint64(d[8:], w1)
		binary.LittleEndian.PutUint64(e, w2)
		binary.LittleEndian.PutUint64(e[8:], w3)
	case n >= 8:
		w0, w1 := word(s), word(s[n-8:])
		if (w0|w1)&hi != 0 {
			return appendStringSlow(dst, s)
		}
		binary.LittleEndian.PutUint64(d, w0)
		binary.LittleEndian.PutUint64(d[n-8:], w1)
	case n >= 4:
		w0, w1 := word4(s), word4(s[n-4:])
		if (w0|w1)&0x80808080 != 0 {
			return appendStringSlow(dst, s)
		}
		binary.LittleEndian.PutUint32(d, w0)
		binary.LittleEndian.PutUint32(d[n-4:], w1)
	case n > 0:
		a, b, c := s[0], s[n/2], s[n-1]
		if (a|b|c)&0x80 != 0 {
			return appendStringSlow(dst, s)
		}
		d[0], d[n/2], d[n-1] = a, b, c
	}
	dst = dst[:l+1+n]
	dst[l] = byte(n << 1)
	return dst, nil
}

// appendStringSlow is AppendString for a string of 64 bytes or more, or
// one with a byte above 0x7f.
func appendStringSlow(dst []byte, s string) ([]byte, error) {
	if !validUTF8(s) {
		return dst, notUTF8(s)
	}
	return append(AppendLong(dst, int64(len(s))), s...), nil
}

// validUTF8 reports whether b is UTF-8. Most strings are ASCII, so it
// looks for a byte with the high bit set, eight bytes at a time, and only
// then asks utf8. Up to 64 bytes it reads b in two, four or eight words
// that may overlap, with no loop: on the Open edX strings (1 to 59 bytes)
// this takes a third less time than a loop over the words. AppendString
// checks its string before copying it: reading back bytes just written
// stalls on store forwarding.
func validUTF8[T string | []byte](b T) bool {
	const hi = 0x8080808080808080
	var w uint64
	switch n := len(b); {
	case n > 64:
		w = word(b[n-8:])
		for c := b; len(c) >= 8; c = c[8:] {
			w |= word(c)
		}
	case n >= 32:
		t := b[n-32:]
		w = word(b) | word(b[8:]) | word(b[16:]) | word(b[24:]) |
			word(t) | word(t[8:]) | word(t[16:]) | word(t[24:])
	case n >= 16:
		t := b[n-16:]
		w = word(b) | word(b[8:]) | word(t) | word(t[8:])
	case n >= 8:
		w = word(b) | word(b[n-8:])
	default:
		for i := range n {
			w |= uint64(b[i])
		}
	}
	return w&hi == 0 || utf8.ValidString(string(b))
}

// word4 returns the first four bytes of b as a little-endian word.
func word4[T string | []byte](b T) uint32 {
	_ = b[3]
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}

// word returns the first eight bytes of b as a little-endian word; the
// compiler makes it one load.
func word[T string | []byte](b T) uint64 {
	_ = b[7]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

// notUTF8 says where s stops being UTF-8.
func notUTF8(s string) error {
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			break
		}
		i += n
	}
	return Invalidf("string is not valid UTF-8: byte 0x%02x at offset %d", s[i], i)
}

// AppendBytes appends Avro bytes: the length as a long, then the bytes.
func AppendBytes(dst []byte, b []byte) []byte {
	if len(b) < 64 {
		dst = append(dst, byte(len(b)<<1))
	} else {
		dst = AppendLong(dst, int64(len(b)))
	}
	return append(dst, b...)
}

// AppendCount appends the item count that opens an array or map block.
// Generated code writes a non-empty array or map as one block, its count,
// its items, then AppendCount(dst, 0) to end it.
func AppendCount(dst []byte, n int) []byte {
	return AppendLong(dst, int64(n))
}

// SmallMap is the size of the entry array generated code gives
// SortedEntries on its stack: maps of up to SmallMap entries are sorted
// without allocating.
const SmallMap = 8

// Entry is one entry of a map being encoded.
type Entry[V any] struct {
	Key   string
	Value V
}

// SortedEntries appends the entries of m to buf, sorts them by key and
// checks that every key is UTF-8: generated code encodes maps in that order,
// so that equal values have equal encodings, and appends the keys with
// AppendKey. A key that is not UTF-8 is an ErrInvalid error at the first
// such key in order. Generated code passes a stack array's buf[:0], so that
// a small map's entries stay off the heap, and reads each value from its
// entry rather than looking its key up again.
//
// The keys are checked together, before any is written, with the
// overlapping words of AppendString written out in the loop, so that no
// call saves the loop's state: on the Open edX grade event (five 55-byte
// keys) the encode takes 3% less time than with validUTF8 for each key.
func SortedEntries[V any](buf []Entry[V], m map[string]V) ([]Entry[V], error) {
	for k, v := range m {
		buf = append(buf, Entry[V]{k, v})
	}
	// ASCII keys under 64 bytes are checked here, the rest by validUTF8.
	const hi = 0x8080808080808080
	var w uint64
	valid := true
	for i := range buf {
		k := buf[i].Key
		switch n := len(k); {
		case n >= 64:
			valid = valid && validUTF8(k)
		case n >= 32:
			t := k[n-32:]
			w |= word(k) | word(k[8:]) | word(k[16:]) | word(k[24:]) |
				word(t) | word(t[8:]) | word(t[16:]) | word(t[24:])
		case n >= 16:
			t := k[n-16:]
			w |= word(k) | word(k[8:]) | word(t) | word(t[8:])
		case n >= 8:
			w |= word(k) | word(k[n-8:])
		case n >= 4:
			w |= uint64(word4(k) | word4(k[n-4:]))
		case n > 0:
			w |= uint64(k[0] | k[n/2] | k[n-1])
		}
	}
	if w&hi != 0 {
		// Some key has a byte above 0x7f: check each.
		for i := range buf {
			valid = valid && validUTF8(buf[i].Key)
		}
	}
	if len(buf) <= 12 {
		// Insertion sort: fewer comparisons and no call overhead for the
		// handful of entries most maps have. On the Open edX grade event
		// (five keys sharing 49 bytes) comparing whole keys beats every
		// cheaper-looking order measured: finding the keys' common prefix
		// and sorting by the eight bytes after it, by rank or by a min/max
		// network, comparing the first eight bytes before the keys, binary
		// insertion, or shifting instead of swapping. Finding the common
		// prefix alone costs about as much as the comparisons.
		for i := 1; i < len(buf); i++ {
			for j := i; j > 0 && buf[j].Key < buf[j-1].Key; j-- {
				buf[j], buf[j-1] = buf[j-1], buf[j]
			}
		}
	} else {
		slices.SortFunc(buf, func(a, b Entry[V]) int { return strings.Compare(a.Key, b.Key) })
	}
	if !valid {
		for _, e := range buf {
			if !utf8.ValidString(e.Key) {
				return buf, AtKey(notUTF8(e.Key), e.Key)
			}
		}
	}
	return buf, nil
}

// AppendKey appends a map key that SortedEntries has checked: an Avro
// string.
func AppendKey(dst []byte, k string) []byte {
	if len(k) < 64 {
		dst = append(dst, byte(len(k)<<1))
	} else {
		dst = AppendLong(dst, int64(len(k)))
	}
	return append(dst, k...)
}

// Ptr returns a pointer to a copy of v; generated constructors use it for
// the defaults of optional fields.
func Ptr[T any](v T) *T { return &v }

// MustParseUUID is ParseUUID for the UUID defaults of generated code, which
// the compiler has checked; it panics on a malformed UUID.
func MustParseUUID(s string) UUID {
	u, err := ParseUUID(s)
	if err != nil {
		panic(err)
	}
	return u
}

// MustText returns the T that s unmarshals to, for the defaults of custom
// domain types in generated code; it panics when T rejects s.
func MustText[T any, P interface {
	*T
	encoding.TextUnmarshaler
}](s string) T {
	var v T
	if err := P(&v).UnmarshalText([]byte(s)); err != nil {
		panic(fmt.Sprintf("evc: default %q: %v", s, err))
	}
	return v
}

// MustBinary is MustText for a custom type carried as bytes.
func MustBinary[T any, P interface {
	*T
	encoding.BinaryUnmarshaler
}](b []byte) T {
	var v T
	if err := P(&v).UnmarshalBinary(b); err != nil {
		panic(fmt.Sprintf("evc: default %q: %v", b, err))
	}
	return v
}
