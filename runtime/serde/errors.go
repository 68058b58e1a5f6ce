package serde

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/twmb/franz-go/pkg/sr"

	"github.com/evc-dev/evc/internal/redact"
)

// RegistryError is a Schema Registry call that failed: either the registry
// answered with an error (StatusCode, and its own Code and Message), or no
// answer came (StatusCode is 0 and Err says why, after the retries).
type RegistryError struct {
	// Op is what the Manager was doing, such as "register" or "fetch".
	Op string
	// Subject is the subject involved, or "".
	Subject string
	// ID is the schema id involved, or 0.
	ID int
	// StatusCode is the HTTP status of the registry's answer, or 0.
	StatusCode int
	// Code is the registry's error_code, or 0.
	Code int
	// Message is the registry's message, or "".
	Message string
	// Err is the underlying error.
	Err error

	// secrets are the Manager's credentials, which Error redacts from Err;
	// full is the registry's message, redacted but not shortened.
	secrets *redact.Secrets
	full    string
}

// Error describes the failure; it never contains a credential: the
// Manager's are replaced, and so is anything that looks like one in what
// the registry answered (a proxy may echo the request's headers), which is
// also cut to a few hundred bytes.
func (e *RegistryError) Error() string {
	var b strings.Builder
	b.WriteString("evc: serde: ")
	b.WriteString(e.Op)
	if e.Subject != "" {
		fmt.Fprintf(&b, " subject %q", e.Subject)
	}
	if e.ID != 0 {
		fmt.Fprintf(&b, " schema id %d", e.ID)
	}
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, ": registry answered %d", e.StatusCode)
		if e.Code != 0 {
			fmt.Fprintf(&b, " (error code %d)", e.Code)
		}
		if e.Message != "" {
			fmt.Fprintf(&b, ": %s", e.Message)
		}
		return b.String()
	}
	var ex *exhaustedError
	if errors.As(e.Err, &ex) {
		fmt.Fprintf(&b, ": %v", e.secrets.String(ex.Error()))
		return b.String()
	}
	fmt.Fprintf(&b, ": %v", e.secrets.String(fmt.Sprint(e.Err)))
	return b.String()
}

// Unwrap returns the underlying error.
func (e *RegistryError) Unwrap() error { return e.Err }

// Transient reports whether the failure is the registry's or the network's
// rather than a definitive answer about the data: no answer came, or the
// registry answered 5xx, 429 or 408, or refused the credentials (401, 403),
// or something answered 404 without a registry error code (a wrong URL or
// a proxy: only error code 40403 says that a schema id is unknown), which an
// operator fixes without the data changing. Another attempt later may
// succeed. The router looks for this method: a record whose schema
// could not be fetched for such a reason is not handled yet, rather than
// undecodable.
func (e *RegistryError) Transient() bool {
	switch s := e.StatusCode; {
	case s == 0, s >= 500, s == http.StatusTooManyRequests, s == http.StatusRequestTimeout,
		s == http.StatusUnauthorized, s == http.StatusForbidden:
		return true
	case s == http.StatusNotFound && e.Code == 0:
		return true
	}
	return false
}

// IncompatibleError says that the registry rejected a type's schema as
// incompatible with the schemas already under a subject.
type IncompatibleError struct {
	// Subject is the subject the schema was tested against.
	Subject string
	// Type is the full name of the type.
	Type string
	// Reasons are the registry's explanations, possibly none.
	Reasons []string
	// Err is the registry's error answer, or nil when an explicit
	// compatibility test said no.
	Err error
}

// Error implements error.
func (e *IncompatibleError) Error() string {
	msg := fmt.Sprintf("evc: serde: schema of %q is incompatible with subject %q", e.Type, e.Subject)
	if len(e.Reasons) > 0 {
		msg += ": " + strings.Join(e.Reasons, "; ")
	}
	return msg
}

// Unwrap returns the underlying error.
func (e *IncompatibleError) Unwrap() error { return e.Err }

// NotRegisteredError says that a type's schema is not registered under a
// subject, and the Manager does not register schemas on first use.
type NotRegisteredError struct {
	Subject string
	Type    string
	Err     error
}

// Error implements error.
func (e *NotRegisteredError) Error() string {
	return fmt.Sprintf("evc: serde: schema of %q is not registered under subject %q, and auto-registration is off", e.Type, e.Subject)
}

// Unwrap returns the underlying error.
func (e *NotRegisteredError) Unwrap() error { return e.Err }

// UnknownIDError says that the registry does not know the schema id found
// in the data.
type UnknownIDError struct {
	ID  int
	Err error
}

// Error implements error.
func (e *UnknownIDError) Error() string {
	return fmt.Sprintf("evc: serde: schema id %d is unknown to the registry", e.ID)
}

// Unwrap returns the underlying error.
func (e *UnknownIDError) Unwrap() error { return e.Err }

// UnknownNameError says that the data was written with a schema whose full
// name (and aliases) match no type the Manager knows.
type UnknownNameError struct {
	// ID is the writer's schema id.
	ID int
	// Name is the writer schema's full name (or its type, for a schema that
	// is not named).
	Name string
}

// Error implements error.
func (e *UnknownNameError) Error() string {
	return fmt.Sprintf("evc: serde: schema id %d is for %q, which is not a registered type", e.ID, e.Name)
}

// UnknownTypeName returns the writer's type name. The router recognises
// the method: a record of a type the application has no Go type for is
// unmatched, not undecodable.
func (e *UnknownNameError) UnknownTypeName() string { return e.Name }

// TypeMismatchError says that data was written with a type other than the
// one asked for.
type TypeMismatchError struct {
	// ID is the writer's schema id.
	ID int
	// Writer is the writer schema's full name.
	Writer string
	// Want is the full name of the type asked for.
	Want string
}

// Error implements error.
func (e *TypeMismatchError) Error() string {
	return fmt.Sprintf("evc: serde: schema id %d is for %q, not %q", e.ID, e.Writer, e.Want)
}

// MagicByteError says that data does not start with the wire format's magic
// byte 0.
type MagicByteError struct {
	Got byte
}

// Error implements error.
func (e *MagicByteError) Error() string {
	return fmt.Sprintf("evc: serde: data starts with byte 0x%02x, not the wire format's magic byte 0", e.Got)
}

// ShortDataError says that data is shorter than the wire format's five-byte
// header.
type ShortDataError struct {
	Len int
}

// Error implements error.
func (e *ShortDataError) Error() string {
	return fmt.Sprintf("evc: serde: data is %d bytes, shorter than the 5-byte wire format header", e.Len)
}

// SchemaError says that a writer schema fetched from the registry cannot be
// used: it is not Avro, uses references, or does not parse.
type SchemaError struct {
	ID     int
	Reason string
	Err    error
}

// Error implements error.
func (e *SchemaError) Error() string {
	msg := fmt.Sprintf("evc: serde: schema id %d: %s", e.ID, e.Reason)
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the underlying error.
func (e *SchemaError) Unwrap() error { return e.Err }

// DecodeError says that the Avro payload could not be decoded: it is
// truncated or corrupt, or does not match its writer schema.
type DecodeError struct {
	// ID is the writer's schema id.
	ID int
	// Type is the full name of the type decoded into.
	Type string
	// Resolved is true when the payload was decoded through schema
	// resolution (the writer's schema differs from the type's).
	Resolved bool
	Err      error
}

// Error implements error.
func (e *DecodeError) Error() string {
	how := ""
	if e.Resolved {
		how = " with schema resolution"
	}
	return fmt.Sprintf("evc: serde: decoding %q (schema id %d)%s: %v", e.Type, e.ID, how, e.Err)
}

// Unwrap returns the underlying error.
func (e *DecodeError) Unwrap() error { return e.Err }

// EncodeError says that a message could not be encoded.
type EncodeError struct {
	Type string
	Err  error
}

// Error implements error.
func (e *EncodeError) Error() string {
	return fmt.Sprintf("evc: serde: encoding %q: %v", e.Type, e.Err)
}

// Unwrap returns the underlying error.
func (e *EncodeError) Unwrap() error { return e.Err }

// registryError turns an error from the sr client into a *RegistryError
// that prints none of secrets.
func registryError(secrets *redact.Secrets, op, subject string, id int, err error) *RegistryError {
	re := &RegistryError{Op: op, Subject: subject, ID: id, Err: err, secrets: secrets}
	var resp *sr.ResponseError
	if errors.As(err, &resp) {
		re.StatusCode = resp.StatusCode
		re.Code = resp.ErrorCode
		msg := resp.Message
		if msg == "" {
			msg = string(resp.Raw)
		}
		if len(msg) > 64<<10 { // no list of reasons is longer
			msg = msg[:64<<10]
		}
		re.full = secrets.String(msg)
		re.Message = secrets.Message(msg)
	}
	return re
}

// responseCode returns the registry's error code (or, without one, the HTTP
// status) of err, or 0 when err is not a registry answer.
func responseCode(err error) (status, code int) {
	var resp *sr.ResponseError
	if errors.As(err, &resp) {
		return resp.StatusCode, resp.ErrorCode
	}
	return 0, 0
}
