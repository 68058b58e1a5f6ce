package registrytest_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/evc-dev/evc/internal/registrytest"
	"github.com/twmb/franz-go/pkg/sr"
	"github.com/twmb/franz-go/pkg/sr/srfake"
)

// Versions of one record, named by what they hold.
const (
	xInt     = `{"type":"record","name":"R","namespace":"t","fields":[{"name":"x","type":"int"}]}`
	empty    = `{"type":"record","name":"R","namespace":"t","fields":[]}`
	xStrDef  = `{"type":"record","name":"R","namespace":"t","fields":[{"name":"x","type":"string","default":""}]}`
	xIntYDef = `{"type":"record","name":"R","namespace":"t","fields":[{"name":"x","type":"int"},{"name":"y","type":"string","default":"d"}]}`
	xIntY    = `{"type":"record","name":"R","namespace":"t","fields":[{"name":"x","type":"int"},{"name":"y","type":"string"}]}`
	xLong    = `{"type":"record","name":"R","namespace":"t","fields":[{"name":"x","type":"long"}]}`
)

func avsc(s string) sr.Schema { return sr.Schema{Schema: s, Type: sr.TypeAvro} }

func client(t *testing.T, reg *registrytest.Registry) (*sr.Client, context.Context) {
	t.Helper()
	cl, err := sr.NewClient(sr.URLs(reg.URL()))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return cl, ctx
}

func responseError(t *testing.T, err error) *sr.ResponseError {
	t.Helper()
	var re *sr.ResponseError
	if !errors.As(err, &re) {
		t.Fatalf("error = %v, want a registry response error", err)
	}
	return re
}

// TestRegister: each history is registered in order over HTTP under the
// subject's level; the last schema's registration succeeds or gets 409.
func TestRegister(t *testing.T) {
	for _, tc := range []struct {
		name    string
		global  sr.CompatibilityLevel // 0: srfake's default, BACKWARD
		subject sr.CompatibilityLevel // 0: none of its own
		history []string
		next    string
		ok      bool
		reason  string // in the 409 message
	}{
		{"success_backward_added_default", 0, 0, []string{xInt}, xIntYDef, true, ""},
		{"failure_backward_added_no_default", 0, 0, []string{xInt}, xIntY, false, "READER_FIELD_MISSING_DEFAULT_VALUE"},
		{"success_backward_promotion", 0, 0, []string{xInt}, xLong, true, ""},
		{"failure_forward_promotion", 0, sr.CompatForward, []string{xInt}, xLong, false, "TYPE_MISMATCH"},
		{"failure_global_forward", sr.CompatForward, 0, []string{xInt}, xLong, false, "{compatibility: 'FORWARD'}"},
		{"success_subject_overrides_global", sr.CompatForward, sr.CompatBackward, []string{xInt}, xLong, true, ""},
		{"failure_full_removed_no_default", 0, sr.CompatFull, []string{xIntY}, xInt, false, "READER_FIELD_MISSING_DEFAULT_VALUE"},
		{"success_full_added_default", 0, sr.CompatFull, []string{xInt}, xIntYDef, true, ""},
		{"success_backward_latest_only", 0, 0, []string{xInt, empty}, xStrDef, true, ""},
		{"failure_backward_transitive", 0, sr.CompatBackwardTransitive, []string{xInt, empty}, xStrDef, false, "{oldSchemaVersion: 1}"},
		{"success_none", 0, sr.CompatNone, []string{xInt}, `{"type":"record","name":"Q","fields":[]}`, true, ""},
		{"failure_name_changed", 0, 0, []string{xInt}, `{"type":"record","name":"Q","namespace":"t","fields":[]}`, false, "NAME_MISMATCH"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var opts []srfake.Option
			if tc.global != 0 {
				opts = append(opts, srfake.WithGlobalCompat(tc.global))
			}
			reg := registrytest.New(t, opts...)
			cl, ctx := client(t, reg)
			if tc.subject != 0 {
				if res := cl.SetCompatibility(ctx, sr.SetCompatibility{Level: tc.subject}, "s"); res[0].Err != nil {
					t.Fatal(res[0].Err)
				}
			}
			// The history is set up without checks.
			for _, s := range tc.history {
				if _, _, err := reg.RegisterSchema("s", avsc(s)); err != nil {
					t.Fatal(err)
				}
			}
			_, err := cl.RegisterSchema(ctx, "s", avsc(tc.next), -1, -1)
			versions, verr := cl.SubjectVersions(ctx, "s")
			if verr != nil {
				t.Fatal(verr)
			}
			if tc.ok {
				if err != nil {
					t.Fatalf("register: %v", err)
				}
				if len(versions) != len(tc.history)+1 {
					t.Errorf("versions = %v after a registration", versions)
				}
				return
			}
			re := responseError(t, err)
			if re.StatusCode != http.StatusConflict || re.ErrorCode != 409 {
				t.Errorf("answer %d, error_code %d; want 409, 409", re.StatusCode, re.ErrorCode)
			}
			if !strings.HasPrefix(re.Message, `Schema being registered is incompatible with an earlier schema for subject "s", details: [`) || !strings.Contains(re.Message, tc.reason) {
				t.Errorf("message = %s\nwant it to hold %s", re.Message, tc.reason)
			}
			if len(versions) != len(tc.history) {
				t.Errorf("versions = %v: the incompatible schema was registered", versions)
			}
		})
	}
}

// TestRegister_existing: a schema the subject holds gets its id back
// without a check, as from Confluent, even if the level changed since.
func TestRegister_existing(t *testing.T) {
	reg := registrytest.New(t)
	cl, ctx := client(t, reg)
	id1, _, _ := reg.RegisterSchema("s", avsc(xInt))
	if _, _, err := reg.RegisterSchema("s", avsc(xLong)); err != nil {
		t.Fatal(err)
	}
	if res := cl.SetCompatibility(ctx, sr.SetCompatibility{Level: sr.CompatForwardTransitive}, "s"); res[0].Err != nil {
		t.Fatal(res[0].Err)
	}
	id, err := cl.RegisterSchema(ctx, "s", avsc(xInt), -1, -1)
	if err != nil || id != id1 {
		t.Errorf("re-registering version 1 = %d, %v; want %d", id, err, id1)
	}
	// A new schema is checked: versions 1 and 2 cannot read data without x.
	_, err = cl.RegisterSchema(ctx, "s", avsc(empty), -1, -1)
	if re := responseError(t, err); re.StatusCode != http.StatusConflict {
		t.Errorf("answer %d, want 409", re.StatusCode)
	}
}

func TestCompatibilityEndpoint(t *testing.T) {
	reg := registrytest.New(t)
	cl, ctx := client(t, reg)
	for _, s := range []string{xInt, empty} {
		if _, _, err := reg.RegisterSchema("s", avsc(s)); err != nil {
			t.Fatal(err)
		}
	}
	verbose := sr.WithParams(ctx, sr.Verbose)
	for _, tc := range []struct {
		name    string
		ctx     context.Context
		subject string
		version int // -1 latest, -2 every version the level names
		schema  string
		is      bool
		msgs    string // in the joined messages
	}{
		{"success_latest", verbose, "s", -1, xStrDef, true, ""},
		{"success_all_non_transitive", verbose, "s", -2, xStrDef, true, ""},
		{"failure_version_1", verbose, "s", 1, xStrDef, false, "TYPE_MISMATCH"},
		{"failure_latest", verbose, "s", -1, xIntY, false, "{oldSchemaVersion: 2}"},
		{"failure_not_verbose", ctx, "s", -2, xIntY, false, ""},
		{"success_new_subject", verbose, "other", -2, xIntY, true, ""},
		{"success_new_subject_latest", verbose, "other", -1, xIntY, true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := cl.CheckCompatibility(tc.ctx, tc.subject, tc.version, avsc(tc.schema))
			if err != nil {
				t.Fatal(err)
			}
			joined := strings.Join(res.Messages, ", ")
			if res.Is != tc.is || !strings.Contains(joined, tc.msgs) {
				t.Errorf("is_compatible %v, messages %q; want %v and %q", res.Is, joined, tc.is, tc.msgs)
			}
			if tc.ctx == ctx && len(res.Messages) != 0 {
				t.Errorf("messages without verbose: %q", res.Messages)
			}
		})
	}
	_, err := cl.CheckCompatibility(ctx, "s", 7, avsc(xInt))
	if re := responseError(t, err); re.StatusCode != http.StatusNotFound || re.ErrorCode != sr.ErrVersionNotFound.Code {
		t.Errorf("missing version: %d %d %s", re.StatusCode, re.ErrorCode, re.Message)
	}
	_, err = cl.CheckCompatibility(ctx, "s", -1, avsc(`{"type":"nope"}`))
	if re := responseError(t, err); re.StatusCode != http.StatusUnprocessableEntity || re.ErrorCode != sr.ErrInvalidSchema.Code {
		t.Errorf("invalid schema: %d %d %s", re.StatusCode, re.ErrorCode, re.Message)
	}
}

func TestRequests(t *testing.T) {
	reg := registrytest.New(t)
	cl, ctx := client(t, reg)
	if _, err := cl.RegisterSchema(ctx, "a/b", avsc(xInt), -1, -1); err != nil {
		t.Fatal(err)
	}
	got := reg.Requests()
	if len(got) != 1 || got[0] != "POST /subjects/a/b/versions" {
		t.Errorf("Requests() = %q", got)
	}
}

func TestConfig(t *testing.T) {
	reg := registrytest.New(t, srfake.WithGlobalCompat(sr.CompatFull))
	cl, ctx := client(t, reg)
	if _, _, err := reg.RegisterSchema("s", avsc(xInt)); err != nil {
		t.Fatal(err)
	}
	for _, subject := range []string{"s", "never-registered"} {
		res := cl.Compatibility(ctx, subject)
		re := responseError(t, res[0].Err)
		if re.StatusCode != http.StatusNotFound || re.ErrorCode != 40408 {
			t.Errorf("GET /config/%s: %d %d %q, want 404 40408", subject, re.StatusCode, re.ErrorCode, re.Message)
		}
		res = cl.Compatibility(sr.WithParams(ctx, sr.DefaultToGlobal), subject)
		if res[0].Err != nil || res[0].Level != sr.CompatFull {
			t.Errorf("GET /config/%s?defaultToGlobal=true: %v %v, want FULL", subject, res[0].Level, res[0].Err)
		}
	}
	if res := cl.SetCompatibility(ctx, sr.SetCompatibility{Level: sr.CompatNone}, "s"); res[0].Err != nil {
		t.Fatal(res[0].Err)
	}
	if res := cl.Compatibility(ctx, "s"); res[0].Err != nil || res[0].Level != sr.CompatNone {
		t.Errorf("GET /config/s after PUT: %v %v, want NONE", res[0].Level, res[0].Err)
	}
	if res := cl.Compatibility(ctx); res[0].Err != nil || res[0].Level != sr.CompatFull {
		t.Errorf("GET /config: %v %v, want FULL", res[0].Level, res[0].Err)
	}
}

// TestReferences: a schema's references are read from the registry, for
// the new schema and for the versions it is checked against.
func TestReferences(t *testing.T) {
	reg := registrytest.New(t)
	cl, ctx := client(t, reg)
	const (
		money   = `{"type":"record","name":"Money","namespace":"t","fields":[{"name":"cents","type":"long"}]}`
		money2  = `{"type":"record","name":"Money","namespace":"t","fields":[{"name":"cents","type":"long"},{"name":"currency","type":"string"}]}`
		order   = `{"type":"record","name":"Order","namespace":"t","fields":[{"name":"total","type":"t.Money"}]}`
		orderV2 = `{"type":"record","name":"Order","namespace":"t","fields":[{"name":"total","type":"t.Money"},{"name":"note","type":"string","default":""}]}`
	)
	for _, s := range []string{money, money2} {
		if _, err := cl.RegisterSchema(ctx, "money", avsc(s), -1, -1); err == nil && s == money2 {
			t.Fatal("money v2 adds a field without a default, and was registered")
		}
	}
	// money2 is set up unchecked, under a subject with no level check.
	if res := cl.SetCompatibility(ctx, sr.SetCompatibility{Level: sr.CompatNone}, "money"); res[0].Err != nil {
		t.Fatal(res[0].Err)
	}
	if _, err := cl.RegisterSchema(ctx, "money", avsc(money2), -1, -1); err != nil {
		t.Fatal(err)
	}
	ref := func(v int) []sr.SchemaReference {
		return []sr.SchemaReference{{Name: "t.Money", Subject: "money", Version: v}}
	}
	if _, err := cl.RegisterSchema(ctx, "order", sr.Schema{Schema: order, References: ref(1)}, -1, -1); err != nil {
		t.Fatal(err)
	}
	if _, err := cl.RegisterSchema(ctx, "order", sr.Schema{Schema: orderV2, References: ref(1)}, -1, -1); err != nil {
		t.Fatalf("compatible order v2: %v", err)
	}
	_, err := cl.RegisterSchema(ctx, "order", sr.Schema{Schema: orderV2, References: ref(2)}, -1, -1)
	if re := responseError(t, err); re.StatusCode != http.StatusConflict || !strings.Contains(re.Message, "total.currency") {
		t.Errorf("order over money v2: %d %s", re.StatusCode, re.Message)
	}
	_, err = cl.RegisterSchema(ctx, "order", sr.Schema{Schema: orderV2, References: ref(9)}, -1, -1)
	if re := responseError(t, err); re.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("dangling reference: %d %s", re.StatusCode, re.Message)
	}
}

// TestAuth: the checked endpoints authenticate as srfake's own do.
func TestAuth(t *testing.T) {
	reg := registrytest.New(t, srfake.WithAuth("Bearer secret"))
	anon, ctx := client(t, reg)
	_, err := anon.RegisterSchema(ctx, "s", avsc(xInt), -1, -1)
	if re := responseError(t, err); re.StatusCode != http.StatusUnauthorized {
		t.Errorf("register without credentials: %d %s", re.StatusCode, re.Message)
	}
	if res := anon.Compatibility(ctx, "s"); res[0].Err == nil || responseError(t, res[0].Err).StatusCode != http.StatusUnauthorized {
		t.Errorf("config without credentials: %v", res[0].Err)
	}
	cl, err := sr.NewClient(sr.URLs(reg.URL()), sr.BearerToken("secret"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cl.RegisterSchema(ctx, "s", avsc(xInt), -1, -1); err != nil {
		t.Fatal(err)
	}
	if _, err := cl.RegisterSchema(ctx, "s", avsc(xIntY), -1, -1); responseError(t, err).StatusCode != http.StatusConflict {
		t.Errorf("incompatible with credentials: %v", err)
	}
}
