package avsc

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/internal/corpus"
)

// update reports whether goldens should be rewritten (EVC_UPDATE=1).
func update() bool { return os.Getenv("EVC_UPDATE") == "1" }

// checkGolden compares got with the golden file at path; with EVC_UPDATE=1
// it rewrites the file. A missing golden is a failure.
func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if update() {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("missing golden %s (run with EVC_UPDATE=1): %v", path, err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s: -want +got:\n-%s\n+%s", path, strings.ReplaceAll(string(want), "\n", "\n-"), strings.ReplaceAll(string(got), "\n", "\n+"))
	}
}

// diagnose reads path and renders its diagnostics as text.
func diagnose(t *testing.T, path string) []byte {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return diagnoseSrc(t, path, src)
}

// diagnoseSrc renders the diagnostics of src, read as the file path, as text.
func diagnoseSrc(t *testing.T, path string, src []byte) []byte {
	t.Helper()
	var l diag.List
	Read(path, src, &l, nil)
	l.Sort()
	var b bytes.Buffer
	if err := diag.WriteText(&b, l.Items(), diag.Sources{path: src}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestRead_Diagnostics(t *testing.T) {
	files, err := filepath.Glob("testdata/errors/*.avsc")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden inputs: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			got := diagnose(t, f)
			if len(got) == 0 {
				t.Errorf("%s: no diagnostics; every file under testdata/errors must have some", f)
			}
			checkGolden(t, f+".stderr.txt", got)
		})
	}
}

// TestRead_OpenEdXInvalidNamespace: the real Open edX schema whose
// namespace has a hyphen gets one clear error naming the file and the name.
func TestRead_OpenEdXInvalidNamespace(t *testing.T) {
	var path string
	var src []byte
	for _, s := range corpus.Schemas() {
		if strings.HasSuffix(s.Name, "/org+openedx+enterprise+subsidy+redemption-reversed+v1_schema.avsc") {
			path, src = s.Name, s.Data
		}
	}
	if src == nil {
		t.Fatal("the corpus lacks the redemption-reversed schema")
	}
	got := diagnoseSrc(t, path, src)
	checkGolden(t, "testdata/openedx_redemption_reversed.stderr.txt", got)
	first, _, _ := strings.Cut(string(got), "\n")
	want := path + `:28:16: namespace "org.openedx.enterprise.subsidy.redemption-reversed.v1" is not a valid Avro name: "redemption-reversed" has a "-"`
	if first != want {
		t.Errorf("first line:\n got %s\nwant %s", first, want)
	}
}
