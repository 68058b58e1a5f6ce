// Package asyncapi writes an AsyncAPI 3.0 document of a workspace's topics:
// a channel per topic, a message per event type with its Avro schema, Kafka
// bindings with the key schema, and the CloudEvents headers of events, so
// that the tools that read AsyncAPI (EventCatalog among them) see what evc
// knows.
//
// The document is JSON (a subset of YAML, so either reader takes it), built
// from ordered values rather than maps so that the same schemas always give
// the same bytes.
package asyncapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/evc-dev/evc/backend/avro"
	"github.com/evc-dev/evc/ir"
)

// Options describe the document's info object.
type Options struct {
	// Title and Version head the document; "" gives "Events" and "1.0.0".
	Title, Version string
	// Description is the document's description; "" gives one that says
	// evc wrote it.
	Description string
}

// AvroFormat is the schemaFormat of an Avro schema in AsyncAPI 3.0.
const AvroFormat = "application/vnd.apache.avro+json;version=1.9.0"

// kafkaBinding is the version of the AsyncAPI Kafka bindings used.
const kafkaBinding = "0.5.0"

// Generate returns the AsyncAPI document of s's topics. Types that no topic
// carries are left out: AsyncAPI describes channels, not a type library.
func Generate(s *ir.Schema, opts Options) ([]byte, error) {
	if opts.Title == "" {
		opts.Title = "Events"
	}
	if opts.Version == "" {
		opts.Version = "1.0.0"
	}
	if opts.Description == "" {
		opts.Description = "The Kafka topics of this workspace and the events on them, written by evc doc from the evc schemas."
	}
	topics := append([]*ir.Topic(nil), s.Topics...)
	sort.SliceStable(topics, func(i, j int) bool { return topics[i].Name < topics[j].Name })
	g := &gen{ids: map[string]string{}, used: map[string]bool{}, keys: keysOf(topics)}
	var channels, operations obj
	for _, t := range topics {
		chID := g.id("channel", t.Name)
		var chMsgs obj
		for _, v := range t.Values {
			mID := g.message(t, v)
			chMsgs = append(chMsgs, kv{mID, ref("#/components/messages/" + mID)})
		}
		ch := obj{{"address", t.Name}}
		if d := strings.TrimSpace(t.Doc); d != "" {
			ch = append(ch, kv{"description", d})
		}
		ch = append(ch,
			kv{"messages", chMsgs},
			kv{"bindings", obj{{"kafka", obj{{"topic", t.Name}, {"bindingVersion", kafkaBinding}}}}},
		)
		channels = append(channels, kv{chID, ch})
		opMsgs := make([]any, 0, len(chMsgs))
		for _, m := range chMsgs {
			opMsgs = append(opMsgs, ref("#/channels/"+chID+"/messages/"+m.k))
		}
		operations = append(operations, kv{g.id("op", "receive_"+t.Name), obj{
			{"action", "receive"},
			{"channel", ref("#/channels/" + chID)},
			{"summary", "Consume the records of " + t.Name + "."},
			{"messages", opMsgs},
		}})
	}
	doc := obj{
		{"asyncapi", "3.0.0"},
		{"info", obj{{"title", opts.Title}, {"version", opts.Version}, {"description", opts.Description}}},
		{"defaultContentType", ContentType},
		{"channels", channels},
		{"operations", operations},
		{"components", obj{{"schemas", g.schemas}, {"messages", g.messages}}},
	}
	var b bytes.Buffer
	writeJSON(&b, doc, "")
	b.WriteByte('\n')
	return b.Bytes(), nil
}

// ContentType is the content type of a record's value: Avro binary, in the
// Confluent wire format.
const ContentType = "avro/binary"

type gen struct {
	// ids maps a kind and a name to the id given; used holds the ids given.
	ids  map[string]string
	used map[string]bool
	// keys holds, for each value type, the key types of the topics that
	// carry it: one message serves them all when they agree.
	keys              map[string][]string
	schemas, messages obj
}

// keysOf lists the distinct key types of the topics carrying each value type.
func keysOf(topics []*ir.Topic) map[string][]string {
	out := map[string][]string{}
	for _, t := range topics {
		key := ""
		if t.Key != nil {
			key = t.Key.Name()
		}
		for _, v := range t.Values {
			if !slices.Contains(out[v.Name()], key) {
				out[v.Name()] = append(out[v.Name()], key)
			}
		}
	}
	return out
}

// id returns a component id for name, unique among its kind and made of the
// characters AsyncAPI allows in component keys.
func (g *gen) id(kind, name string) string {
	key := kind + "\x00" + name
	if id, ok := g.ids[key]; ok {
		return id
	}
	var b strings.Builder
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	base := b.String()
	id := base
	for i := 2; g.used[kind+"\x00"+id]; i++ {
		id = fmt.Sprintf("%s_%d", base, i)
	}
	g.used[kind+"\x00"+id] = true
	g.ids[key] = id
	return id
}

// message adds the message for value type v on topic t, unless it is there,
// and returns its id. A type carried by topics with different keys gets a
// message per topic, since the key belongs to the message's Kafka binding.
func (g *gen) message(t *ir.Topic, v *ir.Type) string {
	name := v.Name()
	if len(g.keys[name]) > 1 {
		name += " on " + t.Name
	}
	if id, ok := g.ids["message\x00"+name]; ok {
		return id
	}
	id := g.id("message", name)
	m := obj{{"name", shortName(v)}, {"title", v.Name()}}
	doc := ""
	if v.Named != nil {
		doc = strings.TrimSpace(v.Named.Doc)
	}
	if doc != "" {
		m = append(m, kv{"summary", firstSentence(doc)}, kv{"description", doc})
	}
	m = append(m, kv{"contentType", ContentType})
	if v.Named != nil && v.Named.Event != nil {
		m = append(m, kv{"headers", cloudEventHeaders(v.Named.Event)})
	}
	m = append(m, kv{"payload", ref("#/components/schemas/" + g.schema(v))})
	kb := obj{}
	if t.Key != nil {
		kb = append(kb, kv{"key", ref("#/components/schemas/" + g.schema(t.Key))})
	}
	kb = append(kb,
		kv{"schemaIdLocation", "payload"},
		kv{"schemaIdPayloadEncoding", "confluent"},
		kv{"bindingVersion", kafkaBinding},
	)
	m = append(m, kv{"bindings", obj{{"kafka", kb}}})
	if v.Named != nil && v.Named.Deprecated {
		m = append(m, kv{"x-deprecated", true})
	}
	g.messages = append(g.messages, kv{id, m})
	return id
}

// schema adds t's Avro schema to the components, unless it is there, and
// returns its id.
func (g *gen) schema(t *ir.Type) string {
	name := t.Name()
	if id, ok := g.ids["schema\x00"+name]; ok {
		return id
	}
	id := g.id("schema", name)
	g.schemas = append(g.schemas, kv{id, obj{{"schemaFormat", AvroFormat}, {"schema", json.RawMessage(avro.TypeJSON(t, false))}}})
	return id
}

// cloudEventHeaders describes the CloudEvents binary-mode Kafka headers an
// event carries (ce_ prefixed attributes), with its type fixed.
func cloudEventHeaders(e *ir.Event) obj {
	str := func(desc string) obj { return obj{{"type", "string"}, {"description", desc}} }
	typ := obj{{"type", "string"}, {"description", "The CloudEvents type."}, {"const", e.Type}}
	src := str("The CloudEvents source: the context in which the event happened.")
	if e.Source != "" {
		src = obj{{"type", "string"}, {"description", "The CloudEvents source."}, {"const", e.Source}}
	}
	return obj{
		{"type", "object"},
		{"description", "CloudEvents attributes in Kafka headers (binary content mode)."},
		{"properties", obj{
			{"ce_specversion", obj{{"type", "string"}, {"description", "The CloudEvents version."}, {"const", "1.0"}}},
			{"ce_id", str("Identifies the event; unique for its source.")},
			{"ce_source", src},
			{"ce_type", typ},
			{"ce_time", obj{{"type", "string"}, {"description", "When the event happened (RFC 3339)."}, {"format", "date-time"}}},
			{"content-type", obj{{"type", "string"}, {"description", "The content type of the value."}, {"const", ContentType}}},
		}},
		{"required", []any{"ce_specversion", "ce_id", "ce_source", "ce_type"}},
	}
}

func shortName(t *ir.Type) string {
	if t.Named != nil {
		return t.Named.Name
	}
	return t.Name()
}

// firstSentence is a doc's summary line.
func firstSentence(doc string) string {
	doc = strings.Join(strings.Fields(doc), " ")
	if i := strings.Index(doc, ". "); i >= 0 {
		return doc[:i+1]
	}
	return doc
}

func ref(to string) obj { return obj{{"$ref", to}} }
