package experiment

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/auctionsim/auctionsim/sim"
)

// Point is one configuration of an experiment as the engine runs it: a
// world and where a replication of it stops.
type Point struct {
	Name   string // the scenario's name, for messages
	Config sim.Config
	Stop   sim.Stop
}

// eventSlice is how many events a replication runs between checks of its
// context: well under a millisecond.
const eventSlice = 1 << 16

// Measure runs p once with seed to its stop and returns its metrics: every
// metric of the catalogue (sim.MetricValues), and a SaturatedPrefix key for
// each money total that saturated. It returns ctx's error soon
// after ctx is done.
func Measure(ctx context.Context, p Point, seed uint64) (Values, error) {
	cfg := p.Config
	cfg.Seed = seed
	eng, err := sim.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("scenario %s: %w", p.Name, err)
	}
	for !eng.RunStop(p.Stop, eventSlice) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		reportShare(ctx, p.Stop.Fraction(eng.Now(), eng.Auctions()))
	}
	snap := eng.Snapshot()
	vals := sim.MetricValues(snap)
	for _, name := range snap.Saturated() {
		vals[SaturatedPrefix+name] = 1
	}
	return vals, nil
}

// SaturatedPrefix marks, in a replication's Values, a money total that
// reached sim.MaxMoney and stopped there (sim.Snapshot.Saturated):
// "saturated.exchange.revenue" is 1 when exchange.revenue did. Agg counts
// these (Agg.Saturated) rather than averaging them, so that an experiment
// can warn that its means of those metrics are too low.
const SaturatedPrefix = "saturated."

// MetricNames lists the metrics p's replications report, sorted: those of
// its world before it starts, whose parts (bidders, groups, holdouts, the
// tmax curve's points) a run does not change (a script may change whether
// the closed form applies, and with it the theory.* metrics), and the
// since_change metrics when its script changes the world after the start.
func MetricNames(p Point) ([]string, error) {
	eng, err := sim.New(p.Config)
	if err != nil {
		return nil, fmt.Errorf("scenario %s: %w", p.Name, err)
	}
	names := sim.MetricNames(eng.Snapshot())
	if p.Config.ScriptChangesAfterStart() {
		names = append(names, sim.SinceChangeMetrics(bidderNames(p.Config)...)...)
		slices.Sort(names)
	}
	return names, nil
}

// CheckMetrics refuses the first of want that p's replications do not
// report, suggesting the closest name.
func CheckMetrics(p Point, want ...string) error {
	names, err := MetricNames(p)
	if err != nil {
		return err
	}
	for _, name := range want {
		if _, found := slices.BinarySearch(names, name); !found {
			if strings.HasPrefix(name, "since_change.") && slices.Contains(sim.SinceChangeMetrics(bidderNames(p.Config)...), name) {
				return fmt.Errorf("%q is a figure since a change made during the run, and %s's script makes none after the start (a run changed live, in the dashboard, has it in its JSON)", name, p.Name)
			}
			// A suggestion only when it is near: the closest of hundreds
			// of names to "foo" ("events") would mislead.
			hint := ""
			if best := sim.Near(name, names); best != "" {
				hint = "; did you mean " + best + "?"
			}
			return fmt.Errorf("%q is not a metric of %s%s (metrics are the run's JSON summary paths, bidders by name: exchange.revenue, bidders.NAME.spend; auctionsim metrics -s SCENARIO lists them)", name, p.Name, hint)
		}
	}
	return nil
}

// bidderNames are cfg's bidders' names, in order.
func bidderNames(cfg sim.Config) []string {
	names := make([]string, len(cfg.Bidders))
	for i, b := range cfg.Bidders {
		names[i] = b.Name
	}
	return names
}
