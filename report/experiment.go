package report

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/experiment"
	"github.com/auctionsim/auctionsim/sim/stats"
)

// summaryTree is a run's JSON summary as an ordered tree.
func summaryTree(snap *sim.Snapshot, name string) (*Tree, error) {
	data, err := json.Marshal(NewSummary(snap, Meta{Scenario: name}))
	if err != nil {
		return nil, err
	}
	return ParseTree(data)
}

// notMetrics are the summary's numbers that are not in sim's metric
// catalogue, nor outcomes of a replication, each with the reason.
var notMetrics = map[string]string{
	"seed":         "the run's seed: an input, and every replication of an experiment has its own by design",
	"wall_seconds": "real time: it depends on the machine, not on the world",
	"partial":      "says whether the run was cut short (Meta), which the snapshot does not know",
}

// noStat is the statistic of no replication: n 0, the numbers NaN
// (null in JSON).
func noStat() stats.Stat { return (&stats.Acc{}).Stat() }

// NoRepsLine is run --reps' table when it was interrupted before any
// replication finished: one line saying so, in place of the table.
func NoRepsLine(scenario string, seed uint64) string {
	return fmt.Sprintf("%s: 0 replications (seed %d): interrupted before any replication finished\n", scenario, seed)
}

// RepsTree is run --reps' JSON: the single run's summary with a
// statistic in place of every number. start is a snapshot of the first
// point's world before it runs, whose summary has the shape of every
// replication's: it depends on the scenario only, so a merge builds the
// same.
//
// scripted says the scenario's script changes the world after the start
// (sim.Config.ScriptChangesAfterStart): the replications then have the
// since_change figures, which the start has not, so the tree gets their
// block, where a single run's summary has it, each figure the statistic
// of the replications that reached the change (n 0 where none did).
func RepsTree(res *experiment.Result, start *sim.Snapshot, scripted bool) (*Tree, error) {
	tree, err := summaryTree(start, res.Spec.Points[0].Name)
	if err != nil {
		return nil, err
	}
	added := false
	if scripted && tree.Get("since_change") == nil {
		sc := SinceChange{}
		for _, b := range start.Bidders {
			sc.Bidders = append(sc.Bidders, SinceChangeBidder{Name: b.Name})
		}
		data, err := json.Marshal(sc)
		if err != nil {
			return nil, err
		}
		block, err := ParseTree(data)
		if err != nil {
			return nil, err
		}
		tree.InsertAfter("theory", "since_change", block)
		added = true
	}
	tree.Leaves("", func(name string, leaf *Tree) {
		if notMetrics[name] != "" {
			return
		}
		// A number no replication defined (an unlimited budget) stays
		// null, as in a single run.
		if s, ok := res.Agg.Stat(0, name); ok && s.N > 0 {
			leaf.Replace(s)
		} else if added && strings.HasPrefix(name, "since_change.") {
			// No replication reached the change: the statistic of none,
			// not the zeros the block was made of.
			leaf.Replace(noStat())
		} else if res.Agg.Reps() == 0 && !math.IsNaN(leaf.Number()) {
			// Interrupted before any replication finished: the
			// statistic of none (n 0, its numbers null) where a
			// replication would have put one, not the start's number,
			// which nothing measured; a null (no budget, no holdout)
			// stays null, as above.
			leaf.Replace(noStat())
		}
	})
	if bs := tree.Get("bidders"); bs != nil {
		// A flight's days are a list without names, which no statistic
		// aggregates: null, rather than the start's one day of spend 0.
		for _, b := range bs.vals {
			if b.Get("days") != nil {
				b.Set("days", Value(nil))
			}
		}
	}
	tree.Set("seed", Value(res.Spec.Seed))
	tree.Set("partial", Value(res.Partial))
	tree.Set("wall_seconds", Value(res.Wall.Seconds()))
	tree.InsertAfter("partial", "replications", Value(res.Agg.Reps()))
	if names := res.Agg.SaturatedNames(); names != nil {
		// Where a run's summary has it, with the same shape.
		tree.Set("saturated", Value(names))
	}
	return tree, nil
}

// PickedReps is run --reps --metrics' output: the statistics of the
// metrics asked for, in their order (JSON: "metrics" maps each name to
// its statistic; of n 0, its numbers null, for one no replication
// defined).
type PickedReps struct {
	Scenario     string                 `json:"scenario"`
	Seed         uint64                 `json:"seed"`
	Partial      bool                   `json:"partial"`
	Replications int                    `json:"replications"`
	WallSeconds  float64                `json:"wall_seconds"`
	Metrics      map[string]*stats.Stat `json:"metrics"`
	// Saturated is RepsTree's "saturated": the money totals that
	// saturated in any replication; absent when none did.
	Saturated []string `json:"saturated,omitempty"`
	names     []string
}

// PickReps is res's statistics of names (metric catalogue names).
func PickReps(res *experiment.Result, names []string) PickedReps {
	out := PickedReps{Scenario: res.Spec.Scenario, Seed: res.Spec.Seed, Partial: res.Partial,
		Replications: res.Agg.Reps(), WallSeconds: res.Wall.Seconds(), Metrics: map[string]*stats.Stat{},
		Saturated: res.Agg.SaturatedNames(), names: names}
	for _, m := range names {
		s, ok := res.Agg.Stat(0, m)
		if !ok || s.N == 0 {
			// No replication gave it a value (none finished, or it is
			// undefined, as a ROAS without spend): the statistic of
			// none, n 0, as compare and sweep write it, not null.
			s = noStat()
		}
		out.Metrics[m] = &s
	}
	return out
}

// Table is p as text: one metric a line, its name whole, mean ± 95%
// half-width.
func (p PickedReps) Table() string {
	if p.Replications == 0 {
		return NoRepsLine(p.Scenario, p.Seed)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d replications (seed %d), mean ± 95%% half-width", p.Scenario, p.Replications, p.Seed)
	if p.Partial {
		b.WriteString(" (partial)")
	}
	b.WriteString("\n\n")
	w := len("metric")
	for _, m := range p.names {
		w = max(w, format.Width(m))
	}
	for _, m := range p.names {
		cell := format.Dash
		if s := p.Metrics[m]; s != nil {
			cell = FormatPM(*s)
		}
		fmt.Fprintf(&b, "%s  %s\n", format.PadRight(m, w), cell)
	}
	return b.String()
}
