package diag

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Sources gives the text of source files, so that rendering can show the
// offending line. A nil Sources renders without source lines.
type Sources map[string][]byte

// Line returns line n (from 1) of file, without its line ending.
func (s Sources) Line(file string, n int) (string, bool) {
	src, ok := s[file]
	if !ok || n < 1 {
		return "", false
	}
	for i := 1; i < n; i++ {
		j := bytes.IndexByte(src, '\n')
		if j < 0 {
			return "", false
		}
		src = src[j+1:]
	}
	if j := bytes.IndexByte(src, '\n'); j >= 0 {
		src = src[:j]
	}
	return strings.TrimSuffix(string(src), "\r"), true
}

// WriteText writes every diagnostic as a compiler would: the one-line form,
// then the source line with a caret under the column (and tildes to the end
// of a span on the same line), then a help line when there is one.
func WriteText(w io.Writer, ds []Diagnostic, src Sources) error {
	var b strings.Builder
	lines := lineIndex{src: src, starts: map[string][]int{}}
	for _, d := range ds {
		b.WriteString(d.Error())
		b.WriteByte('\n')
		writeSnippet(&b, d.Span, &lines)
		for _, r := range d.Related {
			fmt.Fprintf(&b, "  %s: note: %s\n", r.Span.Start, r.Message)
		}
		if d.Help != "" {
			b.WriteString("  help: ")
			b.WriteString(d.Help)
			b.WriteByte('\n')
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// lineIndex finds source lines by number without rescanning the file for
// every diagnostic.
type lineIndex struct {
	src    Sources
	starts map[string][]int
}

func (x *lineIndex) line(file string, n int) (string, bool) {
	text, ok := x.src[file]
	if !ok || n < 1 {
		return "", false
	}
	starts, ok := x.starts[file]
	if !ok {
		starts = []int{0}
		for i, c := range text {
			if c == '\n' {
				starts = append(starts, i+1)
			}
		}
		x.starts[file] = starts
	}
	if n > len(starts) {
		return "", false
	}
	end := len(text)
	if n < len(starts) {
		end = starts[n] - 1
	}
	return strings.TrimSuffix(string(text[starts[n-1]:end]), "\r"), true
}

// snippetWidth is how many characters of a long source line a snippet
// shows, around the caret.
const snippetWidth = 160

func writeSnippet(b *strings.Builder, sp Span, lines *lineIndex) {
	p := sp.Start
	if !p.IsValid() {
		return
	}
	line, ok := lines.line(p.File, p.Line)
	if !ok {
		return
	}
	runes := []rune(strings.ReplaceAll(line, "\t", " "))
	col := p.Col
	if col < 1 {
		col = 1
	}
	width := 1
	if sp.End.IsValid() && sp.End.Line == p.Line && sp.End.Col > col {
		width = sp.End.Col - col
	}
	if col-1+width > len(runes)+1 {
		width = 1
	}
	// A long line shows a window around the caret, marked with "...".
	prefix, suffix := "", ""
	if len(runes) > snippetWidth {
		// Centre the caret, but keep the window inside the line.
		from := max(0, min(col-1-snippetWidth/2, len(runes)-snippetWidth))
		to := min(len(runes), from+snippetWidth)
		if from > 0 {
			prefix = "..."
		}
		if to < len(runes) {
			suffix = "..."
		}
		runes = runes[from:to]
		col = col - from + len(prefix)
		width = max(1, min(width, len(runes)+len(prefix)-col+1))
	}
	gutter := fmt.Sprintf("%d", p.Line)
	pad := strings.Repeat(" ", len(gutter))
	fmt.Fprintf(b, " %s |\n", pad)
	fmt.Fprintf(b, " %s | %s%s%s\n", gutter, prefix, string(runes), suffix)
	fmt.Fprintf(b, " %s | %s^%s\n", pad, strings.Repeat(" ", col-1), strings.Repeat("~", width-1))
}

// jsonDiagnostic is the JSON shape of one diagnostic.
type jsonDiagnostic struct {
	Severity  string `json:"severity"`
	File      string `json:"file,omitempty"`
	Line      int    `json:"line,omitempty"`
	Column    int    `json:"column,omitempty"`
	EndLine   int    `json:"end_line,omitempty"`
	EndColumn int    `json:"end_column,omitempty"`
	Rule      string `json:"rule,omitempty"`
	Message   string `json:"message"`
	Help      string `json:"help,omitempty"`
}

// WriteJSON writes the diagnostics as a JSON array, one object each.
func WriteJSON(w io.Writer, ds []Diagnostic) error {
	out := make([]jsonDiagnostic, 0, len(ds))
	for _, d := range ds {
		out = append(out, jsonDiagnostic{
			Severity:  d.Severity.String(),
			File:      d.Span.Start.File,
			Line:      d.Span.Start.Line,
			Column:    d.Span.Start.Col,
			EndLine:   d.Span.End.Line,
			EndColumn: d.Span.End.Col,
			Rule:      d.Rule,
			Message:   d.Message,
			Help:      d.Help,
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// WriteGitHub writes GitHub Actions workflow commands, one a diagnostic:
// ::error file=F,line=L,col=C,title=RULE::message.
func WriteGitHub(w io.Writer, ds []Diagnostic) error {
	var b strings.Builder
	for _, d := range ds {
		kind := "error"
		switch d.Severity {
		case Warning:
			kind = "warning"
		case Note:
			kind = "notice"
		}
		var props []string
		if f := d.Span.Start.File; f != "" {
			props = append(props, "file="+ghProp(f))
		}
		if d.Span.Start.IsValid() {
			props = append(props, fmt.Sprintf("line=%d", d.Span.Start.Line), fmt.Sprintf("col=%d", d.Span.Start.Col))
			if d.Span.End.IsValid() {
				props = append(props, fmt.Sprintf("endLine=%d", d.Span.End.Line), fmt.Sprintf("endColumn=%d", d.Span.End.Col))
			}
		}
		if d.Rule != "" {
			props = append(props, "title="+ghProp(d.Rule))
		}
		msg := d.Message
		if d.Help != "" {
			msg += "\nhelp: " + d.Help
		}
		b.WriteString("::")
		b.WriteString(kind)
		if len(props) > 0 {
			b.WriteByte(' ')
			b.WriteString(strings.Join(props, ","))
		}
		b.WriteString("::")
		b.WriteString(ghData(msg))
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// ghData escapes a workflow command's message.
func ghData(s string) string {
	s = strings.ReplaceAll(s, "%", "%25")
	s = strings.ReplaceAll(s, "\r", "%0D")
	return strings.ReplaceAll(s, "\n", "%0A")
}

// ghProp escapes a workflow command's property value.
func ghProp(s string) string {
	s = ghData(s)
	s = strings.ReplaceAll(s, ":", "%3A")
	return strings.ReplaceAll(s, ",", "%2C")
}
