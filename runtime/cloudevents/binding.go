package cloudevents

import (
	"context"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/evc-dev/evc/runtime/router"
)

// HeaderDataContentType is the header that Open edX's event bus writes
// beside content-type, with the same value. Parse reads either.
const HeaderDataContentType = "ce_datacontenttype"

// A Binding says how an event's attributes travel as record headers. Kafka
// is the CloudEvents Kafka protocol binding's binary mode as the
// specification writes it; OpenEdX is that binding as the Open edX event
// bus (edx-event-bus-kafka) writes and reads it.
type Binding struct {
	name string
	// bare are extensions carried in headers of their own name, without
	// the ce_ prefix.
	bare []string
	// dataContentType also writes the content type as ce_datacontenttype.
	dataContentType bool
	// complete fills what the binding always writes and checks what its
	// readers need; it may change e.
	complete func(e *Event) error
}

// Kafka is the binary content mode of the CloudEvents Kafka protocol
// binding: ce_specversion, ce_id, ce_source, ce_type, then ce_time,
// ce_subject, ce_dataschema and content-type when set, then each extension
// as ce_<name>, sorted by name.
var Kafka = &Binding{name: "kafka"}

// OpenEdX is the Kafka binding as the Open edX event bus
// (edx-event-bus-kafka) writes and reads it. It writes the headers that
// bus writes, and only those a reader there accepts:
//
//   - ce_specversion, ce_id, ce_source, ce_type, ce_time, content-type,
//     and ce_datacontenttype (the same value as content-type);
//   - the extension minorversion as ce_minorversion, "0" unless set;
//   - the extensions sourcehost and sourcelib as the bare headers
//     sourcehost and sourcelib, which Open edX does not count as
//     CloudEvents attributes; sourcehost is the host name unless set.
//     Set sourcelib to the openedx-events version the schemas come from
//     (such as "9.15.0"); without it, Open edX's consumer logs a warning
//     for every record and uses its own version.
//
// Writing fails, rather than producing a record Open edX's consumer would
// reject, when ce_id is not a UUID, minorversion not a whole number, or
// sourcelib not numbers joined by dots. Parse reads the bare sourcehost
// and sourcelib headers back as extensions.
var OpenEdX = &Binding{
	name:            "openedx",
	bare:            []string{"sourcehost", "sourcelib"},
	dataContentType: true,
	complete:        completeOpenEdX,
}

// hostname is os.Hostname, read once; Python's socket.gethostname, which
// Open edX uses, gives the same.
var hostname = sync.OnceValue(func() string {
	h, _ := os.Hostname()
	return h
})

func completeOpenEdX(e *Event) error {
	if e.Extensions["minorversion"] == "" || e.Extensions["sourcehost"] == "" {
		ext := maps.Clone(e.Extensions)
		if ext == nil {
			ext = map[string]string{}
		}
		if ext["minorversion"] == "" {
			ext["minorversion"] = "0"
		}
		if ext["sourcehost"] == "" {
			if h := hostname(); h != "" {
				ext["sourcehost"] = h
			}
		}
		e.Extensions = ext
	}
	if !isUUID(e.ID) {
		return &Error{Attribute: "id", Msg: fmt.Sprintf("is %q, but Open edX reads it as a UUID", e.ID)}
	}
	if v := e.Extensions["minorversion"]; !isDigits(v) {
		return &Error{Attribute: "minorversion", Msg: fmt.Sprintf("is %q, but Open edX reads it as a whole number", v)}
	}
	if v, ok := e.Extensions["sourcelib"]; ok {
		for part := range strings.SplitSeq(v, ".") {
			if !isDigits(part) {
				return &Error{Attribute: "sourcelib", Msg: fmt.Sprintf("is %q, but Open edX reads it as numbers joined by dots, such as \"9.15.0\"", v)}
			}
		}
	}
	return nil
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// isUUID reports whether Python's uuid.UUID reads s: 32 hex digits, with
// hyphens, braces and a "urn:uuid:" prefix allowed.
func isUUID(s string) bool {
	s = strings.TrimPrefix(s, "urn:uuid:")
	s = strings.Trim(s, "{}")
	n := 0
	for _, c := range []byte(s) {
		switch {
		case c == '-':
		case '0' <= c && c <= '9', 'a' <= c && c <= 'f', 'A' <= c && c <= 'F':
			n++
		default:
			return false
		}
	}
	return n == 32
}

func (b *Binding) isBare(name string) bool { return slices.Contains(b.bare, name) }

// AppendHeaders validates e and appends its headers in binding b to dst.
// ce_time is written in TimeLayout, in UTC. e is not changed.
func (b *Binding) AppendHeaders(e *Event, dst []router.Header) ([]router.Header, error) {
	ev := *e
	if err := ev.Validate(); err != nil {
		return dst, err
	}
	if b.complete != nil {
		if err := b.complete(&ev); err != nil {
			return dst, err
		}
	}
	dst = append(dst,
		router.Header{Key: HeaderSpecVersion, Value: []byte(ev.SpecVersion)},
		router.Header{Key: HeaderID, Value: []byte(ev.ID)},
		router.Header{Key: HeaderSource, Value: []byte(ev.Source)},
		router.Header{Key: HeaderType, Value: []byte(ev.Type)},
	)
	if !ev.Time.IsZero() {
		t := ev.Time.UTC()
		if err := checkYear(t); err != nil {
			return dst, err
		}
		dst = append(dst, router.Header{Key: HeaderTime, Value: t.AppendFormat(nil, TimeLayout)})
	}
	for _, h := range [...]struct{ k, v string }{
		{HeaderSubject, ev.Subject}, {HeaderDataSchema, ev.DataSchema}, {HeaderContentType, ev.ContentType},
	} {
		if h.v != "" {
			dst = append(dst, router.Header{Key: h.k, Value: []byte(h.v)})
		}
	}
	if b.dataContentType && ev.ContentType != "" {
		dst = append(dst, router.Header{Key: HeaderDataContentType, Value: []byte(ev.ContentType)})
	}
	names := slices.Sorted(maps.Keys(ev.Extensions))
	for _, name := range names {
		if !b.isBare(name) {
			dst = append(dst, router.Header{Key: headerPrefix + name, Value: []byte(ev.Extensions[name])})
		}
	}
	for _, name := range names {
		if b.isBare(name) {
			dst = append(dst, router.Header{Key: name, Value: []byte(ev.Extensions[name])})
		}
	}
	return dst, nil
}

// Parse reads an event's attributes from headers in binding b. It returns
// ok false, and no error, when there is no ce_specversion header: the record
// is not a CloudEvent. Otherwise it returns an *Error if the attributes do
// not meet the specification: a missing required attribute, another spec
// version, a time that is not RFC 3339. The content type comes from
// content-type, or from ce_datacontenttype when there is no content-type;
// the time is in UTC. When a header repeats, the last one wins.
func (b *Binding) Parse(headers []router.Header) (ev Event, ok bool, err error) {
	var dataContentType string
	hasContentType := false
	for _, h := range headers {
		if h.Key == HeaderContentType {
			ev.ContentType, hasContentType = string(h.Value), true
			continue
		}
		name, isCE := strings.CutPrefix(h.Key, headerPrefix)
		if !isCE {
			if b.isBare(h.Key) {
				if ev.Extensions == nil {
					ev.Extensions = map[string]string{}
				}
				ev.Extensions[h.Key] = string(h.Value)
			}
			continue
		}
		v := string(h.Value)
		switch name {
		case "specversion":
			ev.SpecVersion, ok = v, true
		case "id":
			ev.ID = v
		case "source":
			ev.Source = v
		case "type":
			ev.Type = v
		case "time":
			t, ok := parseTime(v)
			if !ok {
				return Event{}, true, &Error{Attribute: "time", Msg: fmt.Sprintf("is %q, not an RFC 3339 time such as %q", v, "2026-12-01T05:54:09.376663+00:00")}
			}
			if err := checkYear(t.UTC()); err != nil {
				return Event{}, true, err
			}
			ev.Time = t.UTC()
		case "subject":
			ev.Subject = v
		case "dataschema":
			ev.DataSchema = v
		case "datacontenttype":
			dataContentType = v
		default:
			if ev.Extensions == nil {
				ev.Extensions = map[string]string{}
			}
			ev.Extensions[name] = v
		}
	}
	if !ok {
		return Event{}, false, nil
	}
	if !hasContentType {
		ev.ContentType = dataContentType
	}
	if err := ev.Validate(); err != nil {
		return Event{}, true, err
	}
	return ev, true, nil
}

// FromContext parses, in binding b, the headers of the record a router
// handler is handling (see router.FromContext). ok is false when the
// context carries no record or the record is not a CloudEvent.
func (b *Binding) FromContext(ctx context.Context) (ev Event, ok bool, err error) {
	rec, found := router.FromContext(ctx)
	if !found {
		return Event{}, false, nil
	}
	return b.Parse(rec.Headers)
}

// String returns the binding's name, "kafka" or "openedx".
func (b *Binding) String() string { return b.name }

// checkYear refuses a time whose year in UTC is outside 1 to 9999: RFC 3339
// has four digits for it, and Python's datetime starts at year 1.
func checkYear(t time.Time) error {
	if t.Year() < 1 || t.Year() > 9999 {
		return &Error{Attribute: "time", Msg: fmt.Sprintf("is %s, outside the years 1 to 9999 in UTC", t.Format(time.RFC3339Nano))}
	}
	return nil
}
