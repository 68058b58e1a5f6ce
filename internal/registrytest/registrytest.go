// Package registrytest gives tests a Schema Registry that checks
// compatibility the way Confluent's does.
//
// franz-go's srfake stores what it is given: its compatibility endpoint
// always answers true and it registers any schema. Check puts an
// interceptor in front of it that runs twmb/avro's CheckCompatibility at
// the subject's level (the subject's own config, else the global one;
// transitive levels against every version, the others against the latest)
// and answers as Confluent does:
//
//   - POST /subjects/{s}/versions: 409 (error_code 409) for a schema that is
//     incompatible, and no registration; a schema already under the subject
//     gets its id back without a check;
//   - POST /compatibility/subjects/{s}/versions[/{v}]: is_compatible, with
//     the reasons in messages when verbose=true; a subject with no versions
//     is compatible with anything;
//   - GET /config/{s}: 404 with error_code 40408 for a subject with no
//     config of its own, unless defaultToGlobal=true.
//
// Schema references are resolved from the registry's own subjects. Paths
// under /contexts/ go to srfake unchecked.
package registrytest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/twmb/avro"
	"github.com/twmb/franz-go/pkg/sr"
	"github.com/twmb/franz-go/pkg/sr/srfake"
)

// Registry is a checking srfake registry served on a loopback port.
type Registry struct {
	*srfake.Registry
	srv *httptest.Server

	mu   sync.Mutex
	reqs []string
}

// New starts a checking registry on 127.0.0.1 that stops when the test
// ends.
func New(t testing.TB, opts ...srfake.Option) *Registry {
	t.Helper()
	r := &Registry{Registry: srfake.NewRegistry(opts...)}
	Check(r.Registry)
	inner := r.Registry.Handler()
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.mu.Lock()
		r.reqs = append(r.reqs, req.Method+" "+req.URL.Path)
		r.mu.Unlock()
		inner.ServeHTTP(w, req)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

// URL returns the registry's base URL.
func (r *Registry) URL() string { return r.srv.URL }

// Requests returns the requests served so far, as "METHOD /path".
func (r *Registry) Requests() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.reqs)
}

// Check makes reg check compatibility like Confluent's registry, through an
// interceptor; interceptors added later run after it. Registrations through
// reg's Go methods (RegisterSchema, SeedSchema) are not checked, so that
// tests can set up any history.
func Check(reg *srfake.Registry) {
	c := &checker{reg: reg}
	reg.Intercept(c.intercept)
}

type checker struct {
	reg *srfake.Registry
	// mu makes a check and the registration it allows one step, as a real
	// registry's single writer does.
	mu sync.Mutex
}

// inner marks the checker's own requests to srfake, which its interceptor
// passes on. Its value is the Authorization header of the request they
// serve, so that srfake's authentication (WithAuth) sees them as it would
// see that request.
type inner struct{}

func (c *checker) intercept(w http.ResponseWriter, r *http.Request) bool {
	if r.Context().Value(inner{}) != nil {
		return false
	}
	r = r.WithContext(context.WithValue(r.Context(), inner{}, r.Header.Get("Authorization")))
	segs := pathSegments(r.URL)
	switch {
	case r.Method == http.MethodPost && len(segs) == 3 && segs[0] == "subjects" && segs[2] == "versions":
		c.register(w, r, segs[1])
	case r.Method == http.MethodPost && len(segs) == 4 && segs[0] == "compatibility" && segs[1] == "subjects" && segs[3] == "versions":
		c.compatibility(w, r, segs[2], "")
	case r.Method == http.MethodPost && len(segs) == 5 && segs[0] == "compatibility" && segs[1] == "subjects" && segs[3] == "versions":
		c.compatibility(w, r, segs[2], segs[4])
	case r.Method == http.MethodGet && len(segs) == 2 && segs[0] == "config":
		c.config(w, r, segs[1])
	default:
		return false
	}
	return true
}

// pathSegments splits u's path and unescapes each segment, so that a
// subject holding a slash stays one segment. Nil for a path it cannot read.
func pathSegments(u *url.URL) []string {
	segs := strings.Split(strings.Trim(u.EscapedPath(), "/"), "/")
	for i, s := range segs {
		v, err := url.PathUnescape(s)
		if err != nil {
			return nil
		}
		segs[i] = v
	}
	return segs
}

func (c *checker) register(w http.ResponseWriter, r *http.Request, subject string) {
	body, s, ok := readSchema(w, r)
	if !ok {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	// A schema the subject already holds gets its id back, unchecked.
	var found sr.SubjectSchema
	status, err := c.call(r.Context(), http.MethodPost, "/subjects/"+url.PathEscape(subject), body, &found)
	if err != nil {
		fail(w, err)
		return
	}
	if status != http.StatusOK {
		msgs, err := c.check(r.Context(), subject, s, "")
		switch {
		case err != nil:
			fail(w, err)
			return
		case len(msgs) > 0:
			writeError(w, http.StatusConflict, 409, fmt.Sprintf("Schema being registered is incompatible with an earlier schema for subject %q, details: [%s]", subject, strings.Join(msgs, ", ")))
			return
		}
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	c.reg.Handler().ServeHTTP(w, r)
}

func (c *checker) compatibility(w http.ResponseWriter, r *http.Request, subject, version string) {
	_, s, ok := readSchema(w, r)
	if !ok {
		return
	}
	c.mu.Lock()
	msgs, err := c.check(r.Context(), subject, s, version)
	c.mu.Unlock()
	if err != nil {
		fail(w, err)
		return
	}
	res := map[string]any{"is_compatible": len(msgs) == 0}
	if v, _ := strconv.ParseBool(r.URL.Query().Get("verbose")); v {
		res["messages"] = append([]string{}, msgs...)
	}
	writeJSON(w, http.StatusOK, res)
}

func (c *checker) config(w http.ResponseWriter, r *http.Request, subject string) {
	level, ok, err := c.subjectLevel(r.Context(), subject)
	switch {
	case err != nil:
		fail(w, err)
	case ok:
		writeJSON(w, http.StatusOK, map[string]string{"compatibilityLevel": level.String()})
	case r.URL.Query().Get("defaultToGlobal") == "true":
		level, err := c.globalLevel(r.Context())
		if err != nil {
			fail(w, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"compatibilityLevel": level.String()})
	default:
		writeError(w, http.StatusNotFound, sr.ErrSubjectLevelCompatibilityNotConfigured.Code,
			fmt.Sprintf("Subject '%s' does not have subject-level compatibility configured", subject))
	}
}

// check returns why s may not follow the versions of subject that its level
// names, or, with version set, that one version ("latest" or a number); no
// reasons when it may.
func (c *checker) check(ctx context.Context, subject string, s sr.Schema, version string) ([]string, error) {
	if s.Type != sr.TypeAvro {
		return nil, &httpError{http.StatusUnprocessableEntity, sr.ErrInvalidSchema.Code, "only Avro schemas are checked, not " + s.Type.String()}
	}
	level, ok, err := c.subjectLevel(ctx, subject)
	if err == nil && !ok {
		level, err = c.globalLevel(ctx)
	}
	if err != nil {
		return nil, err
	}
	neu, err := c.parse(ctx, s)
	if err != nil {
		return nil, &httpError{http.StatusUnprocessableEntity, sr.ErrInvalidSchema.Code, "Invalid schema: " + err.Error()}
	}
	var versions []int
	status, err := c.call(ctx, http.MethodGet, "/subjects/"+url.PathEscape(subject)+"/versions", nil, &versions)
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK {
		versions = nil // no subject: compatible with anything
	}
	slices.Sort(versions)
	switch version {
	case "":
		if !transitive(level) && len(versions) > 1 {
			versions = versions[len(versions)-1:]
		}
	case "latest", "-1":
		if len(versions) > 0 {
			versions = versions[len(versions)-1:]
		}
	default:
		v, err := strconv.Atoi(version)
		if err != nil || v <= 0 {
			return nil, &httpError{http.StatusUnprocessableEntity, sr.ErrInvalidVersion.Code, fmt.Sprintf("The specified version '%s' is not a valid version id", version)}
		}
		if !slices.Contains(versions, v) {
			return nil, &httpError{http.StatusNotFound, sr.ErrVersionNotFound.Code, fmt.Sprintf("Version %d not found.", v)}
		}
		versions = []int{v}
	}
	backward, forward := directions(level)
	var msgs []string
	for _, v := range slices.Backward(versions) {
		var old sr.SubjectSchema
		status, err := c.call(ctx, http.MethodGet, "/subjects/"+url.PathEscape(subject)+"/versions/"+strconv.Itoa(v), nil, &old)
		if err != nil {
			return nil, err
		}
		if status != http.StatusOK {
			continue // deleted meanwhile
		}
		prev, err := c.parse(ctx, old.Schema)
		if err != nil {
			return nil, fmt.Errorf("version %d of %q: %w", v, subject, err)
		}
		var cerr error
		if backward {
			cerr = avro.CheckCompatibility(prev, neu) // the new schema reads old data
		}
		if cerr == nil && forward {
			cerr = avro.CheckCompatibility(neu, prev) // the old schema reads new data
		}
		if cerr != nil {
			msgs = append(msgs, reason(cerr),
				fmt.Sprintf("{oldSchemaVersion: %d}", v),
				fmt.Sprintf("{oldSchema: '%s'}", old.Schema.Schema),
				fmt.Sprintf("{compatibility: '%s'}", level))
			break
		}
	}
	return msgs, nil
}

// directions says which way data must be readable under level.
func directions(level sr.CompatibilityLevel) (backward, forward bool) {
	switch level {
	case sr.CompatBackward, sr.CompatBackwardTransitive:
		return true, false
	case sr.CompatForward, sr.CompatForwardTransitive:
		return false, true
	case sr.CompatFull, sr.CompatFullTransitive:
		return true, true
	}
	return false, false // NONE
}

func transitive(level sr.CompatibilityLevel) bool {
	switch level {
	case sr.CompatBackwardTransitive, sr.CompatForwardTransitive, sr.CompatFullTransitive:
		return true
	}
	return false
}

// reason renders a compatibility error as one of Confluent's verbose
// messages.
func reason(err error) string {
	kind, path, desc := "TYPE_MISMATCH", "/", err.Error()
	var ce *avro.CompatibilityError
	if errors.As(err, &ce) {
		path, desc = ce.Path, ce.Detail
		switch {
		case strings.Contains(ce.Detail, "no default"):
			kind = "READER_FIELD_MISSING_DEFAULT_VALUE"
			if strings.Contains(ce.Detail, "enum symbol") {
				kind = "MISSING_ENUM_SYMBOLS"
			}
		case strings.Contains(ce.Detail, "names do not match"):
			kind = "NAME_MISMATCH"
		case strings.Contains(ce.Detail, "fixed sizes"):
			kind = "FIXED_SIZE_MISMATCH"
		case strings.Contains(ce.Detail, "union"):
			kind = "MISSING_UNION_BRANCH"
		}
		desc = fmt.Sprintf("%s: reader %s, writer %s", ce.Detail, ce.ReaderType, ce.WriterType)
	}
	return fmt.Sprintf("{errorType:'%s', description:'The schema at '%s' is incompatible: %s', additionalInfo:'%s'}", kind, path, desc, path)
}

// parse parses s with the schemas it references, read from the registry.
func (c *checker) parse(ctx context.Context, s sr.Schema) (*avro.Schema, error) {
	cache := new(avro.SchemaCache)
	seen := map[string]bool{}
	var refs func(rs []sr.SchemaReference, depth int) error
	refs = func(rs []sr.SchemaReference, depth int) error {
		if depth > 32 {
			return errors.New("schema references nest too deep")
		}
		for _, ref := range rs {
			key := ref.Subject + "\x00" + strconv.Itoa(ref.Version)
			if seen[key] {
				continue
			}
			seen[key] = true
			var ss sr.SubjectSchema
			status, err := c.call(ctx, http.MethodGet, "/subjects/"+url.PathEscape(ref.Subject)+"/versions/"+strconv.Itoa(ref.Version), nil, &ss)
			if err != nil {
				return err
			}
			if status != http.StatusOK {
				return fmt.Errorf("reference %q: subject %q version %d not found", ref.Name, ref.Subject, ref.Version)
			}
			if err := refs(ss.References, depth+1); err != nil {
				return err
			}
			if _, err := cache.Parse(ss.Schema.Schema); err != nil {
				return fmt.Errorf("reference %q: %w", ref.Name, err)
			}
		}
		return nil
	}
	if err := refs(s.References, 0); err != nil {
		return nil, err
	}
	return cache.Parse(s.Schema)
}

// subjectLevel returns the subject's own compatibility level, if it has
// one.
func (c *checker) subjectLevel(ctx context.Context, subject string) (sr.CompatibilityLevel, bool, error) {
	var res struct {
		Level sr.CompatibilityLevel `json:"compatibilityLevel"`
	}
	status, err := c.call(ctx, http.MethodGet, "/config/"+url.PathEscape(subject)+"?defaultToGlobal=false", nil, &res)
	if err != nil || status != http.StatusOK {
		return 0, false, err
	}
	return res.Level, true, nil
}

func (c *checker) globalLevel(ctx context.Context) (sr.CompatibilityLevel, error) {
	var res struct {
		Level sr.CompatibilityLevel `json:"compatibilityLevel"`
	}
	status, err := c.call(ctx, http.MethodGet, "/config", nil, &res)
	if err == nil && status != http.StatusOK {
		err = fmt.Errorf("global config: status %d", status)
	}
	return res.Level, err
}

// call serves one request with srfake itself and decodes a 200 answer into
// out. A refusal to authenticate (401, 403) is an *httpError that the
// checker answers with.
func (c *checker) call(ctx context.Context, method, target string, body []byte, out any) (int, error) {
	req := httptest.NewRequestWithContext(ctx, method, target, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/vnd.schemaregistry.v1+json")
	if auth, _ := ctx.Value(inner{}).(string); auth != "" {
		req.Header.Set("Authorization", auth)
	}
	rec := httptest.NewRecorder()
	c.reg.Handler().ServeHTTP(rec, req)
	switch rec.Code {
	case http.StatusOK:
	case http.StatusUnauthorized, http.StatusForbidden:
		var e struct {
			Code    int    `json:"error_code"`
			Message string `json:"message"`
		}
		_ = json.Unmarshal(rec.Body.Bytes(), &e)
		return rec.Code, &httpError{rec.Code, e.Code, e.Message}
	default:
		return rec.Code, nil
	}
	if err := json.Unmarshal(rec.Body.Bytes(), out); err != nil {
		return rec.Code, fmt.Errorf("%s %s: %w", method, target, err)
	}
	return rec.Code, nil
}

// readSchema reads a request's schema, answering 422 when it cannot.
func readSchema(w http.ResponseWriter, r *http.Request) ([]byte, sr.Schema, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	var s sr.Schema
	if err == nil {
		err = json.Unmarshal(body, &s)
	}
	if err != nil {
		writeError(w, http.StatusUnprocessableEntity, sr.ErrInvalidSchema.Code, "Invalid schema: "+err.Error())
		return nil, s, false
	}
	return body, s, true
}

type httpError struct {
	status, code int
	msg          string
}

func (e *httpError) Error() string { return e.msg }

// fail answers with err: its own status if it is an *httpError, else 500.
func fail(w http.ResponseWriter, err error) {
	var he *httpError
	if errors.As(err, &he) {
		writeError(w, he.status, he.code, he.msg)
		return
	}
	writeError(w, http.StatusInternalServerError, 50001, err.Error())
}

func writeError(w http.ResponseWriter, status, code int, msg string) {
	writeJSON(w, status, map[string]any{"error_code": code, "message": msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/vnd.schemaregistry.v1+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
