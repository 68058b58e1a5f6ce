package backend

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestWrite_WritesAndLeavesUnchangedFilesAlone(t *testing.T) {
	dir := t.TempDir()
	files := []File{{Path: "a/x.avsc", Data: []byte("one")}, {Path: "b/c/y.avsc", Data: []byte("two")}, {Path: "z.go", Data: []byte("three")}}
	if err := Write(dir, files); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		got, err := os.ReadFile(filepath.Join(dir, f.Path))
		if err != nil || string(got) != string(f.Data) {
			t.Fatalf("%s = %q, %v", f.Path, got, err)
		}
	}
	old := time.Now().Add(-time.Hour)
	for _, f := range files {
		if err := os.Chtimes(filepath.Join(dir, f.Path), old, old); err != nil {
			t.Fatal(err)
		}
	}
	files[1].Data = []byte("TWO") // same size, new content
	if err := Write(dir, files); err != nil {
		t.Fatal(err)
	}
	for i, f := range files {
		st, err := os.Stat(filepath.Join(dir, f.Path))
		if err != nil {
			t.Fatal(err)
		}
		if touched := st.ModTime().After(old.Add(time.Minute)); touched != (i == 1) {
			t.Errorf("%s: rewritten = %v, want %v", f.Path, touched, i == 1)
		}
	}
}

func TestWrite_ReportsErrors(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Write(blocker, []File{{Path: "x.avsc", Data: []byte("x")}}); err == nil {
		t.Fatal("writing under a regular file succeeded")
	}
}
