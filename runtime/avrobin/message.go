package avrobin

import "encoding"

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
// error.
func (r *Reader) Done(err error, typ string) error {
	if err == nil {
		err = r.Finish()
	}
	if err != nil {
		return InType(err, typ)
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

// AppendText appends the text of v as an Avro string: a custom domain type
// carried as a string. Text that is not UTF-8 is an error, as in
// AppendString.
func AppendText(dst []byte, v encoding.TextMarshaler) ([]byte, error) {
	b, err := v.MarshalText()
	if err != nil {
		return dst, EncodeError(err)
	}
	if !validUTF8(b) {
		return dst, notUTF8(string(b))
	}
	return AppendBytes(dst, b), nil
}

// AppendBinary appends the binary form of v as Avro bytes: a custom domain
// type carried as bytes.
func AppendBinary(dst []byte, v encoding.BinaryMarshaler) ([]byte, error) {
	b, err := v.MarshalBinary()
	if err != nil {
		return dst, EncodeError(err)
	}
	return AppendBytes(dst, b), nil
}

// ReadText reads an Avro string into v: a custom domain type carried as a
// string.
func ReadText(r *Reader, v encoding.TextUnmarshaler) error {
	b, err := r.ReadRaw()
	if err != nil {
		return err
	}
	if err := v.UnmarshalText(b); err != nil {
		return r.DecodeInvalid(err)
	}
	return nil
}

// ReadBinary reads Avro bytes into v: a custom domain type carried as bytes.
func ReadBinary(r *Reader, v encoding.BinaryUnmarshaler) error {
	b, err := r.ReadRaw()
	if err != nil {
		return err
	}
	if err := v.UnmarshalBinary(b); err != nil {
		return r.DecodeInvalid(err)
	}
	return nil
}
