package diag

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Severity says how bad a diagnostic is.
type Severity int

// The severities, from worst to mildest.
const (
	Error Severity = iota
	Warning
	Note
)

// String returns the lower-case name of s, as rendered in text output.
func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	default:
		return "note"
	}
}

// Diagnostic is one positioned message.
type Diagnostic struct {
	Severity Severity
	Span     Span
	// Rule is a stable identifier for the kind of problem, such as
	// FIELD_NO_DEFAULT; empty for plain compiler errors.
	Rule string
	// Message is lower case, with no final period, and quotes names.
	Message string
	// Help, when set, says how to fix the problem.
	Help string
	// Related points at another place that explains this one, such as the
	// first definition of a duplicate name.
	Related []Related
}

// Related is a secondary position attached to a diagnostic.
type Related struct {
	Span    Span
	Message string
}

// Error renders d on one line, as path:line:col: message.
func (d Diagnostic) Error() string {
	var b strings.Builder
	if d.Span.Start.File != "" || d.Span.Start.IsValid() {
		b.WriteString(d.Span.Start.String())
		b.WriteString(": ")
	}
	if d.Severity != Error {
		b.WriteString(d.Severity.String())
		b.WriteString(": ")
	}
	b.WriteString(d.Message)
	return b.String()
}

// List collects diagnostics. The zero List is ready to use. A List is not
// safe for concurrent use; give each goroutine its own and Merge them.
type List struct {
	items []Diagnostic
}

// Add appends d.
func (l *List) Add(d Diagnostic) { l.items = append(l.items, d) }

// Errorf adds an error at span.
func (l *List) Errorf(span Span, format string, args ...any) *Diagnostic {
	l.items = append(l.items, Diagnostic{Severity: Error, Span: span, Message: fmt.Sprintf(format, args...)})
	return &l.items[len(l.items)-1]
}

// Warnf adds a warning at span.
func (l *List) Warnf(span Span, format string, args ...any) *Diagnostic {
	l.items = append(l.items, Diagnostic{Severity: Warning, Span: span, Message: fmt.Sprintf(format, args...)})
	return &l.items[len(l.items)-1]
}

// Merge appends every diagnostic of other.
func (l *List) Merge(other *List) {
	if other != nil {
		l.items = append(l.items, other.items...)
	}
}

// Len returns the number of diagnostics.
func (l *List) Len() int { return len(l.items) }

// Items returns the diagnostics in the order they are held.
func (l *List) Items() []Diagnostic { return l.items }

// HasErrors reports whether any diagnostic is an error.
func (l *List) HasErrors() bool {
	for _, d := range l.items {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// Sort orders the diagnostics by position, then by message, and drops exact
// duplicates. Diagnostics that tie on both are ordered by the rest of what
// they hold, so the order never depends on the order they were found in
// (an incremental compile finds them in another order than a full one).
func (l *List) Sort() {
	sort.SliceStable(l.items, func(i, j int) bool { return less(&l.items[i], &l.items[j]) })
	out := l.items[:0]
	for i, d := range l.items {
		if i > 0 && sameDiag(d, l.items[i-1]) {
			continue
		}
		out = append(out, d)
	}
	l.items = out
}

func less(a, b *Diagnostic) bool {
	switch {
	case a.Span.Start != b.Span.Start:
		return a.Span.Start.Before(b.Span.Start)
	case a.Message != b.Message:
		return a.Message < b.Message
	case a.Severity != b.Severity:
		return a.Severity < b.Severity
	case a.Rule != b.Rule:
		return a.Rule < b.Rule
	case a.Span.End != b.Span.End:
		return a.Span.End.Before(b.Span.End)
	case a.Help != b.Help:
		return a.Help < b.Help
	case len(a.Related) != len(b.Related):
		return len(a.Related) < len(b.Related)
	}
	for i, r := range a.Related {
		if q := b.Related[i]; r != q {
			if r.Span.Start != q.Span.Start {
				return r.Span.Start.Before(q.Span.Start)
			}
			return r.Message < q.Message
		}
	}
	return false
}

func sameDiag(a, b Diagnostic) bool {
	return a.Span == b.Span && a.Message == b.Message && a.Severity == b.Severity && a.Rule == b.Rule
}

// Err returns nil when the list holds no errors, and otherwise an error
// whose text is every diagnostic on its own line. The error unwraps to
// *ListError, which gives access to the diagnostics.
func (l *List) Err() error {
	if !l.HasErrors() {
		return nil
	}
	return &ListError{Diagnostics: append([]Diagnostic(nil), l.items...)}
}

// ListError is the error that List.Err returns.
type ListError struct {
	Diagnostics []Diagnostic
}

// Error renders one diagnostic a line.
func (e *ListError) Error() string {
	lines := make([]string, len(e.Diagnostics))
	for i, d := range e.Diagnostics {
		lines[i] = d.Error()
	}
	return strings.Join(lines, "\n")
}

// AsList extracts the diagnostics of err when it is, or wraps, a *ListError.
func AsList(err error) ([]Diagnostic, bool) {
	var le *ListError
	if errors.As(err, &le) {
		return le.Diagnostics, true
	}
	return nil, false
}
