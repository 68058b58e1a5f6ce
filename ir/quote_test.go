package ir

import (
	"strconv"
	"strings"
	"testing"
)

// oldQuote is the rune-by-rune QuoteJSON that AppendQuoteJSON replaced.
func oldQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case '\u2028', '\u2029':
			b.WriteString(`\u`)
			b.WriteString(strconv.FormatInt(int64(r), 16))
		default:
			if r < 0x20 || r == 0x7f {
				b.WriteString(`\u00`)
				b.WriteByte("0123456789abcdef"[r>>4])
				b.WriteByte("0123456789abcdef"[r&0xF])
				continue
			}
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func TestAppendQuoteJSON_MatchesRuneByRune(t *testing.T) {
	for _, s := range []string{"", "plain", "a\"b\\c", "tab\tnl\n", "\x00\x1f\x7f", "é ü 日本", "\u2028\u2029", "bad\xffutf8", "\ufffd", "mixed \"é\"\x01"} {
		if got, want := QuoteJSON(s), oldQuote(s); got != want {
			t.Errorf("QuoteJSON(%q) = %q, want %q", s, got, want)
		}
	}
}

func FuzzQuoteJSON(f *testing.F) {
	f.Add("a\"b\x00é\xff\u2028")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := QuoteJSON(s), oldQuote(s); got != want {
			t.Errorf("QuoteJSON(%q) = %q, want %q", s, got, want)
		}
	})
}
