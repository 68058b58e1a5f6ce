package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestStartupDeps: the evc command does not link packages whose package
// initialisation every start of evc would pay for and that it can do
// without. twmb/avro's (tables and maps, about a millisecond) ran in every
// evc version when backend/avro used it for one fingerprint; backend/avro
// computes the fingerprint itself (rabin.go), and the runtime and tests
// still use twmb/avro.
func TestStartupDeps(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	deps := strings.Fields(string(out))
	for _, avoid := range []string{"github.com/twmb/avro"} {
		for _, d := range deps {
			if d == avoid || strings.HasPrefix(d, avoid+"/") {
				t.Errorf("evc links %s, whose package initialisation runs on every start", d)
			}
		}
	}
	linked := false
	for _, d := range deps {
		linked = linked || d == "github.com/evc-dev/evc/internal/hugeheap/startup"
	}
	if !linked {
		t.Error("evc does not link internal/hugeheap/startup, which backs the heap it starts in with a huge page")
	}
}
