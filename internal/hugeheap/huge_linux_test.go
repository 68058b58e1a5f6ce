package hugeheap

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// TestReserve: after Reserve, a large allocation lies in memory marked for
// huge pages (VmFlags "hg" in /proc/self/smaps).
func TestReserve(t *testing.T) {
	mode, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil || strings.Contains(string(mode), "[never]") {
		t.Skipf("transparent huge pages are off here (%q, %v)", mode, err)
	}
	Reserve()
	b := make([]byte, 8<<20) // more than the heap's first chunk can hold
	// The first whole huge page of it: madvise left out the block's
	// unaligned ends.
	addr := (uint64(uintptr(unsafe.Pointer(unsafe.SliceData(b)))) + hugePage - 1) &^ (hugePage - 1)
	flags := vmFlags(t, addr)
	if !strings.Contains(" "+flags+" ", " hg ") {
		t.Errorf("the memory of a new allocation has VmFlags %q, without hg", flags)
	}
	b[0] = 1
}

// vmFlags returns the VmFlags of the mapping of /proc/self/smaps holding
// addr.
func vmFlags(t *testing.T, addr uint64) string {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if lo, hi, ok := strings.Cut(strings.Fields(line)[0], "-"); ok && !strings.HasSuffix(strings.Fields(line)[0], ":") {
			l, err1 := strconv.ParseUint(lo, 16, 64)
			h, err2 := strconv.ParseUint(hi, 16, 64)
			if err1 == nil && err2 == nil {
				in = l <= addr && addr < h
				continue
			}
		}
		if in && strings.HasPrefix(line, "VmFlags:") {
			return strings.TrimSpace(strings.TrimPrefix(line, "VmFlags:"))
		}
	}
	t.Fatalf("no mapping holds %#x", addr)
	return ""
}
