package compiler

import (
	"testing"

	"github.com/evc-dev/evc/internal/workspace"
)

// BenchmarkCompile_Workspace compiles 500 records of 20 fields in 50 files.
// bench/ runs the same workspace beside protoc and protocompile.
func BenchmarkCompile_Workspace(b *testing.B) {
	dir := b.TempDir()
	files, _, err := workspace.Write(dir, workspace.Default)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		res := Compile(files, Options{})
		if res.Diags.HasErrors() {
			b.Fatal(res.Diags.Err())
		}
	}
}

func TestCompile_WorkspaceCompiles(t *testing.T) {
	dir := t.TempDir()
	files, _, err := workspace.Write(dir, workspace.Spec{Files: 3, RecordsPerFile: 2, FieldsPerRecord: 12})
	if err != nil {
		t.Fatal(err)
	}
	res := Compile(files, Options{})
	if err := res.Err(); err != nil {
		t.Fatal(err)
	}
	if got := len(res.Schema.Types); got != 6 {
		t.Errorf("compiled %d types, want 6", got)
	}
}
