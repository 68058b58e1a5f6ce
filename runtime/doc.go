// Package runtime is what generated code and services import. It defines the
// contract every generated message type meets (Message and its Type
// descriptor) and the schema resolution that lets a generated type read data
// written with another version of its schema.
//
// Subpackages: avrobin (the binary encoding primitives generated code calls),
// serde (the Schema Registry manager: register, serialize, deserialize),
// router (the typed routing consumer core), kafka (the franz-go adapter) and
// cloudevents (CloudEvents headers).
//
// runtime never imports the compiler, the IDL parser or the backends.
package runtime
