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
		{"warning_two_symbols_one_go_name", map[string]string{"a.evc": "enum Color { dark_blue, darkBlue, red }"},
			[]string{`a.evc:1:25: warning: symbols "dark_blue" and "darkBlue" of enum "Color" would both be the Go constant ColorDarkBlue` + "\n  help: the Go constant of \"darkBlue\" is ColorDarkBlue2"}},
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

// TestDiagnostics_Declarations: annotations, options, logical types,
// unions, reserved names, custom types and topics.
func TestDiagnostics_Declarations(t *testing.T) {
	checkDiagCases(t, []diagCase{
		{"failure_reserved_twice", map[string]string{"a.evc": `record R { a: int; reserved "x", "x"; }`}, []string{`a.evc:1:34: "x" is reserved twice`}},
		{"failure_avro_attribute_as_property", map[string]string{"a.evc": `record R { @type("x") a: int; }`}, []string{`a.evc:1:12: "type" is an Avro attribute, not a custom property`}},
		{"failure_not_json_value", map[string]string{"a.evc": `record R { @x-pii(yes) a: int; }`}, []string{`a.evc:1:19: yes is not a JSON value; write it as a string: "yes"`}},
		{"failure_type_named_primitive", map[string]string{"a.evc": `record long { a: int; }`}, []string{`a.evc:1:8: record name "long" is an Avro primitive type`}},
		{"failure_union_in_union", map[string]string{"a.evc": `record R { a: union<int, string>?; }`}, []string{`a.evc:1:15: union<int, string>? is a union inside a union; add null to the union instead`}},
		{"failure_annotation_on_wrong_target", map[string]string{"a.evc": "record R { @order(ascending) b: int; }\n@order(ascending) record S { a: int; }"}, []string{`a.evc:2:1: @order cannot be used on a type declaration`}},
		{"failure_annotation_twice", map[string]string{"a.evc": `@name("A") @name("B") record R { a: int; }`}, []string{`a.evc:1:12: @name is given twice`}},
		{"failure_annotation_takes_string", map[string]string{"a.evc": `@name(1) record R { a: int; }`}, []string{`a.evc:1:7: expected a string`}},
		{"failure_aliases_empty", map[string]string{"a.evc": `record R { @aliases a: int; }`}, []string{`a.evc:1:12: @aliases needs at least one name`}},
		{"failure_deprecated_two_reasons", map[string]string{"a.evc": `record R { @deprecated("a", "b") a: int; }`}, []string{`a.evc:1:12: @deprecated takes at most one reason`}},
		{"failure_event_on_enum", map[string]string{"a.evc": `@event(type = "x.y") enum E { A }`}, []string{`a.evc:1:1: @event applies to records only`}},
		{"failure_event_unnamed_argument", map[string]string{"a.evc": `@event("x.y") record R { a: int; }`}, []string{`a.evc:1:1: @event needs a type, as in @event(type = "org.example.thing.happened.v1")`, `a.evc:1:8: @event arguments are named: @event(type = "...", source = "...")`}},
		{"failure_event_unknown_argument", map[string]string{"a.evc": `@event(type = "x.y", kind = "z") record R { a: int; }`}, []string{`a.evc:1:22: @event has no argument "kind"; it takes type and source`}},
		{"failure_go_not_a_type", map[string]string{"a.evc": `@go("nodot") type T = string;`}, []string{`a.evc:1:1: @go needs a Go type as "import/path.Name", not "nodot"`}},
		{"failure_order_unknown", map[string]string{"a.evc": `record R { @order(up) a: int; }`}, []string{`a.evc:1:12: @order must be ascending, descending or ignore, not "up"`}},
		{"failure_prop_no_value", map[string]string{"a.evc": `record R { @prop("x") a: int; }`}, []string{`a.evc:1:12: @prop takes a name and a value, as in @prop("name", true)`}},
		{"failure_property_on_reference", map[string]string{"a.evc": "record S { a: int; }\nrecord R { a: @x-pii(true) S; }"}, []string{`a.evc:2:15: a reference to S cannot carry custom properties; put them on its declaration`}},
		{"failure_property_on_union", map[string]string{"a.evc": `record R { a: @x-pii(true) union<int, string>; }`}, []string{"a.evc:1:15: a union cannot carry custom properties: Avro writes it as a JSON array\n  help: put the property on the field instead"}},
		{"failure_union_two_of_a_kind", map[string]string{"a.evc": `record R { a: union<int, int>; }`}, []string{`a.evc:1:26: union branch int appears twice`}},
		{"failure_property_twice", map[string]string{"a.evc": `record R { @x-pii(true) @x-pii(false) a: int; }`}, []string{`a.evc:1:25: custom property "x-pii" is set twice`}},
		{"failure_property_two_values", map[string]string{"a.evc": `record R { @x-pii(true, false) a: int; }`}, []string{`a.evc:1:12: custom property @x-pii takes one value, as in @x-pii(true)`}},
		{"failure_custom_type_record", map[string]string{"a.evc": "record S { a: int; }\ntype T = S;"}, []string{`a.evc:2:10: custom type "T" must be carried as an Avro primitive or logical type, not S`}},
		{"failure_decimal_no_precision", map[string]string{"a.evc": `fixed F(8) decimal;`}, []string{`a.evc:1:12: decimal needs a precision, as in decimal(10, 2)`}},
		{"failure_decimal_negative_scale", map[string]string{"a.evc": `record R { a: decimal(10, -1); }`}, []string{`a.evc:1:15: decimal scale must be a whole number of at least 0, not -1`}},
		{"failure_duration_parameters", map[string]string{"a.evc": `fixed F(12) duration(1);`}, []string{`a.evc:1:13: duration takes no parameters`}},
		{"failure_uuid_parameters", map[string]string{"a.evc": `fixed F(16) uuid(1);`}, []string{`a.evc:1:13: uuid takes no parameters`}},
		{"failure_field_alias_invalid", map[string]string{"a.evc": `record R { @aliases("a-b") a: int; }`}, []string{`a.evc:1:21: field alias "a-b" is not a valid Avro name: it has a "-"`}},
		{"failure_null_optional", map[string]string{"a.evc": `record R { a: null?; }`}, []string{`a.evc:1:15: null? is just null`}},
		{"failure_option_annotation", map[string]string{"a.evc": `@x option go_package = "a/b";`}, []string{`a.evc:1:4: options take no annotations`}},
		{"failure_reserved_invalid", map[string]string{"a.evc": `record R { a: int; reserved "a-b"; }`}, []string{`a.evc:1:29: reserved name "a-b" is not a valid Avro name: it has a "-"`}},
		{"failure_reserved_annotation", map[string]string{"a.evc": `record R { a: int; @x reserved "b"; }`}, []string{`a.evc:1:20: reserved takes no annotations`}},
		{"failure_topic_no_value", map[string]string{"a.evc": "record R { a: int; }\ntopic \"t\" { key: R; }"}, []string{"a.evc:2:1: topic \"t\" declares no value type\n  help: add a line such as: value: MyEvent;"}},
		{"failure_topic_two_keys", map[string]string{"a.evc": "record R { a: int; }\ntopic \"t\" { key: R; key: R; value: R; }"}, []string{`a.evc:2:21: topic "t" has more than one key type`}},
		{"failure_topic_value_twice", map[string]string{"a.evc": "record R { a: int; }\ntopic \"t\" { value: R; value: R; }"}, []string{`a.evc:2:23: topic "t" lists value type R twice`}},
		{"failure_type_defined_in_itself", map[string]string{"a.evc": `type T = T;`}, []string{`a.evc:1:6: type "T" is defined in terms of itself`}},
		{"failure_unknown_option", map[string]string{"a.evc": `option go_pkg = "a/b";`}, []string{"a.evc:1:1: unknown option \"go_pkg\"\n  help: the options are go_package and compat"}},
		{"failure_default_never_ends", map[string]string{"a.evc": "record R { a: R? = null; b: S = {}; }\nrecord S { r: R = {}; }"}, []string{"a.evc:1:8: warning: record \"R\" can never hold a value: field \"b\" (S) contains another \"R\", and so on without end\n  help: make the field optional (b: S?), or hold the records in an array or a map", "a.evc:1:33: the default of field \"b\" never ends: a record in it leaves out a field whose default leads back to it (R.b -> S.r -> R.b)\n  help: write out the left-out field's value, or make its type optional", "a.evc:2:8: warning: record \"S\" can never hold a value: field \"r\" (R) contains another \"S\", and so on without end\n  help: make the field optional (r: R?), or hold the records in an array or a map"}},
	})
}

// TestDiagnostics_Avsc: the .avsc reader's structural errors.
func TestDiagnostics_Avsc(t *testing.T) {
	checkDiagCases(t, []diagCase{
		{"failure_avsc_named_primitive", map[string]string{"a.avsc": `{"type": "record", "name": "long", "fields": []}`}, []string{`a.avsc:1:28: record cannot be named "long": that is the name of a primitive type`}},
		{"failure_avsc_event_type_not_string", map[string]string{"a.avsc": `{"type": "record", "name": "R", "fields": [{"name": "a", "type": "int"}], "x-evc-event": {"type": 1}}`}, []string{`a.avsc:1:99: record "R": "x-evc-event" "type" must be a string, not a number`}},
		{"failure_avsc_event_not_object", map[string]string{"a.avsc": `{"type": "record", "name": "R", "fields": [{"name": "a", "type": "int"}], "x-evc-event": "x"}`}, []string{`a.avsc:1:90: record "R": "x-evc-event" must be an object with "type" and "source", not a string`}},
		{"failure_avsc_name_not_string", map[string]string{"a.avsc": `{"type": "record", "name": 1, "fields": []}`}, []string{`a.avsc:1:28: record: "name" must be a string, not a number`}},
		{"failure_avsc_reserved_not_array", map[string]string{"a.avsc": `{"type": "record", "name": "R", "fields": [{"name": "a", "type": "int"}], "x-evc-reserved": "x"}`}, []string{`a.avsc:1:93: record "R": "x-evc-reserved" must be an array of names, not a string`}},
		{"failure_avsc_symbol_docs_not_object", map[string]string{"a.avsc": `{"type": "enum", "name": "E", "symbols": ["A"], "x-evc-symbol-docs": []}`}, []string{`a.avsc:1:70: enum "E": "x-evc-symbol-docs" must be an object of symbol docs, not an array`}},
		{"failure_avsc_aliases_not_array", map[string]string{"a.avsc": `{"type": "record", "name": "R", "fields": [{"name": "a", "type": "int"}], "aliases": "x"}`}, []string{`a.avsc:1:86: record "R": "aliases" must be an array of names, not a string`}},
		{"failure_avsc_alias_not_string", map[string]string{"a.avsc": `{"type": "record", "name": "R", "fields": [{"name": "a", "type": "int"}], "aliases": [1]}`}, []string{`a.avsc:1:87: record "R": an alias must be a string, not 1`}},
		{"failure_avsc_fields_not_array", map[string]string{"a.avsc": `{"type": "record", "name": "R", "fields": {}}`}, []string{`a.avsc:1:43: record "R": "fields" must be an array, not an object`}},
		{"failure_avsc_symbols_not_array", map[string]string{"a.avsc": `{"type": "enum", "name": "E", "symbols": "A"}`}, []string{`a.avsc:1:42: enum "E": "symbols" must be an array of names, not a string`}},
		{"failure_avsc_symbol_not_string", map[string]string{"a.avsc": `{"type": "enum", "name": "E", "symbols": [1]}`}, []string{`a.avsc:1:43: enum "E": a symbol must be a string, not 1`}},
		{"failure_avsc_type_not_string", map[string]string{"a.avsc": `{"type": 1}`}, []string{`a.avsc:1:10: "type" must be a string, not a number`}},
		{"failure_avsc_union_two_of_a_kind", map[string]string{"a.avsc": `{"type": "record", "name": "R", "fields": [{"name": "a", "type": ["int", "int"]}]}`}, []string{`a.avsc:1:74: the union has two branches of type int`}},
		{"failure_avsc_invalid_name", map[string]string{"a.avsc": `{"type": "record", "name": "a-b", "fields": []}`}, []string{"a.avsc:1:28: record name \"a-b\" is not a valid Avro name: \"a-b\" has a \"-\"\n  help: Avro names contain only letters, digits and \"_\", and do not start with a digit; namespaces are such names joined by dots"}},
		{"failure_name_takes_one_string", map[string]string{"a.evc": `@name("A", "B") record R { a: int; }`}, []string{`a.evc:1:1: @name takes one string`}},
		{"failure_property_on_enum_symbol", map[string]string{"a.evc": `enum E { @x-pii(true) A }`}, []string{`a.evc:1:10: custom property @x-pii cannot be set on an enum symbol`}},
	})
}
