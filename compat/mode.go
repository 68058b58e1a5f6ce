package compat

import (
	"fmt"
	"strings"
)

// Mode is a compatibility mode, as Confluent Schema Registry names them.
type Mode string

// The modes. BACKWARD: the new schema reads data written with the earlier
// ones. FORWARD: the earlier schemas read data written with the new one.
// FULL: both. The _TRANSITIVE forms check against every earlier version, the
// others against the latest only. NONE checks nothing.
const (
	Backward           Mode = "BACKWARD"
	BackwardTransitive Mode = "BACKWARD_TRANSITIVE"
	Forward            Mode = "FORWARD"
	ForwardTransitive  Mode = "FORWARD_TRANSITIVE"
	Full               Mode = "FULL"
	FullTransitive     Mode = "FULL_TRANSITIVE"
	None               Mode = "NONE"
)

// DefaultMode is the mode used when neither the flag nor the IDL sets one:
// data written by a new producer must stay readable by consumers still on an
// older schema.
const DefaultMode = Forward

// Modes lists every mode, in the order the Schema Registry documents them.
var Modes = []Mode{Backward, BackwardTransitive, Forward, ForwardTransitive, Full, FullTransitive, None}

// ParseMode parses a mode name, ignoring case; "" is not a mode.
func ParseMode(s string) (Mode, error) {
	u := Mode(strings.ToUpper(strings.TrimSpace(s)))
	for _, m := range Modes {
		if m == u {
			return m, nil
		}
	}
	names := make([]string, len(Modes))
	for i, m := range Modes {
		names[i] = string(m)
	}
	return "", fmt.Errorf("evc: unknown compatibility mode %q (want one of %s)", s, strings.Join(names, ", "))
}

// ModeHelp is the help line of an unknown mode.
const ModeHelp = "use one of BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE, NONE"

// Backward reports whether m requires the new schema to read old data.
func (m Mode) Backward() bool {
	return m == Backward || m == BackwardTransitive || m == Full || m == FullTransitive
}

// Forward reports whether m requires old schemas to read new data.
func (m Mode) Forward() bool {
	return m == Forward || m == ForwardTransitive || m == Full || m == FullTransitive
}

// Transitive reports whether m checks against every earlier version rather
// than the latest.
func (m Mode) Transitive() bool {
	return m == BackwardTransitive || m == ForwardTransitive || m == FullTransitive
}

// Direction is one way of reading: which side reads and which writes.
type Direction uint8

// The two directions. BackwardDir: the new schema reads data written with an
// old one (new consumers, old data). ForwardDir: an old schema reads data
// written with the new one (old consumers, new data).
const (
	BackwardDir Direction = iota
	ForwardDir
)

// String returns "BACKWARD" or "FORWARD".
func (d Direction) String() string {
	if d == ForwardDir {
		return "FORWARD"
	}
	return "BACKWARD"
}

// joinModes returns the mode that asks for every direction and every
// version any of ms asks for: FORWARD and BACKWARD give FULL; a
// _TRANSITIVE mode makes it transitive. None at all gives NONE.
func joinModes(ms []Mode) Mode {
	var back, fwd, trans bool
	for _, m := range ms {
		back = back || m.Backward()
		fwd = fwd || m.Forward()
		trans = trans || m.Transitive()
	}
	switch {
	case back && fwd && trans:
		return FullTransitive
	case back && fwd:
		return Full
	case back && trans:
		return BackwardTransitive
	case back:
		return Backward
	case fwd && trans:
		return ForwardTransitive
	case fwd:
		return Forward
	}
	return None
}
