package serde

import (
	"context"
	"crypto/tls"
	"log/slog"
	"time"

	"github.com/twmb/franz-go/pkg/sr"
)

// SubjectStrategy says under which subjects a type's schema is registered.
type SubjectStrategy int

const (
	// RecordNameStrategy registers a type under its full name, such as
	// "squarebot.message". It is the default: a type may travel on several
	// topics and keeps one history.
	RecordNameStrategy SubjectStrategy = iota
	// TopicNameStrategy registers a type under "<topic>-key" or
	// "<topic>-value" for each topic the IDL declares it on, as
	// Confluent's serializers do by default. The value types of a topic
	// then share one subject, which a registry in BACKWARD mode rejects
	// from the second type on; evc compile --subject-strategy
	// TopicNameStrategy warns about such topics.
	TopicNameStrategy
	// TopicRecordNameStrategy registers a type under "<topic>-<full name>"
	// for each topic the IDL declares it on.
	TopicRecordNameStrategy
)

// String returns the strategy's name, as Confluent's serializers call it.
func (s SubjectStrategy) String() string {
	switch s {
	case RecordNameStrategy:
		return "RecordNameStrategy"
	case TopicNameStrategy:
		return "TopicNameStrategy"
	case TopicRecordNameStrategy:
		return "TopicRecordNameStrategy"
	}
	return "SubjectStrategy(?)"
}

// Option configures a Manager.
type Option func(*config)

type config struct {
	urls         []string
	user, pass   string
	basic        bool
	bearer       string
	tls          *tls.Config
	timeout      time.Duration
	retries      int
	minBackoff   time.Duration
	maxBackoff   time.Duration
	strategy     SubjectStrategy
	suffix       string
	compat       sr.CompatibilityLevel
	autoRegister bool
	unknownTTL   time.Duration
	unknownRate  float64
	unknownBurst int
	log          *slog.Logger
	clientOpts   []sr.ClientOpt
	maxBody      int64
	sleep        func(ctx context.Context, d time.Duration) error
}

func defaults() config {
	return config{
		urls:         []string{"http://localhost:8081"},
		timeout:      5 * time.Second,
		retries:      3,
		minBackoff:   100 * time.Millisecond,
		maxBackoff:   2 * time.Second,
		autoRegister: true,
		unknownTTL:   10 * time.Second,
		unknownRate:  20,
		unknownBurst: 100,
		log:          slog.New(slog.DiscardHandler),
		maxBody:      16 << 20,
		sleep:        sleepCtx,
	}
}

// URLs sets the registry's base URLs (default http://localhost:8081). A
// request that gets no answer from one URL after its retries goes to the
// next. Credentials in a URL ("https://user:pass@host") are taken out of it
// and sent, as basic auth, to that URL's origin (scheme, host and port)
// only; they, and the values of a URL's query string, never appear in
// errors or logs.
func URLs(urls ...string) Option {
	return func(c *config) { c.urls = append([]string(nil), urls...) }
}

// BasicAuth authenticates requests to the registry's URLs with HTTP basic
// auth; a URL with credentials of its own uses those. A redirect to
// another origin (another host or port, or from https to http) is
// followed without credentials.
func BasicAuth(user, pass string) Option {
	return func(c *config) { c.user, c.pass, c.basic = user, pass, true }
}

// BearerToken authenticates requests to the registry's URLs with
// "Authorization: Bearer <token>", as BasicAuth does.
func BearerToken(token string) Option {
	return func(c *config) { c.bearer = token }
}

// MaxResponseSize bounds the bytes read of one registry answer (default
// 16 MiB); a larger answer is an error rather than a heap that fills.
func MaxResponseSize(n int64) Option {
	return func(c *config) {
		if n > 0 {
			c.maxBody = n
		}
	}
}

// TLS sets the TLS configuration for https URLs (the default is the
// system's roots).
func TLS(cfg *tls.Config) Option {
	return func(c *config) { c.tls = cfg }
}

// Timeout bounds each attempt of a registry request (default 5s). The
// caller's context bounds the whole request, retries included.
func Timeout(d time.Duration) Option {
	return func(c *config) { c.timeout = d }
}

// Retries sets how many times a request is retried after a network error, a
// timed-out attempt or a 5xx or 429 answer (default 3), and the backoff
// between attempts: it starts at minBackoff and doubles up to maxBackoff,
// with jitter (defaults 100ms and 2s).
func Retries(n int, minBackoff, maxBackoff time.Duration) Option {
	return func(c *config) {
		c.retries = max(n, 0)
		c.minBackoff = max(minBackoff, 0)
		c.maxBackoff = max(maxBackoff, c.minBackoff)
	}
}

// Strategy sets how subjects are named (default RecordNameStrategy).
func Strategy(s SubjectStrategy) Option {
	return func(c *config) { c.strategy = s }
}

// SubjectSuffix appends suffix to every subject, so that a test deployment
// registers its schemas apart from production's, such as
// "squarebot.message_dev" with suffix "_dev".
func SubjectSuffix(suffix string) Option {
	return func(c *config) { c.suffix = suffix }
}

// Compatibility sets the compatibility level of every subject the Manager
// registers under, before registering. With a level set, each schema is
// also tested against its subject explicitly first: a registry answers the
// registration of a schema it already holds with the old id, without any
// check.
func Compatibility(level sr.CompatibilityLevel) Option {
	return func(c *config) { c.compat = level }
}

// AutoRegister sets whether Serialize registers the schema of a type that
// was not registered yet (default true). When false, Serialize looks the
// schema up, and fails with a *NotRegisteredError if it is not there.
func AutoRegister(on bool) Option {
	return func(c *config) { c.autoRegister = on }
}

// UnknownIDTTL sets how long Deserialize remembers that the registry does
// not know a schema id, answering data with that id with an
// *UnknownIDError without asking again (default 10s; 0 always asks). It
// keeps a topic of corrupt data from making a registry call per message.
func UnknownIDTTL(d time.Duration) Option {
	return func(c *config) { c.unknownTTL = d }
}

// UnknownIDLimit bounds the rate of registry lookups that end in "unknown
// schema id" (default 20 a second, in bursts of up to 100; a rate of 0
// removes the bound). Garbage data carries a random schema id in every
// record, which UnknownIDTTL cannot remember away; once the budget is
// spent, Deserialize waits before looking up another new id, so a topic of
// garbage slows its consumer down instead of flooding the registry. Lookups
// that find their schema spend nothing, so valid data is delayed only while
// garbage has just spent the budget.
func UnknownIDLimit(perSecond float64, burst int) Option {
	return func(c *config) { c.unknownRate, c.unknownBurst = max(perSecond, 0), max(burst, 1) }
}

// Logger sets where the Manager logs retries, and the sr client's requests
// at debug level. Nothing logged carries a credential. The default discards.
func Logger(l *slog.Logger) Option {
	return func(c *config) {
		if l != nil {
			c.log = l
		}
	}
}

// ClientOpts passes further options to the sr client, such as
// sr.DefaultSchemaContext or sr.UserAgent. Options that set the HTTP client,
// the URLs, authentication or logging are overridden by the Manager's own.
func ClientOpts(opts ...sr.ClientOpt) Option {
	return func(c *config) { c.clientOpts = append(c.clientOpts, opts...) }
}
