// Package domain holds the Go types that the kitchen-sink schema's custom
// domain types bind to, one of each contract: Email is text on a string,
// UserID converts to and from the int64 of a long.
package domain

import (
	"errors"
	"strings"
)

// Email is an email address: a user and a domain.
type Email struct {
	User, Domain string
}

// MarshalText returns user@domain.
func (e Email) MarshalText() ([]byte, error) {
	if e.User == "" || e.Domain == "" {
		return nil, errors.New("domain: empty email")
	}
	return []byte(e.User + "@" + e.Domain), nil
}

// UnmarshalText parses user@domain.
func (e *Email) UnmarshalText(b []byte) error {
	user, dom, ok := strings.Cut(string(b), "@")
	if !ok || user == "" || dom == "" {
		return errors.New("domain: email " + string(b) + " is not user@domain")
	}
	*e = Email{User: user, Domain: dom}
	return nil
}

// UserID is a user's numeric ID.
type UserID int64
