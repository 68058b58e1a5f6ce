package avrobin

import (
	"encoding/hex"
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"sync"
	"sync/atomic"
	"time"
)

const secondsPerDay = 86400

// DateFromDays returns the UTC midnight that an Avro date (days since the
// Unix epoch) stands for.
func DateFromDays(days int32) time.Time {
	return time.Unix(int64(days)*secondsPerDay, 0).UTC()
}

// AppendDate appends t as an Avro date: the days since the Unix epoch of
// t's calendar date in t's own location (so midnight in Paris is that day,
// not the day before in UTC). A day out of the int range is an error.
func AppendDate(dst []byte, t time.Time) ([]byte, error) {
	y, m, day := t.Date()
	s := time.Date(y, m, day, 0, 0, 0, 0, time.UTC).Unix()
	d := s / secondsPerDay
	if s%secondsPerDay < 0 {
		d--
	}
	if d < math.MinInt32 || d > math.MaxInt32 {
		return dst, Invalidf("date %s is out of range", t.Format(time.DateOnly))
	}
	return AppendInt(dst, int32(d)), nil
}

// ReadDate reads an Avro date.
func (r *Reader) ReadDate() (time.Time, error) {
	d, err := r.ReadInt()
	return DateFromDays(d), err
}

// AppendTimestampMillis appends t as milliseconds since the Unix epoch.
func AppendTimestampMillis(dst []byte, t time.Time) []byte { return AppendLong(dst, t.UnixMilli()) }

// AppendTimestampMicros appends t as microseconds since the Unix epoch.
func AppendTimestampMicros(dst []byte, t time.Time) []byte { return AppendLong(dst, t.UnixMicro()) }

// wallUTC returns the time whose UTC wall clock is t's wall clock in its
// own location: what a local timestamp stores.
func wallUTC(t time.Time) time.Time {
	if t.Location() == time.UTC {
		return t
	}
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	return time.Date(y, mo, d, h, mi, s, t.Nanosecond(), time.UTC)
}

// AppendLocalTimestampMillis appends t's wall clock, in its own location, as
// milliseconds since the Unix epoch read as UTC (Avro's
// local-timestamp-millis).
func AppendLocalTimestampMillis(dst []byte, t time.Time) []byte {
	return AppendLong(dst, wallUTC(t).UnixMilli())
}

// AppendLocalTimestampMicros is AppendLocalTimestampMillis in microseconds.
func AppendLocalTimestampMicros(dst []byte, t time.Time) []byte {
	return AppendLong(dst, wallUTC(t).UnixMicro())
}

// ReadTimestampMillis reads a timestamp-millis (or local-timestamp-millis) as
// a UTC time.
func (r *Reader) ReadTimestampMillis() (time.Time, error) {
	v, err := r.ReadLong()
	if err != nil {
		return time.Time{}, err
	}
	return time.UnixMilli(v).UTC(), nil
}

// ReadTimestampMicros reads a timestamp-micros (or local-timestamp-micros)
// as a UTC time.
func (r *Reader) ReadTimestampMicros() (time.Time, error) {
	v, err := r.ReadLong()
	if err != nil {
		return time.Time{}, err
	}
	return time.UnixMicro(v).UTC(), nil
}

// AppendTimeMillis appends d as an Avro time-millis: whole milliseconds, as
// an int; a d out of the int range is an error.
func AppendTimeMillis(dst []byte, d time.Duration) ([]byte, error) {
	ms := d / time.Millisecond
	if ms < math.MinInt32 || ms > math.MaxInt32 {
		return dst, Invalidf("time-millis %s is out of range", d)
	}
	return AppendInt(dst, int32(ms)), nil
}

// ReadTimeMillis reads an Avro time-millis.
func (r *Reader) ReadTimeMillis() (time.Duration, error) {
	v, err := r.ReadInt()
	return time.Duration(v) * time.Millisecond, err
}

// AppendTimeMicros appends d as an Avro time-micros: whole microseconds.
func AppendTimeMicros(dst []byte, d time.Duration) []byte {
	return AppendLong(dst, int64(d/time.Microsecond))
}

// ReadTimeMicros reads an Avro time-micros; a value too large for a
// time.Duration is an error.
func (r *Reader) ReadTimeMicros() (time.Duration, error) {
	start := r.off
	v, err := r.ReadLong()
	if err != nil {
		return 0, err
	}
	if v > math.MaxInt64/1000 || v < math.MinInt64/1000 {
		return 0, decodeErr(start, fmt.Errorf("%w: time-micros %d overflows a time.Duration", ErrOverflow, v))
	}
	return time.Duration(v) * time.Microsecond, nil
}

// UUID is a universally unique identifier, the Go type of the Avro uuid
// logical type on a string. It is carried as its 36-character text form.
type UUID [16]byte

// String returns u in the canonical lower-case form,
// xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx.
func (u UUID) String() string { return string(u.appendText(make([]byte, 0, 36))) }

func (u UUID) appendText(dst []byte) []byte {
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:], u[10:])
	return append(dst, b[:]...)
}

// MarshalText returns u's canonical text form.
func (u UUID) MarshalText() ([]byte, error) { return u.appendText(nil), nil }

// UnmarshalText parses a UUID in the 36-character form, in either case.
func (u *UUID) UnmarshalText(b []byte) error {
	v, err := parseUUID(b)
	if err != nil {
		return err
	}
	*u = v
	return nil
}

// ParseUUID parses a UUID in the 36-character form, in either case.
func ParseUUID(s string) (UUID, error) { return parseUUID([]byte(s)) }

func parseUUID(b []byte) (UUID, error) {
	var u UUID
	if len(b) != 36 || b[8] != '-' || b[13] != '-' || b[18] != '-' || b[23] != '-' {
		return u, fmt.Errorf("%w: uuid %q is not of the form xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", ErrInvalid, b)
	}
	j := 0
	for i := 0; i < 36; i += 2 {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			i--
			continue
		}
		hi, ok1 := unhex(b[i])
		lo, ok2 := unhex(b[i+1])
		if !ok1 || !ok2 {
			return UUID{}, fmt.Errorf("%w: uuid %q has a character that is not hexadecimal", ErrInvalid, b)
		}
		u[j] = hi<<4 | lo
		j++
	}
	return u, nil
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// AppendUUID appends u as an Avro uuid string.
func AppendUUID(dst []byte, u UUID) []byte {
	return u.appendText(append(dst, 36<<1))
}

// ReadUUID reads an Avro uuid string.
func (r *Reader) ReadUUID() (UUID, error) {
	start := r.off
	b, err := r.ReadRaw()
	if err != nil {
		return UUID{}, err
	}
	u, err := parseUUID(b)
	if err != nil {
		return UUID{}, decodeErr(start, err)
	}
	return u, nil
}

// pow10 returns 10^n, computed once per n and shared: callers must not
// modify it. Decoding a decimal needs its type's 10^scale for every value.
func pow10(n int) *big.Int {
	if n < len(pow10Small) {
		if p := pow10Small[n].Load(); p != nil {
			return p
		}
		p := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
		pow10Small[n].Store(p)
		return p
	}
	if p, ok := pow10Large.Load(n); ok {
		return p.(*big.Int)
	}
	p, _ := pow10Large.LoadOrStore(n, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil))
	return p.(*big.Int)
}

// pow10u64 and pow5u64 are the powers of 10 and 5 that fit in a uint64; a
// uint64 has at most 27 factors 5.
var (
	pow10u64 = [...]uint64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19}
	pow5u64  = func() (p [28]uint64) {
		p[0] = 1
		for i := 1; i < len(p); i++ {
			p[i] = p[i-1] * 5
		}
		return p
	}()
)

var (
	pow10Small [64]atomic.Pointer[big.Int]
	pow10Large sync.Map // int -> *big.Int
)

// unscaled returns v * 10^scale, which must be an integer of at most
// precision digits.
func unscaled(v *big.Rat, precision, scale int) (*big.Int, error) {
	if v == nil {
		return new(big.Int), nil
	}
	n := new(big.Int).Mul(pow10(scale), v.Num())
	q, m := new(big.Int).QuoRem(n, v.Denom(), new(big.Int))
	if m.Sign() != 0 {
		return nil, Invalidf("decimal %s has more than %d decimal places", v.RatString(), scale)
	}
	// |q| < 2^(3p) <= 10^p needs no power of ten.
	if q.BitLen() > 3*precision && q.CmpAbs(pow10(precision)) >= 0 {
		digits := len(new(big.Int).Abs(q).String())
		return nil, Invalidf("decimal %s has %d digits, more than its precision %d", v.FloatString(scale), digits, precision)
	}
	return q, nil
}

// twos returns x in big-endian two's complement in size bytes, or in
// bitlen(|x|)/8+1 bytes when size is 0 (the length python3-avro writes; it
// is minimal except for some negative powers of two, -128 taking ff80).
func twos(x *big.Int, size int) ([]byte, bool) {
	n := x.BitLen()/8 + 1
	if size == 0 {
		size = n
	}
	if x.Sign() >= 0 {
		if x.BitLen() > size*8-1 {
			return nil, false
		}
		return x.FillBytes(make([]byte, size)), true
	}
	// -x must fit in size*8-1 bits, or be exactly 2^(size*8-1).
	m := new(big.Int).Lsh(big.NewInt(1), uint(size*8))
	m.Add(m, x)
	if m.Sign() < 0 || m.BitLen() != size*8 {
		return nil, false
	}
	return m.FillBytes(make([]byte, size)), true
}

// AppendDecimal appends v as an Avro decimal(precision, scale) on bytes. v
// must have at most scale decimal places and at most precision digits in
// all: readers take the declared precision at its word (python3-avro reads
// 123456789012.34 written as a decimal(10,2) back as 123456789000.00, and
// Java refuses to write it), so either excess is an ErrInvalid error. A nil
// v is zero.
func AppendDecimal(dst []byte, v *big.Rat, precision, scale int) ([]byte, error) {
	x, err := unscaled(v, precision, scale)
	if err != nil {
		return dst, err
	}
	b, _ := twos(x, 0)
	return AppendBytes(dst, b), nil
}

// AppendDecimalFixed appends v as an Avro decimal(precision, scale) on a
// fixed of size bytes, with AppendDecimal's checks.
func AppendDecimalFixed(dst []byte, v *big.Rat, precision, scale, size int) ([]byte, error) {
	x, err := unscaled(v, precision, scale)
	if err != nil {
		return dst, err
	}
	b, ok := twos(x, size)
	if !ok {
		return dst, Invalidf("decimal %s does not fit in %d bytes", v.RatString(), size)
	}
	return append(dst, b...), nil
}

// DecimalFromBytes returns the decimal whose unscaled value is b, big-endian
// two's complement.
func DecimalFromBytes(b []byte, scale int) *big.Rat {
	// Drop the bytes that only extend the sign, so that most values take
	// the int64 path whatever the size of their fixed.
	for len(b) > 1 && (b[0] == 0 && b[1]&0x80 == 0 || b[0] == 0xff && b[1]&0x80 != 0) {
		b = b[1:]
	}
	if len(b) <= 8 {
		var v int64
		if len(b) > 0 {
			v = int64(int8(b[0]))
			for _, c := range b[1:] {
				v = v<<8 | int64(c)
			}
		}
		return scaledRat(v, scale)
	}
	x := new(big.Int).SetBytes(b)
	if b[0]&0x80 != 0 {
		x.Sub(x, new(big.Int).Lsh(big.NewInt(1), uint(len(b)*8)))
	}
	return new(big.Rat).SetFrac(x, pow10(scale))
}

// scaledRat returns v / 10^scale, building the fraction in lowest terms
// itself: the common factors of v and 10^scale are v's factors 2 and 5, so
// no GCD of a large denominator is needed, and the Rat costs one allocation
// for itself, one for its denominator and one word.
func scaledRat(v int64, scale int) *big.Rat {
	z := new(big.Rat)
	if v == 0 {
		return z
	}
	u := uint64(v)
	if v < 0 {
		u = -u
	}
	twos := min(bits.TrailingZeros64(u), scale)
	u >>= twos
	fives := 0
	for fives < scale && u%5 == 0 {
		u /= 5
		fives++
	}
	// The denominator, 10^scale / (2^twos * 5^fives), goes in the
	// numerator first: Inv then swaps the two without normalising.
	d := z.Num()
	if scale < len(pow10u64) {
		d.SetUint64(pow10u64[scale] >> twos / pow5u64[fives])
	} else {
		p := pow10(scale)
		// Give d exactly the words it needs: Rsh alone would ask for spare
		// capacity, which for the largest scale costs a larger size class.
		d.SetBits(make([]big.Word, len(p.Bits())))
		d.Rsh(p, uint(twos))
		if fives > 0 {
			d.Quo(d, new(big.Int).SetUint64(pow5u64[fives]))
		}
	}
	z.Inv(z)
	z.Num().SetUint64(u)
	if v < 0 {
		z.Neg(z)
	}
	return z
}

// ReadDecimal reads an Avro decimal on bytes.
func (r *Reader) ReadDecimal(scale int) (*big.Rat, error) {
	b, err := r.ReadRaw()
	if err != nil {
		return nil, err
	}
	return DecimalFromBytes(b, scale), nil
}

// ReadDecimalFixed reads an Avro decimal on a fixed of size bytes.
func (r *Reader) ReadDecimalFixed(scale, size int) (*big.Rat, error) {
	b, err := r.ReadFixed(size)
	if err != nil {
		return nil, err
	}
	return DecimalFromBytes(b, scale), nil
}
