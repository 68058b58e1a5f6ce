package golang_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/big"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/twmb/avro"

	"github.com/evc-dev/evc/backend/golang/internal/amp"
	"github.com/evc-dev/evc/backend/golang/internal/kitchen"
	"github.com/evc-dev/evc/backend/golang/internal/kitchen/domain"
	"github.com/evc-dev/evc/backend/golang/internal/kitchen/other"
	"github.com/evc-dev/evc/internal/race"
	"github.com/evc-dev/evc/runtime"
	"github.com/evc-dev/evc/runtime/avrobin"
	"github.com/evc-dev/evc/runtime/resolve"
)

func ptr[T any](v T) *T { return &v }

// everything returns an Everything with every field set.
func everything() *kitchen.Everything {
	m := kitchen.NewEverything()
	m.Raw = []byte{0, 1, 0xff}
	m.Hash = kitchen.Hash{1, 2, 3, 4}
	m.Money = big.NewRat(-12345, 100)
	m.Price = big.NewRat(1999, 100)
	m.Day = time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)
	m.AtMs = time.UnixMilli(1700000000123).UTC()
	m.AtUs = time.UnixMicro(1700000000123456).UTC()
	m.LocalMs = time.UnixMilli(-5).UTC()
	m.TodMs = 12*time.Hour + 345*time.Millisecond
	m.TodUs = 3*time.Second + 7*time.Microsecond
	m.ID = avrobin.MustParseUUID("123e4567-e89b-42d3-a456-426614174000")
	m.Scores = map[string]float64{"b": 2, "a": 1, "c": -0.5}
	m.Maybe = ptr("maybe")
	m.MaybeList = []int32{}
	m.MaybeMap = map[string]string{"k": "v"}
	m.MaybePrice = big.NewRat(1, 100)
	m.MaybeNode = &kitchen.Node{Value: 1}
	m.Choice = kitchen.EverythingChoiceNode{Value: kitchen.Node{Value: 2, Next: &kitchen.Node{Value: 3}}}
	m.NoNull = kitchen.EverythingNoNullString{Value: "s"}
	m.Email = domain.Email{User: "ada", Domain: "example.org"}
	m.MaybeEmail = &domain.Email{User: "bob", Domain: "example.org"}
	m.Emails = []domain.Email{{User: "a", Domain: "b"}, {User: "c", Domain: "d"}}
	m.Nested = []map[string]*kitchen.Tree{{"x": nil, "y": {Label: "y", Children: []kitchen.Tree{{Label: "leaf", Children: []kitchen.Tree{}}}}}, {}}
	m.List = kitchen.Node{Value: 10, Next: &kitchen.Node{Value: 11}}
	m.Tree = kitchen.Tree{Label: "root", Children: []kitchen.Tree{}}
	m.AppendAvro2 = "clash"
	m.AppendAvro3 = "clash2"
	return m
}

func TestEverything_RoundTrip(t *testing.T) {
	m := everything()
	data, err := m.MarshalAvro()
	if err != nil {
		t.Fatal(err)
	}
	var got kitchen.Everything
	if err := got.UnmarshalAvro(data); err != nil {
		t.Fatal(err)
	}
	again, err := got.MarshalAvro()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, again) {
		t.Fatalf("re-encoding differs:\n%x\n%x", data, again)
	}
	// *big.Rat is compared by value; the rest with DeepEqual.
	for _, p := range [][2]*big.Rat{{m.Money, got.Money}, {m.Price, got.Price}, {m.MaybePrice, got.MaybePrice}} {
		if p[0].Cmp(p[1]) != 0 {
			t.Errorf("decimal %s decoded as %s", p[0], p[1])
		}
	}
	m.Money, m.Price, m.MaybePrice = nil, nil, nil
	got.Money, got.Price, got.MaybePrice = nil, nil, nil
	if !reflect.DeepEqual(m, &got) {
		t.Errorf("decoded\n%+v\nwant\n%+v", got, *m)
	}

	// twmb/avro reads the same bytes with the registered schema.
	s, err := avro.Parse(m.AvroType().Schema())
	if err != nil {
		t.Fatal(err)
	}
	var generic map[string]any
	if rest, err := s.Decode(data, &generic); err != nil || len(rest) != 0 {
		t.Fatalf("twmb/avro: %v, %d bytes left", err, len(rest))
	}
	if generic["email"] != "ada@example.org" || generic["user_id"] != int64(42) || generic["color"] != "blue" {
		t.Errorf("twmb/avro reads email %v, user_id %v, color %v", generic["email"], generic["user_id"], generic["color"])
	}
}

// TestMap_KeysSorted checks that generated code writes a map's entries in
// the byte order of their keys, whatever order the map gives them in, so
// that equal values have equal encodings: small maps (sorted in a stack
// array) and large ones, keys that share long prefixes or differ only
// past their first eight bytes, keys that are prefixes of others, and
// non-ASCII keys.
func TestMap_KeysSorted(t *testing.T) {
	const block = "block-v1:edX+DemoX+2024_T3+type@sequential+block@"
	sets := [][]string{
		{},
		{"only"},
		{"b", "a"},
		{"e", "b", "d", "a", "c"},
		{block + "intro", block + "basics", block + "midterm", block + "advanced", block + "final"},
		{"abcdefgh2", "abcdefgh1", "abcdefgh", "abcdefg", "abcdefgh\x00", "", "abcdefghi"},
		{"\u00e9t\u00e9", "zz", "\u00e9", "e\u0301", "\U0001f600", "ascii"},
	}
	var many []string
	for i := range 40 {
		many = append(many, block+strconv.Itoa(i*7919%1000))
	}
	sets = append(sets, many[:avrobin.SmallMap], many[:avrobin.SmallMap+1], many)
	for _, keys := range sets {
		sorted := slices.Sorted(slices.Values(keys))
		want := []byte{0}
		if len(keys) > 0 {
			want = avrobin.AppendCount(nil, len(keys))
			for _, k := range sorted {
				want, _ = avrobin.AppendString(want, k)
				want = avrobin.AppendInt(avrobin.AppendCount(want, 1), int32(len(k)))
				want = append(want, 0)
			}
			want = append(want, 0)
		}
		// Insert in reverse order: a small map then iterates in a rotation
		// of it, never in sorted order.
		m := amp.MapArr{V: map[string][]int32{}}
		for _, k := range slices.Backward(sorted) {
			m.V[k] = []int32{int32(len(k))}
		}
		for range 20 {
			got, err := m.MarshalAvro()
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("%d keys: encoding\n%x, %v\nwant (keys sorted)\n%x", len(keys), got, err, want)
			}
		}
	}
}

func TestEverything_Defaults(t *testing.T) {
	m := kitchen.NewEverything()
	if !m.Flag || m.Count != 7 || m.Big != -9000000000 || m.Ratio != 1.5 || m.Precise != 2.25 ||
		m.Text != "hé" || m.Color != kitchen.ColorBlue || !reflect.DeepEqual(m.Tags, []string{"a", "b"}) ||
		m.Scores == nil || m.UserID != 42 || m.Maybe != nil {
		t.Errorf("NewEverything() = %+v", m)
	}
}

func TestDiamond_Defaults(t *testing.T) {
	m := kitchen.NewDiamond()
	want := kitchen.Diamond{
		Left:  kitchen.Corner{Tip: kitchen.Tip{Label: "leaf"}, Weight: 1},
		Right: kitchen.Corner{Tip: kitchen.Tip{Label: "leaf"}, Weight: 1},
	}
	if *m != want {
		t.Errorf("NewDiamond() = %+v, want %+v", *m, want)
	}
}

func TestEverything_Descriptor(t *testing.T) {
	ty := (*kitchen.Everything)(nil).AvroType()
	if ty.Name != "evc.kitchen.Everything" || ty.Event == nil || ty.Event.Type != "evc.kitchen.everything.v1" {
		t.Errorf("descriptor %+v", ty)
	}
	if len(ty.Topics) != 1 || ty.Topics[0] != (runtime.TopicRole{Topic: "kitchen.everything"}) {
		t.Errorf("topics %+v", ty.Topics)
	}
	key := (*kitchen.EverythingKey)(nil).AvroType()
	if len(key.Topics) != 1 || !key.Topics[0].Key {
		t.Errorf("key topics %+v", key.Topics)
	}
	s, err := avro.Parse(ty.Schema())
	if err != nil {
		t.Fatal(err)
	}
	if string(s.Canonical()) != ty.Canonical() {
		t.Errorf("Canonical is not the schema's canonical form")
	}
	if _, ok := ty.New().(*kitchen.Everything); !ok {
		t.Errorf("New returns %T", ty.New())
	}
}

func TestEverything_EncodeErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		edit  func(m *kitchen.Everything)
		field string
	}{
		{"enum out of range", func(m *kitchen.Everything) { m.Color = 9 }, "color"},
		{"nil union without null", func(m *kitchen.Everything) { m.NoNull = nil }, "no_null"},
		{"text marshaller fails", func(m *kitchen.Everything) { m.Emails[1] = domain.Email{} }, "emails[1]"},
		{"decimal with too many places", func(m *kitchen.Everything) { m.Price = big.NewRat(1, 1000) }, "price"},
		{"nested enum in union", func(m *kitchen.Everything) { m.Choice = kitchen.EverythingChoiceColor{Value: -1} }, "choice"},
		// Avro readers take the declared precision at its word: python3-avro
		// reads 123456789012.34 in a decimal(10,2) back as 123456789000.00.
		{"decimal beyond its precision", func(m *kitchen.Everything) { m.Price, _ = new(big.Rat).SetString("123456789012.34") }, "price"},
		{"optional decimal beyond its precision", func(m *kitchen.Everything) { m.MaybePrice = big.NewRat(-10000000000, 100) }, "maybe_price"},
		{"fixed decimal beyond its precision", func(m *kitchen.Everything) { m.Money = big.NewRat(1e12, 1) }, "money"},
		// A string that is not UTF-8 makes python3-avro raise and avsc
		// substitute U+FFFD.
		{"string not UTF-8", func(m *kitchen.Everything) { m.Text = "caf\xe9" }, "text"},
		{"optional string not UTF-8", func(m *kitchen.Everything) { m.Maybe = ptr("\xff") }, "maybe"},
		{"array item not UTF-8", func(m *kitchen.Everything) { m.Tags = []string{"ok", "\xc3("} }, "tags[1]"},
		{"map key not UTF-8", func(m *kitchen.Everything) { m.Scores = map[string]float64{"\xff": 1} }, `scores["\xff"]`},
		{"map value not UTF-8", func(m *kitchen.Everything) { m.MaybeMap = map[string]string{"k": "\xed\xa0\x80"} }, `maybe_map["k"]`},
		{"union branch not UTF-8", func(m *kitchen.Everything) { m.NoNull = kitchen.EverythingNoNullString{Value: "\x80"} }, "no_null"},
		{"custom text not UTF-8", func(m *kitchen.Everything) { m.Email = domain.Email{User: "\xff", Domain: "x"} }, "email"},
		{"nested record string not UTF-8", func(m *kitchen.Everything) { m.Tree.Children = []kitchen.Tree{{Label: "\xfe"}} }, "tree.children[0].label"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := everything()
			tc.edit(m)
			dst := []byte("keep")
			out, err := m.AppendAvro(dst)
			var e *avrobin.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not an *avrobin.Error", err)
			}
			if e.Path != tc.field || e.Type != "evc.kitchen.Everything" || e.Op != "encode" {
				t.Errorf("error %q has path %q, type %q", err, e.Path, e.Type)
			}
			if string(out) != "keep" {
				t.Errorf("AppendAvro returned %q, want dst as it was", out)
			}
			if !errors.Is(err, avrobin.ErrInvalid) && tc.name != "text marshaller fails" {
				t.Errorf("error %q does not wrap avrobin.ErrInvalid", err)
			}
		})
	}
}

// TestEverything_DecodesInvalidUTF8: decoding takes a string's bytes as they
// are, as Apache Avro's Java reader does; encoding the value again refuses
// them, naming the field.
func TestEverything_DecodesInvalidUTF8(t *testing.T) {
	m := everything()
	m.Text = "caf\u00e9"
	data, err := m.MarshalAvro()
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(data, []byte("caf\u00e9"))
	if i < 0 {
		t.Fatal("text not found in the encoding")
	}
	data[i+3] = 0xff // "caf\xff\xa9": not UTF-8, the same length
	var got kitchen.Everything
	if err := got.UnmarshalAvro(data); err != nil || got.Text != "caf\xff\xa9" {
		t.Fatalf("decoded text %q, %v", got.Text, err)
	}
	var e *avrobin.Error
	if _, err := got.MarshalAvro(); !errors.As(err, &e) || e.Path != "text" || !errors.Is(err, avrobin.ErrInvalid) {
		t.Errorf("encoding it again: %v, want an invalid value at text", err)
	}
}

// TestEverything_DecodesBeyondPrecision: decoding takes a decimal with more
// digits than its precision as it is, as Apache Avro's Java reader does;
// encoding the value again refuses it, naming the field.
func TestEverything_DecodesBeyondPrecision(t *testing.T) {
	data, err := everything().MarshalAvro() // money: -123.45 in 8 bytes
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(data, []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xcf, 0xc7})
	if i < 0 {
		t.Fatal("money not found in the encoding")
	}
	copy(data[i:], []byte{0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}) // 19 digits in a decimal(12, 2)
	var got kitchen.Everything
	if err := got.UnmarshalAvro(data); err != nil || got.Money.FloatString(2) != "92233720368547758.07" {
		t.Fatalf("decoded money %v, %v", got.Money, err)
	}
	var e *avrobin.Error
	if _, err := got.MarshalAvro(); !errors.As(err, &e) || e.Path != "money" || !errors.Is(err, avrobin.ErrInvalid) {
		t.Errorf("encoding it again: %v, want an invalid value at money", err)
	}
}

func TestEverything_DecodeErrors(t *testing.T) {
	data, err := everything().MarshalAvro()
	if err != nil {
		t.Fatal(err)
	}
	// Every truncation fails, with an error, without a panic.
	for n := range len(data) {
		var m kitchen.Everything
		err := m.UnmarshalAvro(data[:n])
		var e *avrobin.Error
		if !errors.As(err, &e) {
			t.Fatalf("truncated to %d bytes: error %v is not an *avrobin.Error", n, err)
		}
		if e.Op != "decode" || e.Type != "evc.kitchen.Everything" {
			t.Fatalf("truncated to %d bytes: %v", n, err)
		}
	}
	var m kitchen.Everything
	if err := m.UnmarshalAvro(append(data, 0)); !errors.Is(err, avrobin.ErrTrailing) {
		t.Errorf("trailing byte: %v", err)
	}
}

// TestNode_DecodeErrors feeds hand-made corrupt input to a small record and
// checks the cause and the field path.
func TestNode_DecodeErrors(t *testing.T) {
	deep := bytes.Repeat([]byte{0x00, 0x02}, avrobin.MaxDepth+10)
	deep = append(deep, 0, 0)
	for _, tc := range []struct {
		name string
		in   []byte
		want error
		path string
	}{
		{"empty", nil, avrobin.ErrShortBuffer, "value"},
		{"bad union index", []byte{0x00, 0x04}, avrobin.ErrUnionIndex, "next"},
		{"negative union index", []byte{0x00, 0x01}, avrobin.ErrUnionIndex, "next"},
		{"varint too long", []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0x01}, avrobin.ErrOverflow, "value"},
		{"nested truncation", []byte{0x00, 0x02, 0x00}, avrobin.ErrShortBuffer, "next.next"},
		{"too deep", deep, avrobin.ErrDepth, strings.TrimSuffix(strings.Repeat("next.", avrobin.MaxDepth), ".")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var n kitchen.Node
			err := n.UnmarshalAvro(tc.in)
			if !errors.Is(err, tc.want) {
				t.Fatalf("error %v, want %v", err, tc.want)
			}
			var e *avrobin.Error
			if !errors.As(err, &e) || e.Path != tc.path {
				t.Errorf("error %q: path %q, want %q", err, e.Path, tc.path)
			}
		})
	}
}

func TestTree_DecodeErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []byte
		want error
		path string
	}{
		{"length beyond input", []byte{0xfe, 0xff, 0xff, 0xff, 0x0f}, avrobin.ErrLength, "label"},
		{"negative length", []byte{0x01}, avrobin.ErrLength, "label"},
		{"count beyond input", []byte{0x00, 0xfe, 0xff, 0xff, 0xff, 0x0f}, avrobin.ErrCount, "children"},
		{"negative count with bad size", []byte{0x00, 0x01, 0x7e}, avrobin.ErrLength, "children"},
		{"item error", []byte{0x00, 0x04, 0x00, 0x00, 0x06, 0x61}, avrobin.ErrLength, "children[1].label"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var tr kitchen.Tree
			err := tr.UnmarshalAvro(tc.in)
			if !errors.Is(err, tc.want) {
				t.Fatalf("error %v, want %v", err, tc.want)
			}
			var e *avrobin.Error
			if !errors.As(err, &e) || e.Path != tc.path {
				t.Errorf("error %q: path %q, want %q", err, e.Path, tc.path)
			}
		})
	}
	// A negative block count, with its byte size, is read as its absolute
	// value.
	var tr kitchen.Tree
	in := []byte{0x02, 'r', 0x01, 0x06, 0x02, 'a', 0x00, 0x00}
	if err := tr.UnmarshalAvro(in); err != nil || len(tr.Children) != 1 || tr.Children[0].Label != "a" {
		t.Errorf("negative block count: %v, %+v", err, tr)
	}
}

// TestTree_DecodeAllocations checks that strings take one allocation for a
// whole message, and none when aliasing the input.
func TestTree_DecodeAllocations(t *testing.T) {
	if race.Enabled {
		t.Skip("the race detector changes allocation counts")
	}
	m := kitchen.Tree{Label: "root", Children: []kitchen.Tree{
		{Label: "a", Children: []kitchen.Tree{}},
		{Label: "b", Children: []kitchen.Tree{}},
		{Label: "c", Children: []kitchen.Tree{}},
	}}
	data, err := m.MarshalAvro()
	if err != nil {
		t.Fatal(err)
	}
	var tr kitchen.Tree
	// One for the copy of the input, one for the children slice; the empty
	// slices of the leaves take none.
	if n := testing.AllocsPerRun(100, func() { tr.UnmarshalAvro(data) }); n != 2 {
		t.Errorf("UnmarshalAvro: %v allocations, want 2", n)
	}
	if n := testing.AllocsPerRun(100, func() { tr.UnmarshalAvroAlias(data) }); n != 1 {
		t.Errorf("UnmarshalAvroAlias: %v allocations, want 1", n)
	}
	if !reflect.DeepEqual(tr, m) {
		t.Errorf("decoded %+v", tr)
	}
	buf := make([]byte, 0, 64)
	if n := testing.AllocsPerRun(100, func() { buf, _ = m.AppendAvro(buf[:0]) }); n != 0 {
		t.Errorf("AppendAvro: %v allocations, want 0", n)
	}
}

func TestTree_AliasAndCopy(t *testing.T) {
	data, _ := (&kitchen.Tree{Label: "abc", Children: []kitchen.Tree{}}).MarshalAvro()
	var copied, aliased kitchen.Tree
	if err := copied.UnmarshalAvro(data); err != nil {
		t.Fatal(err)
	}
	if err := aliased.UnmarshalAvroAlias(data); err != nil {
		t.Fatal(err)
	}
	data[1] = 'x'
	if copied.Label != "abc" {
		t.Errorf("UnmarshalAvro's string changed with its input: %q", copied.Label)
	}
	if aliased.Label != "xbc" {
		t.Errorf("UnmarshalAvroAlias's string does not alias its input: %q", aliased.Label)
	}
}

func TestDecodeFrom_Evolution(t *testing.T) {
	// An older EverythingKey had a string id and a field since removed;
	// the reader's uuid is a string on the wire, so the id resolves.
	writer := `{"type":"record","name":"EverythingKey","namespace":"evc.kitchen","fields":[{"name":"old","type":"int"},{"name":"id","type":"string"}]}`
	w := avro.MustParse(writer)
	data, err := w.Encode(map[string]any{"old": 5, "id": "123e4567-e89b-42d3-a456-426614174000"})
	if err != nil {
		t.Fatal(err)
	}
	var k kitchen.EverythingKey
	if err := resolve.DecodeFrom(writer, &k, data); err != nil {
		t.Fatal(err)
	}
	if k.ID.String() != "123e4567-e89b-42d3-a456-426614174000" {
		t.Errorf("id %s", k.ID)
	}
	// The same schema takes the direct path.
	own, _ := (&kitchen.EverythingKey{ID: k.ID}).MarshalAvro()
	var k2 kitchen.EverythingKey
	if err := resolve.DecodeFrom(k.AvroType().Schema(), &k2, own); err != nil || k2 != k {
		t.Errorf("own schema: %v, %v", err, k2)
	}
	// An incompatible writer is an error, not a panic.
	if err := resolve.DecodeFrom(`{"type":"record","name":"EverythingKey","namespace":"evc.kitchen","fields":[{"name":"id","type":"int"}]}`, &k2, []byte{2}); err == nil {
		t.Error("incompatible writer: no error")
	}
	if err := resolve.DecodeFrom(`{`, &k2, []byte{2}); err == nil {
		t.Error("bad writer schema: no error")
	}
}

func TestWrapper_OtherPackage(t *testing.T) {
	w := other.NewWrapper()
	if w.Color != kitchen.ColorGreen {
		t.Errorf("default color %v", w.Color)
	}
	w.Node = kitchen.Node{Value: 1, Next: &kitchen.Node{Value: 2}}
	w.Maybe = &kitchen.Tree{Label: "t", Children: []kitchen.Tree{}}
	w.Hashes = []kitchen.Hash{{1, 2, 3, 4}}
	w.Choice = other.WrapperChoiceEmpty{}
	w.Email = domain.Email{User: "a", Domain: "b"}
	data, err := w.MarshalAvro()
	if err != nil {
		t.Fatal(err)
	}
	var got other.Wrapper
	if err := got.UnmarshalAvro(data); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&got, w) {
		t.Errorf("decoded %+v, want %+v", got, *w)
	}
	// A nested record's error names the outermost type.
	w.Choice = other.WrapperChoiceNode{Value: kitchen.Node{Value: 1}}
	data, _ = w.MarshalAvro()
	err = got.UnmarshalAvro(data[:len(data)-12])
	var e *avrobin.Error
	if !errors.As(err, &e) || e.Type != "evc.kitchen.other.Wrapper" {
		t.Errorf("error %v", err)
	}
}

// TestDecodeFrom_LiteralDefaults decodes, for every kitchen record whose
// generated DecodeAvroFields sets defaults itself (runtime.DefaultSetter),
// data from a writer that renamed each of those fields, so that the reader
// fills all of them with their defaults inside the generated steps. The
// result must be what the plan's own decoding of the encoded defaults
// gives (the message transcoded whole, then decoded with UnmarshalAvro),
// into a message whose fields held other values before.
func TestDecodeFrom_LiteralDefaults(t *testing.T) {
	for _, m := range []runtime.Message{everything(), &kitchen.Node{Value: 4, Next: &kitchen.Node{Value: 5}}, kitchen.NewCorner(), kitchen.NewTip(), wrapper()} {
		name := m.AvroType().Name
		fields := m.(runtime.DefaultSetter).AvroDefaultFields()
		if len(fields) == 0 {
			t.Fatalf("%s: no literal defaults", name)
		}
		writer, data := renamedWriter(t, m, fields)
		got := reflect.New(reflect.TypeOf(m).Elem()).Interface().(runtime.Message)
		own, err := m.AppendAvro(nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := got.UnmarshalAvro(own); err != nil {
			t.Fatal(err)
		}
		for _, i := range fields {
			perturb(reflect.ValueOf(got).Elem().Field(i))
		}
		spy := &stepsSpy{StepDecoder: got.(runtime.StepDecoder), Message: got}
		if err := resolve.DecodeFrom(writer, spy, data); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if spy.calls != 1 {
			t.Fatalf("%s: UnmarshalAvroSteps called %d times, want 1", name, spy.calls)
		}
		whole := reflect.New(reflect.TypeOf(m).Elem()).Interface().(runtime.Message)
		if err := resolve.DecodeFrom(writer, messageOnly{whole}, data); err != nil {
			t.Fatalf("%s, transcoded whole: %v", name, err)
		}
		if !reflect.DeepEqual(got, whole) {
			t.Errorf("%s: defaults set in the steps\n %#v\nwant, decoded from their encoding,\n %#v", name, got, whole)
		}
	}
}

func wrapper() *other.Wrapper {
	w := other.NewWrapper()
	w.Email = domain.Email{User: "ada", Domain: "example.org"}
	return w
}

// renamedWriter returns the schema of m with fields renamed, so that a reader
// of m's schema lacks them, and m encoded with it.
func renamedWriter(t *testing.T, m runtime.Message, fields []int) (string, []byte) {
	t.Helper()
	var s map[string]any
	if err := json.Unmarshal([]byte(m.AvroType().Schema()), &s); err != nil {
		t.Fatal(err)
	}
	for _, i := range fields {
		f := s["fields"].([]any)[i].(map[string]any)
		f["name"] = "was_" + f["name"].(string)
	}
	writer, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	own, err := m.AppendAvro(nil)
	if err != nil {
		t.Fatal(err)
	}
	// A field's encoding does not hold its name: the bytes are the writer's.
	return string(writer), own
}

// perturb sets v, a field holding its default, to another value.
func perturb(v reflect.Value) {
	switch v.Kind() {
	case reflect.Bool:
		v.SetBool(!v.Bool())
	case reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Int:
		v.SetInt(v.Int() + 1)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(v.Float() + 1)
	case reflect.String:
		v.SetString(v.String() + "!")
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
	}
}

// stepsSpy counts the messages that resolve.DecodeFrom decodes with steps.
type stepsSpy struct {
	runtime.StepDecoder
	runtime.Message
	calls int
}

func (s *stepsSpy) UnmarshalAvroSteps(steps []runtime.Step, data []byte) error {
	s.calls++
	return s.StepDecoder.UnmarshalAvroSteps(steps, data)
}

// messageOnly hides a message's FieldDecoder and StepDecoder methods, so
// that resolve.DecodeFrom transcodes the data whole (as runtime/resolve's
// tests' messageOnly does).
type messageOnly struct{ runtime.Message }
