// Package runtime is what generated code and services import. It defines the
// contract every generated message type meets (Message and its Type
// descriptor, which every generated named type has: Named). It imports nothing outside the standard library, so that a
// generated package stays light.
//
// Subpackages: avrobin (the binary encoding primitives generated code calls),
// resolve (decoding data written with another version of a type's schema),
// serde (the Schema Registry manager: register, serialize, deserialize),
// router (the typed routing consumer core), kafka (the franz-go adapter) and
// cloudevents (CloudEvents headers). serde, router and kafka are configured
// alike, with functional options in the style of franz-go's kgo.Opt.
//
// runtime never imports the compiler, the IDL parser or the backends.
package runtime
