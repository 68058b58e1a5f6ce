package bench

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/bufbuild/protocompile"

	"github.com/evc-dev/evc/backend/avro"
	"github.com/evc-dev/evc/compiler"
	"github.com/evc-dev/evc/internal/workspace"
)

// BenchmarkCompile compiles the same workspace, 500 records of 20 fields in
// 50 files, with evc (to .avsc), with protocompile (Go's protobuf compiler,
// to descriptors) and with protoc (to a descriptor set), side by side.
// evc/process and protoc run as processes and report their peak resident
// memory as MB-maxrss.
func BenchmarkCompile(b *testing.B) {
	dir := b.TempDir()
	evcFiles, protoFiles, err := workspace.Write(dir, workspace.Default)
	if err != nil {
		b.Fatal(err)
	}
	protoDir := filepath.Join(dir, "proto")
	var protoNames []string
	for _, f := range protoFiles {
		protoNames = append(protoNames, filepath.Base(f))
	}

	b.Run("evc", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			res := compiler.Compile(evcFiles, compiler.Options{})
			if err := res.Err(); err != nil {
				b.Fatal(err)
			}
			if _, err := avro.Generate(res.Schema); err != nil {
				b.Fatal(err)
			}
		}
	})

	b.Run("protocompile", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			c := protocompile.Compiler{Resolver: &protocompile.SourceResolver{ImportPaths: []string{protoDir}}}
			if _, err := c.Compile(context.Background(), protoNames...); err != nil {
				b.Fatal(err)
			}
		}
	})

	b.Run("evc/process", func(b *testing.B) {
		bin := filepath.Join(b.TempDir(), "evc")
		// Built in evc's own module, whose go.sum covers the CLI's
		// dependencies, as the README installs it: static, without cgo.
		build := exec.Command("go", "build", "-o", bin, "./cmd/evc")
		build.Dir = ".."
		build.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := build.CombinedOutput(); err != nil {
			b.Fatalf("building evc: %v\n%s", err, out)
		}
		out := filepath.Join(b.TempDir(), "avro")
		args := append([]string{"compile", "--avro-out", out}, evcFiles...)
		runProcess(b, bin, args)
	})

	b.Run("protoc", func(b *testing.B) {
		protoc, err := exec.LookPath("protoc")
		if err != nil {
			if os.Getenv("CI") == "true" {
				b.Fatal("protoc is not installed (apt-get install protobuf-compiler)")
			}
			b.Skip("protoc is not installed")
		}
		args := append([]string{"-I", protoDir, "--include_imports", "--descriptor_set_out=" + filepath.Join(b.TempDir(), "set.pb")}, protoNames...)
		runProcess(b, protoc, args)
	})
}

// runProcess runs a command b.N times and reports its peak resident memory,
// as GNU time measures it. (The rusage Go's os/exec returns would not do:
// the child is started with a vfork that shares this process's memory, so
// its high-water mark starts at this process's size.)
func runProcess(b *testing.B, bin string, args []string) {
	b.Helper()
	gnuTime, err := exec.LookPath("/usr/bin/time")
	if err != nil {
		if os.Getenv("CI") == "true" {
			b.Fatal("GNU time is not installed (apt-get install time)")
		}
		b.Skip("GNU time is not installed")
	}
	// One run before timing: evc's first run into an empty directory creates
	// 500 files, which costs about half a second on this machine's file
	// system and would be spread over the timed runs; after it, every run
	// compiles everything and compares its output with what is on disk,
	// as in a build where the generated files are checked in.
	if out, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
		b.Fatalf("%s: %v\n%s", bin, err, out)
	}
	var maxKB int
	for b.Loop() {
		cmd := exec.Command(gnuTime, append([]string{"-f", "maxrss=%M", bin}, args...)...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			b.Fatalf("%s: %v\n%s", bin, err, out)
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		kb, err := strconv.Atoi(strings.TrimPrefix(lines[len(lines)-1], "maxrss="))
		if err != nil {
			b.Fatalf("reading GNU time's output %q: %v", out, err)
		}
		maxKB = max(maxKB, kb)
	}
	b.ReportMetric(float64(maxKB)/1024, "MB-maxrss")
}
