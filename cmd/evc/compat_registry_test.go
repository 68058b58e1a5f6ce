package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evc-dev/evc/internal/registrytest"
	"github.com/twmb/franz-go/pkg/sr"
)

// The new version of acme.Order: total widened from int to long (BACKWARD
// holds, FORWARD breaks), note added with a default.
const (
	ordersEvc = `namespace acme;

record OrderKey { id: long; }

record Order {
  id: long;
  total: long;
  note: string = "";
}

topic "orders" { key: OrderKey; value: Order; }
topic "orders-archive" { value: Order; }
`
	orderV1  = `{"type":"record","name":"Order","namespace":"acme","fields":[{"name":"id","type":"long"},{"name":"total","type":"int"}]}`
	orderNew = `{"type":"record","name":"Order","namespace":"acme","fields":[{"name":"id","type":"long"},{"name":"total","type":"long"},{"name":"note","type":"string","default":""}]}`
	orderKey = `{"type":"record","name":"OrderKey","namespace":"acme","fields":[{"name":"id","type":"long"}]}`
)

// TestCompat_RegistrySubjectStrategies checks the new schemas against the
// subjects each strategy names, in a registry that checks compatibility
// itself (registrytest), and holds evc's verdict to the registry's: for
// every mode, evc compat passes exactly when the registry would accept the
// new schema under each subject.
func TestCompat_RegistrySubjectStrategies(t *testing.T) {
	for _, tc := range []struct {
		strategy string
		suffix   string
		value    []string // the subjects of acme.Order
		key      string   // the subject of acme.OrderKey
	}{
		{"TopicNameStrategy", "", []string{"orders-value", "orders-archive-value"}, "orders-key"},
		{"TopicNameStrategy", ".test", []string{"orders-value.test", "orders-archive-value.test"}, "orders-key.test"},
		{"TopicRecordNameStrategy", "", []string{"orders-acme.Order", "orders-archive-acme.Order"}, "orders-acme.OrderKey"},
		{"RecordNameStrategy", "-value", []string{"acme.Order-value"}, "acme.OrderKey-value"},
	} {
		t.Run(tc.strategy+tc.suffix, func(t *testing.T) {
			reg := registrytest.New(t)
			cl, err := sr.NewClient(sr.URLs(reg.URL()))
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			for _, s := range tc.value {
				if _, err := cl.RegisterSchema(ctx, s, sr.Schema{Schema: orderV1}, -1, -1); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := cl.RegisterSchema(ctx, tc.key, sr.Schema{Schema: orderKey}, -1, -1); err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "orders.evc"), []byte(ordersEvc), 0o644); err != nil {
				t.Fatal(err)
			}
			t.Chdir(dir)
			for _, mode := range []string{"BACKWARD", "FORWARD", "FULL", "NONE"} {
				args := []string{"--mode", mode, "--against", "registry:" + reg.URL(), "--subject-strategy", tc.strategy}
				if tc.suffix != "" {
					args = append(args, "--subject-suffix", tc.suffix)
				}
				code, out := runCompatOut(t, nil, append(args, ".")...)
				// The registry's verdict, at the same level.
				accepts := true
				for _, s := range tc.value {
					if res := cl.SetCompatibility(ctx, sr.SetCompatibility{Level: levelOf(t, mode)}, s); res[0].Err != nil {
						t.Fatal(res[0].Err)
					}
					res, err := cl.CheckCompatibility(ctx, s, -2, sr.Schema{Schema: orderNew})
					if err != nil {
						t.Fatal(err)
					}
					accepts = accepts && res.Is
				}
				if want := map[bool]int{true: exitOK, false: exitSchema}[accepts]; code != want {
					t.Errorf("%s: evc compat exit %d, but the registry accepts the schema: %v\n%s", mode, code, accepts, out)
				}
				if code == exitSchema && tc.strategy != "RecordNameStrategy" {
					for _, s := range tc.value {
						if !strings.Contains(out, "registry subject "+s+" version 1") {
							t.Errorf("%s: the report does not name subject %s:\n%s", mode, s, out)
						}
					}
				}
			}
		})
	}
}

func levelOf(t *testing.T, mode string) sr.CompatibilityLevel {
	t.Helper()
	var l sr.CompatibilityLevel
	if err := l.UnmarshalText([]byte(mode)); err != nil {
		t.Fatal(err)
	}
	return l
}

// TestCompat_RegistryTopicShared: with TopicNameStrategy, two event types
// on one topic share a subject, whose latest version is the other type: the
// registry rejects the unchanged type in BACKWARD mode, and so does evc
// compat.
func TestCompat_RegistryTopicShared(t *testing.T) {
	reg := registrytest.New(t)
	const (
		created = `{"type":"record","name":"Created","namespace":"acme","fields":[{"name":"id","type":"long"}]}`
		changed = `{"type":"record","name":"Changed","namespace":"acme","fields":[{"name":"id","type":"long"},{"name":"what","type":"string"}]}`
	)
	// As a subject at level NONE would hold them.
	for _, s := range []string{created, changed} {
		if _, _, err := reg.RegisterSchema("events-value", sr.Schema{Schema: s}); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "events.evc"), []byte(`namespace acme;
record Created { id: long; }
record Changed { id: long; what: string; }
topic "events" { value: Created; value: Changed; }
`), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	cl, err := sr.NewClient(sr.URLs(reg.URL()))
	if err != nil {
		t.Fatal(err)
	}
	res, err := cl.CheckCompatibility(context.Background(), "events-value", -2, sr.Schema{Schema: created})
	if err != nil || res.Is {
		t.Fatalf("the registry accepts Created again: %v, %v", res, err)
	}
	code, out := runCompatOut(t, nil, "--mode", "BACKWARD", "--subject-strategy", "TopicNameStrategy", "--against", "registry:"+reg.URL(), ".")
	if code != exitSchema || !strings.Contains(out, "registry subject events-value version 2") {
		t.Errorf("exit %d, want %d, naming events-value version 2:\n%s", code, exitSchema, out)
	}
}

// TestCompat_RegistryNoSubject: a top-level type on no topic has no subject
// under the topic strategies, which evc compat says; a strategy it does not
// know is a usage error.
func TestCompat_RegistryNoSubject(t *testing.T) {
	reg := registrytest.New(t)
	if _, _, err := reg.RegisterSchema("orders-value", sr.Schema{Schema: orderV1}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "orders.evc"), []byte(ordersEvc+"\nrecord Loose { x: int; }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	code, out := runCompatOut(t, nil, "--mode", "BACKWARD", "--subject-strategy", "TopicNameStrategy", "--against", "registry:"+reg.URL(), ".")
	const want = `orders.evc:14:8: warning: acme.Loose is on no topic, so TopicNameStrategy gives it no registry subject: it is not checked`
	if code != exitOK || !strings.Contains(out, want) {
		t.Errorf("exit %d, want %d and\n%s\ngot:\n%s", code, exitOK, want, out)
	}
	if !strings.Contains(out, `help: declare the topic that carries it (topic "name" { value: Loose; }), or use --subject-strategy RecordNameStrategy`) {
		t.Errorf("no help line:\n%s", out)
	}
	code, out = runCompatOut(t, nil, "--subject-strategy", "topic", "--against", "registry:"+reg.URL(), ".")
	if code != exitUsage || !strings.Contains(out, `--subject-strategy: unknown subject strategy "topic" (the strategies are RecordNameStrategy, TopicNameStrategy, TopicRecordNameStrategy)`) {
		t.Errorf("exit %d, want %d:\n%s", code, exitUsage, out)
	}
}

// TestCompat_RegistryReferences: a registered schema that references
// another subject is read with it.
func TestCompat_RegistryReferences(t *testing.T) {
	reg := registrytest.New(t)
	cl, err := sr.NewClient(sr.URLs(reg.URL()))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	const money = `{"type":"record","name":"Money","namespace":"acme","fields":[{"name":"cents","type":"int"}]}`
	if _, err := cl.RegisterSchema(ctx, "acme.Money", sr.Schema{Schema: money}, -1, -1); err != nil {
		t.Fatal(err)
	}
	if _, err := cl.RegisterSchema(ctx, "acme.Invoice", sr.Schema{
		Schema:     `{"type":"record","name":"Invoice","namespace":"acme","fields":[{"name":"total","type":"acme.Money"}]}`,
		References: []sr.SchemaReference{{Name: "acme.Money", Subject: "acme.Money", Version: 1}},
	}, -1, -1); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "invoice.evc"), []byte("namespace acme;\nrecord Money { cents: long; }\nrecord Invoice { total: Money; }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	code, out := runCompatOut(t, nil, "--mode", "FORWARD", "--against", "registry:"+reg.URL(), ".")
	if code != exitSchema || !strings.Contains(out, `field "cents" of "acme.Money" changed from int to long`) {
		t.Errorf("exit %d, want %d with the break in the referenced Money:\n%s", code, exitSchema, out)
	}
}
