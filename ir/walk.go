package ir

// Walk calls visit for t and then, depth first and in order, for the types
// inside it: an array's items, a map's values, a union's branches. When visit
// returns false, Walk does not look inside that type. Walk does not enter a
// named type's definition (a record's fields): a recursive type would never
// end, and most callers want to treat each definition once; WalkDeep does.
func Walk(t *Type, visit func(*Type) bool) {
	if t == nil || !visit(t) {
		return
	}
	switch t.Kind {
	case Array:
		Walk(t.Items, visit)
	case Map:
		Walk(t.Values, visit)
	case Union:
		for _, b := range t.Branches {
			Walk(b, visit)
		}
	}
}

// WalkDeep is Walk that also enters the fields of each record it meets, once
// per record: it visits every type a value of t can hold.
func WalkDeep(t *Type, visit func(*Type) bool) {
	seen := map[*Named]bool{}
	var walk func(t *Type)
	walk = func(t *Type) {
		Walk(t, func(t *Type) bool {
			if !visit(t) {
				return false
			}
			if t.Kind == Record && t.Named != nil && !seen[t.Named] {
				seen[t.Named] = true
				for _, f := range t.Named.Fields {
					walk(f.Type)
				}
			}
			return true
		})
	}
	walk(t)
}

// EachNamed calls fn for each named type t refers to (itself, or inside an
// array, a map or a union), not looking into the named types themselves.
func EachNamed(t *Type, fn func(*Named)) {
	Walk(t, func(t *Type) bool {
		if t.Kind.IsNamed() {
			if t.Named != nil {
				fn(t.Named)
			}
			return false
		}
		return true
	})
}
