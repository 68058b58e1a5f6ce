// Package goname is the one rule that turns an Avro name into a Go
// identifier. The Go backend names types, fields and constants with it, and
// the compiler uses it to report, at the schema's line, two names that
// would become the same Go name.
package goname

import (
	"go/token"
	"strings"
	"unicode"
	"unicode/utf8"
)

// initialisms are the words Go writes in upper case.
var initialisms = map[string]bool{
	"id": true, "url": true, "uuid": true, "http": true, "https": true,
	"api": true, "json": true, "xml": true, "html": true, "uri": true,
	"ip": true, "sql": true, "tcp": true, "udp": true, "ttl": true,
}

// Of turns an Avro name (or an enum symbol, or a dotted or dashed name) into
// an exported Go identifier. The name is cut into words at "_", ".", "-"
// (any character that is not a letter or digit) and where a lower-case
// letter or digit meets an upper-case one (userId is user, Id); each word is
// written with a capital, except an initialism, written in upper case (ID,
// URL, UUID, HTTP, API, ...), also in the plural (IDs, URLs). "X" comes
// before a name that would not start with a letter. So order_id is OrderID,
// tracking_ids TrackingIDs, userIdList UserIDList, HTTPServer stays.
func Of(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 1)
	for _, part := range strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		start := 0
		var prev rune
		for i, r := range part {
			if i > 0 && unicode.IsUpper(r) && (unicode.IsLower(prev) || unicode.IsDigit(prev)) {
				writeWord(&b, part[start:i])
				start = i
			}
			prev = r
		}
		writeWord(&b, part[start:])
	}
	name := b.String()
	if r, _ := utf8.DecodeRuneInString(name); name == "" || !unicode.IsLetter(r) {
		name = "X" + name
	}
	return name
}

// Override returns the Go name of something named name in Avro that
// @go_name may name otherwise: goName as written when it is an exported Go
// identifier, else Of(goName), else Of(name).
func Override(goName, name string) string {
	switch {
	case goName == "":
		return Of(name)
	case token.IsIdentifier(goName) && token.IsExported(goName):
		return goName
	}
	return Of(goName)
}

func writeWord(b *strings.Builder, w string) {
	lw := strings.ToLower(w)
	switch {
	case initialisms[lw]:
		b.WriteString(strings.ToUpper(w))
	case len(lw) > 2 && lw[len(lw)-1] == 's' && initialisms[lw[:len(lw)-1]]:
		b.WriteString(strings.ToUpper(w[:len(w)-1]))
		b.WriteByte('s')
	default:
		r, n := utf8.DecodeRuneInString(w)
		b.WriteRune(unicode.ToUpper(r))
		b.WriteString(w[n:])
	}
}
