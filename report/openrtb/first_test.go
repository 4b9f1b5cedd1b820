package openrtb

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
)

// TestWriteFirst checks that the first n auctions are written, one line
// each, that the stop cuts them short, and that the engine is left where
// they end, for the run to go on from there.
func TestWriteFirst(t *testing.T) {
	for _, c := range []struct {
		n    uint64
		stop sim.Stop
		want uint64
	}{
		{5, sim.Stop{}, 5},
		{5, sim.Stop{Auctions: 3}, 3},
		{5, sim.Stop{Duration: 1}, 0}, // no auction closes within 1 ns
	} {
		eng, err := sim.New(specWorld(sim.SecondPrice))
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := WriteFirst(context.Background(), eng, c.stop, c.n, &buf); err != nil {
			t.Fatal(err)
		}
		var lines uint64
		for sc := bufio.NewScanner(&buf); sc.Scan(); {
			lines++
		}
		if lines != c.want || eng.Auctions() != c.want {
			t.Errorf("n %d, stop %+v: %d lines, engine at %d auctions; want %d", c.n, c.stop, lines, eng.Auctions(), c.want)
		}
	}
}

// TestWriteFirstTo checks that the auctions go to the file when one is
// named, to stdout otherwise, and that nothing is done for n = 0.
func TestWriteFirstTo(t *testing.T) {
	if WriteFirstTo(context.Background(), sim.Stop{}, 0, "", nil) != nil {
		t.Error("something to do for n = 0")
	}
	path := filepath.Join(t.TempDir(), "a.jsonl")
	var stdout bytes.Buffer
	for _, p := range []string{path, ""} {
		eng, err := sim.New(specWorld(sim.SecondPrice))
		if err != nil {
			t.Fatal(err)
		}
		if err := WriteFirstTo(context.Background(), sim.Stop{}, 3, p, &stdout)(eng); err != nil {
			t.Fatal(err)
		}
	}
	file, _ := os.ReadFile(path)
	if bytes.Count(file, []byte("\n")) != 3 || !bytes.Equal(file, stdout.Bytes()) {
		t.Errorf("file %d lines, stdout %d lines, or they differ", bytes.Count(file, []byte("\n")), bytes.Count(stdout.Bytes(), []byte("\n")))
	}
}
