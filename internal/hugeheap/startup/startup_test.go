package startup

import (
	"bufio"
	"errors"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

func TestWanted(t *testing.T) {
	for v, want := range map[string]bool{
		"": true, "on": true, "1": true,
		"off": false, "0": false, "false": false, "no": false,
	} {
		if got := Wanted(v); got != want {
			t.Errorf("Wanted(%s=%q) = %v, want %v", EnvVar, v, got, want)
		}
	}
}

// TestCollapse: on Linux with transparent huge pages, the region at the
// heap's frontier is one huge page after collapse (AnonHugePages in
// /proc/self/smaps), unless the kernel refuses; with EVC_HUGEPAGES=off
// nothing is asked.
func TestCollapse(t *testing.T) {
	t.Setenv(EnvVar, "off")
	if region, err := collapse(); region != 0 || err != nil {
		t.Errorf("with %s=off: collapse() = %#x, %v; want nothing asked", EnvVar, region, err)
	}
	t.Setenv(EnvVar, "")
	mode, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil || strings.Contains(string(mode), "[never]") {
		t.Skipf("transparent huge pages are off here (%q, %v)", mode, err)
	}
	region, err := collapse()
	if region == 0 {
		t.Fatalf("collapse() asked for no region (err %v)", err)
	}
	// EINVAL: a kernel before 6.1, or a region not all heap; EAGAIN: a busy
	// page; ENOMEM: no huge page free. Anything else is a wrong request.
	for _, refused := range []error{syscall.EINVAL, syscall.EAGAIN, syscall.ENOMEM} {
		if errors.Is(err, refused) {
			t.Skipf("the kernel did not collapse %#x: %v", region, err)
		}
	}
	if err != nil {
		t.Fatalf("collapse() = %#x, %v", region, err)
	}
	if kb := anonHugeKB(t, uint64(region)); kb < hugePage>>10 {
		t.Errorf("the mapping holding %#x has %d kB in huge pages, want at least %d", region, kb, hugePage>>10)
	}
}

// anonHugeKB returns the AnonHugePages of the mapping of /proc/self/smaps
// that holds addr.
func anonHugeKB(t *testing.T, addr uint64) int {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			continue
		}
		if lo, hi, ok := strings.Cut(fields[0], "-"); ok && !strings.HasSuffix(fields[0], ":") {
			l, err1 := strconv.ParseUint(lo, 16, 64)
			h, err2 := strconv.ParseUint(hi, 16, 64)
			if err1 == nil && err2 == nil {
				in = l <= addr && addr < h
				continue
			}
		}
		if in && fields[0] == "AnonHugePages:" && len(fields) > 1 {
			kb, _ := strconv.Atoi(fields[1])
			return kb
		}
	}
	t.Fatalf("no mapping holds %#x", addr)
	return 0
}
