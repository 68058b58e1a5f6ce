package golang

import (
	"strconv"

	"github.com/evc-dev/evc/ir"
)

// A scalar is how generated code carries a wire type that has no generated
// Go type of its own: a primitive, possibly with a logical type, or a decimal
// on a fixed. The table below is the one place that decides, per (Kind,
// Logical), the Go type and the avrobin calls that append, read and skip a
// value; the encoder, the decoder and the type mapper all read it.
type scalar struct {
	goType GoIdent // ImportPath is empty for a predeclared type
	// pointer is set when the Go type is *goType (a decimal's *big.Rat),
	// whose nil stands for null in T?.
	pointer bool
	// appendFn is the avrobin function that appends a value:
	// dst = appendFn(dst, v[, params]), or when fails is set
	// dst, err = appendFn(dst, v[, params]).
	appendFn string
	fails    bool
	// read and skip are the avrobin.Reader methods that read a value and
	// skip one: v, err = r.read([params]); err = r.skip([params]).
	read, skip string
	// params are the type's parameters that the calls take after the value:
	// a decimal's scale, and a fixed's size.
	params func(t *ir.Type) []string
	// appendParams, when set, are the append call's parameters instead of
	// params: a decimal's precision too, which only writing checks.
	appendParams func(t *ir.Type) []string
}

type scalarKey struct {
	kind    ir.Kind
	logical ir.Logical
}

var (
	timeTime  = GoIdent{"time", "Time"}
	timeDur   = GoIdent{"time", "Duration"}
	bigRat    = GoIdent{"math/big", "Rat"}
	uuidIdent = GoIdent{avrobinPath, "UUID"}
)

func decimalScale(t *ir.Type) []string { return []string{strconv.Itoa(t.Scale)} }

func fixedDecimal(t *ir.Type) []string {
	return []string{strconv.Itoa(t.Named.Scale), strconv.Itoa(t.Named.Size)}
}

func decimalPrecisionScale(t *ir.Type) []string {
	return []string{strconv.Itoa(t.Precision), strconv.Itoa(t.Scale)}
}

func fixedDecimalPrecision(t *ir.Type) []string {
	return []string{strconv.Itoa(t.Named.Precision), strconv.Itoa(t.Named.Scale), strconv.Itoa(t.Named.Size)}
}

var scalars = map[scalarKey]scalar{
	{ir.Boolean, ir.NoLogical}:         {goType: GoIdent{Name: "bool"}, appendFn: "AppendBool", read: "ReadBool", skip: "SkipBool"},
	{ir.Int, ir.NoLogical}:             {goType: GoIdent{Name: "int32"}, appendFn: "AppendInt", read: "ReadInt", skip: "SkipLong"},
	{ir.Int, ir.Date}:                  {goType: timeTime, appendFn: "AppendDate", fails: true, read: "ReadDate", skip: "SkipLong"},
	{ir.Int, ir.TimeMillis}:            {goType: timeDur, appendFn: "AppendTimeMillis", fails: true, read: "ReadTimeMillis", skip: "SkipLong"},
	{ir.Long, ir.NoLogical}:            {goType: GoIdent{Name: "int64"}, appendFn: "AppendLong", read: "ReadLong", skip: "SkipLong"},
	{ir.Long, ir.TimeMicros}:           {goType: timeDur, appendFn: "AppendTimeMicros", read: "ReadTimeMicros", skip: "SkipLong"},
	{ir.Long, ir.TimestampMillis}:      {goType: timeTime, appendFn: "AppendTimestampMillis", read: "ReadTimestampMillis", skip: "SkipLong"},
	{ir.Long, ir.TimestampMicros}:      {goType: timeTime, appendFn: "AppendTimestampMicros", read: "ReadTimestampMicros", skip: "SkipLong"},
	{ir.Long, ir.LocalTimestampMillis}: {goType: timeTime, appendFn: "AppendLocalTimestampMillis", read: "ReadTimestampMillis", skip: "SkipLong"},
	{ir.Long, ir.LocalTimestampMicros}: {goType: timeTime, appendFn: "AppendLocalTimestampMicros", read: "ReadTimestampMicros", skip: "SkipLong"},
	{ir.Float, ir.NoLogical}:           {goType: GoIdent{Name: "float32"}, appendFn: "AppendFloat", read: "ReadFloat", skip: "SkipFloat"},
	{ir.Double, ir.NoLogical}:          {goType: GoIdent{Name: "float64"}, appendFn: "AppendDouble", read: "ReadDouble", skip: "SkipDouble"},
	{ir.Bytes, ir.NoLogical}:           {goType: GoIdent{Name: "[]byte"}, appendFn: "AppendBytes", read: "ReadBytes", skip: "SkipBytes"},
	{ir.Bytes, ir.Decimal}:             {goType: bigRat, pointer: true, appendFn: "AppendDecimal", fails: true, read: "ReadDecimal", skip: "SkipBytes", params: decimalScale, appendParams: decimalPrecisionScale},
	{ir.String, ir.NoLogical}:          {goType: GoIdent{Name: "string"}, appendFn: "AppendString", fails: true, read: "ReadString", skip: "SkipBytes"},
	{ir.String, ir.UUID}:               {goType: uuidIdent, appendFn: "AppendUUID", read: "ReadUUID", skip: "SkipBytes"},
	{ir.Fixed, ir.Decimal}:             {goType: bigRat, pointer: true, appendFn: "AppendDecimalFixed", fails: true, read: "ReadDecimalFixed", skip: "SkipFixed", params: fixedDecimal, appendParams: fixedDecimalPrecision},
}

// scalarOf returns the table row of t, or false when t has a Go type of its
// own (a record, enum, fixed, array, map or union) or is null.
func scalarOf(t *ir.Type) (scalar, bool) {
	if t.Kind == ir.Fixed {
		if t.Named == nil || t.Named.Logical != ir.Decimal {
			return scalar{}, false
		}
		return scalars[scalarKey{ir.Fixed, ir.Decimal}], true
	}
	if s, ok := scalars[scalarKey{t.Kind, t.Logical}]; ok {
		return s, true
	}
	// A logical type the backend does not map (such as a future one) is
	// carried as its underlying type.
	s, ok := scalars[scalarKey{t.Kind, ir.NoLogical}]
	return s, ok
}

// args returns the parameters of t that s's read call takes, each
// preceded by ", ".
func (s scalar) args(t *ir.Type) string { return join(s.params, t) }

// appendArgs is args for s's append call.
func (s scalar) appendArgs(t *ir.Type) string {
	if s.appendParams != nil {
		return join(s.appendParams, t)
	}
	return join(s.params, t)
}

func join(params func(*ir.Type) []string, t *ir.Type) string {
	if params == nil {
		return ""
	}
	out := ""
	for _, p := range params(t) {
		out += ", " + p
	}
	return out
}
