package serde

import "testing"

func TestSchemaName(t *testing.T) {
	for _, tc := range []struct{ schema, want string }{
		{`{"type":"record","name":"User","namespace":"evc.test","fields":[]}`, "evc.test.User"},
		{`{"type":"record","name":"a.b.User","namespace":"ignored","fields":[]}`, "a.b.User"},
		{`{"type":"record","name":"User","fields":[]}`, "User"},
		{`{"type":"enum","name":"Suit","namespace":"cards","symbols":["S"]}`, "cards.Suit"},
		{`{"type":"fixed","name":"MD5","size":16}`, "MD5"},
		{`{"type":"error","name":"Oops","namespace":"x","fields":[]}`, "x.Oops"},
		{`"string"`, "string"},
		{`{"type":"array","items":"int"}`, "array"},
		{`["null","string"]`, "union"},
		{`{"name":"x"}`, "?"},
		{`not json`, "?"},
		{`42`, "?"},
	} {
		if got := schemaName(tc.schema); got != tc.want {
			t.Errorf("schemaName(%s) = %q, want %q", tc.schema, got, tc.want)
		}
	}
}
