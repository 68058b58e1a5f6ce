// Package redact keeps credentials out of what evc prints about a Schema
// Registry: its URLs, the errors of HTTP clients (which quote request URLs,
// query strings included), and the text a registry answers with, which a
// proxy may fill with the request's own headers. runtime/serde and evc
// compat's registry source use it.
package redact

import (
	"encoding/base64"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/evc-dev/evc/internal/lazyregexp"
)

// Mask replaces whatever is redacted.
const Mask = "REDACTED"

// MaxMessage is how much of a registry's error text Message keeps.
const MaxMessage = 512

// Secrets is a set of strings that must never be printed. The zero value is
// an empty set, ready to use; a nil *Secrets redacts only what looks like a
// credential.
type Secrets struct{ list []string }

// Add adds secrets; empty strings are ignored.
func (s *Secrets) Add(secrets ...string) {
	for _, v := range secrets {
		if v != "" {
			s.list = append(s.list, v)
		}
	}
}

// AddBasic adds a basic-auth password, and the base64 form of the
// user:password pair an Authorization header carries.
func (s *Secrets) AddBasic(user, pass string) {
	if pass == "" && user == "" {
		return
	}
	s.Add(pass, base64.StdEncoding.EncodeToString([]byte(user+":"+pass)))
}

// AddURL adds the secrets of a URL: the password of its user information
// (and the base64 pair) and every value of its query string, in both their
// raw and decoded forms.
func (s *Secrets) AddURL(raw string) {
	u, err := url.Parse(raw)
	if err != nil {
		return
	}
	if u.User != nil {
		p, _ := u.User.Password()
		s.AddBasic(u.User.Username(), p)
	}
	for _, vs := range u.Query() {
		for _, v := range vs {
			s.Add(v, url.QueryEscape(v))
		}
	}
}

// credential matches what looks like a credential in free text: an
// Authorization header's value, a basic or bearer token, a token, password
// or key parameter.
var credential = lazyregexp.New(`(?i)(\b(?:proxy-)?authorization\b["']?\s*[:=]\s*["']?(?:(?:basic|bearer|digest|negotiate)\s+)?|\b(?:basic|bearer)\s+|[?&;\s"'{,](?:access_token|token|api_?key|password|passwd|secret)["']?\s*[:=]\s*["']?)[^\s"'&,;}]+`)

func (s *Secrets) longest() int {
	n := 0
	if s != nil {
		for _, v := range s.list {
			n = max(n, len(v))
		}
	}
	return n
}

// String returns s with every secret, and anything that looks like a
// credential, replaced by Mask.
func (s *Secrets) String(str string) string {
	if s != nil {
		for _, v := range s.list {
			str = strings.ReplaceAll(str, v, Mask)
		}
	}
	return credential().ReplaceAllString(str, "${1}"+Mask)
}

// Message returns text a registry or a proxy answered with, fit to print:
// secrets and credential-like strings replaced (String), control
// characters quoted, so that it cannot forge log lines, and at most
// MaxMessage bytes, with the length of what was cut.
func (s *Secrets) Message(text string) string {
	cut := 0
	// Redact no more than can be shown, and enough beyond it that a secret
	// across the cut is still found whole.
	if keep := 2*MaxMessage + s.longest(); len(text) > keep {
		cut = len(text) - keep
		text = text[:keep]
	}
	text = s.String(text)
	if len(text) > MaxMessage {
		cut += len(text) - MaxMessage
		text = text[:MaxMessage]
		for !utf8.ValidString(text) && len(text) > 0 {
			text = text[:len(text)-1]
			cut++
		}
	}
	var b strings.Builder
	for _, r := range text {
		if unicode.IsControl(r) || r == utf8.RuneError {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	if cut > 0 {
		b.WriteString("… (" + strconv.Itoa(cut) + " more bytes)")
	}
	return b.String()
}

// URL returns raw fit to print: without user information or fragment, and
// with every query value replaced by Mask. A URL that does not parse is
// replaced whole.
func URL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(a URL that does not parse)"
	}
	u.User = nil
	u.Fragment, u.RawFragment = "", ""
	if u.RawQuery != "" {
		q := u.Query()
		for k, vs := range q {
			for i := range vs {
				vs[i] = Mask
			}
			q[k] = vs
		}
		u.RawQuery = q.Encode()
	}
	return u.String()
}
