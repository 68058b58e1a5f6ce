// Package config reads evc.json, the workspace file: the settings evc reads
// from the folder it runs in rather than from flags.
package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"

	"github.com/evc-dev/evc/compat"
	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/internal/jsonoff"
)

// Name is the workspace file evc reads from the current directory when no
// other is named.
const Name = "evc.json"

// Config is an evc.json file, the workspace file: it says where the
// schemas are, what is not one, where compile writes and how compat checks,
// so that evc compile and evc compat need no arguments in its folder.
//
//	{
//	  "roots": ["schemas"],
//	  "exclude": ["schemas/legacy"],
//	  "compile": {"avro_out": "gen/avro", "go_out": "gen/go"},
//	  "compat": {"against": "git:origin/main"}
//	}
//
// Every key is optional. Paths are relative to the file's folder.
type Config struct {
	// File is the path of the file, as given.
	File string
	// Roots are the folders and files of schemas that compile and compat
	// read when no PATH is given.
	Roots []string
	// Exclude are folders and files under the roots that are not sources
	// (the folders compile writes to are excluded too).
	Exclude []string
	// Compile holds the default outputs of evc compile.
	Compile Compile
	// Compat is the "compat" section.
	Compat Compat
}

// Compile is the "compile" section: the defaults of evc compile's flags.
type Compile struct {
	AvroOut, GoOut, GoModule string
}

// Skip returns the folders and files that are not sources: Exclude, and
// the outputs of compile.
func (c *Config) Skip() []string {
	if c == nil {
		return nil
	}
	skip := append([]string(nil), c.Exclude...)
	for _, d := range []string{c.Compile.AvroOut, c.Compile.GoOut} {
		if d != "" {
			skip = append(skip, d)
		}
	}
	return skip
}

// Compat is the "compat" section of an evc.json file:
//
//	{
//	  "compat": {
//	    "mode": "FORWARD",
//	    "types": {"acme.AuditLog": "NONE", "acme.UserCreated": "FULL_TRANSITIVE"},
//	    "against": "git:origin/main",
//	    "ack_file": "schemas/evc-compat-ack.json",
//	    "registry": {
//	      "url": "https://registry.example.com",
//	      "subject_suffix": "-value",
//	      "namespaces": ["acme.billing"],
//	      "ca_file": "certs/ca.pem",
//	      "cert_file": "certs/client.pem",
//	      "key_file": "certs/client-key.pem"
//	    }
//	  }
//	}
//
// Every key is optional. Paths are relative to the file's folder. The file
// holds no credentials: they come from flags or the environment.
type Compat struct {
	// Mode is the default mode of the types the IDL sets none for.
	Mode     compat.Mode
	ModeSpan diag.Span
	// Types are modes for single top-level types, by full name; the IDL's
	// @compat on the type overrides them.
	Types map[string]compat.Mode
	// TypeSpans are where each type's name is in the file.
	TypeSpans map[string]diag.Span
	// Against is the default SOURCE, used when --against is not given; a
	// folder or file (or history:DIR) is resolved from the file's folder.
	Against     string
	AgainstSpan diag.Span
	// AckFile is the file of acknowledged breaks, relative to the current
	// directory (resolved from the config file's folder).
	AckFile string
	// Registry configures registry:URL sources.
	Registry Registry
}

// Registry is the "registry" object of the compat section.
type Registry struct {
	// URL is the registry's base URL, used by --against registry (with no
	// URL). It must not hold credentials.
	URL string
	// SubjectSuffix is appended to every subject, such as "-value" after
	// a type's full name.
	SubjectSuffix string
	// SubjectStrategy names the subjects: RecordNameStrategy (also when
	// ""), TopicNameStrategy or TopicRecordNameStrategy.
	SubjectStrategy string
	// Namespaces are the namespaces whose subjects the checked PATHs own:
	// a subject of one of them that no new type names is a removed type.
	// NamespacesSet says the file set them (an empty list reports no
	// removed types); by default they are the new top-level types'.
	Namespaces    []string
	NamespacesSet bool
	// CAFile, CertFile and KeyFile are PEM files for TLS: the roots to
	// trust, and a client certificate and its key. Relative to the current
	// directory (resolved from the config file's folder).
	CAFile, CertFile, KeyFile string
}

// Parse reads an evc.json file. Problems are reported to l at their
// position in the file; the result is nil when there were any.
func Parse(file string, src []byte, l *diag.List) *Config {
	p := &configParser{file: file, src: src, l: l, dec: json.NewDecoder(bytes.NewReader(src))}
	cfg := &Config{File: file, Compat: Compat{Types: map[string]compat.Mode{}, TypeSpans: map[string]diag.Span{}}}
	c := &cfg.Compat
	base := path.Dir(strings.ReplaceAll(file, "\\", "/"))
	rel := func(p string) string {
		if p == "" || path.IsAbs(p) || base == "." {
			return p
		}
		return path.Join(base, p)
	}
	ok := p.object("", func(key string, at diag.Span) bool {
		switch key {
		case "roots", "exclude":
			list, ok := p.strs(key)
			for i := range list {
				list[i] = rel(list[i])
			}
			if key == "roots" {
				cfg.Roots = list
			} else {
				cfg.Exclude = list
			}
			return ok
		case "compile":
			return p.object(key, func(key string, at diag.Span) bool {
				s, _, ok := p.str(key)
				if !ok {
					return false
				}
				switch key {
				case "avro_out":
					cfg.Compile.AvroOut = rel(s)
				case "go_out":
					cfg.Compile.GoOut = rel(s)
				case "go_module":
					cfg.Compile.GoModule = s
				default:
					p.errorf(at, "unknown key %q in \"compile\"", key).Help = "the keys are avro_out, go_out and go_module"
					return false
				}
				return true
			})
		case "compat":
		default:
			p.errorf(at, "unknown key %q", key).Help = `the keys are roots, exclude, compile and compat`
			return false
		}
		return p.object("compat", func(key string, at diag.Span) bool {
			switch key {
			case "mode":
				s, sp, ok := p.str(key)
				if !ok {
					return false
				}
				m, ok := p.mode(s, sp)
				c.Mode, c.ModeSpan = m, sp
				return ok
			case "types":
				return p.object(key, func(name string, at diag.Span) bool {
					s, sp, ok := p.str(name)
					if !ok {
						return false
					}
					m, ok := p.mode(s, sp)
					if _, dup := c.Types[name]; dup {
						p.errorf(at, "type %q is listed twice", name)
						return false
					}
					c.Types[name], c.TypeSpans[name] = m, at
					return ok
				})
			case "against":
				s, sp, ok := p.str(key)
				switch {
				case strings.HasPrefix(s, "git:"), strings.HasPrefix(s, "registry:"), s == "registry":
				case strings.HasPrefix(s, "history:"):
					s = "history:" + rel(strings.TrimPrefix(s, "history:"))
				default:
					s = rel(s)
				}
				c.Against, c.AgainstSpan = s, sp
				return ok
			case "ack_file":
				s, _, ok := p.str(key)
				c.AckFile = rel(s)
				return ok
			case "registry":
				return p.object(key, func(key string, at diag.Span) bool {
					if key == "namespaces" {
						list, ok := p.strs(key)
						c.Registry.Namespaces, c.Registry.NamespacesSet = list, true
						return ok
					}
					s, sp, ok := p.str(key)
					if !ok {
						return false
					}
					switch key {
					case "url":
						if strings.Contains(s, "@") {
							p.errorf(sp, "the registry URL must not hold credentials").Help = "set EVC_REGISTRY_USER and EVC_REGISTRY_PASSWORD (or EVC_REGISTRY_TOKEN) in the environment instead"
							return false
						}
						c.Registry.URL = s
					case "subject_suffix":
						c.Registry.SubjectSuffix = s
					case "subject_strategy":
						switch s {
						case "RecordNameStrategy", "TopicNameStrategy", "TopicRecordNameStrategy":
							c.Registry.SubjectStrategy = s
						default:
							p.errorf(sp, "unknown subject strategy %q", s).Help = "the strategies are RecordNameStrategy (the default), TopicNameStrategy and TopicRecordNameStrategy"
							return false
						}
					case "ca_file":
						c.Registry.CAFile = rel(s)
					case "cert_file":
						c.Registry.CertFile = rel(s)
					case "key_file":
						c.Registry.KeyFile = rel(s)
					default:
						p.errorf(at, "unknown key %q in \"registry\"", key).Help = "the keys are url, subject_strategy, subject_suffix, namespaces, ca_file, cert_file and key_file"
						return false
					}
					return true
				})
			}
			p.errorf(at, "unknown key %q in \"compat\"", key).Help = "the keys are mode, types, against, ack_file and registry"
			return false
		})
	})
	if !ok {
		return nil
	}
	end := jsonoff.Next(src, p.dec.InputOffset())
	if _, err := p.dec.Token(); err != io.EOF {
		p.errorf(p.at(end), "unexpected data after the object")
		return nil
	}
	if c.Registry.CertFile != "" && c.Registry.KeyFile == "" || c.Registry.CertFile == "" && c.Registry.KeyFile != "" {
		p.errorf(p.at(0), "registry: cert_file and key_file go together")
		return nil
	}
	return cfg
}

// TypeNames returns the names of the per-type modes, sorted.
func (c *Compat) TypeNames() []string {
	names := make([]string, 0, len(c.Types))
	for n := range c.Types {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// configParser walks an evc.json file token by token, so that every problem
// has a position.
type configParser struct {
	file string
	src  []byte
	l    *diag.List
	dec  *json.Decoder
	bad  bool
}

func (p *configParser) at(off int64) diag.Span { return diag.At(diag.PosAt(p.file, p.src, int(off))) }

func (p *configParser) errorf(sp diag.Span, format string, args ...any) *diag.Diagnostic {
	p.bad = true
	return p.l.Errorf(sp, format, args...)
}

// syntax reports a JSON syntax error where the decoder stopped.
func (p *configParser) syntax(err error) bool {
	off := p.dec.InputOffset()
	msg := err.Error()
	if se, ok := err.(*json.SyntaxError); ok {
		off = badCharAt(p.src, se.Offset, msg)
	}
	// Go releases word a truncated input differently (io.ErrUnexpectedEOF,
	// or a syntax error): say it one way.
	if err == io.EOF || err == io.ErrUnexpectedEOF || strings.Contains(msg, "unexpected end of JSON input") {
		msg = "unexpected end of file"
		off = int64(len(p.src))
	}
	p.errorf(p.at(off), "%s", msg)
	return false
}

// badCharAt returns the offset of the character a JSON syntax error names
// ("invalid character 'x' ..."): at the error's offset or just before it,
// as Go releases count it differently.
func badCharAt(src []byte, off int64, msg string) int64 {
	c, ok := strings.CutPrefix(msg, "invalid character '")
	if !ok || len(c) < 2 || c[1] != '\'' {
		return off
	}
	for _, o := range []int64{off - 1, off, off - 2} {
		if o >= 0 && o < int64(len(src)) && src[o] == c[0] {
			return o
		}
	}
	return off
}

// object reads a JSON object and calls each for every key, with the key's
// position; the callback reads the value. It returns false after a problem.
func (p *configParser) object(name string, each func(key string, at diag.Span) bool) bool {
	start := jsonoff.Next(p.src, p.dec.InputOffset())
	tok, err := p.dec.Token()
	if err != nil {
		return p.syntax(err)
	}
	if tok != json.Delim('{') {
		what := "the file"
		if name != "" {
			what = fmt.Sprintf("%q", name)
		}
		p.errorf(p.at(start), "%s must be a JSON object", what)
		return false
	}
	for p.dec.More() {
		off := jsonoff.Next(p.src, p.dec.InputOffset())
		tok, err := p.dec.Token()
		if err != nil {
			return p.syntax(err)
		}
		key, _ := tok.(string)
		if !each(key, p.at(off)) {
			return false
		}
	}
	if _, err := p.dec.Token(); err != nil {
		return p.syntax(err)
	}
	return true
}

// str reads a string value.
func (p *configParser) str(key string) (string, diag.Span, bool) {
	off := jsonoff.Next(p.src, p.dec.InputOffset())
	sp := p.at(off)
	tok, err := p.dec.Token()
	if err != nil {
		return "", sp, p.syntax(err)
	}
	s, ok := tok.(string)
	if !ok {
		p.errorf(sp, "%q must be a string", key)
		return "", sp, false
	}
	return s, sp, true
}

// strs reads an array of strings.
func (p *configParser) strs(key string) ([]string, bool) {
	off := jsonoff.Next(p.src, p.dec.InputOffset())
	tok, err := p.dec.Token()
	if err != nil {
		return nil, p.syntax(err)
	}
	if tok != json.Delim('[') {
		p.errorf(p.at(off), "%q must be an array of strings", key)
		return nil, false
	}
	list := []string{}
	for p.dec.More() {
		off := jsonoff.Next(p.src, p.dec.InputOffset())
		tok, err := p.dec.Token()
		if err != nil {
			return nil, p.syntax(err)
		}
		s, ok := tok.(string)
		if !ok {
			p.errorf(p.at(off), "%q must be an array of strings", key)
			return nil, false
		}
		list = append(list, s)
	}
	if _, err := p.dec.Token(); err != nil {
		return nil, p.syntax(err)
	}
	return list, true
}

func (p *configParser) mode(s string, sp diag.Span) (compat.Mode, bool) {
	m, err := compat.ParseMode(s)
	if err != nil {
		p.errorf(sp, "unknown compatibility mode %q", s).Help = compat.ModeHelp
		return "", false
	}
	return m, true
}
