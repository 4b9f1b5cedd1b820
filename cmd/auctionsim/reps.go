package main

import (
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/experiment"
	"github.com/auctionsim/auctionsim/sim/stats"
)

const repsHelp = `Usage: auctionsim run --reps N [-s NAME|FILE] [--seed N] [--set PATH=VALUE]...
                      [--workers W] [--auctions N] [--duration D]
                      [--json] [--out FILE.json|FILE.csv] [--plot FILE.png|FILE.svg]
                      [--shard K/N --out FILE]

Runs N independent replications of a scenario, in parallel, and reports
every metric of the run's summary as a statistic: the mean, the standard
deviation and the 95% confidence interval of the mean (Student t, N−1
degrees of freedom). Replication i runs with seed SplitMix64(seed, i), so
results do not depend on the number of workers or on sharding.

The table prints mean ± half-width. --json keeps the single run's JSON
shape with {"mean", "sd", "n", "lo", "hi"} in place of each number, plus
"replications": N. Ctrl-C keeps the replications completed ("partial":
true, exit code 130).

Flags:
  -s, --scenario NAME|FILE  a bundled scenario or a YAML file (default timeout-demo)
      --seed N              the experiment's seed (default: the scenario's)
      --set PATH=VALUE      override a scenario field (repeatable), as in the YAML:
                            exchange.floor=0.3, bidders.metro.latency.median=90ms,
                            'bidders.*.strategy.factor=0.9'
      --reps N              replications (at least 2)
      --workers W           replications run at once (default: the number of CPUs)
      --auctions N, --duration D   replace the scenario's stop
      --json                print JSON instead of the table
      --out FILE            also write FILE: .json (as --json) or .csv (one metric a row)
      --plot FILE           a chart of the main metrics with their intervals (.png or .svg)
      --shard K/N           run only the K-th of N shares (K from 0) into --out,
                            for 'auctionsim merge' (see docs/cluster.md)
      --no-color            (accepted for symmetry; the table has no colors)

Examples:
  auctionsim run -s timeout-demo --reps 20
  auctionsim run -s reserve-price --set exchange.floor=0.3 --reps 50 --json
`

// wantsReps reports whether run's arguments ask for replications; the
// experiment has flags of its own, so it parses them itself.
func wantsReps(args []string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if strings.HasPrefix(a, "-") && name == "reps" {
			return true
		}
	}
	return false
}

// repsCmd is run --reps.
func repsCmd(args []string, st streams) int {
	var sf scenarioFlags
	var f expFlags
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	sf.register(fs)
	f.register(fs, 0)
	if code, done := parseFlags(fs, args, repsHelp, st); done {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(st, "run", "unexpected argument %q (give the scenario with -s)", fs.Arg(0))
	}
	if err := f.check(fs, ".json", ".csv"); err != nil {
		return usageError(st, "run", "%v", err)
	}
	sets := f.baseSets(&sf)
	pt, sc, ok := resolvePoint(sf.name, sets, st)
	if !ok {
		return exitUsage
	}
	spec := &expSpec{Command: "run", Scenario: sc.Name, Seed: sc.Config.Seed, Reps: f.reps, Sets: setStrings(sets), Points: []pointSpec{pt}}
	res, code := runExperiment("run", spec, &f, false, 0, nil, st)
	if res == nil {
		return code
	}
	return emitReps(res, &f, st)
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
	code := exitOK
	if res.partial {
		code = exitInterrupted
	}
	fail := func(err error) {
		fmt.Fprintf(st.err, "auctionsim %s: %v\n", res.spec.Command, err)
		code = exitFailed
	}
	tree, err := repsTree(res)
	if err != nil {
		fail(err)
		return code
	}
	if f.out != "" {
		err := writeAtomic(f.out, func(w *os.File) error {
			if strings.EqualFold(filepath.Ext(f.out), ".csv") {
				return writeRepsCSV(w, res.agg)
			}
			return writeIndented(w, tree)
		})
		if err != nil {
			fail(err)
		}
	}
	if f.plot != "" {
		if err := plotReps(f.plot, res); err != nil {
			fail(err)
		}
	}
	if f.json {
		err = writeIndented(st.out, tree)
	} else {
		_, err = io.WriteString(st.out, repsTable(res))
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
