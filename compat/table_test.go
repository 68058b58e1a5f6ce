package compat

import (
	"fmt"
	"testing"
)

// TestModeTable checks the table "Which change each mode allows" of
// docs/evolution.md: each row is an old and a new record, and the verdicts
// the table gives for BACKWARD (new reads old) and FORWARD (old reads new).
func TestModeTable(t *testing.T) {
	rec := func(fields string, extra ...string) string {
		x := ""
		if len(extra) > 0 {
			x = extra[0]
		}
		return fmt.Sprintf(`{"type": "record", "name": "E", "namespace": "acme"%s, "fields": [%s]}`, x, fields)
	}
	const id = `{"name": "id", "type": "string"}`
	enum := func(syms, def string) string {
		d := ""
		if def != "" {
			d = fmt.Sprintf(`, "default": %q`, def)
		}
		return rec(fmt.Sprintf(`{"name": "plan", "type": {"type": "enum", "name": "Plan", "symbols": %s%s}}`, syms, d))
	}
	for _, row := range []struct {
		change        string
		old, new      string
		back, forward bool
	}{
		{"add a field with a default", rec(id), rec(id + `, {"name": "c", "type": "string", "default": "EUR"}`), true, true},
		{"add a field without a default", rec(id), rec(id + `, {"name": "c", "type": "string"}`), false, true},
		{"remove a field that had a default", rec(id + `, {"name": "c", "type": "string", "default": "EUR"}`), rec(id), true, true},
		{"remove a field that had no default", rec(id + `, {"name": "c", "type": "string"}`), rec(id), true, false},
		{"make a field optional", rec(`{"name": "c", "type": "string"}`), rec(`{"name": "c", "type": ["null", "string"]}`), true, false},
		{"make an optional field required", rec(`{"name": "c", "type": ["null", "string"]}`), rec(`{"name": "c", "type": "string"}`), false, true},
		{"widen int to long", rec(`{"name": "n", "type": "int"}`), rec(`{"name": "n", "type": "long"}`), true, false},
		{"widen long to double", rec(`{"name": "n", "type": "long"}`), rec(`{"name": "n", "type": "double"}`), true, false},
		{"widen float to double", rec(`{"name": "n", "type": "float"}`), rec(`{"name": "n", "type": "double"}`), true, false},
		{"narrow long to int", rec(`{"name": "n", "type": "long"}`), rec(`{"name": "n", "type": "int"}`), false, true},
		{"string to bytes", rec(`{"name": "s", "type": "string"}`), rec(`{"name": "s", "type": "bytes"}`), true, true},
		{"add an enum symbol, with a default symbol", enum(`["free", "pro"]`, "free"), enum(`["free", "pro", "team"]`, "free"), true, true},
		{"add an enum symbol, no default symbol", enum(`["free", "pro"]`, ""), enum(`["free", "pro", "team"]`, ""), true, false},
		{"remove an enum symbol", enum(`["free", "pro"]`, ""), enum(`["free"]`, ""), false, true},
		{"add a union branch", rec(`{"name": "u", "type": ["null", "string"]}`), rec(`{"name": "u", "type": ["null", "string", "long"]}`), true, false},
		{"remove a union branch", rec(`{"name": "u", "type": ["null", "string", "long"]}`), rec(`{"name": "u", "type": ["null", "string"]}`), false, true},
		{"rename a field with an alias", rec(`{"name": "mail", "type": "string"}`), rec(`{"name": "email", "type": "string", "aliases": ["mail"]}`), true, false},
		{"rename a field with an alias, old default", rec(`{"name": "mail", "type": "string", "default": ""}`), rec(`{"name": "email", "type": "string", "aliases": ["mail"]}`), true, true},
		{"rename a type with an alias", rec(id), `{"type": "record", "name": "F", "namespace": "acme", "aliases": ["acme.E"], "fields": [` + id + `]}`, true, false},
		{"change a fixed's size", rec(`{"name": "h", "type": {"type": "fixed", "name": "H", "size": 16}}`), rec(`{"name": "h", "type": {"type": "fixed", "name": "H", "size": 32}}`), false, false},
		{"change string to int", rec(`{"name": "s", "type": "string"}`), rec(`{"name": "s", "type": "int"}`), false, false},
		{"change a logical type", rec(`{"name": "t", "type": {"type": "long", "logicalType": "timestamp-millis"}}`), rec(`{"name": "t", "type": {"type": "long", "logicalType": "timestamp-micros"}}`), true, true},
		{"an enum field added without a field default, the enum has a default symbol", rec(id), rec(id + `, {"name": "plan", "type": {"type": "enum", "name": "Plan", "symbols": ["a"], "default": "a"}}`), false, true},
	} {
		t.Run(row.change, func(t *testing.T) {
			o := parseSchema(t, "old.avsc", []byte(row.old))
			n := parseSchema(t, "new.avsc", []byte(row.new))
			if got := compatible(t, n, o); got != row.back {
				t.Errorf("BACKWARD (new reads old) = %v, the table says %v: %s", got, row.back, describeAll(CheckPair(n, o)))
			}
			if got := compatible(t, o, n); got != row.forward {
				t.Errorf("FORWARD (old reads new) = %v, the table says %v: %s", got, row.forward, describeAll(CheckPair(o, n)))
			}
		})
	}
}
