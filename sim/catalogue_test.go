package sim

import (
	"math"
	"strings"
	"testing"
)

func TestTmaxPointName(t *testing.T) {
	for in, want := range map[Time]string{
		120 * Millisecond: "120ms", 1500 * Microsecond: "1500us", 7: "7ns", Second: "1000ms",
	} {
		if got := (TmaxPoint{Tmax: in}).Name(); got != want {
			t.Errorf("the point at %v is named %s, want %s", in, got, want)
		}
	}
}

// TestCatalogueReadsOtherSnapshots: a metric's accessor reads it from
// another snapshot of the world (its value there), and a part missing
// there (a bidder, a group) reads as NaN; names are unique.
func TestCatalogueReadsOtherSnapshots(t *testing.T) {
	e := mustNew(t, groupWorld())
	e.RunUntil(2 * Second)
	early := e.Snapshot()
	e.RunUntil(5 * Second)
	late := e.Snapshot()
	values := MetricValues(late)
	names := map[string]bool{}
	for _, m := range Catalogue(early) {
		if names[m.Name] {
			t.Errorf("two metrics named %s", m.Name)
		}
		names[m.Name] = true
		if got, want := m.Of(late), values[m.Name]; math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Errorf("%s: %v from the early snapshot's accessor, %v in the late snapshot", m.Name, got, want)
		}
	}
	gone := *late
	gone.Bidders, gone.Groups = nil, nil
	for _, m := range Catalogue(late) {
		if strings.HasPrefix(m.Name, "bidders.") || strings.HasPrefix(m.Name, "groups.") {
			if x := m.Of(&gone); !math.IsNaN(x) {
				t.Errorf("%s of a snapshot without it: %v, want NaN", m.Name, x)
			}
		}
	}
	if got := MetricNames(late); len(got) != len(values) || len(got) < 100 {
		t.Errorf("%d names, %d values", len(got), len(values))
	}
	if _, err := MetricNamed("exchange.fill_rate"); err == nil || !strings.Contains(err.Error(), "revenue") {
		t.Errorf("a ratio is not cumulative: %v", err)
	}
	if m, err := MetricNamed("auctions"); err != nil || m.Of(late) != float64(late.Exchange.Auctions) {
		t.Errorf("auctions: %v", err)
	}
}

// TestTwinsInCatalogue: every twin pair (TwinOf) names two metrics of the
// catalogue, so that a metric renamed cannot leave compare listing both
// of a pair again; and for a truthful bidder without a budget in a
// second-price world, asked in every auction and never changing its
// strategy, each is equal to its twin, as compare folds them.
func TestTwinsInCatalogue(t *testing.T) {
	e := mustNew(t, groupWorld())
	e.RunUntil(5 * Second)
	values := MetricValues(e.Snapshot())
	for m := range bidderTwins {
		name := "bidders.rival." + m
		twin, ok := TwinOf(name)
		if !ok {
			t.Fatalf("TwinOf(%s): none", name)
		}
		x, okx := values[name]
		y, oky := values[twin]
		if !okx || !oky {
			t.Errorf("%s (%v) or its twin %s (%v) not in the catalogue", name, okx, twin, oky)
		} else if x != y || math.IsNaN(x) {
			t.Errorf("%s = %v, its twin %s = %v; want them equal", name, x, twin, y)
		}
	}
	if _, ok := TwinOf("bidders.win_rate_per_auction"); ok {
		t.Error("bidders.win_rate_per_auction: a twin without a bidder")
	}
}
