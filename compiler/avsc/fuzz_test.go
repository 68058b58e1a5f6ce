package avsc

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/internal/corpus"
)

// FuzzRead checks that Read never panics, and that a file it accepts
// without errors has a root type and only valid spans.
func FuzzRead(f *testing.F) {
	for _, s := range corpus.Schemas() {
		f.Add(s.Data)
	}
	files, _ := filepath.Glob("testdata/errors/*.avsc")
	for _, p := range files {
		if src, err := os.ReadFile(p); err == nil {
			f.Add(src)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		var l diag.List
		file := Read("f.avsc", src, &l, nil)
		for _, d := range l.Items() {
			if !d.Span.Start.IsValid() || d.Span.Start.Offset > len(src) {
				t.Errorf("diagnostic without a valid position: %+v", d)
			}
		}
		if !l.HasErrors() && file.Root == nil {
			t.Error("no errors but no root")
		}
	})
}

func TestRead_DeepNesting(t *testing.T) {
	for _, src := range []string{
		strings.Repeat("[", 100000),
		strings.Repeat(`{"type": "array", "items": `, 5000) + `"int"` + strings.Repeat("}", 5000),
	} {
		var l diag.List
		Read("deep.avsc", []byte(src), &l, nil)
		if l.Len() != 1 || !strings.Contains(l.Items()[0].Message, "nests more than 1000 levels deep") {
			t.Errorf("want one depth error, got %v", l.Items())
		}
	}
}
