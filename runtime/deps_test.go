package runtime_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDeps: generated code imports runtime and runtime/avrobin; neither may
// pull in anything outside the standard library (twmb/avro lives in
// runtime/resolve, which only serde imports).
func TestDeps(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}",
		"github.com/evc-dev/evc/runtime", "github.com/evc-dev/evc/runtime/avrobin").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, p := range strings.Fields(string(out)) {
		if p != "github.com/evc-dev/evc/runtime" && p != "github.com/evc-dev/evc/runtime/avrobin" {
			t.Errorf("generated code's runtime packages depend on %s", p)
		}
	}
}
