package golang

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/evc-dev/evc/backend/golang/internal/kitchen"
	"github.com/evc-dev/evc/runtime/avrobin"
	"github.com/evc-dev/evc/runtime/resolve"
)

// TestDecodeFrom_RecursionBounded: a recursive record decoded field by
// field from another writer's data counts its nesting as its generated
// decoder does, so that a list nested past avrobin.MaxDepth is an ErrDepth
// error rather than a goroutine stack that grows with the input.
func TestDecodeFrom_RecursionBounded(t *testing.T) {
	reader := (*kitchen.Node)(nil).AvroType().Schema()
	// A newer writer: each node has a tag the reader skips, so the node
	// itself changed and is decoded field by field.
	writer := strings.Replace(reader, `"fields":[`, `"fields":[{"name":"tag","type":"string","default":""},`, 1)
	if writer == reader {
		t.Fatalf("no fields in %s", reader)
	}
	list := func(n int) []byte {
		// tag "", value 0, next: the Node branch; the last next is null.
		return append(bytes.Repeat([]byte{0, 0, 2}, n-1), 0, 0, 0)
	}
	var m kitchen.Node
	if err := resolve.DecodeFrom(writer, &m, list(avrobin.MaxDepth)); err != nil {
		t.Fatalf("a list of %d nodes: %v", avrobin.MaxDepth, err)
	}
	depth := 0
	for p := &m; p != nil; p = p.Next {
		depth++
	}
	if depth != avrobin.MaxDepth {
		t.Errorf("decoded %d nodes, want %d", depth, avrobin.MaxDepth)
	}
	err := resolve.DecodeFrom(writer, &m, list(avrobin.MaxDepth+1))
	if !errors.Is(err, avrobin.ErrDepth) {
		t.Errorf("a list of %d nodes: %v, want an ErrDepth error", avrobin.MaxDepth+1, err)
	}
}
