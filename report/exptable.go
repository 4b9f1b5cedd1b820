package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/auctionsim/auctionsim/sim/experiment"
	"github.com/auctionsim/auctionsim/sim/experiment/split"
	"github.com/auctionsim/auctionsim/sim/stats"
	"github.com/auctionsim/auctionsim/tui/format"
)

// The experiments' tables for people (run --reps, compare, sweep, split),
// within 80 columns but where a name is longer.

// exchangeRows are the exchange metrics run --reps' table shows.
var exchangeRows = []string{
	"revenue", "fill_rate", "mean_clearing_price", "timeouts", "timeout_rate", "revenue_lost_to_timeouts",
}

// bidderCols are the bidder metrics run --reps' table shows.
var bidderCols = []string{"wins", "spend", "win_rate", "incremental_roas"}

// RepsTable is run --reps' table, mean ± half-width; bidders are the
// scenario's, in its order.
func RepsTable(res *experiment.Result, bidders []string) string {
	var b strings.Builder
	agg := res.Agg
	fmt.Fprintf(&b, "%s: %d replications (seed %d), mean ± 95%% half-width", res.Spec.Scenario, agg.Reps(), res.Spec.Seed)
	if res.Partial {
		b.WriteString(" (partial)")
	}
	b.WriteString("\n\nexchange\n")
	for _, m := range exchangeRows {
		if s, ok := agg.Stat(0, "exchange."+m); ok {
			fmt.Fprintf(&b, "  %-26s %s\n", m, FormatPM(s))
		}
	}
	if !hasBidders(agg) {
		return b.String()
	}
	fmt.Fprintf(&b, "\n%-10s", "bidder")
	for _, c := range bidderCols {
		fmt.Fprintf(&b, " %16s", c)
	}
	b.WriteString("\n")
	for _, name := range bidders {
		fmt.Fprintf(&b, "%-10s", truncate(name, 10))
		for _, c := range bidderCols {
			s, _ := agg.Stat(0, "bidders."+name+"."+c)
			fmt.Fprintf(&b, " %16s", FormatPM(s))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// hasBidders reports whether the replications reported any bidder.
func hasBidders(agg *experiment.Agg) bool {
	for _, m := range agg.Metrics(0) {
		if strings.HasPrefix(m, "bidders.") && strings.HasSuffix(m, ".bid_requests") {
			return true
		}
	}
	return false
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// FormatPM prints a statistic as mean ± half-width, the half-width to two
// significant digits and the mean to the same decimals; "–" when the mean
// is undefined.
func FormatPM(s stats.Stat) string {
	if s.N == 0 || math.IsNaN(s.Mean) {
		return "–"
	}
	h := s.HalfWidth()
	if math.IsNaN(h) || math.IsInf(h, 0) {
		return FormatNum(s.Mean)
	}
	if h == 0 {
		return FormatNum(s.Mean) + " ± 0"
	}
	dec := max(0, min(1-int(math.Floor(math.Log10(h))), 12))
	return strconv.FormatFloat(s.Mean, 'f', dec, 64) + " ± " + strconv.FormatFloat(h, 'f', dec, 64)
}

// FormatNum prints a number to four significant digits; "–" if undefined.
func FormatNum(x float64) string {
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

func fmtRel(r *float64) string {
	switch {
	case r == nil:
		return "–"
	case math.Abs(*r) < 0.01:
		return fmt.Sprintf("%+.2f%%", 100**r)
	}
	return fmt.Sprintf("%+.1f%%", 100**r)
}

// CompareTable is compare's table: the headline metric, the differences
// whose interval excludes 0, then the rest by name.
func CompareTable(out experiment.Comparison) string {
	var b strings.Builder
	variant := out.Variant.Scenario
	if len(out.Variant.Changes) > 0 {
		variant += " with " + strings.Join(out.Variant.Changes, ", ")
	}
	fmt.Fprintf(&b, "baseline: %s\nvariant:  %s\n", out.Baseline.Scenario, variant)
	fmt.Fprintf(&b, "%d paired replications (seed %d); difference = variant − baseline, 95%% intervals",
		out.Replications, out.Seed)
	if out.Partial {
		b.WriteString(" (partial)")
	}
	b.WriteString("\n\n")
	if m, okm := out.Metrics[out.Metric]; okm {
		fmt.Fprintf(&b, "%s: %s (%s): %s\n", out.Metric, FormatPM(m.Diff), fmtRel(m.Relative), m.Verdict(out.Replications))
		if m.UnpairedHalfWidth != nil && m.Diff.HalfWidth() > 0 {
			fmt.Fprintf(&b, "  pairing: ± %s paired; unpaired it would be ± %s (%.1f× wider)\n",
				FormatNum(m.Diff.HalfWidth()), FormatNum(*m.UnpairedHalfWidth), *m.UnpairedHalfWidth/m.Diff.HalfWidth())
		}
		if out.Precision != nil {
			fmt.Fprintf(&b, "  precision target ± %.3g%% of the baseline: %s at %d replications\n",
				100**out.Precision, map[bool]string{true: "met", false: "not met"}[out.PrecisionMet(m)], out.Replications)
			if out.FreshSeed != nil {
				// The rule's own interval would be too narrow: see
				// experiment.UntilFresh.
				fmt.Fprintf(&b, "  (%d replications decided by the rule, then as many fresh ones for these intervals)\n", out.Replications)
			}
		}
		b.WriteString("\n")
	}
	differ, same, constant := out.Rows()
	if len(differ) > 0 {
		b.WriteString("differences whose interval excludes 0:\n")
		fmt.Fprintf(&b, "  %-24s %10s %10s %21s %8s\n", "metric", "baseline", "variant", "difference", "rel.")
		for _, name := range differ {
			m := out.Metrics[name]
			label := name
			if len(label) > 24 {
				fmt.Fprintf(&b, "  %s\n", label)
				label = ""
			}
			fmt.Fprintf(&b, "  %-24s %10s %10s %21s %8s\n", label, FormatNum(m.Baseline.Mean), FormatNum(m.Variant.Mean), FormatPM(m.Diff), fmtRel(m.Relative))
		}
		b.WriteString("\n")
	} else {
		b.WriteString("no difference whose interval excludes 0\n\n")
	}
	if len(same) > 0 {
		fmt.Fprintf(&b, "not distinguishable at %d replications (%d metrics):\n", out.Replications, len(same))
		wrapList(&b, same)
	}
	if len(constant) > 0 {
		fmt.Fprintf(&b, "the same in every replication of both (%d metrics, such as settings)\n", len(constant))
	}
	return b.String()
}

// wrapList prints names separated by commas, wrapped at 78 columns.
func wrapList(b *strings.Builder, names []string) {
	line := " "
	for i, n := range names {
		item := " " + n
		if i < len(names)-1 {
			item += ","
		}
		if len(line)+len(item) > 78 {
			b.WriteString(line + "\n")
			line = " "
		}
		line += item
	}
	b.WriteString(line + "\n")
}

// short is a path for a column header: whole if it fits, else its last
// part.
func short(path string, width int) string {
	if len(path) <= width {
		return path
	}
	parts := strings.Split(path, ".")
	return truncate(parts[len(parts)-1], width)
}

// SweepTable is a sweep's table: one row a point, each metric as mean ±
// half-width.
func SweepTable(res *experiment.Result) string {
	var b strings.Builder
	sp := res.Spec
	var fields []string
	for _, v := range sp.Vary {
		fields = append(fields, v.Path)
	}
	fmt.Fprintf(&b, "%s: sweep of %s, %d replications a point (seed %d), mean ± 95%% half-width",
		sp.Scenario, strings.Join(fields, " × "), res.Agg.Reps(), sp.Seed)
	if res.Partial {
		b.WriteString(" (partial)")
	}
	b.WriteString("\n\n")
	const vw, mw = 12, 20
	for _, v := range sp.Vary {
		fmt.Fprintf(&b, "%-*s ", vw, short(v.Path, vw))
	}
	for _, m := range sp.Metrics {
		fmt.Fprintf(&b, "%*s ", mw, metricHeader(m, mw))
	}
	b.WriteString("\n")
	for p, pt := range sp.Points {
		for _, v := range pt.Values {
			fmt.Fprintf(&b, "%-*s ", vw, truncate(v, vw))
		}
		for _, m := range sp.Metrics {
			s, _ := res.Agg.Stat(p, m)
			fmt.Fprintf(&b, "%*s ", mw, FormatPM(s))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// SplitTable is split's table: the current and recommended splits, the
// verdict and the response curves; reps and step as the search ran.
func SplitTable(r *split.Result, reps int, step float64) string {
	var b strings.Builder
	fmt.Fprintf(&b, "split: group %s, total %s, objective %s (groups.%s.%s)\n", r.Group, format.Money(r.Total), r.Objective, r.Group, r.Objective)
	fmt.Fprintf(&b, "moves of %s, %d paired replications per split\n\n", format.Money(step), reps)
	nameW := 12
	for _, m := range r.Members {
		nameW = max(nameW, len(m))
	}
	row := func(label, a, c string) { fmt.Fprintf(&b, "  %-*s %18s %18s\n", nameW, label, a, c) }
	row("", "current", "recommended")
	for _, m := range r.Members {
		row(m, format.Money(r.Current.Budgets[m]), format.Money(r.Recommended.Budgets[m]))
	}
	row(r.Objective, pm(r.Current.Objective), pm(r.Recommended.Objective))
	verdict := "not distinguishable from the current split"
	switch {
	case r.Diff.Lo > 0:
		verdict = "the recommended split is better"
	case r.Diff.Hi < 0:
		verdict = "the recommended split is worse (the search's moves did not hold on fresh replications)"
	}
	fmt.Fprintf(&b, "\n  recommended − current: %s (95%%, paired): %s\n", signedPM(r.Diff), verdict)
	fmt.Fprintf(&b, "\nResponse curves: the group's %s against each member's budget, the others at the recommended split;\nmarginal = %s added per unit of budget since the point before\n", r.Objective, r.Objective)
	for _, c := range r.Curves {
		fmt.Fprintf(&b, "\n  %s\n", c.Member)
		fmt.Fprintf(&b, "  %12s %22s %10s\n", "budget", r.Objective, "marginal")
		for _, p := range c.Points {
			m := format.Dash
			if p.Marginal != nil {
				m = strconv.FormatFloat(*p.Marginal, 'f', 3, 64)
			}
			fmt.Fprintf(&b, "  %12s %22s %10s\n", format.Money(p.Budget), pm(p.Objective), m)
		}
	}
	return b.String()
}

// pm is a statistic as mean ± half-width to two decimals.
func pm(s stats.Stat) string {
	if math.IsNaN(s.Mean) || math.IsInf(s.Mean, 0) {
		return format.Dash
	}
	if math.IsNaN(s.Lo) || math.IsInf(s.Lo, 0) {
		return fmt.Sprintf("%.2f", s.Mean)
	}
	return fmt.Sprintf("%.2f ± %.2f", s.Mean, s.HalfWidth())
}

func signedPM(s stats.Stat) string {
	t := pm(s)
	if s.Mean > 0 {
		t = "+" + t
	}
	return t
}
