package golang

import (
	"bytes"
	"fmt"
	"go/format"
	"sort"
	"strconv"
	"strings"
)

// GoIdent is a Go identifier with the import path of its package.
type GoIdent struct {
	ImportPath string
	Name       string
}

// GeneratedFile is one Go file being generated: P appends lines, and
// identifiers of other packages are qualified as they are written, which
// records their imports.
type GeneratedFile struct {
	path       string // output path
	importPath string // the file's own package
	pkgName    string
	header     []string
	buf        bytes.Buffer
	imports    map[string]string // import path -> local name
	names      map[string]string // local name -> import path
}

func newGeneratedFile(path, importPath, pkgName string) *GeneratedFile {
	return &GeneratedFile{
		path:       path,
		importPath: importPath,
		pkgName:    pkgName,
		imports:    map[string]string{},
		names:      map[string]string{},
	}
}

// P writes its arguments, then a newline. A GoIdent is written qualified.
func (g *GeneratedFile) P(v ...any) {
	for _, x := range v {
		switch x := x.(type) {
		case GoIdent:
			g.buf.WriteString(g.Qualify(x))
		default:
			fmt.Fprint(&g.buf, x)
		}
	}
	g.buf.WriteByte('\n')
}

// Qualify returns id as the file refers to it, importing its package.
func (g *GeneratedFile) Qualify(id GoIdent) string {
	if id.ImportPath == "" || id.ImportPath == g.importPath {
		return id.Name
	}
	return g.importName(id.ImportPath) + "." + id.Name
}

// importName returns the local name of the package at path, importing it.
func (g *GeneratedFile) importName(path string) string {
	if n, ok := g.imports[path]; ok {
		return n
	}
	base := packageName(path)
	n := base
	for i := 2; g.names[n] != "" || n == g.pkgName; i++ {
		n = base + strconv.Itoa(i)
	}
	g.imports[path] = n
	g.names[n] = path
	return n
}

// Content returns the file's gofmt'ed source, with its import block. When
// the generated source does not parse, the error carries the source with
// line numbers.
func (g *GeneratedFile) Content() ([]byte, error) {
	var out bytes.Buffer
	for _, h := range g.header {
		out.WriteString(h)
		out.WriteByte('\n')
	}
	out.WriteString("package " + g.pkgName + "\n\n")
	if len(g.imports) > 0 {
		paths := make([]string, 0, len(g.imports))
		for p := range g.imports {
			paths = append(paths, p)
		}
		sort.Strings(paths)
		out.WriteString("import (\n")
		// Standard library first, then the rest, as goimports groups them.
		sort.SliceStable(paths, func(i, j int) bool { return isStd(paths[i]) && !isStd(paths[j]) })
		for i, p := range paths {
			if i > 0 && isStd(paths[i-1]) && !isStd(p) {
				out.WriteByte('\n')
			}
			n := g.imports[p]
			if n == lastElem(p) {
				fmt.Fprintf(&out, "\t%q\n", p)
			} else {
				fmt.Fprintf(&out, "\t%s %q\n", n, p)
			}
		}
		out.WriteString(")\n\n")
	}
	out.Write(g.buf.Bytes())
	src, err := format.Source(out.Bytes())
	if err != nil {
		return nil, fmt.Errorf("evc: generated Go for %s does not parse: %w\n%s", g.path, err, numbered(out.Bytes()))
	}
	return src, nil
}

func numbered(src []byte) string {
	var b strings.Builder
	for i, line := range strings.Split(string(src), "\n") {
		fmt.Fprintf(&b, "%5d  %s\n", i+1, line)
	}
	return b.String()
}

func isStd(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

func lastElem(path string) string {
	if i := strings.LastIndexByte(path, '/'); i >= 0 {
		return path[i+1:]
	}
	return path
}
