package runtime

import "errors"

// DecodeFrom decodes data, written with writerSchema (Avro JSON), into m,
// resolving the writer's schema against m's own as Avro's schema resolution
// rules say: promotions, writer fields unknown to m skipped, m's fields
// missing from the writer filled from defaults, unknown enum symbols mapped
// to the enum default. It is the slow path that serde takes when a producer
// is on another version of a type.
func DecodeFrom(writerSchema string, m Message, data []byte) error {
	return errors.New("evc: runtime.DecodeFrom: not implemented yet")
}
