package serde_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/evc-dev/evc/runtime"
	"github.com/evc-dev/evc/runtime/serde"
	"github.com/twmb/franz-go/pkg/sr"
)

func TestManager_RegisterRecordName(t *testing.T) {
	reg := newRegistry(t)
	m := newManager(t, reg.URL())
	ctx := ctxT(t)
	if err := m.Register(ctx, (*UserV1)(nil), (*Order)(nil)); err != nil {
		t.Fatal(err)
	}
	for _, typ := range []*runtime.Type{userV1Type, orderType} {
		ss, ok := reg.GetSchema(typ.Name, 1)
		if !ok {
			t.Fatalf("subject %q not registered; requests: %v", typ.Name, reg.requests())
		}
		if ss.Schema.Schema != typ.Schema() {
			t.Errorf("registered schema = %s, want %s", ss.Schema.Schema, typ.Schema())
		}
		id, err := m.SchemaID(ctx, typ.New())
		if err != nil {
			t.Fatal(err)
		}
		if id != ss.ID {
			t.Errorf("SchemaID(%s) = %d, registry says %d", typ.Name, id, ss.ID)
		}
	}
	// Registering again is served from the cache.
	before := len(reg.requests())
	if err := m.Register(ctx, (*UserV1)(nil), (*Order)(nil)); err != nil {
		t.Fatal(err)
	}
	if got := reg.requests()[before:]; len(got) != 0 {
		t.Errorf("second Register made requests %v", got)
	}
}

func TestManager_SubjectStrategies(t *testing.T) {
	for _, tc := range []struct {
		name     string
		opts     []serde.Option
		msg      runtime.Message
		subjects []string
	}{
		{"success_record_name", nil, (*Order)(nil), []string{"evc.test.Order"}},
		{"success_record_name_suffix", []serde.Option{serde.SubjectSuffix("_dev")}, (*Order)(nil), []string{"evc.test.Order_dev"}},
		{"success_topic_name_value", []serde.Option{serde.Strategy(serde.TopicNameStrategy)}, (*Order)(nil), []string{"orders-value", "orders-archive-value"}},
		{"success_topic_name_key", []serde.Option{serde.Strategy(serde.TopicNameStrategy)}, (*OrderKey)(nil), []string{"orders-key"}},
		{"success_topic_name_suffix", []serde.Option{serde.Strategy(serde.TopicNameStrategy), serde.SubjectSuffix(".test")}, (*OrderKey)(nil), []string{"orders-key.test"}},
		{"success_topic_record_name", []serde.Option{serde.Strategy(serde.TopicRecordNameStrategy)}, (*Order)(nil), []string{"orders-evc.test.Order", "orders-archive-evc.test.Order"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reg := newRegistry(t)
			m := newManager(t, reg.URL(), tc.opts...)
			got, err := m.Subjects(tc.msg)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tc.subjects) {
				t.Fatalf("Subjects = %q, want %q", got, tc.subjects)
			}
			if err := m.Register(ctxT(t), tc.msg); err != nil {
				t.Fatal(err)
			}
			cl, _ := sr.NewClient(sr.URLs(reg.URL()))
			all, err := cl.Subjects(ctxT(t))
			if err != nil {
				t.Fatal(err)
			}
			slices.Sort(all)
			want := slices.Sorted(slices.Values(tc.subjects))
			if !slices.Equal(all, want) {
				t.Errorf("registry subjects = %q, want %q", all, want)
			}
		})
	}
}

func TestManager_RegisterFailures(t *testing.T) {
	reg := newRegistry(t)
	ctx := ctxT(t)

	m := newManager(t, reg.URL(), serde.Strategy(serde.TopicNameStrategy))
	err := m.Register(ctx, (*UserV1)(nil))
	const want = `evc: serde: type "evc.test.User" declares no topics, which TopicNameStrategy needs`
	if err == nil || err.Error() != want {
		t.Errorf("Register without topics: got %v, want %s", err, want)
	}

	m = newManager(t, reg.URL())
	if err := m.Register(ctx, nil); err == nil || err.Error() != "evc: serde: nil message" {
		t.Errorf("Register(nil) = %v", err)
	}
	if err := m.Register(ctx, badType{}); err == nil || !strings.Contains(err.Error(), "lacks a name, schema or constructor") {
		t.Errorf("Register(badType) = %v", err)
	}
	if n := len(reg.requests()); n != 0 {
		t.Errorf("failed registrations made %d requests", n)
	}

	// One type failing does not stop the others, and the error says which.
	err = m.Register(ctx, badType{}, (*UserV1)(nil))
	if err == nil || !reg.SubjectExists("evc.test.User") {
		t.Errorf("Register(bad, good) = %v; good registered: %v", err, reg.SubjectExists("evc.test.User"))
	}
}

type badType struct{}

func (badType) AvroType() *runtime.Type             { return &runtime.Type{Name: "x"} }
func (badType) AppendAvro(b []byte) ([]byte, error) { return b, nil }
func (badType) UnmarshalAvro([]byte) error          { return nil }

func TestManager_CompatibilityLevel(t *testing.T) {
	reg := newRegistry(t)
	ctx := ctxT(t)
	// v1 is already there, as when the level changes under running
	// services: re-posting it would return its id without any check.
	if _, _, err := reg.RegisterSchema("evc.test.User", sr.Schema{Schema: userV1Type.Schema()}); err != nil {
		t.Fatal(err)
	}
	m := newManager(t, reg.URL(), serde.Compatibility(sr.CompatForwardTransitive))
	if err := m.Register(ctx, (*UserV1)(nil)); err != nil {
		t.Fatal(err)
	}
	got := reg.requests()
	want := []string{
		"PUT /config/evc.test.User",
		"POST /compatibility/subjects/evc.test.User/versions",
		"POST /subjects/evc.test.User/versions",
	}
	if !slices.Equal(got, want) {
		t.Errorf("requests = %q, want %q", got, want)
	}
	cl, _ := sr.NewClient(sr.URLs(reg.URL()))
	res := cl.Compatibility(ctx, "evc.test.User")
	if res[0].Err != nil || res[0].Level != sr.CompatForwardTransitive {
		t.Errorf("subject level = %v (%v), want FORWARD_TRANSITIVE", res[0].Level, res[0].Err)
	}

	// The level is set once per subject.
	if err := m.Register(ctx, (*UserV2)(nil)); err != nil {
		t.Fatal(err)
	}
	if n := reg.count("PUT /config/"); n != 1 {
		t.Errorf("PUT /config made %d times, want 1", n)
	}
}

// TestManager_Incompatible runs the "test compatibility, then register"
// path against a registry that checks compatibility (registrytest): a
// rejected schema is an *IncompatibleError with the registry's reasons, and
// is not registered.
func TestManager_Incompatible(t *testing.T) {
	const (
		// An earlier User without age: User v1 cannot read its data.
		nameOnly = `{"type":"record","name":"User","namespace":"evc.test","fields":[{"name":"name","type":"string"}]}`
		// An earlier User whose email was an int with no default: User v2
		// reads the version after it (userV1JSON) but not it, and it cannot
		// read User v1's data.
		intEmail = `{"type":"record","name":"User","namespace":"evc.test","fields":[` +
			`{"name":"name","type":"string"},{"name":"age","type":"int"},{"name":"email","type":"int"}]}`
	)
	for _, tc := range []struct {
		name    string
		history []string
		opts    []serde.Option
		msg     runtime.Message
		subject string
		test    bool   // the explicit compatibility test says no, not the registration
		reason  string // in the reasons
	}{
		{"failure_compatibility_test", []string{nameOnly}, []serde.Option{serde.Compatibility(sr.CompatBackward), serde.SubjectSuffix("-stage")}, (*UserV1)(nil), "evc.test.User-stage", true, "READER_FIELD_MISSING_DEFAULT_VALUE"},
		{"failure_compatibility_test_transitive", []string{intEmail, userV1JSON}, []serde.Option{serde.Compatibility(sr.CompatBackwardTransitive)}, (*UserV2)(nil), "evc.test.User", true, "{oldSchemaVersion: 1}"},
		{"failure_registry_409", []string{nameOnly}, nil, (*UserV1)(nil), "evc.test.User", false, "age"},
		// The registry's own level is used when the Manager sets none.
		{"failure_registry_409_forward", []string{intEmail}, nil, (*UserV1)(nil), "evc.test.User", false, "{compatibility: 'FORWARD'}"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reg := newRegistry(t)
			for _, s := range tc.history {
				if _, _, err := reg.RegisterSchema(tc.subject, sr.Schema{Schema: s}); err != nil {
					t.Fatal(err)
				}
			}
			if tc.name == "failure_registry_409_forward" {
				if err := reg.SetCompat(tc.subject, sr.CompatForward); err != nil {
					t.Fatal(err)
				}
			}
			m := newManager(t, reg.URL(), tc.opts...)
			err := m.Register(ctxT(t), tc.msg)
			var ie *serde.IncompatibleError
			if !errors.As(err, &ie) {
				t.Fatalf("Register = %v, want *IncompatibleError", err)
			}
			if ie.Subject != tc.subject || ie.Type != "evc.test.User" {
				t.Errorf("subject %q, type %q", ie.Subject, ie.Type)
			}
			if !strings.Contains(strings.Join(ie.Reasons, "; "), tc.reason) || !strings.Contains(err.Error(), tc.reason) {
				t.Errorf("reasons %q, error %v; want %s in both", ie.Reasons, err, tc.reason)
			}
			var re *serde.RegistryError
			switch {
			case tc.test && ie.Err != nil:
				t.Errorf("the compatibility test said no, yet Err = %v", ie.Err)
			case !tc.test && (!errors.As(err, &re) || re.StatusCode != 409 || re.Code != 409):
				t.Errorf("wrapped registry error = %+v", re)
			}
			if got := reg.count("POST /compatibility/") > 0; got != tc.test {
				t.Errorf("compatibility tested: %v; requests %v", got, reg.requests())
			}
			if versions := reg.count("POST /subjects/"); tc.test && versions != 0 {
				t.Errorf("registered despite the failed test: %v", reg.requests())
			}
			if _, ok := reg.GetSchema(tc.subject, len(tc.history)+1); ok {
				t.Error("the incompatible schema was registered")
			}
		})
	}
}
