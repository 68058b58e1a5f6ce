package cloudevents_test

import (
	"context"
	"errors"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/evc-dev/evc/runtime"
	"github.com/evc-dev/evc/runtime/cloudevents"
	"github.com/evc-dev/evc/runtime/router"
)

var registered = &runtime.Type{
	Name: "org.openedx.learning.student.registration.completed.v1",
	Event: &runtime.Event{
		Type:   "org.openedx.learning.student.registration.completed.v1",
		Source: "/openedx/lms/web",
	},
}

var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestNew(t *testing.T) {
	before := time.Now()
	ev, err := cloudevents.New(registered)
	if err != nil {
		t.Fatal(err)
	}
	if ev.Type != registered.Event.Type || ev.Source != registered.Event.Source || ev.SpecVersion != "1.0" || ev.ContentType != "application/avro" {
		t.Errorf("New = %+v", ev)
	}
	if !uuidV4.MatchString(ev.ID) {
		t.Errorf("ID %q is not a version 4 UUID", ev.ID)
	}
	if ev.Time.Before(before.Add(-time.Second)) || ev.Time.After(time.Now().Add(time.Second)) || ev.Time.Location() != time.UTC {
		t.Errorf("Time = %v, want now in UTC", ev.Time)
	}
	ev2, _ := cloudevents.New(registered)
	if ev2.ID == ev.ID {
		t.Error("two events got the same id")
	}
	if _, err := cloudevents.New(&runtime.Type{Name: "x"}); !errors.Is(err, cloudevents.ErrNoEvent) {
		t.Errorf("New without metadata = %v, want ErrNoEvent", err)
	}
}

func TestHeaders_RoundTrip(t *testing.T) {
	ev := cloudevents.Event{
		SpecVersion: "1.0",
		ID:          "a1",
		Source:      "/openedx/lms/web",
		Type:        "org.openedx.learning.student.registration.completed.v1",
		Time:        time.Date(2026, 11, 25, 14, 30, 0, 123000000, time.UTC),
		Subject:     "user/42",
		ContentType: "application/avro",
		Extensions:  map[string]string{"sourcehost": "edx.devstack.lms", "minorversion": "0"},
	}
	prior := []router.Header{{Key: "trace", Value: []byte("t")}}
	hs, err := ev.AppendHeaders(prior)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, h := range hs {
		got = append(got, h.Key+"="+string(h.Value))
	}
	want := []string{
		"trace=t",
		"ce_specversion=1.0",
		"ce_id=a1",
		"ce_source=/openedx/lms/web",
		"ce_type=org.openedx.learning.student.registration.completed.v1",
		"ce_time=2026-11-25T14:30:00.123000+00:00",
		"ce_subject=user/42",
		"content-type=application/avro",
		"ce_minorversion=0",
		"ce_sourcehost=edx.devstack.lms",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("headers\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	back, ok, err := cloudevents.Parse(hs)
	if err != nil || !ok {
		t.Fatalf("Parse = %v, %v", ok, err)
	}
	if !reflect.DeepEqual(back, ev) {
		t.Errorf("Parse = %+v\nwant %+v", back, ev)
	}

	// Through a router handler's context.
	ctx := router.NewContext(context.Background(), &router.Record{Headers: hs})
	fromCtx, ok, err := cloudevents.FromContext(ctx)
	if err != nil || !ok || !reflect.DeepEqual(fromCtx, ev) {
		t.Errorf("FromContext = %+v, %v, %v", fromCtx, ok, err)
	}
	if _, ok, err := cloudevents.FromContext(context.Background()); ok || err != nil {
		t.Errorf("FromContext without a record = %v, %v", ok, err)
	}
}

func TestParse(t *testing.T) {
	h := func(kv ...string) []router.Header {
		var hs []router.Header
		for i := 0; i < len(kv); i += 2 {
			hs = append(hs, router.Header{Key: kv[i], Value: []byte(kv[i+1])})
		}
		return hs
	}
	full := []string{"ce_specversion", "1.0", "ce_id", "1", "ce_source", "/s", "ce_type", "t"}
	cases := []struct {
		name    string
		headers []router.Header
		ok      bool
		err     string
	}{
		{"success_minimal", h(full...), true, ""},
		{"success_not_a_cloudevent", h("content-type", "application/avro", "x", "y"), false, ""},
		{"success_no_headers", nil, false, ""},
		{"failure_missing_id", h("ce_specversion", "1.0", "ce_source", "/s", "ce_type", "t"), true, `evc: cloudevents: attribute "id" is missing`},
		{"failure_missing_source", h("ce_specversion", "1.0", "ce_id", "1", "ce_type", "t"), true, `evc: cloudevents: attribute "source" is missing`},
		{"failure_missing_type", h("ce_specversion", "1.0", "ce_id", "1", "ce_source", "/s"), true, `evc: cloudevents: attribute "type" is missing`},
		{"failure_spec_version", h("ce_specversion", "0.3", "ce_id", "1", "ce_source", "/s", "ce_type", "t"), true, `evc: cloudevents: attribute "specversion" is "0.3", want "1.0"`},
		{"failure_time", h(append(full, "ce_time", "yesterday")...), true, `evc: cloudevents: attribute "time" is "yesterday", not an RFC 3339 time such as "2026-12-01T05:54:09.376663+00:00"`},
		{"failure_extension_name", h(append(full, "ce_Bad-Name", "v")...), true, `evc: cloudevents: attribute "Bad-Name" is not a valid extension name (lower-case letters and digits)`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, ok, err := cloudevents.Parse(c.headers)
			if ok != c.ok {
				t.Errorf("ok = %v, want %v", ok, c.ok)
			}
			gotErr := ""
			if err != nil {
				gotErr = err.Error()
			}
			if gotErr != c.err {
				t.Errorf("err = %q\nwant  %q", gotErr, c.err)
			}
		})
	}
}

func TestAppendHeaders_Invalid(t *testing.T) {
	ev := cloudevents.Event{SpecVersion: "1.0", ID: "1", Type: "t"}
	hs, err := ev.AppendHeaders(nil)
	var ce *cloudevents.Error
	if !errors.As(err, &ce) || ce.Attribute != "source" || len(hs) != 0 {
		t.Errorf("AppendHeaders without source = %v, %v", hs, err)
	}
	ev.Source = "/s"
	ev.Extensions = map[string]string{"time": "x"}
	if _, err := ev.AppendHeaders(nil); err == nil || !strings.Contains(err.Error(), "core attribute") {
		t.Errorf("AppendHeaders with a core attribute as extension = %v", err)
	}
}
