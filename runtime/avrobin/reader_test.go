package avrobin

import (
	"errors"
	"strings"
	"testing"
)

// TestReader_SkipZeroSize: items skipped and items decoded share one bound
// per message, and Reset starts it again.
func TestReader_SkipZeroSize(t *testing.T) {
	r := NewReader([]byte{0x02, 0x00}) // a block of one item, then the end
	if err := r.SkipZeroSize(maxZeroSizeItems - 1); err != nil {
		t.Fatal(err)
	}
	if n, err := r.ReadBlockCount(0); err != nil || n != 1 {
		t.Fatalf("the last item of the bound: %d, %v", n, err)
	}
	if err := r.SkipZeroSize(1); err == nil || !errors.Is(err, ErrCount) || !strings.Contains(err.Error(), "items of a type that takes no bytes") {
		t.Errorf("past the bound: %v", err)
	}
	if got := r.Unread(); len(got) != 1 || got[0] != 0x00 {
		t.Errorf("Unread = %x, want 00", got)
	}
	r.Reset([]byte{0x00}, false)
	if err := r.SkipZeroSize(maxZeroSizeItems); err != nil {
		t.Errorf("after Reset: %v", err)
	}
}
