package golang

import (
	"go/token"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/evc-dev/evc/ir"
)

// initialisms are the words written in upper case in Go identifiers.
var initialisms = map[string]bool{
	"id": true, "url": true, "uuid": true, "http": true, "https": true,
	"api": true, "json": true, "xml": true, "html": true, "uri": true,
	"ip": true, "sql": true, "tcp": true, "udp": true, "ttl": true,
}

// initialismList is initialisms in a fixed order, longest first.
var initialismList = []string{"https", "html", "http", "json", "uuid", "api", "sql", "tcp", "ttl", "udp", "uri", "url", "xml", "id", "ip"}

// predeclared are Go's predeclared identifiers, which a generated name must
// not shadow.
var predeclared = map[string]bool{
	"any": true, "bool": true, "byte": true, "comparable": true, "complex64": true,
	"complex128": true, "error": true, "float32": true, "float64": true, "int": true,
	"int8": true, "int16": true, "int32": true, "int64": true, "rune": true,
	"string": true, "uint": true, "uint8": true, "uint16": true, "uint32": true,
	"uint64": true, "uintptr": true, "true": true, "false": true, "iota": true,
	"nil": true, "append": true, "cap": true, "clear": true, "close": true,
	"complex": true, "copy": true, "delete": true, "imag": true, "len": true,
	"make": true, "max": true, "min": true, "new": true, "panic": true,
	"print": true, "println": true, "real": true, "recover": true,
}

// GoName turns an Avro name (or a symbol, or a dotted or dashed name) into an
// exported Go identifier: camel case on "_", "." and "-", with initialisms
// in upper case ("channel_id" is ChannelID, "user-url" UserURL), and "X"
// before a name that would not start with a letter.
func GoName(s string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(s, func(r rune) bool {
		return r == '_' || r == '.' || r == '-' || !(unicode.IsLetter(r) || unicode.IsDigit(r))
	}) {
		if initialisms[strings.ToLower(part)] {
			b.WriteString(strings.ToUpper(part))
			continue
		}
		// An initialism at the end of a camel-case part: userId -> UserID.
		r, n := utf8.DecodeRuneInString(part)
		part = string(unicode.ToUpper(r)) + part[n:]
		for _, w := range initialismList {
			if len(part) > len(w) && strings.HasSuffix(part, strings.ToUpper(w[:1])+w[1:]) {
				if c, _ := utf8.DecodeLastRuneInString(part[:len(part)-len(w)]); unicode.IsLower(c) || unicode.IsDigit(c) {
					part = part[:len(part)-len(w)] + strings.ToUpper(w)
					break
				}
			}
		}
		b.WriteString(part)
	}
	name := b.String()
	if r, _ := utf8.DecodeRuneInString(name); name == "" || !unicode.IsLetter(r) {
		name = "X" + name
	}
	return name
}

// typeName returns the Go name of a named type: its GoName (from @go_name,
// or the evc identifier when @name gives another Avro name), else its Avro
// name, as an exported identifier in either case, since other packages may
// use it.
func typeName(n *ir.Named) string {
	if n.GoName == "" {
		return GoName(n.Name)
	}
	if token.IsIdentifier(n.GoName) && token.IsExported(n.GoName) {
		return n.GoName
	}
	return GoName(n.GoName)
}

// safeLocal makes s usable as an unexported identifier or package name: a
// keyword or predeclared name gets a "_" suffix.
func safeLocal(s string) string {
	if token.IsKeyword(s) || predeclared[s] {
		return s + "_"
	}
	return s
}

// packageName returns the Go package name for an import path: its last
// element, lower case, letters and digits only; a version element such as
// "v1" is joined to the element before it ("created/v1" is createdv1).
func packageName(path string) string {
	elems := strings.Split(path, "/")
	last := clean(elems[len(elems)-1])
	if isVersion(last) && len(elems) > 1 {
		last = clean(elems[len(elems)-2]) + last
	}
	if last == "" {
		last = "pkg"
	}
	if r, _ := utf8.DecodeRuneInString(last); !unicode.IsLetter(r) {
		last = "p" + last
	}
	return safeLocal(last)
}

func clean(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isVersion(s string) bool {
	if len(s) < 2 || s[0] != 'v' {
		return false
	}
	_, err := strconv.Atoi(s[1:])
	return err == nil
}

// scope hands out identifiers that are unique within it: the second claim
// of a name gets "2", the third "3", in the order of the claims, which the
// generator keeps deterministic.
type scope struct {
	used map[string]bool
}

func newScope(reserved ...string) *scope {
	s := &scope{used: map[string]bool{}}
	for _, r := range reserved {
		s.used[r] = true
	}
	return s
}

func (s *scope) claim(want string) string {
	name := want
	for i := 2; s.used[name]; i++ {
		name = want + strconv.Itoa(i)
	}
	s.used[name] = true
	return name
}
