package bench

import (
	"bytes"
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

// handAppendGradeSorted is handAppendGrade with deterministic bytes, evc's:
// the scores are collected in a stack array and sorted by key (insertion
// sort, the fastest of the sorts measured on a handful of keys), and still
// no string is checked for UTF-8. It shows what sorting alone costs beside
// handAppendGrade.
func handAppendGradeSorted(dst []byte, m *learning.PersistentGradeSummaryChangedV1) ([]byte, error) {
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
		type score struct {
			key   string
			value float32
		}
		var buf [8]score
		s := buf[:0]
		for k, v := range g.SubsectionScores {
			s = append(s, score{k, v})
		}
		for i := 1; i < len(s); i++ {
			for j := i; j > 0 && s[j].key < s[j-1].key; j-- {
				s[j], s[j-1] = s[j-1], s[j]
			}
		}
		for _, e := range s {
			dst = appendStr(dst, e.key)
			dst = avrobin.AppendFloat(dst, e.value)
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
// sorted in a stack array) beside the hand-written one, in map order and
// sorted, and the decoders.
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
	b.Run("hand-sorted/encode", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		buf := make([]byte, 0, 1024)
		for b.Loop() {
			var err error
			if buf, err = handAppendGradeSorted(buf[:0], msg); err != nil {
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
	for range 10 {
		if got, want := must(handAppendGradeSorted(nil, msg)), must(msg.MarshalAvro()); !bytes.Equal(got, want) {
			t.Fatalf("sorted hand encoding is %x, evc's %x", got, want)
		}
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}
