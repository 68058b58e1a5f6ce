package source

import (
	"testing"
	"testing/fstest"
)

// TestMemFS holds memFS to the fs.FS contract, as the compiler walks it.
func TestMemFS(t *testing.T) {
	m := memFS{"a.evc": []byte("x"), "events/b.evc": []byte("yy"), "events/deep/c.avsc": []byte("{}")}
	if err := fstest.TestFS(m, "a.evc", "events/b.evc", "events/deep/c.avsc"); err != nil {
		t.Fatal(err)
	}
}
