package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// extremes are the values TestOverridesRun sets each path to: the edges
// of numbers, durations, shares and counts, and what is not a number.
var extremes = []string{"0", "-1", "1e-300", "1e300", "1e18", "9223372036854775807",
	"0ms", "1ns", "1us", "1000000h", "0.999999999", "1.0000001", "nan", ".inf", "2"}

// TestOverridesRun sets every scalar path of any bundled scenario (a
// bidder's as bidders.*.PATH) to each of extremes, in every bundled
// scenario, as --set does: whatever is accepted must run to a correct end
// (no panic in the engine, its snapshot or the writers; the winners'
// spend and the abandoned revenue add up to the exchange's revenue; a
// JSON export that encodes and a CSV that writes). What is refused is
// FuzzParse's and the messages' tests' concern. About a thousand short
// runs: the long tier only.
func TestOverridesRun(t *testing.T) {
	if testing.Short() {
		t.Skip("a thousand runs: the long tier")
	}
	paths := bundledPaths(t)
	for _, name := range scenarios.Names() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			src, err := scenarios.Source(name)
			if err != nil {
				t.Fatal(err)
			}
			runs := 0
			for _, p := range paths {
				for _, v := range extremes {
					sc, _, err := scenarios.ParseWith(name+".yaml", src, []scenarios.Set{{Path: p, Value: v}})
					if err != nil {
						continue
					}
					runs++
					if err := runsToAnEnd(sc); err != nil {
						t.Errorf("--set %s=%s: %v", p, v, err)
					}
				}
			}
			if runs == 0 {
				t.Fatal("no override was accepted")
			}
		})
	}
}

// bundledPaths is every scalar path of the bundled scenarios but their
// names, descriptions, stops and scripts, each bidder's as bidders.*.
func bundledPaths(t *testing.T) []string {
	union := map[string]bool{}
	for _, name := range scenarios.Names() {
		src, err := scenarios.Source(name)
		if err != nil {
			t.Fatal(err)
		}
		var tree any
		if err := yaml.Unmarshal(src, &tree); err != nil {
			t.Fatal(err)
		}
		var paths []string
		leafPaths("", tree, &paths)
		for _, p := range paths {
			if segs := strings.SplitN(p, ".", 3); segs[0] == "bidders" && len(segs) == 3 {
				p = "bidders.*." + segs[2]
			}
			switch first, _, _ := strings.Cut(p, "."); {
			case first == "name", first == "description", first == "stop", first == "script", strings.HasSuffix(p, ".name"):
				continue
			}
			union[p] = true
		}
	}
	var paths []string
	for p := range union {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	if len(paths) < 50 {
		t.Fatalf("only %d paths in the bundled scenarios: %v", len(paths), paths)
	}
	return paths
}

// leafPaths adds the scalar leaves of a YAML tree under prefix to out, as
// paths, a bidder by its name.
func leafPaths(prefix string, v any, out *[]string) {
	join := func(k string) string {
		if prefix == "" {
			return k
		}
		return prefix + "." + k
	}
	switch t := v.(type) {
	case map[string]any:
		for k, c := range t {
			leafPaths(join(k), c, out)
		}
	case []any:
		for i, c := range t {
			key := fmt.Sprint(i)
			if m, ok := c.(map[string]any); ok && prefix == "bidders" {
				if n, ok := m["name"].(string); ok {
					key = n
				}
			}
			leafPaths(join(key), c, out)
		}
	default:
		*out = append(*out, prefix)
	}
}

// runsToAnEnd runs sc for a few thousand auctions (or its own shorter
// stop), bounded in events, and checks what FuzzRun and TestOverridesRun
// ask of every accepted scenario.
func runsToAnEnd(sc *scenarios.Scenario) error {
	stop := sim.Stop{Auctions: 1500}
	if sc.Stop.Auctions > 0 && sc.Stop.Auctions < stop.Auctions {
		stop.Auctions = sc.Stop.Auctions
	}
	short, err := sc.WithStop(stop)
	if err != nil {
		return fmt.Errorf("a stop of %d auctions refused for an accepted scenario: %w", stop.Auctions, err)
	}
	eng, err := sim.New(short.Config)
	if err != nil {
		return fmt.Errorf("accepted, but the engine refuses it: %w", err)
	}
	// Bounded in events: a world whose auctions close slowly stops here.
	eng.RunStop(stop, 300_000)
	snap := eng.Snapshot()
	x := &snap.Exchange
	if x.Filled > x.Auctions {
		return fmt.Errorf("%d filled of %d auctions", x.Filled, x.Auctions)
	}
	if !x.Saturated() {
		var spend sim.Money
		for _, b := range snap.Bidders {
			spend += b.Spend
		}
		// Abandoned impressions clear but are not paid for.
		if spend+x.AbandonedRevenue != x.Revenue {
			return fmt.Errorf("the bidders spent %v and %v was abandoned; the exchange earned %v", spend, x.AbandonedRevenue, x.Revenue)
		}
	}
	run := NewRun(short, snap, false, 0)
	var js bytes.Buffer
	if err := WriteJSON(&js, snap, run.Meta()); err != nil {
		return err
	}
	if !json.Valid(js.Bytes()) {
		return fmt.Errorf("the JSON export is not JSON: %.200s", js.String())
	}
	return WriteCSV(io.Discard, snap, run.Partial)
}
