package scenarios

import (
	"strings"
	"testing"
)

// TestInfinityRefused: YAML's infinity in every spelling (+.inf, which the
// parser leaves a string, .Inf, -.INF, Go's inf) is refused as an
// infinity, at its field, in a file and a --set alike; it read as the
// word "+.inf". Quoted, it is a string and said to be one.
func TestInfinityRefused(t *testing.T) {
	const world = `stop: {auctions: 10}
traffic: {qps: 10}
exchange: {tmax: 100ms, floor: %s}
bidders:
  - {name: a, value: 1}
`
	for _, inf := range []string{"+.inf", "+.Inf", "+.INF", ".inf", ".Inf", "-.INF", "inf", "+Infinity"} {
		_, err := Parse("inf.yaml", []byte(strings.Replace(world, "%s", inf, 1)))
		want := "inf.yaml:3:32: exchange.floor: want a price in CPM, a number, got the infinity " + inf + ": it must be finite"
		if err == nil || err.Error() != want {
			t.Errorf("%s: %v\nwant %q", inf, err, want)
		}
	}
	_, err := Parse("inf.yaml", []byte(strings.Replace(world, "%s", `"+.inf"`, 1)))
	if err == nil || !strings.Contains(err.Error(), `got "+.inf"`) {
		t.Errorf(`"+.inf" quoted: %v`, err)
	}
	for _, path := range []string{"exchange.floor", "traffic.qps", "stop.auctions"} {
		_, _, err := ResolveWith("classroom-vickrey", []Set{{Path: path, Value: "+.inf", Flag: "--set"}})
		if err == nil || !strings.Contains(err.Error(), "got the infinity +.inf: it must be finite") {
			t.Errorf("--set %s=+.inf: %v", path, err)
		}
	}
}
