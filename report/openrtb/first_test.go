package openrtb

import (
	"bufio"
	"bytes"
	"context"
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
