package safefile

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestDir_RefusesPathsOutside(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	d, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	for _, rel := range []string{"../x.go", "a/../../x.go", "/etc/x.go", "", ".", `a\..\..\x.go`} {
		_, err := d.Write(rel, []byte("x"))
		want := "evc: refusing to write " + strconv.Quote(rel) + ": it is not a path inside the output folder " + filepath.ToSlash(dir)
		if err == nil || err.Error() != want {
			t.Errorf("Write(%q): %v\nwant %s", rel, err, want)
		}
	}
	ents, _ := os.ReadDir(filepath.Dir(dir))
	if len(ents) != 1 {
		t.Errorf("files beside the output folder: %v", ents)
	}
}

// TestDir_ReplacesALinkAtThePath: a link where a file goes is replaced by
// the file; what it pointed to is untouched.
func TestDir_ReplacesALinkAtThePath(t *testing.T) {
	root := t.TempDir()
	victim := filepath.Join(root, "victim.txt")
	if err := os.WriteFile(victim, []byte("precious data\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(root, "out")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{"../victim.txt", victim} {
		link := filepath.Join(out, "t.R.avsc")
		os.Remove(link)
		if err := os.Symlink(target, link); err != nil {
			t.Fatal(err)
		}
		d, err := OpenDir(out)
		if err != nil {
			t.Fatal(err)
		}
		wrote, err := d.Write("t.R.avsc", []byte("{}\n"))
		d.Close()
		if err != nil || !wrote {
			t.Fatalf("Write over a link to %s: %v, %v", target, wrote, err)
		}
		if got, _ := os.ReadFile(victim); string(got) != "precious data\n" {
			t.Fatalf("the link's target was written: %q", got)
		}
		st, err := os.Lstat(link)
		if err != nil || !st.Mode().IsRegular() {
			t.Fatalf("the link was not replaced by a file: %v, %v", st.Mode(), err)
		}
	}
}

// TestDir_RefusesALinkedFolderOutside: a link to a folder outside is not
// followed, and the error names it.
func TestDir_RefusesALinkedFolderOutside(t *testing.T) {
	root := t.TempDir()
	elsewhere := filepath.Join(root, "elsewhere")
	out := filepath.Join(root, "out")
	for _, d := range []string{elsewhere, out} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("../elsewhere", filepath.Join(out, "pkg")); err != nil {
		t.Fatal(err)
	}
	d, err := OpenDir(out)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	_, err = d.Write("pkg/types.evc.go", []byte("package pkg\n"))
	o := filepath.ToSlash(out)
	want := "evc: cannot write " + o + "/pkg/types.evc.go: " + o + "/pkg is a symbolic link, and evc follows none out of the output folder (nor any absolute one); remove the link"
	if err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
	if ents, _ := os.ReadDir(elsewhere); len(ents) != 0 {
		t.Errorf("written through the link: %v", ents)
	}
}

// TestWrite_ReplacesAtomically: the file is replaced whole, keeps its
// permissions, and no temporary file is left; a linked file is written
// where the link points, and the link stays.
func TestWrite_ReplacesAtomically(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src.evc")
	if err := os.WriteFile(src, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.evc")
	if err := os.Symlink("src.evc", link); err != nil {
		t.Fatal(err)
	}
	if err := Write(link, []byte("new content"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(src); string(got) != "new content" {
		t.Errorf("src.evc = %q", got)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link is gone: %v", err)
	}
	if st, _ := os.Stat(src); st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", st.Mode().Perm())
	}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.Contains(e.Name(), "evc-tmp") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
	// A folder that cannot take the temporary file: the error says which
	// file, and the old content stays.
	ro := filepath.Join(dir, "ro")
	if err := os.Mkdir(ro, 0o755); err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(ro, "a.evc")
	if err := os.WriteFile(f, []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(ro, 0o555); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(ro, 0o755)
	if os.Geteuid() == 0 {
		return // root writes anyway
	}
	err := Write(f, []byte("lost"), 0o644)
	if want := "evc: " + filepath.ToSlash(f) + ": permission denied"; err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
	if got, _ := os.ReadFile(f); string(got) != "keep" {
		t.Errorf("a.evc = %q", got)
	}
}
