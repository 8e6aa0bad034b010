package cgopkg

import "testing"

func TestLen(t *testing.T) {
	if got := Len("abc"); got != 3 {
		t.Errorf("Len(abc) = %d", got)
	}
}
