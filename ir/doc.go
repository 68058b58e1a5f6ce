// Package ir is evc's typed model of a set of schemas: named types with
// fully-qualified names, fields, docs, typed default values, custom domain
// types, topics and the source span of every element.
//
// The compiler builds it from .evc and .avsc files; the backends and the
// compatibility checker read it. It is data only: it holds no checking logic
// and imports nothing of evc but diag, so that backends never depend on the
// compiler.
package ir
