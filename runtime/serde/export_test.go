package serde

// FastPath reports whether data with schema id decodes by the generated
// decoder, and whether the id is bound at all.
func (m *Manager) FastPath(id int) (fast, bound bool) {
	b, ok := m.bindings.get(uint32(id))
	if !ok {
		return false, false
	}
	return b.fast, true
}
