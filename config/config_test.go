package config

import (
	"reflect"
	"testing"

	"github.com/evc-dev/evc/compat"
	"github.com/evc-dev/evc/diag"
)

// TestParse_Success reads a full config file and one with nothing
// set, and resolves paths from the file's folder.
func TestParse_Success(t *testing.T) {
	src := `{
  "compat": {
    "mode": "full",
    "types": {"acme.Audit": "NONE", "acme.User": "forward_transitive"},
    "against": "git:origin/main",
    "ack_file": "acks.json",
    "registry": {
      "url": "https://registry.example.com",
      "subject_suffix": "-value",
      "subject_strategy": "TopicNameStrategy",
      "namespaces": ["acme", "acme.billing"],
      "ca_file": "certs/ca.pem",
      "cert_file": "/etc/evc/client.pem",
      "key_file": "certs/key.pem"
    }
  }
}
`
	var l diag.List
	c := Parse("schemas/evc.json", []byte(src), &l)
	if l.Len() > 0 || c == nil {
		t.Fatalf("diagnostics: %v", l.Items())
	}
	want := &Config{File: "schemas/evc.json", Compat: Compat{
		Mode:    compat.Full,
		Types:   map[string]compat.Mode{"acme.Audit": compat.None, "acme.User": compat.ForwardTransitive},
		Against: "git:origin/main", AckFile: "schemas/acks.json",
		Registry: Registry{
			URL: "https://registry.example.com", SubjectSuffix: "-value", SubjectStrategy: "TopicNameStrategy",
			Namespaces: []string{"acme", "acme.billing"}, NamespacesSet: true,
			CAFile: "schemas/certs/ca.pem", CertFile: "/etc/evc/client.pem", KeyFile: "schemas/certs/key.pem",
		},
	}}
	c.Compat.ModeSpan, c.Compat.AgainstSpan, c.Compat.TypeSpans = diag.Span{}, diag.Span{}, nil
	if !reflect.DeepEqual(c, want) {
		t.Errorf("config:\n got %+v\nwant %+v", c, want)
	}

	for against, want := range map[string]string{
		"old":                  "schemas/old",
		"history:hist":         "history:schemas/hist",
		"git:origin/main":      "git:origin/main",
		"registry":             "registry",
		"registry:http://r:80": "registry:http://r:80",
	} {
		c := Parse("schemas/evc.json", []byte(`{"compat": {"against": "`+against+`"}}`), &l)
		if c == nil || c.Compat.Against != want {
			t.Errorf("against %q: got %+v, want %q", against, c, want)
		}
	}

	c = Parse("evc.json", []byte(`{"compat": {"types": {}}}`), &l)
	if l.Len() > 0 || c == nil || c.Compat.Mode != "" || len(c.Compat.Types) != 0 || c.Compat.Registry.NamespacesSet {
		t.Errorf("empty config: %+v, %v", c, l.Items())
	}
	c = Parse("evc.json", []byte(`{"compat": {"registry": {"namespaces": []}}}`), &l)
	if l.Len() > 0 || c == nil || !c.Compat.Registry.NamespacesSet || len(c.Compat.Registry.Namespaces) != 0 {
		t.Errorf("no namespaces: %+v, %v", c, l.Items())
	}
}

// TestParse_Workspace reads the keys compile and compat share, and resolves
// their paths from the file's folder.
func TestParse_Workspace(t *testing.T) {
	var l diag.List
	c := Parse("repo/evc.json", []byte(`{"roots": ["schemas", "/abs"], "exclude": ["schemas/legacy"],
  "compile": {"avro_out": "gen/avro", "go_out": "gen/go", "go_module": "example.com/m/gen/go"}}`), &l)
	if l.Len() > 0 || c == nil {
		t.Fatalf("diagnostics: %v", l.Items())
	}
	if want := []string{"repo/schemas", "/abs"}; !reflect.DeepEqual(c.Roots, want) {
		t.Errorf("roots %v, want %v", c.Roots, want)
	}
	if want := (Compile{AvroOut: "repo/gen/avro", GoOut: "repo/gen/go", GoModule: "example.com/m/gen/go"}); c.Compile != want {
		t.Errorf("compile %+v, want %+v", c.Compile, want)
	}
	if want := []string{"repo/schemas/legacy", "repo/gen/avro", "repo/gen/go"}; !reflect.DeepEqual(c.Skip(), want) {
		t.Errorf("skip %v, want %v", c.Skip(), want)
	}
	if (*Config)(nil).Skip() != nil {
		t.Error("no config skips something")
	}
}

// TestParse_Failure checks the exact message and position of each
// problem.
func TestParse_Failure(t *testing.T) {
	for _, tc := range []struct {
		name, src, want string
	}{
		{"failure_not_object", `[]`, `evc.json:1:1: the file must be a JSON object`},
		{"failure_unknown_section", `{"compiler": {}}`, `evc.json:1:2: unknown key "compiler"`},
		{"failure_compile_key", `{"compile": {"avro": "x"}}`, `evc.json:1:14: unknown key "avro" in "compile"`},
		{"failure_roots", `{"roots": "schemas"}`, `evc.json:1:11: "roots" must be an array of strings`},
		{"failure_unknown_key", "{\"compat\": {\n  \"mdoe\": \"FULL\"}}", `evc.json:2:3: unknown key "mdoe" in "compat"`},
		{"failure_bad_mode", "{\"compat\": {\"mode\": \"SIDEWAYS\"}}", `evc.json:1:21: unknown compatibility mode "SIDEWAYS"`},
		{"failure_bad_type_mode", "{\"compat\": {\"types\": {\n  \"acme.A\": \"FULL\",\n  \"acme.B\": \"SOMETIMES\"}}}", `evc.json:3:13: unknown compatibility mode "SOMETIMES"`},
		{"failure_duplicate_type", `{"compat": {"types": {"acme.A": "FULL", "acme.A": "NONE"}}}`, `evc.json:1:41: type "acme.A" is listed twice`},
		{"failure_mode_not_string", `{"compat": {"mode": 3}}`, `evc.json:1:21: "mode" must be a string`},
		{"failure_types_not_object", `{"compat": {"types": ["acme.A"]}}`, `evc.json:1:22: "types" must be a JSON object`},
		{"failure_registry_key", `{"compat": {"registry": {"password": "x"}}}`, `evc.json:1:26: unknown key "password" in "registry"`},
		{"failure_registry_credentials", `{"compat": {"registry": {"url": "https://u:p@host"}}}`, `evc.json:1:33: the registry URL must not hold credentials`},
		{"failure_subject_strategy", `{"compat": {"registry": {"subject_strategy": "topic"}}}`, `evc.json:1:46: unknown subject strategy "topic"`},
		{"failure_namespaces", `{"compat": {"registry": {"namespaces": ["a", 1]}}}`, `evc.json:1:46: "namespaces" must be an array of strings`},
		{"failure_cert_without_key", `{"compat": {"registry": {"cert_file": "c.pem"}}}`, `evc.json:1:1: registry: cert_file and key_file go together`},
		{"failure_truncated", `{"compat": {"mode": "FULL"`, `evc.json:1:27: unexpected end of file`},
		{"failure_trailing", `{"compat": {}} {}`, `evc.json:1:16: unexpected data after the object`},
		{"failure_syntax", `{"compat": {"mode" "FULL"}}`, `evc.json:1:20: invalid character '"' after object key`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var l diag.List
			c := Parse("evc.json", []byte(tc.src), &l)
			if c != nil {
				t.Errorf("got a config: %+v", c)
			}
			if l.Len() != 1 {
				t.Fatalf("want one diagnostic, got %v", l.Items())
			}
			if got := l.Items()[0].Error(); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

// FuzzParse checks that no config file makes Parse panic, and
// that it returns a config exactly when it reports no error.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`{"compat": {"mode": "FULL", "types": {"a.B": "NONE"}, "against": "old", "ack_file": "a.json", "registry": {"url": "http://r", "subject_suffix": "-value", "namespaces": ["a"], "ca_file": "ca.pem", "cert_file": "c.pem", "key_file": "k.pem"}}}`,
		`{"compat": {}}`, `{`, `[]`, `{"compat": {"types": {"a": 1}}}`, `{"compat": {"registry": {"namespaces": [1]}}} x`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		var l diag.List
		c := Parse("evc.json", src, &l)
		if (c != nil) == l.HasErrors() {
			t.Errorf("config %v with diagnostics %v", c != nil, l.Items())
		}
		for _, d := range l.Items() {
			if !d.Span.Start.IsValid() {
				t.Errorf("diagnostic without a position: %v", d)
			}
		}
	})
}
