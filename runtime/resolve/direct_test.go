package resolve

import (
	"bytes"
	"encoding/hex"
	"math"
	"math/big"
	"math/rand/v2"
	"reflect"
	goruntime "runtime"
	"slices"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/twmb/avro"

	"github.com/evc-dev/evc/examples/openedx/gen/learning"
	"github.com/evc-dev/evc/examples/squarebot/gen/squarebot"
	"github.com/evc-dev/evc/internal/evolved"
	"github.com/evc-dev/evc/internal/race"
	"github.com/evc-dev/evc/interop/gen/everytypev1"
	"github.com/evc-dev/evc/interop/gen/everytypev2"
	"github.com/evc-dev/evc/runtime"
	"github.com/evc-dev/evc/runtime/avrobin"
)

// messageOnly hides the field decoders of the message it holds, which
// sends DecodeFrom down the path that transcodes the whole message.
type messageOnly struct{ runtime.Message }

// fieldsOnly hides DecodeAvroSteps of the message it holds, which sends
// DecodeFrom down decodeDirect, the path for a runtime.FieldDecoder.
type fieldsOnly struct{ fieldMessage }

type fieldMessage interface {
	runtime.Message
	runtime.FieldDecoder
}

// decodeFields is DecodeFrom through decodeDirect.
func decodeFields(writer string, m runtime.Message, data []byte) error {
	return DecodeFrom(writer, fieldsOnly{m.(fieldMessage)}, data)
}

// directCase is a generated record type, a writer schema of another
// version, and data written with it.
type directCase struct {
	name   string
	writer string
	data   [][]byte
	new    func() runtime.Message
	// bytes: decoding allocates no more bytes than decoding the same
	// value written with the type's own schema, too, but for a few field
	// prefixes in the one copy, which starts at the first string in the
	// writer's order (slackBytes).
	bytes bool
	// steps: the plan has steps, for generated code to run (it
	// transcodes no value).
	steps bool
}

// openedxWriter is the Open edX enrollment event as another version
// writes it: user is a writer UserData (with "name" or not, with the extra
// "locale" or not), created_by a union of null and a UserData to change too,
// course gains "org" and loses "end", and mode is an enum of other symbols.
const openedxWriter = `{"type":"record","name":"CourseEnrollmentChangedV1","namespace":"org.openedx.learning","fields":[{"name":"enrollment","type":{"type":"record","name":"CourseEnrollmentData","fields":[` +
	`{"name":"user","type":{"type":"record","name":"UserData","fields":[{"name":"id","type":"int"},{"name":"is_active","type":"boolean"},` +
	`{"name":"pii","type":{"type":"record","name":"UserPersonalData","fields":[{"name":"locale","type":"string","default":"en"},{"name":"username","type":"string"},{"name":"email","type":"bytes"}]}}]}},` +
	`{"name":"course","type":{"type":"record","name":"CourseData","fields":[{"name":"display_name","type":"string"},{"name":"org","type":"string"},{"name":"course_key","type":"string"},` +
	`{"name":"start","type":["null","long"],"default":null}]}},` +
	`{"name":"mode","type":{"type":"enum","name":"EnrollmentMode","symbols":["verified","audit","audit_plus"],"default":"audit"}},` +
	`{"name":"created_by","type":["null","UserData"],"default":null},` +
	`{"name":"creation_date","type":"long"},` +
	`{"name":"tags","type":{"type":"array","items":"string"}}]}}]}`

// squarebotRewritten is squarebot.message as a writer with the branches
// of "user" swapped writes it: the field is rewritten alone, and holds a
// string, which must cost no allocation of its own.
const squarebotRewritten = `{"type":"record","name":"message","namespace":"squarebot","fields":[` +
	`{"name":"channel_type","type":{"type":"enum","name":"ChannelType","symbols":["channel","group","im","mpim","app_home"]}},` +
	`{"name":"user","type":["string","null"]},` +
	`{"name":"channel_id","type":"string"},` +
	`{"name":"message_type","type":{"type":"enum","name":"MessageType","symbols":["message","app_mention"]}},` +
	`{"name":"message_id","type":"string"},{"name":"message","type":"string"}]}`

// squarebotNewer is a message of the newer writer with 43 bytes in the
// fields that the reader skips, which the one copy leaves out.
func squarebotNewer(t testing.TB) []byte {
	data, err := avro.MustParse(evolved.SquarebotNewer).Encode(map[string]any{
		"message": "Deploy finished, all green", "user": "U012AB3CD", "channel_type": "huddle", "channel_id": "C0123456789",
		"thread_ts": "1700000000.000001", "message_type": "app_mention", "message_id": "1700000000.000002",
		"reactions": []any{"eyes", "white_check_mark"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// squarebotNewerLarge is a newer writer's message larger than cutAbove,
// most of it in fields the type skips.
func squarebotNewerLarge(t *testing.T) []byte {
	reactions := make([]any, 100)
	for i := range reactions {
		reactions[i] = strings.Repeat("x", 40)
	}
	data, err := avro.MustParse(evolved.SquarebotNewer).Encode(map[string]any{
		"message": "Deploy finished, all green", "user": "U012AB3CD", "channel_type": "huddle", "channel_id": "C0123456789",
		"thread_ts": strings.Repeat("1", 300), "message_type": "app_mention", "message_id": "1700000000.000002",
		"reactions": reactions,
	})
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func openedxData(t *testing.T, rng *rand.Rand) []byte {
	user := func() map[string]any {
		return map[string]any{"id": rng.Int32(), "is_active": rng.IntN(2) == 0, "pii": map[string]any{
			"locale": "fr", "username": "ada", "email": []byte("ada@example.org"),
		}}
	}
	var createdBy any
	if rng.IntN(2) == 0 {
		createdBy = user()
	}
	var start any
	if rng.IntN(2) == 0 {
		start = rng.Int64N(1 << 50)
	}
	v := map[string]any{"enrollment": map[string]any{
		"user":   user(),
		"course": map[string]any{"display_name": "Demo", "org": "edX", "course_key": "course-v1:edX+DemoX+2024", "start": start},
		"mode":   []string{"verified", "audit", "audit_plus"}[rng.IntN(3)], "created_by": createdBy,
		"creation_date": rng.Int64N(1 << 50), "tags": []any{"a", "bc"},
	}}
	data, err := avro.MustParse(openedxWriter).Encode(v)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// evolvedOpenedx returns messages of the Open edX writer one version
// behind or (newer) ahead, with longs of every length, negative ones too,
// where the reader skips them (date_joined) and keeps them.
func evolvedOpenedx(t *testing.T, rng *rand.Rand, writer string, newer bool) [][]byte {
	return evolvedOpenedxBy(t, rng, writer, newer, true)
}

// evolvedOpenedxBy is evolvedOpenedx with created_by null in about half
// the messages when nullable is set, and never otherwise.
func evolvedOpenedxBy(t *testing.T, rng *rand.Rand, writer string, newer, nullable bool) [][]byte {
	long := func() int64 { return rng.Int64N(1<<uint(rng.IntN(63))+1) * int64(1-2*rng.IntN(2)) }
	user := func() map[string]any {
		pii := map[string]any{"username": "ada", "email": "ada@example.org"}
		u := map[string]any{"id": rng.Int32(), "is_active": rng.IntN(2) == 0, "pii": pii}
		if newer {
			pii["locale"], pii["name"] = "fr", "Ada"
			u["id"], u["date_joined"] = long(), long()
		}
		return u
	}
	var out [][]byte
	for range 50 {
		var createdBy, start any
		if !nullable || rng.IntN(2) == 0 {
			createdBy = user()
		}
		if rng.IntN(2) == 0 {
			start = long()
		}
		course := map[string]any{"course_key": "course-v1:edX+DemoX+2024", "display_name": "Demo", "start": start}
		mode := []string{"audit", "verified", "credit"}[rng.IntN(3)]
		e := map[string]any{"user": user(), "course": course, "is_active": rng.IntN(2) == 0, "creation_date": long(), "created_by": createdBy}
		if newer {
			course["org"], course["end"], e["source"] = "edX", nil, "studio"
			mode = []string{"audit", "audit_plus", "unknown"}[rng.IntN(3)]
		}
		e["mode"] = mode
		data, err := avro.MustParse(writer).Encode(map[string]any{"enrollment": e})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, data)
	}
	return out
}

func everyV1() *everytypev1.EveryType {
	text := "maybe"
	return &everytypev1.EveryType{
		Flag: true, Small: -5, Big: 1 << 40, Ratio: 1.5, Precise: -2.25, Text: "text", Raw: []byte{1, 2},
		Suit: everytypev1.SuitHearts, Hash: everytypev1.Hash{1, 2, 3}, Money: big.NewRat(1234, 100), Price: big.NewRat(5, 1),
		ID: avrobin.UUID{1, 2, 3}, Day: time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC),
		AtMs: time.UnixMilli(1_700_000_000_000).UTC(), AtUs: time.UnixMicro(1_700_000_000_000_001).UTC(),
		LocalMs: time.UnixMilli(1).UTC(), LocalUs: time.UnixMicro(2).UTC(),
		Tags: []string{"a", "b"}, Points: []everytypev1.Point{{X: 1, Y: 2}}, Scores: map[string]float64{"x": 1},
		Nested: map[string][]int64{"n": {1, 2}}, MaybeText: &text, MaybePoint: &everytypev1.Point{X: 3},
		Choice: everytypev1.EveryTypeChoicePoint{Value: everytypev1.Point{X: 4, Y: 5}},
		NoNull: everytypev1.EveryTypeNoNullString{Value: "s"}, Legacy: 9,
	}
}

func everyV2() *everytypev2.EveryType {
	return &everytypev2.EveryType{
		Text: "v2", Suit: everytypev2.SuitSpades, Tags: []string{}, Points: []everytypev2.Point{},
		Scores: map[string]float64{}, Nested: map[string][]int64{},
		Choice: everytypev2.EveryTypeChoiceLong{Value: -7}, NoNull: everytypev2.EveryTypeNoNullInt{Value: 3},
		Note: "a note", Extra: []int64{1, 2, 3}, Level: everytypev2.LevelHigh,
	}
}

func mustMarshal(t *testing.T, m interface{ MarshalAvro() ([]byte, error) }) []byte {
	data, err := m.MarshalAvro()
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func directCases(t *testing.T) []directCase {
	rng := rand.New(rand.NewPCG(5, 6))
	random := func(writer string, n int) [][]byte {
		w := mustPlain(t, writer)
		gen := &generator{rng: rng, names: map[string]*avro.SchemaNode{}}
		collect(w.Root(), "", gen.names)
		var out [][]byte
		for range n {
			out = append(out, gen.value(nil, w.Root(), "", 0))
		}
		return out
	}
	var openedx [][]byte
	for range 20 {
		openedx = append(openedx, openedxData(t, rng))
	}
	newSquarebot := func() runtime.Message { return new(squarebot.SquarebotMessage) }
	newOpenedx := func() runtime.Message { return new(learning.CourseEnrollmentChangedV1) }
	return []directCase{
		{"squarebot older", evolved.SquarebotOlder, random(evolved.SquarebotOlder, 50), newSquarebot, true, true},
		{"squarebot newer", evolved.SquarebotNewer, append(random(evolved.SquarebotNewer, 50), squarebotNewer(t), squarebotNewerLarge(t)), newSquarebot, true, true},
		{"squarebot rewritten", squarebotRewritten, random(squarebotRewritten, 50), newSquarebot, true, false},
		{"openedx", openedxWriter, openedx, func() runtime.Message { return new(learning.CourseEnrollmentChangedV1) }, false, true},
		// Changed records held by value and in a union with null, skipped
		// longs (date_joined) and strings, a missing field in each record.
		{"openedx older", evolved.OpenedxOlder, evolvedOpenedx(t, rng, evolved.OpenedxOlder, false), newOpenedx, false, true},
		{"openedx newer", evolved.OpenedxNewer, evolvedOpenedx(t, rng, evolved.OpenedxNewer, true), newOpenedx, false, true},
		// created_by, a record or null, written in a union of the other
		// order, and as the record alone (nested codes, with their branches).
		{"openedx newer, record first", openedxNewerRecordFirst, evolvedOpenedx(t, rng, openedxNewerRecordFirst, true), newOpenedx, false, true},
		{"openedx newer, no union", openedxNewerNoUnion, evolvedOpenedxBy(t, rng, openedxNewerNoUnion, true, false), newOpenedx, false, true},
		{"everytype v1 to v2", everyV1().AvroType().Schema(), [][]byte{mustMarshal(t, everyV1()), mustMarshal(t, &everytypev1.EveryType{NoNull: everytypev1.EveryTypeNoNullInt{}})},
			func() runtime.Message { return new(everytypev2.EveryType) }, false, true},
		{"everytype v2 to v1", everyV2().AvroType().Schema(), [][]byte{mustMarshal(t, everyV2())},
			func() runtime.Message { return new(everytypev1.EveryType) }, false, true},
	}
}

// TestDecodeFrom_FieldByField checks, on the examples' and the interop
// suite's generated types with writers of other versions, that decoding
// field by field gives the value that transcoding the whole message does,
// fails where it fails, and allocates no more than decoding the same value
// written with the type's own schema (a field rewritten alone that holds
// strings too: "squarebot rewritten").
func TestDecodeFrom_FieldByField(t *testing.T) {
	for _, c := range directCases(t) {
		t.Run(c.name, func(t *testing.T) {
			if _, ok := c.new().(runtime.FieldDecoder); !ok {
				t.Fatalf("%T is not a runtime.FieldDecoder", c.new())
			}
			if r := resolvers.get(c.writer, c.new().AvroType()); r.err != nil || r.plan == nil {
				t.Fatalf("no plan: %v", r.err)
			}
			if r := resolvers.get(c.writer, c.new().AvroType()); (r.steps != nil) != c.steps {
				t.Fatalf("steps: %v, want them: %v", r.steps != nil, c.steps)
			}
			reader := c.new().AvroType().Schema()
			for i, data := range c.data {
				stepped, direct, whole := c.new(), c.new(), c.new()
				serr := DecodeFrom(c.writer, stepped, data)
				derr := decodeFields(c.writer, direct, data)
				werr := DecodeFrom(c.writer, messageOnly{whole}, data)
				if serr != nil || derr != nil || werr != nil {
					t.Fatalf("message %d: steps: %v; field by field: %v; whole: %v", i, serr, derr, werr)
				}
				if !equalBits(direct, whole) || !equalBits(stepped, whole) {
					t.Fatalf("message %d: steps %+v, field by field %+v, whole %+v", i, stepped, direct, whole)
				}
				own, err := direct.AppendAvro(nil)
				if err != nil {
					t.Fatal(err)
				}
				for _, path := range []struct {
					name   string
					decode func(string, runtime.Message, []byte) error
				}{{"steps", DecodeFrom}, {"field by field", decodeFields}} {
					resolved := testing.AllocsPerRun(20, func() {
						if err := path.decode(c.writer, c.new(), data); err != nil {
							t.Fatal(err)
						}
					})
					same := testing.AllocsPerRun(20, func() {
						if err := path.decode(reader, c.new(), own); err != nil {
							t.Fatal(err)
						}
					})
					if resolved > same && !race.Enabled {
						t.Errorf("message %d, %s: %v allocations, %v for the same value written with the type's schema", i, path.name, resolved, same)
					}
					if c.bytes && !race.Enabled {
						// The steps' copy leaves out what the pair's
						// messages skip once it has learnt how much
						// that is (avrobin.Trim): a dozen messages.
						for range 16 {
							_ = path.decode(c.writer, c.new(), data)
						}
						resolved := bytesPerRun(func() { _ = path.decode(c.writer, c.new(), data) })
						same := bytesPerRun(func() { _ = path.decode(reader, c.new(), own) })
						if resolved > same+slackBytes+uint64(len(data))/trimRatio {
							t.Errorf("message %d, %s: %d bytes allocated, %d for the same value written with the type's schema", i, path.name, resolved, same)
						}
					}
					// Cut short, every path fails.
					for n := range len(data) {
						if path.decode(c.writer, c.new(), data[:n]) == nil {
							t.Errorf("message %d cut to %d bytes: no error, %s", i, n, path.name)
						}
					}
				}
			}
		})
	}
}

// slackBytes is how many more bytes than the same-version decode
// decoding from another writer may allocate: a size class more, and what
// the steps skip after the first string when it is less than
// 1/trimRatio of the message, which their copy then keeps (avrobin's
// UseTrim).
const (
	slackBytes = 16
	trimRatio  = 8
)

// bytesPerRun returns how many bytes f allocates a run, on average.
func bytesPerRun(f func()) uint64 {
	const runs = 100
	// On one P, as testing.AllocsPerRun measures: a goroutine that moves
	// to another P between a sync.Pool's Get and Put leaves its object in
	// that P's private slot, and the next Get allocates.
	defer goruntime.GOMAXPROCS(goruntime.GOMAXPROCS(1))
	f() // warm up
	var before, after goruntime.MemStats
	goruntime.ReadMemStats(&before)
	for range runs {
		f()
	}
	goruntime.ReadMemStats(&after)
	return (after.TotalAlloc - before.TotalAlloc) / runs
}

// A type may be named like a kind, as Java allows: a reference to the
// record named "record" is that record, not an empty record definition.
func TestPlan_TypeNamedLikeAKind(t *testing.T) {
	const reader = `{"type":"record","name":"R","namespace":"a","fields":[` +
		`{"name":"rec","type":{"type":"record","name":"record","namespace":"","fields":[{"name":"n","type":"long"}]}},` +
		`{"name":"recref","type":["null","record"]},{"name":"s","type":"double"},` +
		`{"name":"more","type":"string","default":"x"}]}`
	const writer = `{"type":"record","name":"R","namespace":"a","fields":[` +
		`{"name":"rec","type":{"type":"record","name":"record","namespace":"","fields":[{"name":"n","type":"long"}]}},` +
		`{"name":"recref","type":["null","record"]},{"name":"s","type":"int"}]}`
	p := planFor(t, writer, reader)
	data := []byte{0x02, 0x02, 0x04, 0x06} // rec.n 1, recref branch 1 with n 2, s 3
	out, err := transcode(p, nil, data)
	want := append(avrobin.AppendDouble([]byte{0x02, 0x02, 0x04}, 3), 0x02, 'x')
	if err != nil || string(out) != string(want) {
		t.Errorf("transcoded to %x, %v; want %x", out, err, want)
	}
}

// FuzzDecodeFieldByField feeds random bytes as data of the evolved writers
// of TestDecodeFrom_FieldByField: decoding field by field must not panic,
// and must succeed exactly where transcoding the whole message does, with
// the same value.
func FuzzDecodeFieldByField(f *testing.F) {
	cases := directCases(&testing.T{})
	for i, c := range cases {
		for _, data := range c.data[:min(3, len(c.data))] {
			f.Add(uint8(i), data)
		}
		f.Add(uint8(i), c.data[len(c.data)-1]) // squarebot newer's: larger than cutAbove
	}
	f.Fuzz(func(t *testing.T, i uint8, data []byte) {
		c := cases[int(i)%len(cases)]
		stepped, direct, whole := c.new(), c.new(), c.new()
		serr := DecodeFrom(c.writer, stepped, data)
		derr := decodeFields(c.writer, direct, data)
		werr := DecodeFrom(c.writer, messageOnly{whole}, data)
		if (serr == nil) != (werr == nil) || (derr == nil) != (werr == nil) {
			t.Fatalf("%s, data %x: steps: %v; field by field: %v; whole: %v", c.name, data, serr, derr, werr)
		}
		if werr == nil && (!equalBits(direct, whole) || !equalBits(stepped, whole)) {
			t.Fatalf("%s, data %x: steps %+v, field by field %+v, whole %+v", c.name, data, stepped, direct, whole)
		}
	})
}

// TestDecodeFrom_FieldByFieldAgreesWithPython reads the writer data of
// TestDecodeFrom_FieldByField field by field into the generated types, and
// has python3-avro's resolving reader read the same bytes with the same
// pair of schemas: the values must be equal. The generated value is
// compared as twmb/avro decodes its own encoding with the reader's schema.
func TestDecodeFrom_FieldByFieldAgreesWithPython(t *testing.T) {
	requirePython(t)
	cases := directCases(t)
	var py []pyCase
	for _, c := range cases {
		pc := pyCase{Writer: plainJSON(t, c.writer), Reader: plainJSON(t, c.new().AvroType().Schema())}
		for _, data := range c.data {
			pc.Data = append(pc.Data, hex.EncodeToString(data))
		}
		py = append(py, pc)
	}
	answers := readWithPython(t, py)
	if len(answers) != len(cases) {
		t.Fatalf("python3-avro answered %d of %d cases", len(answers), len(cases))
	}
	compared := 0
	for i, c := range cases {
		a := answers[i]
		if a.Error != "" {
			t.Errorf("%s: python3-avro does not parse the schemas: %s", c.name, a.Error)
			continue
		}
		if len(a.Values) != len(c.data) {
			t.Fatalf("%s: python3-avro read %d of %d values", c.name, len(a.Values), len(c.data))
		}
		reader := mustPlain(t, string(py[i].Reader))
		for j, data := range c.data {
			m := c.new()
			if err := DecodeFrom(c.writer, m, data); err != nil {
				t.Errorf("%s, data %x: field by field: %v", c.name, data, err)
				continue
			}
			if a.Values[j].Error != "" {
				t.Errorf("%s, data %x: field by field reads %+v, python3-avro fails: %s", c.name, data, m, a.Values[j].Error)
				continue
			}
			own, err := m.(interface{ AppendAvro([]byte) ([]byte, error) }).AppendAvro(nil)
			if err != nil {
				t.Fatal(err)
			}
			var g any
			if _, err := reader.Decode(own, &g); err != nil {
				t.Fatalf("%s: the generated encoding does not decode with the reader's schema: %v", c.name, err)
			}
			if !samePython(g, a.Values[j].V) {
				t.Errorf("%s, data %x: field by field reads %s, python3-avro %s", c.name, data, mustJSON(g), mustJSON(a.Values[j].V))
				continue
			}
			compared++
		}
	}
	if want := 100; compared < want {
		t.Errorf("%d values compared with python3-avro, want at least %d", compared, want)
	}
	t.Logf("%d values read field by field equal python3-avro's", compared)
}

// noRecordSteps is a generated record whose nested records generated code
// does not decode with steps itself, as for a record bound to a custom Go
// type: its StepRecord steps return runtime.ErrNoSteps.
type noRecordSteps struct {
	*learning.CourseEnrollmentChangedV1
}

func (m noRecordSteps) UnmarshalAvroSteps(steps []runtime.Step, data []byte) error {
	r := avrobin.NewReader(data)
	return r.Done(m.DecodeAvroSteps(steps, &r), "noRecordSteps")
}

func (m noRecordSteps) DecodeAvroSteps(steps []runtime.Step, r *avrobin.Reader) error {
	for i := range steps {
		if steps[i].Op == runtime.StepRecord {
			return runtime.ErrNoSteps
		}
		if err := m.CourseEnrollmentChangedV1.DecodeAvroSteps(steps[i:i+1], r); err != nil {
			return err
		}
	}
	return nil
}

// TestDecodeFrom_StepsFallBack: when a step needs what generated code does
// not do, DecodeFrom decodes the message field by field instead, to the
// same value, and every later message of the pair too.
func TestDecodeFrom_StepsFallBack(t *testing.T) {
	// A writer schema of its own in the cache: the pair's steps are
	// turned off for good.
	writer := evolved.OpenedxOlder + " "
	typ := new(learning.CourseEnrollmentChangedV1).AvroType()
	if r := resolvers.get(writer, typ); r.steps == nil || r.noSteps.Load() {
		t.Fatal("the pair has no steps to fall back from")
	}
	for i, data := range evolvedOpenedx(t, rand.New(rand.NewPCG(7, 8)), evolved.OpenedxOlder, false) {
		var want learning.CourseEnrollmentChangedV1
		if err := DecodeFrom(evolved.OpenedxOlder, &want, data); err != nil {
			t.Fatal(err)
		}
		got := noRecordSteps{new(learning.CourseEnrollmentChangedV1)}
		if err := DecodeFrom(writer, got, data); err != nil || !reflect.DeepEqual(*got.CourseEnrollmentChangedV1, want) {
			t.Fatalf("message %d: %+v, %v; want %+v", i, *got.CourseEnrollmentChangedV1, err, want)
		}
	}
	if !resolvers.get(writer, typ).noSteps.Load() {
		t.Error("the pair's steps are still on after a step fell back")
	}
}

// TestDecodeFrom_CutsLargeSkipped: a message larger than cutAbove whose
// own record has writer fields the type skips (a newer writer's thread_ts
// and reactions) is decoded with those cut out of its copy, so that the
// decode allocates no more than the same value written with the type's
// own schema; any error is decodeDirect's, offsets and all.
func TestDecodeFrom_CutsLargeSkipped(t *testing.T) {
	data := squarebotNewerLarge(t)
	if len(data) <= cutAbove {
		t.Fatalf("the message is %d bytes, not more than cutAbove", len(data))
	}
	if r := resolvers.get(evolved.SquarebotNewer, new(squarebot.SquarebotMessage).AvroType()); r.top == nil {
		t.Fatal("the pair has no steps without the skips")
	}
	stepped, direct := new(squarebot.SquarebotMessage), new(squarebot.SquarebotMessage)
	if err := DecodeFrom(evolved.SquarebotNewer, stepped, data); err != nil {
		t.Fatal(err)
	}
	if err := decodeFields(evolved.SquarebotNewer, direct, data); err != nil || !reflect.DeepEqual(stepped, direct) {
		t.Fatalf("cut: %+v; field by field: %+v, %v", stepped, direct, err)
	}
	own, err := stepped.AppendAvro(nil)
	if err != nil {
		t.Fatal(err)
	}
	if !race.Enabled {
		resolved := bytesPerRun(func() { _ = DecodeFrom(evolved.SquarebotNewer, new(squarebot.SquarebotMessage), data) })
		same := bytesPerRun(func() { _ = DecodeFrom(stepped.AvroType().Schema(), new(squarebot.SquarebotMessage), own) })
		if resolved > same+2*slackBytes+uint64(len(own)) {
			t.Errorf("%d bytes allocated for a %d-byte message, %d for the same value written with the type's schema (%d bytes)", resolved, len(data), same, len(own))
		}
	}
	// Broken after the cut fields, and in a kept field after them: the
	// errors are decodeDirect's.
	bad := slices.Clone(data)
	bad[len(bad)-1] = 0x05 // the reactions' end: a block of -3 items
	badEnum := slices.Clone(data)
	i := bytes.Index(badEnum, []byte(strings.Repeat("1", 300))) + 300
	badEnum[i] = 0x7e // message_type, after thread_ts: symbol 63 of 2
	for k, in := range [][]byte{bad, badEnum, data[:len(data)-1]} {
		serr := DecodeFrom(evolved.SquarebotNewer, new(squarebot.SquarebotMessage), in)
		derr := decodeFields(evolved.SquarebotNewer, new(squarebot.SquarebotMessage), in)
		if serr == nil || derr == nil || serr.Error() != derr.Error() {
			t.Errorf("input %d: steps: %v; field by field: %v", k, serr, derr)
		}
	}
}

// TestStepsOf_Runs: a run of fields takes the skipped values between and
// before its fields that DecodeAvroFields can skip, and a changed enum
// that the record's code takes in a run (runtime.EnumField), with the
// record's symbol for each of the writer's. Without that code the enum
// ends the run (Squarebot's newer writer: message and user; channel_type;
// channel_id, thread_ts skipped, message_type, message_id, reactions
// skipped).
func TestStepsOf_Runs(t *testing.T) {
	r := resolvers.get(evolved.SquarebotNewer, new(squarebot.SquarebotMessage).AvroType())
	// huddle, which the reader lacks, is its default, channel (0).
	enum := []int{runtime.EnumField - 1, 6, 0, 1, 2, 3, 4, 0}
	rest := []int{2, runtime.SkipOptionalBytesField, 3, 4, runtime.SkipBytesArrayField}
	want := []stepShape{{runtime.StepFields, slices.Concat([]int{5, 0}, enum, rest)}}
	if got := shapes(r.steps); !reflect.DeepEqual(got, want) {
		t.Errorf("steps %v, want %v", got, want)
	}
	// Cut out of a large message, the skips leave the run too.
	wantTop := []stepShape{{runtime.StepFields, slices.Concat([]int{5, 0}, enum, []int{2, 3, 4})}}
	if got := shapes(r.top); !reflect.DeepEqual(got, wantTop) {
		t.Errorf("top steps %v, want %v", got, wantTop)
	}
	// Code that takes no nested codes (generated before them) gets the
	// enum's own step.
	b := stepBuilder{memo: map[*op][]runtime.Step{}}
	steps, ok := b.record(r.plan)
	if !ok {
		t.Fatal("no steps")
	}
	want = []stepShape{
		{runtime.StepFields, []int{5, 0}},
		{runtime.StepEnum, []int{1}},
		{runtime.StepFields, rest},
	}
	if got := shapes(steps); !reflect.DeepEqual(got, want) {
		t.Errorf("steps without nested codes %v, want %v", got, want)
	}
}

type stepShape struct {
	op     runtime.StepOp
	fields []int
}

func shapes(steps []runtime.Step) []stepShape {
	var out []stepShape
	for _, s := range steps {
		out = append(out, stepShape{s.Op, s.Fields})
	}
	return out
}

// TestStepsOf_Nested: Open edX's newer writer changes every record of the
// event, and each is one run of fields, so that the whole message is one
// run, the changed records and the enum nested in it with their nested
// codes. TestDecodeFrom_FieldByField decodes its messages, and those of
// writers of created_by in a union of the other order or as the record
// alone.
func TestStepsOf_Nested(t *testing.T) {
	r := resolvers.get(evolved.OpenedxNewer, new(learning.CourseEnrollmentChangedV1).AvroType())
	if len(r.steps) != 1 || r.steps[0].Op != runtime.StepFields {
		t.Fatalf("steps %v, want one run", shapes(r.steps))
	}
	var codes []int
	var walk func(run []int)
	walk = func(run []int) {
		for at := 0; at < len(run); at++ {
			c := run[at]
			if !isNested(c) {
				continue
			}
			codes = append(codes, c)
			var ints []int
			ints, at = runtime.Nested(run, at)
			walk(nestedRun(c, ints))
		}
	}
	walk(r.steps[0].Fields)
	// enrollment (user (pii), course, mode, created_by (pii)).
	want := []int{
		runtime.RecordField - 0, runtime.RecordField - 0, runtime.RecordField - 2, runtime.RecordField - 1,
		runtime.EnumField - 2, runtime.NullableRecordField - 5, runtime.RecordField - 2,
	}
	if !reflect.DeepEqual(codes, want) {
		t.Errorf("nested codes %v, want %v", codes, want)
	}

	// Writers of created_by in a union of the other order, or as the
	// record alone, take the same code, with their branches.
	for _, writer := range []string{openedxNewerRecordFirst, openedxNewerNoUnion} {
		if writer == evolved.OpenedxNewer {
			t.Fatal("no created_by to replace in the newer writer")
		}
		res := resolvers.get(writer, new(learning.CourseEnrollmentChangedV1).AvroType())
		if res.err != nil || len(res.steps) != 1 {
			t.Fatalf("%s: %v, steps %v", writer, res.err, shapes(res.steps))
		}
	}
}

// Open edX's newer writer with created_by, a record or null, written in a
// union of the other order and as the record alone.
var (
	openedxNewerRecordFirst = strings.Replace(evolved.OpenedxNewer, openedxNewerCreatedBy, `{"name":"created_by","type":["UserData","null"]}`, 1)
	openedxNewerNoUnion     = strings.Replace(evolved.OpenedxNewer, openedxNewerCreatedBy, `{"name":"created_by","type":"UserData"}`, 1)
)

const openedxNewerCreatedBy = `{"name":"created_by","type":["null","UserData"],"default":null}`

// TestNestedInts_Bounded: a record's run goes into its holder's run only
// when it is at most maxNested ints, and runs that would pass maxRun stay
// apart.
func TestNestedInts_Bounded(t *testing.T) {
	codes := map[int]int{1: runtime.RecordField}
	record := func(n int) runtime.Step {
		return runtime.Step{Op: runtime.StepRecord, Fields: []int{1}, Steps: []runtime.Step{{Op: runtime.StepFields, Fields: make([]int, n)}}}
	}
	if got := nestedInts(codes, ptr(record(maxNested))); len(got) != maxNested+2 || got[0] != runtime.RecordField-1 || got[1] != maxNested {
		t.Errorf("a run of %d: %v", maxNested, got)
	}
	if got := nestedInts(codes, ptr(record(maxNested+1))); got != nil {
		t.Errorf("a run of %d nested", maxNested+1)
	}
	// A record held in a union with null, for code that takes it by value.
	s := record(2)
	s.Branches = []runtime.Branch{runtime.BranchNull, runtime.BranchRecord}
	if got := nestedInts(codes, &s); got != nil {
		t.Errorf("a record in a union nested as RecordField: %v", got)
	}
	// Nothing for a field that the code does not list.
	if got := nestedInts(map[int]int{2: runtime.RecordField}, ptr(record(2))); got != nil {
		t.Errorf("an unlisted field nested: %v", got)
	}
	var steps []runtime.Step
	for range 2 * maxRun / (maxNested + 2) {
		steps = append(steps, record(maxNested))
	}
	for _, s := range nest(codes, steps) {
		if len(s.Fields) > maxRun {
			t.Errorf("a run of %d ints", len(s.Fields))
		}
	}
	if n := len(nest(codes, steps)); n < 2 {
		t.Errorf("%d runs, want them apart", n)
	}
	// Code that takes no nested codes keeps its steps, a skip too.
	old := []runtime.Step{{Op: runtime.StepFields, Fields: []int{0}}, {Op: runtime.StepSkip, Skip: &avrobin.SkipType{Kind: avrobin.SkipBytes}}}
	if got := nest(nil, old); len(got) != 2 || got[1].Op != runtime.StepSkip {
		t.Errorf("steps for code without nested codes: %v", shapes(got))
	}
	if got := nest(codes, old); len(got) != 1 || !slices.Equal(got[0].Fields, []int{0, runtime.SkipBytesField}) {
		t.Errorf("a skip after a run: %v", shapes(got))
	}
}

func ptr[T any](v T) *T { return &v }

// TestStepsOf_LiteralDefaults: the fields that Open edX's older writer lacks
// (UserPersonalData's name, CourseData's end) are set in their record's run
// of fields, by the generated code that lists them (runtime.DefaultSetter),
// and not decoded from their encoding in a step of their own; a type whose
// code lists none keeps the StepValue.
func TestStepsOf_LiteralDefaults(t *testing.T) {
	r := resolvers.get(evolved.OpenedxOlder, new(learning.CourseEnrollmentChangedV1).AvroType())
	// Without nested codes, so that each record's run is a step's.
	literal, _ := codesOf(new(learning.CourseEnrollmentChangedV1).AvroType())
	b := stepBuilder{memo: map[*op][]runtime.Step{}, literal: literal}
	steps, ok := b.record(r.plan)
	if !ok {
		t.Fatal("no steps")
	}
	runs, values := stepShapes(steps)
	if values != 0 {
		t.Errorf("%d StepValues, want none", values)
	}
	if got, want := runs["pii"], []int{0, 1, runtime.DefaultField - 2}; !reflect.DeepEqual(got, want) {
		t.Errorf("pii's run %v, want %v", got, want)
	}
	if got, want := runs["course"], []int{0, 1, 2, runtime.DefaultField - 3}; !reflect.DeepEqual(got, want) {
		t.Errorf("course's run %v, want %v", got, want)
	}
	// Without the generated code's list, the defaults are decoded.
	b = stepBuilder{memo: map[*op][]runtime.Step{}}
	steps, ok = b.record(r.plan)
	if !ok {
		t.Fatal("no steps")
	}
	if _, values := stepShapes(steps); values != 3 { // pii's name twice (in user and created_by), course's end
		t.Errorf("%d StepValues without the list, want 3", values)
	}
}

// stepShapes returns the last run of fields of each record that steps
// hold, by the field that holds it ("" for the root), and how many
// StepValues they take.
func stepShapes(steps []runtime.Step) (runs map[string][]int, values int) {
	runs = map[string][]int{}
	var walk func(name string, steps []runtime.Step)
	walk = func(name string, steps []runtime.Step) {
		for _, s := range steps {
			switch s.Op {
			case runtime.StepValue:
				values++
			case runtime.StepRecord:
				walk(s.Name, s.Steps)
			case runtime.StepFields, runtime.StepChecked:
				runs[name] = s.Fields
			}
		}
	}
	walk("", steps)
	return runs, values
}

// TestTopStepsOf_KeepsDefaults: the root's steps without its skips keep the
// defaults that its runs set.
func TestTopStepsOf_KeepsDefaults(t *testing.T) {
	steps := []runtime.Step{
		{Op: runtime.StepFields, Fields: []int{runtime.SkipLongField, 0, runtime.SkipBytesArrayField, runtime.DefaultField - 1}},
		{Op: runtime.StepSkip},
	}
	top := topStepsOf(&op{scanTop: true}, steps)
	if len(top) != 1 || !reflect.DeepEqual(top[0].Fields, []int{0, runtime.DefaultField - 1}) {
		t.Errorf("top steps %+v", top)
	}
	if len(steps[0].Fields) != 4 {
		t.Errorf("topStepsOf changed the steps: %v", steps[0].Fields)
	}
	// The skips of a nested record are its own, and the ints of an enum
	// are symbols, -1 for none: both stay.
	nested := []int{runtime.RecordField - 2, 2, runtime.SkipLongField, 0, runtime.EnumField - 3, 2, -1, 0}
	steps = []runtime.Step{{Op: runtime.StepFields, Fields: slices.Concat([]int{runtime.SkipBytesField}, nested, []int{runtime.SkipLongField})}}
	top = topStepsOf(&op{scanTop: true}, steps)
	if len(top) != 1 || !reflect.DeepEqual(top[0].Fields, nested) {
		t.Errorf("top steps of nested codes %+v", top)
	}
	if !runSkips(nested) || runSkips(nested[4:]) || runSkips(top[0].Fields[4:]) {
		t.Errorf("runSkips: %v %v", runSkips(nested), runSkips(nested[4:]))
	}
	if len(steps[0].Fields) != 10 {
		t.Errorf("topStepsOf changed the steps: %v", steps[0].Fields)
	}
}

// TestPack: packed steps lie in one array in the order decoding meets them,
// their fields in another, and a recursive record's steps still hold
// themselves.
func TestPack(t *testing.T) {
	inner := []runtime.Step{{Op: runtime.StepFields, Fields: []int{0, runtime.SkipLongField}}, {Op: runtime.StepRecord, Fields: []int{1}}}
	inner[1].Steps = inner // a recursive record's
	steps := []runtime.Step{{Op: runtime.StepRecord, Fields: []int{3}, Steps: inner}, {Op: runtime.StepSkip}}
	got := pack(steps)
	if len(got) != 2 || len(got[0].Steps) != 2 {
		t.Fatalf("packed %+v", got)
	}
	nested := got[0].Steps
	if at(&nested[0]) != at(&got[0])+2*unsafe.Sizeof(got[0]) {
		t.Error("the nested steps do not follow the root's")
	}
	if &nested[1].Steps[0] != &nested[0] {
		t.Error("the recursive record's steps do not hold themselves")
	}
	if at(&nested[0].Fields[0]) != at(&got[0].Fields[0])+unsafe.Sizeof(0) {
		t.Error("the nested run's fields do not follow the root's")
	}
	if !reflect.DeepEqual(nested[0].Fields, []int{0, runtime.SkipLongField}) || got[1].Op != runtime.StepSkip {
		t.Errorf("packed steps differ: %+v", got)
	}
	if &got[0] == &steps[0] || &nested[0].Fields[0] == &inner[0].Fields[0] {
		t.Error("pack did not copy")
	}
}

func at[T any](p *T) uintptr { return uintptr(unsafe.Pointer(p)) }

// equalBits is reflect.DeepEqual with floats compared by their bits, so
// that a NaN decoded the same way by two paths equals itself (fuzzing found
// one, seed 7603644f66a34c98, which DeepEqual called different).
func equalBits(a, b any) bool { return valuesEqualBits(reflect.ValueOf(a), reflect.ValueOf(b)) }

func valuesEqualBits(a, b reflect.Value) bool {
	if a.IsValid() != b.IsValid() || a.IsValid() && a.Type() != b.Type() {
		return false
	}
	if !a.IsValid() {
		return true
	}
	switch a.Kind() {
	case reflect.Float32, reflect.Float64:
		return math.Float64bits(a.Float()) == math.Float64bits(b.Float())
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return valuesEqualBits(a.Elem(), b.Elem())
	case reflect.Struct:
		for i := range a.NumField() {
			if !valuesEqualBits(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Slice, reflect.Array:
		if a.Kind() == reflect.Slice && a.IsNil() != b.IsNil() || a.Len() != b.Len() {
			return false
		}
		for i := range a.Len() {
			if !valuesEqualBits(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Map:
		if a.IsNil() != b.IsNil() || a.Len() != b.Len() {
			return false
		}
		for _, k := range a.MapKeys() {
			if v := b.MapIndex(k); !v.IsValid() || !valuesEqualBits(a.MapIndex(k), v) {
				return false
			}
		}
		return true
	}
	return a.Equal(b)
}

func TestEqualBits(t *testing.T) {
	type rec struct {
		F  float64
		P  *float32
		S  []float64
		M  map[string]float64
		IP *int
	}
	nan, one := math.NaN(), float32(1)
	a := rec{nan, &one, []float64{nan}, map[string]float64{"k": nan}, new(int)}
	b := rec{nan, &one, []float64{nan}, map[string]float64{"k": nan}, new(int)}
	if !equalBits(a, b) {
		t.Error("NaNs of the same bits differ")
	}
	for _, c := range []func(*rec){
		func(r *rec) { r.F = 0 },
		func(r *rec) { r.P = nil },
		func(r *rec) { r.S = nil },
		func(r *rec) { r.S = []float64{1} },
		func(r *rec) { r.M = map[string]float64{"j": nan} },
		func(r *rec) { *r.IP = 1 },
		func(r *rec) { r.F = math.Float64frombits(math.Float64bits(nan) + 1) },
	} {
		c2 := b
		c2.S, c2.M, c2.IP = slices.Clone(b.S), map[string]float64{"k": nan}, new(int)
		c(&c2)
		if equalBits(a, c2) {
			t.Errorf("%+v equals %+v", c2, a)
		}
	}
}
