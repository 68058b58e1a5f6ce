package bench

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	hamba "github.com/hamba/avro/v2"
	twmb "github.com/twmb/avro"

	"github.com/evc-dev/evc/examples/openedx/gen/learning"
	"github.com/evc-dev/evc/examples/openedx/keys"
	"github.com/evc-dev/evc/examples/squarebot/gen/squarebot"
	"github.com/evc-dev/evc/runtime"
)

func ptr[T any](v T) *T { return &v }

// squarebotMessage is a typical Slack message.
func squarebotMessage() *squarebot.SquarebotMessage {
	return &squarebot.SquarebotMessage{
		User:        ptr("U024BE7LH"),
		ChannelType: squarebot.ChannelTypeChannel,
		ChannelID:   "C024BE91L",
		MessageType: squarebot.MessageTypeAppMention,
		MessageID:   "1700000000.123456",
		Message:     "<@U0LAN0Z89> can you restart the nightly build on the staging cluster?",
	}
}

// openedxEvent is a typical enrollment change, the largest event of the
// Open edX example.
func openedxEvent() *learning.CourseEnrollmentChangedV1 {
	start := time.Date(2024, 9, 1, 0, 0, 0, 0, time.UTC)
	return &learning.CourseEnrollmentChangedV1{
		Enrollment: learning.CourseEnrollmentData{
			User: learning.UserData{
				ID:       184467,
				IsActive: true,
				Pii: learning.UserPersonalData{
					Username: "ada.lovelace",
					Email:    "ada.lovelace@example.org",
					Name:     "Ada Lovelace",
				},
			},
			Course: learning.CourseData{
				CourseKey:   keys.CourseKey{Org: "edX", Course: "DemoX", Run: "2024_T3"},
				DisplayName: "Demonstration Course",
				Start:       &start,
			},
			Mode:         learning.EnrollmentModeVerified,
			IsActive:     true,
			CreationDate: time.Date(2024, 8, 14, 9, 30, 12, 345678000, time.UTC),
			CreatedBy: &learning.UserData{
				ID:       7,
				IsActive: true,
				Pii: learning.UserPersonalData{
					Username: "staff",
					Email:    "staff@example.org",
					Name:     "Course Staff",
				},
			},
		},
	}
}

type message interface {
	runtime.Message
	MarshalAvro() ([]byte, error)
	UnmarshalAvroAlias([]byte) error
}

// run benchmarks one message with evc's generated code, hamba/avro and
// twmb/avro, on the same Go value and schema.
//
// decode decodes with evc into a value of the concrete type, as services do
// (var m T; m.UnmarshalAvro(data)), so that m itself can stay on the stack;
// hamba/avro and twmb/avro take it as an interface, which moves it to the
// heap.
func run[T any, PT interface {
	*T
	message
}](b *testing.B, msg PT, decode func(data []byte, alias bool) error) {
	schema := msg.AvroType().Schema()
	data, err := msg.MarshalAvro()
	if err != nil {
		b.Fatal(err)
	}
	hs := hamba.MustParse(schema)
	ts := twmb.MustParse(schema)
	size := int64(len(data))

	b.Run("evc/encode", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		buf := make([]byte, 0, 1024)
		for b.Loop() {
			buf, err = msg.AppendAvro(buf[:0])
			if err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("evc/decode", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			if err := decode(data, false); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("evc/decode-alias", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			if err := decode(data, true); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("hamba/encode", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := hamba.Marshal(hs, msg); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("hamba/decode", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			var m T
			if err := hamba.Unmarshal(hs, data, &m); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("twmb/encode", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		buf := make([]byte, 0, 1024)
		for b.Loop() {
			buf, err = ts.AppendEncode(buf[:0], msg)
			if err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("twmb/decode", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			var m T
			if _, err := ts.Decode(data, &m); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkSquarebot(b *testing.B) {
	run(b, squarebotMessage(), func(data []byte, alias bool) error {
		var m squarebot.SquarebotMessage
		if alias {
			return m.UnmarshalAvroAlias(data)
		}
		return m.UnmarshalAvro(data)
	})
	evolvedRows(b, squarebotMessage(), squarebotEvolved(b))
	gogenRows(b, squarebotMessage(), squarebotEvolved(b), squarebotGogen)
}

func BenchmarkOpenedx(b *testing.B) {
	msg := openedxEvent()
	b.Run("hand/encode", func(b *testing.B) {
		b.SetBytes(int64(len(must(msg.MarshalAvro()))))
		b.ReportAllocs()
		buf := make([]byte, 0, 1024)
		for b.Loop() {
			var err error
			if buf, err = handAppendEnrollment(buf[:0], msg); err != nil {
				b.Fatal(err)
			}
		}
	})
	run(b, msg, func(data []byte, alias bool) error {
		var m learning.CourseEnrollmentChangedV1
		if alias {
			return m.UnmarshalAvroAlias(data)
		}
		return m.UnmarshalAvro(data)
	})
	evolvedRows(b, openedxEvent(), openedxEvolved(b))
	gogenRows(b, openedxEvent(), openedxEvolved(b), openedxGogen)
}

// agree checks that the three libraries write the same bytes for msg and
// read them back to msg, so that the benchmarks compare like with like.
func agree[T any, PT interface {
	*T
	message
}](t *testing.T, msg PT) {
	schema := msg.AvroType().Schema()
	want, err := msg.MarshalAvro()
	if err != nil {
		t.Fatal(err)
	}
	hb, err := hamba.Marshal(hamba.MustParse(schema), msg)
	if err != nil {
		t.Fatalf("hamba: %v", err)
	}
	if !bytes.Equal(hb, want) {
		t.Errorf("hamba writes %x, evc %x", hb, want)
	}
	tb, err := twmb.MustParse(schema).Encode(msg)
	if err != nil {
		t.Fatalf("twmb: %v", err)
	}
	if !bytes.Equal(tb, want) {
		t.Errorf("twmb writes %x, evc %x", tb, want)
	}
	for name, decode := range map[string]func(PT) error{
		"evc":       func(m PT) error { return m.UnmarshalAvro(want) },
		"evc-alias": func(m PT) error { return m.UnmarshalAvroAlias(want) },
		"hamba":     func(m PT) error { return hamba.Unmarshal(hamba.MustParse(schema), want, m) },
		"twmb":      func(m PT) error { _, err := twmb.MustParse(schema).Decode(want, m); return err },
	} {
		var m T
		if err := decode(&m); err != nil {
			t.Errorf("%s decode: %v", name, err)
			continue
		}
		if !reflect.DeepEqual(PT(&m), msg) {
			t.Errorf("%s decodes %+v, want %+v", name, m, *msg)
		}
	}
}

func TestSquarebot_LibrariesAgree(t *testing.T) { agree(t, squarebotMessage()) }

func TestOpenedx_LibrariesAgree(t *testing.T) { agree(t, openedxEvent()) }
