// Package keys holds the Open edX opaque keys that the example events carry
// as strings on the wire: evc binds the IDL's CourseKey type to CourseKey
// here, through encoding.TextMarshaler and encoding.TextUnmarshaler.
package keys

import (
	"errors"
	"fmt"
	"strings"
)

// CourseKey is an Open edX course key such as course-v1:edX+DemoX+Demo_Course.
type CourseKey struct {
	Org, Course, Run string
}

// ParseCourseKey parses a course-v1 key.
func ParseCourseKey(s string) (CourseKey, error) {
	rest, ok := strings.CutPrefix(s, "course-v1:")
	if !ok {
		return CourseKey{}, fmt.Errorf("keys: course key %q does not start with course-v1:", s)
	}
	// Cut rather than Split: the three parts share s's memory, and a
	// decoder calling UnmarshalText pays one allocation, for the string.
	org, rest, ok1 := strings.Cut(rest, "+")
	course, run, ok2 := strings.Cut(rest, "+")
	if !ok1 || !ok2 || org == "" || course == "" || run == "" || strings.Contains(run, "+") {
		return CourseKey{}, fmt.Errorf("keys: course key %q is not course-v1:org+course+run", s)
	}
	return CourseKey{Org: org, Course: course, Run: run}, nil
}

// String returns the key as Open edX writes it.
func (k CourseKey) String() string {
	return "course-v1:" + k.Org + "+" + k.Course + "+" + k.Run
}

// MarshalText implements encoding.TextMarshaler.
func (k CourseKey) MarshalText() ([]byte, error) {
	if k.Org == "" && k.Course == "" && k.Run == "" {
		return nil, errors.New("keys: empty course key")
	}
	return []byte(k.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (k *CourseKey) UnmarshalText(b []byte) error {
	v, err := ParseCourseKey(string(b))
	if err != nil {
		return err
	}
	*k = v
	return nil
}
