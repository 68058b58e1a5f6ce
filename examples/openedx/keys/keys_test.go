package keys

import "testing"

func TestCourseKey_TextRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		in      string
		wantErr bool
	}{
		{"course-v1:edX+DemoX+Demo_Course", false},
		{"course-v1:edX+DemoX", true},
		{"edX/DemoX/2024", true},
		{"course-v1:+x+y", true},
		{"course-v1:a+b+c+d", true},
		{"course-v1:a+b+", true},
	} {
		var k CourseKey
		err := k.UnmarshalText([]byte(tc.in))
		if (err != nil) != tc.wantErr {
			t.Errorf("UnmarshalText(%q) error = %v, want error %v", tc.in, err, tc.wantErr)
			continue
		}
		if err == nil {
			out, err := k.MarshalText()
			if err != nil || string(out) != tc.in {
				t.Errorf("MarshalText = %q, %v; want %q", out, err, tc.in)
			}
		}
	}
	if _, err := (CourseKey{}).MarshalText(); err == nil {
		t.Error("the empty key marshals without error")
	}
}
