package runtime

import "github.com/evc-dev/evc/runtime/avrobin"

// StepDecoder is implemented by the pointer type of every generated record,
// beside FieldDecoder: it runs runtime/resolve's plan for data written with
// another version of the record's schema in the record's own code, so that
// the record's fields, and the records nested in it, are decoded with direct
// calls, and only what changed calls back into the plan.
type StepDecoder interface {
	FieldDecoder
	// DecodeAvroSteps decodes the record from r as steps say, in order.
	DecodeAvroSteps(steps []Step, r *avrobin.Reader) error
}

// StepOp says what a Step does.
type StepOp uint8

const (
	// StepFields decodes Fields, a run of fields that the writer wrote as
	// the record's schema does, with DecodeAvroFields.
	StepFields StepOp = iota
	// StepValue decodes Fields with DecodeAvroFields from Bytes, or from
	// what Value returns, instead of r: the defaults of fields that the
	// writer lacks, or an enum's symbol mapped to the record's. Strings
	// and bytes alias them unless Copy is set.
	StepValue
	// StepRecord decodes the record that field Fields[0] holds with Steps.
	// For a field of a record or null, Present reads which one the writer
	// wrote. A record that generated code does not decode itself (one
	// bound to a custom Go type) calls Do instead.
	StepRecord
	// StepDo calls Do: a writer's value skipped or checked.
	StepDo
)

// Step is one step of decoding a record written with another version of
// its schema. Steps are built once per (writer schema, type) and shared by
// every message: they must not be modified.
type Step struct {
	Op     StepOp
	Fields []int
	Steps  []Step
	// Bytes, or Value's result, is what StepValue decodes Fields from.
	Bytes []byte
	Value func(r *avrobin.Reader) ([]byte, error)
	Copy  bool
	// Present reads whether the writer wrote the record of a StepRecord
	// field of a record or null.
	Present func(r *avrobin.Reader) (bool, error)
	// Do is StepDo's work, and what StepRecord does for a record that
	// generated code does not decode itself.
	Do func(m FieldDecoder, r *avrobin.Reader) error
	// Name is the field's name, which errors from nested records start
	// their path with.
	Name string
}
