package ir

import (
	"reflect"
	"testing"
)

func TestWalk_Order(t *testing.T) {
	node := &Named{Kind: Record, Name: "Node"}
	leaf := &Named{Kind: Record, Name: "Leaf", Fields: []*Field{{Name: "x", Type: &Type{Kind: Int}}}}
	node.Fields = []*Field{
		{Name: "next", Type: &Type{Kind: Union, Branches: []*Type{{Kind: Null}, {Kind: Record, Named: node}}}},
		{Name: "leaves", Type: &Type{Kind: Map, Values: &Type{Kind: Array, Items: &Type{Kind: Record, Named: leaf}}}},
	}
	root := &Type{Kind: Record, Named: node}
	names := func(walk func(*Type, func(*Type) bool), prune Kind) []string {
		var got []string
		walk(root, func(t *Type) bool {
			got = append(got, t.Name())
			return t.Kind != prune
		})
		return got
	}
	for _, tc := range []struct {
		name  string
		walk  func(*Type, func(*Type) bool)
		prune Kind
		want  []string
	}{
		{"shallow", Walk, Invalid, []string{"Node"}},
		{"deep", WalkDeep, Invalid, []string{"Node", "union<null, Node>", "null", "Node", "map<array<Leaf>>", "array<Leaf>", "Leaf", "int"}},
		{"deep pruned at map", WalkDeep, Map, []string{"Node", "union<null, Node>", "null", "Node", "map<array<Leaf>>"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := names(tc.walk, tc.prune); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
	var got []string
	Walk(node.Fields[1].Type, func(t *Type) bool { got = append(got, t.Name()); return true })
	if want := []string{"map<array<Leaf>>", "array<Leaf>", "Leaf"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Walk of a map: got %q, want %q", got, want)
	}
}
