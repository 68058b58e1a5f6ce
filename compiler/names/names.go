package names

import (
	"fmt"
	"strings"
)

// ValidName reports whether s is a valid Avro name: [A-Za-z_][A-Za-z0-9_]*.
func ValidName(s string) bool { return nameProblem(s) == "" }

// ValidNamespace reports whether s is a valid Avro namespace: "" or valid
// names separated by dots.
func ValidNamespace(s string) bool {
	if s == "" {
		return true
	}
	return ValidFullName(s)
}

// ValidFullName reports whether s is a valid full name: one or more valid
// names separated by dots.
func ValidFullName(s string) bool {
	for _, part := range strings.Split(s, ".") {
		if !ValidName(part) {
			return false
		}
	}
	return true
}

var primitives = map[string]bool{
	"null": true, "boolean": true, "int": true, "long": true,
	"float": true, "double": true, "bytes": true, "string": true,
}

// IsPrimitiveName reports whether s is the name of an Avro primitive type,
// which a named type may not take as its name.
func IsPrimitiveName(s string) bool { return primitives[s] }

// Problem explains why s is not a valid name, or returns "" when it is:
// `is empty`, `starts with a digit`, `has a "-"`.
func Problem(s string) string { return nameProblem(s) }

// NamespaceProblem explains why s is not a valid namespace (or full name,
// when full is true), naming the offending part: `"redemption-reversed" has
// a "-"`; it returns "" when s is valid.
func NamespaceProblem(s string, full bool) string {
	if s == "" {
		if full {
			return "it is empty"
		}
		return ""
	}
	for _, part := range strings.Split(s, ".") {
		if p := nameProblem(part); p != "" {
			if part == "" {
				return "it has an empty part"
			}
			return fmt.Sprintf("%q %s", part, p)
		}
	}
	return ""
}

func nameProblem(s string) string {
	if s == "" {
		return "is empty"
	}
	for i, r := range s {
		switch {
		case r == '_' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z':
		case r >= '0' && r <= '9':
			if i == 0 {
				return "starts with a digit"
			}
		default:
			return fmt.Sprintf("has a %q", string(r))
		}
	}
	return ""
}

// NullNamespaceAlias returns the short name of an alias written with a
// leading dot, ".Old": Avro Java reads it as the name Old in the null
// namespace (and writes such an alias of a type that has a namespace that
// way), where a bare "Old" would be read in the type's own namespace.
func NullNamespaceAlias(s string) (name string, ok bool) {
	if len(s) > 1 && s[0] == '.' && ValidName(s[1:]) {
		return s[1:], true
	}
	return "", false
}
