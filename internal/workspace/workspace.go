// Package workspace generates synthetic schema workspaces for benchmarks: N
// records of F fields spread over several files, written both in evc and as
// the equivalent protobuf, so the compile speed of evc can be measured side by
// side with protoc and protocompile on the same input.
package workspace

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Spec is the size of a workspace.
type Spec struct {
	Files           int
	RecordsPerFile  int
	FieldsPerRecord int
}

// Default is the size the compile benchmark uses: 500 records of 20 fields
// across 50 files.
var Default = Spec{Files: 50, RecordsPerFile: 10, FieldsPerRecord: 20}

// evcTypes and protoTypes are the field types used, in turn.
var (
	evcTypes   = []string{"string", "long", "int", "double", "boolean", "bytes", "string?", "array<string>", "map<long>", "timestamp-millis"}
	protoTypes = []string{"string", "int64", "int32", "double", "bool", "bytes", "optional string", "repeated string", "map<string, int64>", "int64"}
)

// Write writes the workspace under dir: evc/f000.evc ... and proto/f000.proto
// ... Every file after the first imports the previous one, and its first
// record refers to the second record of that file, which refers to nothing:
// imports and cross-file references are exercised, without a chain of
// nesting 50 deep (a self-contained .avsc inlines every type it uses, so
// such a chain would make the output grow with the square of its length).
// It returns the evc and proto paths.
func Write(dir string, s Spec) (evcFiles, protoFiles []string, err error) {
	for _, sub := range []string{"evc", "proto"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return nil, nil, err
		}
	}
	for f := 0; f < s.Files; f++ {
		var e, p strings.Builder
		fmt.Fprintf(&e, "/// Generated file %d.\nnamespace bench.pkg%03d;\n\n", f, f)
		fmt.Fprintf(&p, "// Generated file %d.\nsyntax = \"proto3\";\npackage bench.pkg%03d;\n\n", f, f)
		if f > 0 {
			fmt.Fprintf(&e, "import \"f%03d.evc\";\n\n", f-1)
			fmt.Fprintf(&p, "import \"f%03d.proto\";\n\n", f-1)
		}
		for r := 0; r < s.RecordsPerFile; r++ {
			fmt.Fprintf(&e, "/// Record %d of file %d.\nrecord Rec%03d_%02d {\n", r, f, f, r)
			fmt.Fprintf(&p, "// Record %d of file %d.\nmessage Rec%03d_%02d {\n", r, f, f, r)
			for i := 0; i < s.FieldsPerRecord; i++ {
				et, pt := evcTypes[i%len(evcTypes)], protoTypes[i%len(protoTypes)]
				if i == 0 && f > 0 && r == 0 {
					et = fmt.Sprintf("bench.pkg%03d.Rec%03d_01", f-1, f-1)
					pt = et
				}
				def := ""
				switch et {
				case "string":
					def = ` = ""`
				case "long", "int":
					def = " = 0"
				case "array<string>":
					def = " = []"
				}
				fmt.Fprintf(&e, "  /// Field %d.\n  field_%02d: %s%s;\n", i, i, et, def)
				fmt.Fprintf(&p, "  // Field %d.\n  %s field_%02d = %d;\n", i, pt, i, i+1)
			}
			e.WriteString("}\n\n")
			p.WriteString("}\n\n")
		}
		ep := filepath.Join(dir, "evc", fmt.Sprintf("f%03d.evc", f))
		pp := filepath.Join(dir, "proto", fmt.Sprintf("f%03d.proto", f))
		if err := os.WriteFile(ep, []byte(e.String()), 0o644); err != nil {
			return nil, nil, err
		}
		if err := os.WriteFile(pp, []byte(p.String()), 0o644); err != nil {
			return nil, nil, err
		}
		evcFiles = append(evcFiles, ep)
		protoFiles = append(protoFiles, pp)
	}
	return evcFiles, protoFiles, nil
}
