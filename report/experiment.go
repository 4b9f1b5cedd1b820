package report

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"math"
	"strconv"

	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/experiment"
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

// RepsTree is run --reps' JSON: the single run's summary with a
// statistic in place of every number. start is a snapshot of the first
// point's world before it runs, whose summary has the shape of every
// replication's: it depends on the scenario only, so a merge builds the
// same.
func RepsTree(res *experiment.Result, start *sim.Snapshot) (*Tree, error) {
	tree, err := summaryTree(start, res.Spec.Points[0].Name)
	if err != nil {
		return nil, err
	}
	tree.Leaves("", func(name string, leaf *Tree) {
		if notMetrics[name] != "" {
			return
		}
		// A number no replication defined (an unlimited budget) stays
		// null, as in a single run.
		if s, ok := res.Agg.Stat(0, name); ok && s.N > 0 {
			leaf.Replace(s)
		}
	})
	tree.Set("seed", Value(res.Spec.Seed))
	tree.Set("partial", Value(res.Partial))
	tree.Set("wall_seconds", Value(res.Wall.Seconds()))
	tree.InsertAfter("partial", "replications", Value(res.Agg.Reps()))
	return tree, nil
}

// WriteRepsCSV writes run --reps' statistics, one metric a row.
func WriteRepsCSV(w io.Writer, agg *experiment.Agg) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"metric", "mean", "sd", "n", "lo", "hi"})
	for _, m := range agg.Metrics(0) {
		s, _ := agg.Stat(0, m)
		cw.Write([]string{m, csvNum(s.Mean), csvNum(s.SD), strconv.Itoa(s.N), csvNum(s.Lo), csvNum(s.Hi)})
	}
	cw.Flush()
	return cw.Error()
}

// WriteSweepCSV writes a sweep, one point a row: the varied values, then
// each metric's statistic.
func WriteSweepCSV(w io.Writer, res *experiment.Result) error {
	cw := csv.NewWriter(w)
	var head []string
	for _, v := range res.Spec.Vary {
		head = append(head, v.Path)
	}
	for _, m := range res.Spec.Metrics {
		head = append(head, m+".mean", m+".sd", m+".n", m+".lo", m+".hi")
	}
	cw.Write(head)
	for p, pt := range res.Spec.Points {
		row := append([]string(nil), pt.Values...)
		for _, m := range res.Spec.Metrics {
			s, _ := res.Agg.Stat(p, m)
			row = append(row, csvNum(s.Mean), csvNum(s.SD), strconv.Itoa(s.N), csvNum(s.Lo), csvNum(s.Hi))
		}
		cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}

// csvNum writes a number exactly; empty when undefined.
func csvNum(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return ""
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}
