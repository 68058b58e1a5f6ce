package resolve

import (
	"bytes"
	"testing"
)

// Bugs the random differential found, as plain cases.
func TestTranscode_Regressions(t *testing.T) {
	for _, tc := range []struct {
		name, writer, reader string
		data, want           []byte
	}{{
		// The plan that skips a writer field was built with the reader's
		// names: a skipped recursive reference skipped with the plan of
		// the writer's record to the reader's, which skips that very field
		// with no plan (a nil dereference).
		name:   "skipped recursive reference",
		writer: `{"type":"record","name":"R","namespace":"ns","fields":[{"name":"a","type":"int"},{"name":"back","type":["null","R"]}]}`,
		reader: `{"type":"record","name":"R","namespace":"ns","fields":[{"name":"a","type":"int"}]}`,
		// a=1, back = R{a=2, back=R{a=3, back=null}}
		data: []byte{2, 2, 4, 2, 6, 0},
		want: []byte{2},
	}, {
		// A reader field without a default, a union with null first: the
		// plan gave up (the generic path) where twmb/avro's Resolve, whose
		// verdict DecodeFrom takes, reads null.
		name:   "implicit null",
		writer: `{"type":"record","name":"R","namespace":"ns","fields":[{"name":"a","type":"int"}]}`,
		reader: `{"type":"record","name":"R","namespace":"ns","fields":[{"name":"a","type":"int"},{"name":"n","type":["null","string"]}]}`,
		data:   []byte{2},
		want:   []byte{2, 0},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			p := planFor(t, tc.writer, tc.reader)
			got, err := transcode(p, nil, tc.data)
			if err != nil || !bytes.Equal(got, tc.want) {
				t.Errorf("transcoded %x to %x, %v; want %x", tc.data, got, err, tc.want)
			}
		})
	}
}
