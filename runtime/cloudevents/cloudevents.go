package cloudevents

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/evc-dev/evc/runtime"
	"github.com/evc-dev/evc/runtime/router"
)

// SpecVersion is the CloudEvents specification version this package writes
// and accepts.
const SpecVersion = "1.0"

// The header names of the Kafka protocol binding's binary mode.
const (
	HeaderSpecVersion = "ce_specversion"
	HeaderID          = "ce_id"
	HeaderSource      = "ce_source"
	HeaderType        = "ce_type"
	HeaderTime        = "ce_time"
	HeaderSubject     = "ce_subject"
	HeaderDataSchema  = "ce_dataschema"
	HeaderContentType = "content-type"
	headerPrefix      = "ce_"
)

// ContentTypeAvro is the content type of evc's record values: Avro binary
// behind the Schema Registry's wire-format header.
const ContentTypeAvro = "application/avro"

// Event holds the CloudEvents attributes of one record. The data is the
// record's value; it is not part of Event.
type Event struct {
	// SpecVersion is "1.0".
	SpecVersion string
	// ID identifies the event; with Source it is unique.
	ID string
	// Source identifies the context the event happened in, such as
	// "/openedx/lms/web".
	Source string
	// Type is the kind of event, such as
	// "org.openedx.learning.student.registration.completed.v1".
	Type string
	// Time is when the event happened; the zero time means absent.
	Time time.Time
	// Subject, DataSchema and ContentType are optional; "" means absent.
	Subject     string
	DataSchema  string
	ContentType string
	// Extensions are the other attributes, by name without the ce_ prefix.
	Extensions map[string]string
}

// Error is the error of an event that does not meet the specification.
type Error struct {
	// Attribute names the offending attribute, such as "time".
	Attribute string
	Msg       string
	Err       error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("evc: cloudevents: attribute %q %s: %v", e.Attribute, e.Msg, e.Err)
	}
	return fmt.Sprintf("evc: cloudevents: attribute %q %s", e.Attribute, e.Msg)
}

func (e *Error) Unwrap() error { return e.Err }

// ErrNoEvent says that a type declares no CloudEvents metadata.
var ErrNoEvent = errors.New("evc: cloudevents: type declares no event metadata")

// New returns the attributes of an event of type t: the CloudEvents type
// and source the IDL declares, a new random id (a version 4 UUID), the
// current time in UTC, and content type application/avro. Callers may
// change fields before writing the headers, such as setting Source when the
// IDL declares none. It returns ErrNoEvent if t has no event metadata.
func New(t *runtime.Type) (Event, error) {
	if t == nil || t.Event == nil || t.Event.Type == "" {
		return Event{}, ErrNoEvent
	}
	return Event{
		SpecVersion: SpecVersion,
		ID:          NewID(),
		Source:      t.Event.Source,
		Type:        t.Event.Type,
		Time:        time.Now().UTC(),
		ContentType: ContentTypeAvro,
	}, nil
}

// NewID returns a random version 4 UUID in its canonical text form.
func NewID() string {
	var u [16]byte
	rand.Read(u[:]) // never returns an error: see crypto/rand.Read
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	const hex = "0123456789abcdef"
	var b [36]byte
	j := 0
	for i, c := range u {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			b[j] = '-'
			j++
		}
		b[j], b[j+1] = hex[c>>4], hex[c&0xf]
		j += 2
	}
	return string(b[:])
}

// Validate checks that e has the required attributes (specversion 1.0, id,
// source and type) and well-formed extension names: lower-case letters and
// digits. The specification says a name SHOULD NOT be longer than 20
// characters; longer ones are accepted (Open edX has written
// ce_organizationtenantidentifier).
func (e *Event) Validate() error {
	switch {
	case e.SpecVersion != SpecVersion:
		return &Error{Attribute: "specversion", Msg: fmt.Sprintf("is %q, want %q", e.SpecVersion, SpecVersion)}
	case e.ID == "":
		return &Error{Attribute: "id", Msg: "is missing"}
	case e.Source == "":
		return &Error{Attribute: "source", Msg: "is missing"}
	case e.Type == "":
		return &Error{Attribute: "type", Msg: "is missing"}
	}
	for _, name := range slices.Sorted(maps.Keys(e.Extensions)) {
		if !validName(name) {
			return &Error{Attribute: name, Msg: "is not a valid extension name (lower-case letters and digits)"}
		}
		if isCore(name) {
			return &Error{Attribute: name, Msg: "is a core attribute, not an extension"}
		}
	}
	return nil
}

func validName(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

func isCore(name string) bool {
	switch name {
	case "specversion", "id", "source", "type", "time", "subject", "dataschema", "datacontenttype", "data":
		return true
	}
	return false
}

// TimeLayout is how ce_time is written: UTC, microseconds, and "+00:00",
// as Python's datetime.isoformat writes an aware UTC time. Every RFC 3339
// parser reads it, and so does datetime.fromisoformat in Python 3.7 to 3.10
// (which the Open edX event bus uses), which rejects a "Z" and more than six
// fractional digits.
const TimeLayout = "2006-01-02T15:04:05.000000-07:00"

// AppendHeaders validates e and appends its headers in the Kafka binding's
// binary mode to dst (see Kafka).
func (e *Event) AppendHeaders(dst []router.Header) ([]router.Header, error) {
	return Kafka.AppendHeaders(e, dst)
}

// Parse reads an event's attributes from the Kafka binding's binary-mode
// headers (see Kafka and Binding.Parse).
func Parse(headers []router.Header) (ev Event, ok bool, err error) {
	return Kafka.Parse(headers)
}

// FromContext parses the CloudEvents headers of the record a router handler
// is handling (see router.FromContext), in the Kafka binding. ok is false
// when the context carries no record or the record is not a CloudEvent.
func FromContext(ctx context.Context) (ev Event, ok bool, err error) {
	return Kafka.FromContext(ctx)
}

// parseTime reads an RFC 3339 time: with or without fractional seconds,
// any offset, "T" and "Z" in either case, and a leap second (read as the
// second that follows).
func parseTime(v string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, true
	}
	u := strings.ToUpper(v) // RFC 3339 §5.6: "t" and "z" may be lower case
	leap := len(u) > 19 && u[17:19] == "60"
	if leap {
		u = u[:17] + "59" + u[19:]
	}
	t, err := time.Parse(time.RFC3339, u)
	if err != nil {
		return time.Time{}, false
	}
	if leap {
		t = t.Add(time.Second)
	}
	return t, true
}
