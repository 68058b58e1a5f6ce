package idl

import (
	"testing"
)

// TestDiagnostics_Syntax is the table of syntax errors: a snippet, and the
// first diagnostic Parse reports, as path:line:col: message, with its help.
func TestDiagnostics_Syntax(t *testing.T) {
	for _, tc := range []struct{ name, src, want, help string }{
		{"failure_missing_semicolon_at_line_end", "namespace m\nrecord R { a: int; }", `s.evc:1:12: syntax error: expected ";"`, ""},
		{"failure_missing_semicolon_at_end_of_file", "namespace m", `s.evc:1:12: syntax error: expected ";"`, ""},
		{"failure_missing_semicolon_before_brace_on_next_line", "record R {\n  a: int\n}", `s.evc:2:9: syntax error: expected ";"`, ""},
		{"failure_missing_semicolon_same_line", "record R { a: int }", `s.evc:1:19: syntax error: unexpected "}", expected ";"`, ""},
		{"failure_misspelt_keyword", "Record R { a: int; }", `s.evc:1:1: syntax error: unexpected "Record", expected a declaration (import, option, record, enum, fixed, type or topic)`, `did you mean "record"?`},
		{"failure_misspelt_namespace", "namepsace m;", `s.evc:1:1: syntax error: unexpected "namepsace", expected a declaration (import, option, record, enum, fixed, type or topic)`, `did you mean "namespace"?`},
		{"failure_unknown_declaration", "message M {}", `s.evc:1:1: syntax error: unexpected "message", expected a declaration (import, option, record, enum, fixed, type or topic)`, ""},
		{"failure_capital_decimal", "record R { a: Decimal(10,2); }", `s.evc:1:22: syntax error: unexpected "(", expected ";"`, `did you mean "decimal"?`},
		{"failure_capital_array", "record R { a: Array<int>; }", `s.evc:1:20: syntax error: unexpected "<", expected ";"`, `did you mean "array"?`},
		{"failure_unknown_constructor", "record R { a: list<int>; }", `s.evc:1:19: syntax error: unexpected "<", expected ";"`, "a type with arguments is array<T>, map<T>, union<A, B> or decimal(precision, scale)"},
		{"failure_no_type", "record R { a: ; }", `s.evc:1:15: syntax error: unexpected ";", expected a type`, ""},
		{"failure_no_field_name", "record R { : int; }", `s.evc:1:12: syntax error: unexpected ":", expected a field name or "}"`, ""},
		{"failure_topic_entry", "topic \"t\" { val: R; }", `s.evc:1:13: syntax error: unexpected "val", expected "key", "value" or "}"`, ""},
		{"failure_leading_zero", "record R { a: int = 01; }", `s.evc:1:21: syntax error: a number cannot start with 0 (write it without the leading zero)`, ""},
		{"failure_unterminated_string", "import \"a.evc;", `s.evc:1:8: syntax error: unterminated string: a string ends with " on the same line`, ""},
		{"failure_bad_character", "record R { a: int; } #", `s.evc:1:22: syntax error: unexpected character "#"`, ""},
		{"failure_unclosed_comment", "/* x", `s.evc:1:1: syntax error: unclosed block comment: /* needs a closing */`, ""},
		{"failure_minus", "record R { a: int = -x; }", `s.evc:1:21: syntax error: unexpected "-": a number must follow a minus sign`, ""},
		{"failure_bad_utf8", "record R { a: int; } \xff", `s.evc:1:22: invalid UTF-8 in source`, "evc source is UTF-8 text; save the file as UTF-8"},
		{"failure_unterminated_name", "record `R { a: int; }", "s.evc:1:8: syntax error: unterminated name: a name in backquotes ends with ` on the same line", ""},
		{"failure_expected_value", "record R { a: int = ; }", `s.evc:1:21: syntax error: unexpected ";", expected a value`, ""},
		{"failure_expected_key", "record R { a: map<int> = {1: 2}; }", `s.evc:1:27: syntax error: unexpected "1", expected a key or "}"`, ""},
		{"failure_expected_name", "record R { a: int; reserved 1; }", `s.evc:1:29: syntax error: unexpected "1", expected a name`, ""},
		{"failure_expected_string", "import x;", `s.evc:1:8: syntax error: unexpected "x", expected a string`, ""},
		{"failure_expected_number", "fixed F(x);", `s.evc:1:9: syntax error: unexpected "x", expected a number`, ""},
		{"failure_expected_identifier", "record 1 {}", `s.evc:1:8: syntax error: unexpected "1", expected an identifier`, ""},
		{"failure_end_of_file", "record R {", `s.evc:1:11: syntax error: unexpected end of file, expected a field name or "}"`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, errs := Parse("s.evc", []byte(tc.src))
			if len(errs) == 0 {
				t.Fatalf("no error, want %s", tc.want)
			}
			if got := errs[0].Error(); got != tc.want {
				t.Errorf("error\n got %s\nwant %s", got, tc.want)
			}
			if errs[0].Help != tc.help {
				t.Errorf("help %q, want %q", errs[0].Help, tc.help)
			}
		})
	}
}
