//go:build !race

package resolve

// raceEnabled is true when the race detector is on: sync.Pool then drops
// a quarter of what is put in it, which changes allocation counts.
const raceEnabled = false
