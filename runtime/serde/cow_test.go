package serde

import "testing"

func TestCowMap_GrowsPastSmall(t *testing.T) {
	var c cowMap[uint32, int]
	if _, ok := c.get(1); ok {
		t.Fatal("empty map has 1")
	}
	for n := uint32(1); n <= 3*smallKeys; n++ {
		c.put(n, int(n)*10)
		c.put(n, int(n)*100) // replaces
		for k := uint32(1); k <= n+1; k++ {
			v, ok := c.get(k)
			if want := k <= n; ok != want || (ok && v != int(k)*100) {
				t.Fatalf("after %d puts: get(%d) = %d, %v", n, k, v, ok)
			}
		}
		if tab := c.p.Load(); (tab.big != nil) != (n > smallKeys) {
			t.Fatalf("after %d puts: big = %v", n, tab.big != nil)
		}
	}
}
