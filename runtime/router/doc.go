// Package router is evc's typed routing consumer core, as the Kafkit
// technote describes it: a handler registers for a set of topics, key types
// and value types, and each record goes to every handler whose topic, key
// type and value type all match, in the order the handlers were registered.
//
// Handlers are ordinary typed functions; registration is generic, so user
// code never switches on types:
//
//	r, _ := router.New(manager, router.OnUnmatched(router.Skip))
//	router.Handle(r, []string{"squarebot.messages"},
//		func(ctx context.Context, topic string, key *squarebot.SquarebotMessageKey, value *squarebot.SquarebotMessage) error {
//			rec, _ := router.FromContext(ctx) // partition, offset, headers, ...
//			return nil
//		})
//	router.HandleValue(r, []string{"squarebot.messages"},
//		func(ctx context.Context, topic string, value *squarebot.SquarebotMessage) error { return nil })
//	router.HandleDelete(r, []string{"squarebot.messages"},
//		func(ctx context.Context, topic string, key *squarebot.SquarebotMessageKey) error { return nil })
//
// Options follow franz-go's kgo.Opt idiom: functions passed to New, such as
// OnDecodeFailure(DeadLetter) and DeadLetterFunc(fn).
// A key type is a generated message type (decoded from the Schema Registry
// wire format like the value), []byte or string (the raw key, for topics
// whose keys are not Avro; such a route matches any key), or an interface
// type together with the KeyTypes option listing the generated types it
// accepts. A value type is a generated message type, or an interface type
// with ValueTypes (or without, to accept every value).
//
// The router is sans-I/O: Dispatch takes a plain Record and does no I/O of
// its own (decoding goes through the Deserializer it is given), so it works
// with any Kafka client and in unit tests without one; package
// runtime/kafka drives it from franz-go.
//
// Records no handler matches, records that fail to decode, and handlers that
// keep failing after their retries follow an explicit Policy each: Stop (the
// default: Dispatch returns the error and the record is not handled),
// Skip (the record is reported and dropped), or DeadLetter (the record goes
// to a dead-letter function). Nothing is dropped silently.
//
// A registry outage is not corrupt data. When decoding fails for a reason
// that is not the record's (the registry answers 5xx or not at all, a
// credential is refused, the context ends), the record is retried with
// backoff (UnavailableRetry) and then left not handled, with an
// *UnavailableError: no policy applies, and a consumer stops before
// committing it. Only data that truly cannot be decoded reaches the
// OnDecodeFailure policy.
//
// Tombstones (records whose value is null: deletes in a compacted topic or
// a change stream) go to the delete handlers of their topic and key type
// (HandleDelete), never to value handlers. One that no delete handler
// takes follows the OnTombstone policy, Skip by default, so that a consumer
// that does not care about deletes is not halted by them.
//
// A handler's panic is recovered as a *PanicError: its stack is logged
// (Logger), and its message, which dead letters and reports carry, holds
// the panic value only, cut to MaxPanicMessage bytes.
//
// Dispatch precomputes an index (topic, then key type name, then value type
// name) when routes are registered, so finding the handlers of a record is a
// few map lookups however many routes there are.
package router
