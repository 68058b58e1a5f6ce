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
// compiler must report, as path:line:col: message, in order.
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
				got = append(got, d.Error())
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
			[]string{`a.evc:3:3: fields "user_id" and "userId" of record "R" would both be the Go field UserID`}},
		{"success_go_name_resolves_clash", map[string]string{"a.evc": "record R {\n  user_id: int;\n  @go_name(\"UserIDCamel\") userId: int;\n}"}, nil},
		{"failure_go_name_makes_clash", map[string]string{"a.evc": "record R {\n  a: int;\n  @go_name(\"A\") b: int;\n}"},
			[]string{`a.evc:3:17: fields "a" and "b" of record "R" would both be the Go field A`}},
		{"warning_avsc_two_fields_one_go_name", map[string]string{"a.avsc": `{"type": "record", "name": "R", "fields": [
  {"name": "user_id", "type": "int"},
  {"name": "userId", "type": "int"}]}`},
			[]string{`a.avsc:3:12: warning: fields "user_id" and "userId" of record "R" would both be the Go field UserID`}},
	})
}

// TestDiagnostics_Topics: topic declarations.
func TestDiagnostics_Topics(t *testing.T) {
	checkDiagCases(t, []diagCase{
		{"failure_bad_topic_name", map[string]string{"a.evc": "record R { a: int; }\ntopic \"a b\" { value: R; }"},
			[]string{`a.evc:2:7: "a b" is not a valid Kafka topic name`}},
		{"failure_topic_twice", map[string]string{"a.evc": "record R { a: int; }\ntopic \"t\" { value: R; }\ntopic \"t\" { value: R; }"},
			[]string{`a.evc:3:7: topic "t" is already declared`}},
	})
}
