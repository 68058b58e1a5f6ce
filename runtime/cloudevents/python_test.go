package cloudevents_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/evc-dev/evc/runtime/cloudevents"
	"github.com/evc-dev/evc/runtime/router"
)

// pythons returns the interpreters to run testdata/openedx_headers.py
// with: Debian's /usr/bin/python3 (required under CI=true, as for the
// python3-avro tests), and any listed in EVC_PYTHONS, such as a Python 3.8
// whose datetime.fromisoformat is stricter than 3.11's.
func pythons(t *testing.T) []string {
	const debian = "/usr/bin/python3"
	var out []string
	if _, err := os.Stat(debian); err == nil {
		out = append(out, debian)
	} else if os.Getenv("CI") == "true" {
		t.Fatalf("%s is required under CI=true: %v", debian, err)
	}
	out = append(out, strings.Fields(os.Getenv("EVC_PYTHONS"))...)
	if len(out) == 0 {
		t.Skip("no python3; install Debian's python3")
	}
	return out
}

func runPython(t *testing.T, python string, stdin []byte, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(python, append([]string{"testdata/openedx_headers.py"}, args...)...)
	cmd.Stdin = bytes.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", python, err, stderr.String())
	}
	return out
}

// TestOpenEdX_PythonReadsWhatEvcWrites hands headers written in the OpenEdX
// binding to the Open edX bus's own conversions (UUID, fromisoformat with
// timezone.utc, int, a tuple of ints), for times with nanoseconds, no
// fraction, and another zone.
func TestOpenEdX_PythonReadsWhatEvcWrites(t *testing.T) {
	var all [][][2]string
	for _, at := range []time.Time{
		time.Date(2026, 12, 1, 5, 54, 9, 376663210, time.UTC),
		time.Date(2026, 12, 1, 5, 54, 9, 0, time.UTC),
		time.Date(2026, 12, 1, 6, 54, 9, 5000, time.FixedZone("CET", 3600)),
		time.Now(),
	} {
		ev, err := cloudevents.New(registered)
		if err != nil {
			t.Fatal(err)
		}
		ev.Time = at
		ev.Extensions = map[string]string{"sourcelib": "9.15.0"}
		hs, err := cloudevents.OpenEdX.AppendHeaders(&ev, nil)
		if err != nil {
			t.Fatal(err)
		}
		var pairs [][2]string
		for _, h := range hs {
			pairs = append(pairs, [2]string{h.Key, string(h.Value)})
		}
		all = append(all, pairs)
	}
	in, _ := json.Marshal(all)
	for _, py := range pythons(t) {
		out := strings.Split(strings.TrimSpace(string(runPython(t, py, in, "read"))), "\n")
		if len(out) != len(all) {
			t.Fatalf("%s answered %q for %d events", py, out, len(all))
		}
		for i, line := range out {
			if line != "ok" {
				t.Errorf("%s: event %d %v: %s", py, i, all[i], line)
			}
		}
	}
}

// TestOpenEdX_EvcReadsWhatPythonWrites reads headers written as the Open
// edX bus writes them, by Python's isoformat and uuid1.
func TestOpenEdX_EvcReadsWhatPythonWrites(t *testing.T) {
	for _, py := range pythons(t) {
		var all [][][2]string
		if err := json.Unmarshal(runPython(t, py, nil, "write"), &all); err != nil {
			t.Fatal(err)
		}
		for _, pairs := range all {
			var hs []router.Header
			for _, p := range pairs {
				hs = append(hs, router.Header{Key: p[0], Value: []byte(p[1])})
			}
			ev, ok, err := cloudevents.OpenEdX.Parse(hs)
			if err != nil || !ok {
				t.Errorf("%s: %v: %v, %v", py, pairs, ok, err)
				continue
			}
			if ev.Time.IsZero() || time.Since(ev.Time) > time.Hour || ev.ContentType != "application/avro" ||
				ev.Extensions["sourcehost"] != "edx.devstack.lms" || ev.Extensions["sourcelib"] != "9.15.0" || ev.Extensions["minorversion"] != "0" {
				t.Errorf("%s: %v read as %+v", py, pairs, ev)
			}
		}
	}
}
