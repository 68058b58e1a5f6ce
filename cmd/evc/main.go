// Command evc compiles event schemas written in the evc language to Avro
// schemas and Go bindings, checks their compatibility with earlier versions,
// formats them, and imports existing .avsc files.
package main

import (
	"os"
	"runtime/debug"

	// Back the start of the heap with a huge page before most package
	// initialisation touches it (see the package's doc).
	_ "github.com/evc-dev/evc/internal/hugeheap/startup"
)

func main() {
	// evc runs for a fraction of a second over a heap of a few tens of
	// megabytes: collecting less often saves a fifth of a compile's time
	// (see BenchmarkCompile in bench/) for a little more peak memory.
	// GOGC in the environment still wins.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
