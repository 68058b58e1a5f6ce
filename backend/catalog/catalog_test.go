package catalog

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/evc-dev/evc/backend"
	"github.com/evc-dev/evc/compiler"
	"github.com/evc-dev/evc/compiler/avsc"
	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/internal/golden"
	"github.com/evc-dev/evc/ir"
)

// compileWS compiles the test workspace.
func compileWS(t *testing.T) *ir.Schema {
	t.Helper()
	res := compiler.Compile([]string{"testdata/ws"}, compiler.Options{})
	if res.Diags.HasErrors() {
		var b bytes.Buffer
		_ = diag.WriteText(&b, res.Diags.Items(), res.Sources)
		t.Fatalf("the test workspace does not compile:\n%s", b.String())
	}
	return res.Schema
}

// readHistory reads testdata/history/<name>/v<N>.avsc.
func readHistory(t *testing.T, name string, n int) Version {
	t.Helper()
	p := filepath.Join("testdata", "history", name, "v"+string(rune('0'+n))+".avsc")
	src, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	var l diag.List
	f := avsc.Read(filepath.ToSlash(p), src, &l, nil)
	if l.HasErrors() || f == nil {
		t.Fatalf("%s: %v", p, l.Items())
	}
	return Version{Label: "v" + string(rune('0'+n)), Type: f.Root}
}

// testOptions are a history of two earlier versions of shop.OrderPlaced and
// a verdict that says whether fields were removed, so the page shows both
// verdicts; the real verdicts come from compat and are tested in the driver.
func testOptions(t *testing.T) Options {
	return Options{
		Title: "Shop events",
		Mode:  func(n *ir.Named) string { return "FULL" },
		History: []History{{Name: "shop.OrderPlaced", Versions: []Version{
			readHistory(t, "shop.OrderPlaced", 1), readHistory(t, "shop.OrderPlaced", 2),
		}}},
		Verdict: func(name string, older, newer Version) Verdict {
			if len(older.Type.Named.Fields) < len(newer.Type.Named.Fields)-1 {
				return Verdict{Mode: "FULL", Findings: []Finding{{Severity: "error", Rule: "FIELD_NO_DEFAULT", Direction: "BACKWARD", Path: name + ".placed_at", Message: "added without a default"}}}
			}
			return Verdict{Mode: "FULL", Compatible: true}
		},
	}
}

func generate(t *testing.T) []backend.File {
	t.Helper()
	files, err := Generate(compileWS(t), testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestGenerate_Golden(t *testing.T) {
	files := generate(t)
	want := map[string]bool{}
	for _, f := range files {
		if verbatim[f.Path] {
			continue // assets/ as they are: a golden would be a second copy
		}
		want[f.Path] = true
		golden.Check(t, filepath.Join("testdata", "golden", filepath.FromSlash(f.Path)), f.Data)
	}
	// A golden file that is no longer generated is stale.
	_ = filepath.WalkDir(filepath.Join("testdata", "golden"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(filepath.Join("testdata", "golden"), p)
		if !want[filepath.ToSlash(rel)] {
			if golden.Updating() {
				return os.Remove(p)
			}
			t.Errorf("%s is no longer generated", p)
		}
		return nil
	})
}

// verbatim are the files Generate copies from assets/ unchanged.
var verbatim = map[string]bool{"assets/style.css": true, "assets/search.js": true}

func TestGenerate_Deterministic(t *testing.T) {
	a, b := generate(t), generate(t)
	if len(a) != len(b) {
		t.Fatalf("%d files, then %d", len(a), len(b))
	}
	for i := range a {
		if a[i].Path != b[i].Path || !bytes.Equal(a[i].Data, b[i].Data) {
			t.Errorf("%s differs between two runs", a[i].Path)
		}
	}
}

var (
	hrefRE = regexp.MustCompile(`(?:href|src)="([^"]*)"`)
	idRE   = regexp.MustCompile(`id="([^"]*)"`)
)

// TestGenerate_LinksResolve follows every link of every page: each names a
// generated file, and each fragment an element of that page.
func TestGenerate_LinksResolve(t *testing.T) {
	files := generate(t)
	byPath := map[string][]byte{}
	for _, f := range files {
		byPath[f.Path] = f.Data
	}
	checked := 0
	for _, f := range files {
		if !strings.HasSuffix(f.Path, ".html") && !strings.HasSuffix(f.Path, ".svg") {
			continue
		}
		for _, m := range hrefRE.FindAllStringSubmatch(string(f.Data), -1) {
			target, frag, _ := strings.Cut(m[1], "#")
			if target == "" {
				target = f.Path
			}
			if strings.Contains(target, "://") {
				t.Errorf("%s links outside the site: %s", f.Path, m[1])
				continue
			}
			target = strings.ReplaceAll(target, "&#43;", "+")
			page, ok := byPath[target]
			if !ok {
				t.Errorf("%s: link %q: no such file", f.Path, m[1])
				continue
			}
			if frag != "" && !bytes.Contains(page, []byte(`id="`+frag+`"`)) {
				t.Errorf("%s: link %q: no element with that id", f.Path, m[1])
			}
			checked++
		}
	}
	if checked < 50 {
		t.Errorf("only %d links checked; the pages lost their links", checked)
	}
}

func TestGenerate_Pages(t *testing.T) {
	files := generate(t)
	page := func(p string) string {
		for _, f := range files {
			if f.Path == p {
				return string(f.Data)
			}
		}
		t.Fatalf("no %s", p)
		return ""
	}
	for _, c := range []struct{ file, want string }{
		{"index.html", `<h2 id="diagram">Topics and events</h2>`},
		{"index.html", `<a href="topic-shop.orders.html">shop.orders</a>`},
		{"index.html", `<code>com.example.shop.order.placed.v1</code>`},
		{"index.html", `<a href="history-shop.OrderPlaced.html">shop.OrderPlaced</a>: 3 versions`},
		{"topic-shop.orders.html", `<code>shop.orders-key</code>, <code>shop.orders-value</code>`},
		{"type-shop.OrderPlaced.html", `email</a> <span class="tag pii">PII</span>`},
		{"type-shop.OrderPlaced.html", `<dt>CloudEvents source</dt><dd><code>/shop/checkout</code></dd>`},
		{"type-shop.OrderPlaced.html", `<p>Consumers reserve the stock and start the payment. The <code>total</code> is the`},
		{"type-shop.OrderPlaced.html", `array&lt;<a href="type-shop.LineItem.html">LineItem</a>&gt;`},
		{"type-shop.OrderPlaced.html", `<td><span class="prim">string</span>?</td><td><code>null</code></td>`},
		{"type-shop.OrderShipped.html", `<p class="dep">Deprecated: use the carrier&#39;s tracking events</p>`},
		{"type-shop.Currency.html", `<code>GBP</code> <span class="tag dep">deprecated</span>`},
		{"type-shop.Currency.html", `<code>EUR</code> <span class="tag">default</span>`},
		{"type-shop.Money.html", `<a href="type-shop.LineItem.html#field-price">shop.LineItem.price</a>`},
		{"type-shop.LineItem.html", `<span class="custom" title="on the wire: string">Sku</span>`},
		{"history-shop.OrderPlaced.html", `<span class="op">added</span> <code>shop.OrderPlaced.placed_at</code>: field placed_at: timestamp-millis (no default)`},
		{"history-shop.OrderPlaced.html", `<td><code>FIELD_NO_DEFAULT</code></td><td>BACKWARD</td>`},
		{"assets/index.js", `{"n":"email","k":"field","u":"type-shop.OrderPlaced.html#field-email","i":"shop.OrderPlaced","d":"The customer's e-mail address, for the receipt."}`},
	} {
		if got := page(c.file); !strings.Contains(got, c.want) {
			t.Errorf("%s lacks %s", c.file, c.want)
		}
	}
}

func TestFileSafe(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"shop.orders", "shop.orders"},
		{"a_b-c.D9", "a_b-c.D9"},
		{"a/b", "a~2Fb"},
		{"a~2Fb", "a~7E2Fb"},
		{"..", ".."},
	} {
		if got := fileSafe(c.in); got != c.want {
			t.Errorf("fileSafe(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
