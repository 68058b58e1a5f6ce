package ir

// The attributes evc adds to Avro JSON for what the IR holds and Avro has no
// place for. The Avro backend writes them and the .avsc reader reads them
// back into the IR, so that .evc -> .avsc -> .evc loses nothing. Other Avro
// tools keep them as custom properties, and the Parsing Canonical Form
// ignores them.
const (
	// AttrSymbolDocs is an object of enum symbol docs: {"sym": "doc"}.
	AttrSymbolDocs = "x-evc-symbol-docs"
	// AttrDeprecatedSymbols is an object of deprecated enum symbols, each
	// with its reason or true: {"sym": "why", "other": true}.
	AttrDeprecatedSymbols = "x-evc-deprecated-symbols"
	// AttrReserved is a list of reserved field names or enum symbols.
	AttrReserved = "x-evc-reserved"
	// AttrEvent is a record's CloudEvents metadata: {"type": ..., "source": ...}.
	AttrEvent = "x-evc-event"
	// AttrDeprecated marks a named type or a field deprecated: true, or
	// the reason.
	AttrDeprecated = "deprecated"
)
