package compiler

import (
	"strings"
	"testing"
)

func TestValidTopicName(t *testing.T) {
	for name, want := range map[string]bool{
		"orders":                 true,
		"shop.orders_v2-eu":      true,
		strings.Repeat("a", 249): true,
		strings.Repeat("a", 250): false,
		"":                       false,
		".":                      false,
		"..":                     false,
		"...":                    true,
		"a b":                    false,
		"a/b":                    false,
		"é":                      false,
	} {
		if got := validTopicName(name); got != want {
			t.Errorf("validTopicName(%.20q) = %v, want %v", name, got, want)
		}
	}
}
