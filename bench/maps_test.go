package bench

import (
	"reflect"
	"testing"
	"time"

	"github.com/evc-dev/evc/examples/openedx/gen/learning"
	"github.com/evc-dev/evc/examples/openedx/keys"
	"github.com/evc-dev/evc/runtime/avrobin"
)

// gradeEvent is a grade change with five subsection scores: the Open edX
// example's map-heavy event.
func gradeEvent() *learning.PersistentGradeSummaryChangedV1 {
	start := time.Date(2024, 9, 1, 0, 0, 0, 0, time.UTC)
	passed := time.Date(2024, 11, 2, 16, 4, 5, 0, time.UTC)
	return &learning.PersistentGradeSummaryChangedV1{
		Grade: learning.PersistentCourseGradeData{
			UserID: 184467,
			Course: learning.CourseData{
				CourseKey:   keys.CourseKey{Org: "edX", Course: "DemoX", Run: "2024_T3"},
				DisplayName: "Demonstration Course",
				Start:       &start,
			},
			CourseVersion:     "6630fd0e1f2c3b0012345678",
			GradingPolicyHash: "9mn0oT+0VqH0a2m2+uYkBtLu6Jw=",
			PercentGrade:      0.87,
			LetterGrade:       "B",
			PassedTimestamp:   &passed,
			SubsectionScores: map[string]float32{
				"block-v1:edX+DemoX+2024_T3+type@sequential+block@intro":    1,
				"block-v1:edX+DemoX+2024_T3+type@sequential+block@basics":   0.9,
				"block-v1:edX+DemoX+2024_T3+type@sequential+block@midterm":  0.75,
				"block-v1:edX+DemoX+2024_T3+type@sequential+block@advanced": 0.8,
				"block-v1:edX+DemoX+2024_T3+type@sequential+block@final":    0.92,
			},
		},
	}
}

// handAppendGrade is what a careful hand-written encoder of the grade event
// does, the limit for generated code: the map in Go's own order, with no
// sorting (so its bytes are not deterministic, which evc's are).
func handAppendGrade(dst []byte, m *learning.PersistentGradeSummaryChangedV1) ([]byte, error) {
	g := &m.Grade
	dst = avrobin.AppendLong(dst, g.UserID)
	key, err := g.Course.CourseKey.MarshalText()
	if err != nil {
		return dst, err
	}
	dst = avrobin.AppendBytes(dst, key)
	dst = appendStr(dst, g.Course.DisplayName)
	dst = appendTime(dst, g.Course.Start)
	dst = appendTime(dst, g.Course.End)
	dst = appendTime(dst, g.CourseEditedTimestamp)
	dst = appendStr(dst, g.CourseVersion)
	dst = appendStr(dst, g.GradingPolicyHash)
	dst = avrobin.AppendDouble(dst, g.PercentGrade)
	dst = appendStr(dst, g.LetterGrade)
	dst = appendTime(dst, g.PassedTimestamp)
	if len(g.SubsectionScores) > 0 {
		dst = avrobin.AppendCount(dst, len(g.SubsectionScores))
		for k, v := range g.SubsectionScores {
			dst = appendStr(dst, k)
			dst = avrobin.AppendFloat(dst, v)
		}
	}
	return append(dst, 0), nil
}

func appendStr(dst []byte, s string) []byte {
	dst = avrobin.AppendLong(dst, int64(len(s)))
	return append(dst, s...)
}

func appendTime(dst []byte, t *time.Time) []byte {
	if t == nil {
		return append(dst, 0)
	}
	return avrobin.AppendTimestampMicros(append(dst, 2), *t)
}

// BenchmarkOpenedxMaps is the map-heavy Open edX event: evc's encoder (keys
// sorted in a stack array) beside the hand-written one, and the decoders.
func BenchmarkOpenedxMaps(b *testing.B) {
	msg := gradeEvent()
	size := int64(len(must(msg.MarshalAvro())))
	b.Run("hand/encode", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		buf := make([]byte, 0, 1024)
		for b.Loop() {
			var err error
			if buf, err = handAppendGrade(buf[:0], msg); err != nil {
				b.Fatal(err)
			}
		}
	})
	run(b, msg, func(data []byte, alias bool) error {
		var m learning.PersistentGradeSummaryChangedV1
		if alias {
			return m.UnmarshalAvroAlias(data)
		}
		return m.UnmarshalAvro(data)
	})
}

func TestOpenedxMaps_HandCodecAgrees(t *testing.T) {
	msg := gradeEvent()
	data, err := handAppendGrade(nil, msg)
	if err != nil {
		t.Fatal(err)
	}
	var m learning.PersistentGradeSummaryChangedV1
	if err := m.UnmarshalAvro(data); err != nil || !reflect.DeepEqual(&m, msg) {
		t.Errorf("evc decodes the hand encoding to %+v, %v; want %+v", m, err, msg)
	}
	if len(data) != len(must(msg.MarshalAvro())) {
		t.Errorf("hand encoding is %d bytes, evc's %d", len(data), len(must(msg.MarshalAvro())))
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}
