package startup

import (
	"syscall"
	"unsafe"
)

// madvCollapse is Linux's MADV_COLLAPSE (6.1), which package syscall does
// not name.
const madvCollapse = 25

// frontier is where the heap takes fresh pages: a large allocation gets a
// span of its own there. It is never written, so it costs no fault.
var frontier *[64 << 10]byte

// collapse asks the kernel to back the 2 MiB region at the heap's frontier
// with a huge page.
func collapse() (uintptr, error) {
	if v, _ := syscall.Getenv(EnvVar); !Wanted(v) {
		return 0, nil
	}
	frontier = new([64 << 10]byte)
	region := uintptr(unsafe.Pointer(frontier)) &^ (hugePage - 1)
	frontier = nil
	var err error
	// EAGAIN: a page of the region was busy (about one start in twenty
	// here); a second try usually finds it free.
	for range 2 {
		_, _, errno := syscall.Syscall(syscall.SYS_MADVISE, region, hugePage, madvCollapse)
		if errno == 0 {
			return region, nil
		}
		err = errno
		if errno != syscall.EAGAIN {
			break
		}
	}
	return region, err
}
