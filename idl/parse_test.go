package idl

import (
	"strings"
	"testing"
)

const squarebot = `/// Slack messages that Squarebot publishes.
namespace squarebot;

option go_package = "example.com/squarebot";

/// The kind of Slack channel a message was posted in.
enum ChannelType {
  /// A public channel.
  channel,
  group, im, mpim, app_home;
  reserved "dm";
} default channel;

fixed MD5(16);
fixed Money(8) decimal(10, 2);

@go("example.com/keys.CourseKey")
type CourseKey = string;

/// A Slack message, as Squarebot publishes it.
@name("message") @aliases("old.Message")
record SquarebotMessage {
  /// The Slack user ID, if a user sent it.
  user: string?;
  channel_type: ChannelType = channel;
  @order(descending) @x-pii(true)
  message: string;
  tags: array<string> = [];
  counts: map<long> = {"a": 1};
  u: union<null, string, array<int>> = null;
  at: timestamp-millis;
  d: decimal(10, 2);
  ` + "`record`" + `: @avro.java.string("String") string;
  reserved "old", gone;
}

topic "squarebot.messages" {
  key: string;
  value: SquarebotMessage;
}
`

func TestParse_Squarebot(t *testing.T) {
	f, errs := Parse("squarebot.evc", []byte(squarebot))
	if len(errs) > 0 {
		t.Fatalf("errors: %v", errs)
	}
	if got := f.Namespace.Name.String(); got != "squarebot" {
		t.Errorf("namespace = %q", got)
	}
	if len(f.Doc) != 1 || f.Doc[0] != "Slack messages that Squarebot publishes." {
		t.Errorf("file doc = %q", f.Doc)
	}
	var rec *Record
	var enum *Enum
	for _, d := range f.Decls {
		if d.Record != nil {
			rec = d.Record
			if len(d.Doc) != 1 || len(d.Annotations) != 2 {
				t.Errorf("record doc %q annotations %d", d.Doc, len(d.Annotations))
			}
		}
		if d.Enum != nil {
			enum = d.Enum
		}
	}
	if enum == nil || len(enum.Symbols) != 5 || enum.Default == nil || *enum.Default != "channel" || len(enum.Reserved) != 1 {
		t.Fatalf("enum = %+v", enum)
	}
	if len(enum.Symbols[0].Doc) != 1 {
		t.Errorf("symbol doc = %q", enum.Symbols[0].Doc)
	}
	if rec == nil || len(rec.Members) != 10 {
		t.Fatalf("record members = %d", len(rec.Members))
	}
	user := rec.Members[0]
	if user.Field.Name != "user" || !user.Field.Type.Optional || len(user.Doc) != 1 {
		t.Errorf("user = %+v doc %q", user.Field, user.Doc)
	}
	if got := rec.Members[8].Field.Name; got != "record" {
		t.Errorf("escaped name = %q", got)
	}
	if got := rec.Members[8].Field.Type.Annotations[0].Name.String(); got != "avro.java.string" {
		t.Errorf("type annotation = %q", got)
	}
	if rec.Members[2].Field.Pos.Line != 27 || rec.Members[2].Pos.Line != 26 || rec.Members[2].Pos.Column != 3 {
		t.Errorf("message field at %v", rec.Members[2].Pos)
	}
}

func TestParse_SyntaxErrorPositioned(t *testing.T) {
	_, errs := Parse("bad.evc", []byte("namespace x;\nrecord R {\n  a string;\n}\n"))
	if len(errs) != 1 {
		t.Fatalf("errs = %v", errs)
	}
	if got := errs[0].Span.Start; got.Line != 3 || got.Col != 5 {
		t.Errorf("error at %v: %s", got, errs[0].Message)
	}
	t.Log(errs[0].Error())
}

// TestParse_NotText: NUL bytes, invalid UTF-8 and a byte order mark after
// the start are positioned errors (in a doc comment they used to reach the
// generated Go, which does not parse with them).
func TestParse_NotText(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      []string
	}{
		{"nul in doc", "namespace t;\n/// a \x00 nul\nrecord R { a: string; }\n",
			[]string{"t.evc:2:7: the source holds a NUL byte\n  help: evc source is text; remove it"}},
		{"invalid utf8 in doc", "namespace t;\nrecord R { /// bad \xff utf8\n a: string; }\n",
			[]string{"t.evc:2:20: invalid UTF-8 in source\n  help: evc source is UTF-8 text; save the file as UTF-8"}},
		{"bom in string and after é", "namespace t;\n/// é\ufeff\nrecord R { a: string = \"\ufeff\"; }\n",
			[]string{
				"t.evc:2:6: the source holds a byte order mark (U+FEFF) after its start\n  help: remove it",
				"t.evc:3:25: the source holds a byte order mark (U+FEFF) after its start\n  help: remove it",
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, errs := Parse("t.evc", []byte(tc.src))
			var got []string
			for _, e := range errs {
				got = append(got, e.Error()+"\n  help: "+e.Help)
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}
