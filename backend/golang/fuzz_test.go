package golang_test

import (
	"bytes"
	"errors"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/evc-dev/evc/examples/openedx/gen/learning"
	"github.com/evc-dev/evc/examples/openedx/keys"
	"github.com/evc-dev/evc/examples/squarebot/gen/squarebot"
	"github.com/evc-dev/evc/runtime/avrobin"
)

// refused reports whether err is the encoder's refusal of a value of m that
// Avro readers reject or misread: a string that is not UTF-8, which m must
// hold, or a decimal with more digits than its precision.
func refused(err error, m any) bool {
	var e *avrobin.Error
	if !errors.As(err, &e) || !errors.Is(err, avrobin.ErrInvalid) {
		return false
	}
	if strings.Contains(err.Error(), "not valid UTF-8") {
		return holdsInvalidUTF8(reflect.ValueOf(m))
	}
	return strings.Contains(err.Error(), "more than its precision")
}

// holdsInvalidUTF8 reports whether v holds a string, a map key too, that
// is not UTF-8.
func holdsInvalidUTF8(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.String:
		return !utf8.ValidString(v.String())
	case reflect.Pointer, reflect.Interface:
		return !v.IsNil() && holdsInvalidUTF8(v.Elem())
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() && holdsInvalidUTF8(v.Field(i)) {
				return true
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if holdsInvalidUTF8(v.Index(i)) {
				return true
			}
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			if holdsInvalidUTF8(it.Key()) || holdsInvalidUTF8(it.Value()) {
				return true
			}
		}
	}
	return false
}

type codec interface {
	MarshalAvro() ([]byte, error)
	UnmarshalAvro([]byte) error
	UnmarshalAvroAlias([]byte) error
}

// fuzzDecode holds the generated decoder of a type to what it promises on
// any input: no panic; allocation linear in the input's size; and when the
// input decodes, the value encodes, and its encoding decodes to a value
// that encodes to the same bytes again (the first encoding may differ from
// the input, which may be non-canonical: overlong varints, booleans other
// than 0 and 1, map entries out of order). The values that decode and do
// not encode are those that encoding refuses as Avro readers reject or
// misread them (refused), and decoding takes as Apache Avro's Java reader
// does (the seeds ef93ebd083e71b2c and cf1a162c95b25e7e).
func fuzzDecode[T any, P interface {
	*T
	codec
}](f *testing.F, seeds ...P) {
	for _, s := range seeds {
		data, err := s.MarshalAvro()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		f.Add(data[:len(data)/2])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		var m, alias T
		err := P(&m).UnmarshalAvro(data)
		aliasErr := P(&alias).UnmarshalAvroAlias(data)
		runtime.ReadMemStats(&after)
		if n := after.TotalAlloc - before.TotalAlloc; n > uint64(256*len(data))+256<<10 {
			t.Fatalf("%d bytes allocated to decode %d bytes", n, len(data))
		}
		if (err == nil) != (aliasErr == nil) {
			t.Fatalf("UnmarshalAvro: %v; UnmarshalAvroAlias: %v", err, aliasErr)
		}
		if err != nil {
			return
		}
		enc, err := P(&m).MarshalAvro()
		if err != nil && !refused(err, m) {
			t.Fatalf("decoded value does not encode: %v", err)
		}
		if err != nil {
			return
		}
		var again T
		if err := P(&again).UnmarshalAvro(enc); err != nil {
			t.Fatalf("own encoding %x does not decode: %v", enc, err)
		}
		enc2, err := P(&again).MarshalAvro()
		if err != nil || !bytes.Equal(enc, enc2) {
			t.Fatalf("encodings differ: %x, %x, %v", enc, enc2, err)
		}
		if aenc, err := P(&alias).MarshalAvro(); err != nil || !bytes.Equal(aenc, enc) {
			t.Fatalf("alias decode encodes to %x, copy decode to %x (%v)", aenc, enc, err)
		}
	})
}

func FuzzUnmarshal_SquarebotMessage(f *testing.F) {
	user := "U024BE7LH"
	fuzzDecode(f,
		&squarebot.SquarebotMessage{User: &user, ChannelID: "C1", MessageID: "1.2", Message: "hi", ChannelType: squarebot.ChannelTypeAppHome},
		&squarebot.SquarebotMessage{},
	)
}

func FuzzUnmarshal_SquarebotMessageKey(f *testing.F) {
	fuzzDecode(f, &squarebot.SquarebotMessageKey{ChannelID: "C024BE91L"})
}

func FuzzUnmarshal_CourseEnrollmentChangedV1(f *testing.F) {
	m := learning.NewCourseEnrollmentChangedV1()
	m.Enrollment.Course.CourseKey = keys.CourseKey{Org: "edX", Course: "DemoX", Run: "T1"}
	m.Enrollment.User.Pii.Email = "a@b"
	m.Enrollment.CreatedBy = &m.Enrollment.User
	fuzzDecode(f, m)
}

func FuzzUnmarshal_PersistentGradeSummaryChangedV1(f *testing.F) {
	m := learning.NewPersistentGradeSummaryChangedV1()
	m.Grade.Course.CourseKey = keys.CourseKey{Org: "edX", Course: "DemoX", Run: "T1"}
	m.Grade.SubsectionScores = map[string]float32{"a": 1, "b": 0.5}
	fuzzDecode(f, m)
}

func FuzzUnmarshal_StudentRegistrationCompletedV1(f *testing.F) {
	fuzzDecode(f, learning.NewStudentRegistrationCompletedV1())
}

func FuzzUnmarshal_Everything(f *testing.F) {
	fuzzDecode(f, everything())
}
