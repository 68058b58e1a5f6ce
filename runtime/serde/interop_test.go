package serde_test

import (
	"encoding/binary"
	"errors"
	"reflect"
	"testing"

	"github.com/evc-dev/evc/runtime"
	"github.com/evc-dev/evc/runtime/serde"
	"github.com/twmb/avro"
	"github.com/twmb/franz-go/pkg/sr"
)

// plainUser is what a service that does not use evc decodes into.
type plainUser struct {
	Name string `avro:"name"`
	Age  int32  `avro:"age"`
}

// TestInterop_FranzGoReadsEVC: bytes evc writes decode with franz-go's
// sr.Serde and twmb/avro, using only the schema the registry returns for the
// id in the data.
func TestInterop_FranzGoReadsEVC(t *testing.T) {
	reg := newRegistry(t)
	ctx := ctxT(t)
	m := newManager(t, reg.URL())
	data, err := m.Serialize(ctx, &UserV1{Name: "Ada", Age: 36})
	if err != nil {
		t.Fatal(err)
	}

	cl, err := sr.NewClient(sr.URLs(reg.URL()))
	if err != nil {
		t.Fatal(err)
	}
	var serde sr.Serde
	id, _, err := serde.DecodeID(data)
	if err != nil {
		t.Fatal(err)
	}
	s, err := cl.SchemaByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	schema, err := avro.Parse(s.Schema)
	if err != nil {
		t.Fatal(err)
	}
	serde.Register(id, plainUser{},
		sr.EncodeFn(func(v any) ([]byte, error) { return schema.Encode(v) }),
		sr.DecodeFn(func(b []byte, v any) error { _, err := schema.Decode(b, v); return err }),
	)
	var got plainUser
	if err := serde.Decode(data, &got); err != nil {
		t.Fatal(err)
	}
	if got != (plainUser{Name: "Ada", Age: 36}) {
		t.Errorf("franz-go decoded %+v", got)
	}
	// And franz-go's encoding of the same value is byte for byte evc's.
	again, err := serde.Encode(plainUser{Name: "Ada", Age: 36})
	if err != nil {
		t.Fatal(err)
	}
	if string(again) != string(data) {
		t.Errorf("franz-go encodes % x, evc % x", again, data)
	}
}

// TestInterop_EVCReadsFranzGo: a producer written with franz-go's sr client
// and Serde and twmb/avro registers its own schema text (formatted its own
// way); evc decodes what it writes.
func TestInterop_EVCReadsFranzGo(t *testing.T) {
	reg := newRegistry(t)
	ctx := ctxT(t)
	const theirs = `{
  "type": "record", "name": "User", "namespace": "evc.test",
  "doc": "registered by someone else",
  "fields": [
    {"name": "name", "type": "string", "doc": "full name"},
    {"name": "age", "type": "int"}
  ]
}`
	cl, err := sr.NewClient(sr.URLs(reg.URL()))
	if err != nil {
		t.Fatal(err)
	}
	ss, err := cl.CreateSchema(ctx, "users-value", sr.Schema{Schema: theirs, Type: sr.TypeAvro})
	if err != nil {
		t.Fatal(err)
	}
	schema := avro.MustParse(theirs)
	var serde sr.Serde
	serde.Register(ss.ID, plainUser{}, sr.AppendEncodeFn(func(b []byte, v any) ([]byte, error) { return schema.AppendEncode(b, v) }))
	data, err := serde.Encode(plainUser{Name: "Grace", Age: 45})
	if err != nil {
		t.Fatal(err)
	}

	m := newManager(t, reg.URL())
	if err := m.AddTypes((*UserV1)(nil)); err != nil {
		t.Fatal(err)
	}
	msg, err := m.Deserialize(ctx, data)
	if err != nil {
		t.Fatal(err)
	}
	if u, ok := msg.(*UserV1); !ok || *u != (UserV1{Name: "Grace", Age: 45}) {
		t.Errorf("evc decoded %#v", msg)
	}
	// Their text differs from ours, but its canonical form is the same: the
	// generated decoder's fast path, not schema resolution, read it.
	if fast, bound := m.FastPath(ss.ID); !fast || !bound {
		t.Errorf("FastPath(%d) = %v, %v; want the fast path", ss.ID, fast, bound)
	}
}

// TestEvolution: a producer on v2 of a type (a field added with a default)
// and a consumer on v1, and the reverse, through the registry.
func TestEvolution(t *testing.T) {
	reg := newRegistry(t)
	ctx := ctxT(t)
	opts := []serde.Option{serde.Compatibility(sr.CompatFull)}
	v1 := newManager(t, reg.URL(), opts...)
	v2 := newManager(t, reg.URL(), opts...)
	if err := v1.Register(ctx, (*UserV1)(nil)); err != nil {
		t.Fatal(err)
	}
	if err := v2.Register(ctx, (*UserV2)(nil)); err != nil {
		t.Fatal(err)
	}
	if !reg.SubjectExists("evc.test.User") {
		t.Fatal("no subject")
	}
	if _, ok := reg.GetSchema("evc.test.User", 2); !ok {
		t.Fatal("v2 is not version 2 of the subject")
	}

	t.Run("success_new_producer_old_consumer", func(t *testing.T) {
		data, err := v2.Serialize(ctx, &UserV2{Name: "Ada", Age: 36, Email: "ada@example.com"})
		if err != nil {
			t.Fatal(err)
		}
		got, err := v1.Deserialize(ctx, data)
		if err != nil {
			t.Fatal(err)
		}
		if want := (&UserV1{Name: "Ada", Age: 36}); !reflect.DeepEqual(got, want) {
			t.Errorf("v1 consumer got %#v, want %#v", got, want)
		}
		id, _ := v2.SchemaID(ctx, (*UserV2)(nil))
		if fast, _ := v1.FastPath(id); fast {
			t.Error("v2 data bound to the v1 fast path")
		}
		u, err := serde.DeserializeAs[*UserV1](ctx, v1, data)
		if err != nil || *u != (UserV1{Name: "Ada", Age: 36}) {
			t.Errorf("DeserializeAs = %+v, %v", u, err)
		}
	})
	t.Run("success_old_producer_new_consumer", func(t *testing.T) {
		data, err := v1.Serialize(ctx, &UserV1{Name: "Grace", Age: 45})
		if err != nil {
			t.Fatal(err)
		}
		got, err := v2.Deserialize(ctx, data)
		if err != nil {
			t.Fatal(err)
		}
		if want := (&UserV2{Name: "Grace", Age: 45, Email: "nobody@example.com"}); !reflect.DeepEqual(got, want) {
			t.Errorf("v2 consumer got %#v, want %#v", got, want)
		}
	})
	t.Run("failure_corrupt_resolved", func(t *testing.T) {
		data, err := v2.Serialize(ctx, &UserV2{Name: "Ada", Age: 36, Email: "ada@example.com"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = v1.Deserialize(ctx, data[:len(data)-3])
		var de *serde.DecodeError
		if !errors.As(err, &de) || !de.Resolved {
			t.Errorf("truncated v2 data read as v1: %v", err)
		}
	})
}

// TestEvolution_FastPath: with both versions known to one Manager, each
// writer schema decodes into the type that is exactly it.
func TestEvolution_FastPath(t *testing.T) {
	reg := newRegistry(t)
	ctx := ctxT(t)
	m := newManager(t, reg.URL())
	d1, err := m.Serialize(ctx, &UserV1{Name: "a", Age: 1})
	if err != nil {
		t.Fatal(err)
	}
	d2, err := m.Serialize(ctx, &UserV2{Name: "b", Age: 2, Email: "e"})
	if err != nil {
		t.Fatal(err)
	}
	consumer := newManager(t, reg.URL())
	if err := consumer.AddTypes((*UserV1)(nil), (*UserV2)(nil)); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		data []byte
		want runtime.Message
	}{{d1, &UserV1{Name: "a", Age: 1}}, {d2, &UserV2{Name: "b", Age: 2, Email: "e"}}} {
		got, err := consumer.Deserialize(ctx, tc.data)
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Deserialize = %#v, %v; want %#v", got, err, tc.want)
		}
		id := int(binary.BigEndian.Uint32(tc.data[1:5]))
		if fast, bound := consumer.FastPath(id); !fast || !bound {
			t.Errorf("id %d: FastPath = %v, %v", id, fast, bound)
		}
	}
}
