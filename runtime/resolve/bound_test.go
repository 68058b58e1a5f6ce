package resolve

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/evc-dev/evc/runtime/avrobin"
)

// planFor returns the plan that reads writer's data as reader.
func planFor(t *testing.T, writer, reader string) *op {
	t.Helper()
	r := resolve(writer, readerType(reader))
	if r.err != nil || r.plan == nil {
		t.Fatalf("no plan: %v", r.err)
	}
	return r.plan
}

// checkBound fails unless out stays within the decode allocation bound of
// an input of n bytes.
func checkBound(t *testing.T, out []byte, n int) {
	t.Helper()
	if limit := OutputPerByte*n + OutputSlack; len(out) > limit {
		t.Errorf("%d bytes of output from %d of input, more than %d", len(out), n, limit)
	}
}

// The reproducers of ../shared/repro/reliability/amp, as assertions: nested
// arrays of empty records, in a writer schema that differs from the
// reader's, decoded 109 kB per input byte through the generic path.
func TestTranscode_NestedEmpty(t *testing.T) {
	const reader = `{"type":"record","name":"ArrArrEmpty","namespace":"amp","fields":[{"name":"v","type":{"type":"array","items":{"type":"array","items":{"type":"record","name":"Empty","fields":[]}}}}]}`
	const writer = `{"type":"record","name":"ArrArrEmpty","namespace":"amp","fields":[{"name":"v","type":{"type":"array","items":{"type":"array","items":{"type":"record","name":"Empty","fields":[]}}}},{"name":"w","type":"int"}]}`
	p := planFor(t, writer, reader)
	inner := append(avrobin.AppendLong(nil, 4096), 0)
	for _, tc := range []struct {
		n      int
		errIs  error
		outLen int
	}{
		{10, nil, 1 + 10*3 + 1},
		{256, nil, 2 + 256*3 + 1},
		// 1000*4096 empty records are more than avrobin's bound on items
		// that take no bytes, which the generated decoder applies too.
		{1000, avrobin.ErrCount, 0},
	} {
		data := avrobin.AppendLong(nil, int64(tc.n))
		data = append(data, bytes.Repeat(inner, tc.n)...)
		data = append(data, 0, 0) // end of the outer array, w = 0
		out, err := transcode(p, nil, data)
		checkBound(t, out, len(data))
		if !errors.Is(err, tc.errIs) {
			t.Errorf("%d inner arrays: error %v, want %v", tc.n, err, tc.errIs)
			continue
		}
		if err == nil && len(out) != tc.outLen {
			t.Errorf("%d inner arrays: %d bytes of output, want %d", tc.n, len(out), tc.outLen)
		}
	}
}

// A writer field the reader does not know is skipped without allocating,
// however deep and however many zero-byte items it holds, and the items
// of zero bytes it may claim are bounded as decoded ones are.
func TestTranscode_SkippedJunk(t *testing.T) {
	const reader = `{"type":"record","name":"ArrOpt","namespace":"amp","fields":[{"name":"v","type":{"type":"array","items":["null","string"]}}]}`
	const writer = `{"type":"record","name":"ArrOpt","namespace":"amp","fields":[{"name":"v","type":{"type":"array","items":["null","string"]}},` +
		`{"name":"junk","type":{"type":"array","items":{"type":"array","items":{"type":"record","name":"J","fields":[]}}},"default":[]}]}`
	p := planFor(t, writer, reader)
	inner := append(avrobin.AppendLong(nil, 4096), 0)
	junk := func(n int) []byte {
		data := []byte{0} // v: empty array
		data = append(data, avrobin.AppendLong(nil, int64(n))...)
		data = append(data, bytes.Repeat(inner, n)...)
		return append(data, 0)
	}
	small := junk(100)
	buf := make([]byte, 0, 64)
	if allocs := testing.AllocsPerRun(10, func() {
		out, err := transcode(p, buf, small)
		if err != nil || !bytes.Equal(out, []byte{0}) {
			t.Fatalf("transcoded to %x, %v; want 00", out, err)
		}
	}); allocs != 0 {
		t.Errorf("skipping allocates %v times a message", allocs)
	}
	// A block with its size in bytes is skipped whole.
	sized := []byte{0}
	body := bytes.Repeat(inner, 1000)
	sized = avrobin.AppendLong(avrobin.AppendLong(sized, -1000), int64(len(body)))
	sized = append(append(sized, body...), 0)
	if out, err := transcode(p, nil, sized); err != nil || !bytes.Equal(out, []byte{0}) {
		t.Errorf("sized block: transcoded to %x, %v; want 00", out, err)
	}
	if _, err := transcode(p, nil, junk(10000)); err == nil || !strings.Contains(err.Error(), "items of a type that takes no bytes") {
		t.Errorf("41M zero-byte items skipped: error %v", err)
	}
}

// Reader defaults filled into a long array of empty writer records would
// grow the output beyond the decode allocation bound: an error instead.
func TestTranscode_DefaultsBounded(t *testing.T) {
	big := strings.Repeat("x", 4000)
	reader := `{"type":"record","name":"ArrRec","namespace":"amp","fields":[{"name":"v","type":{"type":"array","items":{"type":"record","name":"Wide","fields":[{"name":"a","type":"string","default":"` + big + `"},{"name":"b","type":"long","default":7}]}}}]}`
	const writer = `{"type":"record","name":"ArrRec","namespace":"amp","fields":[{"name":"v","type":{"type":"array","items":{"type":"record","name":"Wide","fields":[]}}},{"name":"w","type":"int"}]}`
	p := planFor(t, writer, reader)
	for _, tc := range []struct {
		n       int
		tooLong bool
	}{{10, false}, {100_000, true}} {
		data := append(avrobin.AppendLong(nil, int64(tc.n)), 0, 0)
		out, err := transcode(p, nil, data)
		checkBound(t, out, len(data)+4003*2) // the last record may overshoot by one
		if got := errors.Is(err, ErrTooLarge); got != tc.tooLong {
			t.Errorf("%d records: error %v", tc.n, err)
		}
		if !tc.tooLong {
			want := avrobin.AppendLong(nil, int64(tc.n))
			for range tc.n {
				want, _ = avrobin.AppendString(want, big)
				want = avrobin.AppendLong(want, 7)
			}
			if !bytes.Equal(out, append(want, 0)) {
				t.Errorf("%d records: wrong output", tc.n)
			}
		}
	}
}
