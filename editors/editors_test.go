// Package editors_test runs the editor integrations against real editor
// tooling: Neovim's built-in LSP client drives evc lsp, and the VS Code
// extension's TextMate grammar is tested with vscode-tmgrammar-test. Without
// the tools the tests skip, except under CI, where they fail: .ci/run
// installs Debian's neovim and the extension's npm packages.
package editors_test

import (
	"archive/zip"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// need returns the path of a tool, or skips (fails under CI) without it.
func need(t *testing.T, tool, install string) string {
	t.Helper()
	p, err := exec.LookPath(tool)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not installed (%s)", tool, install)
		}
		t.Skipf("%s is not installed (%s); the test runs under CI", tool, install)
	}
	return p
}

func TestNeovim_LanguageServer(t *testing.T) {
	nvim := need(t, "nvim", "apt-get install neovim")
	bin := filepath.Join(t.TempDir(), "evc")
	build := exec.Command("go", "build", "-o", bin, "../cmd/evc")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	root := t.TempDir()
	for _, f := range []string{"common.evc", "learning.evc"} {
		data, err := os.ReadFile(filepath.Join("..", "examples", "openedx", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	script, _ := filepath.Abs("nvim/lsp_test.lua")
	cmd := exec.CommandContext(ctx, nvim, "--headless", "-u", "NONE", "-i", "NONE", "-n", "-c", "luafile "+script)
	cmd.Env = append(os.Environ(), "EVC_BIN="+bin, "EVC_ROOT="+root, "HOME="+t.TempDir(), "XDG_STATE_HOME="+t.TempDir())
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	t.Logf("neovim:\n%s", out.String())
	if err != nil || strings.Contains(out.String(), "FAIL:") {
		t.Fatalf("neovim: %v", err)
	}
	for _, want := range []string{"ok: initialized", "ok: diagnostic: unknown type \"UserDat\"", "ok: diagnostics cleared", "ok: hover: ", "ok: definition: ", "ok: rename in 2 files", "ok: formatting"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("neovim did not report %q", want)
		}
	}
}

// TestVSCode_Grammar runs the extension's grammar tests: the assertions of
// test/grammar.test.evc and the snapshots of the examples.
func TestVSCode_Grammar(t *testing.T) {
	need(t, "node", "Node.js")
	if _, err := os.Stat("vscode/node_modules/vscode-tmgrammar-test"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("the extension's npm packages are not installed (npm ci --prefix editors/vscode)")
		}
		t.Skip("the extension's npm packages are not installed (npm ci --prefix editors/vscode)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	for _, args := range [][]string{
		{"node_modules/.bin/vscode-tmgrammar-test", "-g", "syntaxes/evc.tmLanguage.json", "test/*.test.evc"},
		{"node_modules/.bin/vscode-tmgrammar-snap", "-g", "syntaxes/evc.tmLanguage.json", "test/examples/*.evc"},
	} {
		cmd := exec.CommandContext(ctx, args[0], args[1:]...)
		cmd.Dir = "vscode"
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Errorf("%s: %v\n%s", filepath.Base(args[0]), err, out)
		}
		if !strings.Contains(string(out), "success") {
			t.Errorf("%s reported no success:\n%s", filepath.Base(args[0]), out)
		}
	}
}

// TestVSCode_Package packages the extension with @vscode/vsce, offline, and
// checks the .vsix holds the manifest, the client, the grammar, the language
// configuration and the language client library it needs at run time, and
// none of the test files.
func TestVSCode_Package(t *testing.T) {
	need(t, "node", "Node.js")
	vsce := "vscode/node_modules/.bin/vsce"
	if _, err := os.Stat(vsce); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("the extension's npm packages are not installed (npm ci --prefix editors/vscode)")
		}
		t.Skip("the extension's npm packages are not installed (npm ci --prefix editors/vscode)")
	}
	out := filepath.Join(t.TempDir(), "evc.vsix")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node_modules/.bin/vsce", "package", "--skip-license", "-o", out)
	cmd.Dir = "vscode"
	cmd.Stdin = strings.NewReader("") // vsce asks before going on without a LICENSE when it can
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("vsce package: %v\n%s", err, msg)
	}
	z, err := zip.OpenReader(out)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	has := map[string]bool{}
	for _, f := range z.File {
		has[f.Name] = true
		if strings.HasPrefix(f.Name, "extension/test/") {
			t.Errorf("the package holds a test file: %s", f.Name)
		}
	}
	for _, want := range []string{
		"extension/package.json",
		"extension/extension.js",
		"extension/syntaxes/evc.tmLanguage.json",
		"extension/language-configuration.json",
		"extension/node_modules/vscode-languageclient/package.json",
	} {
		if !has[want] {
			t.Errorf("the package lacks %s", want)
		}
	}
}
