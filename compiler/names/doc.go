// Package names holds Avro's naming rules: what a valid name, namespace and
// full name are, and which names a named type may not take.
package names
