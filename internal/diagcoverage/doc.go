// Package diagcoverage holds a test, and nothing else: that every
// diagnostic message evc's checking packages can report is asserted by
// some test, so that no message drifts unseen.
package diagcoverage
