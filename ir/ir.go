package ir

import (
	"math"
	"math/big"
	"sort"
	"strings"

	"github.com/evc-dev/evc/diag"
)

// Kind is an Avro type kind.
type Kind uint8

// The Avro type kinds. Record, Enum and Fixed are named kinds.
const (
	Invalid Kind = iota
	Null
	Boolean
	Int
	Long
	Float
	Double
	Bytes
	String
	Record
	Enum
	Fixed
	Array
	Map
	Union
)

var kindNames = [...]string{
	Invalid: "invalid", Null: "null", Boolean: "boolean", Int: "int", Long: "long",
	Float: "float", Double: "double", Bytes: "bytes", String: "string",
	Record: "record", Enum: "enum", Fixed: "fixed", Array: "array", Map: "map", Union: "union",
}

// String returns the Avro name of k ("long", "record", ...).
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "invalid"
}

// IsPrimitive reports whether k is one of Avro's eight primitive kinds.
func (k Kind) IsPrimitive() bool { return k >= Null && k <= String }

// IsNamed reports whether k is a named kind: record, enum or fixed.
func (k Kind) IsNamed() bool { return k == Record || k == Enum || k == Fixed }

// PrimitiveKind returns the kind whose Avro name is s, if s names a primitive.
func PrimitiveKind(s string) (Kind, bool) {
	for k := Null; k <= String; k++ {
		if kindNames[k] == s {
			return k, true
		}
	}
	return Invalid, false
}

// Logical is an Avro logical type.
type Logical uint8

// The logical types of the Avro specification.
const (
	NoLogical Logical = iota
	Date
	TimeMillis
	TimeMicros
	TimestampMillis
	TimestampMicros
	LocalTimestampMillis
	LocalTimestampMicros
	UUID
	Decimal
	Duration
)

var logicalNames = [...]string{
	NoLogical: "", Date: "date", TimeMillis: "time-millis", TimeMicros: "time-micros",
	TimestampMillis: "timestamp-millis", TimestampMicros: "timestamp-micros",
	LocalTimestampMillis: "local-timestamp-millis", LocalTimestampMicros: "local-timestamp-micros",
	UUID: "uuid", Decimal: "decimal", Duration: "duration",
}

// String returns the Avro name of l ("timestamp-millis"), or "" for none.
func (l Logical) String() string {
	if int(l) < len(logicalNames) {
		return logicalNames[l]
	}
	return ""
}

// ParseLogical returns the logical type named s, if there is one.
func ParseLogical(s string) (Logical, bool) {
	for l := Date; int(l) < len(logicalNames); l++ {
		if logicalNames[l] == s {
			return l, true
		}
	}
	return NoLogical, false
}

// Underlying returns the kind an Avro logical type annotates; for decimal,
// which may annotate bytes or fixed, it returns Bytes, and for duration Fixed.
func (l Logical) Underlying() Kind {
	switch l {
	case Date, TimeMillis:
		return Int
	case TimeMicros, TimestampMillis, TimestampMicros, LocalTimestampMillis, LocalTimestampMicros:
		return Long
	case UUID:
		return String
	case Decimal:
		return Bytes
	case Duration:
		return Fixed
	}
	return Invalid
}

// Type is one use of a type: a field's type, an array's items, a union
// branch. Named types are not copied: a use of a record, enum or fixed
// points at its one definition through Named.
type Type struct {
	Kind Kind
	// Logical is the logical type on a primitive. For a fixed, the logical
	// type lives on the definition (Named.Logical).
	Logical Logical
	// Precision and Scale are the parameters of a decimal on bytes.
	Precision, Scale int
	// NoScale is set for a decimal written without a scale (which means 0),
	// so that the .avsc written back has none either.
	NoScale bool
	// Named is the definition of a record, enum or fixed.
	Named *Named
	// Items is an array's item type.
	Items *Type
	// Values is a map's value type.
	Values *Type
	// Branches are a union's member types, in order.
	Branches []*Type
	// Custom, when set, says this use is of a custom domain type: on the wire
	// it is the primitive described by Kind and Logical; in generated code it
	// is the user's own type.
	Custom *Custom
	// Optional is true for a union written with the T? shorthand: a union of
	// null and T, in that order.
	Optional bool
	// Props are custom attributes on a primitive, array, map or union, in the
	// order they were written.
	Props []Prop
	// Span is where the type is written.
	Span diag.Span
}

// Name returns the Avro name of t as an error message would show it:
// "string", "array<int>", "squarebot.message", "union<null, string>".
func (t *Type) Name() string {
	if t == nil {
		return "invalid"
	}
	if t.Custom != nil {
		return t.Custom.FullName()
	}
	switch t.Kind {
	case Record, Enum, Fixed:
		if t.Named != nil {
			return t.Named.FullName()
		}
	case Array:
		return "array<" + t.Items.Name() + ">"
	case Map:
		return "map<" + t.Values.Name() + ">"
	case Union:
		if t.Optional && len(t.Branches) == 2 {
			return t.Branches[1].Name() + "?"
		}
		parts := make([]string, len(t.Branches))
		for i, b := range t.Branches {
			parts[i] = b.Name()
		}
		return "union<" + strings.Join(parts, ", ") + ">"
	}
	if t.Logical == Decimal {
		return "decimal(" + itoa(t.Precision) + ", " + itoa(t.Scale) + ")"
	}
	if t.Logical != NoLogical {
		return t.Logical.String()
	}
	return t.Kind.String()
}

// LogicalType returns the logical type of t, looking through a fixed to its
// definition.
func (t *Type) LogicalType() Logical {
	if t.Kind == Fixed && t.Named != nil {
		return t.Named.Logical
	}
	return t.Logical
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

// Prop is a custom attribute: a JSON key that Avro does not reserve, and its
// value.
type Prop struct {
	Name string
	// Value is the attribute's value as raw JSON text, kept exactly as written
	// (so a long beyond 2^53 survives).
	Value string
	Span  diag.Span
}

// Named is the definition of a record, enum or fixed.
type Named struct {
	Kind      Kind // Record, Enum or Fixed
	Name      string
	Namespace string
	// Aliases are the type's former names, fully qualified.
	Aliases []string
	Doc     string
	// EmptyDoc is set when the schema writes an empty doc ("doc": ""),
	// which then survives a round trip.
	EmptyDoc bool
	// Error is set for a record declared as an Avro error ("type":
	// "error"), a record in every other respect.
	Error bool
	// Deprecated is set when the type is marked deprecated; DeprecatedReason
	// says why, if the author did.
	Deprecated       bool
	DeprecatedReason string
	Props            []Prop

	// Fields are a record's fields, in order.
	Fields []*Field

	// Symbols are an enum's symbols, in order.
	Symbols []*Symbol
	// Default is an enum's default symbol (Avro 1.9+), used by readers for
	// symbols they do not know; HasDefault says whether there is one.
	Default    string
	HasDefault bool

	// Size is a fixed's size in bytes.
	Size int
	// Logical, Precision and Scale are a fixed's logical type (decimal,
	// duration or uuid); NoScale as for Type.
	Logical          Logical
	Precision, Scale int
	NoScale          bool

	// Reserved lists field names (records) or symbols (enums) that earlier
	// versions used and that must not come back.
	Reserved []Reserved

	// Compat is the compatibility mode set for this type in the IDL
	// (such as "FULL"), or "" to inherit the file's.
	Compat string
	// Event is the CloudEvents metadata of a record sent as an event, or nil.
	Event *Event
	// GoName overrides the Go identifier generated for the type, or "".
	GoName string

	// File is the file that declares the type.
	File *File
	// Span covers the declaration; NameSpan the name as written.
	Span, NameSpan diag.Span
}

// FullName returns namespace.name, or name in the null namespace.
func (n *Named) FullName() string { return JoinName(n.Namespace, n.Name) }

// Field returns the record field called name, or nil.
func (n *Named) Field(name string) *Field {
	for _, f := range n.Fields {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// SymbolIndex returns the index of an enum symbol, or -1.
func (n *Named) SymbolIndex(name string) int {
	for i, s := range n.Symbols {
		if s.Name == name {
			return i
		}
	}
	return -1
}

// JoinName joins a namespace and a short name into a full name.
func JoinName(namespace, name string) string {
	if namespace == "" {
		return name
	}
	return namespace + "." + name
}

// SplitName splits a full name into its namespace and short name.
func SplitName(full string) (namespace, name string) {
	if i := strings.LastIndexByte(full, '.'); i >= 0 {
		return full[:i], full[i+1:]
	}
	return "", full
}

// Order is a record field's sort order.
type Order string

// The sort orders. OrderUnset means none was written (Avro's default,
// ascending, applies).
const (
	OrderUnset      Order = ""
	OrderAscending  Order = "ascending"
	OrderDescending Order = "descending"
	OrderIgnore     Order = "ignore"
)

// Field is a record field.
type Field struct {
	Name string
	Doc  string
	// EmptyDoc is as for Named.
	EmptyDoc bool
	Type     *Type
	// Default is the field's default value, or nil when it has none.
	Default *Value
	// Aliases are the field's former names.
	Aliases          []string
	Order            Order
	Deprecated       bool
	DeprecatedReason string
	Props            []Prop
	// GoName is the Go field name @go_name gives, or "" for the one the
	// Avro name makes.
	GoName string
	// Span covers the field; NameSpan the name as written.
	Span, NameSpan diag.Span
}

// Symbol is an enum symbol.
type Symbol struct {
	Name string
	Doc  string
	// Deprecated is set when the symbol is marked @deprecated in evc;
	// DeprecatedReason is the reason given, if any. Avro has no place for
	// it, so it does not reach the .avsc.
	Deprecated       bool
	DeprecatedReason string
	Span             diag.Span
}

// Reserved is a reserved field name or enum symbol.
type Reserved struct {
	Name string
	Span diag.Span
}

// Event is the CloudEvents metadata of an event type.
type Event struct {
	// Type is the CloudEvents type, such as
	// org.openedx.learning.student.registration.completed.v1.
	Type string
	// Source is the CloudEvents source, such as /openedx/lms; may be empty.
	Source string
	Span   diag.Span
}

// Custom is a custom domain type: carried on the wire as Wire, bound in
// generated code to a type of the user's.
type Custom struct {
	Name      string
	Namespace string
	Doc       string
	// Wire is the Avro type on the wire: a primitive, possibly with a
	// logical type.
	Wire *Type
	// GoType is the Go type it binds to, as "import/path.TypeName", or ""
	// when none was declared (generated code then uses the wire type).
	GoType string
	// GoSpan is where GoType is written (the @go annotation), if anywhere.
	GoSpan diag.Span
	File   *File
	Span   diag.Span
}

// FullName returns namespace.name.
func (c *Custom) FullName() string { return JoinName(c.Namespace, c.Name) }

// Topic declares what a Kafka topic carries.
type Topic struct {
	// Name is the Kafka topic name.
	Name string
	Doc  string
	// Key is the key type, or nil when records have no Avro key.
	Key *Type
	// Values are the value types the topic carries; usually one.
	Values []*Type
	File   *File
	Span   diag.Span
}

// File is one source file, .evc or .avsc.
type File struct {
	// Path is the file's path as given to the compiler, with forward slashes.
	Path string
	// Namespace is the file's namespace ("" for an .avsc file).
	Namespace string
	Doc       string
	// GoPackage is the import path the IDL asks Go code to be generated in,
	// or "".
	GoPackage string
	// GoPackageSpan is where the go_package option is written.
	GoPackageSpan diag.Span
	// Compat is the file's default compatibility mode, or "".
	Compat string
	// Types are the named types the file declares, in order (for .avsc, in
	// the order they are defined in the schema).
	Types   []*Named
	Customs []*Custom
	Topics  []*Topic
	// Imports are the paths of the files this one imports, as resolved.
	Imports []string
	// Avsc is true when the file was read from Avro JSON.
	Avsc bool
	// Root is an .avsc file's top-level schema, which need not be named
	// (a union or a primitive is a valid schema); nil for .evc files.
	Root *Type
	// Imported is true when the file was reached only through an import,
	// not named as an input.
	Imported bool
}

// Schema is a compiled set of files: everything a backend or the
// compatibility checker needs.
type Schema struct {
	// Files in a deterministic order: as given, then imports.
	Files []*File
	// Types are all named types, by file then declaration order.
	Types []*Named
	// Customs are all custom domain types.
	Customs []*Custom
	// Topics are all topic declarations.
	Topics []*Topic

	byName map[string]*Named
}

// Index builds the name index that Lookup uses. Call it after changing
// Types; Lookup still works without it, by a linear search.
func (s *Schema) Index() {
	s.byName = make(map[string]*Named, len(s.Types))
	for _, n := range s.Types {
		s.byName[n.FullName()] = n
	}
}

// Lookup returns the named type with the given full name, or nil.
func (s *Schema) Lookup(fullName string) *Named {
	if s.byName != nil {
		return s.byName[fullName]
	}
	for _, n := range s.Types {
		if n.FullName() == fullName {
			return n
		}
	}
	return nil
}

// Namespaces returns the namespaces that declare named types, sorted.
func (s *Schema) Namespaces() []string {
	seen := map[string]bool{}
	var out []string
	for _, n := range s.Types {
		if !seen[n.Namespace] {
			seen[n.Namespace] = true
			out = append(out, n.Namespace)
		}
	}
	sort.Strings(out)
	return out
}

// MaxFixedSize is the largest fixed evc accepts, from .evc and .avsc alike:
// 16 MiB. Every value of a fixed type holds that many bytes (a new message
// allocates them before reading any), and no real schema needs more.
const MaxFixedSize = 1 << 24

// DecimalPrecisionLimit is the largest precision evc accepts for a decimal,
// on bytes or on a fixed. The Avro specification sets no limit for bytes
// (Java accepts any int); evc needs one because a decimal's Go value, a
// *big.Rat, holds 10^scale as its denominator: a value of two bytes on the
// wire with scale 1000 takes ~500 bytes, which is what the decoders' bound
// of 256 bytes per input byte allows. PostgreSQL's numeric has the same
// limit; SQL engines commonly stop at 38.
const DecimalPrecisionLimit = 1000

// MaxDecimalPrecision returns how many decimal digits a decimal on a fixed of
// size bytes can hold, as the Avro specification says:
// floor(log10(2^(8*size-1) - 1)).
func MaxDecimalPrecision(size int) int {
	if size < 1 {
		return 0
	}
	if size > 1024 {
		// log10(2^k - 1) and log10(2^k) have the same floor for such k.
		return int(math.Floor(float64(8*size-1) * math.Log10(2)))
	}
	v := new(big.Int).Lsh(big.NewInt(1), uint(8*size-1))
	v.Sub(v, big.NewInt(1))
	return len(v.String()) - 1
}
