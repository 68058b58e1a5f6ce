package bench

import (
	"reflect"
	"testing"

	hamba "github.com/hamba/avro/v2"
	twmb "github.com/twmb/avro"

	"github.com/evc-dev/evc/examples/squarebot/gen/squarebot"
	"github.com/evc-dev/evc/runtime/resolve"
)

// Writers of squarebot.message one version behind and one ahead of the
// generated type, as a rolling deploy meets them.
const (
	// squarebotOlder has no "user" (the reader fills in its default, null),
	// an enum without "app_home", and message_id as bytes (bytes -> string).
	squarebotOlder = `{"type":"record","name":"message","namespace":"squarebot","fields":[` +
		`{"name":"channel_type","type":{"type":"enum","name":"ChannelType","symbols":["channel","group","im","mpim"],"default":"channel"}},` +
		`{"name":"channel_id","type":"string"},` +
		`{"name":"message_type","type":{"type":"enum","name":"MessageType","symbols":["message","app_mention"],"default":"message"}},` +
		`{"name":"message_id","type":"bytes"},` +
		`{"name":"message","type":"string"}]}`
	// squarebotNewer adds "thread_ts" and "reactions" (which the reader
	// skips), moves "message" first, and adds the enum symbol "huddle",
	// which the reader reads as its default, channel.
	squarebotNewer = `{"type":"record","name":"message","namespace":"squarebot","fields":[` +
		`{"name":"message","type":"string"},` +
		`{"name":"user","type":["null","string"],"default":null},` +
		`{"name":"channel_type","type":{"type":"enum","name":"ChannelType","symbols":["channel","group","im","mpim","app_home","huddle"],"default":"channel"}},` +
		`{"name":"channel_id","type":"string"},` +
		`{"name":"thread_ts","type":["null","string"],"default":null},` +
		`{"name":"message_type","type":{"type":"enum","name":"MessageType","symbols":["message","app_mention"],"default":"message"}},` +
		`{"name":"message_id","type":"string"},` +
		`{"name":"reactions","type":{"type":"array","items":"string"},"default":[]}]}`
)

// evolved returns the message each writer writes, its bytes, and the value
// the generated type should decode them to.
func evolved(t testing.TB) []struct {
	name, schema string
	data         []byte
	want         squarebot.SquarebotMessage
} {
	m := squarebotMessage()
	older := map[string]any{
		"channel_type": "mpim", "channel_id": m.ChannelID, "message_type": "app_mention",
		"message_id": []byte(m.MessageID), "message": m.Message,
	}
	newer := map[string]any{
		"message": m.Message, "user": *m.User, "channel_type": "huddle", "channel_id": m.ChannelID,
		"thread_ts": "1700000000.000001", "message_type": "app_mention", "message_id": m.MessageID,
		"reactions": []any{"eyes", "white_check_mark"},
	}
	wantOlder := *m
	wantOlder.User, wantOlder.ChannelType = nil, squarebot.ChannelTypeMpim
	wantNewer := *m
	wantNewer.ChannelType = squarebot.ChannelTypeChannel
	out := []struct {
		name, schema string
		data         []byte
		want         squarebot.SquarebotMessage
	}{
		{"older", squarebotOlder, nil, wantOlder},
		{"newer", squarebotNewer, nil, wantNewer},
	}
	for i, v := range []map[string]any{older, newer} {
		data, err := twmb.MustParse(out[i].schema).Encode(v)
		if err != nil {
			t.Fatalf("%s: %v", out[i].name, err)
		}
		out[i].data = data
	}
	return out
}

// BenchmarkSquarebotEvolved decodes messages written one version behind
// and one ahead, with evc (resolve.DecodeFrom), hamba/avro (a resolved
// schema) and twmb/avro (a resolved schema), beside evc's same-version
// decode in BenchmarkSquarebot.
func BenchmarkSquarebotEvolved(b *testing.B) {
	reader := (*squarebot.SquarebotMessage)(nil).AvroType().Schema
	own, err := squarebotMessage().MarshalAvro()
	if err != nil {
		b.Fatal(err)
	}
	// The same-version decode through the same call, for the ratios: the
	// message escapes to the heap through DecodeFrom's interface, as it
	// does in the rows below, but not in BenchmarkSquarebot's evc/decode.
	b.Run("evc/decode-same", func(b *testing.B) {
		b.SetBytes(int64(len(own)))
		b.ReportAllocs()
		for b.Loop() {
			var m squarebot.SquarebotMessage
			if err := resolve.DecodeFrom(reader, &m, own); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, c := range evolved(b) {
		size := int64(len(c.data))
		b.Run("evc/decode-"+c.name, func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				var m squarebot.SquarebotMessage
				if err := resolve.DecodeFrom(c.schema, &m, c.data); err != nil {
					b.Fatal(err)
				}
			}
		})
		hs, err := hamba.NewSchemaCompatibility().Resolve(hamba.MustParse(reader), hamba.MustParse(c.schema))
		if err != nil {
			b.Fatal(err)
		}
		b.Run("hamba/decode-"+c.name, func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				var m squarebot.SquarebotMessage
				if err := hamba.Unmarshal(hs, c.data, &m); err != nil {
					b.Fatal(err)
				}
			}
		})
		ts, err := twmb.Resolve(twmb.MustParse(c.schema), twmb.MustParse(reader))
		if err != nil {
			b.Fatal(err)
		}
		b.Run("twmb/decode-"+c.name, func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				var m squarebot.SquarebotMessage
				if _, err := ts.Decode(c.data, &m); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestSquarebotEvolved_LibrariesAgree checks that the three decode the
// evolved messages to the same value.
func TestSquarebotEvolved_LibrariesAgree(t *testing.T) {
	reader := (*squarebot.SquarebotMessage)(nil).AvroType().Schema
	for _, c := range evolved(t) {
		var e, h, w squarebot.SquarebotMessage
		if err := resolve.DecodeFrom(c.schema, &e, c.data); err != nil || !reflect.DeepEqual(e, c.want) {
			t.Errorf("%s: evc decodes %+v, %v; want %+v", c.name, e, err, c.want)
		}
		hs, err := hamba.NewSchemaCompatibility().Resolve(hamba.MustParse(reader), hamba.MustParse(c.schema))
		if err != nil {
			t.Fatal(err)
		}
		if err := hamba.Unmarshal(hs, c.data, &h); err != nil || !reflect.DeepEqual(h, c.want) {
			t.Errorf("%s: hamba decodes %+v, %v; want %+v", c.name, h, err, c.want)
		}
		ts, err := twmb.Resolve(twmb.MustParse(c.schema), twmb.MustParse(reader))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ts.Decode(c.data, &w); err != nil || !reflect.DeepEqual(w, c.want) {
			t.Errorf("%s: twmb decodes %+v, %v; want %+v", c.name, w, err, c.want)
		}
	}
}
