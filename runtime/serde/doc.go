// Package serde links generated message types to a Confluent Schema
// Registry: it registers their schemas, and serializes and deserializes
// messages in the Confluent wire format (a zero magic byte, the schema id as
// four big-endian bytes, then the Avro binary encoding).
//
// A Manager is evc's counterpart of Kafkit's PydanticSchemaManager. A
// service registers the types it produces at start-up,
//
//	m, err := serde.New(serde.URLs("https://registry:8081"), serde.BasicAuth(user, pass))
//	err = m.Register(ctx, (*squarebot.Message)(nil), (*squarebot.Reaction)(nil))
//
// then serializes with m.Serialize(ctx, msg) and deserializes with
// m.Deserialize(ctx, data), or with DeserializeAs[*squarebot.Message] for a
// concrete type. With a warm cache neither makes a network call: the schema
// id of each type and the writer schema of each id are cached for the
// Manager's lifetime (ids are immutable in a registry).
//
// Deserialization takes the generated decoder (the fast path) when the
// writer's schema has the same Parsing Canonical Form as the type's own, and
// a resolve.Decoder (runtime/resolve), which applies Avro schema resolution,
// when the producer is on another version of the type: one per writer
// schema id, held with the id, so that a message costs no lookup of its
// resolution.
//
// Errors tell the data's faults from the registry's: a *RegistryError whose
// Transient method reports true (no answer, 5xx, 429, a refused credential)
// says nothing about the data, and the router retries such a record rather
// than setting it aside. An id the registry does not know is remembered for
// UnknownIDTTL, and lookups that end that way are paced (UnknownIDLimit), so
// that garbage data cannot flood the registry.
//
// The registry client is franz-go's pkg/sr. Manager adds retries with
// backoff on network errors and 5xx answers, a timeout per attempt, subject
// naming strategies, compatibility settings, caching and typed errors. No
// error and no log line carries a credential.
package serde
