package safefile

import (
	"bytes"
	"strings"
	"sync"
	"syscall"
)

// openSelf opens the folder for holdsFast.
func (d *Dir) openSelf() {
	if f, err := d.root.Open("."); err == nil {
		d.self, d.selfFD = f, int(f.Fd())
	}
}

// holdsFast is holds for a file directly in the folder, with the fewest
// system calls: open (not through a symbolic link, and without waiting on
// a FIFO), fstat, one read of the size fstat gave into a reused buffer,
// close. Through an os.File the same costs an lstat, three fcntl and an
// epoll_ctl more per file, and a buffer for each. ok is false when it cannot tell (a path with folders,
// an unexpected error): then holds asks the slow way.
func (d *Dir) holdsFast(p string, data []byte) (same, ok bool) {
	if d.self == nil || strings.ContainsRune(p, '/') {
		return false, false
	}
	fd, err := syscall.Openat(d.selfFD, p, syscall.O_RDONLY|syscall.O_CLOEXEC|syscall.O_NOFOLLOW|syscall.O_NONBLOCK|syscall.O_NOCTTY, 0)
	switch err {
	case nil:
	case syscall.ENOENT, syscall.ELOOP: // no file, or a symbolic link: replace it
		return false, true
	default:
		return false, false
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return false, false
	}
	if st.Mode&syscall.S_IFMT != syscall.S_IFREG || st.Size != int64(len(data)) {
		return false, true
	}
	bp := bufs.Get().(*[]byte)
	defer bufs.Put(bp)
	if cap(*bp) < len(data) {
		*bp = make([]byte, len(data))
	}
	// fstat gave the size: no read to see the end of the file.
	buf := (*bp)[:len(data)]
	n := 0
	for n < len(buf) {
		m, err := syscall.Read(fd, buf[n:])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return false, false
		}
		if m == 0 {
			break
		}
		n += m
	}
	return bytes.Equal(buf[:n], data), true
}

// bufs are holdsFast's read buffers: one per writer at a time, reused.
var bufs = sync.Pool{New: func() any { return new([]byte) }}
