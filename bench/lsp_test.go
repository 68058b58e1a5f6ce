package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sourcegraph/jsonrpc2"

	"github.com/evc-dev/evc/internal/workspace"
	"github.com/evc-dev/evc/lsp"
)

// BenchmarkLSP measures the language server on the workspace of
// BenchmarkCompile (500 records of 20 fields in 50 files): an edit to the
// middle file until its diagnostics are published (a comment; a field added
// to a record the next file uses; one to a record nothing else uses), a
// hover and a definition. Each
// reports its 95th percentile as ms-p95 beside the mean; an edit also its
// CPU time (cpu-ms/op, which a loaded machine does not inflate as it does
// wall time) and the heap in use after the edits (MB-heap), server and
// client together.
func BenchmarkLSP(b *testing.B) {
	// As the evc binary runs, evc lsp included (cmd/evc/main.go).
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	dir := b.TempDir()
	evcFiles, _, err := workspace.Write(dir, workspace.Default)
	if err != nil {
		b.Fatal(err)
	}
	// Files written a moment ago are read again on every edit (the server
	// keeps a file's text once its time is safely past); a workspace's files
	// are older than that.
	old := time.Now().Add(-time.Hour)
	for _, f := range evcFiles {
		if err := os.Chtimes(f, old, old); err != nil {
			b.Fatal(err)
		}
	}
	root := filepath.ToSlash(filepath.Dir(evcFiles[0]))
	file := filepath.ToSlash(evcFiles[len(evcFiles)/2])
	text, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	c := newLSPClient(b, root)
	uri := "file://" + file
	c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": uri, "languageId": "evc", "version": 1, "text": string(text)}})
	c.sync(uri)

	// The position of the first use of a type declared in another file or
	// this one: the type of a record's field that names a record.
	lines := strings.Split(string(text), "\n")
	var at map[string]int
	for i, l := range lines {
		if j := strings.Index(l, "record "); j >= 0 {
			at = map[string]int{"line": i, "character": j + len("record ") + 1}
			break
		}
	}
	if at == nil {
		b.Fatal("no record in the file")
	}
	pos := map[string]any{"textDocument": map[string]any{"uri": uri}, "position": at}

	version := 1
	// Toggle a comment at the end, so every edit changes the text.
	b.Run("edit", func(b *testing.B) {
		benchEdits(b, c, uri, &version, func(v int) string { return string(text) + fmt.Sprintf("\n// edit %d\n", v) })
	})
	// Add a field to a record: the one the next file uses (which is then
	// compiled again too), and one nothing else uses.
	for _, r := range []struct{ name, record string }{{"edit-used-type", "_01 {\n"}, {"edit-unused-type", "_09 {\n"}} {
		i := strings.Index(string(text), r.record)
		if i < 0 {
			b.Fatalf("no record%s in the file", r.record)
		}
		i += len(r.record)
		b.Run(r.name, func(b *testing.B) {
			benchEdits(b, c, uri, &version, func(v int) string {
				return string(text[:i]) + fmt.Sprintf("  extra_%d: int = %d;\n", v, v) + string(text[i:])
			})
		})
	}
	// Back as it was, for hover and definition.
	version++
	c.notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": uri, "version": version},
		"contentChanges": []map[string]any{{"text": string(text)}},
	})
	c.sync(uri)
	b.Run("hover", func(b *testing.B) {
		var times []time.Duration
		for b.Loop() {
			start := time.Now()
			var h json.RawMessage
			c.call("textDocument/hover", pos, &h)
			times = append(times, time.Since(start))
			if len(h) < 10 {
				b.Fatalf("hover: %s", h)
			}
		}
		reportP95(b, times)
	})
	b.Run("definition", func(b *testing.B) {
		var times []time.Duration
		for b.Loop() {
			start := time.Now()
			var locs []json.RawMessage
			c.call("textDocument/definition", pos, &locs)
			times = append(times, time.Since(start))
			if len(locs) != 1 {
				b.Fatalf("definition: %d locations", len(locs))
			}
		}
		reportP95(b, times)
	})
}

// benchEdits edits the document at uri again and again, each time until
// its diagnostics are published; edited gives the text of each version.
func benchEdits(b *testing.B, c *lspClient, uri string, version *int, edited func(version int) string) {
	var times []time.Duration
	cpu := cpuTime()
	for b.Loop() {
		*version++
		text := edited(*version)
		start := time.Now()
		c.notify("textDocument/didChange", map[string]any{
			"textDocument":   map[string]any{"uri": uri, "version": *version},
			"contentChanges": []map[string]any{{"text": text}},
		})
		c.sync(uri)
		times = append(times, time.Since(start))
	}
	reportP95(b, times)
	// CPU time per edit, which a loaded machine does not inflate as it
	// does wall time.
	b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/1000/float64(len(times)), "cpu-ms/op")
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "MB-heap")
}

// BenchmarkLSPCompat is BenchmarkLSP's edit with compatibility as you
// type: the workspace file names a folder of earlier versions (the same
// schemas), so every edit is also checked against all 500 records.
func BenchmarkLSPCompat(b *testing.B) {
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	dir := b.TempDir()
	evcFiles, _, err := workspace.Write(dir, workspace.Default)
	if err != nil {
		b.Fatal(err)
	}
	root := filepath.Dir(evcFiles[0])
	if err := os.MkdirAll(filepath.Join(root, "baseline"), 0o755); err != nil {
		b.Fatal(err)
	}
	for _, f := range evcFiles {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, "baseline", filepath.Base(f)), data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(root, "evc.json"), []byte(`{"compat": {"mode": "BACKWARD", "against": "baseline"}}`), 0o644); err != nil {
		b.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	_ = filepath.Walk(root, func(p string, _ os.FileInfo, _ error) error { return os.Chtimes(p, old, old) })
	file := filepath.ToSlash(evcFiles[len(evcFiles)/2])
	text, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	c := newLSPClient(b, filepath.ToSlash(root))
	uri := "file://" + file
	c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": uri, "languageId": "evc", "version": 1, "text": string(text)}})
	c.sync(uri)
	version := 1
	b.Run("edit", func(b *testing.B) {
		benchEdits(b, c, uri, &version, func(v int) string { return string(text) + fmt.Sprintf("\n// edit %d\n", v) })
	})
}

// cpuTime is the CPU time the process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func reportP95(b *testing.B, times []time.Duration) {
	if len(times) == 0 {
		return
	}
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	p95 := times[min(len(times)-1, len(times)*95/100)]
	b.ReportMetric(float64(p95.Microseconds())/1000, "ms-p95")
}

// lspClient is a minimal editor for the benchmark.
type lspClient struct {
	b    testing.TB
	conn *jsonrpc2.Conn
}

func newLSPClient(b testing.TB, root string) *lspClient {
	ctx, cancel := context.WithCancel(context.Background())
	srv, cli := net.Pipe()
	go func() { _ = lsp.Serve(ctx, srv, lsp.Options{}) }()
	c := &lspClient{b: b}
	c.conn = jsonrpc2.NewConn(ctx, jsonrpc2.NewBufferedStream(cli, jsonrpc2.VSCodeObjectCodec{}), jsonrpc2.HandlerWithError(
		func(context.Context, *jsonrpc2.Conn, *jsonrpc2.Request) (any, error) { return nil, nil }))
	b.Cleanup(func() { cancel(); c.conn.Close() })
	var res json.RawMessage
	c.call("initialize", map[string]any{"rootUri": "file://" + root, "capabilities": map[string]any{}}, &res)
	c.notify("initialized", map[string]any{})
	return c
}

func (c *lspClient) call(method string, params, result any) {
	if err := c.conn.Call(context.Background(), method, params, result); err != nil {
		c.b.Fatalf("%s: %v", method, err)
	}
}

func (c *lspClient) notify(method string, params any) {
	if err := c.conn.Notify(context.Background(), method, params); err != nil {
		c.b.Fatalf("%s: %v", method, err)
	}
}

// sync returns once the server has handled everything sent before: it
// handles messages in order, and publishes an edit's diagnostics before it
// answers the next request.
func (c *lspClient) sync(uri string) {
	var out json.RawMessage
	c.call("textDocument/documentSymbol", map[string]any{"textDocument": map[string]any{"uri": uri}}, &out)
}
