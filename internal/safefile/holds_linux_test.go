package safefile

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestDir_WritesOnlyWhatDiffers: Write leaves a file that holds the data
// alone and replaces anything else at the path, in the folder and below:
// other bytes of the same size, a longer or shorter file, a FIFO (without
// waiting for a writer), a folder's link.
func TestDir_WritesOnlyWhatDiffers(t *testing.T) {
	data := []byte(`{"type": "record"}` + "\n")
	for _, sub := range []string{"", "pkg/"} {
		for _, tc := range []struct {
			name  string
			setup func(path string) error
			wrote bool
		}{
			{"same", func(p string) error { return os.WriteFile(p, data, 0o644) }, false},
			{"missing", func(p string) error { return nil }, true},
			{"same size", func(p string) error { return os.WriteFile(p, []byte(strings.ToUpper(string(data))), 0o644) }, true},
			{"longer", func(p string) error { return os.WriteFile(p, append(append([]byte{}, data...), 'x'), 0o644) }, true},
			{"shorter", func(p string) error { return os.WriteFile(p, data[:len(data)-1], 0o644) }, true},
			{"fifo", func(p string) error { return syscall.Mkfifo(p, 0o644) }, true},
			{"link to the same", func(p string) error {
				if err := os.WriteFile(p+".target", data, 0o644); err != nil {
					return err
				}
				return os.Symlink(filepath.Base(p)+".target", p)
			}, true},
		} {
			t.Run(sub+tc.name, func(t *testing.T) {
				dir := t.TempDir()
				rel := sub + "x.avsc"
				p := filepath.Join(dir, filepath.FromSlash(rel))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := tc.setup(p); err != nil {
					t.Skip(err)
				}
				d, err := OpenDir(dir)
				if err != nil {
					t.Fatal(err)
				}
				defer d.Close()
				// In the folder itself, the fast way answers.
				if same, ok := d.holdsFast(filepath.FromSlash(rel), data); sub == "" && (!ok || same != !tc.wrote) {
					t.Errorf("holdsFast = %v, %v; want %v, true", same, ok, !tc.wrote)
				}
				wrote, err := d.Write(rel, data)
				if err != nil || wrote != tc.wrote {
					t.Fatalf("Write = %v, %v; want %v", wrote, err, tc.wrote)
				}
				st, err := os.Lstat(p)
				if err != nil || !st.Mode().IsRegular() {
					t.Fatalf("after Write: %v, %v", st, err)
				}
				if got, _ := os.ReadFile(p); string(got) != string(data) {
					t.Errorf("after Write the file holds %q", got)
				}
			})
		}
	}
}
