package compiler

import (
	"fmt"

	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/internal/goname"
	"github.com/evc-dev/evc/ir"
)

// checkGoNames reports two fields of a record that would become the same
// Go field (user_id and userId are both UserID), at the second one. In an
// .evc file it is an error, which @go_name on either field resolves; an
// .avsc file has no way to say otherwise, so there it is a warning, and the
// Go backend numbers the second field.
func (c *compilation) checkGoNames() {
	for _, u := range c.order {
		if u.file == nil || u.imported || u.reused {
			continue
		}
		if u.avsc {
			c.checkFileGoNames(u)
			continue
		}
		// An .evc file's findings depend on it alone, and are kept with it.
		done := c.into(u)
		c.checkFileGoNames(u)
		done()
	}
}

func (c *compilation) checkFileGoNames(u *unit) {
	for _, n := range u.file.Types {
		if n.Kind == ir.Enum && !c.repeats[n] {
			c.checkSymbolGoNames(n)
			continue
		}
		if n.Kind != ir.Record || c.repeats[n] {
			continue
		}
		seen := make(map[string]*ir.Field, len(n.Fields))
		for _, f := range n.Fields {
			g := goname.Override(f.GoName, f.Name)
			prev := seen[g]
			if prev == nil {
				seen[g] = f
				continue
			}
			if prev.Name == f.Name {
				continue // reported as a duplicate field
			}
			d := diag.Diagnostic{
				Span:     f.NameSpan,
				Message:  fmt.Sprintf("fields %q and %q of record %q would both be the Go field %s", prev.Name, f.Name, n.Name, g),
				Related:  []diag.Related{{Span: prev.NameSpan, Message: "the other field"}},
				Severity: diag.Error,
				Help:     fmt.Sprintf("give one of them another Go name: @go_name(%q)", g+"2"),
			}
			if u.avsc {
				d.Severity = diag.Warning
				d.Help = fmt.Sprintf("the Go field of %q is %s2", f.Name, g)
			}
			c.res.Diags.Add(d)
		}
	}
}

// checkSymbolGoNames warns about two symbols of an enum that would become
// the same Go constant (dark_blue and darkBlue are both ColorDarkBlue): the
// Go backend numbers the second, which a reader of the Go code would not
// guess. A warning, not an error: renaming a symbol is a compatibility
// break, and the generated code still works.
func (c *compilation) checkSymbolGoNames(n *ir.Named) {
	seen := make(map[string]*ir.Symbol, len(n.Symbols))
	for _, s := range n.Symbols {
		g := goname.Override("", s.Name)
		prev := seen[g]
		if prev == nil {
			seen[g] = s
			continue
		}
		if prev.Name == s.Name {
			continue // reported as a duplicate symbol
		}
		c.res.Diags.Add(diag.Diagnostic{
			Span:     s.Span,
			Message:  fmt.Sprintf("symbols %q and %q of enum %q would both be the Go constant %s%s", prev.Name, s.Name, n.Name, goname.Override(n.GoName, n.Name), g),
			Related:  []diag.Related{{Span: prev.Span, Message: "the other symbol"}},
			Severity: diag.Warning,
			Help:     fmt.Sprintf("the Go constant of %q is %s%s2", s.Name, goname.Override(n.GoName, n.Name), g),
		})
	}
}
