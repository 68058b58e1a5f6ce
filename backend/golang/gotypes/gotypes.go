// Package gotypes checks the Go types that custom domain types bind to
// (@go("import/path.Name")) by loading their packages, so that a binding
// generated code could not compile is reported at the IDL line instead of
// by the Go compiler later, and so that the Go backend knows how to carry
// each one: by conversion when its underlying type is the wire type's, or
// through its marshalling methods. It runs the go command, so the driver
// calls it only when some custom type is bound.
package gotypes

import (
	"fmt"
	"go/types"
	"sort"
	"strings"

	"golang.org/x/tools/go/packages"

	"github.com/evc-dev/evc/backend/golang"
	"github.com/evc-dev/evc/diag"
	"github.com/evc-dev/evc/ir"
)

// Check loads, from the Go module that holds dir, the packages of the Go
// types that s's custom types bind to, and returns the Go types that
// generated code converts (golang.Options.Convert). A Go type that is
// neither convertible nor has the marshaller pair, a package that cannot
// be loaded, or a name the package does not declare is an error in diags,
// at the binding. With no bound custom type it loads nothing.
func Check(dir string, s *ir.Schema, diags *diag.List) map[string]bool {
	var bound []*ir.Custom
	paths := map[string]bool{}
	for _, c := range s.Customs {
		if c.GoType == "" || c.Wire == nil {
			continue
		}
		bound = append(bound, c)
		path, _ := split(c.GoType)
		paths[path] = true
		if w, _, _ := golang.CustomWire(c); w.ImportPath != "" {
			paths[w.ImportPath] = true
		}
	}
	if len(bound) == 0 {
		return nil
	}
	patterns := make([]string, 0, len(paths))
	for p := range paths {
		patterns = append(patterns, p)
	}
	sort.Strings(patterns)
	cfg := &packages.Config{Mode: packages.NeedName | packages.NeedTypes, Dir: dir}
	pkgs, err := packages.Load(cfg, patterns...)
	loaded := map[string]*packages.Package{}
	for _, p := range pkgs {
		loaded[p.PkgPath] = p
	}
	convert := map[string]bool{}
	for _, c := range bound {
		if conv, ok := check(c, loaded, err, diags); ok && conv {
			convert[c.GoType] = true
		}
	}
	return convert
}

// check checks one binding, reporting a problem in diags; conv says that
// generated code converts it.
func check(c *ir.Custom, loaded map[string]*packages.Package, loadErr error, diags *diag.List) (conv, ok bool) {
	span := c.GoSpan
	if !span.IsValid() {
		span = c.Span
	}
	path, name := split(c.GoType)
	p := loaded[path]
	switch {
	case p == nil && loadErr != nil:
		d := diags.Errorf(span, "cannot load Go package %q for %s: %v", path, c.Name, loadErr)
		d.Help = "evc runs the go command to check @go types; is it on PATH?"
		return false, false
	case p == nil || len(p.Errors) > 0 || p.Types == nil:
		msg := "not found"
		if p != nil && len(p.Errors) > 0 {
			msg = strings.Join(strings.Fields(p.Errors[0].Msg), " ") // the go command's message spans lines
		}
		d := diags.Errorf(span, "cannot load Go package %q for %s: %s", path, c.Name, msg)
		d.Help = "the package must be in the Go module of --go-out or one it requires (go get it)"
		return false, false
	}
	obj, _ := p.Types.Scope().Lookup(name).(*types.TypeName)
	if obj == nil || !obj.Exported() {
		d := diags.Errorf(span, "Go package %q declares no exported type %s", path, name)
		d.Help = fmt.Sprintf("@go names a type as \"import/path.Name\"; declare type %s in %s", name, path)
		return false, false
	}
	t := obj.Type()
	wid, pointer, methods := golang.CustomWire(c)
	wire := wireType(wid, pointer, loaded)
	if wire != nil && types.Identical(t.Underlying(), wire.Underlying()) {
		return true, true
	}
	if methods != "" && implements(types.NewPointer(t), methods) {
		return false, true
	}
	wireName := wid.Name
	if wid.ImportPath != "" {
		wireName = wid.ImportPath[strings.LastIndexByte(wid.ImportPath, '/')+1:] + "." + wid.Name
	}
	if pointer {
		wireName = "*" + wireName
	}
	if methods == "" {
		d := diags.Errorf(span, "Go type %s must have underlying type %s, the Go type of %s's wire type", c.GoType, wireName, c.Name)
		d.Help = fmt.Sprintf("declare it as type %s %s: generated code converts it", name, wireName)
		return false, false
	}
	d := diags.Errorf(span, "Go type %s must have underlying type %s or implement encoding.%sMarshaler and encoding.%sUnmarshaler", c.GoType, wireName, methods, methods)
	d.Help = fmt.Sprintf("declare it as type %s %s, which generated code converts, or give *%s Marshal%s and Unmarshal%s methods", name, wireName, name, methods, methods)
	return false, false
}

// split splits "import/path.Name".
func split(goType string) (path, name string) {
	i := strings.LastIndexByte(goType, '.')
	if i < 0 {
		return "", goType
	}
	return goType[:i], goType[i+1:]
}

// wireType returns the go/types type of the wire Go type id, or nil when
// its package did not load.
func wireType(id golang.GoIdent, pointer bool, loaded map[string]*packages.Package) types.Type {
	var t types.Type
	switch {
	case id.ImportPath != "":
		p := loaded[id.ImportPath]
		if p == nil || p.Types == nil {
			return nil
		}
		obj, _ := p.Types.Scope().Lookup(id.Name).(*types.TypeName)
		if obj == nil {
			return nil
		}
		t = obj.Type()
	case id.Name == "[]byte":
		t = types.NewSlice(types.Typ[types.Byte])
	default:
		obj, _ := types.Universe.Lookup(id.Name).(*types.TypeName)
		if obj == nil {
			return nil
		}
		t = obj.Type()
	}
	if pointer {
		t = types.NewPointer(t)
	}
	return t
}

// implements reports whether t has the methods of encoding's kind
// Marshaler and Unmarshaler ("Text" or "Binary"), as generated code calls
// them: Marshal<kind>() ([]byte, error) and Unmarshal<kind>([]byte) error.
func implements(t types.Type, kind string) bool {
	bytes := types.NewSlice(types.Typ[types.Byte])
	errT := types.Universe.Lookup("error").Type()
	v := func(t types.Type) *types.Var { return types.NewParam(0, nil, "", t) }
	marshal := types.NewFunc(0, nil, "Marshal"+kind, types.NewSignatureType(nil, nil, nil, nil, types.NewTuple(v(bytes), v(errT)), false))
	unmarshal := types.NewFunc(0, nil, "Unmarshal"+kind, types.NewSignatureType(nil, nil, nil, types.NewTuple(v(bytes)), types.NewTuple(v(errT)), false))
	iface := types.NewInterfaceType([]*types.Func{marshal, unmarshal}, nil).Complete()
	return types.Implements(t, iface)
}
