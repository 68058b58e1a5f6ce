package names

import "testing"

func TestValidName(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"a", true}, {"_", true}, {"A_1", true}, {"_9", true}, {"user_id", true},
		{"", false}, {"1a", false}, {"a-b", false}, {"a.b", false}, {"é", false}, {"a b", false}, {"a$", false},
	} {
		if got := ValidName(tc.in); got != tc.want {
			t.Errorf("ValidName(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestValidNamespace(t *testing.T) {
	for _, tc := range []struct {
		in       string
		ns, full bool
	}{
		{"", true, false},
		{"a", true, true},
		{"org.openedx.v1", true, true},
		{"a..b", false, false},
		{".a", false, false},
		{"a.", false, false},
		{"a.1b", false, false},
		{"org.openedx.redemption-reversed.v1", false, false},
	} {
		if got := ValidNamespace(tc.in); got != tc.ns {
			t.Errorf("ValidNamespace(%q) = %v, want %v", tc.in, got, tc.ns)
		}
		if got := ValidFullName(tc.in); got != tc.full {
			t.Errorf("ValidFullName(%q) = %v, want %v", tc.in, got, tc.full)
		}
	}
}

func TestIsPrimitiveName(t *testing.T) {
	for _, s := range []string{"null", "boolean", "int", "long", "float", "double", "bytes", "string"} {
		if !IsPrimitiveName(s) {
			t.Errorf("IsPrimitiveName(%q) = false", s)
		}
	}
	for _, s := range []string{"record", "Int", "uuid", "", "enum"} {
		if IsPrimitiveName(s) {
			t.Errorf("IsPrimitiveName(%q) = true", s)
		}
	}
}

func TestNamespaceProblem(t *testing.T) {
	for _, tc := range []struct {
		in   string
		full bool
		want string
	}{
		{"a.b", false, ""},
		{"", false, ""},
		{"", true, "it is empty"},
		{"org.redemption-reversed.v1", false, `"redemption-reversed" has a "-"`},
		{"a.2b", true, `"2b" starts with a digit`},
		{"a..b", false, "it has an empty part"},
	} {
		if got := NamespaceProblem(tc.in, tc.full); got != tc.want {
			t.Errorf("NamespaceProblem(%q, %v) = %q, want %q", tc.in, tc.full, got, tc.want)
		}
	}
}
