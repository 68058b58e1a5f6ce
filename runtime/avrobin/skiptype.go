package avrobin

import (
	"fmt"
	"math"
)

// SkipKind is the kind of a SkipType.
type SkipKind uint8

// The kinds of SkipType, one per Avro type; string is Bytes.
const (
	SkipNull SkipKind = iota
	SkipBool
	SkipInt
	SkipLong
	SkipFloat
	SkipDouble
	SkipBytes
	SkipFixed
	SkipEnum
	SkipUnion
	SkipRecord
	SkipArray
	SkipMap
)

// SkipType is an Avro type as far as Skip needs it: enough to find where a
// value of it ends. runtime/resolve builds one for each writer type that a
// reader lacks; it must not be modified once in use. Types that hold
// themselves (recursive records) are cyclic.
type SkipType struct {
	Kind SkipKind
	// Size is a fixed type's size, Symbols an enum's symbol count.
	Size, Symbols int
	// Min is the fewest bytes one value takes, to check block counts
	// against the input.
	Min int
	// Elem is an array's or map's items' type.
	Elem *SkipType
	// Branches are a union's branches, Fields a record's fields, in
	// order, named by Names.
	Branches, Fields []*SkipType
	Names            []string
}

// Skip reads past a value of type t in time linear in the bytes skipped:
// a block of array or map items whose size in bytes is given is skipped
// whole, as Avro's own readers skip it, unless all is set, which reads
// every item of every block, as decoding them would (to check that the
// items are valid). Items of a type that takes no bytes count against
// the Reader's bound for them (SkipZeroSize).
func (r *Reader) Skip(t *SkipType, all bool) error {
	switch t.Kind {
	case SkipNull:
		return nil
	case SkipBool:
		return r.SkipBool()
	case SkipInt:
		_, err := r.ReadInt()
		return err
	case SkipLong:
		return r.SkipLong()
	case SkipFloat:
		return r.SkipFloat()
	case SkipDouble:
		return r.SkipDouble()
	case SkipBytes:
		return r.SkipBytes()
	case SkipFixed:
		return r.SkipFixed(t.Size)
	case SkipEnum:
		_, err := r.ReadEnum(t.Symbols)
		return err
	case SkipUnion:
		i, err := r.ReadUnion(len(t.Branches))
		if err != nil {
			return err
		}
		// The usual branches, null and string, without the call.
		switch b := t.Branches[i]; b.Kind {
		case SkipNull:
			return nil
		case SkipBytes:
			return r.SkipBytes()
		default:
			return r.Skip(b, all)
		}
	case SkipRecord:
		if err := r.Enter(); err != nil {
			return err
		}
		for i, f := range t.Fields {
			if err := r.Skip(f, all); err != nil {
				r.Leave()
				return AtField(err, t.Names[i])
			}
		}
		r.Leave()
		return nil
	case SkipArray, SkipMap:
		return r.skipBlocks(t, all)
	}
	return fmt.Errorf("cannot skip kind %d", t.Kind)
}

// skipBlocks skips the blocks of an array or map of type t.
func (r *Reader) skipBlocks(t *SkipType, all bool) error {
	min := t.Elem.Min
	if t.Kind == SkipMap {
		min++ // a key takes a byte
	}
	for {
		n, err := r.ReadLong()
		if err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		if n < 0 {
			// The block's size in bytes follows: skip it whole, or read
			// its items.
			if n == math.MinInt64 {
				return r.DecodeInvalid(fmt.Errorf("%w: %d", ErrCount, n))
			}
			size, err := r.ReadLong()
			if err != nil {
				return err
			}
			if size < 0 || size > int64(r.Remaining()) {
				return r.DecodeInvalid(fmt.Errorf("%w: block size %d with %d bytes left", ErrLength, size, r.Remaining()))
			}
			if min > 0 && -n > size/int64(min) {
				return r.DecodeInvalid(fmt.Errorf("%w: %d items in %d bytes", ErrCount, -n, size))
			}
			if !all {
				if err := r.SkipFixed(int(size)); err != nil {
					return err
				}
				continue
			}
			n = -n
		}
		if min > 0 && (n > int64(r.Remaining()) || min > 1 && n > int64(r.Remaining()/min)) {
			return r.DecodeInvalid(fmt.Errorf("%w: %d items with %d bytes left", ErrCount, n, r.Remaining()))
		}
		if min == 0 {
			if err := r.SkipZeroSize(n); err != nil {
				return err
			}
		}
		if t.Kind == SkipArray && t.Elem.Kind == SkipBytes {
			// An array of strings, without a call per item.
			for range n {
				if err := r.SkipBytes(); err != nil {
					return err
				}
			}
			continue
		}
		for range n {
			if t.Kind == SkipMap {
				if err := r.SkipBytes(); err != nil {
					return err
				}
			}
			if err := r.Skip(t.Elem, all); err != nil {
				return err
			}
		}
	}
}
