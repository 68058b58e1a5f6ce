package serde_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/evc-dev/evc/runtime"
	"github.com/evc-dev/evc/runtime/serde"
	"github.com/twmb/franz-go/pkg/sr"
)

func TestManager_SerializeWireFormat(t *testing.T) {
	reg := newRegistry(t)
	m := newManager(t, reg.URL())
	ctx := ctxT(t)

	// A first registered type takes id 1; make ours 2 to see the id bytes.
	if _, _, err := reg.RegisterSchema("other", sr.Schema{Schema: `"string"`}); err != nil {
		t.Fatal(err)
	}
	u := &UserV1{Name: "Ada", Age: 36}
	data, err := m.Serialize(ctx, u) // registers on first use
	if err != nil {
		t.Fatal(err)
	}
	ss, ok := reg.GetSchema("evc.test.User", 1)
	if !ok {
		t.Fatal("Serialize did not register the type")
	}
	body, err := userV1Schema.Encode(u)
	if err != nil {
		t.Fatal(err)
	}
	want := append([]byte{0, 0, 0, 0, byte(ss.ID)}, body...)
	if ss.ID != 2 || !bytes.Equal(data, want) {
		t.Fatalf("Serialize = % x (id %d), want % x", data, ss.ID, want)
	}

	// Warm: no network call.
	before := len(reg.requests())
	prefix := []byte("keep")
	out, err := m.AppendSerialize(ctx, prefix, u)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out, append([]byte("keep"), want...)) {
		t.Errorf("AppendSerialize = % x", out)
	}
	if got := reg.requests()[before:]; len(got) != 0 {
		t.Errorf("warm Serialize made requests %v", got)
	}
}

func TestManager_SerializeErrors(t *testing.T) {
	reg := newRegistry(t)
	m := newManager(t, reg.URL())
	ctx := ctxT(t)
	if _, err := m.Serialize(ctx, nil); err == nil || err.Error() != "evc: serde: nil message" {
		t.Errorf("Serialize(nil) = %v", err)
	}
	if err := m.Register(ctx, (*Order)(nil)); err != nil {
		t.Fatal(err)
	}
	dst := []byte{1, 2, 3}
	out, err := m.AppendSerialize(ctx, dst, failingOrder{})
	var ee *serde.EncodeError
	if !errors.As(err, &ee) || ee.Type != "evc.test.Order" || !bytes.Equal(out, dst) {
		t.Errorf("AppendSerialize(failing) = % x, %v", out, err)
	}
	// The same on first use, which registers the type first.
	fresh := newManager(t, reg.URL())
	out, err = fresh.AppendSerialize(ctx, dst, failingOrder{})
	if !errors.As(err, &ee) || ee.Type != "evc.test.Order" || !bytes.Equal(out, dst) {
		t.Errorf("first AppendSerialize(failing) = % x, %v", out, err)
	}
	if err.Error() != `evc: serde: encoding "evc.test.Order": boom` {
		t.Errorf("error = %v", err)
	}
}

// failingOrder shares Order's type descriptor but cannot encode.
type failingOrder struct{}

func (failingOrder) AvroType() *runtime.Type             { return orderType }
func (failingOrder) AppendAvro(b []byte) ([]byte, error) { return b, errors.New("boom") }
func (failingOrder) UnmarshalAvro([]byte) error          { return nil }

func TestManager_RoundTrip(t *testing.T) {
	reg := newRegistry(t)
	producer := newManager(t, reg.URL())
	ctx := ctxT(t)
	in := []runtime.Message{
		&UserV1{Name: "Ada", Age: 36},
		&Order{ID: 1 << 40, Items: []string{"tea", "scones"}},
		&OrderKey{ID: -7},
	}
	var wire [][]byte
	for _, msg := range in {
		data, err := producer.Serialize(ctx, msg)
		if err != nil {
			t.Fatal(err)
		}
		wire = append(wire, data)
		got, err := producer.Deserialize(ctx, data)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, msg) {
			t.Errorf("producer round trip: got %#v, want %#v", got, msg)
		}
	}

	// A consumer that never registers: it knows the types, fetches each
	// writer schema once.
	consumer := newManager(t, reg.URL(), serde.AutoRegister(false))
	if err := consumer.AddTypes((*UserV1)(nil), (*Order)(nil), (*OrderKey)(nil)); err != nil {
		t.Fatal(err)
	}
	before := len(reg.requests())
	for range 3 {
		for i, data := range wire {
			got, err := consumer.Deserialize(ctx, data)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, in[i]) {
				t.Errorf("consumer: got %#v, want %#v", got, in[i])
			}
		}
	}
	if got := reg.requests()[before:]; len(got) != len(wire) {
		t.Errorf("consumer made requests %v, want one schema fetch per id", got)
	}

	// Typed forms.
	u, err := serde.DeserializeAs[*UserV1](ctx, consumer, wire[0])
	if err != nil || *u != (UserV1{Name: "Ada", Age: 36}) {
		t.Errorf("DeserializeAs[*UserV1] = %+v, %v", u, err)
	}
	msg, err := serde.DeserializeAs[runtime.Message](ctx, consumer, wire[1])
	if _, ok := msg.(*Order); err != nil || !ok {
		t.Errorf("DeserializeAs[runtime.Message] = %T, %v", msg, err)
	}
	var into Order
	if err := consumer.DeserializeInto(ctx, wire[1], &into); err != nil || !reflect.DeepEqual(&into, in[1]) {
		t.Errorf("DeserializeInto = %+v, %v", into, err)
	}
	_, err = serde.DeserializeAs[*Order](ctx, consumer, wire[0])
	id, _ := consumer.SchemaID(ctx, (*UserV1)(nil))
	want := &serde.TypeMismatchError{ID: id, Writer: "evc.test.User", Want: "evc.test.Order"}
	if !reflect.DeepEqual(err, want) {
		t.Errorf("DeserializeAs[*Order](user) = %v, want %v", err, want)
	}
	_, err = serde.DeserializeAs[interface {
		runtime.Message
		Unrelated()
	}](ctx, consumer, wire[0])
	var tm *serde.TypeMismatchError
	if !errors.As(err, &tm) {
		t.Errorf("DeserializeAs[interface] = %v, want *TypeMismatchError", err)
	}

	// DeserializeAs needs no prior AddTypes: T names its type.
	fresh := newManager(t, reg.URL())
	if k, err := serde.DeserializeAs[*OrderKey](ctx, fresh, wire[2]); err != nil || k.ID != -7 {
		t.Errorf("fresh DeserializeAs[*OrderKey] = %+v, %v", k, err)
	}
}

func TestManager_DeserializeAliases(t *testing.T) {
	reg := newRegistry(t)
	ctx := ctxT(t)
	producer := newManager(t, reg.URL())
	old, err := producer.Serialize(ctx, &UserV1{Name: "Ada", Age: 36})
	if err != nil {
		t.Fatal(err)
	}
	renamed, err := producer.Serialize(ctx, &Person{Name: "Grace", Age: 45})
	if err != nil {
		t.Fatal(err)
	}

	// A consumer on the renamed type reads data written as evc.test.User,
	// which Person's aliases name.
	c1 := newManager(t, reg.URL())
	if err := c1.AddTypes((*Person)(nil)); err != nil {
		t.Fatal(err)
	}
	msg, err := c1.Deserialize(ctx, old)
	if err != nil {
		t.Fatalf("Deserialize(old as Person) = %v", err)
	}
	if p, ok := msg.(*Person); !ok || *p != (Person{Name: "Ada", Age: 36}) {
		t.Errorf("Deserialize(old as Person) = %#v", msg)
	}
	oldID := int(binary.BigEndian.Uint32(old[1:5]))
	if fast, _ := c1.FastPath(oldID); fast {
		t.Error("data written as evc.test.User took Person's fast path")
	}

	// As in Avro's schema resolution, only the reader's aliases rename: a
	// consumer on the old type does not read the renamed one, even though
	// the writer lists the old name among its aliases.
	c2 := newManager(t, reg.URL())
	if err := c2.AddTypes((*UserV1)(nil)); err != nil {
		t.Fatal(err)
	}
	_, err = c2.Deserialize(ctx, renamed)
	want := fmt.Sprintf(`evc: serde: schema id %d is for "evc.test.Person", which is not a registered type`, binary.BigEndian.Uint32(renamed[1:5]))
	if !errors.As(err, new(*serde.UnknownNameError)) || err.Error() != want {
		t.Errorf("Deserialize(renamed as User) = %v, want %s", err, want)
	}
}

func TestManager_DeserializeErrors(t *testing.T) {
	reg := newRegistry(t)
	ctx := ctxT(t)
	m := newManager(t, reg.URL())
	good, err := m.Serialize(ctx, &UserV1{Name: "Ada", Age: 36})
	if err != nil {
		t.Fatal(err)
	}
	id := int(binary.BigEndian.Uint32(good[1:5]))
	thing := 40
	reg.SeedSchema("other.Thing", 1, thing, sr.Schema{Schema: `{"type":"record","name":"Thing","namespace":"other","fields":[]}`})
	jsonID := 41
	reg.SeedSchema("json-value", 1, jsonID, sr.Schema{Schema: `{"type":"object"}`, Type: sr.TypeJSON})
	badID := 42
	reg.SeedSchema("bad", 1, badID, sr.Schema{Schema: `{"type":"record","name":"Bad","fields":[{"name":"x","type":"nosuch"}]}`})
	wire := func(id int, body ...byte) []byte {
		return append([]byte{0, byte(id >> 24), byte(id >> 16), byte(id >> 8), byte(id)}, body...)
	}

	for _, tc := range []struct {
		name string
		data []byte
		want string
		as   any
	}{
		{"failure_empty", nil, "evc: serde: data is 0 bytes, shorter than the 5-byte wire format header", new(*serde.ShortDataError)},
		{"failure_short", []byte{0, 0, 1}, "evc: serde: data is 3 bytes, shorter than the 5-byte wire format header", new(*serde.ShortDataError)},
		{"failure_magic", append([]byte{1}, good[1:]...), "evc: serde: data starts with byte 0x01, not the wire format's magic byte 0", new(*serde.MagicByteError)},
		{"failure_json_not_wire", []byte(`{"name":"Ada"}`), "evc: serde: data starts with byte 0x7b, not the wire format's magic byte 0", new(*serde.MagicByteError)},
		{"failure_unknown_id", wire(999, 2, 'A'), "evc: serde: schema id 999 is unknown to the registry", new(*serde.UnknownIDError)},
		{"failure_unknown_name", wire(thing), `evc: serde: schema id 40 is for "other.Thing", which is not a registered type`, new(*serde.UnknownNameError)},
		{"failure_not_avro", wire(jsonID, 1), "evc: serde: schema id 41: is a JSON schema, not Avro", new(*serde.SchemaError)},
		{"failure_unparsable_schema", wire(badID, 1), "", new(*serde.SchemaError)},
		{"failure_truncated", good[:len(good)-1], "", new(*serde.DecodeError)},
		{"failure_trailing", append(append([]byte(nil), good...), 0), "", new(*serde.DecodeError)},
		{"failure_no_payload", good[:5], "", new(*serde.DecodeError)},
		{"failure_negative_length", wire(id, 0x01, 'A'), "", new(*serde.DecodeError)},
		{"failure_huge_length", wire(id, 0xfe, 0xff, 0xff, 0xff, 0x0f), "", new(*serde.DecodeError)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			msg, err := m.Deserialize(ctx, tc.data)
			if err == nil {
				t.Fatalf("Deserialize = %#v, want an error", msg)
			}
			if !errors.As(err, tc.as) {
				t.Errorf("error %T (%v), want %T", err, err, tc.as)
			}
			if tc.want != "" && err.Error() != tc.want {
				t.Errorf("error:\n got %s\nwant %s", err, tc.want)
			}
			if tc.want == "" {
				t.Log(err)
			}
			if err := m.DeserializeInto(ctx, tc.data, new(UserV1)); err == nil {
				t.Errorf("DeserializeInto accepted it")
			}
		})
	}
	de := new(*serde.DecodeError)
	_, err = m.Deserialize(ctx, good[:len(good)-1])
	if errors.As(err, de) && ((*de).ID != id || (*de).Type != "evc.test.User" || (*de).Resolved) {
		t.Errorf("DecodeError = %+v", *de)
	}
}

func FuzzDeserialize(f *testing.F) {
	reg := newRegistry(f)
	m, err := serde.New(serde.URLs(reg.URL()), fastRetries)
	if err != nil {
		f.Fatal(err)
	}
	ctx := ctxT(f)
	for _, msg := range []runtime.Message{&UserV1{Name: "Ada", Age: 36}, &Order{ID: 3, Items: []string{"x"}}} {
		data, err := m.Serialize(ctx, msg)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte{0, 0, 0, 0})
	f.Add([]byte{0, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, data []byte) {
		if id := uint32(0); len(data) >= 5 && data[0] == 0 {
			if id = binary.BigEndian.Uint32(data[1:5]); id != 1 && id != 2 {
				return // unknown ids only exercise the registry
			}
		}
		tm := time.AfterFunc(5*time.Second, func() { panic(fmt.Sprintf("slow input %q", data)) })
		defer tm.Stop()
		msg, err := m.Deserialize(ctx, data)
		if (msg == nil) == (err == nil) {
			t.Fatalf("Deserialize = %v, %v", msg, err)
		}
		if err == nil {
			again, err := m.Serialize(ctx, msg)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := m.Deserialize(ctx, again); err != nil {
				t.Fatal(err)
			}
		}
	})
}
