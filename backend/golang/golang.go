package golang

import (
	"errors"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/evc-dev/evc/backend"
	"github.com/evc-dev/evc/backend/avro"
	"github.com/evc-dev/evc/ir"
)

// Options configure the Go backend.
type Options struct {
	// Module is the Go import path of the output directory (such as
	// "github.com/acme/events/gen"): the package for namespace a.b.c goes in
	// <out>/a/b/c with import path Module+"/a/b/c", unless the IDL's file sets
	// ir.File.GoPackage (an import path), or Packages overrides a namespace.
	// Types in the null namespace go in <out> itself.
	Module string
	// Packages maps a namespace to the import path of its package; it wins
	// over ir.File.GoPackage. Several namespaces may share a package; those
	// whose types refer to each other always do (see packagePaths).
	Packages map[string]string
	// Convert holds the Go types of custom domain types (as written in
	// @go) whose underlying type is their wire type: generated code
	// converts them (string(v), T(s)) instead of calling their marshalling
	// methods. It matters only for string and bytes wire types, which
	// otherwise use encoding.TextMarshaler and encoding.BinaryMarshaler;
	// other wire types always convert. The driver fills it from
	// gotypes.Check.
	Convert map[string]bool
}

const (
	runtimePath = "github.com/evc-dev/evc/runtime"
	avrobinPath = "github.com/evc-dev/evc/runtime/avrobin"
)

// Generate returns the Go files for every named type of s: one package per
// namespace (or per import path given), one file per source file and
// package. Files are sorted by path, and the same input gives the same bytes.
func Generate(s *ir.Schema, opts Options) ([]backend.File, error) {
	files, _, err := generate(s, opts)
	return files, err
}

func generate(s *ir.Schema, opts Options) ([]backend.File, *generator, error) {
	if opts.Module == "" {
		return nil, nil, errors.New("evc: go backend: Options.Module is empty")
	}
	g := &generator{
		opts:   opts,
		schema: s,
		pkgs:   map[string]*goPackage{},
		named:  map[*ir.Named]*namedInfo{},
		unions: map[*ir.Type]*unionInfo{},

		ctorSets: map[*ir.Named]bool{},
		minSize:  map[*ir.Named]int{},
		defs:     avro.NewFingerprints(),
	}
	if err := g.plan(); err != nil {
		return nil, nil, err
	}
	var files []backend.File
	var errs []error
	for _, p := range g.pkgList {
		for _, sf := range p.files {
			data, err := g.genFile(p, sf)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			files = append(files, backend.File{Path: sf.outPath, Data: data})
		}
	}
	if len(errs) > 0 {
		return nil, nil, errors.Join(errs...)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return files, g, nil
}

type generator struct {
	opts    Options
	schema  *ir.Schema
	pkgs    map[string]*goPackage
	pkgList []*goPackage
	named   map[*ir.Named]*namedInfo
	unions  map[*ir.Type]*unionInfo
	// ctorSets caches constructorSets.
	ctorSets map[*ir.Named]bool
	// minSize caches minBytes of records.
	minSize map[*ir.Named]int
	// defs gives the named types' own definitions and fingerprints.
	defs *avro.Fingerprints
}

type goPackage struct {
	importPath string
	name       string
	dir        string
	scope      *scope
	files      []*srcFile
	byFile     map[*ir.File]*srcFile
}

type srcFile struct {
	file    *ir.File
	types   []*ir.Named
	outPath string
}

type namedInfo struct {
	n       *ir.Named
	pkg     *goPackage
	ident   GoIdent
	ctor    string   // NewX, records only
	typeVar string   // package variable holding the runtime.Type
	names   string   // enum: package variable holding the symbols
	symbols []string // enum constant names
	fields  []string // record field Go names
	unions  []*unionInfo
	topics  []topicRole
}

type topicRole struct {
	topic string
	key   bool
}

type unionInfo struct {
	t        *ir.Type
	owner    *namedInfo
	where    string // "field payload", for docs
	ident    GoIdent
	branches []GoIdent // zero GoIdent for the null branch
	marker   string
}

// importPathOf returns the import path of the package for a named type's
// namespace, and whether Options.Packages or a go_package option chose it.
func (g *generator) importPathOf(n *ir.Named) (path string, chosen bool) {
	if p, ok := g.opts.Packages[n.Namespace]; ok {
		return p, true
	}
	if n.File != nil && n.File.GoPackage != "" {
		return n.File.GoPackage, true
	}
	if n.Namespace == "" {
		return g.opts.Module, false
	}
	return g.opts.Module + "/" + strings.ReplaceAll(n.Namespace, ".", "/"), false
}

// plan assigns every named type its package, file and Go names, and every
// general union its types.
func (g *generator) plan() error {
	paths := g.packagePaths()
	for _, n := range g.schema.Types {
		ip := paths[n]
		p := g.pkgs[ip]
		if p == nil {
			dir, ok := strings.CutPrefix(ip, g.opts.Module)
			if !ok || (dir != "" && dir[0] != '/') {
				return fmt.Errorf("evc: go backend: package %q of %s is not inside module %q", ip, n.FullName(), g.opts.Module)
			}
			p = &goPackage{
				importPath: ip,
				name:       packageName(ip),
				dir:        strings.TrimPrefix(dir, "/"),
				scope:      newScope(),
				byFile:     map[*ir.File]*srcFile{},
			}
			g.pkgs[ip] = p
			g.pkgList = append(g.pkgList, p)
		}
		sf := p.byFile[n.File]
		if sf == nil {
			sf = &srcFile{file: n.File}
			p.byFile[n.File] = sf
			p.files = append(p.files, sf)
		}
		sf.types = append(sf.types, n)
		g.named[n] = &namedInfo{n: n, pkg: p}
	}
	sort.Slice(g.pkgList, func(i, j int) bool { return g.pkgList[i].importPath < g.pkgList[j].importPath })
	// Go names: types first, so that they keep their natural names, then
	// what derives from them.
	for _, p := range g.pkgList {
		files := map[string]bool{}
		for _, sf := range p.files {
			base := "types"
			if sf.file != nil {
				base = path.Base(sf.file.Path)
				base = strings.TrimSuffix(base, path.Ext(base))
			}
			base = strings.Trim(strings.ToLower(fileSafe(base)), "_")
			if base == "" {
				base = "types"
			}
			name := base
			for i := 2; files[name]; i++ {
				name = fmt.Sprintf("%s%d", base, i)
			}
			files[name] = true
			sf.outPath = path.Join(p.dir, name+".evc.go")
			for _, n := range sf.types {
				ni := g.named[n]
				ni.ident = GoIdent{ImportPath: p.importPath, Name: p.scope.claim(typeName(n))}
			}
		}
		for _, sf := range p.files {
			for _, n := range sf.types {
				g.planNamed(g.named[n])
			}
		}
	}
	if err := g.checkImportCycles(); err != nil {
		return err
	}
	for _, t := range g.schema.Topics {
		if t.Key != nil && t.Key.Named != nil && g.named[t.Key.Named] != nil {
			ni := g.named[t.Key.Named]
			ni.topics = append(ni.topics, topicRole{topic: t.Name, key: true})
		}
		for _, v := range t.Values {
			if v.Named != nil && g.named[v.Named] != nil {
				ni := g.named[v.Named]
				ni.topics = append(ni.topics, topicRole{topic: t.Name})
			}
		}
	}
	return nil
}

func fileSafe(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

// methodNames are the methods of a generated record, which its fields must
// not be named.
var methodNames = []string{"AvroType", "AppendAvro", "MarshalAvro", "UnmarshalAvro", "UnmarshalAvroAlias", "DecodeAvro"}

func (g *generator) planNamed(ni *namedInfo) {
	p := ni.pkg
	name := ni.ident.Name
	ni.typeVar = "avroType" + name
	switch ni.n.Kind {
	case ir.Record:
		ni.ctor = p.scope.claim("New" + name)
		fs := newScope(methodNames...)
		for _, f := range ni.n.Fields {
			ni.fields = append(ni.fields, fs.claim(fieldName(f)))
		}
		for i, f := range ni.n.Fields {
			g.planUnions(ni, f.Type, name+ni.fields[i], "field "+f.Name)
		}
	case ir.Enum:
		ni.names = "avroSymbols" + name
		for _, s := range ni.n.Symbols {
			ni.symbols = append(ni.symbols, p.scope.claim(name+GoName(s.Name)))
		}
	}
}

// isNullable reports whether t is a union of null and one other type, which
// Go represents without a union type.
func isNullable(t *ir.Type) (value *ir.Type, nullIdx int, ok bool) {
	if t.Kind != ir.Union || len(t.Branches) != 2 {
		return nil, 0, false
	}
	switch {
	case t.Branches[0].Kind == ir.Null && t.Branches[1].Kind != ir.Null:
		return t.Branches[1], 0, true
	case t.Branches[1].Kind == ir.Null && t.Branches[0].Kind != ir.Null:
		return t.Branches[0], 1, true
	}
	return nil, 0, false
}

func (g *generator) planUnions(ni *namedInfo, t *ir.Type, name, where string) {
	switch t.Kind {
	case ir.Array:
		g.planUnions(ni, t.Items, name+"Item", where)
	case ir.Map:
		g.planUnions(ni, t.Values, name+"Value", where)
	case ir.Union:
		if v, _, ok := isNullable(t); ok {
			g.planUnions(ni, v, name, where)
			return
		}
		p := ni.pkg
		u := &unionInfo{t: t, owner: ni, where: where}
		u.ident = GoIdent{ImportPath: p.importPath, Name: p.scope.claim(name)}
		u.marker = "is" + u.ident.Name
		bs := newScope()
		for _, b := range t.Branches {
			if b.Kind == ir.Null {
				u.branches = append(u.branches, GoIdent{})
				continue
			}
			bn := p.scope.claim(u.ident.Name + bs.claim(branchName(b)))
			u.branches = append(u.branches, GoIdent{ImportPath: p.importPath, Name: bn})
		}
		g.unions[t] = u
		ni.unions = append(ni.unions, u)
		for i, b := range t.Branches {
			if b.Kind != ir.Null {
				g.planUnions(ni, b, u.branches[i].Name, where)
			}
		}
	}
}

func branchName(t *ir.Type) string {
	if t.Custom != nil {
		return GoName(t.Custom.Name)
	}
	if t.Named != nil {
		return typeName(t.Named)
	}
	return GoName(t.Kind.String())
}

func (g *generator) genFile(p *goPackage, sf *srcFile) ([]byte, error) {
	f := newGeneratedFile(sf.outPath, p.importPath, p.name)
	f.header = append(f.header, "// Code generated by evc. DO NOT EDIT.")
	if sf.file != nil {
		f.header = append(f.header, "// source: "+strings.ReplaceAll(commentText(sf.file.Path), "\n", " "))
	}
	f.header = append(f.header, "")
	if sf == p.files[0] {
		f.header = append(f.header, fmt.Sprintf("// Package %s holds the Go bindings evc generated for %s.", p.name, describeNamespaces(p)))
	}
	f.P("const _ = ", GoIdent{runtimePath, "SupportsVersion1"})
	f.P()
	for _, n := range sf.types {
		ni := g.named[n]
		var err error
		switch n.Kind {
		case ir.Record:
			err = g.genRecord(f, ni)
		case ir.Enum:
			g.genEnum(f, ni)
			err = g.genDescriptor(f, ni)
		case ir.Fixed:
			g.genFixed(f, ni)
			err = g.genDescriptor(f, ni)
		}
		if err != nil {
			return nil, err
		}
	}
	return f.Content()
}

func describeNamespaces(p *goPackage) string {
	seen := map[string]bool{}
	var nss []string
	for _, sf := range p.files {
		for _, n := range sf.types {
			if !seen[n.Namespace] {
				seen[n.Namespace] = true
				nss = append(nss, n.Namespace)
			}
		}
	}
	sort.Strings(nss)
	for i, ns := range nss {
		if ns == "" {
			nss[i] = "the null namespace"
		} else {
			nss[i] = "the Avro namespace " + ns
		}
	}
	return strings.Join(nss, ", ")
}

// checkImportCycles reports packages that would import each other, which Go
// does not allow: Avro namespaces may refer to each other's types.
func (g *generator) checkImportCycles() error {
	deps := map[*goPackage]map[*goPackage]*ir.Named{}
	for _, n := range g.schema.Types {
		from := g.named[n].pkg
		for _, f := range n.Fields {
			ir.Walk(f.Type, func(t *ir.Type) bool {
				if !t.Kind.IsNamed() {
					return true
				}
				if to := g.named[t.Named]; to != nil && to.pkg != from {
					if deps[from] == nil {
						deps[from] = map[*goPackage]*ir.Named{}
					}
					if deps[from][to.pkg] == nil {
						deps[from][to.pkg] = n
					}
				}
				return false
			})
		}
	}
	// Depth-first search for a cycle, in a deterministic order.
	state := map[*goPackage]int{} // 1 visiting, 2 done
	var stack []*goPackage
	var visit func(p *goPackage) error
	visit = func(p *goPackage) error {
		state[p] = 1
		stack = append(stack, p)
		var next []*goPackage
		for q := range deps[p] {
			next = append(next, q)
		}
		sort.Slice(next, func(i, j int) bool { return next[i].importPath < next[j].importPath })
		for _, q := range next {
			switch state[q] {
			case 1:
				var cycle []string
				for i := len(stack) - 1; i >= 0; i-- {
					cycle = append([]string{fmt.Sprintf("%q (%s uses a type of the next)", stack[i].importPath, deps[stack[i]][nextOf(stack, i, q)].FullName())}, cycle...)
					if stack[i] == q {
						break
					}
				}
				return fmt.Errorf("evc: go backend: Go packages would import each other: %s; put these namespaces in one package with go_package or Options.Packages", strings.Join(cycle, ", "))
			case 0:
				if err := visit(q); err != nil {
					return err
				}
			}
		}
		stack = stack[:len(stack)-1]
		state[p] = 2
		return nil
	}
	for _, p := range g.pkgList {
		if state[p] == 0 {
			if err := visit(p); err != nil {
				return err
			}
		}
	}
	return nil
}

// nextOf returns the package after stack[i] on a cycle that closes at q.
func nextOf(stack []*goPackage, i int, q *goPackage) *goPackage {
	if i+1 < len(stack) {
		return stack[i+1]
	}
	return q
}
