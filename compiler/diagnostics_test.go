package compiler

import (
	"reflect"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
)

// diagCase is one row of a diagnostics table: input files (the first is
// compiled; the rest are there to be imported) and every diagnostic the
// compiler must report, as path:line:col: message, in order, each followed
// by "\n  help: ..." when it has a help line.
type diagCase struct {
	name  string
	files map[string]string
	want  []string
}

// checkDiagCases compiles each case from memory and compares the
// diagnostics, one line each, with the expected ones.
func checkDiagCases(t *testing.T, cases []diagCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			var paths []string
			for p, src := range tc.files {
				fsys[p] = &fstest.MapFile{Data: []byte(src)}
				paths = append(paths, p)
			}
			sort.Strings(paths)
			res := Compile(paths[:1], Options{FS: fsys})
			var got []string
			for _, d := range res.Diags.Items() {
				line := d.Error()
				if d.Help != "" {
					line += "\n  help: " + d.Help
				}
				got = append(got, line)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

// TestDiagnostics_Names: names, and the Go names they make.
func TestDiagnostics_Names(t *testing.T) {
	checkDiagCases(t, []diagCase{
		{"success_go_names_differ", map[string]string{"a.evc": "record R { order_id: int; tracking_ids: int; trackingId: int; }"}, nil},
		{"failure_two_fields_one_go_name", map[string]string{"a.evc": "record R {\n  user_id: int;\n  userId: int;\n}"},
			[]string{`a.evc:3:3: fields "user_id" and "userId" of record "R" would both be the Go field UserID` + "\n  help: give one of them another Go name: @go_name(\"UserID2\")"}},
		{"success_go_name_resolves_clash", map[string]string{"a.evc": "record R {\n  user_id: int;\n  @go_name(\"UserIDCamel\") userId: int;\n}"}, nil},
		{"failure_go_name_makes_clash", map[string]string{"a.evc": "record R {\n  a: int;\n  @go_name(\"A\") b: int;\n}"},
			[]string{`a.evc:3:17: fields "a" and "b" of record "R" would both be the Go field A` + "\n  help: give one of them another Go name: @go_name(\"A2\")"}},
		{"warning_avsc_two_fields_one_go_name", map[string]string{"a.avsc": `{"type": "record", "name": "R", "fields": [
  {"name": "user_id", "type": "int"},
  {"name": "userId", "type": "int"}]}`},
			[]string{`a.avsc:3:12: warning: fields "user_id" and "userId" of record "R" would both be the Go field UserID` + "\n  help: the Go field of \"userId\" is UserID2"}},
	})
}

// TestDiagnostics_Topics: topic declarations.
func TestDiagnostics_Topics(t *testing.T) {
	checkDiagCases(t, []diagCase{
		{"failure_bad_topic_name", map[string]string{"a.evc": "record R { a: int; }\ntopic \"a b\" { value: R; }"},
			[]string{`a.evc:2:7: "a b" is not a valid Kafka topic name` + "\n  help: a topic name has 1 to 249 characters from a-z, A-Z, 0-9, '.', '_' and '-'"}},
		{"failure_topic_twice", map[string]string{"a.evc": "record R { a: int; }\ntopic \"t\" { value: R; }\ntopic \"t\" { value: R; }"},
			[]string{`a.evc:3:7: topic "t" is already declared`}},
	})
}

// TestDiagnostics_DefaultHelp: the help lines of the common mistakes in
// defaults.
func TestDiagnostics_DefaultHelp(t *testing.T) {
	checkDiagCases(t, []diagCase{
		{"failure_iso_timestamp", map[string]string{"a.evc": `record R { ts: timestamp-millis = "2024-01-01T00:00:00Z"; }`},
			[]string{`a.evc:1:35: field "ts" has default "2024-01-01T00:00:00Z", but its type is timestamp-millis` +
				"\n  help: a timestamp-millis default is a number: milliseconds since 1970-01-01T00:00:00Z (2024-01-01T00:00:00Z is 1704067200000)"}},
		{"failure_iso_timestamp_micros_fraction", map[string]string{"a.evc": `record R { ts: timestamp-micros = "1970-01-01T00:00:01.5Z"; }`},
			[]string{`a.evc:1:35: field "ts" has default "1970-01-01T00:00:01.5Z", but its type is timestamp-micros` +
				"\n  help: a timestamp-micros default is a number: microseconds since 1970-01-01T00:00:00Z (1970-01-01T00:00:01.5Z is 1500000)"}},
		{"failure_not_a_time", map[string]string{"a.evc": `record R { ts: local-timestamp-millis = "now"; }`},
			[]string{`a.evc:1:41: field "ts" has default "now", but its type is local-timestamp-millis` +
				"\n  help: a local-timestamp-millis default is a number: milliseconds since 1970-01-01T00:00:00Z"}},
		{"failure_iso_date", map[string]string{"a.evc": `record R { d: date = "2024-01-01"; }`},
			[]string{`a.evc:1:22: field "d" has default "2024-01-01", but its type is date` +
				"\n  help: a date default is a number: days since 1970-01-01 (2024-01-01 is 19723)"}},
		{"failure_time_string", map[string]string{"a.evc": `record R { t: time-millis = "12:00"; }`},
			[]string{`a.evc:1:29: field "t" has default "12:00", but its type is time-millis` +
				"\n  help: a time-millis default is a number: milliseconds after midnight"}},
		{"failure_null_for_string", map[string]string{"a.evc": `record R { s: string = null; }`},
			[]string{`a.evc:1:24: field "s" has default null, but its type is string` +
				"\n  help: only an optional type can default to null: write string? (its default is then null), or give a default of type string"}},
		{"failure_object_for_array", map[string]string{"a.evc": `record R { s: array<string> = {}; }`},
			[]string{`a.evc:1:31: field "s" has default {}, but its type is array<string>` + "\n  help: an array default is a list: []"}},
		{"failure_list_for_map", map[string]string{"a.evc": `record R { s: map<string> = []; }`},
			[]string{`a.evc:1:29: field "s" has default [], but its type is map<string>` + "\n  help: a map default is an object: {}"}},
		{"failure_avsc_null_for_string", map[string]string{"a.avsc": `{"type": "record", "name": "R", "fields": [{"name": "s", "type": "string", "default": null}]}`},
			[]string{`a.avsc:1:87: field "s" has default null, but its type is string` + "\n  help: only a union with \"null\" as its first branch can default to null"}},
	})
}
