// Package compiler turns .evc and .avsc files into one checked ir.Schema:
// it loads the files and their imports, resolves names, checks types and
// default values, and reports every problem it finds as a positioned
// diagnostic. Compatibility checking lives beside it, in package compat.
package compiler
