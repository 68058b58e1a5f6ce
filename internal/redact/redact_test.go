package redact

import (
	"strings"
	"testing"
)

func TestURL(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"http://alice:s3cret@reg:8081/base?token=abc&x=1#frag", "http://reg:8081/base?token=REDACTED&x=REDACTED"},
		{"https://reg.example.com", "https://reg.example.com"},
		{"http://reg/%zz", "(a URL that does not parse)"},
	} {
		if got := URL(tc.in); got != tc.want {
			t.Errorf("URL(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSecrets_String(t *testing.T) {
	var s Secrets
	s.AddURL("http://alice:alice-secret@a?token=t0ken-value")
	s.AddBasic("bob", "bob-secret")
	s.Add("bearer-s3cr3t", "")
	for _, tc := range []struct{ in, want string }{
		{`unable to GET "http://a/schemas/ids/1?token=t0ken-value": dial tcp: refused`, `unable to GET "http://a/schemas/ids/1?token=REDACTED": dial tcp: refused`},
		{"echo: Authorization: Basic Ym9iOmJvYi1zZWNyZXQ=", "echo: Authorization: Basic REDACTED"},
		{"you sent bob-secret and alice-secret", "you sent REDACTED and REDACTED"},
		{`{"headers":{"Authorization":"Bearer some-other-token"}}`, `{"headers":{"Authorization":"Bearer REDACTED"}}`},
		{"proxy-authorization=xyz; ok", "proxy-authorization=REDACTED; ok"},
		{"bearer-s3cr3t", "REDACTED"},
		{`{"password": "hunter2"}`, `{"password": "REDACTED"}`},
		{"Schema not found", "Schema not found"},
	} {
		if got := s.String(tc.in); got != tc.want {
			t.Errorf("String(%q)\n= %q\nwant %q", tc.in, got, tc.want)
		}
	}
	var none *Secrets
	if got := none.String("Authorization: Bearer abc"); got != "Authorization: Bearer REDACTED" {
		t.Errorf("nil Secrets: %q", got)
	}
}

func TestSecrets_Message(t *testing.T) {
	var s Secrets
	got := s.Message("line1\nFAKE LOG LINE level=ERROR msg=\"owned\"\x1b[31m")
	if want := `line1\nFAKE LOG LINE level=ERROR msg="owned"\x1b[31m`; got != want {
		t.Errorf("Message = %q, want %q", got, want)
	}
	long := s.Message(strings.Repeat("é", 1<<20))
	if !strings.HasSuffix(long, "… (2096640 more bytes)") || len(long) > MaxMessage+40 {
		t.Errorf("long message: %d bytes, ends %q", len(long), long[len(long)-30:])
	}
}
