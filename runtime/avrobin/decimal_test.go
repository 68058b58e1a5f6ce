package avrobin

import (
	"math"
	"math/big"
	"math/rand/v2"
	"runtime"
	"testing"
)

// refDecimal is DecimalFromBytes as the definition says, with no shortcut.
func refDecimal(b []byte, scale int) *big.Rat {
	x := new(big.Int).SetBytes(b)
	if len(b) > 0 && b[0]&0x80 != 0 {
		x.Sub(x, new(big.Int).Lsh(big.NewInt(1), uint(len(b)*8)))
	}
	d := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale)), nil)
	return new(big.Rat).SetFrac(x, d)
}

func TestDecimalFromBytes_MatchesDefinition(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	values := [][]byte{
		{}, {0}, {0xff}, {0x80}, {0x7f}, {0, 0, 0, 5}, {0xff, 0xff, 0xfe},
		{0x80, 0, 0, 0, 0, 0, 0, 0}, {0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
		{0, 0x80, 0, 0, 0, 0, 0, 0, 0}, {0xff, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
	}
	for _, v := range []int64{1, 5, 25, 1000, 2 << 40, 5 * 5 * 5 * 5 * 5 * 1024, math.MaxInt64, math.MinInt64, -3125, 7450580596923828125} {
		values = append(values, big.NewInt(v).FillBytes(make([]byte, 8)))
	}
	for range 300 {
		b := make([]byte, 1+rng.IntN(20))
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		values = append(values, b)
	}
	for _, scale := range []int{0, 1, 2, 10, 18, 19, 20, 38, 63, 64, 200, 1000} {
		for _, b := range values {
			if got, want := DecimalFromBytes(b, scale), refDecimal(b, scale); got.Cmp(want) != 0 || got.String() != want.String() {
				t.Fatalf("DecimalFromBytes(%x, %d) = %s, want %s", b, scale, got, want)
			}
			// The result must be a Rat like any other: arithmetic on it
			// gives the same as on the reference.
			got := DecimalFromBytes(b, scale)
			got.Add(got, big.NewRat(1, 3))
			if want := new(big.Rat).Add(refDecimal(b, scale), big.NewRat(1, 3)); got.Cmp(want) != 0 {
				t.Fatalf("DecimalFromBytes(%x, %d) + 1/3 = %s, want %s", b, scale, got, want)
			}
		}
	}
	// The shared powers of ten are not modified by the values made from them.
	if pow10(1000).Cmp(new(big.Int).Exp(big.NewInt(10), big.NewInt(1000), nil)) != 0 {
		t.Error("pow10(1000) was modified")
	}
}

// A decimal of the largest precision evc accepts allocates little more than
// its denominator: what keeps decoding within the fuzz bound of 256 bytes
// per input byte, for values of two bytes.
func TestDecimalFromBytes_Allocation(t *testing.T) {
	pow10(1000)
	var sink *big.Rat
	for _, tc := range []struct {
		b     []byte
		scale int
		max   float64
	}{
		{[]byte{1}, 1000, 512},
		{[]byte{0}, 1000, 64},
		{[]byte{0x12, 0x34}, 10, 96},
	} {
		n := testing.AllocsPerRun(10, func() { sink = DecimalFromBytes(tc.b, tc.scale) })
		var a, b runtimeMem
		a.read()
		for range 100 {
			sink = DecimalFromBytes(tc.b, tc.scale)
		}
		b.read()
		per := float64(b.total-a.total) / 100
		t.Logf("DecimalFromBytes(%x, %d): %.0f bytes in %v allocations", tc.b, tc.scale, per, n)
		if per > tc.max {
			t.Errorf("DecimalFromBytes(%x, %d): %.0f bytes in %v allocations, want at most %.0f", tc.b, tc.scale, per, n, tc.max)
		}
	}
	_ = sink
}

type runtimeMem struct{ total uint64 }

func (m *runtimeMem) read() {
	var s runtime.MemStats
	runtime.ReadMemStats(&s)
	m.total = s.TotalAlloc
}
