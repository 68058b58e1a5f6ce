// Package lsp is evc's language server: the Language Server Protocol (3.17)
// over a stream, for .evc files in an editor.
//
// It compiles the workspace with the same compiler the CLI runs, over the
// editor's unsaved buffers, and answers from the IR: diagnostics (with
// related places and help), compatibility against the workspace's baseline
// as you type, hover, definition, references, rename, completion, document
// symbols, formatting (as evc fmt) and quick fixes. Positions are the
// front end's: every declaration, name and type reference in the IR carries
// its span, so nothing here re-scans source text.
//
// The transport is github.com/sourcegraph/jsonrpc2 (Content-Length framed
// JSON-RPC 2.0); the protocol types are the subset of LSP 3.17 evc uses.
package lsp
