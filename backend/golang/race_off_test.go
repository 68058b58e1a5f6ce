//go:build !race

package golang_test

// raceEnabled is true when the race detector is on; it changes allocation
// counts.
const raceEnabled = false
