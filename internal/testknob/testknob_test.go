package testknob

import "testing"

func TestInt(t *testing.T) {
	t.Setenv("EVC_TESTKNOB", "")
	if got := Int(t, "EVC_TESTKNOB", 7); got != 7 {
		t.Errorf("unset: %d, want the default 7", got)
	}
	t.Setenv("EVC_TESTKNOB", "-12")
	if got := Int(t, "EVC_TESTKNOB", 7); got != -12 {
		t.Errorf("set to -12: %d", got)
	}
}
