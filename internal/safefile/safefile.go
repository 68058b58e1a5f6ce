// Package safefile is how evc writes files: atomically, and for generated
// output only inside the output folder.
//
// Atomically: data goes to a temporary file in the target's folder, which is
// then renamed over the target, so that a full disk or an interrupted run
// leaves the old file whole rather than truncated. (There is no fsync: the
// point is never to leave a partial file behind, not to survive a power
// cut, and compile writes hundreds of files.)
//
// Inside the output folder: a Dir refuses a path that is absolute or has
// ".." elements, and reaches its files through an os.Root, so that no
// symbolic link leads a write outside the folder. A symbolic link at a
// file's own path is replaced by the file, never written through.
package safefile

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Write writes data to the file name atomically, with the permissions perm.
// When name is a symbolic link, the file it points to is replaced (fmt -w
// on a linked source keeps the link).
func Write(name string, data []byte, perm fs.FileMode) error {
	if target, err := filepath.EvalSymlinks(name); err == nil {
		name = target
	}
	dir, base := filepath.Split(name)
	if dir == "" {
		dir = "."
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return fmt.Errorf("evc: %w", err)
	}
	defer root.Close()
	if err := replace(root, base, data, perm); err != nil {
		return fmt.Errorf("evc: %s: %w", filepath.ToSlash(name), cause(err))
	}
	return nil
}

// Dir is an output folder: every file written through it stays inside.
type Dir struct {
	name string
	root *os.Root
	// self is the folder itself, open, for the raw system calls of
	// holdsFast (on selfFD); nil where they are not used.
	self   *os.File
	selfFD int
}

// OpenDir creates the folder name when it does not exist, and opens it.
func OpenDir(name string) (*Dir, error) {
	if err := os.MkdirAll(name, 0o755); err != nil {
		return nil, fmt.Errorf("evc: %w", err)
	}
	root, err := os.OpenRoot(name)
	if err != nil {
		return nil, fmt.Errorf("evc: %w", err)
	}
	d := &Dir{name: name, root: root}
	d.openSelf()
	return d, nil
}

// Close releases the folder.
func (d *Dir) Close() error {
	if d.self != nil {
		d.self.Close()
	}
	return d.root.Close()
}

// Check returns an error when rel, a slash-separated path, does not name a
// file inside the folder: it is empty, absolute, or has ".." elements.
func (d *Dir) Check(rel string) error {
	if !filepath.IsLocal(filepath.FromSlash(rel)) || path.Clean(rel) == "." || strings.Contains(rel, "\\") {
		return fmt.Errorf("evc: refusing to write %q: it is not a path inside the output folder %s", rel, filepath.ToSlash(d.name))
	}
	return nil
}

// Write writes data to rel, a slash-separated path inside the folder,
// creating the folders it needs. A file that already holds data is left
// alone, so that timestamps and build caches stay valid; it reports whether
// it wrote.
func (d *Dir) Write(rel string, data []byte) (bool, error) {
	if err := d.Check(rel); err != nil {
		return false, err
	}
	p := filepath.FromSlash(rel)
	if parent := filepath.Dir(p); parent != "." {
		if err := d.root.MkdirAll(parent, 0o755); err != nil {
			return false, d.explain(rel, err)
		}
	}
	if d.holds(p, data) {
		return false, nil
	}
	if err := replace(d.root, p, data, 0o644); err != nil {
		return false, d.explain(rel, err)
	}
	return true, nil
}

// holds reports whether the file p, inside the folder, is a regular file
// that holds data: a compile that changes nothing reads every output back,
// so this is most of what it does to the disk.
func (d *Dir) holds(p string, data []byte) bool {
	if same, ok := d.holdsFast(p, data); ok {
		return same
	}
	if st, err := d.root.Lstat(p); err == nil && st.Mode().IsRegular() && st.Size() == int64(len(data)) {
		if old, err := d.root.ReadFile(p); err == nil && bytes.Equal(old, data) {
			return true
		}
	}
	return false
}

// ReadFile reads rel inside the folder; it does not follow a symbolic link
// out of it.
func (d *Dir) ReadFile(rel string) ([]byte, error) {
	if err := d.Check(rel); err != nil {
		return nil, err
	}
	return d.root.ReadFile(filepath.FromSlash(rel))
}

// explain turns an error writing rel into one that says which symbolic
// link was in the way, when one was.
func (d *Dir) explain(rel string, err error) error {
	at := ""
	for _, el := range strings.Split(rel, "/") {
		at = path.Join(at, el)
		st, lerr := d.root.Lstat(filepath.FromSlash(at))
		if lerr != nil {
			break
		}
		if st.Mode()&fs.ModeSymlink != 0 && at != rel {
			return fmt.Errorf("evc: cannot write %s: %s is a symbolic link, and evc follows none out of the output folder (nor any absolute one); remove the link",
				path.Join(filepath.ToSlash(d.name), rel), path.Join(filepath.ToSlash(d.name), at))
		}
	}
	return fmt.Errorf("evc: %s: %w", path.Join(filepath.ToSlash(d.name), rel), cause(err))
}

// cause drops the operation and the temporary file's name from a file
// system error: the message names the file evc was writing instead.
func cause(err error) error {
	var pe *fs.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		return pe.Err
	case errors.As(err, &le):
		return le.Err
	}
	return err
}

// replace writes data to a new temporary file beside name and renames it
// over name.
func replace(root *os.Root, name string, data []byte, perm fs.FileMode) error {
	dir, base := filepath.Split(name)
	var rnd [6]byte
	_, _ = rand.Read(rnd[:])
	tmp := filepath.Join(dir, "."+base+".evc-tmp-"+hex.EncodeToString(rnd[:]))
	f, err := root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(perm)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = root.Rename(tmp, name)
	}
	if err != nil {
		_ = root.Remove(tmp)
		return err
	}
	return nil
}
