package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/sr"
	"github.com/twmb/franz-go/pkg/sr/srfake"

	"github.com/evc-dev/evc/internal/golden"
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
			var stdout, stderr bytes.Buffer
			code := run(args, strings.NewReader(""), &stdout, &stderr)
			golden.Check(t, filepath.Join(abs, "stdout.golden"), stdout.Bytes())
			golden.Check(t, filepath.Join(abs, "stderr.golden"), stderr.Bytes())
			golden.Check(t, filepath.Join(abs, "exit.golden"), []byte(strconv.Itoa(code)+"\n"))
		})
	}
}

// TestCompat_JSONIsValid checks that --format json writes one JSON array
// holding every finding and the closing notes.
func TestCompat_JSONIsValid(t *testing.T) {
	t.Chdir("testdata/compat/full_json")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"compat", "--mode", "FULL", "--format", "json", "--against", "old", "new"}, nil, &stdout, &stderr); code != exitSchema {
		t.Fatalf("exit %d, want %d; stderr: %s", code, exitSchema, stderr.String())
	}
	var ds []struct {
		Severity, File, Rule, Message string
		Line                          int
	}
	if err := json.Unmarshal(stdout.Bytes(), &ds); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout.String())
	}
	rules := map[string]int{}
	for _, d := range ds {
		rules[d.Rule]++
	}
	for _, r := range []string{"FIELD_NO_DEFAULT", "ENUM_SYMBOL_ADDED", "TYPE_MISMATCH", "UPGRADE_ORDER"} {
		if rules[r] == 0 {
			t.Errorf("no %s in the JSON report: %v", r, rules)
		}
	}
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
note: 1 incompatibility in 2 types checked
note: upgrade order: deploy consumers first, then producers (new consumers read old data, old consumers cannot read new data)
`
	if got := stdout.String(); got != want {
		t.Errorf("stdout (-want +got):\n%s", golden.Diff(want, got))
	}
	if stderr.Len() > 0 {
		t.Errorf("stderr: %s", stderr.String())
	}

	// Once committed, the working tree is compatible with HEAD again.
	gitRun(t, repo, "add", ".")
	gitRun(t, repo, "commit", "-q", "-m", "v2")
	stdout.Reset()
	if code := run([]string{"compat", "--against", "git:HEAD", "events"}, nil, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d after commit\n%s%s", code, stdout.String(), stderr.String())
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

	// Without the suffix the subject does not exist: the type is new.
	var stdout, stderr bytes.Buffer
	if code := run([]string{"compat", "--against", "registry:" + reg.URL(), "."}, nil, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	if !strings.Contains(stdout.String(), "no type of the new schemas has an earlier version") {
		t.Errorf("stdout: %s", stdout.String())
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
