package jsonoff

import (
	"bytes"
	"encoding/json"
	"testing"
)

func TestNext(t *testing.T) {
	src := []byte("{\"a\" :\n\t 1 , \"b\": [2]}")
	tests := []struct {
		off  int64
		want string
	}{
		{0, `{`},
		{4, `1`},
		{10, `"b"`},
		{16, `[`},
		{int64(len(src)), ``},
	}
	for _, tt := range tests {
		got := Next(src, tt.off)
		if rest := string(src[got:]); len(rest) < len(tt.want) || rest[:len(tt.want)] != tt.want {
			t.Errorf("Next(src, %d) = %d (%q), want the offset of %q", tt.off, got, rest, tt.want)
		}
	}
	// After a key, the decoder stops before the colon: Next skips it.
	dec := json.NewDecoder(bytes.NewReader(src))
	for range 2 {
		if _, err := dec.Token(); err != nil {
			t.Fatal(err)
		}
	}
	if got := Next(src, dec.InputOffset()); src[got] != '1' {
		t.Errorf("after the first key, Next = %d (%q), want the value 1", got, src[got:])
	}
}
