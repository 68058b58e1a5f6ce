package serde

import (
	"errors"
	"fmt"
	"testing"
)

// TestUnknownNameError_RouterContract pins the method the router looks for,
// so that records of types the application does not know are unmatched
// rather than undecodable without any configuration.
func TestUnknownNameError_RouterContract(t *testing.T) {
	err := fmt.Errorf("decoding: %w", &UnknownNameError{ID: 7, Name: "acme.Other"})
	var u interface{ UnknownTypeName() string }
	if !errors.As(err, &u) {
		t.Fatal("UnknownNameError has no UnknownTypeName method")
	}
	if got := u.UnknownTypeName(); got != "acme.Other" {
		t.Errorf("UnknownTypeName() = %q", got)
	}
}
