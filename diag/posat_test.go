package diag

import "testing"

func TestPosAt(t *testing.T) {
	src := []byte("{\n  \"é\": x\n}")
	for _, c := range []struct {
		off  int
		want Pos
	}{
		{0, Pos{File: "f", Offset: 0, Line: 1, Col: 1}},
		{2, Pos{File: "f", Offset: 2, Line: 2, Col: 1}},
		{9, Pos{File: "f", Offset: 9, Line: 2, Col: 7}}, // é is two bytes, one column
		{-5, Pos{File: "f", Offset: 0, Line: 1, Col: 1}},
		{99, Pos{File: "f", Offset: len(src), Line: 3, Col: 2}},
	} {
		if got := PosAt("f", src, c.off); got != c.want {
			t.Errorf("PosAt(%d) = %+v, want %+v", c.off, got, c.want)
		}
	}
}
