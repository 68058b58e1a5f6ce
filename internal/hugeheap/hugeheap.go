// Package hugeheap asks the operating system to back the memory a
// compile is about to fill with huge pages, where it can.
//
// A compile allocates tens of megabytes that all stay live until it ends
// (syntax trees, then the IR, then the outputs), and the first touch of
// each 4 KiB page of it costs a page fault: on Linux with transparent huge
// pages in their default "madvise" mode, several thousand faults, which on
// virtual machines cost more than the compile's own work. Reserve maps a
// block of heap, marks it for huge pages, and frees it, so that what the
// program allocates next is carved out of it and faults in 2 MiB at a time.
// (Go's runtime no longer asks for huge pages for its heap itself.) The
// runtime keeps a freed block mapped and hands its pages out again, lowest
// addresses first.
//
// Where huge pages are off or unavailable the kernel falls back to small
// pages, and elsewhere than Linux Reserve does nothing: it changes speed,
// never behaviour. EVC_HUGEPAGES=off turns it off, for hosts where the
// kernel's compaction for huge pages stalls more than small pages cost.
package hugeheap

import (
	"os"
	"runtime"
	"runtime/debug"
	"sync"

	"github.com/evc-dev/evc/internal/hugeheap/startup"
)

// Size is how much heap Reserve prepares: about what a compile of a large
// workspace (500 records of 20 fields) allocates. Past it the heap grows
// as it would have.
const Size = 32 << 20

// Reserve prepares Size bytes of heap for huge pages, the first time it is
// called. It costs a garbage collection of a still small heap (about a
// millisecond), and huge pages cost more than small ones to a program that
// touches little memory, so a command calls it only before a large
// compile.
func Reserve() {
	if startup.Wanted(os.Getenv(EnvVar)) {
		once.Do(reserve)
	}
}

// EnvVar names the environment variable that turns Reserve off when it is
// "off" (or "0", "false", "no"), and the huge page package startup asks for
// when the program starts.
const EnvVar = startup.EnvVar

// once: the block is prepared once a process (tests compile many times).
var once sync.Once

func reserve() {
	// Allocating the block would start a collection (it is past the first
	// heap goal) in which it is still live: collect once, after.
	percent := debug.SetGCPercent(-1)
	b := make([]byte, Size) // fresh memory: mapped, not yet touched
	ok := adviseHuge(b)
	runtime.KeepAlive(b)
	b = nil
	debug.SetGCPercent(percent)
	if ok {
		// Free the block now, before anything else is allocated, so
		// that the next allocations come from it.
		runtime.GC()
	}
}
