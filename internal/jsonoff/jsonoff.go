// Package jsonoff turns encoding/json's decoder offsets into the offsets of
// the tokens they concern, so that readers of JSON files (evc.json, compat's
// acknowledged-breaks file) can point diagnostics at a value, not at the
// white space or separator before it.
package jsonoff

// Next returns the offset of the first byte at or after off that starts a
// token: json.Decoder.InputOffset stops before the white space, commas and
// colons that separate one token from the next.
func Next(src []byte, off int64) int64 {
	for off < int64(len(src)) {
		switch src[off] {
		case ' ', '\t', '\n', '\r', ',', ':':
			off++
			continue
		}
		break
	}
	return off
}
