package cloudevents_test

import (
	"context"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/evc-dev/evc/runtime/cloudevents"
	"github.com/evc-dev/evc/runtime/router"
)

// openEdXHeaders are the headers edx-event-bus-kafka writes for an event,
// in its order (edx_event_bus_kafka/internal/utils.py,
// _get_headers_from_metadata; the set its test_producer.py expects), with
// ce_time as Python's datetime.isoformat writes an aware UTC time.
func openEdXHeaders(ceTime string) []router.Header {
	return headers(
		"ce_specversion", "1.0",
		"content-type", "application/avro",
		"ce_datacontenttype", "application/avro",
		"ce_type", "org.openedx.learning.auth.session.login.completed.v1",
		"ce_id", "b1e5a6a2-8f0e-11ef-9c3a-0242ac120002",
		"ce_source", "openedx/test/web",
		"ce_time", ceTime,
		"ce_minorversion", "0",
		"sourcehost", "edx.devstack.lms",
		"sourcelib", "9.15.0",
	)
}

func headers(kv ...string) []router.Header {
	var hs []router.Header
	for i := 0; i < len(kv); i += 2 {
		hs = append(hs, router.Header{Key: kv[i], Value: []byte(kv[i+1])})
	}
	return hs
}

func keys(hs []router.Header) []string {
	var ks []string
	for _, h := range hs {
		ks = append(ks, h.Key)
	}
	slices.Sort(ks)
	return ks
}

// TestOpenEdX_ReadsTheirHeaders reads what the Open edX bus writes, with
// and without microseconds in ce_time (isoformat leaves them out when they
// are zero), in both bindings and through a handler's context.
func TestOpenEdX_ReadsTheirHeaders(t *testing.T) {
	for _, ceTime := range []string{"2026-12-01T05:54:09.376663+00:00", "2026-12-01T05:54:09+00:00"} {
		hs := openEdXHeaders(ceTime)
		want := cloudevents.Event{
			SpecVersion: "1.0",
			ID:          "b1e5a6a2-8f0e-11ef-9c3a-0242ac120002",
			Source:      "openedx/test/web",
			Type:        "org.openedx.learning.auth.session.login.completed.v1",
			Time:        time.Date(2026, 12, 1, 5, 54, 9, 0, time.UTC),
			ContentType: "application/avro",
			Extensions:  map[string]string{"minorversion": "0", "sourcehost": "edx.devstack.lms", "sourcelib": "9.15.0"},
		}
		if strings.Contains(ceTime, ".") {
			want.Time = want.Time.Add(376663 * time.Microsecond)
		}
		ctx := router.NewContext(context.Background(), &router.Record{Headers: hs})
		got, ok, err := cloudevents.OpenEdX.FromContext(ctx)
		if err != nil || !ok || !equal(got, want) {
			t.Errorf("OpenEdX.FromContext(%s) = %+v, %v, %v\nwant %+v", ceTime, got, ok, err, want)
		}
		// The Kafka binding reads the same record; sourcehost and sourcelib
		// are not CloudEvents headers there.
		delete(want.Extensions, "sourcehost")
		delete(want.Extensions, "sourcelib")
		got, ok, err = cloudevents.FromContext(ctx)
		if err != nil || !ok || !equal(got, want) {
			t.Errorf("FromContext(%s) = %+v, %v, %v\nwant %+v", ceTime, got, ok, err, want)
		}
	}
}

func equal(a, b cloudevents.Event) bool {
	return a.SpecVersion == b.SpecVersion && a.ID == b.ID && a.Source == b.Source && a.Type == b.Type &&
		a.Time.Equal(b.Time) && a.Time.Location() == time.UTC && a.Subject == b.Subject &&
		a.DataSchema == b.DataSchema && a.ContentType == b.ContentType && maps.Equal(a.Extensions, b.Extensions)
}

// TestOpenEdX_WritesTheirHeaders writes the exact header set the Open edX
// bus writes, each once, filling ce_minorversion and sourcehost.
func TestOpenEdX_WritesTheirHeaders(t *testing.T) {
	ev, err := cloudevents.New(registered)
	if err != nil {
		t.Fatal(err)
	}
	ev.Extensions = map[string]string{"sourcelib": "9.15.0"}
	hs, err := cloudevents.OpenEdX.AppendHeaders(&ev, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := keys(hs), keys(openEdXHeaders("")); !slices.Equal(got, want) {
		t.Errorf("header keys %q\nwant %q", got, want)
	}
	if len(ev.Extensions) != 1 {
		t.Errorf("AppendHeaders changed the event's extensions: %v", ev.Extensions)
	}
	back, ok, err := cloudevents.OpenEdX.Parse(hs)
	if err != nil || !ok {
		t.Fatalf("OpenEdX.Parse = %v, %v", ok, err)
	}
	if back.ContentType != "application/avro" || back.Extensions["minorversion"] != "0" ||
		back.Extensions["sourcehost"] == "" || back.Extensions["sourcelib"] != "9.15.0" ||
		!back.Time.Equal(ev.Time.Truncate(time.Microsecond)) {
		t.Errorf("read back %+v", back)
	}
	// A set minorversion and sourcehost are kept.
	ev.Extensions = map[string]string{"minorversion": "2", "sourcehost": "lms-1"}
	hs, _ = cloudevents.OpenEdX.AppendHeaders(&ev, nil)
	back, _, _ = cloudevents.OpenEdX.Parse(hs)
	if back.Extensions["minorversion"] != "2" || back.Extensions["sourcehost"] != "lms-1" {
		t.Errorf("read back %v", back.Extensions)
	}
}

// TestOpenEdX_RefusesWhatTheyCannotRead: edx-event-bus-kafka converts
// ce_id with uuid.UUID, ce_minorversion with int and sourcelib to a tuple
// of ints; a value they cannot convert would make their consumer drop the
// record, so evc does not write it.
func TestOpenEdX_RefusesWhatTheyCannotRead(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*cloudevents.Event)
		err  string
	}{
		{"failure_id", func(e *cloudevents.Event) { e.ID = "order-42" },
			`evc: cloudevents: attribute "id" is "order-42", but Open edX reads it as a UUID`},
		{"failure_minorversion", func(e *cloudevents.Event) { e.Extensions = map[string]string{"minorversion": "1.1"} },
			`evc: cloudevents: attribute "minorversion" is "1.1", but Open edX reads it as a whole number`},
		{"failure_sourcelib", func(e *cloudevents.Event) { e.Extensions = map[string]string{"sourcelib": "evc/1.0"} },
			`evc: cloudevents: attribute "sourcelib" is "evc/1.0", but Open edX reads it as numbers joined by dots, such as "9.15.0"`},
		{"success_uuid_forms", func(e *cloudevents.Event) { e.ID = "urn:uuid:{B1E5A6A28F0E11EF9C3A0242AC120002}" }, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev, _ := cloudevents.New(registered)
			tc.edit(&ev)
			hs, err := cloudevents.OpenEdX.AppendHeaders(&ev, nil)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tc.err || (err != nil && len(hs) != 0) {
				t.Errorf("err = %q\nwant  %q", got, tc.err)
			}
			// The plain Kafka binding writes any of them.
			if _, err := ev.AppendHeaders(nil); err != nil {
				t.Errorf("Kafka binding: %v", err)
			}
		})
	}
}

// timeLayout is what Python 3.7 to 3.10's datetime.fromisoformat reads of
// an aware time: six fractional digits, an offset with a colon, no "Z".
var timeLayout = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$`)

func TestAppendHeaders_Time(t *testing.T) {
	for _, tc := range []struct {
		in   time.Time
		want string
	}{
		{time.Date(2026, 12, 1, 5, 54, 9, 376663210, time.UTC), "2026-12-01T05:54:09.376663+00:00"},
		{time.Date(2026, 12, 1, 5, 54, 9, 0, time.UTC), "2026-12-01T05:54:09.000000+00:00"},
		{time.Date(2026, 12, 1, 6, 54, 9, 999999999, time.FixedZone("CET", 3600)), "2026-12-01T05:54:09.999999+00:00"},
		{time.Date(1, 1, 1, 0, 0, 1, 0, time.UTC), "0001-01-01T00:00:01.000000+00:00"}, // the zero time is no time
	} {
		ev := cloudevents.Event{SpecVersion: "1.0", ID: "1", Source: "/s", Type: "t", Time: tc.in}
		hs, err := ev.AppendHeaders(nil)
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		for _, h := range hs {
			if h.Key == "ce_time" {
				got = string(h.Value)
			}
		}
		if got != tc.want || !timeLayout.MatchString(got) {
			t.Errorf("ce_time of %s = %q, want %q", tc.in, got, tc.want)
		}
	}
	ev := cloudevents.Event{SpecVersion: "1.0", ID: "1", Source: "/s", Type: "t", Time: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}
	if _, err := ev.AppendHeaders(nil); err == nil || err.Error() != `evc: cloudevents: attribute "time" is 10000-01-01T00:00:00Z, outside the years 1 to 9999 in UTC` {
		t.Errorf("year 10000: %v", err)
	}
}

// TestParse_RFC3339 reads every form RFC 3339 allows.
func TestParse_RFC3339(t *testing.T) {
	base := time.Date(2026, 12, 1, 5, 54, 9, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		want time.Time
	}{
		{"2026-12-01T05:54:09Z", base},
		{"2026-12-01T05:54:09.37666321Z", base.Add(376663210)},
		{"2026-12-01T05:54:09.376663+00:00", base.Add(376663000)},
		{"2026-12-01T05:54:09-00:00", base},
		{"2026-12-01T06:54:09.5+01:00", base.Add(500 * time.Millisecond)},
		{"2026-11-30T23:24:09-06:30", base},
		{"2026-12-01t05:54:09z", base},
		{"2016-12-31T23:59:60Z", time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC)},
	} {
		ev, ok, err := cloudevents.Parse(headers("ce_specversion", "1.0", "ce_id", "1", "ce_source", "/s", "ce_type", "t", "ce_time", tc.in))
		if err != nil || !ok || !ev.Time.Equal(tc.want) || ev.Time.Location() != time.UTC {
			t.Errorf("ce_time %q: %v, %v, %v; want %v", tc.in, ev.Time, ok, err, tc.want)
		}
	}
}

func TestParse_Extensions(t *testing.T) {
	full := []string{"ce_specversion", "1.0", "ce_id", "1", "ce_source", "/s", "ce_type", "t"}
	// Longer than 20 characters: a SHOULD NOT in the specification, not an
	// error.
	ev, ok, err := cloudevents.Parse(headers(append(full, "ce_organizationtenantidentifier", "acme")...))
	if err != nil || !ok || ev.Extensions["organizationtenantidentifier"] != "acme" {
		t.Errorf("long extension name: %+v, %v, %v", ev, ok, err)
	}
	// ce_datacontenttype alone is the content type; content-type wins.
	ev, _, err = cloudevents.Parse(headers(append(full, "ce_datacontenttype", "application/avro")...))
	if err != nil || ev.ContentType != "application/avro" || len(ev.Extensions) != 0 {
		t.Errorf("ce_datacontenttype: %+v, %v", ev, err)
	}
	ev, _, err = cloudevents.Parse(headers(append(full, "ce_datacontenttype", "a/b", "content-type", "c/d")...))
	if err != nil || ev.ContentType != "c/d" {
		t.Errorf("both content types: %+v, %v", ev, err)
	}
	// Bare headers are not extensions in the Kafka binding.
	ev, _, _ = cloudevents.Parse(headers(append(full, "sourcehost", "h")...))
	if len(ev.Extensions) != 0 {
		t.Errorf("bare sourcehost read as %v", ev.Extensions)
	}
}
