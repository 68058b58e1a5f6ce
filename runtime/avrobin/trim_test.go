package avrobin

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// trimItem is a string of a message that trimRead reads, or skips and cuts.
type trimItem struct {
	s    string
	skip bool
}

func trimMessage(items []trimItem) []byte {
	var b []byte
	for _, it := range items {
		b = str(b, it.s)
	}
	return b
}

// trimRead decodes items from r as a resolving decoder would: the strings
// it keeps read, the others skipped and cut. It returns the strings read,
// appended to got.
func trimRead(t *testing.T, r *Reader, items []trimItem, got []string) []string {
	t.Helper()
	for i, it := range items {
		if it.skip {
			from := r.Offset()
			if err := r.SkipBytes(); err != nil {
				t.Fatalf("item %d: %v", i, err)
			}
			r.Cut(from)
			continue
		}
		s, err := r.ReadString()
		if err != nil || s != it.s {
			t.Fatalf("item %d: %q, %v; want %q", i, s, err, it.s)
		}
		got = append(got, s)
	}
	if err := r.Done(nil, "m"); err != nil {
		t.Fatal(err)
	}
	return got
}

// kept returns the strings of items that trimRead reads.
func kept(items []trimItem) []string {
	var out []string
	for _, it := range items {
		if !it.skip {
			out = append(out, it.s)
		}
	}
	return out
}

// TestReader_Trim: a Reader with UseTrim leaves what its caller skips out
// of its one copy when the guess is right, makes a second copy when it is
// too large, and its strings are its own copy's, right after every cut.
func TestReader_Trim(t *testing.T) {
	long := string(bytes.Repeat([]byte("z"), 200))
	items := []trimItem{
		{"id", true}, // before the first string: never in the copy
		{"hello", false},
		{"s", true}, // 2 bytes before 200 and more: not worth moving them for
		{string(bytes.Repeat([]byte("x"), 20)), true},
		{"world", false},
		{long, true}, // a two-byte length
		{"!", false},
		{"yy", true},
	}
	data := trimMessage(items)
	const first = 4          // the offset of "hello"'s bytes
	const cut = 21 + 202 + 3 // what is cut after them
	keep := len(data) - first - cut
	for _, c := range []struct {
		name   string
		guess  int
		copies int // allocations
		own    int // the length of the last copy
	}{
		{"no guess", 0, 1, len(data) - first},
		{"a smaller guess", 100, 1, len(data) - first - 100},
		// Less than an eighth of the message: not worth the moves.
		{"a guess too small to use", len(data)/trimRatio - 1, 1, len(data) - first},
		{"the smallest guess used", (len(data) + trimRatio - 1) / trimRatio, 1, len(data) - first - (len(data)+trimRatio-1)/trimRatio},
		{"the right guess", cut, 1, keep},
		{"too large a guess", cut + 1, 2, 0}, // the second copy starts at a later string
		{"larger than the input", 1 << 20, 2, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			var trim Trim
			trim.leave.Store(int64(c.guess))
			var r Reader
			buf := make([]string, 0, len(items))
			allocs := testing.AllocsPerRun(10, func() {
				trim.leave.Store(int64(c.guess))
				r = NewReader(data)
				r.UseTrim(&trim)
				trimRead(t, &r, items, buf[:0])
			})
			if int(allocs) != c.copies {
				t.Errorf("%v allocations, want %d", allocs, c.copies)
			}
			if c.own != 0 && len(r.own) != c.own {
				t.Errorf("a copy of %d bytes, want %d", len(r.own), c.own)
			}
			if r.trim.cut != cut {
				t.Errorf("%d bytes cut, want %d", r.trim.cut, cut)
			}
			// The strings are the copy's, not the input's.
			in := bytes.Clone(data)
			r = NewReader(in)
			r.UseTrim(&trim)
			got := trimRead(t, &r, items, nil)
			clear(in)
			if fmt.Sprint(got) != fmt.Sprint(kept(items)) {
				t.Errorf("after the input changed: %q", got)
			}
		})
	}
}

// TestReader_CutWithoutTrim: Cut leaves the copy of any other Reader
// whole, and an alias Reader's input its own.
func TestReader_CutWithoutTrim(t *testing.T) {
	items := []trimItem{{"a", false}, {"skipped", true}, {"b", false}}
	data := trimMessage(items)
	r := NewReader(data)
	trimRead(t, &r, items, nil)
	if len(r.own) != len(data)-1 || r.trim.cut != 0 {
		t.Errorf("copy of %d bytes, %d cut; want the %d from the first string, none cut", len(r.own), r.trim.cut, len(data)-1)
	}
	a := NewAliasReader(data)
	trimRead(t, &a, items, nil)
	if &a.own[0] != &data[0] {
		t.Error("the alias Reader's strings are not the input's")
	}
}

// TestTrim_Learn: the guess goes down to a message's cut at once and up by
// a quarter of the difference, to the cut itself.
func TestTrim_Learn(t *testing.T) {
	var tr Trim
	var got []int64
	for _, cut := range []int{43, 43, 43, 43, 43, 43, 43, 43, 43, 43, 43, 1, 19} {
		tr.learn(cut)
		got = append(got, tr.leave.Load())
	}
	want := []int64{11, 19, 25, 30, 34, 37, 39, 40, 41, 42, 43, 1, 6}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("guesses %v, want %v", got, want)
	}
	// A Reader that fails teaches nothing.
	r := NewReader([]byte{2, 'a', 0})
	r.UseTrim(&tr)
	if _, err := r.ReadString(); err != nil {
		t.Fatal(err)
	}
	if err := r.Done(nil, "m"); err == nil {
		t.Fatal("trailing byte: no error")
	}
	if tr.leave.Load() != 6 {
		t.Errorf("guess %d after a failed message, want 6", tr.leave.Load())
	}
}

// TestReader_CutMovesLinearly: a message of many values skipped between
// strings, with a guess as large as all of them, moves at most dropRatio
// bytes for each byte it drops, and still decodes.
func TestReader_CutMovesLinearly(t *testing.T) {
	var items []trimItem
	for i := range 2000 {
		items = append(items, trimItem{fmt.Sprint(i), false}, trimItem{"skipped", true})
	}
	data := trimMessage(items)
	var tr Trim
	tr.leave.Store(8 * 2000)
	r := NewReader(data)
	r.UseTrim(&tr)
	got := trimRead(t, &r, items, nil)
	if fmt.Sprint(got) != fmt.Sprint(kept(items)) {
		t.Fatal("strings differ")
	}
	if r.trim.cut == 0 || r.trim.moved > dropRatio*r.trim.cut {
		t.Errorf("%d bytes moved for %d cut", r.trim.moved, r.trim.cut)
	}
}

// FuzzTrim reads any input with a sequence of string reads and skips (ops:
// a set bit skips) through a Reader with UseTrim and any guess, and through
// an alias Reader: every read gives the same string or error at the same
// offset, and the strings stay the same when the input changes after.
func FuzzTrim(f *testing.F) {
	f.Add(trimMessage([]trimItem{{"id", true}, {"hello", false}, {"xxxxxxxx", true}, {"world", false}}), []byte{0b1010}, uint16(9))
	f.Add(trimMessage([]trimItem{{"a", false}, {"bb", true}, {"c", false}}), []byte{0b010}, uint16(100))
	f.Add([]byte{0x80, 0x01, 'x'}, []byte{0}, uint16(1))
	f.Fuzz(func(t *testing.T, data, ops []byte, guess uint16) {
		if len(ops) > 64 {
			ops = ops[:64]
		}
		in := bytes.Clone(data)
		var tr Trim
		tr.leave.Store(int64(guess))
		r, a := NewReader(in), NewAliasReader(data)
		r.UseTrim(&tr)
		var got, want []string
		for i := range 8 * len(ops) {
			if ops[i/8]>>(i%8)&1 == 1 {
				from := r.Offset()
				rerr, aerr := r.SkipBytes(), a.SkipBytes()
				if fmt.Sprint(rerr) != fmt.Sprint(aerr) || r.Offset() != a.Offset() {
					t.Fatalf("op %d, skip: %v at %d, alias %v at %d", i, rerr, r.Offset(), aerr, a.Offset())
				}
				if rerr != nil {
					break
				}
				r.Cut(from)
				continue
			}
			rs, rerr := r.ReadString()
			as, aerr := a.ReadString()
			if rs != as || fmt.Sprint(rerr) != fmt.Sprint(aerr) || r.Offset() != a.Offset() {
				t.Fatalf("op %d: %q, %v at %d; alias %q, %v at %d", i, rs, rerr, r.Offset(), as, aerr, a.Offset())
			}
			if rerr != nil {
				break
			}
			got, want = append(got, rs), append(want, strings.Clone(as))
		}
		if r.trim.moved > dropRatio*r.trim.cut || r.trim.cut > len(data) {
			t.Errorf("%d bytes moved for %d cut, of an input of %d", r.trim.moved, r.trim.cut, len(data))
		}
		clear(in)
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("string %d is %q after the input changed, want %q", i, got[i], want[i])
			}
		}
	})
}
