//go:build !linux

package safefile

func (d *Dir) openSelf() {}

// holdsFast is Linux's: elsewhere holds asks through the os.Root.
func (d *Dir) holdsFast(p string, data []byte) (same, ok bool) { return false, false }
