package registryhttp

import (
	"errors"
	"io"
	"net/url"
	"strings"
	"testing"
)

func TestOrigin(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"http://Reg.Example.com/x?y", "http://reg.example.com:80"},
		{"https://reg", "https://reg:443"},
		{"http://reg:8081", "http://reg:8081"},
		{"HTTP://127.0.0.1:80", "http://127.0.0.1:80"},
	} {
		u, _ := url.Parse(tc.in)
		if got := Origin(u); got != tc.want {
			t.Errorf("Origin(%s) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestLimitBody(t *testing.T) {
	for _, tc := range []struct {
		body string
		max  int64
		ok   bool
	}{
		{"12345", 5, true},
		{"123456", 5, false},
		{"", 5, true},
		{"123456", 0, true},
	} {
		b, err := io.ReadAll(LimitBody(io.NopCloser(strings.NewReader(tc.body)), tc.max))
		var tl *TooLargeError
		switch {
		case tc.ok && (err != nil || string(b) != tc.body):
			t.Errorf("%q, max %d: %q, %v", tc.body, tc.max, b, err)
		case !tc.ok && (!errors.As(err, &tl) || err.Error() != "the registry's answer is larger than 5 bytes"):
			t.Errorf("%q, max %d: %v, want *TooLargeError", tc.body, tc.max, err)
		}
	}
}
