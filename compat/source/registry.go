package source

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	neturl "net/url"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/evc-dev/evc/compat"
	"github.com/evc-dev/evc/compiler/avsc"
	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/internal/redact"
	"github.com/evc-dev/evc/internal/registryhttp"
	"github.com/evc-dev/evc/ir"
	"github.com/twmb/franz-go/pkg/sr"
)

// RegistryAuth holds what a registry:URL source needs to authenticate and
// to trust the registry: basic auth (User and Password) or a bearer Token,
// and PEM files for TLS. Its String and GoString never show the secrets,
// and no error Load returns holds them.
type RegistryAuth struct {
	User, Password string
	Token          string
	// CAFile holds the certificates of the authorities to trust, instead of
	// the system's; CertFile and KeyFile a client certificate and its key.
	CAFile, CertFile, KeyFile string
}

// String describes the authentication without its secrets.
func (a RegistryAuth) String() string {
	var parts []string
	switch {
	case a.Token != "":
		parts = append(parts, "bearer token")
	case a.User != "" || a.Password != "":
		parts = append(parts, "basic auth")
	}
	if a.CAFile != "" {
		parts = append(parts, "CA "+a.CAFile)
	}
	if a.CertFile != "" {
		parts = append(parts, "client certificate "+a.CertFile)
	}
	if len(parts) == 0 {
		return "no authentication"
	}
	return strings.Join(parts, ", ")
}

// GoString is String, so that %#v shows no secret either.
func (a RegistryAuth) GoString() string { return "source.RegistryAuth{" + a.String() + "}" }

// maxAnswer bounds the bytes read of one registry answer.
const maxAnswer = 16 << 20

// clientOpts returns the registry client options that apply a to the
// registry at URL use: its credentials go to that origin only (never
// along a redirect to another host or port, or from https to http), and
// an answer is read up to maxAnswer bytes.
func (a RegistryAuth) clientOpts(use string) ([]sr.ClientOpt, error) {
	basic := a.User != "" || a.Password != ""
	if basic && a.Token != "" {
		return nil, errors.New("both basic auth and a bearer token are set; use one")
	}
	u, err := neturl.Parse(use)
	if err != nil {
		return nil, errors.New("the registry URL is not an http(s) URL")
	}
	auth := &registryhttp.Auth{Registries: []string{registryhttp.Origin(u)}}
	if basic {
		auth.All = registryhttp.Basic(a.User, a.Password)
	}
	if a.Token != "" {
		auth.All = "Bearer " + a.Token
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	auth.Next = &registryhttp.Limit{Next: tr, Max: maxAnswer}
	opts := []sr.ClientOpt{sr.HTTPClient(&http.Client{Transport: auth})}
	if a.CAFile == "" && a.CertFile == "" && a.KeyFile == "" {
		return opts, nil
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if a.CAFile != "" {
		pem, err := os.ReadFile(a.CAFile)
		if err != nil {
			return nil, fmt.Errorf("CA file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("CA file %s holds no PEM certificate", a.CAFile)
		}
		cfg.RootCAs = pool
	}
	if (a.CertFile == "") != (a.KeyFile == "") {
		return nil, errors.New("a client certificate needs both a certificate file and a key file")
	}
	if a.CertFile != "" {
		cert, err := tls.LoadX509KeyPair(a.CertFile, a.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("client certificate %s and key %s: %w", a.CertFile, a.KeyFile, err)
		}
		cfg.Certificates = []tls.Certificate{cert}
	}
	tr.TLSClientConfig = cfg
	return opts, nil
}

// redacted is a registry client's error as evc compat prints it: no
// credential (the registry's error text may echo the request's headers),
// no query value, no control character, a few hundred bytes at most.
type redacted struct {
	err     error
	secrets *redact.Secrets
}

func (e *redacted) Error() string {
	if re, ok := e.err.(*sr.ResponseError); ok {
		msg := re.Message
		if msg == "" {
			msg = string(re.Raw)
		}
		if re.ErrorCode != 0 {
			return fmt.Sprintf("registry answered %d (error code %d): %s", re.StatusCode, re.ErrorCode, e.secrets.Message(msg))
		}
		return fmt.Sprintf("registry answered %d: %s", re.StatusCode, e.secrets.Message(msg))
	}
	return e.secrets.Message(e.err.Error())
}

func (e *redacted) Unwrap() error { return e.err }

// Strategy is how registry subjects are named, as in Confluent's
// serializers and the runtime's serde.Strategy.
type Strategy int

const (
	// RecordNameStrategy: a type's subject is its full name. It is the
	// default, as in the runtime.
	RecordNameStrategy Strategy = iota
	// TopicNameStrategy (Confluent's default): "<topic>-value" for the
	// value types and "<topic>-key" for the key type of each topic the
	// IDL declares.
	TopicNameStrategy
	// TopicRecordNameStrategy: "<topic>-<full name>" for each topic the
	// IDL declares the type on.
	TopicRecordNameStrategy
)

var strategyNames = [...]string{"RecordNameStrategy", "TopicNameStrategy", "TopicRecordNameStrategy"}

// String returns the strategy's name, as Confluent spells it.
func (s Strategy) String() string {
	if s >= 0 && int(s) < len(strategyNames) {
		return strategyNames[s]
	}
	return "Strategy(" + strconv.Itoa(int(s)) + ")"
}

// ParseStrategy reads a strategy's name, as Confluent spells it.
func ParseStrategy(name string) (Strategy, error) {
	for i, n := range strategyNames {
		if name == n {
			return Strategy(i), nil
		}
	}
	return 0, fmt.Errorf("unknown subject strategy %q (the strategies are %s)", name, strings.Join(strategyNames[:], ", "))
}

// wanted is a subject to read as the versions of the type called name;
// alias says that name is an alias, whose subject is only history.
type wanted struct {
	name, subject string
	alias         bool
}

// subjectsOf lists the subjects to read for opts.Names under opts.Strategy:
// for the topic strategies, those of the topics that opts.Topics declare
// the types (or, with TopicRecordNameStrategy, their aliases) on.
func subjectsOf(opts Options) []wanted {
	var out []wanted
	seen := map[wanted]bool{}
	add := func(w wanted) {
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	if opts.Strategy == RecordNameStrategy {
		for _, name := range opts.Names {
			add(wanted{name: name, subject: name + opts.SubjectSuffix})
		}
		return out
	}
	names := map[string]bool{}
	for _, name := range opts.Names {
		names[name] = true
	}
	for _, t := range opts.Topics {
		role := func(typ *ir.Type, key bool) {
			if typ == nil || typ.Named == nil || !names[typ.Named.FullName()] {
				return
			}
			n := typ.Named
			switch {
			case opts.Strategy == TopicRecordNameStrategy:
				add(wanted{name: n.FullName(), subject: t.Name + "-" + n.FullName() + opts.SubjectSuffix})
				for _, a := range n.Aliases {
					add(wanted{a, t.Name + "-" + a + opts.SubjectSuffix, true})
				}
			case key:
				add(wanted{name: n.FullName(), subject: t.Name + "-key" + opts.SubjectSuffix})
			default:
				add(wanted{name: n.FullName(), subject: t.Name + "-value" + opts.SubjectSuffix})
			}
		}
		role(t.Key, true)
		for _, v := range t.Values {
			role(v, false)
		}
	}
	return out
}

// registryURL parses a registry URL, takes credentials out of it, and
// returns the URL to use and the one to show.
func registryURL(raw string) (use string, user *neturl.Userinfo, err error) {
	if !strings.Contains(raw, "://") {
		raw = "http://" + raw
	}
	u, err := neturl.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		// Neither the URL nor the parser's error is shown: either may
		// hold a password.
		return "", nil, errors.New("the registry URL is not an http(s) URL")
	}
	user, u.User = u.User, nil
	return u.String(), user, nil
}

// loadRegistry reads the subjects of the new types from a Schema Registry,
// and, for the types that are gone, the subjects of their namespaces.
func loadRegistry(raw string, opts Options, l *diag.List) (*compat.Earlier, error) {
	if raw == "" {
		return nil, fmt.Errorf("%w: registry: needs a URL, as in registry:http://localhost:8081", ErrSource)
	}
	use, user, err := registryURL(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: registry: %w", ErrSource, err)
	}
	// url is the registry as evc shows it: no credential, no query value.
	url := redact.URL(use)
	auth := opts.Registry
	if user != nil && auth.User == "" && auth.Password == "" && auth.Token == "" {
		auth.User = user.Username()
		auth.Password, _ = user.Password()
	}
	secrets := &redact.Secrets{}
	secrets.AddURL(raw)
	secrets.AddBasic(auth.User, auth.Password)
	secrets.Add(auth.Token)
	ctx := opts.Context
	if ctx == nil {
		ctx = context.Background()
	}
	authOpts, err := auth.clientOpts(use)
	if err != nil {
		return nil, fmt.Errorf("%w: registry %s: %w", ErrSource, url, err)
	}
	cl, err := sr.NewClient(append(append([]sr.ClientOpt{sr.URLs(use)}, authOpts...), opts.RegistryOpts...)...)
	if err != nil {
		return nil, fmt.Errorf("%w: registry %s: %w", ErrSource, url, &redacted{err, secrets})
	}
	fail := func(what string, err error) error {
		var re *sr.ResponseError
		if errors.As(err, &re) {
			switch re.StatusCode {
			case http.StatusUnauthorized:
				return fmt.Errorf("%w: registry %s: %s: not authenticated (401): set EVC_REGISTRY_USER and EVC_REGISTRY_PASSWORD, or EVC_REGISTRY_TOKEN", ErrSource, url, what)
			case http.StatusForbidden:
				return fmt.Errorf("%w: registry %s: %s: access denied (403) with %s", ErrSource, url, what, auth)
			}
		}
		return fmt.Errorf("%w: registry %s: %s: %w", ErrSource, url, what, &redacted{err, secrets})
	}
	e := compat.NewEarlier(url)
	refs := newRefReader(ctx, cl, l)
	seen := map[string]bool{}
	// read adds the versions of one subject as the type called name; for a
	// subject found by listing (check), a schema of another name is not
	// one of RecordNameStrategy and is skipped.
	read := func(name, subject string, versions []int, check bool) error {
		for _, v := range versions {
			what := fmt.Sprintf("subject %q version %d", subject, v)
			ss, err := cl.SchemaByVersion(ctx, subject, v)
			if err != nil {
				return fail(what, err)
			}
			if ss.Type != sr.TypeAvro {
				if check {
					return nil
				}
				return fmt.Errorf("%w: registry %s: %s is %s, not Avro", ErrSource, url, what, ss.Type)
			}
			file := "registry:" + subject + "/versions/" + strconv.Itoa(v)
			lookup, err := refs.lookup(ss.References, 0)
			if err != nil {
				return fail(what, err)
			}
			var fl diag.List
			f := avsc.Read(file, []byte(ss.Schema.Schema), &fl, lookup)
			if check && (f == nil || f.Root == nil || f.Root.Named == nil || f.Root.Named.FullName() != name || fl.HasErrors()) {
				return nil
			}
			l.Merge(&fl)
			if f == nil || f.Root == nil {
				continue
			}
			label := "registry version " + strconv.Itoa(v)
			if opts.Strategy != RecordNameStrategy {
				label = fmt.Sprintf("registry subject %s version %d", subject, v)
			}
			e.Add(name, compat.Version{Label: label, Type: f.Root})
			e.Roots[name] = compat.Root{Name: name, Type: f.Root, Named: f.Root.Named, File: f}
			for _, n := range f.Types {
				e.All[n.FullName()] = n
			}
		}
		return nil
	}
	for _, w := range subjectsOf(opts) {
		seen[w.name] = true
		versions, err := cl.SubjectVersions(ctx, w.subject)
		if err != nil {
			var re *sr.ResponseError
			if errors.As(err, &re) && re.StatusCode == http.StatusNotFound {
				continue // a new type: nothing registered yet
			}
			return nil, fail(fmt.Sprintf("subject %q", w.subject), err)
		}
		sort.Ints(versions)
		if !opts.Transitive && len(versions) > 1 {
			versions = versions[len(versions)-1:]
		}
		if err := read(w.name, w.subject, versions, false); err != nil {
			return nil, err
		}
		if opts.Strategy != RecordNameStrategy && !w.alias {
			// The type is registered under each of its topics'
			// subjects: the latest version of each is checked.
			if vs := e.Versions[w.name]; len(vs) > 0 {
				vs[len(vs)-1].Latest = true
			}
		}
	}
	if opts.Strategy != RecordNameStrategy {
		// Subjects named after topics say nothing of the types that are
		// gone.
		return e, nil
	}
	if len(opts.Namespaces) == 0 {
		return e, nil
	}
	// The subjects of the same namespaces that the new types do not name
	// are types that are gone.
	owned := map[string]bool{}
	for _, ns := range opts.Namespaces {
		owned[ns] = true
	}
	subjects, err := cl.Subjects(ctx)
	if err != nil {
		return nil, fail("listing subjects", err)
	}
	sort.Strings(subjects)
	for _, subject := range subjects {
		name, ok := strings.CutSuffix(subject, opts.SubjectSuffix)
		if !ok || name == "" || seen[name] {
			continue
		}
		if ns, _ := ir.SplitName(name); !owned[ns] {
			continue
		}
		seen[name] = true
		versions, err := cl.SubjectVersions(ctx, subject)
		if err != nil || len(versions) == 0 {
			continue // deleted meanwhile
		}
		sort.Ints(versions)
		if err := read(name, subject, versions[len(versions)-1:], true); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// refReader reads the schemas that registered schemas reference, each
// (subject, version) once per Load: a reference graph that fans out (a
// schema referencing another twice, which does the same, and so on) costs one
// request per schema rather than one per path.
type refReader struct {
	ctx  context.Context
	cl   *sr.Client
	l    *diag.List
	done map[refKey]map[string]*ir.Named
	busy map[refKey]bool
}

type refKey struct {
	subject string
	version int
}

func newRefReader(ctx context.Context, cl *sr.Client, l *diag.List) *refReader {
	return &refReader{ctx: ctx, cl: cl, l: l, done: map[refKey]map[string]*ir.Named{}, busy: map[refKey]bool{}}
}

// lookup returns a lookup over the named types that refs make visible:
// those of the referenced schemas and, as Confluent resolves them, of the
// schemas they reference in turn.
func (r *refReader) lookup(refs []sr.SchemaReference, depth int) (func(string) *ir.Named, error) {
	if len(refs) == 0 {
		return nil, nil
	}
	types := map[string]*ir.Named{}
	for _, ref := range refs {
		ts, err := r.read(ref, depth)
		if err != nil {
			return nil, err
		}
		for name, n := range ts {
			if types[name] == nil {
				types[name] = n
			}
		}
	}
	return func(n string) *ir.Named { return types[n] }, nil
}

// read returns the named types one reference makes visible.
func (r *refReader) read(ref sr.SchemaReference, depth int) (map[string]*ir.Named, error) {
	key := refKey{ref.Subject, ref.Version}
	if ts, ok := r.done[key]; ok {
		return ts, nil
	}
	if r.busy[key] {
		return nil, fmt.Errorf("reference %q: subject %q version %d references itself", ref.Name, ref.Subject, ref.Version)
	}
	if depth > 32 {
		return nil, errors.New("schema references nest too deep")
	}
	r.busy[key] = true
	defer delete(r.busy, key)
	ss, err := r.cl.SchemaByVersion(r.ctx, ref.Subject, ref.Version)
	if err != nil {
		return nil, fmt.Errorf("reference %q: %w", ref.Name, err)
	}
	inner, err := r.lookup(ss.References, depth+1)
	if err != nil {
		return nil, err
	}
	ts := map[string]*ir.Named{}
	for _, sub := range ss.References {
		for name, n := range r.done[refKey{sub.Subject, sub.Version}] {
			ts[name] = n
		}
	}
	f := avsc.Read("registry:"+ref.Subject+"/versions/"+strconv.Itoa(ss.Version), []byte(ss.Schema.Schema), r.l, inner)
	if f != nil {
		for _, n := range f.Types {
			ts[n.FullName()] = n
		}
	}
	r.done[key] = ts
	return ts, nil
}
