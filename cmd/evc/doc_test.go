package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const docSchema = `/// Orders.
namespace shop;

/// Sent when an order is placed.
@event(type = "com.example.order.placed.v1")
record OrderPlaced {
  order_id: string;
  placed_at: timestamp-millis;
}

topic "orders" { value: OrderPlaced; }
`

// docHistoryV1 is OrderPlaced before placed_at, as a history folder holds it.
const docHistoryV1 = `{"type": "record", "name": "OrderPlaced", "namespace": "shop", "fields": [{"name": "order_id", "type": "string"}]}`

func TestDoc_Site(t *testing.T) {
	dir := fmtTree(t, map[string]string{
		"events/shop.evc":                  docSchema,
		"history/shop.OrderPlaced/v1.avsc": docHistoryV1,
	})
	out := filepath.Join(dir, "site")
	code, _, stderr := runEvc(t, "", "doc", "-o", out, "--mode", "BACKWARD", "--history", filepath.Join(dir, "history"), filepath.Join(dir, "events"))
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "evc doc: wrote 9 files to "+out) {
		t.Errorf("stderr: %s", stderr)
	}
	page, err := os.ReadFile(filepath.Join(out, "history-shop.OrderPlaced.html"))
	if err != nil {
		t.Fatal(err)
	}
	// The verdict is evc compat's: in BACKWARD, a field added without a
	// default breaks the new readers.
	for _, want := range []string{
		`<span class="bad">incompatible</span> in BACKWARD`,
		`<td><code>FIELD_NO_DEFAULT</code></td><td>BACKWARD</td><td><code>shop.OrderPlaced.placed_at</code></td>`,
		`new consumers cannot read data written with v1`,
	} {
		if !strings.Contains(string(page), want) {
			t.Errorf("the history page lacks %s", want)
		}
	}
	// Run again: the same bytes, the site's own folder not read as input.
	before, _ := os.ReadFile(filepath.Join(out, "index.html"))
	if code, _, stderr := runEvc(t, "", "doc", "-o", out, "--mode", "BACKWARD", "--history", filepath.Join(dir, "history"), filepath.Join(dir, "events")); code != exitOK {
		t.Fatalf("second run: exit %d: %s", code, stderr)
	}
	after, _ := os.ReadFile(filepath.Join(out, "index.html"))
	if string(before) != string(after) {
		t.Error("a second run changed index.html")
	}
}

func TestDoc_AsyncAPIToStdout(t *testing.T) {
	dir := fmtTree(t, map[string]string{"shop.evc": docSchema})
	code, stdout, stderr := runEvc(t, "", "doc", "--format", "asyncapi", "--title", "Shop", "-o", "-", dir)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{`"asyncapi": "3.0.0"`, `"title": "Shop"`, `"address": "orders"`, `"ce_type"`, `"const": "com.example.order.placed.v1"`} {
		if !strings.Contains(stdout, want) {
			t.Errorf("the document lacks %s", want)
		}
	}
}

func TestDoc_AsyncAPIIntoFolder(t *testing.T) {
	dir := fmtTree(t, map[string]string{"in/shop.evc": docSchema})
	if err := os.Mkdir(filepath.Join(dir, "out"), 0o755); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runEvc(t, "", "doc", "--format", "asyncapi", "-o", filepath.Join(dir, "out"), filepath.Join(dir, "in"))
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if want := "evc doc: wrote " + filepath.Join(dir, "out") + "\n"; stderr != want {
		t.Errorf("stderr %q, want %q", stderr, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "out", "asyncapi.json")); err != nil {
		t.Errorf("a folder for -o gets asyncapi.json: %v", err)
	}
}

// TestDoc_Errors asserts every message evc doc prints of its own, and its
// exit codes.
func TestDoc_Errors(t *testing.T) {
	dir := fmtTree(t, map[string]string{
		"ok/shop.evc": docSchema,
		"bad/bad.evc": "namespace x;\nrecord R { a: Nope; }\n",
		"hist/x.txt":  "",
	})
	for _, c := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no out", []string{"doc", filepath.Join(dir, "ok")}, exitUsage, "evc doc: doc needs -o: the site's folder, or the AsyncAPI document's file"},
		{"bad format", []string{"doc", "--format", "pdf", "-o", filepath.Join(dir, "s"), filepath.Join(dir, "ok")}, exitUsage, `evc doc: --format is html or asyncapi, not "pdf"`},
		{"history with asyncapi", []string{"doc", "--format", "asyncapi", "--history", filepath.Join(dir, "hist"), "-o", "-", filepath.Join(dir, "ok")}, exitUsage, "evc doc: --history applies to the html catalog, not to --format asyncapi"},
		{"bad mode", []string{"doc", "--mode", "SIDEWAYS", "-o", filepath.Join(dir, "s"), filepath.Join(dir, "ok")}, exitUsage, "evc doc: --mode: "},
		{"schema error", []string{"doc", "-o", filepath.Join(dir, "s"), filepath.Join(dir, "bad")}, exitSchema, `bad.evc:2:15: unknown type "Nope"`},
		{"missing history", []string{"doc", "--history", filepath.Join(dir, "nowhere"), "-o", filepath.Join(dir, "s"), filepath.Join(dir, "ok")}, exitUsage, "cannot read the earlier versions"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := runEvc(t, "", c.args...)
			if code != c.code || !strings.Contains(stderr, c.want) {
				t.Errorf("exit %d, stderr:\n%s\nwant exit %d and %q", code, stderr, c.code, c.want)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "s")); err == nil {
		t.Error("a failed run wrote the site")
	}
}

// TestDoc_HistoryFromWorkspaceAndGit: with no --history, the site shows the
// versions of the workspace file's baseline; --against git:REF reads a
// revision, as evc compat does.
func TestDoc_HistoryFromWorkspaceAndGit(t *testing.T) {
	dir := fmtTree(t, map[string]string{
		"events/shop.evc":                  docSchema,
		"history/shop.OrderPlaced/v1.avsc": docHistoryV1,
		"evc.json":                         `{"roots": ["events"], "compat": {"mode": "BACKWARD", "against": "history"}}`,
	})
	t.Chdir(dir)
	if code, _, stderr := runEvc(t, "", "doc", "-o", "site"); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	page, err := os.ReadFile(filepath.Join("site", "history-shop.OrderPlaced.html"))
	if err != nil {
		t.Fatalf("no history page from the workspace's baseline: %v", err)
	}
	if !strings.Contains(string(page), `<code>v1</code> → <code>current</code>`) {
		t.Errorf("history page:\n%s", page)
	}

	// The same schema at a git revision, before placed_at was added.
	gitRun := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.org", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.org")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	old := strings.Replace(docSchema, "  placed_at: timestamp-millis;\n", "", 1)
	if err := os.WriteFile(filepath.Join("events", "shop.evc"), []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	gitRun("init", "-q")
	gitRun("add", "events")
	gitRun("commit", "-q", "-m", "v1")
	gitRun("tag", "v1")
	if err := os.WriteFile(filepath.Join("events", "shop.evc"), []byte(docSchema), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runEvc(t, "", "doc", "-o", "site2", "--against", "git:v1", "events"); code != exitOK {
		t.Fatalf("--against git:v1: exit %d: %s", code, stderr)
	}
	page, err = os.ReadFile(filepath.Join("site2", "history-shop.OrderPlaced.html"))
	if err != nil {
		t.Fatalf("no history page from git: %v", err)
	}
	for _, want := range []string{`<code>v1</code> → <code>current</code>`, `<span class="op">added</span> <code>shop.OrderPlaced.placed_at</code>`, `FIELD_NO_DEFAULT`} {
		if !strings.Contains(string(page), want) {
			t.Errorf("the git history page lacks %s:\n%s", want, page)
		}
	}
}
