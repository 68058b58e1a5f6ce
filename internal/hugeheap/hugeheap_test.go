package hugeheap

import "testing"

func TestWanted(t *testing.T) {
	for v, want := range map[string]bool{
		"": true, "on": true, "1": true,
		"off": false, "0": false, "false": false, "no": false,
	} {
		if got := wanted(v); got != want {
			t.Errorf("wanted(%s=%q) = %v, want %v", EnvVar, v, got, want)
		}
	}
}
