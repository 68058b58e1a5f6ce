package compat

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/internal/jsonoff"
)

// DefaultAckFile is the file of acknowledged breaks that evc compat reads
// from the current directory when no other is named.
const DefaultAckFile = "evc-compat-ack.json"

// Ack is one acknowledged incompatibility: a deliberate break that compat
// reports but does not fail on.
type Ack struct {
	// Rule is the rule id the break is reported with, such as
	// FIELD_NO_DEFAULT.
	Rule string `json:"rule"`
	// Target is the type or element: a type's full name ("com.acme.User")
	// covers every finding in that type; an element path
	// ("com.acme.User.email", "com.acme.User.tags[]") covers that element
	// and what lies below it.
	Target string `json:"target"`
	// Reason says why the break is acceptable; it is required.
	Reason string `json:"reason"`
	// Span is where the entry is in the file.
	Span diag.Span `json:"-"`

	used bool
}

// Matches reports whether the ack covers a finding with the given rule and
// element path in the type named subject.
func (a *Ack) Matches(rule, subject, path string) bool {
	if a.Rule != rule {
		return false
	}
	if a.Target == subject || a.Target == path {
		return true
	}
	if len(path) > len(a.Target) && strings.HasPrefix(path, a.Target) {
		switch path[len(a.Target)] {
		case '.', '[', '{':
			return true
		}
	}
	return false
}

// ParseAcks reads a file of acknowledged breaks:
//
//	{
//	  "acknowledged": [
//	    {"rule": "FIELD_NO_DEFAULT", "target": "com.acme.User.email",
//	     "reason": "email moved to com.acme.Contact; every consumer upgraded (ADR-12)"}
//	  ]
//	}
//
// Problems are reported to l with their position in the file.
func ParseAcks(path string, src []byte, l *diag.List) []*Ack {
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.DisallowUnknownFields()
	at := func(off int64) diag.Span { return diag.At(diag.PosAt(path, src, int(off))) }
	bad := func(off int64, format string, args ...any) []*Ack {
		d := l.Errorf(at(off), format, args...)
		d.Help = `the file is {"acknowledged": [{"rule": "...", "target": "...", "reason": "..."}]}`
		return nil
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return bad(0, "acknowledged breaks: expected a JSON object")
	}
	var acks []*Ack
	for dec.More() {
		off := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return bad(off, "acknowledged breaks: %v", err)
		}
		if tok != "acknowledged" {
			return bad(jsonoff.Next(src, off), "acknowledged breaks: unknown key %q", tok)
		}
		if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
			return bad(jsonoff.Next(src, dec.InputOffset()), `acknowledged breaks: "acknowledged" must be an array`)
		}
		for dec.More() {
			start := jsonoff.Next(src, dec.InputOffset())
			a := &Ack{}
			if err := dec.Decode(a); err != nil {
				var se *json.SyntaxError
				if errors.As(err, &se) {
					start = se.Offset
				}
				return bad(start, "acknowledged breaks: %v", err)
			}
			a.Span = at(start)
			switch {
			case a.Rule == "":
				l.Errorf(a.Span, `acknowledged break has no "rule"`)
			case a.Target == "":
				l.Errorf(a.Span, `acknowledged break %s has no "target"`, a.Rule)
			case strings.TrimSpace(a.Reason) == "":
				l.Errorf(a.Span, "acknowledged break %s on %q has no reason", a.Rule, a.Target).Help = `say why the break is acceptable in "reason"`
			default:
				acks = append(acks, a)
			}
		}
		if _, err := dec.Token(); err != nil {
			return bad(dec.InputOffset(), "acknowledged breaks: %v", err)
		}
	}
	if _, err := dec.Token(); err != nil {
		return bad(dec.InputOffset(), "acknowledged breaks: %v", err)
	}
	end := dec.InputOffset()
	if _, err := dec.Token(); err != io.EOF {
		return bad(jsonoff.Next(src, end), "acknowledged breaks: unexpected data after the object")
	}
	return acks
}

// ackFor returns the acks that cover a finding with the given rule and
// element path that concerns the given top-level types: one whose target is
// the element or lies above it, else, for every type, one that names it (a
// change in a nested type shared by several types is acknowledged by
// naming it, or every type it breaks). It returns nil when they do not.
func ackFor(acks []*Ack, rule string, subjects []string, path string) []*Ack {
	for _, a := range acks {
		if a.Matches(rule, "", path) {
			return []*Ack{a}
		}
	}
	var by []*Ack
	for _, s := range subjects {
		var found *Ack
		for _, a := range acks {
			if a.Matches(rule, s, "") {
				found = a
				break
			}
		}
		if found == nil {
			return nil
		}
		if !slices.Contains(by, found) {
			by = append(by, found)
		}
	}
	return by
}

// staleAckMessage is the warning for an ack nothing matched.
func staleAckMessage(a *Ack, file string) (msg, help string) {
	return fmt.Sprintf("acknowledged break %s on %q matches no incompatibility", a.Rule, a.Target),
		fmt.Sprintf("the break is gone or was renamed; remove the entry from %s", file)
}
