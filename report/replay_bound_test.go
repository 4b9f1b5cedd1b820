package report

import (
	"bytes"
	"io"
	"runtime"
	"strings"
	"testing"
)

// repeated is n bytes of b, made as they are read.
type repeated struct {
	b byte
	n int
}

func (r *repeated) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, io.EOF
	}
	k := min(len(p), r.n)
	for i := range p[:k] {
		p[i] = r.b
	}
	r.n -= k
	return k, nil
}

// TestReplayBoundsWhatItKeeps: a 50 MB key, at the top level or in a
// change, and a 50 MB value of a section ReadReplay keeps, are refused
// as they are read, naming their line, having cost a little memory: the
// key cost about 200 MB before (copied, grown, decoded). A 50 MB string
// in a part it skips costs nothing and is no refusal.
func TestReplayBoundsWhatItKeeps(t *testing.T) {
	const huge = 50 << 20
	for _, c := range []struct {
		name          string
		before, after string
		want          string
	}{
		{"top-level key", "{\n  \"auctions\": 1,\n  \"", "\": 1\n}\n", "line 3: a key is longer than 1024 bytes"},
		{"key in a change", "{\n  \"changes\": [\n    {\"kind\": \"tmax\"},\n    {\"", "\": 1}\n  ]\n}\n", "line 4: changes[1] is longer than"},
		{"scenario", "{\n  \"scenario\": \"", "\"\n}\n", "line 2: scenario is longer than"},
		{"skipped", "{\n  \"series\": {\"", "\": 1}\n}\n", "no replay section"},
	} {
		r := io.MultiReader(strings.NewReader(c.before), &repeated{'a', huge}, strings.NewReader(c.after))
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		_, err := ReadReplay(r)
		runtime.ReadMemStats(&after)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v; want %q", c.name, err, c.want)
		}
		if got := after.TotalAlloc - before.TotalAlloc; got > 8<<20 {
			t.Errorf("%s: reading it allocated %d MB", c.name, got>>20)
		}
	}
	deep := strings.Repeat("[", 5000) + strings.Repeat("]", 5000)
	if _, err := ReadReplay(bytes.NewReader([]byte(`{"series": ` + deep + `}`))); err == nil || !strings.Contains(err.Error(), "nested more than 1000 deep") {
		t.Errorf("nested 5000 deep: %v", err)
	}
}
