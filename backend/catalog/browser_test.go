package catalog

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/evc-dev/evc/backend"
)

// chromium returns the path of a Chromium to run headless: $EVC_CHROMIUM, or
// chromium on PATH. Without one the browser tests skip, except under CI,
// where they fail: .ci/run installs Debian's chromium.
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("EVC_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("no chromium on PATH: the catalog's browser tests need Debian's chromium (apt-get install chromium)")
	}
	t.Skip("no chromium on PATH (apt-get install chromium); the test runs under CI")
	return ""
}

// headless runs Chromium on one page with the given mode flags (such as
// --dump-dom or --screenshot=FILE) and returns what it printed.
func headless(t *testing.T, bin, url string, mode ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	args := append([]string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir(), "--window-size=1200,1400",
	}, mode...)
	args = append(args, url)
	cmd := exec.CommandContext(ctx, bin, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %s: %v\n%s", url, err, stderr.String())
	}
	return stdout.Bytes()
}

// writeSite generates the test workspace's site into a temporary folder.
func writeSite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := backend.Write(dir, generate(t)); err != nil {
		t.Fatal(err)
	}
	return dir
}

func fileURL(dir, page string) string {
	return "file://" + filepath.ToSlash(filepath.Join(dir, page))
}

// TestBrowser_Screenshots renders the overview and a type page in a real
// browser: each screenshot is a picture with content, not a blank page.
func TestBrowser_Screenshots(t *testing.T) {
	bin := chromium(t)
	dir := writeSite(t)
	for _, page := range []string{"index.html", "type-shop.OrderPlaced.html"} {
		shot := filepath.Join(t.TempDir(), "shot.png")
		headless(t, bin, fileURL(dir, page), "--screenshot="+shot)
		f, err := os.Open(shot)
		if err != nil {
			t.Fatalf("%s: no screenshot: %v", page, err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: screenshot: %v", page, err)
		}
		if b := img.Bounds(); b.Dx() < 800 || b.Dy() < 600 {
			t.Errorf("%s: screenshot is %v", page, b)
		}
		if n := colours(img); n < 8 {
			t.Errorf("%s: screenshot has %d colours: a blank page", page, n)
		}
	}
}

// colours counts the distinct colours of a sample of img's pixels.
func colours(img image.Image) int {
	seen := map[[4]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 7 {
		for x := b.Min.X; x < b.Max.X; x += 7 {
			r, g, bl, a := img.At(x, y).RGBA()
			seen[[4]uint32{r, g, bl, a}] = true
		}
	}
	return len(seen)
}

// TestBrowser_DOM checks what the browser built from the pages: the
// headings, the diagram and its links, and the search page running its
// script against the index.
func TestBrowser_DOM(t *testing.T) {
	bin := chromium(t)
	dir := writeSite(t)
	index := string(headless(t, bin, fileURL(dir, "index.html"), "--dump-dom"))
	for _, want := range []string{
		`<h1>Shop events</h1>`,
		`<h2 id="topics">Topics</h2>`,
		`<svg xmlns="http://www.w3.org/2000/svg" class="diagram"`,
		`<a href="topic-shop.orders.html"><rect class="bt"`,
		`<a href="type-shop.OrderPlaced.html">shop.OrderPlaced</a>`,
	} {
		if !strings.Contains(index, want) {
			t.Errorf("the overview's DOM lacks %s", want)
		}
	}

	// A word of a field's doc finds the field.
	search := string(headless(t, bin, fileURL(dir, "search.html")+"?q=receipt", "--dump-dom"))
	if !strings.Contains(search, `<li class="result"><a href="type-shop.OrderPlaced.html#field-email">email</a>`) {
		t.Errorf("searching for a word of email's doc did not find it; the DOM:\n%s", search)
	}
	if !strings.Contains(search, `<p id="status">1 result</p>`) {
		t.Errorf("the search status is not 1 result; the DOM:\n%s", search)
	}
	// A name finds its type first.
	search = string(headless(t, bin, fileURL(dir, "search.html")+"?q=money", "--dump-dom"))
	first := strings.Index(search, `<li class="result">`)
	if first < 0 || !strings.HasPrefix(search[first:], `<li class="result"><a href="type-shop.Money.html">shop.Money</a>`) {
		t.Errorf("searching for money does not list shop.Money first; the DOM:\n%s", search)
	}
}
