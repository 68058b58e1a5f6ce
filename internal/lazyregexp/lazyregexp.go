// Package lazyregexp compiles a package-level regular expression on first
// use instead of when the program starts: every evc command starts every
// linked package, and compiling their expressions at start cost each run,
// evc version included, for expressions most runs never use (as the go
// command's internal/lazyregexp).
package lazyregexp

import (
	"regexp"
	"sync"
)

// New returns a function that compiles expr on its first call and returns
// the same *regexp.Regexp on every call. expr must compile: it panics on
// first use otherwise, as regexp.MustCompile would at start.
func New(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
