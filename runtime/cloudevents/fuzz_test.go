package cloudevents_test

import (
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/evc-dev/evc/runtime/cloudevents"
	"github.com/evc-dev/evc/runtime/router"
)

// FuzzParse parses headers built from "key=value" lines: it must never
// panic, and an event it accepts must write headers that parse back to the
// same event.
func FuzzParse(f *testing.F) {
	f.Add("ce_specversion=1.0\nce_id=1\nce_source=/s\nce_type=t\nce_time=2026-01-02T03:04:05.5+01:00\ncontent-type=application/avro\nce_sourcehost=h")
	f.Add("ce_specversion=1.0\nce_id=\nce_source=/s\nce_type=t")
	f.Add("ce_specversion=0.3\nce_time=yesterday")
	f.Add("ce_specversion=1.0\nce_id=1\nce_source=/s\nce_type=t\nce_Bad=x")
	f.Add("ce_specversion=1.0\nce_id=1\nce_source=/s\nce_type=t\nce_time=0000-01-01t00:00:60z\nce_datacontenttype=a/b")
	f.Fuzz(func(t *testing.T, text string) {
		var hs []router.Header
		for line := range strings.SplitSeq(text, "\n") {
			k, v, _ := strings.Cut(line, "=")
			hs = append(hs, router.Header{Key: k, Value: []byte(v)})
		}
		ev, ok, err := cloudevents.Parse(hs)
		if !ok || err != nil {
			return
		}
		out, err := ev.AppendHeaders(nil)
		if err != nil {
			t.Fatalf("accepted event %+v does not write: %v", ev, err)
		}
		back, ok, err := cloudevents.Parse(out)
		if !ok || err != nil {
			t.Fatalf("written event does not parse: %v, %v", ok, err)
		}
		if back.SpecVersion != ev.SpecVersion || back.ID != ev.ID || back.Source != ev.Source || back.Type != ev.Type ||
			!back.Time.Equal(ev.Time.Truncate(time.Microsecond)) || back.Subject != ev.Subject || back.DataSchema != ev.DataSchema ||
			back.ContentType != ev.ContentType || !maps.Equal(back.Extensions, ev.Extensions) {
			t.Fatalf("round trip changed the event:\n%+v\n%+v", ev, back)
		}
	})
}
