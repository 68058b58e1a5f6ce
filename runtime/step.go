package runtime

import (
	"errors"
	"fmt"

	"github.com/evc-dev/evc/runtime/avrobin"
)

// StepDecoder is implemented by the pointer type of every generated record,
// beside FieldDecoder: it runs runtime/resolve's plan for data written with
// another version of the record's schema in the record's own code, so that
// the record's fields, and the records nested in it, are decoded with direct
// calls, from a Reader on the stack.
type StepDecoder interface {
	FieldDecoder
	// UnmarshalAvroSteps replaces the record with the decoding of data, one
	// message, as steps say.
	UnmarshalAvroSteps(steps []Step, data []byte) error
	// DecodeAvroSteps decodes the record from r as steps say, in order.
	DecodeAvroSteps(steps []Step, r *avrobin.Reader) error
}

// The field indexes of DecodeAvroFields that skip a writer's value instead:
// runtime/resolve puts them in a StepFields run between the record's
// fields, so that a long or a string that the record lacks costs no step.
const (
	SkipLongField          = -1
	SkipBytesField         = -2
	SkipOptionalBytesField = -3 // a union of null and a string or bytes
	SkipBytesArrayField    = -4 // an array of strings or bytes
)

// Follows reports whether fields[at+1] is field i: generated
// DecodeAvroFields then decodes it straight after fields[at], without its
// loop's dispatch, so that a run of fields in the schema's order costs what
// decoding them in DecodeAvro does.
func Follows(fields []int, at, i int) bool { return at+1 < len(fields) && fields[at+1] == i }

// DefaultField - i, in a run of fields, sets field i to its schema default
// without reading r: for the fields that the record's AvroDefaultFields
// lists, so that a field that the writer lacks costs no step either.
const DefaultField = -5

// The codes of a run of fields that the ints after them belong to: code
// - i for field i, then n, the count of those ints, then the n ints.
// Generated DecodeAvroFields takes them for the fields that its record's
// AvroNestedFields lists, so that a changed record or enum held by a
// record of the run is decoded in the run too, at no step of its own. A
// record has fewer fields than 1<<24 - 5, so that DefaultField - i never
// meets them.
const (
	// RecordField - i decodes field i, a record, with the run of fields
	// that its ints are.
	RecordField = -1 << 24
	// NullableRecordField - i decodes field i, a record or null: its ints
	// are k, the count of the writer union's branches (0 when the writer
	// wrote the record as no union), a Branch for each, and the record's
	// run of fields (PresentIn).
	NullableRecordField = -2 << 24
	// EnumField - i sets field i, an enum, to the record's symbol that
	// its ints give for the writer's, by index: -1 for none, where the
	// enum has no default (SymbolIn).
	EnumField = -3 << 24
)

// NestedDecoder is implemented by the pointer type of a generated record
// whose DecodeAvroFields takes the nested codes (RecordField and the
// others) for some of its fields. runtime/resolve puts them in a run only
// for the record's code that lists them: code generated before them takes
// the steps that it knows.
type NestedDecoder interface {
	// AvroNestedFields returns the codes that DecodeAvroFields takes,
	// RecordField - i and the others; it does not read the receiver,
	// so it may be called on a nil pointer.
	AvroNestedFields() []int
}

// Nested returns the ints of the nested code at fields[at], and the index
// of the last of them, after which the run goes on.
func Nested(fields []int, at int) ([]int, int) {
	end := at + 2 + fields[at+1]
	return fields[at+2 : end], end - 1
}

// PresentIn reads whether the writer wrote a NullableRecordField's record,
// or null, as the ints of its code say, and returns the record's run.
func PresentIn(ints []int, r *avrobin.Reader) (bool, []int, error) {
	k := ints[0]
	if k == 0 {
		return true, ints[1:], nil
	}
	i, err := r.ReadUnion(k)
	if err != nil {
		return false, nil, err
	}
	switch Branch(ints[1+i]) {
	case BranchNull:
		return false, nil, nil
	case BranchRecord:
		return true, ints[1+k:], nil
	}
	return false, nil, unreadableBranch(r, i)
}

// SymbolIn reads an EnumField's writer symbol and returns the record's
// index of it, from the ints of its code.
func SymbolIn(symbols []int, r *avrobin.Reader) (int32, error) {
	i, err := r.ReadEnum(len(symbols))
	if err != nil {
		return 0, err
	}
	if s := symbols[i]; s >= 0 {
		return int32(s), nil
	}
	return 0, noSymbol(r, i)
}

//go:noinline
func unreadableBranch(r *avrobin.Reader, i int) error {
	return r.DecodeInvalid(fmt.Errorf("the writer's union branch %d cannot be read as the type's", i))
}

//go:noinline
func noSymbol(r *avrobin.Reader, i int) error {
	return r.DecodeInvalid(fmt.Errorf("the writer's symbol %d is not a symbol of the type's enum, which has no default", i))
}

// DefaultSetter is implemented by the pointer type of a generated record
// whose DecodeAvroFields sets the defaults of some of its fields itself
// (DefaultField - i): those whose default is a Go literal, such as a
// number, a string or null.
type DefaultSetter interface {
	// AvroDefaultFields returns the indexes of those fields; it does not
	// read the receiver, so it may be called on a nil pointer.
	AvroDefaultFields() []int
}

// StepOp says what a Step does.
type StepOp uint8

const (
	// StepFields decodes Fields, a run of fields that the writer wrote as
	// the record's schema does, with DecodeAvroFields (and skips the
	// writer's longs and strings between them, SkipLongField and
	// SkipBytesField and the others).
	StepFields StepOp = iota
	// StepChecked is StepFields for a run whose first field the record
	// reads more widely than the writer wrote it (an int as a long, an
	// enum with more symbols): Check first.
	StepChecked
	// StepEnum sets Fields[0], an enum whose symbols changed, to the
	// record's symbol that SymbolIndex reads.
	StepEnum
	// StepValue decodes Fields from Bytes instead of r: the defaults of
	// fields that the writer lacks, or the union index of a null that the
	// writer wrote as no union. Strings and bytes alias Bytes unless Copy
	// is set.
	StepValue
	// StepWidens is StepFields for a field that the record reads more
	// widely than the writer wrote it, as a whole value (a union with
	// more branches, items read as longs): Recheck checks what it read.
	StepWidens
	// StepSkip skips a writer's value that the record lacks.
	StepSkip
	// StepRecord decodes the record that field Fields[0] holds with Steps;
	// for a field of a record or null, Present reads which the writer
	// wrote. For a record that generated code does not decode itself (one
	// bound to a custom Go type), it returns ErrNoSteps.
	StepRecord
)

// ErrNoSteps is what DecodeAvroSteps returns for a step that the record's
// code cannot take: runtime/resolve then decodes the message field by field
// (with the FieldDecoder methods).
var ErrNoSteps = errors.New("evc: no steps for this record")

// ErrStepCheck is what Check returns for a value that the writer cannot
// have written: runtime/resolve decodes the message again field by field,
// for the error it gives.
var ErrStepCheck = errors.New("evc: a value the writer cannot have written")

// Step is one step of decoding a record written with another version of
// its schema. Steps are built once per (writer schema, type) and shared by
// every message: they must not be modified.
type Step struct {
	Op     StepOp
	Fields []int
	// Steps: StepRecord's record's steps.
	Steps []Step
	// Name is the writer's field, which errors start their path with.
	Name string
	// Bytes: StepValue's value.
	Bytes []byte
	Copy  bool
	// Symbols: StepEnum's reader symbol for each writer symbol, by index;
	// -1 where there is none (Enum, the enum's name, has no default).
	Symbols []int32
	Enum    string
	// Skip: StepSkip's and StepWidens' writer type.
	Skip *avrobin.SkipType
	// Branches: StepRecord's writer union's branches, each BranchNull,
	// BranchRecord or BranchNone; nil when the writer wrote the record as
	// no union.
	Branches []Branch
	// Check: StepChecked's first field's writer type: 0 for an int, n for
	// an enum of n symbols.
	Check int
	// Trim: the first of a message's steps, when they skip writer values:
	// what UnmarshalAvroSteps's Reader leaves out of its copy (TrimOf).
	Trim *avrobin.Trim
}

// TrimOf returns what the Reader of UnmarshalAvroSteps leaves out of its
// copy of a message that steps decode (avrobin.Reader.UseTrim): their
// first step's Trim.
func TrimOf(steps []Step) *avrobin.Trim {
	if len(steps) == 0 {
		return nil
	}
	return steps[0].Trim
}

// Branch is what a writer's union branch holds, as StepRecord reads it.
type Branch uint8

const (
	BranchNone   Branch = iota // nothing the record can read
	BranchNull                 // null
	BranchRecord               // the record
)

// Checked returns nil when r's next value is one the writer may have
// written for StepChecked's first field, and ErrStepCheck otherwise.
func (s *Step) Checked(r *avrobin.Reader) error {
	if r.Fits(s.Check) {
		return nil
	}
	return ErrStepCheck
}

// Recheck checks that b, the bytes a StepWidens field was decoded from,
// are a value of the writer's type.
func (s *Step) Recheck(b []byte) error {
	r := avrobin.NewAliasReader(b)
	if err := r.Skip(s.Skip, true); err != nil {
		return avrobin.AtField(err, s.Name)
	}
	return nil
}

// SymbolIndex reads a StepEnum's writer symbol and returns the record's
// index of it.
func (s *Step) SymbolIndex(r *avrobin.Reader) (int32, error) {
	i, err := r.ReadEnum(len(s.Symbols))
	if err != nil {
		return 0, avrobin.AtField(err, s.Name)
	}
	if s.Symbols[i] < 0 {
		return 0, avrobin.AtField(r.DecodeInvalid(fmt.Errorf("the writer's symbol %d is not a symbol of %s, which has no default", i, s.Enum)), s.Name)
	}
	return s.Symbols[i], nil
}

// Symbol is SymbolIndex with the index encoded, for code generated before
// SymbolIndex, which decodes it with DecodeAvroFields.
//
// Deprecated: regenerate the code, which then calls SymbolIndex.
func (s *Step) Symbol(r *avrobin.Reader) ([]byte, error) {
	i, err := s.SymbolIndex(r)
	if err != nil {
		return nil, err
	}
	return avrobin.AppendInt(nil, i), nil
}

// SkipIn skips a StepSkip's writer value in r and cuts it from r's copy
// (avrobin.Reader.Cut).
func (s *Step) SkipIn(r *avrobin.Reader) error {
	from := r.Offset()
	var err error
	switch s.Skip.Kind {
	case avrobin.SkipBytes:
		err = r.SkipBytes()
	case avrobin.SkipLong:
		err = r.SkipLong()
	default:
		err = r.Skip(s.Skip, false)
	}
	if err != nil {
		return avrobin.AtField(err, s.Name)
	}
	r.Cut(from)
	return nil
}

// Run returns the fields of a StepRecord's record when its steps are one
// run of fields, which the record's DecodeAvroFields then takes without a
// step loop of its own; nil otherwise.
func (s *Step) Run() []int { return RunOf(s.Steps) }

// RunOf returns the fields of steps when they are one run of fields, which
// a record's DecodeAvroFields then takes without its step loop; nil
// otherwise.
func RunOf(steps []Step) []int {
	if len(steps) == 1 && steps[0].Op == StepFields {
		return steps[0].Fields
	}
	return nil
}

// Present reads whether the writer wrote a StepRecord's record, or null.
func (s *Step) Present(r *avrobin.Reader) (bool, error) {
	if s.Branches == nil {
		return true, nil
	}
	i, err := r.ReadUnion(len(s.Branches))
	if err != nil {
		return false, err
	}
	switch s.Branches[i] {
	case BranchNull:
		return false, nil
	case BranchRecord:
		return true, nil
	}
	return false, unreadableBranch(r, i)
}
