package bench

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/evc-dev/evc/examples/openedx/gen/learning"
	"github.com/evc-dev/evc/runtime/resolve"
)

// TestEvolved_Changes prints what each kind of change that the newer
// writers of TestEvolved_Ratios combine costs alone: the time of decoding
// a message of a writer whose schema differs from the type's in that one
// way, over the same-version decode, from interleaved bursts. It asserts
// nothing but that each message decodes: run it with
//
//	EVC_EVOLVED_RATIOS=1 go test -run TestEvolved_Changes -v
func TestEvolved_Changes(t *testing.T) {
	if os.Getenv("EVC_EVOLVED_RATIOS") == "" {
		t.Skip("set EVC_EVOLVED_RATIOS=1 to measure")
	}
	e := openedxEvent().Enrollment
	user := func(u learning.UserData) map[string]any {
		pii := map[string]any{"username": u.Pii.Username, "email": u.Pii.Email, "locale": "fr", "name": u.Pii.Name}
		return map[string]any{"id": u.ID, "is_active": u.IsActive, "pii": pii, "date_joined": e.CreationDate.Add(-time.Hour).UnixMicro()}
	}
	course := map[string]any{"course_key": e.Course.CourseKey.String(), "display_name": e.Course.DisplayName, "start": *e.Course.Start, "end": nil}
	openedx := map[string]any{"enrollment": map[string]any{
		"user": user(e.User), "course": course, "mode": "verified", "is_active": e.IsActive,
		"creation_date": e.CreationDate, "created_by": user(*e.CreatedBy), "source": "studio",
	}}
	changeCosts(t, "openedx", openedxEvent(), openedx, []change{
		{"an enum symbol added", []string{`"executive_education","unknown"]`, `"executive_education","unknown","audit_plus"]`}},
		{"two fields swapped", []string{`{"name":"course_key","type":"string","doc":"The course's key."},{"name":"display_name","type":"string","doc":"The course's title."}`,
			`{"name":"display_name","type":"string","doc":"The course's title."},{"name":"course_key","type":"string","doc":"The course's key."}`}},
		{"a long added in each user", []string{`{"name":"is_active","type":"boolean","doc":"Whether the account is active."}`,
			`{"name":"date_joined","type":"long"},{"name":"is_active","type":"boolean","doc":"Whether the account is active."}`}},
		{"a string added in each user", []string{`"fields":[{"name":"username"`, `"fields":[{"name":"locale","type":"string"},{"name":"username"`}},
		{"a string added at the end", []string{`"default":null}]},"doc":"The enrollment as it is now."}`,
			`"default":null},{"name":"source","type":"string"}]},"doc":"The enrollment as it is now."}`}},
	})
	m := squarebotMessage()
	message := `{"name":"message","type":"string","doc":"The text of the message.","x-pii":true}`
	changeCosts(t, "squarebot", m, map[string]any{
		"message": m.Message, "user": *m.User, "channel_type": "channel", "channel_id": m.ChannelID,
		"thread_ts": "1700000000.000001", "message_type": "app_mention", "message_id": m.MessageID,
		"reactions": []any{"eyes", "white_check_mark"},
	}, []change{
		{"an enum symbol added", []string{`"app_home"],`, `"app_home","huddle"],`}},
		{"message moved first", []string{`[{"name":"user"`, `[` + message + `,{"name":"user"`, `,` + message + `]`, `]`}},
		{"an optional string added", []string{`{"name":"message_id"`, `{"name":"thread_ts","type":["null","string"]},{"name":"message_id"`}},
		{"an array of strings added", []string{message + `]`, message + `,{"name":"reactions","type":{"type":"array","items":"string"}}]`}},
	})
}

// change is a writer schema that differs from a type's in one way: the
// first occurrence of each from in the type's schema replaced with the to
// after it, in turn.
type change struct {
	name  string
	edits []string // from, to, ...
}

func changeCosts[T any, PT interface {
	*T
	message
}](t *testing.T, name string, msg PT, value map[string]any, changes []change) {
	reader := msg.AvroType().Schema()
	own, err := msg.MarshalAvro()
	if err != nil {
		t.Fatal(err)
	}
	same := resolve.For(reader, msg.AvroType())
	cases := []serdeCase{{"same", func() error { return same.Decode(PT(new(T)), own) }}}
	for _, c := range changes {
		writer := reader
		for i := 0; i < len(c.edits); i += 2 {
			if !strings.Contains(writer, c.edits[i]) {
				t.Fatalf("%s, %s: no %q in the schema", name, c.name, c.edits[i])
			}
			writer = strings.Replace(writer, c.edits[i], c.edits[i+1], 1)
		}
		data := encodeWith(t, writer, value)
		d := resolve.For(writer, msg.AvroType())
		if err := d.Decode(PT(new(T)), data); err != nil {
			t.Fatalf("%s %s: %v", name, c.name, err)
		}
		cases = append(cases, serdeCase{c.name, func() error { return d.Decode(PT(new(T)), data) }})
	}
	best := fastestBursts(t, cases)
	for _, c := range cases {
		t.Logf("%s %-28s %7.1f ns/op  %.2fx", name, c.name, best[c.name], best[c.name]/best["same"])
	}
}
