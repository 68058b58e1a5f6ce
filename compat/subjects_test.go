package compat

import (
	"strings"
	"testing"

	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/ir"
)

// TestModeRules_Precedence checks the order: flag, the type's @compat, the
// config's per-type mode, the file's option compat, the config's default,
// FORWARD.
func TestModeRules_Precedence(t *testing.T) {
	root := func(typeMode, fileMode string) Root {
		f := &ir.File{Path: "a.evc", Compat: fileMode}
		n := &ir.Named{Kind: ir.Record, Name: "A", Namespace: "acme", Compat: typeMode, File: f}
		return Root{Name: "acme.A", Named: n, File: f, Type: NamedType(n)}
	}
	cfgTypes := map[string]Mode{"acme.A": BackwardTransitive}
	for _, tc := range []struct {
		name               string
		rules              ModeRules
		typeMode, fileMode string
		want               Mode
	}{
		{"flag beats everything", ModeRules{Override: None, Types: cfgTypes, Default: Full}, "FULL", "BACKWARD", None},
		{"type annotation beats config type", ModeRules{Types: cfgTypes, Default: Full}, "FULL_TRANSITIVE", "BACKWARD", FullTransitive},
		{"config type beats file option", ModeRules{Types: cfgTypes, Default: Full}, "", "BACKWARD", BackwardTransitive},
		{"file option beats config default", ModeRules{Default: Full}, "", "backward", Backward},
		{"config default", ModeRules{Default: Full}, "", "", Full},
		{"forward by default", ModeRules{}, "", "", Forward},
		{"config type of another type", ModeRules{Types: map[string]Mode{"acme.B": None}}, "", "", Forward},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var l diag.List
			if got := tc.rules.Of(root(tc.typeMode, tc.fileMode), &l); got != tc.want {
				t.Errorf("mode %s, want %s", got, tc.want)
			}
			if l.Len() > 0 {
				t.Errorf("diagnostics: %v", l.Items())
			}
		})
	}
	// A bad mode in the IDL is reported and skipped.
	var l diag.List
	if got := (ModeRules{Default: Full}).Of(root("SIDEWAYS", ""), &l); got != Full || l.Len() != 1 || !strings.Contains(l.Items()[0].Message, `"SIDEWAYS"`) {
		t.Errorf("bad IDL mode: %s, %v", got, l.Items())
	}
}
