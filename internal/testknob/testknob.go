// Package testknob reads the environment variables with which a long
// randomised test is run longer, or with another seed, than in CI.
package testknob

import (
	"os"
	"strconv"
	"testing"
)

// Int returns the integer in the environment variable name, or def when it
// is unset; a value that is not an integer fails the test.
func Int(t testing.TB, name string, def int64) int64 {
	t.Helper()
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatalf("%s=%q: %v", name, s, err)
	}
	return n
}
