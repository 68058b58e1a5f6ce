// Package catalog writes an event catalog: a static web site, one page per
// topic and per named type, an overview with a diagram of the topics and the
// events on each, the version history of the types with the compatibility
// verdict of every change, and a search over names and docs.
//
// The site works from disk with no server and no network: every page is
// plain HTML with relative links, the style and the search script are evc's
// own, and the search index is a script file rather than JSON fetched at run
// time (browsers refuse fetch over file://). Output is deterministic, so a
// site can be checked in or published from CI and diffed.
//
// Like every backend it reads the IR only; what the IR does not hold (the
// compatibility mode in force, the history of earlier versions) the caller
// passes in Options as plain data.
package catalog
