package ir

import "testing"

func TestMaxDecimalPrecision(t *testing.T) {
	for _, tc := range []struct{ size, want int }{
		{0, 0}, {1, 2}, {2, 4}, {4, 9}, {8, 18}, {16, 38}, {1024, 2465}, {1025, 2468},
	} {
		if got := MaxDecimalPrecision(tc.size); got != tc.want {
			t.Errorf("MaxDecimalPrecision(%d) = %d, want %d", tc.size, got, tc.want)
		}
	}
}
