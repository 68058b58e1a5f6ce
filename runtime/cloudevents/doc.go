// Package cloudevents implements the binary content mode of the CloudEvents
// Kafka protocol binding for evc's generated types, as the Open edX event
// bus asks: the event's attributes travel as record headers (ce_specversion,
// ce_id, ce_source, ce_type, ce_time, other ce_ attributes, and
// content-type), and the record value is the event data, Avro in the Schema
// Registry wire format.
//
// Two bindings say which headers: Kafka, the binding as the specification
// writes it (the package-level AppendHeaders, Parse and FromContext), and
// OpenEdX, the binding as the Open edX event bus writes and reads it (bare
// sourcehost and sourcelib headers, ce_minorversion, ce_datacontenttype).
// Both read ce_datacontenttype, any RFC 3339 ce_time, and extension names of
// any length; both write ce_time as UTC with microseconds and "+00:00"
// (TimeLayout), which Python's datetime.fromisoformat reads in every version
// the Open edX bus supports.
//
// Producers call New with a generated type's descriptor, which takes the
// CloudEvents type and source declared in the IDL (runtime.Type.Event) and
// adds a fresh id and the current time, then AppendHeaders; runtime/kafka's
// producer does both. Consumers read the attributes back with Parse, or,
// inside a router handler, with FromContext:
//
//	func(ctx context.Context, topic string, key *K, value *V) error {
//		ev, ok, err := cloudevents.FromContext(ctx) // or cloudevents.OpenEdX.FromContext
//		...
//	}
//
// The package does no I/O; it works on router.Header slices.
package cloudevents
