// Package race tells tests whether the race detector is on: it changes
// allocation counts (sync.Pool drops a quarter of what is put in it, and
// instrumented code allocates more), so allocation assertions hold only
// without it.
package race
