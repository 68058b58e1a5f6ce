package source_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/evc-dev/evc/compat"
	"github.com/evc-dev/evc/compat/source"
	"github.com/evc-dev/evc/compiler"
	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/internal/registrytest"
	"github.com/twmb/franz-go/pkg/sr"
)

func register(t *testing.T, cl *sr.Client, subject, schema string, refs ...sr.SchemaReference) {
	t.Helper()
	if _, err := cl.RegisterSchema(context.Background(), subject, sr.Schema{Schema: schema, References: refs}, -1, -1); err != nil {
		t.Fatalf("register %s: %v", subject, err)
	}
}

func load(t *testing.T, reg *registrytest.Registry, opts source.Options) (*compat.Earlier, diag.List) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	opts.Context = ctx
	var l diag.List
	e, err := source.Load("registry:"+reg.URL(), opts, &l)
	if err != nil {
		t.Fatal(err)
	}
	return e, l
}

// TestRegistry_ReferenceFanOut: schema d<k> references d<k+1> twice, down
// to d30. Each referenced schema is read once, not once per path (2^30).
func TestRegistry_ReferenceFanOut(t *testing.T) {
	reg := registrytest.New(t)
	cl, err := sr.NewClient(sr.URLs(reg.URL()))
	if err != nil {
		t.Fatal(err)
	}
	const depth = 30
	register(t, cl, fmt.Sprintf("d%d", depth), fmt.Sprintf(`{"type":"record","name":"D%d","namespace":"t","fields":[{"name":"s","type":"string"}]}`, depth))
	for k := depth - 1; k >= 1; k-- {
		next := fmt.Sprintf("t.D%d", k+1)
		register(t, cl, fmt.Sprintf("d%d", k),
			fmt.Sprintf(`{"type":"record","name":"D%d","namespace":"t","fields":[{"name":"a","type":"%s"},{"name":"b","type":"%s"}]}`, k, next, next),
			sr.SchemaReference{Name: next, Subject: fmt.Sprintf("d%d", k+1), Version: 1},
			sr.SchemaReference{Name: next, Subject: fmt.Sprintf("d%d", k+1), Version: 1})
	}
	register(t, cl, "t.R", `{"type":"record","name":"R","namespace":"t","fields":[{"name":"d","type":"t.D1"}]}`,
		sr.SchemaReference{Name: "t.D1", Subject: "d1", Version: 1})

	before := len(reg.Requests())
	e, l := load(t, reg, source.Options{Names: []string{"t.R"}})
	if l.HasErrors() {
		t.Fatalf("diagnostics: %v", l.Items())
	}
	if n := len(reg.Requests()) - before; n > 2*depth+10 {
		t.Errorf("%d requests to read one subject with %d referenced schemas", n, depth)
	}
	vs := e.Versions["t.R"]
	if len(vs) != 1 {
		t.Fatalf("versions of t.R: %v", vs)
	}
	// The references resolved, to the bottom.
	d := vs[0].Type.Named.Fields[0].Type.Named
	for k := 1; k < depth; k++ {
		if d == nil || d.FullName() != fmt.Sprintf("t.D%d", k) {
			t.Fatalf("level %d: %v", k, d)
		}
		d = d.Fields[1].Type.Named
	}
	if d == nil || d.FullName() != fmt.Sprintf("t.D%d", depth) {
		t.Errorf("bottom: %v", d)
	}
}

// TestRegistry_Strategies: the subjects read under each strategy, with and
// without a suffix, from the IDL's topic declarations.
func TestRegistry_Strategies(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "orders.evc"), []byte(`namespace acme;
@aliases("OldOrder")
record Order { id: long; }
record OrderKey { id: long; }
record Unsent { id: long; }
topic "orders" { key: OrderKey; value: Order; }
topic "orders-archive" { value: Order; }
`), 0o644); err != nil {
		t.Fatal(err)
	}
	res := compiler.Compile([]string{dir}, compiler.Options{})
	if res.Diags.HasErrors() {
		t.Fatalf("%v", res.Diags.Items())
	}
	names := []string{"acme.Order", "acme.OldOrder", "acme.OrderKey", "acme.Unsent"}
	for _, tc := range []struct {
		strategy source.Strategy
		suffix   string
		want     []string
	}{
		{source.RecordNameStrategy, "", []string{"acme.Order", "acme.OldOrder", "acme.OrderKey", "acme.Unsent"}},
		{source.RecordNameStrategy, "-value", []string{"acme.Order-value", "acme.OldOrder-value", "acme.OrderKey-value", "acme.Unsent-value"}},
		{source.TopicNameStrategy, "", []string{"orders-key", "orders-value", "orders-archive-value"}},
		{source.TopicNameStrategy, ".test", []string{"orders-key.test", "orders-value.test", "orders-archive-value.test"}},
		{source.TopicRecordNameStrategy, "", []string{"orders-acme.OrderKey", "orders-acme.Order", "orders-acme.OldOrder", "orders-archive-acme.Order", "orders-archive-acme.OldOrder"}},
	} {
		t.Run(fmt.Sprintf("%v%s", tc.strategy, tc.suffix), func(t *testing.T) {
			reg := registrytest.New(t)
			load(t, reg, source.Options{Names: names, Strategy: tc.strategy, Topics: res.Schema.Topics, SubjectSuffix: tc.suffix})
			var got []string
			for _, r := range reg.Requests() {
				if s, ok := strings.CutPrefix(r, "GET /subjects/"); ok {
					got = append(got, strings.TrimSuffix(s, "/versions"))
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("subjects asked for: %q, want %q", got, tc.want)
			}
		})
	}
}

func TestParseStrategy(t *testing.T) {
	for _, s := range []source.Strategy{source.RecordNameStrategy, source.TopicNameStrategy, source.TopicRecordNameStrategy} {
		got, err := source.ParseStrategy(s.String())
		if err != nil || got != s {
			t.Errorf("ParseStrategy(%q) = %v, %v", s, got, err)
		}
	}
	_, err := source.ParseStrategy("topic")
	const want = `unknown subject strategy "topic" (the strategies are RecordNameStrategy, TopicNameStrategy, TopicRecordNameStrategy)`
	if err == nil || err.Error() != want {
		t.Errorf("ParseStrategy(topic) = %v, want %s", err, want)
	}
}
