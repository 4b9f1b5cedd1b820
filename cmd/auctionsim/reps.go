package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/experiment"
	"github.com/auctionsim/auctionsim/sim/stats"
)

// repsAbout is run's help on replications, added to its own.
const repsAbout = `--reps N runs N independent replications in parallel (--workers) and
reports every number of the summary as a statistic: the mean, the standard
deviation and the 95% confidence interval of the mean (Student t, N−1
degrees of freedom); the table prints mean ± half-width, --json keeps the
summary's shape with {"mean", "sd", "n", "lo", "hi"} in place of each number,
plus "replications": N. Replication i runs with seed SplitMix64(seed, i), so
results do not depend on the workers or on sharding (--shard, see
docs/cluster.md).`

// defineReps adds run's replication flags (--reps, --workers, --plot,
// --shard) into x and their help to run.
func defineReps(c *command, x *expFlags) {
	x.defineExp(c, 0)
	c.about += "\n\n" + repsAbout
}

// repsMain is run --reps: o holds run's flags, the experiment's in o.exp.
func repsMain(o *runOptions, st streams) int {
	if o.given["replay"] {
		return usageError(st, "run", "--reps runs a scenario (-s), not a replay")
	}
	x := &o.exp
	if err := x.check(o.given, ".json", ".csv"); err != nil {
		return usageError(st, "run", "%v", err)
	}
	sets := x.baseSets(&o.scenarioFlags)
	pt, sc, ok := resolvePoint(o.name, sets, st)
	if !ok {
		return exitUsage
	}
	spec := &expSpec{Command: "run", Scenario: sc.Name, Seed: sc.Config.Seed, Reps: x.reps, Sets: setStrings(sets), Points: []pointSpec{pt}}
	spec.inputs = fileInput(sc)
	res, code := runExperiment("run", spec, x, false, 0, nil, st)
	if res == nil {
		return code
	}
	return emitReps(res, x, st)
}

// repsTree is run --reps' JSON: the single run's summary with a statistic
// in place of every number.
func repsTree(res *expResult) (*jnode, error) {
	scs, err := res.spec.scenarios()
	if err != nil {
		return nil, err
	}
	// The shape comes from the summary of a run not yet started: it
	// depends on the scenario only, so a merge builds the same.
	eng, err := sim.New(scs[0].Config)
	if err != nil {
		return nil, err
	}
	tree, err := summaryTree(eng.Snapshot(), scs[0].Name)
	if err != nil {
		return nil, err
	}
	tree.leaves("", func(name string, leaf *jnode) {
		if excludedMetrics[name] {
			return
		}
		// A number no replication defined (an unlimited budget) stays
		// null, as in a single run.
		if s, ok := res.agg.Stat(0, name); ok && s.N > 0 {
			leaf.raw, _ = json.Marshal(s)
		}
	})
	tree.set("seed", rawNode(res.spec.Seed))
	tree.set("partial", rawNode(res.partial))
	tree.set("wall_seconds", rawNode(res.wall.Seconds()))
	tree.insertAfter("partial", "replications", rawNode(res.agg.Reps()))
	return tree, nil
}

func emitReps(res *expResult, f *expFlags, st streams) int {
	tree, err := repsTree(res)
	if err != nil {
		fmt.Fprintf(st.err, "auctionsim %s: %v\n", res.spec.Command, err)
		return exitFailed
	}
	return emitExp(res.spec.Command, res.partial, f, st, tree,
		func(w io.Writer) error { return writeRepsCSV(w, res.agg) },
		func(path string) error { return plotReps(path, res) },
		func() string { return repsTable(res) })
}

// emitExp writes an experiment's result the one way reps, sweep, compare
// and split share: --out atomically (CSV when the name ends in .csv and csv
// is not nil, tree as JSON otherwise), then --plot, then tree as JSON or
// table() on stdout. Every step runs even when an earlier one failed; the
// exit code says whether the run was cut short (partial) or anything
// failed.
func emitExp(command string, partial bool, f *expFlags, st streams, tree any, csv func(io.Writer) error, plot func(string) error, table func() string) int {
	code := exitOK
	if partial {
		code = exitInterrupted
	}
	fail := func(err error) {
		fmt.Fprintf(st.err, "auctionsim %s: %v\n", command, err)
		code = exitFailed
	}
	if f.out != "" {
		err := report.WriteFileAtomic(f.out, func(w io.Writer) error {
			if csv != nil && strings.EqualFold(filepath.Ext(f.out), ".csv") {
				return csv(w)
			}
			return writeIndented(w, tree)
		})
		if err != nil {
			fail(err)
		}
	}
	if f.plot != "" {
		if err := plot(f.plot); err != nil {
			fail(err)
		}
	}
	var err error
	if f.json {
		err = writeIndented(st.out, tree)
	} else {
		_, err = io.WriteString(st.out, table())
	}
	if err != nil {
		fail(err)
	}
	return code
}

func writeIndented(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write JSON: %w", err)
	}
	return nil
}

// writeRepsCSV writes one metric a row.
func writeRepsCSV(w io.Writer, agg *experiment.Agg) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"metric", "mean", "sd", "n", "lo", "hi"})
	for _, m := range agg.Metrics(0) {
		s, _ := agg.Stat(0, m)
		cw.Write([]string{m, csvNum(s.Mean), csvNum(s.SD), strconv.Itoa(s.N), csvNum(s.Lo), csvNum(s.Hi)})
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

// exchangeRows are the exchange metrics run --reps' table shows.
var exchangeRows = []string{
	"revenue", "fill_rate", "mean_clearing_price", "timeouts", "timeout_rate", "revenue_lost_to_timeouts",
}

// bidderCols are the bidder metrics run --reps' table shows.
var bidderCols = []string{"wins", "spend", "win_rate", "incremental_roas"}

// repsTable is run --reps' table: mean ± half-width, within 80 columns.
func repsTable(res *expResult) string {
	var b strings.Builder
	agg := res.agg
	fmt.Fprintf(&b, "%s: %d replications (seed %d), mean ± 95%% half-width", res.spec.Scenario, agg.Reps(), res.spec.Seed)
	if res.partial {
		b.WriteString(" (partial)")
	}
	b.WriteString("\n\nexchange\n")
	for _, m := range exchangeRows {
		if s, ok := agg.Stat(0, "exchange."+m); ok {
			fmt.Fprintf(&b, "  %-26s %s\n", m, fmtPM(s))
		}
	}
	var names []string
	seen := map[string]bool{}
	for _, m := range agg.Metrics(0) {
		rest, ok := strings.CutPrefix(m, "bidders.")
		if !ok {
			continue
		}
		if i := strings.LastIndexByte(rest, '.'); i > 0 && strings.HasSuffix(m, ".bid_requests") {
			if name := rest[:i]; !seen[name] {
				seen[name] = true
				names = append(names, name)
			}
		}
	}
	if len(names) == 0 {
		return b.String()
	}
	// Bidders in the scenario's order, as the run's own table has them.
	if scs, err := res.spec.scenarios(); err == nil {
		names = names[:0]
		for _, bc := range scs[0].Config.Bidders {
			names = append(names, bc.Name)
		}
	}
	fmt.Fprintf(&b, "\n%-10s", "bidder")
	for _, c := range bidderCols {
		fmt.Fprintf(&b, " %16s", c)
	}
	b.WriteString("\n")
	for _, name := range names {
		fmt.Fprintf(&b, "%-10s", truncate(name, 10))
		for _, c := range bidderCols {
			s, _ := agg.Stat(0, "bidders."+name+"."+c)
			fmt.Fprintf(&b, " %16s", fmtPM(s))
		}
		b.WriteString("\n")
	}
	return b.String()
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// fmtPM prints a statistic as mean ± half-width, the half-width to two
// significant digits and the mean to the same decimals; "–" when the mean
// is undefined.
func fmtPM(s stats.Stat) string {
	if s.N == 0 || math.IsNaN(s.Mean) {
		return "–"
	}
	h := s.HalfWidth()
	if math.IsNaN(h) || math.IsInf(h, 0) {
		return fmtNum(s.Mean)
	}
	if h == 0 {
		return fmtNum(s.Mean) + " ± 0"
	}
	dec := max(0, min(1-int(math.Floor(math.Log10(h))), 12))
	return strconv.FormatFloat(s.Mean, 'f', dec, 64) + " ± " + strconv.FormatFloat(h, 'f', dec, 64)
}

// fmtNum prints a number to four significant digits; "–" if undefined.
func fmtNum(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "–"
	}
	if x != 0 && (math.Abs(x) >= 1e6 || math.Abs(x) < 1e-3) {
		return strconv.FormatFloat(x, 'g', 4, 64)
	}
	dec := 0
	if x != 0 {
		dec = max(0, 3-int(math.Floor(math.Log10(math.Abs(x)))))
	}
	return strconv.FormatFloat(x, 'f', dec, 64)
}
