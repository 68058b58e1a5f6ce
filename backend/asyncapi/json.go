package asyncapi

import (
	"bytes"
	"encoding/json"
)

// obj is a JSON object whose keys keep their order.
type obj []kv

type kv struct {
	k string
	v any
}

// writeJSON writes v indented by two spaces: obj, []any, string, bool,
// int and json.RawMessage (written as it is, on one line).
func writeJSON(b *bytes.Buffer, v any, indent string) {
	switch v := v.(type) {
	case obj:
		if len(v) == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteString("{\n")
		for i, e := range v {
			b.WriteString(indent + "  ")
			key, _ := json.Marshal(e.k)
			b.Write(key)
			b.WriteString(": ")
			writeJSON(b, e.v, indent+"  ")
			if i < len(v)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(indent + "}")
	case []any:
		if len(v) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteString("[\n")
		for i, e := range v {
			b.WriteString(indent + "  ")
			writeJSON(b, e, indent+"  ")
			if i < len(v)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(indent + "]")
	case json.RawMessage:
		b.Write(v)
	default:
		data, err := json.Marshal(v)
		if err != nil {
			panic(err) // strings, bools and ints only
		}
		b.Write(data)
	}
}
