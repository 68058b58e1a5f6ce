package compiler

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
)

// unreadableFS is a MapFS whose files named in bad open and stat but fail
// to read, as a file without read permission does.
type unreadableFS struct {
	m   fstest.MapFS
	bad map[string]bool
}

func (u unreadableFS) Open(name string) (fs.File, error) {
	f, err := u.m.Open(name)
	if err != nil || !u.bad[name] {
		return f, err
	}
	return unreadable{f}, nil
}

type unreadable struct{ fs.File }

func (unreadable) Read([]byte) (int, error) { return 0, fs.ErrPermission }

func TestCompile_UnreadableImport(t *testing.T) {
	fsys := unreadableFS{
		m: fstest.MapFS{
			"a.evc":      {Data: []byte("namespace p;\nimport \"secret.evc\";\nrecord R { s: S; }\n")},
			"secret.evc": {Data: []byte("namespace p;\nrecord S {}\n")},
		},
		bad: map[string]bool{"secret.evc": true},
	}
	if _, err := fs.ReadFile(fsys, "secret.evc"); !errors.Is(err, fs.ErrPermission) {
		t.Fatalf("the test FS reads secret.evc: %v", err)
	}
	res := Compile([]string{"a.evc"}, Options{FS: fsys})
	var msgs []string
	for _, d := range res.Diags.Items() {
		msgs = append(msgs, d.Span.Start.String()+": "+d.Message)
	}
	got := strings.Join(msgs, "\n")
	if !strings.Contains(got, "cannot read secret.evc: permission denied") {
		t.Errorf("an import that cannot be read is not reported; diagnostics:\n%s", got)
	}
}
