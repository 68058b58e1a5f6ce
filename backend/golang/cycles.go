package golang

import (
	"sort"

	"github.com/evc-dev/evc/ir"
)

// packagePaths returns the import path of every named type's package. Go
// forbids import cycles, while Avro namespaces may refer to each other's
// types (a.Node has a b.Leaf that points back to a.Node). So the namespaces
// whose packages would import each other, a strongly connected component of
// the graph of packages, share one package: the one a go_package option or
// Options.Packages chose, if exactly one of them was chosen so, else the
// first by import path. Packages that two explicit choices keep apart stay
// apart, and checkImportCycles reports them.
func (g *generator) packagePaths() map[*ir.Named]string {
	paths := make(map[*ir.Named]string, len(g.schema.Types))
	explicit := map[string]bool{}
	for _, n := range g.schema.Types {
		ip, chosen := g.importPathOf(n)
		paths[n] = ip
		if chosen {
			explicit[ip] = true
		}
	}
	deps := map[string]map[string]bool{}
	for _, n := range g.schema.Types {
		from := paths[n]
		for _, f := range n.Fields {
			ir.Walk(f.Type, func(t *ir.Type) bool {
				if !t.Kind.IsNamed() {
					return true
				}
				if to, ok := paths[t.Named]; ok && to != from {
					if deps[from] == nil {
						deps[from] = map[string]bool{}
					}
					deps[from][to] = true
				}
				return false
			})
		}
	}
	into := map[string]string{}
	for _, comp := range components(deps) {
		if len(comp) < 2 {
			continue
		}
		target := comp[0] // components are sorted
		chosen := 0
		for _, ip := range comp {
			if explicit[ip] {
				target = ip
				chosen++
			}
		}
		if chosen > 1 {
			continue
		}
		for _, ip := range comp {
			into[ip] = target
		}
	}
	for n, ip := range paths {
		if t, ok := into[ip]; ok {
			paths[n] = t
		}
	}
	return paths
}

// components returns the strongly connected components of a graph with
// two or more nodes, each sorted, by Tarjan's algorithm; nodes are visited
// in sorted order, so the result is deterministic.
func components(deps map[string]map[string]bool) [][]string {
	sorted := func(m map[string]bool) []string {
		out := make([]string, 0, len(m))
		for k := range m {
			out = append(out, k)
		}
		sort.Strings(out)
		return out
	}
	nodes := map[string]bool{}
	for from, tos := range deps {
		nodes[from] = true
		for to := range tos {
			nodes[to] = true
		}
	}
	index := map[string]int{}
	low := map[string]int{}
	onStack := map[string]bool{}
	var stack []string
	var out [][]string
	var connect func(v string)
	connect = func(v string) {
		index[v] = len(index)
		low[v] = index[v]
		stack = append(stack, v)
		onStack[v] = true
		for _, w := range sorted(deps[v]) {
			if _, seen := index[w]; !seen {
				connect(w)
				low[v] = min(low[v], low[w])
			} else if onStack[w] {
				low[v] = min(low[v], index[w])
			}
		}
		if low[v] != index[v] {
			return
		}
		var comp []string
		for {
			w := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			onStack[w] = false
			comp = append(comp, w)
			if w == v {
				break
			}
		}
		if len(comp) > 1 {
			sort.Strings(comp)
			out = append(out, comp)
		}
	}
	for _, v := range sorted(nodes) {
		if _, seen := index[v]; !seen {
			connect(v)
		}
	}
	return out
}
