package avrobin

import (
	"encoding/binary"
	"math/bits"
)

// The Skip methods read a value of a writer's schema that the reader does
// not keep, without allocating, in time linear in the bytes skipped.

// SkipBool skips a boolean.
func (r *Reader) SkipBool() error { return r.skipN(1) }

// SkipLong skips an int or a long (an enum index too).
func (r *Reader) SkipLong() error {
	if len(r.src)-r.off >= 8 {
		// Find the end byte among the next eight without decoding.
		x := binary.LittleEndian.Uint64(r.src[r.off:])
		if ends := ^x & 0x8080808080808080; ends != 0 {
			r.off += (bits.TrailingZeros64(ends) + 1) >> 3
			return nil
		}
	}
	_, err := r.ReadLong()
	return err
}

// SkipFloat skips a float.
func (r *Reader) SkipFloat() error { return r.skipN(4) }

// SkipDouble skips a double.
func (r *Reader) SkipDouble() error { return r.skipN(8) }

// SkipBytes skips bytes or a string.
func (r *Reader) SkipBytes() error {
	// Fast path: a short length prefix, without a call.
	if i := r.off; i < len(r.src) {
		if b := r.src[i]; b&0x81 == 0 {
			if end := i + 1 + int(b>>1); end <= len(r.src) {
				r.off = end
				return nil
			}
		}
	}
	return r.skipBytes()
}

func (r *Reader) skipBytes() error {
	n, err := r.readLen()
	if err != nil {
		return err
	}
	r.off += n
	return nil
}

// SkipFixed skips a fixed of n bytes.
func (r *Reader) SkipFixed(n int) error { return r.skipN(n) }

func (r *Reader) skipN(n int) error {
	if len(r.src)-r.off < n {
		return decodeErr(r.off, ErrShortBuffer)
	}
	r.off += n
	return nil
}

// SkipOptionalBytes skips a union of null and a string or bytes, in that
// order: an optional string.
func (r *Reader) SkipOptionalBytes() error {
	// Fast path: the branch index in one byte, without a call.
	if i := r.off; i < len(r.src) {
		switch r.src[i] {
		case 0:
			r.off++
			return nil
		case 2:
			r.off++
			return r.SkipBytes()
		}
	}
	b, err := r.ReadUnion(2)
	if err != nil || b == 0 {
		return err
	}
	return r.SkipBytes()
}

// SkipBytesArray skips an array of strings or bytes, a block whose size in
// bytes is given whole.
func (r *Reader) SkipBytesArray() error {
	// Fast path: a first block of fewer than 64 items that the input can
	// hold, its strings skipped without a call, and the end of the array.
	if i := r.off; i < len(r.src) {
		if b := r.src[i]; b&0x81 == 0 && int(b>>1) < len(r.src)-i {
			r.off++
			for range b >> 1 {
				if err := r.SkipBytes(); err != nil {
					return err
				}
			}
			if b == 0 {
				return nil
			}
			if r.off < len(r.src) && r.src[r.off] == 0 {
				r.off++
				return nil
			}
		}
	}
	return r.Skip(bytesArray, false)
}

var bytesArray = &SkipType{Kind: SkipArray, Elem: &SkipType{Kind: SkipBytes, Min: 1}}
