// Package pyavro finds Apache Avro's Python implementation (Debian's
// python3-avro) for the tests that hold evc to it: canonical forms,
// compatibility verdicts, schema parsing and resolution.
package pyavro

import (
	"os"
	"os/exec"
	"testing"
)

// Python is Debian's interpreter, the one python3-avro is installed for.
const Python = "/usr/bin/python3"

// Require skips t when Python cannot import module (such as "avro.schema"),
// unless CI is "true": there the reference must be present, and t fails.
func Require(t testing.TB, module string) {
	t.Helper()
	err := exec.Command(Python, "-c", "import "+module).Run()
	if err == nil {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("python3-avro is required under CI=true: %s -c 'import %s': %v", Python, module, err)
	}
	t.Skipf("python3-avro not available (%v); install Debian's python3-avro", err)
}
