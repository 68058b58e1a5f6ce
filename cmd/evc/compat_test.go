package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"io"
	"log"
	"math/big"
	"net"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/sr"
	"github.com/twmb/franz-go/pkg/sr/srfake"

	"github.com/evc-dev/evc/config"
	"github.com/evc-dev/evc/internal/golden"
	"github.com/evc-dev/evc/internal/registrytest"
)

// TestCompat_Cases runs evc compat in each folder of testdata/compat, from
// inside that folder, with the arguments in its args file (one a line), and
// compares stdout, stderr and the exit code with the goldens beside them.
func TestCompat_Cases(t *testing.T) {
	dirs, err := filepath.Glob("testdata/compat/*")
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) == 0 {
		t.Fatal("no cases under testdata/compat")
	}
	for _, dir := range dirs {
		abs, err := filepath.Abs(dir)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(filepath.Base(dir), func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(abs, "args"))
			if err != nil {
				t.Fatal(err)
			}
			args := []string{"compat"}
			for _, a := range strings.Split(string(raw), "\n") {
				if a != "" {
					args = append(args, a)
				}
			}
			t.Chdir(abs)
			// The cases live in evc's own repository: keep git from finding
			// it, so that --format github paths stay relative to the case.
			t.Setenv("GIT_CEILING_DIRECTORIES", filepath.Dir(abs))
			var stdout, stderr bytes.Buffer
			code := run(args, strings.NewReader(""), &stdout, &stderr)
			golden.Check(t, filepath.Join(abs, "stdout.golden"), stdout.Bytes())
			golden.Check(t, filepath.Join(abs, "stderr.golden"), stderr.Bytes())
			golden.Check(t, filepath.Join(abs, "exit.golden"), []byte(strconv.Itoa(code)+"\n"))
		})
	}
}

// compatJSON is the JSON report's schema as docs/evolution.md documents it;
// decoding with unknown fields disallowed holds the output to it.
type compatJSON struct {
	Version      int    `json:"version"`
	Compatible   bool   `json:"compatible"`
	Summary      string `json:"summary"`
	UpgradeOrder string `json:"upgrade_order"`
	Backward     bool   `json:"backward_compatible"`
	Forward      bool   `json:"forward_compatible"`
	Counts       struct {
		Checked      int `json:"checked"`
		Errors       int `json:"errors"`
		Strict       int `json:"strict"`
		Acknowledged int `json:"acknowledged"`
		Warnings     int `json:"warnings"`
	} `json:"counts"`
	Types []struct {
		Name     string   `json:"name"`
		Mode     string   `json:"mode"`
		File     string   `json:"file"`
		Versions []string `json:"versions"`
		Nested   bool     `json:"nested"`
	} `json:"types"`
	Findings []struct {
		Severity     string   `json:"severity"`
		Rule         string   `json:"rule"`
		Direction    string   `json:"direction"`
		Types        []string `json:"types"`
		Modes        []string `json:"modes"`
		Path         string   `json:"path"`
		Versions     []string `json:"versions"`
		File         string   `json:"file"`
		Line         int      `json:"line"`
		Column       int      `json:"column"`
		EndLine      int      `json:"end_line"`
		EndColumn    int      `json:"end_column"`
		Message      string   `json:"message"`
		Help         string   `json:"help"`
		Acknowledged bool     `json:"acknowledged"`
		Reason       string   `json:"reason"`
		Related      []struct {
			File      string `json:"file"`
			Line      int    `json:"line"`
			Column    int    `json:"column"`
			EndLine   int    `json:"end_line"`
			EndColumn int    `json:"end_column"`
			Message   string `json:"message"`
		} `json:"related"`
	} `json:"findings"`
}

// decodeCompatJSON decodes a JSON report strictly: every key must be one
// the schema documents, and every documented key must be there.
func decodeCompatJSON(t *testing.T, data []byte) compatJSON {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var r compatJSON
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("not the documented JSON report: %v\n%s", err, data)
	}
	// Every key is always present: lists are [] rather than null or absent.
	var raw map[string]any
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"version", "compatible", "summary", "upgrade_order", "backward_compatible", "forward_compatible", "counts", "types", "findings"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("key %q missing", k)
		}
	}
	for _, f := range raw["findings"].([]any) {
		for _, k := range []string{"severity", "rule", "direction", "types", "modes", "path", "versions", "file", "line", "column", "end_line", "end_column", "message", "help", "acknowledged", "reason", "related"} {
			v, ok := f.(map[string]any)[k]
			if !ok || v == nil {
				t.Errorf("finding key %q missing or null: %v", k, f)
			}
		}
	}
	return r
}

// TestCompat_JSONSchema checks that --format json writes one object of the
// documented schema, with every finding and the closing notes, and that
// the example in docs/evolution.md is of the same schema.
func TestCompat_JSONSchema(t *testing.T) {
	doc, err := os.ReadFile("../../docs/evolution.md")
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir("testdata/compat/full_json")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"compat", "--mode", "FULL", "--format", "json", "--against", "old", "new"}, nil, &stdout, &stderr); code != exitSchema {
		t.Fatalf("exit %d, want %d; stderr: %s", code, exitSchema, stderr.String())
	}
	r := decodeCompatJSON(t, stdout.Bytes())
	if r.Version != 1 || r.Compatible || r.Counts.Errors != len(r.Findings) || r.Counts.Checked != 1 {
		t.Errorf("report: version %d, compatible %v, %d errors for %d findings, %d checked", r.Version, r.Compatible, r.Counts.Errors, len(r.Findings), r.Counts.Checked)
	}
	if !strings.HasPrefix(r.UpgradeOrder, "none is safe") || r.Backward || r.Forward {
		t.Errorf("upgrade order %q, backward %v, forward %v", r.UpgradeOrder, r.Backward, r.Forward)
	}
	rules := map[string]int{}
	for _, f := range r.Findings {
		rules[f.Rule]++
		if f.File == "" || f.Line == 0 || f.Direction == "" || len(f.Types) != 1 || len(f.Modes) != 1 || f.Modes[0] != "FULL" {
			t.Errorf("finding without place, direction, type or mode: %+v", f)
		}
		if strings.HasSuffix(f.Message, "]") {
			t.Errorf("message ends with the rule id: %q", f.Message)
		}
	}
	for _, want := range []string{"FIELD_NO_DEFAULT", "ENUM_SYMBOL_ADDED", "TYPE_MISMATCH"} {
		if rules[want] == 0 {
			t.Errorf("no %s in the JSON report: %v", want, rules)
		}
	}

	// The documented example.
	_, after, ok := strings.Cut(string(doc), "<!-- json-report-example -->\n```json\n")
	if !ok {
		t.Fatal("docs/evolution.md has no JSON report example (<!-- json-report-example --> then a json block)")
	}
	example, _, _ := strings.Cut(after, "```")
	decodeCompatJSON(t, []byte(example))
}

// gitRun runs git in dir, failing the test on error.
func gitRun(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.name=evc", "-c", "user.email=evc@example.com", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// TestCompat_GitSource commits a schema in a temporary repository, changes
// it in the working tree, and checks it against git:HEAD, from a
// subdirectory of the repository, as CI would against origin/main.
func TestCompat_GitSource(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	repo := t.TempDir()
	events := filepath.Join(repo, "svc", "events")
	if err := os.MkdirAll(events, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(events, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("user.evc", "namespace acme;\n\nrecord UserCreated {\n  id: long;\n  email: string;\n}\n")
	write("other.evc", "namespace acme;\n\nrecord Other {\n  id: long;\n}\n")
	gitRun(t, repo, "init", "-q")
	gitRun(t, repo, "add", ".")
	gitRun(t, repo, "commit", "-q", "-m", "v1")
	write("user.evc", "namespace acme;\n\nrecord UserCreated {\n  id: long;\n  name: string = \"\";\n}\n")
	write("added.evc", "namespace acme;\n\nrecord Added {\n  id: long;\n}\n")

	t.Chdir(filepath.Join(repo, "svc"))
	var stdout, stderr bytes.Buffer
	code := run([]string{"compat", "--against", "git:HEAD", "events"}, nil, &stdout, &stderr)
	if code != exitSchema {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitSchema, stdout.String(), stderr.String())
	}
	want := `events/user.evc:3:8: FORWARD: consumers on HEAD cannot read new data: field "email" of "acme.UserCreated" was removed, and it has no default in HEAD [FIELD_NO_DEFAULT]
   |
 3 | record UserCreated {
   |        ^~~~~~~~~~~
  help: keep the field, or give it a default in a release first and remove it once every consumer has that release
note: checked in FORWARD mode: acme.Other, acme.UserCreated
note: new, with no earlier version: acme.Added
note: 1 incompatibility in 2 types checked
note: upgrade order: deploy consumers first, then producers (new consumers read old data, old consumers cannot read new data)
`
	if got := stdout.String(); got != want {
		t.Errorf("stdout (-want +got):\n%s", golden.Diff(want, got))
	}
	if stderr.Len() > 0 {
		t.Errorf("stderr: %s", stderr.String())
	}

	// GitHub places annotations by the path in the repository, whichever
	// folder evc runs in.
	stdout.Reset()
	if code := run([]string{"compat", "--format", "github", "--against", "git:HEAD", "events"}, nil, &stdout, &stderr); code != exitSchema {
		t.Fatalf("github: exit %d\n%s", code, stderr.String())
	}
	if !strings.HasPrefix(stdout.String(), "::error file=svc/events/user.evc,line=3,col=8,") {
		t.Errorf("github annotations:\n%s", stdout.String())
	}

	// Once committed, the working tree is compatible with HEAD again.
	gitRun(t, repo, "add", ".")
	gitRun(t, repo, "commit", "-q", "-m", "v2")
	stdout.Reset()
	if code := run([]string{"compat", "--against", "git:HEAD", "events"}, nil, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d after commit\n%s%s", code, stdout.String(), stderr.String())
	}

	// A file deleted since: its type is reported at the file, with the
	// line it had at the revision (the working tree has no such line).
	if err := os.Remove(filepath.Join(events, "other.evc")); err != nil {
		t.Fatal(err)
	}
	stdout.Reset()
	if code := run([]string{"compat", "--against", "git:HEAD", "events"}, nil, &stdout, &stderr); code != exitSchema {
		t.Fatalf("removed: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	if want := "events/other.evc: type \"acme.Other\" of HEAD is gone from the new schemas (declared at events/other.evc:3:8 in HEAD); its producers and consumers lose their schema [TYPE_REMOVED]\n"; !strings.HasPrefix(stdout.String(), want) {
		t.Errorf("removed:\n%s", stdout.String())
	}

	// An unknown revision is an input error.
	stderr.Reset()
	if code := run([]string{"compat", "--against", "git:no-such-branch", "events"}, nil, &stdout, &stderr); code != exitUsage {
		t.Errorf("unknown revision: exit %d, want %d", code, exitUsage)
	}
	if !strings.Contains(stderr.String(), `unknown revision "no-such-branch"`) {
		t.Errorf("stderr = %q", stderr.String())
	}
}

// TestCompat_RegistrySource seeds a fake Schema Registry with three versions
// of a type under RecordNameStrategy with a suffix and checks against it,
// against the latest version and transitively.
func TestCompat_RegistrySource(t *testing.T) {
	reg := srfake.New()
	defer reg.Close()
	registrytest.Check(reg)
	versions := []string{
		`{"type": "record", "name": "Ping", "namespace": "acme", "fields": [{"name": "seq", "type": "int"}, {"name": "host", "type": "string"}]}`,
		`{"type": "record", "name": "Ping", "namespace": "acme", "fields": [{"name": "seq", "type": "int"}, {"name": "host", "type": "string", "default": ""}]}`,
		`{"type": "record", "name": "Ping", "namespace": "acme", "fields": [{"name": "seq", "type": "int"}, {"name": "host", "type": "string", "default": ""}, {"name": "zone", "type": "string", "default": "eu"}]}`,
	}
	for i, v := range versions {
		reg.SeedSchema("acme.Ping-value", i+1, 10+i, sr.Schema{Schema: v, Type: sr.TypeAvro})
	}
	// Confirm the fake serves what was seeded.
	cl, err := sr.NewClient(sr.URLs(reg.URL()))
	if err != nil {
		t.Fatal(err)
	}
	if vs, err := cl.SubjectVersions(context.Background(), "acme.Ping-value"); err != nil || len(vs) != 3 {
		t.Fatalf("registry versions = %v, %v", vs, err)
	}

	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "ping.evc"), []byte("namespace acme;\n\nrecord Ping {\n  seq: long;\n  zone: string = \"eu\";\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	for _, tc := range []struct {
		mode string
		code int
		want []string
	}{
		// Latest only: v3 has a default for host, so FORWARD holds; the
		// int to long widening breaks FORWARD.
		{"FORWARD", exitSchema, []string{`FORWARD: consumers on registry version 3 cannot read new data: field "seq" of "acme.Ping" changed from int to long`}},
		{"BACKWARD", exitOK, []string{"note: 1 type compatible"}},
		// Transitive: v1 has no default for host.
		{"FORWARD_TRANSITIVE", exitSchema, []string{
			`field "host" of "acme.Ping" was removed, and it has no default in registry version 1`,
			`consumers on registry version 1, registry version 2 and registry version 3 cannot read new data: field "seq"`,
		}},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run([]string{"compat", "--mode", tc.mode, "--subject-suffix", "-value", "--against", "registry:" + reg.URL(), "."}, nil, &stdout, &stderr)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, tc.code, stdout.String(), stderr.String())
			}
			for _, w := range tc.want {
				if !strings.Contains(stdout.String(), w) {
					t.Errorf("stdout lacks %q:\n%s", w, stdout.String())
				}
			}
		})
	}

	// Without the suffix the subject does not exist: the registry has
	// nothing to check against, likelier a wrong suffix than a first
	// release.
	var stdout, stderr bytes.Buffer
	if code := run([]string{"compat", "--against", "registry:" + reg.URL(), "."}, nil, &stdout, &stderr); code != exitUsage {
		t.Fatalf("exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	if want := "evc compat: the registry " + reg.URL() + " has none of the subjects of the new types; if these are the first versions of the schemas, pass --allow-empty-baseline\n"; stderr.String() != want || stdout.Len() > 0 {
		t.Errorf("stderr = %q, want %q; stdout %q", stderr.String(), want, stdout.String())
	}
	// Said to be the first version, the type is new.
	stdout.Reset()
	if code := run([]string{"compat", "--allow-empty-baseline", "--against", "registry:" + reg.URL(), "."}, nil, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	if want := "note: new, with no earlier version: acme.Ping\nnote: no type of the new schemas has an earlier version to check against\n"; stdout.String() != want {
		t.Errorf("stdout = %q, want %q", stdout.String(), want)
	}
}

// TestCompat_RecordHistory appends versions to a history folder and checks
// against it.
func TestCompat_RecordHistory(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	write := func(text string) {
		t.Helper()
		if err := os.WriteFile("ping.evc", []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	record := func(want string) {
		t.Helper()
		var stdout, stderr bytes.Buffer
		if code := run([]string{"compat", "--record-history", "hist", "ping.evc"}, nil, &stdout, &stderr); code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr.String())
		}
		if stdout.String() != want {
			t.Errorf("stdout = %q, want %q", stdout.String(), want)
		}
	}
	write("namespace acme;\n\nrecord Ping {\n  seq: long;\n  host: string;\n}\n")
	record("recorded hist/acme.Ping/v1.avsc\n")
	record("history is up to date\n")
	write("namespace acme;\n\nrecord Ping {\n  seq: long;\n  host: string = \"\";\n}\n")
	record("recorded hist/acme.Ping/v2.avsc\n")
	write("namespace acme;\n\nrecord Ping {\n  seq: long;\n}\n")

	var stdout, stderr bytes.Buffer
	// Against the latest (v2, where host has a default): compatible.
	if code := run([]string{"compat", "--against", "hist", "ping.evc"}, nil, &stdout, &stderr); code != exitOK {
		t.Fatalf("latest: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	// Transitively, v1 breaks.
	stdout.Reset()
	if code := run([]string{"compat", "--mode", "FORWARD_TRANSITIVE", "--against", "hist", "ping.evc"}, nil, &stdout, &stderr); code != exitSchema {
		t.Fatalf("transitive: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	if !strings.Contains(stdout.String(), `consumers on v1 cannot read new data: field "host" of "acme.Ping" was removed, and it has no default in v1`) {
		t.Errorf("stdout:\n%s", stdout.String())
	}
}

// registryCase is a Schema Registry fake with one type registered, and a
// new version of that type in a temporary directory that drops a field
// without a default (FORWARD fails).
func registryCase(t *testing.T, opts ...srfake.Option) (reg *srfake.Registry, dir string) {
	t.Helper()
	reg = srfake.NewRegistry(opts...)
	registrytest.Check(reg)
	reg.SeedSchema("acme.Ping", 1, 1, sr.Schema{Type: sr.TypeAvro, Schema: `{"type": "record", "name": "Ping", "namespace": "acme", "fields": [{"name": "seq", "type": "int"}, {"name": "host", "type": "string"}]}`})
	dir = t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "ping.evc"), []byte("namespace acme;\n\nrecord Ping {\n  seq: int;\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	for _, env := range []string{envRegistryUser, envRegistryPassword, envRegistryToken} {
		t.Setenv(env, "")
	}
	return reg, dir
}

// runCompatOut runs evc compat and returns its exit code and both streams,
// and fails the test if either stream holds one of the secrets.
func runCompatOut(t *testing.T, secrets []string, args ...string) (int, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(append([]string{"compat"}, args...), nil, &stdout, &stderr)
	out := stdout.String() + stderr.String()
	for _, s := range secrets {
		if strings.Contains(out, s) {
			t.Errorf("the output shows the secret %q:\n%s", s, out)
		}
	}
	return code, out
}

const pingBreak = `field "host" of "acme.Ping" was removed, and it has no default in registry version 1`

// TestCompat_RegistryBasicAuth authenticates to a registry that wants basic
// auth, from the environment, flags and the URL, and never prints the
// password, even when it is wrong.
func TestCompat_RegistryBasicAuth(t *testing.T) {
	const user, pass = "ci-bot", "s3cret-Pa55"
	reg, _ := registryCase(t, srfake.WithAuth("Basic "+base64.StdEncoding.EncodeToString([]byte(user+":"+pass))))
	srv := httptest.NewServer(reg.Handler())
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	secrets := []string{pass, "wrong-Pa55", base64.StdEncoding.EncodeToString([]byte(user + ":" + pass))}
	against := "registry:" + srv.URL

	code, out := runCompatOut(t, secrets, "--against", against, ".")
	if code != exitUsage || !strings.Contains(out, "not authenticated (401): set EVC_REGISTRY_USER and EVC_REGISTRY_PASSWORD, or EVC_REGISTRY_TOKEN") {
		t.Errorf("no credentials: exit %d\n%s", code, out)
	}

	t.Setenv(envRegistryUser, user)
	t.Setenv(envRegistryPassword, pass)
	if code, out := runCompatOut(t, secrets, "--against", against, "."); code != exitSchema || !strings.Contains(out, pingBreak) {
		t.Errorf("credentials from the environment: exit %d\n%s", code, out)
	}
	// A flag overrides the environment.
	code, out = runCompatOut(t, secrets, "--registry-password", "wrong-Pa55", "--against", against, ".")
	if code != exitUsage || !strings.Contains(out, "access denied (403) with basic auth") {
		t.Errorf("wrong password: exit %d\n%s", code, out)
	}
	t.Setenv(envRegistryUser, "")
	t.Setenv(envRegistryPassword, "")
	if code, out := runCompatOut(t, secrets, "--registry-user", user, "--registry-password", pass, "--against", against, "."); code != exitSchema {
		t.Errorf("credentials from flags: exit %d\n%s", code, out)
	}

	// Credentials in the URL are used, and taken out of every message.
	if code, out := runCompatOut(t, secrets, "--against", "registry:http://"+user+":"+pass+"@"+host, "."); code != exitSchema || !strings.Contains(out, pingBreak) {
		t.Errorf("credentials in the URL: exit %d\n%s", code, out)
	}
	code, out = runCompatOut(t, secrets, "--against", "registry:http://"+user+":wrong-Pa55@"+host, ".")
	if code != exitUsage || !strings.Contains(out, "registry "+srv.URL+":") {
		t.Errorf("wrong password in the URL: exit %d\n%s", code, out)
	}

	// Basic auth and a token together are a usage error.
	t.Setenv(envRegistryToken, "tok-123")
	code, out = runCompatOut(t, append(secrets, "tok-123"), "--registry-user", user, "--registry-password", pass, "--registry-token", "tok-123", "--against", against, ".")
	if code != exitUsage || !strings.Contains(out, "both basic auth and a bearer token are set") {
		t.Errorf("basic and token: exit %d\n%s", code, out)
	}
}

// TestCompat_RegistryBearerToken authenticates with a bearer token from
// the environment or the flag, and never prints it.
func TestCompat_RegistryBearerToken(t *testing.T) {
	const token = "eyJ-token-42"
	reg, _ := registryCase(t, srfake.WithAuth("Bearer "+token))
	srv := httptest.NewServer(reg.Handler())
	defer srv.Close()
	secrets := []string{token, "eyJ-stale-7"}
	against := "registry:" + srv.URL
	t.Setenv(envRegistryToken, token)
	if code, out := runCompatOut(t, secrets, "--against", against, "."); code != exitSchema || !strings.Contains(out, pingBreak) {
		t.Errorf("token from the environment: exit %d\n%s", code, out)
	}
	code, out := runCompatOut(t, secrets, "--registry-token", "eyJ-stale-7", "--against", against, ".")
	if code != exitUsage || !strings.Contains(out, "access denied (403) with bearer token") {
		t.Errorf("wrong token: exit %d\n%s", code, out)
	}
	// The JSON report holds no secret either.
	if code, out := runCompatOut(t, secrets, "--format", "json", "--against", against, "."); code != exitSchema || !strings.Contains(out, `"rule": "FIELD_NO_DEFAULT"`) {
		t.Errorf("json: exit %d\n%s", code, out)
	}
}

// testPKI is a certificate authority with a server and a client
// certificate, written as PEM files into dir.
type testPKI struct {
	caFile, certFile, keyFile string
	serverCert                tls.Certificate
	pool                      *x509.CertPool
}

func newTestPKI(t *testing.T, dir string) testPKI {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "evc test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	issue := func(serial int64, usage x509.ExtKeyUsage, ips []net.IP) ([]byte, *ecdsa.PrivateKey) {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: "evc test"},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
			KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{usage}, IPAddresses: ips,
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
		if err != nil {
			t.Fatal(err)
		}
		return der, key
	}
	pemOf := func(typ string, der []byte) []byte { return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}) }
	keyPEM := func(k *ecdsa.PrivateKey) []byte {
		der, err := x509.MarshalECPrivateKey(k)
		if err != nil {
			t.Fatal(err)
		}
		return pemOf("EC PRIVATE KEY", der)
	}
	p := testPKI{caFile: filepath.Join(dir, "ca.pem"), certFile: filepath.Join(dir, "client.pem"), keyFile: filepath.Join(dir, "client-key.pem"), pool: x509.NewCertPool()}
	p.pool.AddCert(ca)
	srvDER, srvKey := issue(2, x509.ExtKeyUsageServerAuth, []net.IP{net.ParseIP("127.0.0.1")})
	if p.serverCert, err = tls.X509KeyPair(pemOf("CERTIFICATE", srvDER), keyPEM(srvKey)); err != nil {
		t.Fatal(err)
	}
	cliDER, cliKey := issue(3, x509.ExtKeyUsageClientAuth, nil)
	for file, data := range map[string][]byte{p.caFile: pemOf("CERTIFICATE", caDER), p.certFile: pemOf("CERTIFICATE", cliDER), p.keyFile: keyPEM(cliKey)} {
		if err := os.WriteFile(file, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

// TestCompat_RegistryTLS checks against a registry served over TLS by a
// private authority that requires a client certificate: from flags, and
// from the config file with --against registry.
func TestCompat_RegistryTLS(t *testing.T) {
	reg, dir := registryCase(t)
	pki := newTestPKI(t, dir)
	srv := httptest.NewUnstartedServer(reg.Handler())
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{pki.serverCert}, ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: pki.pool, MinVersion: tls.VersionTLS12}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the failed handshakes are the point
	srv.StartTLS()
	defer srv.Close()
	against := "registry:" + srv.URL

	code, out := runCompatOut(t, nil, "--against", against, ".")
	if code != exitUsage || !strings.Contains(out, "certificate") {
		t.Errorf("unknown authority: exit %d\n%s", code, out)
	}
	if code, out := runCompatOut(t, nil, "--registry-ca", "ca.pem", "--against", against, "."); code != exitUsage {
		t.Errorf("no client certificate: exit %d\n%s", code, out)
	}
	if code, out := runCompatOut(t, nil, "--registry-ca", "ca.pem", "--registry-cert", "client.pem", "--against", against, "."); code != exitUsage || !strings.Contains(out, "needs both a certificate file and a key file") {
		t.Errorf("certificate without key: exit %d\n%s", code, out)
	}
	if code, out := runCompatOut(t, nil, "--registry-ca", "client-key.pem", "--against", against, "."); code != exitUsage || !strings.Contains(out, "CA file client-key.pem holds no PEM certificate") {
		t.Errorf("bad CA file: exit %d\n%s", code, out)
	}
	if code, out := runCompatOut(t, nil, "--registry-ca", "ca.pem", "--registry-cert", "client.pem", "--registry-key", "client-key.pem", "--against", against, "."); code != exitSchema || !strings.Contains(out, pingBreak) {
		t.Errorf("mutual TLS from flags: exit %d\n%s", code, out)
	}

	// The same from the config file, whose paths are relative to its
	// folder.
	if err := os.Mkdir("conf", 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"ca.pem", "client.pem", "client-key.pem"} {
		if err := os.Rename(f, filepath.Join("conf", f)); err != nil {
			t.Fatal(err)
		}
	}
	cfg := `{"compat": {"against": "registry", "registry": {"url": "` + srv.URL + `", "ca_file": "ca.pem", "cert_file": "client.pem", "key_file": "client-key.pem"}}}`
	if err := os.WriteFile("conf/evc.json", []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out := runCompatOut(t, nil, "--config", "conf/evc.json", "."); code != exitSchema || !strings.Contains(out, pingBreak) {
		t.Errorf("mutual TLS from the config: exit %d\n%s", code, out)
	}
}

// TestCompat_RegistryRemoved checks that the subjects of the new types'
// namespaces that no new type names are reported as removed, and nothing
// else: not other namespaces, not subjects of another strategy, not a
// type renamed with an alias; and none with "namespaces": [].
func TestCompat_RegistryRemoved(t *testing.T) {
	reg, _ := registryCase(t)
	rec := func(ns, name string) sr.Schema {
		return sr.Schema{Type: sr.TypeAvro, Schema: `{"type": "record", "name": "` + name + `", "namespace": "` + ns + `", "fields": [{"name": "id", "type": "long"}]}`}
	}
	reg.SeedSchema("acme.Gone", 1, 2, rec("acme", "Gone"))
	reg.SeedSchema("acme.OldName", 1, 3, rec("acme", "OldName"))
	reg.SeedSchema("other.Thing", 1, 4, rec("other", "Thing"))
	reg.SeedSchema("acme.pings-value", 1, 5, rec("acme", "Ping")) // TopicNameStrategy
	srv := httptest.NewServer(reg.Handler())
	defer srv.Close()
	if err := os.WriteFile("renamed.evc", []byte("namespace acme;\n\n@aliases(\"acme.OldName\")\nrecord NewName {\n  id: long;\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("ping.evc", []byte("namespace acme;\n\nrecord Ping {\n  seq: int;\n  host: string;\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out := runCompatOut(t, nil, "--mode", "BACKWARD", "--against", "registry:"+srv.URL, ".")
	want := "type \"acme.Gone\" of registry version 1 (subject \"acme.Gone\") is gone from the new schemas; its producers and consumers lose their schema [TYPE_REMOVED]\n"
	if code != exitSchema || !strings.HasPrefix(out, want) || strings.Count(out, "TYPE_REMOVED") != 1 {
		t.Errorf("exit %d, want one TYPE_REMOVED for acme.Gone:\n%s", code, out)
	}
	if err := os.WriteFile(config.Name, []byte(`{"compat": {"registry": {"namespaces": []}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out := runCompatOut(t, nil, "--mode", "BACKWARD", "--against", "registry:"+srv.URL, "."); code != exitOK || strings.Contains(out, "TYPE_REMOVED") {
		t.Errorf("no namespaces: exit %d\n%s", code, out)
	}
}

// TestCompat_RecordHistoryAvscFolder records a folder of evc's own
// self-contained .avsc files (one per named type, shared types repeated in
// every file that uses them): only the real top-level types get a history.
func TestCompat_RecordHistoryAvscFolder(t *testing.T) {
	src, err := filepath.Abs("testdata/compat/avsc_folder/old")
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	var stdout, stderr bytes.Buffer
	if code := run([]string{"compat", "--record-history", "hist", src}, nil, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if want := "recorded hist/shop.LineItem/v1.avsc\nrecorded hist/shop.Order/v1.avsc\n"; stdout.String() != want {
		t.Errorf("stdout = %q, want %q", stdout.String(), want)
	}
}

// TestCompat_JSONRuleEverywhere runs the cases of testdata/compat that stop
// before checking, or warn along the way, with --format json: standard error
// is a JSON array of diagnostics, each with its rule, and so is every
// finding of the report.
func TestCompat_JSONRuleEverywhere(t *testing.T) {
	for dir, want := range map[string]string{
		"bad_schema":     "SCHEMA",
		"config_bad":     "CONFIG",
		"config_modes":   "UNUSED_TYPE_MODE",
		"usage_source":   "USAGE",
		"usage_against":  "USAGE",
		"usage_mode":     "USAGE",
		"empty_baseline": "USAGE",
		"no_match":       "",
	} {
		t.Run(dir, func(t *testing.T) {
			abs, err := filepath.Abs(filepath.Join("testdata/compat", dir))
			if err != nil {
				t.Fatal(err)
			}
			raw, err := os.ReadFile(filepath.Join(abs, "args"))
			if err != nil {
				t.Fatal(err)
			}
			args := []string{"compat", "--format", "json"}
			for _, a := range strings.Split(string(raw), "\n") {
				if a != "" {
					args = append(args, a)
				}
			}
			t.Chdir(abs)
			var stdout, stderr bytes.Buffer
			run(args, strings.NewReader(""), &stdout, &stderr)
			var ds []map[string]any
			if stderr.Len() > 0 {
				if err := json.Unmarshal(stderr.Bytes(), &ds); err != nil {
					t.Fatalf("stderr is not a JSON array: %v\n%s", err, stderr.String())
				}
			}
			if want != "" && (len(ds) == 0 || ds[0]["rule"] != want) {
				t.Errorf("first diagnostic %v, want rule %s", ds, want)
			}
			for _, d := range ds {
				if r, _ := d["rule"].(string); r == "" {
					t.Errorf("a diagnostic without a rule: %v", d)
				}
			}
			if stdout.Len() > 0 {
				rep := decodeCompatJSON(t, stdout.Bytes())
				for _, f := range rep.Findings {
					if f.Rule == "" {
						t.Errorf("a finding without a rule: %+v", f)
					}
				}
			}
		})
	}
}

// TestCompat_GitEmptyBaseline checks against a revision that has no schema
// under the paths yet: a usage error, unless --allow-empty-baseline says
// these are the first versions.
func TestCompat_GitEmptyBaseline(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	repo := t.TempDir()
	if err := os.WriteFile(filepath.Join(repo, "README.md"), []byte("events to come\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	gitRun(t, repo, "init", "-q")
	gitRun(t, repo, "add", ".")
	gitRun(t, repo, "commit", "-q", "-m", "start")
	if err := os.MkdirAll(filepath.Join(repo, "events"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(repo, "events", "ping.evc"), []byte("namespace acme;\n\nrecord Ping {\n  seq: long;\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(repo)
	var stdout, stderr bytes.Buffer
	if code := run([]string{"compat", "--against", "git:HEAD", "events"}, nil, &stdout, &stderr); code != exitUsage {
		t.Fatalf("exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	if want := "evc compat: revision HEAD has no schema under events; if these are the first versions of the schemas, pass --allow-empty-baseline\n"; stderr.String() != want || stdout.Len() > 0 {
		t.Errorf("stderr = %q, want %q; stdout %q", stderr.String(), want, stdout.String())
	}
	stderr.Reset()
	if code := run([]string{"compat", "--allow-empty-baseline", "--against", "git:HEAD", "events"}, nil, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	if want := "note: new, with no earlier version: acme.Ping\nnote: no type of the new schemas has an earlier version to check against\n"; stdout.String() != want {
		t.Errorf("stdout = %q, want %q", stdout.String(), want)
	}
}
