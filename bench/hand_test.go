package bench

import (
	"bytes"
	"os"
	"testing"

	hamba "github.com/hamba/avro/v2"
	twmb "github.com/twmb/avro"

	"github.com/evc-dev/evc/examples/openedx/gen/learning"
	"github.com/evc-dev/evc/runtime/avrobin"
)

// handAppendEnrollment is a careful hand-written encoder of the enrollment
// event, the limit for generated code on BenchmarkOpenedx: it writes the
// same bytes as evc, without checking that strings are UTF-8 or that the
// enum is in range.
func handAppendEnrollment(dst []byte, m *learning.CourseEnrollmentChangedV1) ([]byte, error) {
	e := &m.Enrollment
	dst = handAppendUser(dst, &e.User)
	key, err := e.Course.CourseKey.MarshalText()
	if err != nil {
		return dst, err
	}
	dst = avrobin.AppendBytes(dst, key)
	dst = appendStr(dst, e.Course.DisplayName)
	dst = appendTime(dst, e.Course.Start)
	dst = appendTime(dst, e.Course.End)
	dst = avrobin.AppendInt(dst, int32(e.Mode))
	dst = avrobin.AppendBool(dst, e.IsActive)
	dst = avrobin.AppendTimestampMicros(dst, e.CreationDate)
	if e.CreatedBy == nil {
		return append(dst, 0), nil
	}
	return handAppendUser(append(dst, 2), e.CreatedBy), nil
}

func handAppendUser(dst []byte, u *learning.UserData) []byte {
	dst = avrobin.AppendLong(dst, u.ID)
	dst = avrobin.AppendBool(dst, u.IsActive)
	dst = appendStr(dst, u.Pii.Username)
	dst = appendStr(dst, u.Pii.Email)
	return appendStr(dst, u.Pii.Name)
}

func TestOpenedx_HandCodecAgrees(t *testing.T) {
	msg := openedxEvent()
	got, err := handAppendEnrollment(nil, msg)
	if err != nil {
		t.Fatal(err)
	}
	if want := must(msg.MarshalAvro()); !bytes.Equal(got, want) {
		t.Errorf("hand encoding is %x, evc's %x", got, want)
	}
}

// TestEncode_Ratios prints each encoder's time over the hand-written one's
// for the Open edX enrollment event and the map-heavy grade event, whose
// hand-written encoder writes the map in Go's order; beside it, the same
// encoder with the keys sorted shows what deterministic bytes cost. Like
// TestSerde_Ratios it interleaves short bursts of every case and keeps each
// case's fastest burst, which a loaded machine disturbs least, and it
// asserts nothing: run it with
//
//	EVC_ENCODE_RATIOS=1 go test -run TestEncode_Ratios -v
func TestEncode_Ratios(t *testing.T) {
	if os.Getenv("EVC_ENCODE_RATIOS") == "" {
		t.Skip("set EVC_ENCODE_RATIOS=1 to measure")
	}
	enroll, grade := openedxEvent(), gradeEvent()
	encodeRatios(t, "openedx", enroll, func(dst []byte) ([]byte, error) { return handAppendEnrollment(dst, enroll) }, nil)
	encodeRatios(t, "openedx-maps", grade, func(dst []byte) ([]byte, error) { return handAppendGrade(dst, grade) },
		func(dst []byte) ([]byte, error) { return handAppendGradeSorted(dst, grade) })
}

// encodeRatios measures hand, evc, twmb and hamba on msg, and sorted (the
// hand encoder with map keys sorted) when it is not nil.
func encodeRatios(t *testing.T, name string, msg message, hand, sorted func([]byte) ([]byte, error)) {
	hs := hamba.MustParse(msg.AvroType().Schema())
	ts := twmb.MustParse(msg.AvroType().Schema())
	buf := make([]byte, 0, 1024)
	cases := []serdeCase{
		{"hand", func() (err error) { buf, err = hand(buf[:0]); return err }},
		{"evc", func() (err error) { buf, err = msg.AppendAvro(buf[:0]); return err }},
		{"twmb", func() (err error) { buf, err = ts.AppendEncode(buf[:0], msg); return err }},
		{"hamba", func() (err error) { _, err = hamba.Marshal(hs, msg); return err }},
	}
	if sorted != nil {
		cases = append(cases, serdeCase{"hand-sorted", func() (err error) { buf, err = sorted(buf[:0]); return err }})
	}
	best := fastestBursts(t, cases)
	for _, c := range cases {
		t.Logf("%s %-11s encode %8.1f ns/op  %5.2fx hand, %5.2fx evc", name, c.name, best[c.name],
			best[c.name]/best["hand"], best[c.name]/best["evc"])
	}
}
