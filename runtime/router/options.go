package router

import (
	"context"
	"log/slog"
)

// An Option configures a Router, as kgo.Opt configures a franz-go client.
type Option func(*config)

type config struct {
	unmatched, decodeFailure, handlerFailure, tombstone Policy

	report      func(ctx context.Context, rec *Record, cause error)
	deadLetter  func(ctx context.Context, rec *Record, cause error) error
	retry       Retry
	unavailable Retry
	unknownType func(err error) (name string, ok bool)
	transient   func(err error) bool
	log         *slog.Logger
}

// OnUnmatched sets the policy for a record no handler matches: none is
// registered for its topic, key type or value type (default Stop).
func OnUnmatched(p Policy) Option { return func(c *config) { c.unmatched = p } }

// OnDecodeFailure sets the policy for a record whose key or value does not
// decode: the data itself is corrupt, or of a schema its Go type cannot
// read (default Stop). A record whose schema could not be fetched is not
// such a record; see UnavailableRetry.
func OnDecodeFailure(p Policy) Option { return func(c *config) { c.decodeFailure = p } }

// OnHandlerFailure sets the policy for a record on which a handler still
// fails after HandlerRetry (default Stop). With Skip or DeadLetter, the
// record's remaining handlers run afterwards.
func OnHandlerFailure(p Policy) Option { return func(c *config) { c.handlerFailure = p } }

// OnTombstone sets the policy for a tombstone (a record without a value: a
// delete in a compacted topic) that no delete handler (HandleDelete)
// matches. The default is Skip: a consumer of a compacted topic that does
// not care about deletes goes on, and the default report logs them at debug
// level only.
func OnTombstone(p Policy) Option { return func(c *config) { c.tombstone = p } }

// ReportFunc sets the function called for each record a Skip policy drops,
// with an *UnmatchedError, *DecodeError or *HandlerError. By default the
// record is logged at warning level (debug for a tombstone).
func ReportFunc(fn func(ctx context.Context, rec *Record, cause error)) Option {
	return func(c *config) { c.report = fn }
}

// DeadLetterFunc sets the function that receives the records a DeadLetter
// policy sets aside, with the same causes as ReportFunc's. If it returns an
// error, Dispatch returns a *DeadLetterError and the record is not handled.
// Required if any policy is DeadLetter; kafka.DeadLetterTopic makes one.
func DeadLetterFunc(fn func(ctx context.Context, rec *Record, cause error) error) Option {
	return func(c *config) { c.deadLetter = fn }
}

// HandlerRetry says how a failing handler is retried before its record
// goes to the handler-failure policy (default 3 attempts, waiting 100ms
// then doubling up to 5s).
func HandlerRetry(r Retry) Option { return func(c *config) { c.retry = r } }

// UnavailableRetry says how a record is retried whose decoding failed for a
// reason that is not the record's (see TransientFunc): default 5 attempts,
// waiting 1s then doubling up to 8s. After the last, Dispatch returns an
// *UnavailableError without applying any policy, so a consumer stops before
// committing the record. The Deserializer retries each registry request
// itself as well.
func UnavailableRetry(r Retry) Option { return func(c *config) { c.unavailable = r } }

// UnknownTypeFunc sets how the router tells apart, among the
// Deserializer's errors, those that mean the data is of a type the
// application has no Go type for (such as serde's *UnknownNameError) from
// corrupt data, and returns the type's name. Such a record is unmatched,
// not undecodable: it goes to the OnUnmatched policy with an
// *UnmatchedError naming the type. By default, an error in the chain with a
// method UnknownTypeName() string is such an error.
func UnknownTypeFunc(fn func(err error) (name string, ok bool)) Option {
	return func(c *config) { c.unknownType = fn }
}

// TransientFunc sets how the router tells apart, among the Deserializer's
// errors, those that are not the record's fault (the registry is down or
// slow, the network failed, a credential was refused) from data that cannot
// be decoded. A record that meets such an error is not handled yet: it is
// retried as UnavailableRetry says and never reaches the decode-failure
// policy. An error of the context is always such an error. By default, an
// error in the chain with a method Transient() bool that returns true is one
// (serde's *RegistryError has it).
func TransientFunc(fn func(err error) bool) Option {
	return func(c *config) { c.transient = fn }
}

// Logger sets where the router logs: a handler's panic with its stack, and
// the records Skip drops without a ReportFunc (default slog.Default()).
func Logger(l *slog.Logger) Option { return func(c *config) { c.log = l } }
