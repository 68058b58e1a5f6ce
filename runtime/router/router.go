package router

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/evc-dev/evc/runtime"
)

// Deserializer decodes a record's key or value from the Schema Registry wire
// format into the generated type registered for the writer's schema. The
// schema manager in runtime/serde implements it.
type Deserializer interface {
	Deserialize(ctx context.Context, data []byte) (runtime.Message, error)
}

// unknownTyper is the marker interface UnknownTypeFunc's default looks
// for.
type unknownTyper interface{ UnknownTypeName() string }

func defaultUnknownType(err error) (string, bool) {
	var u unknownTyper
	if errors.As(err, &u) {
		return u.UnknownTypeName(), true
	}
	return "", false
}

// transienter is the marker interface TransientFunc's default looks for.
type transienter interface{ Transient() bool }

func defaultTransient(err error) bool {
	var t transienter
	return errors.As(err, &t) && t.Transient()
}

// Retry says how a failing handler is retried before its record goes to the
// handler-failure policy. The wait doubles after each attempt.
type Retry struct {
	// Attempts is the number of calls of a failing handler, 3 if zero; 1
	// means no retry.
	Attempts int
	// Backoff is the first wait, 100ms if zero.
	Backoff time.Duration
	// MaxBackoff caps the wait, 5s if zero.
	MaxBackoff time.Duration
}

func (r Retry) withDefaults(d Retry) Retry {
	if r.Attempts == 0 {
		r.Attempts = d.Attempts
	}
	if r.Backoff == 0 {
		r.Backoff = d.Backoff
	}
	if r.MaxBackoff == 0 {
		r.MaxBackoff = d.MaxBackoff
	}
	return r
}

// Router dispatches records to typed handlers. Register routes with Handle
// and HandleValue, then call Dispatch, from any number of goroutines.
// Routes may be added while records are dispatched; a record sees the routes
// registered when its dispatch began.
type Router struct {
	de    Deserializer
	opts  config
	mu    sync.Mutex // serializes registration
	specs []*route
	idx   atomic.Pointer[index]
}

// New returns a router that decodes keys and values with de, configured by
// opts. Without options it stops on every unmatched, undecodable or failing
// record (after 3 attempts of a failing handler), and skips tombstones no
// delete handler takes.
func New(de Deserializer, opts ...Option) (*Router, error) {
	if de == nil {
		return nil, errors.New("evc: router: nil Deserializer")
	}
	c := config{tombstone: Skip}
	for _, o := range opts {
		o(&c)
	}
	for _, p := range []Policy{c.unmatched, c.decodeFailure, c.handlerFailure, c.tombstone} {
		if p > DeadLetter {
			return nil, fmt.Errorf("evc: router: unknown policy %v", p)
		}
		if p == DeadLetter && c.deadLetter == nil {
			return nil, errors.New("evc: router: DeadLetter policy without DeadLetterFunc")
		}
	}
	for _, rt := range []Retry{c.retry, c.unavailable} {
		if rt.Attempts < 0 || rt.Backoff < 0 || rt.MaxBackoff < 0 {
			return nil, errors.New("evc: router: negative Retry setting")
		}
	}
	if c.unknownType == nil {
		c.unknownType = defaultUnknownType
	}
	if c.transient == nil {
		c.transient = defaultTransient
	}
	if c.log == nil {
		c.log = slog.Default()
	}
	c.retry = c.retry.withDefaults(Retry{Attempts: 3, Backoff: 100 * time.Millisecond, MaxBackoff: 5 * time.Second})
	c.unavailable = c.unavailable.withDefaults(Retry{Attempts: 5, Backoff: time.Second, MaxBackoff: 8 * time.Second})
	r := &Router{de: de, opts: c}
	r.idx.Store(&index{topics: map[string]*topicIndex{}})
	return r, nil
}

// Topics returns the topics routes are registered for, sorted.
func (r *Router) Topics() []string {
	idx := r.idx.Load()
	ts := make([]string, 0, len(idx.topics))
	for t := range idx.topics {
		ts = append(ts, t)
	}
	sort.Strings(ts)
	return ts
}

// A Handler handles the records whose key decodes to K and value to V.
// topic is the record's topic; the rest of the record is available from
// FromContext(ctx).
type Handler[K any, V runtime.Message] func(ctx context.Context, topic string, key K, value V) error

// A ValueHandler handles the records whose value decodes to V, whatever
// their key.
type ValueHandler[V runtime.Message] func(ctx context.Context, topic string, value V) error

// A RouteOption configures one route.
type RouteOption func(*routeConfig)

type routeConfig struct {
	name        string
	keyTypes    []*runtime.Type
	valueTypes  []*runtime.Type
	keyTypesSet bool
	valTypesSet bool
}

// Name names the route in errors and reports.
func Name(name string) RouteOption {
	return func(c *routeConfig) { c.name = name }
}

// KeyTypes lists the generated key types a route accepts when its key type
// parameter is an interface; each must implement it.
func KeyTypes(types ...*runtime.Type) RouteOption {
	return func(c *routeConfig) { c.keyTypes = append(c.keyTypes, types...); c.keyTypesSet = true }
}

// ValueTypes lists the generated value types a route accepts when its value
// type parameter is an interface; each must implement it. Without it, such a
// route accepts every value.
func ValueTypes(types ...*runtime.Type) RouteOption {
	return func(c *routeConfig) { c.valueTypes = append(c.valueTypes, types...); c.valTypesSet = true }
}

type keyKind uint8

const (
	keyAny  keyKind = iota // raw bytes, string or ignored: matches every key
	keyAvro                // decoded: matches the listed type names
)

type route struct {
	name   string
	delete bool // a delete handler: matches tombstones only
	topics []string
	kind   keyKind
	keys   []string // full names, for keyAvro
	values []string // full names; nil accepts every value
	call   func(ctx context.Context, rec *Record, key, value runtime.Message) error
}

// Handle registers h for the records on any of topics whose key decodes to K
// and value to V. K is a generated message type, []byte or string (the raw
// key; the route then matches any key), or an interface with KeyTypes. V is
// a generated message type, or an interface, optionally with ValueTypes.
func Handle[K any, V runtime.Message](r *Router, topics []string, h Handler[K, V], opts ...RouteOption) error {
	if h == nil {
		return errors.New("evc: router: nil handler")
	}
	var cfg routeConfig
	for _, o := range opts {
		o(&cfg)
	}
	rt := &route{name: cfg.name}
	if rt.name == "" {
		rt.name = fmt.Sprintf("%T", h)
	}
	values, err := valueNames[V](&cfg)
	if err != nil {
		return fmt.Errorf("evc: router: route %s: %w", rt.name, err)
	}
	rt.values = values
	var zk K
	switch any(zk).(type) {
	case []byte:
		if cfg.keyTypesSet {
			return fmt.Errorf("evc: router: route %s: KeyTypes with a []byte key", rt.name)
		}
		hb := any(h).(Handler[[]byte, V])
		rt.call = func(ctx context.Context, rec *Record, _, value runtime.Message) error {
			v, ok := value.(V)
			if !ok {
				return mismatch[V](value)
			}
			return hb(ctx, rec.Topic, rec.Key, v)
		}
	case string:
		if cfg.keyTypesSet {
			return fmt.Errorf("evc: router: route %s: KeyTypes with a string key", rt.name)
		}
		hs := any(h).(Handler[string, V])
		rt.call = func(ctx context.Context, rec *Record, _, value runtime.Message) error {
			v, ok := value.(V)
			if !ok {
				return mismatch[V](value)
			}
			return hs(ctx, rec.Topic, string(rec.Key), v)
		}
	default:
		keys, err := keyNames[K](&cfg)
		if err != nil {
			return fmt.Errorf("evc: router: route %s: %w", rt.name, err)
		}
		rt.kind, rt.keys = keyAvro, keys
		rt.call = func(ctx context.Context, rec *Record, key, value runtime.Message) error {
			k, ok := key.(K)
			if !ok {
				return &mismatchError{part: "key", err: mismatch[K](key)}
			}
			v, ok := value.(V)
			if !ok {
				return mismatch[V](value)
			}
			return h(ctx, rec.Topic, k, v)
		}
	}
	return r.add(rt, topics)
}

// HandleValue registers h for the records on any of topics whose value
// decodes to V, whatever their key; the key is not decoded. V is as for
// Handle.
func HandleValue[V runtime.Message](r *Router, topics []string, h ValueHandler[V], opts ...RouteOption) error {
	if h == nil {
		return errors.New("evc: router: nil handler")
	}
	var cfg routeConfig
	for _, o := range opts {
		o(&cfg)
	}
	rt := &route{name: cfg.name}
	if rt.name == "" {
		rt.name = fmt.Sprintf("%T", h)
	}
	if cfg.keyTypesSet {
		return fmt.Errorf("evc: router: route %s: KeyTypes on a value-only route", rt.name)
	}
	values, err := valueNames[V](&cfg)
	if err != nil {
		return fmt.Errorf("evc: router: route %s: %w", rt.name, err)
	}
	rt.values = values
	rt.call = func(ctx context.Context, rec *Record, _, value runtime.Message) error {
		v, ok := value.(V)
		if !ok {
			return mismatch[V](value)
		}
		return h(ctx, rec.Topic, v)
	}
	return r.add(rt, topics)
}

// A DeleteHandler handles the tombstones whose key decodes to K: records
// without a value, which in a compacted topic or a change stream delete
// the key.
type DeleteHandler[K any] func(ctx context.Context, topic string, key K) error

// HandleDelete registers h for the tombstones on any of topics whose key
// decodes to K (a record whose value is null; an empty value that is not
// null is not one). K is as for Handle. Tombstones no delete handler
// matches follow the OnTombstone policy (Skip by default); value handlers
// never see them.
func HandleDelete[K any](r *Router, topics []string, h DeleteHandler[K], opts ...RouteOption) error {
	if h == nil {
		return errors.New("evc: router: nil handler")
	}
	var cfg routeConfig
	for _, o := range opts {
		o(&cfg)
	}
	rt := &route{name: cfg.name, delete: true}
	if rt.name == "" {
		rt.name = fmt.Sprintf("%T", h)
	}
	if cfg.valTypesSet {
		return fmt.Errorf("evc: router: route %s: ValueTypes on a delete route", rt.name)
	}
	var zk K
	switch any(zk).(type) {
	case []byte:
		if cfg.keyTypesSet {
			return fmt.Errorf("evc: router: route %s: KeyTypes with a []byte key", rt.name)
		}
		hb := any(h).(DeleteHandler[[]byte])
		rt.call = func(ctx context.Context, rec *Record, _, _ runtime.Message) error { return hb(ctx, rec.Topic, rec.Key) }
	case string:
		if cfg.keyTypesSet {
			return fmt.Errorf("evc: router: route %s: KeyTypes with a string key", rt.name)
		}
		hs := any(h).(DeleteHandler[string])
		rt.call = func(ctx context.Context, rec *Record, _, _ runtime.Message) error {
			return hs(ctx, rec.Topic, string(rec.Key))
		}
	default:
		keys, err := keyNames[K](&cfg)
		if err != nil {
			return fmt.Errorf("evc: router: route %s: %w", rt.name, err)
		}
		rt.kind, rt.keys = keyAvro, keys
		rt.call = func(ctx context.Context, rec *Record, key, _ runtime.Message) error {
			k, ok := key.(K)
			if !ok {
				return &mismatchError{part: "key", err: mismatch[K](key)}
			}
			return h(ctx, rec.Topic, k)
		}
	}
	return r.add(rt, topics)
}

// typeNames returns the full names a type parameter T accepts: its own, if
// it is a concrete generated type, else those of the listed types, each of
// which must implement T. It returns nil, nil for an interface without a
// list when allowAll.
func typeNames[T any](listed []*runtime.Type, set bool, what string, allowAll bool) ([]string, error) {
	var zero T
	if m, ok := any(zero).(runtime.Message); ok {
		if set {
			return nil, fmt.Errorf("%sTypes with the concrete %s type %T", what, what, zero)
		}
		t := m.AvroType()
		if t == nil || t.Name == "" {
			return nil, fmt.Errorf("%s type %T has no Avro type", what, zero)
		}
		return []string{t.Name}, nil
	}
	if any(zero) != nil {
		return nil, fmt.Errorf("unsupported %s type %T: want a generated type, an interface, []byte or string", what, zero)
	}
	if !set {
		if allowAll {
			return nil, nil
		}
		return nil, fmt.Errorf("interface %s type %T needs %sTypes", what, (*T)(nil), what)
	}
	if len(listed) == 0 {
		return nil, fmt.Errorf("empty %sTypes", what)
	}
	names := make([]string, 0, len(listed))
	for _, t := range listed {
		if t == nil || t.Name == "" || t.New == nil {
			return nil, fmt.Errorf("%sTypes: incomplete type descriptor", what)
		}
		if _, ok := any(t.New()).(T); !ok {
			return nil, fmt.Errorf("%s type %q (%T) does not implement %T", what, t.Name, t.New(), (*T)(nil))
		}
		if !slices.Contains(names, t.Name) {
			names = append(names, t.Name)
		}
	}
	return names, nil
}

func keyNames[K any](c *routeConfig) ([]string, error) {
	return typeNames[K](c.keyTypes, c.keyTypesSet, "Key", false)
}

func valueNames[V runtime.Message](c *routeConfig) ([]string, error) {
	return typeNames[V](c.valueTypes, c.valTypesSet, "Value", true)
}

// errTypeMismatch says that a decoded message has a listed name but another
// Go type: two generated packages for one schema.
var errTypeMismatch = errors.New("decoded Go type differs from the handler's")

// mismatchError marks a key's mismatch; a bare one is the value's.
type mismatchError struct {
	part string
	err  error
}

func (e *mismatchError) Error() string { return e.err.Error() }
func (e *mismatchError) Unwrap() error { return e.err }

func mismatch[T any](got runtime.Message) error {
	var want T
	return fmt.Errorf("%w: got %T, want %T", errTypeMismatch, got, want)
}

func (r *Router) add(rt *route, topics []string) error {
	if len(topics) == 0 {
		return fmt.Errorf("evc: router: route %s: no topics", rt.name)
	}
	for _, t := range topics {
		if t == "" {
			return fmt.Errorf("evc: router: route %s: empty topic name", rt.name)
		}
		if !slices.Contains(rt.topics, t) {
			rt.topics = append(rt.topics, t)
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.specs = append(r.specs, rt)
	r.idx.Store(buildIndex(r.specs))
	return nil
}

// index maps a record to its handlers: topic, then key type name, then value
// type name. Every combination of names that some route lists is
// precomputed with its routes in registration order; "" stands for any
// other name (or none), matched only by routes that accept every key or
// value.
type index struct {
	topics map[string]*topicIndex
}

type topicIndex struct {
	decodeKey bool // some route wants an Avro key
	keys      map[string]*keyIndex
	anyKey    *keyIndex
	deletes   *topicIndex // the delete handlers' routes, for tombstones
}

type keyIndex struct {
	values   map[string][]*route
	anyValue []*route
	empty    bool // no routes at all: skip decoding the value
}

func buildIndex(specs []*route) *index {
	byTopic := map[string][]*route{}
	var order []string
	for _, rt := range specs {
		for _, t := range rt.topics {
			if _, ok := byTopic[t]; !ok {
				order = append(order, t)
			}
			byTopic[t] = append(byTopic[t], rt)
		}
	}
	idx := &index{topics: make(map[string]*topicIndex, len(order))}
	for _, t := range order {
		var values, deletes []*route
		for _, rt := range byTopic[t] {
			if rt.delete {
				deletes = append(deletes, rt)
			} else {
				values = append(values, rt)
			}
		}
		ti := buildTopic(values)
		ti.deletes = buildTopic(deletes)
		idx.topics[t] = ti
	}
	return idx
}

// buildTopic indexes the routes of one topic.
func buildTopic(routes []*route) *topicIndex {
	var keys, values []string
	ti := &topicIndex{keys: map[string]*keyIndex{}}
	for _, rt := range routes {
		if rt.kind == keyAvro {
			ti.decodeKey = true
		}
		for _, k := range rt.keys {
			if !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
		for _, v := range rt.values {
			if !slices.Contains(values, v) {
				values = append(values, v)
			}
		}
	}
	build := func(key string) *keyIndex {
		ki := &keyIndex{values: map[string][]*route{}, empty: true}
		for _, v := range append(values, "") {
			var list []*route
			for _, rt := range routes {
				if rt.matches(key, v) {
					list = append(list, rt)
				}
			}
			if len(list) == 0 {
				continue
			}
			ki.empty = false
			if v == "" {
				ki.anyValue = list
			} else {
				ki.values[v] = list
			}
		}
		return ki
	}
	for _, k := range keys {
		ti.keys[k] = build(k)
	}
	ti.anyKey = build("")
	return ti
}

// matches reports whether rt matches a record whose key and value type
// names are key and value, where "" is a name no route lists.
func (rt *route) matches(key, value string) bool {
	if rt.kind == keyAvro && (key == "" || !slices.Contains(rt.keys, key)) {
		return false
	}
	if rt.values != nil && (value == "" || !slices.Contains(rt.values, value)) {
		return false
	}
	return true
}

// Dispatch decodes rec and calls every handler that matches it (the delete
// handlers, for a tombstone), in registration order, retrying a failing
// handler as HandlerRetry says. It returns nil when the record is handled:
// every matching handler succeeded, or the policies set it (or a failing
// handler's share of it) aside. It returns an error when the record is not
// handled and must not be committed: a Stop policy applied
// (*UnmatchedError, *DecodeError, *HandlerError), the dead-letter function
// failed (*DeadLetterError), the record could not be decoded for a reason
// not its own even after UnavailableRetry (*UnavailableError), or ctx ended
// (the error wraps ctx.Err()). A later Dispatch of the same record,
// after a restart, calls every matching handler again, including those that
// had succeeded: delivery is at least once, so handlers should be
// idempotent.
//
// Handlers receive a context carrying rec (see FromContext); rec must not be
// modified until Dispatch returns, nor afterwards if a handler keeps it.
func (r *Router) Dispatch(ctx context.Context, rec *Record) error {
	ti := r.idx.Load().topics[rec.Topic]
	if ti == nil {
		return r.apply(ctx, rec, r.opts.unmatched, &UnmatchedError{Position: positionOf(rec)})
	}
	if rec.Value == nil {
		return r.dispatchTombstone(ctx, rec, ti.deletes)
	}
	key, keyName, ki, err := r.key(ctx, rec, ti)
	if err != nil || ki == nil {
		return err
	}
	if ki.empty {
		return r.apply(ctx, rec, r.opts.unmatched, &UnmatchedError{Position: positionOf(rec), KeyType: keyName})
	}
	value, err := r.deserialize(ctx, rec, "value", rec.Value)
	if err != nil {
		if errors.Is(err, errNotHandled) {
			return err
		}
		if name, ok := r.opts.unknownType(err); ok {
			return r.apply(ctx, rec, r.opts.unmatched, &UnmatchedError{Position: positionOf(rec), KeyType: keyName, ValueType: name})
		}
		return r.apply(ctx, rec, r.opts.decodeFailure, &DecodeError{Position: positionOf(rec), Part: "value", Err: err})
	}
	if value == nil {
		return r.apply(ctx, rec, r.opts.decodeFailure, &DecodeError{Position: positionOf(rec), Part: "value", Err: errNilMessage})
	}
	valueName := value.AvroType().Name
	routes, ok := ki.values[valueName]
	if !ok {
		routes = ki.anyValue
	}
	if len(routes) == 0 {
		return r.apply(ctx, rec, r.opts.unmatched, &UnmatchedError{Position: positionOf(rec), KeyType: keyName, ValueType: valueName})
	}
	hctx := &recordContext{Context: ctx, rec: rec}
	for _, rt := range routes {
		if err := r.call(hctx, rt, rec, key, value); err != nil {
			return err
		}
	}
	return nil
}

// key decodes rec's key if a route of ti wants it, and returns it, its type
// name and the routes for it. When the record was settled by a policy or is
// not handled, it returns a nil keyIndex and the error to return.
func (r *Router) key(ctx context.Context, rec *Record, ti *topicIndex) (runtime.Message, string, *keyIndex, error) {
	ki := ti.anyKey
	if !ti.decodeKey || len(rec.Key) == 0 {
		return nil, "", ki, nil
	}
	k, err := r.deserialize(ctx, rec, "key", rec.Key)
	switch {
	case err != nil && errors.Is(err, errNotHandled):
		return nil, "", nil, err
	case err != nil:
		if name, ok := r.opts.unknownType(err); ok {
			// No route can want a key of a type unknown to the
			// deserializer, but raw-key routes match any key.
			return nil, name, ki, nil
		}
		return nil, "", nil, r.apply(ctx, rec, r.opts.decodeFailure, &DecodeError{Position: positionOf(rec), Part: "key", Err: err})
	case k == nil:
		return nil, "", nil, r.apply(ctx, rec, r.opts.decodeFailure, &DecodeError{Position: positionOf(rec), Part: "key", Err: errNilMessage})
	}
	name := k.AvroType().Name
	if e := ti.keys[name]; e != nil {
		ki = e
	}
	return k, name, ki, nil
}

// dispatchTombstone hands a record without value to the delete handlers of
// its topic that match its key.
func (r *Router) dispatchTombstone(ctx context.Context, rec *Record, di *topicIndex) error {
	key, keyName, ki, err := r.key(ctx, rec, di)
	if err != nil || ki == nil {
		return err
	}
	if len(ki.anyValue) == 0 {
		return r.apply(ctx, rec, r.opts.tombstone, &UnmatchedError{Position: positionOf(rec), KeyType: keyName, Tombstone: true})
	}
	hctx := &recordContext{Context: ctx, rec: rec}
	for _, rt := range ki.anyValue {
		if err := r.call(hctx, rt, rec, key, nil); err != nil {
			return err
		}
	}
	return nil
}

var errNilMessage = errors.New("deserializer returned no message")

// errNotHandled marks the errors of deserialize that leave the record not
// handled, outside every policy.
var errNotHandled = errors.New("record not handled")

// deserialize decodes one part of rec, retrying transient failures as
// UnavailableRetry says. Its error wraps errNotHandled when the failure
// was transient to the end or ctx ended.
func (r *Router) deserialize(ctx context.Context, rec *Record, part string, data []byte) (runtime.Message, error) {
	wait := r.opts.unavailable.Backoff
	for attempt := 1; ; attempt++ {
		m, err := r.de.Deserialize(ctx, data)
		if err == nil {
			return m, nil
		}
		if ctx.Err() != nil {
			return nil, &UnavailableError{Position: positionOf(rec), Part: part, Attempts: attempt, Err: ctx.Err(), Last: err}
		}
		if !isContextErr(err) && !r.opts.transient(err) {
			return nil, err
		}
		if attempt >= r.opts.unavailable.Attempts {
			return nil, &UnavailableError{Position: positionOf(rec), Part: part, Attempts: attempt, Err: err}
		}
		if err := sleep(ctx, wait); err != nil {
			return nil, &UnavailableError{Position: positionOf(rec), Part: part, Attempts: attempt, Err: err, Last: err}
		}
		wait = min(wait*2, r.opts.unavailable.MaxBackoff)
	}
}

func isContextErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// sleep waits for d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// call runs one handler with retries, then applies the failure policy.
func (r *Router) call(ctx context.Context, rt *route, rec *Record, key, value runtime.Message) error {
	wait := r.opts.retry.Backoff
	attempt := 1
	for ; ; attempt++ {
		err := r.safeCall(ctx, rt, rec, key, value)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			// Shutting down: the failure may be the cancellation's, so
			// the record is not handled, and no policy applies.
			return fmt.Errorf("evc: handler %s on record at %s: %w (last error: %v)", rt.name, positionOf(rec), ctx.Err(), err)
		}
		if errors.Is(err, errTypeMismatch) {
			part := "value"
			var m *mismatchError
			if errors.As(err, &m) {
				part = m.part
			}
			return r.apply(ctx, rec, r.opts.decodeFailure, &DecodeError{Position: positionOf(rec), Part: part, Err: fmt.Errorf("route %s: %w", rt.name, err)})
		}
		if attempt >= r.opts.retry.Attempts || IsPermanent(err) {
			return r.apply(ctx, rec, r.opts.handlerFailure, &HandlerError{Position: positionOf(rec), Route: rt.name, Attempts: attempt, Err: err})
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("evc: handler %s on record at %s: %w (last error: %v)", rt.name, positionOf(rec), ctx.Err(), err)
		case <-t.C:
		}
		wait = min(wait*2, r.opts.retry.MaxBackoff)
	}
}

// safeCall turns a handler's panic into a *PanicError, so that it goes
// through the retry and failure policy like any failure. The stack is
// logged here, once per panic, and kept in the error, but not in its
// message: messages travel in dead-letter headers and reports.
func (r *Router) safeCall(ctx context.Context, rt *route, rec *Record, key, value runtime.Message) (err error) {
	defer func() {
		if p := recover(); p != nil {
			pe := &PanicError{Value: p, Stack: debug.Stack()}
			r.opts.log.ErrorContext(ctx, "evc: handler panicked", "route", rt.name,
				"topic", rec.Topic, "partition", rec.Partition, "offset", rec.Offset,
				"panic", pe.Error(), "stack", string(pe.Stack))
			err = pe
		}
	}()
	return rt.call(ctx, rec, key, value)
}

func (r *Router) apply(ctx context.Context, rec *Record, p Policy, cause error) error {
	switch p {
	case Skip:
		if _, ok := FromContext(ctx); !ok {
			ctx = &recordContext{Context: ctx, rec: rec}
		}
		if r.opts.report != nil {
			r.opts.report(ctx, rec, cause)
		} else {
			level := slog.LevelWarn
			if u, ok := cause.(*UnmatchedError); ok && u.Tombstone {
				level = slog.LevelDebug
			}
			r.opts.log.Log(ctx, level, "evc: record skipped", "topic", rec.Topic, "partition", rec.Partition, "offset", rec.Offset, "cause", cause)
		}
		return nil
	case DeadLetter:
		if _, ok := FromContext(ctx); !ok {
			ctx = &recordContext{Context: ctx, rec: rec}
		}
		if err := r.opts.deadLetter(ctx, rec, cause); err != nil {
			return &DeadLetterError{Position: positionOf(rec), Cause: cause, Err: err}
		}
		return nil
	}
	return cause
}
