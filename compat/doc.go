// Package compat checks schema evolution the way Apache Avro rules it.
//
// Its core, CheckPair, is Avro Java's SchemaCompatibility
// (checkReaderWriterCompatibility) over evc's IR: it says whether data written
// with one type can be read with another, and it collects every
// incompatibility, not only the first, each with a rule id (after Java's
// SchemaIncompatibilityType), a location and the IR spans of the reader and
// writer elements, so that a report can point at the new schema's source.
//
// On top of it, Check applies a compatibility mode (BACKWARD, FORWARD, FULL,
// their _TRANSITIVE forms, or NONE) to each type against its earlier
// versions, adds the --strict checks Avro lets through (logical types,
// decimal parameters, defaults), applies acknowledged breaks, and turns the
// findings into diagnostics that say the mode, the direction and the fix in
// plain words, ending with the upgrade order the change needs.
//
// compat reads no files: the earlier versions (an Earlier) come from package
// compat/source (a folder or file of .evc or .avsc, a history folder with
// every released version of each type, a git revision, or a
// Confluent-compatible Schema Registry), and internal/driver runs the whole
// check for evc compat.
package compat
