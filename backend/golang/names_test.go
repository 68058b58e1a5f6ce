package golang

import "testing"

func TestGoName(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"message", "Message"},
		{"channel_id", "ChannelID"},
		{"channelId", "ChannelID"},
		{"user-url", "UserURL"},
		{"http_server", "HTTPServer"},
		{"uuid", "UUID"},
		{"event_uuid", "EventUUID"},
		{"org.openedx.learning", "OrgOpenedxLearning"},
		{"ALREADY_UPPER", "ALREADYUPPER"},
		{"_private", "Private"},
		{"__", "X"},
		{"9lives", "X9lives"},
		{"valid", "Valid"},
		{"paid", "Paid"},
		{"type", "Type"},
		{"app_home", "AppHome"},
		{"json_api", "JSONAPI"},
		{"v1", "V1"},
	} {
		if got := GoName(tc.in); got != tc.want {
			t.Errorf("GoName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestPackageName(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"github.com/acme/events/gen/squarebot", "squarebot"},
		{"example.com/gen/org/openedx/learning/course/enrollment/created/v1", "createdv1"},
		{"example.com/gen/redemption-reversed", "redemptionreversed"},
		{"example.com/gen/type", "type_"},
		{"example.com/gen/string", "string_"},
		{"example.com/gen/2fa", "p2fa"},
		{"v2", "v2"},
		{"example.com/gen/Mixed_Case", "mixedcase"},
	} {
		if got := packageName(tc.in); got != tc.want {
			t.Errorf("packageName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestScope_Claim(t *testing.T) {
	s := newScope("AvroType")
	for _, tc := range []struct{ in, want string }{
		{"Message", "Message"},
		{"Message", "Message2"},
		{"Message", "Message3"},
		{"AvroType", "AvroType2"},
		{"Message2", "Message22"},
	} {
		if got := s.claim(tc.in); got != tc.want {
			t.Errorf("claim(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
