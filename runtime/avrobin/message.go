package avrobin

import "unsafe"

// The helpers below are the bodies of the methods every generated record
// has, written once here instead of in each record.

// Appended finishes a generated record's AppendAvro: out and err are what
// its encoder returned after appending to dst. On error it returns dst as
// it was, and the error with the record's full name.
func Appended(dst, out []byte, err error, typ string) ([]byte, error) {
	if err != nil {
		return dst, InType(err, typ)
	}
	return out, nil
}

// Done finishes a generated record's UnmarshalAvro: err is what its decoder
// returned. Done checks that no input remains, and names the record in the
// error; a Reader with UseTrim teaches its Trim what the message cut.
func (r *Reader) Done(err error, typ string) error {
	if err == nil {
		err = r.Finish()
	}
	if err != nil {
		return InType(err, typ)
	}
	if r.trim.guess != nil {
		r.trim.guess.learn(r.trim.cut)
	}
	return nil
}

// ReadEnum reads the index of a symbol of an enum of n symbols as E, the
// enum's generated type.
func ReadEnum[E ~int32](r *Reader, n int) (E, error) {
	v, err := r.ReadEnum(n)
	return E(v), err
}

// ReadFixedTo reads len(dst) bytes into dst: the array of a fixed.
func (r *Reader) ReadFixedTo(dst []byte) error {
	b, err := r.ReadFixed(len(dst))
	copy(dst, b)
	return err
}

// AppendEnum appends the index of a symbol of an enum of n symbols, E being
// the enum's generated type; a value that is no symbol is an error.
func AppendEnum[E ~int32](dst []byte, e E, n int, enum string) ([]byte, error) {
	if uint32(e) >= uint32(n) {
		return dst, Invalidf("enum value %d is not a symbol of %s", int32(e), enum)
	}
	return AppendInt(dst, int32(e)), nil
}

// AppendUTF8 appends b, a custom domain type's text (its MarshalText), as
// an Avro string; b must be UTF-8, as strings are. Generated code calls the
// type's own method and passes its result here, so that the call is direct
// and the message holding the value need not move to the heap. It checks
// and copies b as AppendString does a string.
func AppendUTF8(dst, b []byte) ([]byte, error) {
	// AppendString only reads its string during the call, and its error
	// holds a copy of what it reports.
	return AppendString(dst, unsafe.String(unsafe.SliceData(b), len(b)))
}
