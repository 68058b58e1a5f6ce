package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/evc-dev/evc/backend"
	"github.com/evc-dev/evc/backend/avro"
	"github.com/evc-dev/evc/backend/evcsrc"
	"github.com/evc-dev/evc/compiler/avsc"
	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/ir"
)

func init() { register(newImportCmd) }

func newImportCmd(a *app) *cobra.Command {
	var out, format string
	cmd := &cobra.Command{
		Use:   "import [-o DIR] FILE.avsc...",
		Short: "Turn .avsc files into .evc source",
		Long: `import reads Avro schema files (.avsc) and writes each as evc source that
compiles back to the same schema: the same Parsing Canonical Form, docs
(exactly: empty ones and white space too), defaults, aliases, sort orders,
custom properties, and error types. It reads what Apache Avro Java reads
(comments, a "doc" that is not a string, a union default of a later branch...),
with a warning where the specification differs.

Each FILE.avsc becomes FILE.evc in DIR (-o), or is printed to standard output.
The .evc file's namespace is that of the schema's top-level type, which must
be a record, enum or fixed. A schema may use named types that another FILE
defines, in any order on the command line: its .evc file then imports that
file's .evc. Self-contained .avsc files often define the same type again (a
shared user or course record): each such type is declared once, in the .evc
file of the first FILE that defines it, and the others import it from there.
A repeat must be identical (docs, defaults and properties included); a type
defined differently by two FILEs is an error that names both. When any FILE
fails, nothing is written.

Exit status: 0 on success, 1 on schema errors, 2 on usage errors (bad flags,
unreadable or unwritable files).`,
		Example: `  evc import -o events/ schemas/*.avsc
  evc import user.avsc > user.evc`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := validFormat(format); err != nil {
				return err
			}
			return fmtExit(a.importFiles(args, out, format))
		},
	}
	f := cmd.Flags()
	f.StringVarP(&out, "out", "o", "", "write FILE.evc files to `DIR` instead of standard output")
	f.StringVar(&format, "format", "text", "diagnostics format: text, json or github")
	return cmd
}

// importFiles imports each .avsc and returns the exit code. The files are
// read in the order their references need (a file after those that define
// the types it uses), whatever their order on the command line; when any
// fails, nothing is written.
func (a *app) importFiles(paths []string, outDir, format string) int {
	code := exitOK
	var diags diag.List
	sources := diag.Sources{}
	evcName := map[string]string{} // .avsc -> its .evc name
	written := map[string]string{} // .evc name -> the .avsc it comes from
	var ok []string
	for _, path := range paths {
		src, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintf(a.stderr, "evc: %v\n", err)
			code = max(code, exitUsage)
			continue
		}
		sources[path] = src
		name := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)) + ".evc"
		if prev, dup := written[name]; dup {
			fmt.Fprintf(a.stderr, "evc: %s and %s would both be imported as %s\n", prev, path, name)
			code = max(code, exitUsage)
			continue
		}
		written[name] = path
		evcName[path] = name
		ok = append(ok, path)
	}
	// defined maps the full names of types read so far to the .evc file of
	// the .avsc that defines them, for the files after it.
	defined := map[string]*ir.Named{}
	evcOf := map[*ir.Named]string{}
	var files []backend.File
	for _, path := range importOrder(ok, sources) {
		src, name := sources[path], evcName[path]
		used := map[string]bool{}
		lookup := func(full string) *ir.Named {
			n := defined[full]
			if n != nil {
				used[evcOf[n]] = true
			}
			return n
		}
		var l diag.List
		f := avsc.Read(path, src, &l, lookup)
		if !l.HasErrors() {
			for _, prev := range shareRepeats(f, defined, &l) {
				used[evcOf[prev]] = true
			}
		}
		var out []byte
		if !l.HasErrors() {
			for imp := range used {
				f.Imports = append(f.Imports, imp)
			}
			sort.Strings(f.Imports)
			out = evcsrc.Print(f, &l)
		}
		diags.Merge(&l)
		if out == nil {
			code = max(code, exitSchema)
			continue
		}
		for _, n := range f.Types {
			if _, ok := defined[n.FullName()]; !ok {
				defined[n.FullName()] = n
				evcOf[n] = name
			}
		}
		files = append(files, backend.File{Path: name, Data: out})
	}
	diags.Sort()
	if diags.Len() > 0 {
		if err := writeDiags(a, format, diags.Items(), sources); err != nil {
			fmt.Fprintf(a.stderr, "evc: %v\n", err)
		}
	}
	if code != exitOK {
		return code // all or nothing
	}
	// In the order of the command line.
	sort.SliceStable(files, func(i, j int) bool {
		return slices.Index(ok, written[files[i].Path]) < slices.Index(ok, written[files[j].Path])
	})
	if outDir == "" {
		for _, f := range files {
			if len(files) > 1 {
				fmt.Fprintf(a.stdout, "// %s\n", f.Path)
			}
			a.stdout.Write(f.Data)
		}
		return code
	}
	if err := backend.Write(outDir, files); err != nil {
		fmt.Fprintln(a.stderr, err)
		code = max(code, exitUsage)
	}
	return code
}

// importOrder returns paths ordered so that every file comes after the files
// that define the types it uses from outside itself; otherwise (and in a
// cycle, which then fails as it would in any order) as given.
func importOrder(paths []string, sources diag.Sources) []string {
	definer := map[string]string{} // full name -> the first file defining it
	uses := map[string][]string{}
	for _, p := range paths {
		var l diag.List
		f := avsc.Read(p, sources[p], &l, func(full string) *ir.Named {
			uses[p] = append(uses[p], full)
			return nil
		})
		if f == nil {
			continue
		}
		for _, n := range f.Types {
			if _, ok := definer[n.FullName()]; !ok {
				definer[n.FullName()] = p
			}
		}
	}
	var order []string
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(p string)
	visit = func(p string) {
		if state[p] != 0 {
			return
		}
		state[p] = 1
		for _, full := range uses[p] {
			if q, ok := definer[full]; ok && q != p {
				visit(q)
			}
		}
		state[p] = 2
		order = append(order, p)
	}
	for _, p := range paths {
		visit(p)
	}
	return order
}

// shareRepeats removes from f the named types that an earlier file already
// defines identically, and points f's uses of them at the earlier
// definitions, which it returns. A type defined differently is an error that
// names both places.
func shareRepeats(f *ir.File, defined map[string]*ir.Named, l *diag.List) []*ir.Named {
	repeat := map[*ir.Named]*ir.Named{}
	var kept []*ir.Named
	for _, n := range f.Types {
		prev := defined[n.FullName()]
		if prev == nil {
			kept = append(kept, n)
			continue
		}
		if !bytes.Equal(avro.SchemaJSON(prev, false), avro.SchemaJSON(n, false)) {
			d := l.Errorf(n.NameSpan, "type %q is defined differently in %s and in %s", n.FullName(), f.Path, prev.File.Path)
			d.Related = []diag.Related{{Span: prev.NameSpan, Message: "first defined here"}}
			d.Help = "evc import declares a type shared by several files once; make the definitions agree, or import these files separately"
			continue
		}
		repeat[n] = prev
	}
	if len(repeat) == 0 || l.HasErrors() {
		return nil
	}
	f.Types = kept
	var shared []*ir.Named
	var rebind func(t *ir.Type)
	rebind = func(t *ir.Type) {
		if t == nil {
			return
		}
		if prev := repeat[t.Named]; prev != nil {
			t.Named = prev
			shared = append(shared, prev)
		}
		rebind(t.Items)
		rebind(t.Values)
		for _, b := range t.Branches {
			rebind(b)
		}
	}
	rebind(f.Root)
	for _, n := range kept {
		for _, fl := range n.Fields {
			rebind(fl.Type)
		}
	}
	return shared
}
