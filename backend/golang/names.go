package golang

import (
	"go/token"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/evc-dev/evc/internal/goname"
	"github.com/evc-dev/evc/ir"
)

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
// exported Go identifier, by goname's rule: camel case on "_", "." and "-",
// initialisms in upper case, also in the plural ("channel_id" is ChannelID,
// "tracking_ids" TrackingIDs), and "X" before a name that would not start
// with a letter.
func GoName(s string) string { return goname.Of(s) }

// typeName returns the Go name of a named type: its GoName (from @go_name,
// or the evc identifier when @name gives another Avro name), else its Avro
// name, as an exported identifier in either case, since other packages may
// use it.
func typeName(n *ir.Named) string { return goname.Override(n.GoName, n.Name) }

// fieldName returns the Go name of a record field: its @go_name, or its
// Avro name, as an exported identifier.
func fieldName(f *ir.Field) string { return goname.Override(f.GoName, f.Name) }

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
