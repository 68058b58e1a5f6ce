package avrobin

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
	"sync/atomic"
	"unsafe"
)

// MaxDepth bounds the nesting of recursive records a Reader decodes, so that
// input cannot drive the decoder's recursion without limit.
const MaxDepth = 1000

// maxZeroSizeItems bounds how many items of a type that takes no bytes on the
// wire (null, an empty record) a Reader accepts in total: such items are not
// bounded by the input's length.
const maxZeroSizeItems = 1 << 20

// Reader decodes Avro binary from one input. The zero Reader has no input;
// make one with NewReader or NewAliasReader. A Reader is not safe for
// concurrent use.
type Reader struct {
	src []byte
	off int
	// own is what strings and bytes are sliced from: own[i] is src[base+i]
	// for base+i < lim. An alias Reader starts with own = src; a copying
	// one makes own a copy of src[base:] at its first string or bytes
	// value, and again when a value ends past lim (see UseTrim).
	own   []byte
	base  int
	lim   int
	depth int
	zero  int
	trim  trim
}

// trim is a copying Reader's state for Cut (see UseTrim).
type trim struct {
	guess *Trim // nil: Cut does nothing
	// cutting: Cut counts, since there is a guess to teach and a copy.
	cutting bool
	leave   int  // how many bytes the first copy leaves out
	short   bool // own leaves out bytes that Cut must drop
	cut     int  // bytes cut from the input since the copy was made
	moved   int  // bytes Cut has moved within own, at most dropRatio per byte cut
}

// A Trim guesses how many bytes of the messages of one kind, after their
// first string or bytes value, their decoder skips and cuts (Reader.Cut):
// what a Reader with UseTrim leaves out of its copy. The guess
// follows what the messages decoded cut: down to a message's count at once,
// so that messages that skip less than those before them make no second
// copy, and up by a quarter of the difference, so that one message that
// skips more does not set it for the rest. A Trim is safe for concurrent
// use; its zero value guesses 0.
type Trim struct{ leave atomic.Int64 }

// learn moves the guess toward cut, what a message cut.
func (t *Trim) learn(cut int) {
	switch g, c := t.leave.Load(), int64(cut); {
	case c < g:
		t.leave.Store(c)
	case c > g:
		t.leave.Store(g + (c-g+3)/4)
	}
}

// NewReader returns a Reader of src that copies src once, at the first
// string or bytes value, so that decoded values do not alias src.
func NewReader(src []byte) Reader { return Reader{src: src} }

// UseTrim makes r, a Reader of NewReader's that has read nothing yet,
// leave out of its copy as many bytes as t guesses its caller will skip
// after the first string or bytes value, and drop with Cut; r's Done then
// teaches t how many were. A guess too large costs one more allocation,
// never a value: a string that ends past the copy is sliced from a new
// copy of the rest. A nil t changes nothing.
func (r *Reader) UseTrim(t *Trim) {
	if t != nil {
		r.trim.guess = t
		if leave := int(t.leave.Load()); leave*trimRatio >= len(r.src) {
			r.trim.leave = leave
		}
	}
}

// trimRatio: UseTrim leaves nothing out of the copy of a message when the
// guess is less than 1/trimRatio of it, and Cut then only counts, to
// teach the guess. Leaving out a few bytes costs each message more than
// they cost the garbage collector: Open edX's newer writer's message,
// whose cuts drop 16 of its bytes (a size class), decodes 5% faster
// without them.
const trimRatio = 8

// NewAliasReader returns a Reader of src whose strings and bytes values alias
// src: decoding allocates nothing for them, and src must not be modified
// while any value decoded from it is in use.
func NewAliasReader(src []byte) Reader { return Reader{src: src, own: src, lim: len(src)} }

// Reset makes r a Reader of src like NewReader's, or with alias like
// NewAliasReader's, in place: for a Reader that lives in the heap, where
// assigning a whole new Reader costs a bulk write barrier while the
// garbage collector runs. Reset(nil, false) drops r's references.
func (r *Reader) Reset(src []byte, alias bool) {
	r.src, r.off, r.base, r.lim, r.depth, r.zero, r.trim = src, 0, 0, 0, 0, 0, trim{}
	if alias {
		r.own, r.lim = src, len(src)
	} else {
		r.own = nil
	}
}

// UseCopy makes r slice strings and bytes values from own, where own[i-base]
// is the input's byte i for every value that r slices from then on: for
// runtime/resolve, which copies only the parts of a message that the reader
// keeps, and moves base past each part it leaves out.
func (r *Reader) UseCopy(own []byte, base int) {
	r.own, r.base, r.lim = own, base, min(base+len(own), len(r.src))
}

// Rewind makes r read its input again from the start without writing r's
// references: for a Reader in the heap that reads one small buffer over and
// over, where Reset would cost write barriers while the garbage collector
// marks. Only an alias Reader's input may change between reads: a copying
// one keeps slicing strings from the copy it made.
func (r *Reader) Rewind() { r.off, r.depth, r.zero = 0, 0, 0 }

// Offset returns how many bytes of the input have been read.
func (r *Reader) Offset() int { return r.off }

// Remaining returns how many bytes of the input are left.
func (r *Reader) Remaining() int { return len(r.src) - r.off }

// Unread returns the input that is left to read. It aliases the input.
func (r *Reader) Unread() []byte { return r.src[r.off:] }

// Fits reports whether the next value is one that a writer's int (symbols
// 0) or enum of symbols symbols may take: an int, or the index of one of
// its symbols, in at most five bytes, as ReadInt reads it. A reader that
// reads the value more widely (as a long, or an enum of more symbols)
// checks it with Fits first.
func (r *Reader) Fits(symbols int) bool {
	if r.off < len(r.src) && r.src[r.off] < 0x80 {
		b := int(r.src[r.off])
		return symbols == 0 || b&1 == 0 && b>>1 < symbols
	}
	return r.fitsLong(symbols)
}

// fitsLong is Fits for a value of more than one byte.
func (r *Reader) fitsLong(symbols int) bool {
	v, n := binary.Varint(r.src[r.off:])
	if n <= 0 || n > 5 || v != int64(int32(v)) {
		return false
	}
	return symbols == 0 || v >= 0 && v < int64(symbols)
}

// Finish returns an error when input remains after the message.
func (r *Reader) Finish() error {
	if r.off != len(r.src) {
		return decodeErr(r.off, fmt.Errorf("%w: %d", ErrTrailing, len(r.src)-r.off))
	}
	return nil
}

// ReadBool reads an Avro boolean. Like Apache Avro's Java decoder, it reads
// any byte other than 1 as false.
func (r *Reader) ReadBool() (bool, error) {
	if r.off < len(r.src) {
		b := r.src[r.off]
		r.off++
		return b == 1, nil
	}
	return false, decodeErr(r.off, ErrShortBuffer)
}

// ReadLong reads an Avro long.
func (r *Reader) ReadLong() (int64, error) {
	if r.off < len(r.src) {
		if b := r.src[r.off]; b < 0x80 {
			r.off++
			return int64(b>>1) ^ -int64(b&1), nil
		}
	}
	return r.readLongSlow()
}

func (r *Reader) readLongSlow() (int64, error) {
	if len(r.src)-r.off >= 8 {
		// Up to eight bytes at once (timestamps take seven or eight):
		// the first byte without the continuation bit ends the varint,
		// and its 7-bit groups are joined pairwise, without a branch.
		x := binary.LittleEndian.Uint64(r.src[r.off:])
		if ends := ^x & 0x8080808080808080; ends != 0 {
			n := bits.TrailingZeros64(ends) + 1 // bits up to the end's
			x &= 1<<n - 1                       // Go's 1<<64 is 0: all of x
			x = x&0x007f007f007f007f | x&0x7f007f007f007f00>>1
			x = x&0x00003fff00003fff | x&0x3fff00003fff0000>>2
			u := x&0x000000000fffffff | x&0x0fffffff00000000>>4
			r.off += n >> 3
			return int64(u>>1) ^ -int64(u&1), nil
		}
	}
	var u uint64
	for i, s := 0, uint(0); ; i, s = i+1, s+7 {
		if r.off+i >= len(r.src) {
			return 0, decodeErr(r.off, ErrShortBuffer)
		}
		b := r.src[r.off+i]
		if i == 9 && b > 1 {
			return 0, decodeErr(r.off, ErrOverflow)
		}
		u |= uint64(b&0x7f) << s
		if b < 0x80 {
			r.off += i + 1
			return int64(u>>1) ^ -int64(u&1), nil
		}
	}
}

// ReadInt reads an Avro int; a value out of the int range is an error.
func (r *Reader) ReadInt() (int32, error) {
	if r.off < len(r.src) {
		if b := r.src[r.off]; b < 0x80 {
			r.off++
			return int32(b>>1) ^ -int32(b&1), nil
		}
	}
	return r.readIntSlow()
}

func (r *Reader) readIntSlow() (int32, error) {
	var u uint64
	for i, s := 0, uint(0); ; i, s = i+1, s+7 {
		if r.off+i >= len(r.src) {
			return 0, decodeErr(r.off, ErrShortBuffer)
		}
		b := r.src[r.off+i]
		if i == 4 && b > 0x0f {
			return 0, decodeErr(r.off, ErrOverflow)
		}
		u |= uint64(b&0x7f) << s
		if b < 0x80 {
			r.off += i + 1
			v := uint32(u)
			return int32(v>>1) ^ -int32(v&1), nil
		}
	}
}

// ReadFloat reads an Avro float.
func (r *Reader) ReadFloat() (float32, error) {
	if len(r.src)-r.off < 4 {
		return 0, decodeErr(r.off, ErrShortBuffer)
	}
	v := math.Float32frombits(binary.LittleEndian.Uint32(r.src[r.off:]))
	r.off += 4
	return v, nil
}

// ReadDouble reads an Avro double.
func (r *Reader) ReadDouble() (float64, error) {
	if len(r.src)-r.off < 8 {
		return 0, decodeErr(r.off, ErrShortBuffer)
	}
	v := math.Float64frombits(binary.LittleEndian.Uint64(r.src[r.off:]))
	r.off += 8
	return v, nil
}

// readLen reads a length prefix and checks it against the remaining input.
func (r *Reader) readLen() (int, error) {
	if r.off < len(r.src) {
		if b := r.src[r.off]; b < 0x80 && b&1 == 0 {
			n := int(b >> 1)
			if n <= len(r.src)-r.off-1 {
				r.off++
				return n, nil
			}
		}
	}
	start := r.off
	n, err := r.ReadLong()
	if err != nil {
		return 0, err
	}
	if left := len(r.src) - r.off; n < 0 || n > int64(left) {
		r.off = start
		return 0, decodeErr(start, fmt.Errorf("%w: %d with %d bytes left", ErrLength, n, left))
	}
	return int(n), nil
}

// span returns the n bytes at the offset, from own, making own first if it
// is not made yet or ends before them.
func (r *Reader) span(n int) []byte {
	start := r.off
	r.off += n
	if r.off > r.lim {
		r.copyFrom(start)
	}
	return r.own[start-r.base : r.off-r.base : r.off-r.base]
}

// copyFrom makes own a copy of the input from offset start: all of it, but
// for the bytes that UseTrim's guess leaves out of the first copy.
// It is not inlined, so that span is.
//
//go:noinline
func (r *Reader) copyFrom(start int) {
	rest := r.src[start:]
	r.trim.short = false
	if r.own == nil && r.trim.leave > 0 {
		if n := max(len(rest)-r.trim.leave, r.off-start); n < len(rest) {
			rest, r.trim.short = rest[:n], true
		}
	}
	// make and copy, which the compiler turns into one allocation that it
	// does not zero.
	own := make([]byte, len(rest))
	copy(own, rest)
	r.own, r.base, r.lim = own, start, start+len(own)
	r.trim.cutting = r.trim.guess != nil
}

// Cut tells r that its caller skipped the input from offset from, at or
// after the end of the last value it read, to r's offset. A Reader with
// UseTrim counts those bytes once it has made its copy, when they are
// worth dropping: at least a sixteenth of the input after them, which
// dropping them moves. When its copy left bytes out, it drops them from it
// by moving the rest of the input over them, so that what follows fits;
// it thus moves at most 16 bytes for each byte it drops. Cut does nothing
// on any other Reader.
func (r *Reader) Cut(from int) {
	if r.trim.cutting && (r.off-from)*dropRatio >= len(r.src)-r.off {
		r.cut(from)
	}
}

// dropRatio is how many bytes of the input after a skipped value Cut
// moves at most for each of its bytes that it drops: a few bytes cost the
// garbage collector less than moving many more costs the decoder.
const dropRatio = 16

// cut is Cut's work, not inlined, so that Cut is.
//
//go:noinline
func (r *Reader) cut(from int) {
	gap := r.off - from
	if from < r.base || gap <= 0 {
		return
	}
	r.trim.cut += gap
	if !r.trim.short {
		return
	}
	// Strings were sliced from own before from and lim, so its bytes
	// there stay.
	keep := min(from, r.lim) - r.base
	n := copy(r.own[keep:], r.src[r.off:])
	r.trim.moved += n
	r.base, r.lim = r.off-keep, r.off+n
}

// ReadString reads an Avro string. The string is sliced from the Reader's
// copy of the input, or from the input itself for an alias Reader.
func (r *Reader) ReadString() (string, error) {
	// Fast path: a short length prefix, within own.
	if i := r.off; i < len(r.src) {
		if b := r.src[i]; b&0x81 == 0 && b != 0 {
			if end := i + 1 + int(b>>1); end <= r.lim {
				r.off = end
				return unsafe.String(&r.own[i+1-r.base], end-i-1), nil
			}
		}
	}
	n, err := r.readLen()
	if err != nil || n == 0 {
		return "", err
	}
	b := r.span(n)
	return unsafe.String(&b[0], n), nil
}

// ReadBytes reads Avro bytes, sliced like ReadString's strings. An empty
// value is a non-nil empty slice.
func (r *Reader) ReadBytes() ([]byte, error) {
	n, err := r.readLen()
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return []byte{}, nil
	}
	return r.span(n), nil
}

// ReadRaw reads a length-prefixed value and returns it aliasing the input
// whatever the Reader's mode: for values that are parsed, not kept (UUIDs,
// decimals, a custom type's text).
func (r *Reader) ReadRaw() ([]byte, error) {
	n, err := r.readLen()
	if err != nil {
		return nil, err
	}
	start := r.off
	r.off += n
	return r.src[start:r.off:r.off], nil
}

// ReadFixed reads n bytes; the result aliases the input, to be copied into
// the fixed's array.
func (r *Reader) ReadFixed(n int) ([]byte, error) {
	if len(r.src)-r.off < n {
		return nil, decodeErr(r.off, ErrShortBuffer)
	}
	start := r.off
	r.off += n
	return r.src[start:r.off:r.off], nil
}

// ReadEnum reads an enum index and checks that it is below n, the number of
// symbols.
func (r *Reader) ReadEnum(n int) (int, error) {
	start := r.off
	v, err := r.ReadInt()
	if err != nil {
		return 0, err
	}
	if v < 0 || int(v) >= n {
		return 0, decodeErr(start, fmt.Errorf("%w: %d of %d symbols", ErrEnumIndex, v, n))
	}
	return int(v), nil
}

// ReadUnion reads a union branch index and checks that it is below n, the
// number of branches.
func (r *Reader) ReadUnion(n int) (int, error) {
	if r.off < len(r.src) {
		if b := r.src[r.off]; b < 0x80 && b&1 == 0 && int(b>>1) < n {
			r.off++
			return int(b >> 1), nil
		}
	}
	start := r.off
	v, err := r.ReadLong()
	if err != nil {
		return 0, err
	}
	if v < 0 || v >= int64(n) {
		return 0, decodeErr(start, fmt.Errorf("%w: %d of %d branches", ErrUnionIndex, v, n))
	}
	return int(v), nil
}

// ReadBlockCount reads the header of an array or map block and returns the
// number of items in the block, 0 for the end of the array or map. A negative
// count, which is followed by the block's size in bytes, is returned as its
// absolute value. minItemBytes is the least number of bytes one item takes on
// the wire (for a map, its key's one byte included); the count is checked
// against the input that remains, so that callers may allocate count items.
func (r *Reader) ReadBlockCount(minItemBytes int) (int, error) {
	start := r.off
	n, err := r.ReadLong()
	if err != nil {
		return 0, err
	}
	if n < 0 {
		if n == math.MinInt64 {
			return 0, decodeErr(start, fmt.Errorf("%w: %d", ErrCount, n))
		}
		n = -n
		sizeAt := r.off
		size, err := r.ReadLong()
		if err != nil {
			return 0, err
		}
		if size < 0 || size > int64(len(r.src)-r.off) {
			return 0, decodeErr(sizeAt, fmt.Errorf("%w: block size %d with %d bytes left", ErrLength, size, len(r.src)-r.off))
		}
	}
	left := int64(len(r.src) - r.off)
	if minItemBytes > 0 {
		if n > left/int64(minItemBytes) {
			return 0, decodeErr(start, fmt.Errorf("%w: %d items with %d bytes left", ErrCount, n, left))
		}
	} else if n > int64(maxZeroSizeItems-r.zero) {
		return 0, decodeErr(start, fmt.Errorf("%w: more than %d items of a type that takes no bytes", ErrCount, maxZeroSizeItems))
	} else {
		r.zero += int(n)
	}
	return int(n), nil
}

// SkipZeroSize counts n items of a type that takes no bytes, which a
// caller skips without ReadBlockCount, against the bound that the Reader
// keeps for those it decodes: one bound for the message, whichever way
// its items are read.
func (r *Reader) SkipZeroSize(n int64) error {
	if n > int64(maxZeroSizeItems-r.zero) {
		return decodeErr(r.off, fmt.Errorf("%w: more than %d items of a type that takes no bytes", ErrCount, maxZeroSizeItems))
	}
	r.zero += int(n)
	return nil
}

// Enter is called by a recursive record's decoder as it starts; it fails
// when the nesting exceeds MaxDepth. Leave must follow a successful Enter.
func (r *Reader) Enter() error {
	r.depth++
	if r.depth > MaxDepth {
		r.depth--
		return decodeErr(r.off, fmt.Errorf("%w: more than %d nested records", ErrDepth, MaxDepth))
	}
	return nil
}

// Leave undoes Enter.
func (r *Reader) Leave() { r.depth-- }

// Rebase is UseCopy with the copy r already uses: it moves base without
// writing own, a pointer, which in a Reader in the heap costs a write
// barrier while the garbage collector marks.
func (r *Reader) Rebase(base int) { r.base, r.lim = base, min(base+len(r.own), len(r.src)) }
