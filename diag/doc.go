// Package diag holds source positions and the diagnostics that every phase of
// evc reports: a Diagnostic carries a severity, a rule id, a message, an
// optional help line and the span it points at; a List collects them, sorts
// them by position and renders them as text (with the source line and a
// caret), JSON, or GitHub Actions annotations.
//
// It depends on the standard library only, so that every other package,
// including backends and the runtime's tests, can report through it.
package diag
