package serde

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/evc-dev/evc/internal/redact"
	"github.com/evc-dev/evc/internal/registryhttp"
	"github.com/evc-dev/evc/runtime"
	"github.com/evc-dev/evc/runtime/resolve"
	"github.com/twmb/franz-go/pkg/sr"
)

// Manager registers generated types with a Schema Registry and serializes
// and deserializes their messages in the Confluent wire format. It is safe
// for concurrent use; concurrent first uses of one type or one schema id
// share a single registry call.
type Manager struct {
	cl  *sr.Client
	cfg config
	// secrets are the credentials no error or log line may show.
	secrets *redact.Secrets

	// The hot paths read these without locking; writers hold mu and
	// replace the whole map.
	typeIDs  cowMap[*runtime.Type, uint32] // the id Serialize writes per type
	bindings cowMap[uint32, *binding]      // how Deserialize decodes per id

	mu        sync.RWMutex
	byName    map[string][]*runtime.Type // full name -> types
	byAlias   map[string][]*runtime.Type // a type's alias -> types
	subjects  map[subjectKey]uint32      // (subject, schema) -> id
	writers   map[uint32]*writer         // id -> writer schema
	compatSet map[string]bool            // subjects whose level is set
	unknown   map[uint32]unknownID       // ids the registry did not know

	unknownBudget *budget // paces lookups that end in "unknown id"

	firsts    flight[*runtime.Type, uint32]
	registers flight[subjectKey, uint32]
	fetches   flight[uint32, *writer]
}

// subjectKey keys the registration cache. It holds the schema as
// registered rather than its Parsing Canonical Form: the registry tells
// apart schemas that differ only in defaults or docs, which the canonical
// form drops, so keying on it would hand a changed type its old id.
type subjectKey struct {
	subject string
	schema  string
}

// binding says how to decode data written with one schema id.
type binding struct {
	typ  *runtime.Type
	fast bool // the writer schema is the type's own: use UnmarshalAvro
	w    *writer
	dec  *resolve.Decoder // for another writer schema
}

// newBinding binds writer w's data to type t.
func newBinding(t *runtime.Type, w *writer) *binding {
	b := &binding{typ: t, fast: w.fp == t.Fingerprint, w: w}
	if !b.fast {
		b.dec = resolve.For(w.schema, t)
	}
	return b
}

// New returns a Manager for the registry that opts describe. It makes no
// network call.
func New(opts ...Option) (*Manager, error) {
	cfg := defaults()
	for _, o := range opts {
		o(&cfg)
	}
	if len(cfg.urls) == 0 {
		return nil, errors.New("evc: serde: no registry URL")
	}
	secrets := &redact.Secrets{}
	secrets.AddBasic(cfg.user, cfg.pass)
	secrets.Add(cfg.bearer)
	auth := &registryhttp.Auth{ByOrigin: map[string]string{}}
	if cfg.basic {
		auth.All = registryhttp.Basic(cfg.user, cfg.pass)
	}
	if cfg.bearer != "" {
		auth.All = "Bearer " + cfg.bearer
	}
	urls := make([]string, len(cfg.urls))
	for i, raw := range cfg.urls {
		secrets.AddURL(raw)
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			// Neither the URL nor url.Parse's error is quoted: either
			// may hold a password.
			return nil, fmt.Errorf("evc: serde: registry URL %d is not an absolute http(s) URL", i+1)
		}
		if u.User != nil {
			// A URL's own credentials go to its own origin only.
			p, _ := u.User.Password()
			auth.ByOrigin[registryhttp.Origin(u)] = registryhttp.Basic(u.User.Username(), p)
			u.User = nil
		}
		urls[i] = u.String()
	}

	base := http.DefaultTransport.(*http.Transport).Clone()
	if cfg.tls != nil {
		base.TLSClientConfig = cfg.tls.Clone()
	}
	rt := &retryTransport{
		base:       base,
		retries:    cfg.retries,
		timeout:    cfg.timeout,
		minBackoff: cfg.minBackoff,
		maxBackoff: cfg.maxBackoff,
		maxBody:    cfg.maxBody,
		log:        cfg.log,
		secrets:    secrets,
		sleep:      cfg.sleep,
	}
	auth.Next = rt
	for _, u := range urls {
		pu, _ := url.Parse(u)
		auth.Registries = append(auth.Registries, registryhttp.Origin(pu))
	}
	log := cfg.log
	srOpts := append(slices.Clone(cfg.clientOpts),
		sr.URLs(urls...),
		// Credentials are set per request by registryhttp.Auth, for the
		// registry's own origins only, so that a redirect elsewhere (another
		// host or port, or https to http) never carries them.
		sr.HTTPClient(&http.Client{Transport: auth}),
		sr.LogLevel(sr.LogLevelDebug),
		sr.LogFn(func(_ int8, msg string, kv ...any) {
			for i, v := range kv {
				switch v := v.(type) {
				case string:
					kv[i] = secrets.String(v)
				case error:
					kv[i] = secrets.String(v.Error())
				}
			}
			log.Debug("evc: serde: sr: "+msg, kv...)
		}),
	)
	cl, err := sr.NewClient(srOpts...)
	if err != nil {
		return nil, fmt.Errorf("evc: serde: %w", err)
	}
	return &Manager{
		cl:        cl,
		cfg:       cfg,
		secrets:   secrets,
		byName:    make(map[string][]*runtime.Type),
		byAlias:   make(map[string][]*runtime.Type),
		subjects:  make(map[subjectKey]uint32),
		writers:   make(map[uint32]*writer),
		compatSet: make(map[string]bool),
		unknown:   make(map[uint32]unknownID),

		unknownBudget: newBudget(cfg.unknownRate, cfg.unknownBurst),
	}, nil
}

// Client returns the underlying registry client, for calls the Manager does
// not make itself (deleting subjects, reading configuration).
func (m *Manager) Client() *sr.Client { return m.cl }

// Register registers the schema of each type under its subjects and caches
// the ids, so that serializing those types needs no network call. Services
// call it at start-up with a nil pointer of each type they produce:
//
//	err := m.Register(ctx, (*squarebot.Message)(nil), (*squarebot.Reaction)(nil))
//
// It also makes the types known to Deserialize. The error joins the
// failures of all types; a rejected schema is an *IncompatibleError.
func (m *Manager) Register(ctx context.Context, types ...runtime.Message) error {
	var errs []error
	for _, msg := range types {
		t, err := typeOf(msg)
		if err == nil {
			_, err = m.register(ctx, t)
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// AddTypes makes types known to Deserialize without contacting the
// registry, for a consumer that does not register what it reads.
func (m *Manager) AddTypes(types ...runtime.Message) error {
	var errs []error
	for _, msg := range types {
		t, err := typeOf(msg)
		if err == nil {
			err = m.addType(t)
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Subjects returns the subjects the Manager registers msg's type under,
// with the configured strategy and suffix.
func (m *Manager) Subjects(msg runtime.Message) ([]string, error) {
	t, err := typeOf(msg)
	if err != nil {
		return nil, err
	}
	return m.subjectsOf(t)
}

// SchemaID returns the schema id that Serialize writes for msg's type,
// registering or looking it up on first use.
func (m *Manager) SchemaID(ctx context.Context, msg runtime.Message) (int, error) {
	t, err := typeOf(msg)
	if err != nil {
		return 0, err
	}
	id, err := m.idFor(ctx, t)
	return int(id), err
}

func typeOf(msg runtime.Message) (*runtime.Type, error) {
	if msg == nil {
		return nil, errors.New("evc: serde: nil message")
	}
	t := msg.AvroType()
	switch {
	case t == nil:
		return nil, fmt.Errorf("evc: serde: %T has no type descriptor", msg)
	case t.Name == "" || t.Schema() == "" || t.New == nil:
		return nil, fmt.Errorf("evc: serde: type descriptor of %T lacks a name, schema or constructor", msg)
	}
	return t, nil
}

// subjectsOf returns t's subjects under the configured strategy.
func (m *Manager) subjectsOf(t *runtime.Type) ([]string, error) {
	var subjects []string
	add := func(s string) {
		s += m.cfg.suffix
		if !slices.Contains(subjects, s) {
			subjects = append(subjects, s)
		}
	}
	switch m.cfg.strategy {
	case RecordNameStrategy:
		add(t.Name)
	case TopicNameStrategy, TopicRecordNameStrategy:
		if len(t.Topics) == 0 {
			return nil, fmt.Errorf("evc: serde: type %q declares no topics, which %v needs", t.Name, m.cfg.strategy)
		}
		for _, tr := range t.Topics {
			switch {
			case m.cfg.strategy == TopicRecordNameStrategy:
				add(tr.Topic + "-" + t.Name)
			case tr.Key:
				add(tr.Topic + "-key")
			default:
				add(tr.Topic + "-value")
			}
		}
	default:
		return nil, fmt.Errorf("evc: serde: unknown subject strategy %d", int(m.cfg.strategy))
	}
	return subjects, nil
}

// addType makes t known to Deserialize by its full name and aliases. Two
// versions of one type may both be known: data decodes into the one whose
// schema the writer used, else into the first added.
func (m *Manager) addType(t *runtime.Type) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !slices.Contains(m.byName[t.Name], t) {
		m.byName[t.Name] = append(m.byName[t.Name], t)
	}
	for _, a := range t.Aliases {
		if !slices.Contains(m.byAlias[a], t) {
			m.byAlias[a] = append(m.byAlias[a], t)
		}
	}
	return nil
}

// register registers t under all its subjects and returns the id
// Serialize writes for it: the first subject's.
func (m *Manager) register(ctx context.Context, t *runtime.Type) (uint32, error) {
	if err := m.addType(t); err != nil {
		return 0, err
	}
	subjects, err := m.subjectsOf(t)
	if err != nil {
		return 0, err
	}
	var first uint32
	for i, s := range subjects {
		id, err := m.registerSubject(ctx, t, s)
		if err != nil {
			return 0, err
		}
		if i == 0 {
			first = id
		}
	}
	m.mu.Lock()
	m.typeIDs.put(t, first)
	m.mu.Unlock()
	return first, nil
}

func (m *Manager) cachedSubject(key subjectKey) (uint32, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	id, ok := m.subjects[key]
	return id, ok
}

// registerSubject registers t's schema under subject, once.
func (m *Manager) registerSubject(ctx context.Context, t *runtime.Type, subject string) (uint32, error) {
	key := subjectKey{subject, t.Schema()}
	if id, ok := m.cachedSubject(key); ok {
		return id, nil
	}
	return m.registers.do(ctx, key, func() (uint32, error) {
		if id, ok := m.cachedSubject(key); ok {
			return id, nil
		}
		if m.cfg.compat != 0 {
			if err := m.setCompat(ctx, subject); err != nil {
				return 0, err
			}
			if err := m.testCompat(ctx, subject, t); err != nil {
				return 0, err
			}
		}
		id, err := m.cl.RegisterSchema(ctx, subject, sr.Schema{Schema: t.Schema(), Type: sr.TypeAvro}, -1, -1)
		if err != nil {
			re := registryError(m.secrets, "register", subject, 0, err)
			if re.StatusCode == http.StatusConflict {
				return 0, &IncompatibleError{Subject: subject, Type: t.Name, Reasons: reasons(re.full), Err: re}
			}
			return 0, re
		}
		return m.remember(key, id, t)
	})
}

// lookup finds the id of t's schema under its first subject without
// registering it.
func (m *Manager) lookup(ctx context.Context, t *runtime.Type) (uint32, error) {
	if err := m.addType(t); err != nil {
		return 0, err
	}
	subjects, err := m.subjectsOf(t)
	if err != nil {
		return 0, err
	}
	key := subjectKey{subjects[0], t.Schema()}
	id, ok := m.cachedSubject(key)
	if !ok {
		ss, err := m.cl.LookupSchema(ctx, key.subject, sr.Schema{Schema: t.Schema(), Type: sr.TypeAvro})
		if err != nil {
			re := registryError(m.secrets, "look up", key.subject, 0, err)
			if re.Code == sr.ErrSubjectNotFound.Code || re.Code == sr.ErrSchemaNotFound.Code {
				return 0, &NotRegisteredError{Subject: key.subject, Type: t.Name, Err: re}
			}
			return 0, re
		}
		if id, err = m.remember(key, ss.ID, t); err != nil {
			return 0, err
		}
	}
	m.mu.Lock()
	m.typeIDs.put(t, id)
	m.mu.Unlock()
	return id, nil
}

// remember caches that t's schema has id under key.subject; data written
// with that id decodes into t by the fast path.
func (m *Manager) remember(key subjectKey, id int, t *runtime.Type) (uint32, error) {
	if id <= 0 || id > math.MaxInt32 {
		return 0, &RegistryError{Op: "register", Subject: key.subject, Err: fmt.Errorf("registry returned schema id %d, out of range", id)}
	}
	uid := uint32(id)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.subjects[key] = uid
	w := m.writers[uid]
	if w == nil {
		w = &writer{id: uid, schema: t.Schema(), name: t.Name, fp: t.Fingerprint}
		m.writers[uid] = w
	}
	if _, ok := m.bindings.get(uid); !ok {
		m.bindings.put(uid, &binding{typ: t, fast: w.fp == t.Fingerprint, w: w})
	}
	return uid, nil
}

func (m *Manager) setCompat(ctx context.Context, subject string) error {
	m.mu.RLock()
	done := m.compatSet[subject]
	m.mu.RUnlock()
	if done {
		return nil
	}
	res := m.cl.SetCompatibility(ctx, sr.SetCompatibility{Level: m.cfg.compat}, subject)
	if len(res) != 1 {
		return &RegistryError{Op: "set compatibility of", Subject: subject, Err: errors.New("no result")}
	}
	if res[0].Err != nil {
		return registryError(m.secrets, "set compatibility of", subject, 0, res[0].Err)
	}
	m.mu.Lock()
	m.compatSet[subject] = true
	m.mu.Unlock()
	return nil
}

// testCompat asks the registry whether t's schema is compatible with the
// versions under subject that its compatibility level names.
func (m *Manager) testCompat(ctx context.Context, subject string, t *runtime.Type) error {
	res, err := m.cl.CheckCompatibility(sr.WithParams(ctx, sr.Verbose), subject, -2, sr.Schema{Schema: t.Schema(), Type: sr.TypeAvro})
	if err != nil {
		re := registryError(m.secrets, "test compatibility against", subject, 0, err)
		switch {
		case re.Code == sr.ErrSubjectNotFound.Code || re.Code == sr.ErrVersionNotFound.Code:
			return nil // a first version is compatible with nothing
		case re.StatusCode == http.StatusConflict:
			return &IncompatibleError{Subject: subject, Type: t.Name, Reasons: reasons(re.full), Err: re}
		}
		return re
	}
	if !res.Is {
		return &IncompatibleError{Subject: subject, Type: t.Name, Reasons: res.Messages}
	}
	return nil
}

func reasons(msg string) []string {
	if msg == "" {
		return nil
	}
	return []string{msg}
}

// idFor returns the id Serialize writes for t, registering (or looking up)
// t's schema on first use.
func (m *Manager) idFor(ctx context.Context, t *runtime.Type) (uint32, error) {
	if id, ok := m.typeIDs.get(t); ok {
		return id, nil
	}
	return m.firsts.do(ctx, t, func() (uint32, error) {
		if id, ok := m.typeIDs.get(t); ok {
			return id, nil
		}
		if m.cfg.autoRegister {
			return m.register(ctx, t)
		}
		return m.lookup(ctx, t)
	})
}

// cowMap is a map that is read without locking and replaced whole on
// every write; writers serialize among themselves (Manager.mu). A service
// uses a handful of types and schema ids: up to smallKeys of them are found
// by comparing keys, which is cheaper than hashing.
type cowMap[K comparable, V any] struct {
	p atomic.Pointer[cowTable[K, V]]
}

const smallKeys = 8

type cowTable[K comparable, V any] struct {
	small []cowEntry[K, V]
	big   map[K]V // when there are more than smallKeys
}

type cowEntry[K comparable, V any] struct {
	k K
	v V
}

func (c *cowMap[K, V]) get(k K) (V, bool) {
	if tab := c.p.Load(); tab != nil {
		if tab.big != nil {
			v, ok := tab.big[k]
			return v, ok
		}
		for i := range tab.small {
			if tab.small[i].k == k {
				return tab.small[i].v, true
			}
		}
	}
	var zero V
	return zero, false
}

func (c *cowMap[K, V]) put(k K, v V) {
	var next cowTable[K, V]
	if tab := c.p.Load(); tab != nil {
		next.small = slices.DeleteFunc(slices.Clone(tab.small), func(e cowEntry[K, V]) bool { return e.k == k })
	}
	next.small = append(next.small, cowEntry[K, V]{k, v})
	if len(next.small) > smallKeys {
		next.big = make(map[K]V, len(next.small))
		for _, e := range next.small {
			next.big[e.k] = e.v
		}
	}
	c.p.Store(&next)
}
