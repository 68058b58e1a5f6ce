package avro

import (
	"math/bits"
	"sync"

	"github.com/evc-dev/evc/ir"
)

// Fingerprints gives the CRC-64-AVRO fingerprints of named types' Parsing
// Canonical Forms, as Canonical does, without writing the whole forms out.
// A type's whole form holds the whole form of every type it uses, so
// building each one costs time and memory that grow with the square of the
// types' nesting (a chain of 1,000 records nested in one another: 90 MB of
// canonical text). A fingerprint is a CRC, and the CRC of two texts one
// after the other follows from their CRCs and the second's length; so a
// nested type's part of the form is fingerprinted once and combined into
// every form that writes it the same way. It writes the same way wherever
// none of the types it reaches was written before it: it is then written
// out whole, as in its own form, and the parts are remembered for exactly
// that case.
//
// A Fingerprints keeps what it computed; it is not safe for concurrent use.
type Fingerprints struct {
	own   map[*ir.Named]*Own
	index map[*ir.Named]int
	// reach[i] is the set of the types that the type of index i reaches,
	// itself included.
	reach map[*ir.Named]bitset
	// alone is the CRC (from a zero register) and length of a type's
	// form written where none of the types it reaches was written before.
	alone map[*ir.Named]crcPart
	// hashed counts the bytes run through the CRC, for tests.
	hashed int
}

type crcPart struct {
	crc uint64
	n   int
}

// NewFingerprints returns an empty Fingerprints.
func NewFingerprints() *Fingerprints {
	return &Fingerprints{
		own:   map[*ir.Named]*Own{},
		index: map[*ir.Named]int{},
		reach: map[*ir.Named]bitset{},
		alone: map[*ir.Named]crcPart{},
	}
}

// Own is OwnDef, remembered.
func (fs *Fingerprints) Own(n *ir.Named) (*Own, error) {
	if o, ok := fs.own[n]; ok {
		return o, nil
	}
	o, err := OwnDef(n)
	if err != nil {
		return nil, err
	}
	fs.own[n] = &o
	return &o, nil
}

// Of returns the fingerprint of n's Parsing Canonical Form: the one
// Canonical returns.
func (fs *Fingerprints) Of(n *ir.Named) (uint64, error) {
	p, err := fs.part(n)
	if err != nil {
		return 0, err
	}
	return crcShift(rabinEmpty, p.n) ^ p.crc, nil
}

// part returns n's form written where nothing it reaches was written before.
func (fs *Fingerprints) part(n *ir.Named) (crcPart, error) {
	if p, ok := fs.alone[n]; ok {
		return p, nil
	}
	if err := fs.number(n); err != nil {
		return crcPart{}, err
	}
	w := formCRC{fs: fs, seen: newBitset(len(fs.index))}
	if err := w.open(n); err != nil {
		return crcPart{}, err
	}
	p := crcPart{w.crc, w.n}
	fs.alone[n] = p
	return p, nil
}

// formCRC computes the CRC of a form as Canonical would write it, from
// the types' own definitions.
type formCRC struct {
	fs   *Fingerprints
	seen bitset
	crc  uint64
	n    int
}

func (w *formCRC) write(s string) {
	w.crc, w.n = rabinUpdate(w.crc, s), w.n+len(s)
	w.fs.hashed += len(s)
}

// named writes n, which has not been written yet: its part when nothing it
// reaches has been, its own definition around the types it uses otherwise.
func (w *formCRC) named(n *ir.Named) error {
	reach := w.fs.reach[n]
	if w.seen.meets(reach) {
		return w.open(n)
	}
	p, err := w.fs.part(n)
	if err != nil {
		return err
	}
	w.crc = crcShift(w.crc, p.n) ^ p.crc
	w.n += p.n
	w.seen.or(reach)
	return nil
}

// open writes n's own definition, and the types it uses where they go.
func (w *formCRC) open(n *ir.Named) error {
	w.seen.set(w.fs.index[n])
	own, err := w.fs.Own(n)
	if err != nil {
		return err
	}
	for i, piece := range own.Canonical {
		w.write(piece)
		if i == len(own.Uses) {
			break
		}
		u := own.Uses[i]
		if w.seen.has(w.fs.index[u]) {
			w.write(ir.QuoteJSON(u.FullName()))
			continue
		}
		if err := w.named(u); err != nil {
			return err
		}
	}
	return nil
}

// number numbers every type that n reaches and records what each reaches.
// A type's reach is its own and that of the types it uses: within a cycle
// every type reaches the same ones, so the types are taken a strongly
// connected component at a time, in the order Tarjan's algorithm finishes
// them, in which a component comes after every component it reaches.
func (fs *Fingerprints) number(n *ir.Named) error {
	if _, ok := fs.reach[n]; ok {
		return nil
	}
	// Bitsets made before are shorter than the types numbered now; a
	// bitset reads as zeros beyond its end.
	t := tarjan{fs: fs, low: map[*ir.Named]int{}, order: map[*ir.Named]int{}, on: map[*ir.Named]bool{}}
	return t.visit(n)
}

type tarjan struct {
	fs    *Fingerprints
	low   map[*ir.Named]int
	order map[*ir.Named]int
	stack []*ir.Named
	on    map[*ir.Named]bool
}

func (t *tarjan) visit(n *ir.Named) error {
	own, err := t.fs.Own(n)
	if err != nil {
		return err
	}
	if _, ok := t.fs.index[n]; !ok {
		t.fs.index[n] = len(t.fs.index)
	}
	t.order[n] = len(t.order)
	t.low[n] = t.order[n]
	t.stack = append(t.stack, n)
	t.on[n] = true
	for _, u := range own.Uses {
		if _, done := t.fs.reach[u]; done {
			continue
		}
		if _, visited := t.order[u]; !visited {
			if err := t.visit(u); err != nil {
				return err
			}
			t.low[n] = min(t.low[n], t.low[u])
		} else if t.on[u] {
			t.low[n] = min(t.low[n], t.order[u])
		}
	}
	if t.low[n] != t.order[n] {
		return nil
	}
	// n is the root of a component: pop it, and give every member the
	// component's reach.
	i := len(t.stack) - 1
	for t.stack[i] != n {
		i--
	}
	members := t.stack[i:]
	t.stack = t.stack[:i]
	var reach bitset
	for _, m := range members {
		t.on[m] = false
		reach.set(t.fs.index[m])
	}
	for _, m := range members {
		own, _ := t.fs.Own(m)
		for _, u := range own.Uses {
			if r, ok := t.fs.reach[u]; ok {
				reach.or(r)
			}
		}
	}
	for _, m := range members {
		t.fs.reach[m] = reach
	}
	return nil
}

// bitset is a set of type indexes.
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

func (b *bitset) set(i int) {
	for len(*b) <= i/64 {
		*b = append(*b, 0)
	}
	(*b)[i/64] |= 1 << (i % 64)
}

func (b bitset) has(i int) bool { return i/64 < len(b) && b[i/64]&(1<<(i%64)) != 0 }

func (b *bitset) or(c bitset) {
	for len(*b) < len(c) {
		*b = append(*b, 0)
	}
	for i, w := range c {
		(*b)[i] |= w
	}
}

func (b bitset) meets(c bitset) bool {
	for i := range min(len(b), len(c)) {
		if b[i]&c[i] != 0 {
			return true
		}
	}
	return false
}

// crcShift returns the register crc after n zero bytes more: how a CRC
// computed over a text moves when n bytes follow it. The register after a
// text A then a text B is crcShift(after A, len(B)) XOR B's CRC from a zero
// register, since the CRC is linear in its register.
func crcShift(crc uint64, n int) uint64 {
	zeros := zeroBytes()
	for k := 0; n != 0; k, n = k+1, n>>1 {
		if n&1 != 0 {
			crc = zeros[k].apply(crc)
		}
	}
	return crc
}

// gf2Matrix is a linear map of 64-bit registers over GF(2): column i is the
// image of bit i.
type gf2Matrix [64]uint64

func (m *gf2Matrix) apply(v uint64) uint64 {
	var r uint64
	for v != 0 {
		i := bits.TrailingZeros64(v)
		r ^= m[i]
		v &= v - 1
	}
	return r
}

// zeroBytes returns the maps of 2^k zero bytes, k = 0 to 62.
var zeroBytes = sync.OnceValue(func() *[63]gf2Matrix {
	var z [63]gf2Matrix
	for i := range 64 {
		v := uint64(1) << i
		z[0][i] = (v >> 8) ^ rabinTable[byte(v)]
	}
	for k := 1; k < len(z); k++ {
		for i := range 64 {
			z[k][i] = z[k-1].apply(z[k-1][i])
		}
	}
	return &z
})
