// Package startup backs the 2 MiB of heap a program starts in with one
// transparent huge page, as soon as its package initialisation reaches it.
// A command imports it for that effect alone (import _).
//
// A Go program's heap starts in 4 KiB pages, each faulted in on first
// touch, and the runtime spreads even a small heap over many of them (a
// span per size class, each with its mark bits at its end, goroutine
// stacks). On virtual machines a fault can cost 15-50 us, and the first
// touches of the heap were a third of the page faults of evc version. On
// Linux 6.1 or later, MADV_COLLAPSE copies the pages already touched into
// a huge page that then holds the region whole; it costs about half a
// millisecond, and saved a hundred faults in evc version. This package
// imports nothing but syscall so that its initialisation comes before
// most of the program's.
//
// Where the kernel cannot (older kernels, huge pages off), the request
// fails and nothing changes. EVC_HUGEPAGES=off turns it off, as it does
// internal/hugeheap's, for hosts where the kernel's compaction for huge
// pages stalls more than small pages cost.
package startup

// EnvVar names the environment variable that turns huge pages off when it
// is "off" (or "0", "false", "no").
const EnvVar = "EVC_HUGEPAGES"

// Wanted reports whether the value of EnvVar leaves huge pages on.
func Wanted(v string) bool {
	switch v {
	case "off", "0", "false", "no":
		return false
	}
	return true
}

// hugePage is the size of an x86-64 and arm64 transparent huge page.
const hugePage = 2 << 20

// Region is the start of the huge page init asked for (0 if it asked for
// none), and Err what the kernel answered (nil if it collapsed the region),
// for tests.
var (
	Region uintptr
	Err    error
)

func init() { Region, Err = collapse() }
