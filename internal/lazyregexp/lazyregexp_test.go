package lazyregexp

import "testing"

func TestNew(t *testing.T) {
	re := New(`^v([0-9]+)$`)
	if re() != re() {
		t.Error("two calls compiled the expression twice")
	}
	if m := re().FindStringSubmatch("v12"); len(m) != 2 || m[1] != "12" {
		t.Errorf("FindStringSubmatch(v12) = %q", m)
	}
}

func TestNew_BadExpressionPanicsOnUse(t *testing.T) {
	re := New(`(`) // no panic yet
	defer func() {
		if recover() == nil {
			t.Error("no panic on first use of a bad expression")
		}
	}()
	re()
}
