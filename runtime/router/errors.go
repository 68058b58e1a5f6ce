package router

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Policy says what happens to a record that no handler matches, that fails to
// decode, or whose handler keeps failing.
type Policy uint8

const (
	// Stop makes Dispatch return the error; the record is not handled, and a
	// consumer stops before committing it. It is the zero value.
	Stop Policy = iota
	// Skip reports the record through ReportFunc and goes on.
	Skip
	// DeadLetter passes the record to DeadLetterFunc and goes on if that
	// succeeds.
	DeadLetter
)

// String returns the policy's name.
func (p Policy) String() string {
	switch p {
	case Stop:
		return "stop"
	case Skip:
		return "skip"
	case DeadLetter:
		return "dead-letter"
	}
	return fmt.Sprintf("Policy(%d)", uint8(p))
}

// Position identifies a record in a topic.
type Position struct {
	Topic     string
	Partition int32
	Offset    int64
}

func (p Position) String() string {
	return fmt.Sprintf("topic %q partition %d offset %d", p.Topic, p.Partition, p.Offset)
}

func positionOf(rec *Record) Position {
	return Position{Topic: rec.Topic, Partition: rec.Partition, Offset: rec.Offset}
}

// UnmatchedError says that no handler matched a record.
type UnmatchedError struct {
	Position
	// KeyType and ValueType are the full names of the decoded key and value
	// types, or "" when the router did not decode them (no route wants an
	// Avro key, or no route remained to match the value).
	KeyType, ValueType string
	// Tombstone is true when the record has no value.
	Tombstone bool
}

func (e *UnmatchedError) Error() string {
	switch {
	case e.Tombstone:
		return fmt.Sprintf("evc: no route for tombstone (record without value) at %s", e.Position)
	case e.ValueType == "" && e.KeyType == "":
		return fmt.Sprintf("evc: no route for %s", e.Position)
	case e.ValueType == "":
		return fmt.Sprintf("evc: no route for key type %q at %s", e.KeyType, e.Position)
	case e.KeyType == "":
		return fmt.Sprintf("evc: no route for value type %q at %s", e.ValueType, e.Position)
	}
	return fmt.Sprintf("evc: no route for key type %q and value type %q at %s", e.KeyType, e.ValueType, e.Position)
}

// DecodeError says that a record's key or value did not decode.
type DecodeError struct {
	Position
	// Part is "key" or "value".
	Part string
	Err  error
}

func (e *DecodeError) Error() string {
	return fmt.Sprintf("evc: cannot decode %s of record at %s: %s", e.Part, e.Position, inner(e.Err))
}

func (e *DecodeError) Unwrap() error { return e.Err }

// UnavailableError says that a record's key or value could not be decoded
// for a reason that is not the record's (the registry was down or slow, the
// network failed), even after retries, or that ctx ended first. The record
// is not handled; no policy applies to it.
type UnavailableError struct {
	Position
	// Part is "key" or "value".
	Part string
	// Attempts is how many times decoding was tried.
	Attempts int
	// Err is the last failure, or ctx's error when ctx ended.
	Err error
	// Last is the decoding failure when ctx ended after it, or nil.
	Last error
}

func (e *UnavailableError) Error() string {
	if e.Last != nil {
		return fmt.Sprintf("evc: %s of record at %s not decoded: %s (last error: %s)", e.Part, e.Position, inner(e.Err), inner(e.Last))
	}
	return fmt.Sprintf("evc: %s of record at %s not decoded after %d attempt(s), not handled: %s", e.Part, e.Position, e.Attempts, inner(e.Err))
}

// Unwrap returns the failure.
func (e *UnavailableError) Unwrap() []error { return []error{e.Err, errNotHandled} }

// HandlerError says that a handler failed on a record, after its retries.
type HandlerError struct {
	Position
	// Route names the handler: its Name option, or its number and type.
	Route string
	// Attempts is how many times the handler was called.
	Attempts int
	Err      error
}

func (e *HandlerError) Error() string {
	return fmt.Sprintf("evc: handler %s failed on record at %s after %d attempt(s): %s", e.Route, e.Position, e.Attempts, inner(e.Err))
}

func (e *HandlerError) Unwrap() error { return e.Err }

// DeadLetterError says that the dead-letter function failed, so the record
// could not be set aside.
type DeadLetterError struct {
	Position
	// Cause is why the record was sent to the dead-letter function.
	Cause error
	Err   error
}

func (e *DeadLetterError) Error() string {
	return fmt.Sprintf("evc: dead-letter of record at %s failed: %s (dead-lettered because: %s)", e.Position, inner(e.Err), inner(e.Cause))
}

func (e *DeadLetterError) Unwrap() error { return e.Err }

// PanicError is a handler's panic, recovered. Its message holds the panic
// value, at most MaxPanicMessage bytes of it; the router logs the stack, and
// keeps it here for Report and DeadLetter functions that want it.
type PanicError struct {
	Value any
	Stack []byte
}

// MaxPanicMessage bounds the panic value's text in a PanicError's message.
const MaxPanicMessage = 256

func (e *PanicError) Error() string {
	return "handler panicked: " + truncate(fmt.Sprint(e.Value), MaxPanicMessage)
}

// truncate returns s cut to at most n bytes, on a UTF-8 boundary, with
// "…" (within the n bytes) when something was cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	const ell = "…"
	if n < len(ell) {
		return ""
	}
	cut := n - len(ell)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + ell
}

// inner is the message of a wrapped error without the "evc: " prefix that
// the outer message already has, so that errors read once.
func inner(err error) string {
	if err == nil {
		return "<nil>"
	}
	return strings.TrimPrefix(err.Error(), "evc: ")
}

type permanentError struct{ err error }

func (e permanentError) Error() string { return e.err.Error() }
func (e permanentError) Unwrap() error { return e.err }

// Permanent wraps err so that the router does not retry the handler that
// returned it: the record goes to the handler-failure policy at once. It is
// for failures that another attempt cannot fix, such as invalid content.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanentError{err}
}

// IsPermanent reports whether err, or an error it wraps, came from Permanent.
func IsPermanent(err error) bool {
	var p permanentError
	return errors.As(err, &p)
}
