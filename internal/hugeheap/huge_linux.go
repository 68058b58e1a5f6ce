package hugeheap

import (
	"syscall"
	"unsafe"
)

// hugePage is the size of an x86-64 and arm64 transparent huge page; a
// block not aligned to it gets no huge page at its ends, which madvise
// leaves out.
const hugePage = 2 << 20

// adviseHuge marks the whole huge pages within b with MADV_HUGEPAGE.
func adviseHuge(b []byte) bool {
	start := (uintptr(unsafe.Pointer(unsafe.SliceData(b))) + hugePage - 1) &^ (hugePage - 1)
	end := (uintptr(unsafe.Pointer(unsafe.SliceData(b))) + uintptr(len(b))) &^ (hugePage - 1)
	if end <= start {
		return false
	}
	_, _, errno := syscall.Syscall(syscall.SYS_MADVISE, start, end-start, syscall.MADV_HUGEPAGE)
	return errno == 0
}
