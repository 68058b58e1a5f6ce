package driver

import (
	"os"
	"path/filepath"
	"testing"
)

func TestModulePath_FromGoMod(t *testing.T) {
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "go.mod"), []byte("// c\nmodule example.com/acme\n\ngo 1.22\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(root, "gen", "events")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	for dir, want := range map[string]string{root: "example.com/acme", sub: "example.com/acme/gen/events"} {
		got, err := ModulePath(dir)
		if err != nil || got != want {
			t.Errorf("ModulePath(%s) = %q, %v; want %q", dir, got, err, want)
		}
	}
	// A directory that does not exist yet still gets its path.
	got, err := ModulePath(filepath.Join(root, "later"))
	if err != nil || got != "example.com/acme/later" {
		t.Errorf("ModulePath(later) = %q, %v", got, err)
	}
}
