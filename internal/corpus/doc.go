// Package corpus is evc's reference corpus for tests, embedded: Apache Avro's
// schema compatibility pairs (compat/cases.jsonl), the pairs where Avro Java
// and python3-avro 1.11.1 disagree (compat/divergences.jsonl), 1,882
// generated evolution pairs with the verdicts of Avro Java master and
// python3-avro (compat/java-master-pairs.jsonl), binary
// encoding vectors (vectors/vectors.jsonl) and the 72 real Open edX event
// schemas (realworld/openedx-events/*.avsc).
//
// The files live under testdata/, laid out as in the shared corpus they were
// copied from, with their attribution in testdata/NOTICE and their
// description in testdata/README.md. They are compiled into the test binaries
// that import the package, so any package's tests can use them, from any
// working directory, and no test reads anything outside the repository.
//
// Each loader parses the embedded text on every call and returns fresh values.
// The text is fixed at build time and checked by this package's own tests, so
// a loader panics if it is malformed (an edit that broke a file) instead of
// returning an error every caller would have to handle.
package corpus
