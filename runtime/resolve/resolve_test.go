package resolve

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/twmb/avro"

	"github.com/evc-dev/evc/examples/squarebot/gen/squarebot"
	"github.com/evc-dev/evc/internal/evolved"
	"github.com/evc-dev/evc/runtime"
	"github.com/evc-dev/evc/runtime/avrobin"
)

// point is a hand-written message for ns.Point {x: long, label: string}.
type point struct {
	X     int64
	Label string
}

var pointType = &runtime.Type{
	Name: "ns.Point",
	Def: runtime.Def{
		JSON:      []string{`{"type":"record","name":"Point","namespace":"ns","fields":[{"name":"x","type":"long"},{"name":"label","type":"string","default":"none"}]}`},
		Canonical: []string{`{"name":"ns.Point","type":"record","fields":[{"name":"x","type":"long"},{"name":"label","type":"string"}]}`},
	},
}

// readerType returns a hand-written descriptor of the reader's schema, with
// no canonical form.
func readerType(schema string) *runtime.Type {
	return &runtime.Type{Def: runtime.Def{JSON: []string{schema}}}
}

func (*point) AvroType() *runtime.Type { return pointType }

func (p *point) AppendAvro(dst []byte) ([]byte, error) {
	return avrobin.AppendString(avrobin.AppendLong(dst, p.X), p.Label)
}

func (p *point) UnmarshalAvro(data []byte) error {
	r := avrobin.NewReader(data)
	var err error
	if p.X, err = r.ReadLong(); err != nil {
		return err
	}
	if p.Label, err = r.ReadString(); err != nil {
		return err
	}
	return r.Finish()
}

func TestDecodeFrom(t *testing.T) {
	for _, tc := range []struct {
		name   string
		writer string
		datum  any
		want   point
	}{
		{"same schema", pointType.Schema(), map[string]any{"x": 7, "label": "a"}, point{7, "a"}},
		{"int promoted, label defaulted, extra skipped",
			`{"type":"record","name":"Point","namespace":"ns","fields":[{"name":"extra","type":{"type":"array","items":"string"}},{"name":"x","type":"int"}]}`,
			map[string]any{"extra": []any{"p", "q"}, "x": -3}, point{-3, "none"}},
		{"renamed without an alias: an error",
			`{"type":"record","name":"OldPoint","fields":[{"name":"x","type":"long"},{"name":"label","type":"bytes"}]}`,
			map[string]any{"x": 1, "label": []byte("b")}, point{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data, err := avro.MustParse(tc.writer).Encode(tc.datum)
			if err != nil {
				t.Fatal(err)
			}
			var p, q point
			err = DecodeFrom(tc.writer, &p, data)
			// A Decoder of the pair decodes as DecodeFrom does.
			errFor := For(tc.writer, pointType).Decode(&q, data)
			if fmt.Sprint(errFor) != fmt.Sprint(err) || p != q {
				t.Errorf("For(...).Decode gives %+v, %v; DecodeFrom %+v, %v", q, errFor, p, err)
			}
			if tc.want == (point{}) {
				if err == nil {
					t.Fatalf("no error, decoded %+v", p)
				}
				return
			}
			if err != nil || p != tc.want {
				t.Errorf("decoded %+v, %v; want %+v", p, err, tc.want)
			}
		})
	}
}

func TestDecoder_OtherType(t *testing.T) {
	d := For(pointType.Schema(), readerType(`{"type":"record","name":"Point","namespace":"ns","fields":[{"name":"x","type":"long"}]}`))
	err := d.Decode(new(point), []byte{2, 2, 'a'})
	if want := "a ns.Point cannot be decoded by a decoder for "; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %v; want %q", err, want)
	}
}

func TestDecodeFrom_Errors(t *testing.T) {
	var p point
	for _, tc := range []struct{ writer, data string }{
		{`not json`, "\x02"},
		{`{"type":"record","name":"Point","namespace":"ns","fields":[{"name":"x","type":"string"}]}`, "\x02a"},
		{`{"type":"record","name":"Point","namespace":"ns","fields":[{"name":"x","type":"int"}]}`, "\x02\x02"}, // trailing
		{`{"type":"record","name":"Point","namespace":"ns","fields":[{"name":"x","type":"int"}]}`, ""},         // short
	} {
		if err := DecodeFrom(tc.writer, &p, []byte(tc.data)); err == nil {
			t.Errorf("writer %s, data %q: no error", tc.writer, tc.data)
		}
	}
}

// TestDecodeFrom_Concurrent resolves more writer schemas than the cache
// holds from several goroutines at once; run it with -race.
func TestDecodeFrom_Concurrent(t *testing.T) {
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range CacheSize/4 + 10 {
				// Each writer has an extra field of its own name.
				w := fmt.Sprintf(`{"type":"record","name":"Point","namespace":"ns","fields":[{"name":"f%d_%d","type":"int"},{"name":"x","type":"int"}]}`, g, i)
				data := avrobin.AppendInt(avrobin.AppendInt(nil, 5), int32(i))
				var p point
				if err := DecodeFrom(w, &p, data); err != nil || p.X != int64(i) || p.Label != "none" {
					t.Errorf("writer %d/%d: %+v, %v", g, i, p, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	resolvers.mu.RLock()
	n, ids := len(resolvers.m), resolvers.ids
	resolvers.mu.RUnlock()
	stored := 0
	resolvers.byID.Range(func(any, any) bool { stored++; return true })
	if n > CacheSize || ids > CacheSize || stored > CacheSize {
		t.Errorf("cache holds %d resolutions and %d by address, more than %d", n, ids, CacheSize)
	}
}

// BenchmarkDecodeFrom measures DecodeFrom from another writer's schema
// beside the type's own: for point, a hand-written Message without the
// generated field decoders, whose other writer's messages are rewritten
// whole into its encoding; and for Squarebot's generated type, whose newer
// writer's messages its own code decodes with the plan's steps (bench/ has
// the other versions and the anchor libraries).
func BenchmarkDecodeFrom(b *testing.B) {
	writer := `{"type":"record","name":"Point","namespace":"ns","fields":[{"name":"extra","type":"string"},{"name":"x","type":"int"}]}`
	data, _ := avrobin.AppendString(nil, "skipped")
	data = avrobin.AppendInt(data, 7)
	own, _ := (&point{X: 7, Label: "l"}).AppendAvro(nil)
	b.Run("other-writer", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var p point
			if err := DecodeFrom(writer, &p, data); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("own-schema", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var p point
			if err := DecodeFrom(pointType.Schema(), &p, own); err != nil {
				b.Fatal(err)
			}
		}
	})
	newer := squarebotNewer(b)
	var m squarebot.SquarebotMessage
	if err := DecodeFrom(evolved.SquarebotNewer, &m, newer); err != nil {
		b.Fatal(err)
	}
	same, err := m.MarshalAvro()
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name, schema string
		data         []byte
	}{
		{"generated/other-writer", evolved.SquarebotNewer, newer},
		{"generated/own-schema", m.AvroType().Schema(), same},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := DecodeFrom(c.schema, new(squarebot.SquarebotMessage), c.data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
