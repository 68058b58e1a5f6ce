package gotypes_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/internal/driver"
)

// The domain package each case binds to, written in a folder of evc's own
// module (under testdata, so ./... skips it) beside the generated code.
const domainGo = `package domain

import (
	"strings"
	"time"
)

// SKU converts: its underlying type is string.
type SKU string

// Code marshals: it is a struct with the text marshaller pair.
type Code struct{ Parts []string }

func (c Code) MarshalText() ([]byte, error) { return []byte(strings.Join(c.Parts, "/")), nil }

func (c *Code) UnmarshalText(b []byte) error {
	c.Parts = strings.Split(string(b), "/")
	return nil
}

// Count converts: its underlying type is int64, long's Go type.
type Count int64

// Blob converts: its underlying type is []byte, bytes' Go type.
type Blob []byte

// At converts: its underlying type is time.Time's, a timestamp's Go type.
type At time.Time

// Bad is neither.
type Bad struct{}
`

// roundTrip encodes an Order, decodes it and compares; run as a test in
// the generated package's folder.
const roundTripGo = `package shop

import (
	"reflect"
	"testing"
	"time"

	"%s/domain"
)

func TestRoundTrip(t *testing.T) {
	in := &Order{Sku: %s, Qty: domain.Count(3), Blob: domain.Blob("\x00\xff"), At: domain.At(time.UnixMilli(1700000000123))}
	b, err := in.MarshalAvro()
	if err != nil {
		t.Fatal(err)
	}
	var out Order
	if err := out.UnmarshalAvro(b); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in.Sku, out.Sku) || in.Qty != out.Qty || string(in.Blob) != string(out.Blob) || !time.Time(in.At).Equal(time.Time(out.At)) {
		t.Fatalf("round trip: %%+v became %%+v", in, out)
	}
}
`

func TestCheck(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	for _, tc := range []struct {
		name, goType string
		value        string // a Go expression of the bound type, for the round trip
		wantCode     string // in the generated code
		wantErr      string // the diagnostic, as file:line:col: message
		wantHelp     string
		noGo         bool   // no go command on PATH
		countType    string // what Count binds to, if not domain.Count
	}{
		{name: "conversion", goType: "domain.SKU", value: `domain.SKU("sku-1")`, wantCode: "avrobin.AppendString(dst, string(m.Sku))"},
		{name: "marshaller", goType: "domain.Code", value: `domain.Code{Parts: []string{"a", "b"}}`, wantCode: "m.Sku.MarshalText()"},
		{
			name: "neither", goType: "domain.Bad",
			wantErr:  "shop.evc:3:1: Go type MOD/domain.Bad must have underlying type string or implement encoding.TextMarshaler and encoding.TextUnmarshaler",
			wantHelp: "declare it as type Bad string, which generated code converts, or give *Bad MarshalText and UnmarshalText methods",
		},
		{
			name: "neither, long", goType: "domain.SKU", countType: "domain.Bad",
			wantErr:  "shop.evc:6:1: Go type MOD/domain.Bad must have underlying type int64, the Go type of Count's wire type",
			wantHelp: "declare it as type Bad int64: generated code converts it",
		},
		{
			name: "missing type", goType: "domain.Nope",
			wantErr:  `shop.evc:3:1: Go package "MOD/domain" declares no exported type Nope`,
			wantHelp: `@go names a type as "import/path.Name"; declare type Nope in MOD/domain`,
		},
		{
			name: "missing package", goType: "example.com/nowhere/domain.SKU",
			wantErr:  `shop.evc:3:1: cannot load Go package "example.com/nowhere/domain" for Sku: `,
			wantHelp: "the package must be in the Go module of --go-out or one it requires (go get it)",
		},
		{
			name: "no go command", goType: "domain.SKU", noGo: true,
			wantErr:  `shop.evc:3:1: cannot load Go package "MOD/domain" for Sku: `,
			wantHelp: "evc runs the go command to check @go types; is it on PATH?",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.noGo {
				t.Setenv("PATH", "")
			}
			if err := os.MkdirAll("testdata", 0o755); err != nil {
				t.Fatal(err)
			}
			dir, err := os.MkdirTemp("testdata", "tmp-")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { os.RemoveAll(dir) })
			mod, err := driver.ModulePath(dir)
			if err != nil {
				t.Fatal(err)
			}
			goType := tc.goType
			if strings.HasPrefix(goType, "domain.") {
				goType = mod + "/" + goType
			}
			countType := tc.countType
			if countType == "" {
				countType = "domain.Count"
			}
			write(t, filepath.Join(dir, "domain", "domain.go"), domainGo)
			src := "namespace shop;\n\n@go(\"" + goType + "\")\ntype Sku = string;\n\n" +
				"@go(\"" + mod + "/" + countType + "\")\ntype Count = long;\n\n" +
				"@go(\"" + mod + "/domain.Blob\")\ntype Blob = bytes;\n\n" +
				"@go(\"" + mod + "/domain.At\")\ntype At = timestamp-millis;\n\n" +
				"record Order {\n  sku: Sku;\n  qty: Count;\n  blob: Blob;\n  at: At;\n}\n"
			evc := filepath.Join(dir, "shop.evc")
			write(t, evc, src)
			res, outs, err := driver.Run([]string{evc}, driver.Options{GoOut: filepath.Join(dir, "gen")})
			if err != nil {
				t.Fatal(err)
			}
			if tc.wantErr != "" {
				items := res.Diags.Items()
				if tc.noGo {
					items = items[:min(len(items), 1)] // the other types' package fails too
				}
				if len(items) != 1 {
					t.Fatalf("got %d diagnostics, want 1: %v", len(items), items)
				}
				d := items[0]
				p := d.Span.Start
				got := fmt.Sprintf("%s:%d:%d: %s", filepath.Base(p.File), p.Line, p.Col, d.Message)
				want := strings.ReplaceAll(tc.wantErr, "MOD", mod)
				if !strings.HasPrefix(got, want) || d.Severity != diag.Error {
					t.Errorf("diagnostic\n got %s\nwant %s", got, want)
				}
				if help := strings.ReplaceAll(tc.wantHelp, "MOD", mod); d.Help != help {
					t.Errorf("help\n got %s\nwant %s", d.Help, help)
				}
				return
			}
			if res.Diags.HasErrors() {
				t.Fatal(res.Diags.Err())
			}
			if err := driver.Write(outs); err != nil {
				t.Fatal(err)
			}
			gen, err := os.ReadFile(filepath.Join(dir, "gen", "shop", "shop.evc.go"))
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{tc.wantCode, "avrobin.AppendLong(dst, int64(m.Qty))", "avrobin.AppendBytes(dst, []byte(m.Blob))", "(dst, time.Time(m.At))"} {
				if !strings.Contains(string(gen), want) {
					t.Errorf("generated code lacks %q:\n%s", want, gen)
				}
			}
			write(t, filepath.Join(dir, "gen", "shop", "roundtrip_test.go"), fmt.Sprintf(roundTripGo, mod, tc.value))
			cmd := exec.Command("go", "test", "./"+filepath.ToSlash(filepath.Join(dir, "gen", "shop")))
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("go test of the generated code: %v\n%s", err, out)
			}
			if out, err := exec.Command("go", "vet", "./"+filepath.ToSlash(filepath.Join(dir, "gen", "shop"))).CombinedOutput(); err != nil {
				t.Fatalf("go vet of the generated code: %v\n%s", err, out)
			}
		})
	}
}

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}
