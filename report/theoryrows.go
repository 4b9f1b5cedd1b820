package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/experiment"
)

// theoryRows are the figures the closed form gives, as the reps table
// sets them beside the simulation: theory.NAME beside exchange.NAME, or
// since_change.NAME for a run the world changed in.
var theoryRows = []string{"revenue_per_auction", "fill_rate", "mean_clearing_price"}

// RepsTheory is the reps table's theory block: what the closed form
// assumes (the first clause of th's formula, th the closed form of the
// replications' scenario), then for each figure
// "theory 0.667 · simulated 0.666 ± 0.002"; or why there is no closed
// form. The label is th's only when every replication's closed form was
// th's (a script's changes may move it); "" when the replications
// reported no theory.
func RepsTheory(res *experiment.Result, th sim.Theory) string {
	return repsTheory(res, th, "exchange.", "", repsBidders(res))
}

// repsBidders are the names of the bidders of res's (first) point, in its
// world's order; nil when its spec names no world Points can build.
func repsBidders(res *experiment.Result) []string {
	pts, err := Points(res.Spec)
	if err != nil || len(pts) == 0 {
		return nil
	}
	return configBidders(pts[0].Config)
}

// configBidders are the names of cfg's bidders, in its order.
func configBidders(cfg sim.Config) []string {
	names := make([]string, 0, len(cfg.Bidders))
	for _, b := range cfg.Bidders {
		names = append(names, b.Name)
	}
	return names
}

// repsTheory is RepsTheory with the simulated figures read under sim
// prefix (exchange., since_change.), and what is to be said of them after the
// closed form's label; then each of bidders' closed form beside the
// simulation (repsBidderTheory).
func repsTheory(res *experiment.Result, th sim.Theory, prefix, simulated string, bidders []string) string {
	agg := res.Agg
	applies, ok := agg.Stat(0, "theory.applies")
	if !ok {
		return ""
	}
	var b strings.Builder
	b.WriteString("\ntheory")
	switch {
	case applies.Mean == 0 && !th.Applies:
		b.WriteString(wrapWords(": no closed form: "+th.Why+repsDeviator(agg, th, prefix), 72, "  ", len("theory")))
		return b.String()
	case applies.Mean == 0:
		b.WriteString(": no closed form in any replication\n")
		return b.String()
	case applies.Mean < 1:
		fmt.Fprintf(&b, " (in %.0f%% of the replications; the rest have no closed form)", 100*applies.Mean)
	}
	if rev, ok := agg.Stat(0, "theory.revenue_per_auction"); ok && th.Applies && applies.Mean == 1 &&
		rev.Lo == rev.Hi && math.Abs(rev.Mean-th.RevenuePerAuction) <= 1e-12*max(1, math.Abs(rev.Mean)) {
		what, _, _ := strings.Cut(th.Formula, ": ")
		b.WriteString(wrapWords(": "+what+simulated, 72, "  ", len("theory")))
	} else if simulated != "" {
		b.WriteString(wrapWords(":"+strings.TrimPrefix(simulated, ";"), 72, "  ", len("theory")))
	} else {
		b.WriteString("\n")
	}
	for _, r := range theoryRows {
		t, okt := agg.Stat(0, "theory."+r)
		s, oks := agg.Stat(0, prefix+r)
		if !okt || !oks {
			continue
		}
		fmt.Fprintf(&b, "  %-26s theory %s · simulated %s\n", r, FormatNum(t.Mean), FormatPM(s))
	}
	// Several slots: VCG's and GSP's revenue side by side, theory only,
	// each saying the bids it prices: with the GSP equilibrium they are
	// truthful bids, so the GSP row is truthful GSP's, not the
	// equilibrium's (that is the revenue row's).
	for _, r := range [][3]string{{"vcg_revenue_per_auction", "VCG revenue", "VCG"}, {"gsp_revenue_per_auction", "GSP revenue", "GSP"}} {
		t, ok := agg.Stat(0, "theory.slots."+r[0])
		if !ok {
			continue
		}
		label := r[1] + " per auction"
		if th.Slots != nil && t.Lo == t.Hi {
			want := th.Slots.VCG
			if r[2] == "GSP" {
				want = th.Slots.GSP
			}
			if math.Abs(t.Mean-want) <= 1e-12*max(1, math.Abs(want)) {
				label = r[1] + ", " + slotBids(th.Slots.Share)
			}
		}
		fmt.Fprintf(&b, "  %-26s theory %s\n", label, FormatNum(t.Mean))
	}
	b.WriteString(repsBidderTheory(agg, bidders, prefix))
	return b.String()
}

// repsDeviator is, where th's reason gives a lone deviator's own surplus
// per auction (sim.Theory.Deviator), the replications' simulated one to
// set beside it, read under prefix as repsBidderTheory reads; "" without.
func repsDeviator(agg *experiment.Agg, th sim.Theory, prefix string) string {
	if th.Deviator == "" {
		return ""
	}
	name := "bidders." + th.Deviator + ".surplus_per_auction"
	since := ""
	if prefix == "since_change." {
		name, since = "since_change."+name, " since the change"
	}
	s, ok := agg.Stat(0, name)
	if !ok {
		return ""
	}
	return "; simulated, " + th.Deviator + " keeps " + FormatPM(s) + " CPM per auction" + since
}

// repsBidderTheory is each bidder's closed form (theory.bidders.NAME)
// beside the replications' simulated figures per auction: its win rate,
// payment and surplus, as "theory · simulated ± half-width", under a line
// saying so; "" when no bidder has a closed form. The simulated side is
// read under prefix: exchange. for the whole run (bidders.NAME's per
// auction figures), since_change. for the auctions since the change
// (since_change.bidders.NAME). Columns that would pass 80 cells go to a
// table of their own below, bidder names repeated.
func repsBidderTheory(agg *experiment.Agg, bidders []string, prefix string) string {
	// Each column: its header, the theory's metric and the simulated one.
	cols := [][3]string{
		{"win rate", "win_rate", "win_rate_per_auction"},
		{"payment CPM", "payment_per_auction", "payment_per_auction"},
		{"surplus CPM", "surplus_per_auction", "surplus_per_auction"},
	}
	simPrefix := "bidders."
	if prefix == "since_change." {
		simPrefix = "since_change.bidders."
		cols[0][2] = "win_rate"
	}
	type cell struct{ theory, simulated string }
	var names []string
	var cells [][]cell // by bidder, then column
	used := make([]bool, len(cols))
	for _, name := range bidders {
		row := make([]cell, len(cols))
		any := false
		for c, col := range cols {
			t, okt := agg.Stat(0, "theory.bidders."+name+"."+col[1])
			s, oks := agg.Stat(0, simPrefix+name+"."+col[2])
			if !okt || !oks {
				continue
			}
			row[c] = cell{FormatNum(t.Mean), FormatPM(s)}
			used[c], any = true, true
		}
		if any {
			names = append(names, name)
			cells = append(cells, row)
		}
	}
	if len(names) == 0 {
		return ""
	}
	// Names cut as the reps table above cuts them (and lists them).
	short, _ := repsCuts(agg, bidders)
	nameW := format.Width("bidder")
	for _, n := range names {
		nameW = max(nameW, format.Width(repsLabel(short, n)))
	}
	// Each side padded to the widest of its column, so that the "·"
	// line up down a column.
	type width struct{ theory, simulated, all int }
	widths := make([]width, len(cols))
	for c := range cols {
		for _, row := range cells {
			widths[c].theory = max(widths[c].theory, utf8.RuneCountInString(row[c].theory))
			widths[c].simulated = max(widths[c].simulated, utf8.RuneCountInString(row[c].simulated))
		}
		widths[c].all = max(widths[c].theory+3+widths[c].simulated, utf8.RuneCountInString(cols[c][0]))
	}
	// The columns used, packed into tables of at most 80 cells a line.
	var tables [][]int
	line := 80
	for c := range cols {
		if !used[c] {
			continue
		}
		if len(tables) == 0 || line+3+widths[c].all > 80 {
			tables = append(tables, nil)
			line = 2 + nameW
		}
		tables[len(tables)-1] = append(tables[len(tables)-1], c)
		line += 3 + widths[c].all
	}
	var b strings.Builder
	b.WriteString("  each bidder, per auction: theory · simulated\n")
	for _, tab := range tables {
		head := fmt.Sprintf("  %-*s", nameW, "bidder")
		for _, c := range tab {
			head += "   " + format.PadLeft(cols[c][0], widths[c].all)
		}
		b.WriteString(strings.TrimRight(head, " ") + "\n")
		for i, name := range names {
			out := "  " + format.PadRight(repsLabel(short, name), nameW)
			for _, c := range tab {
				x := format.Dash
				if cl := cells[i][c]; cl.theory != "" {
					x = format.PadLeft(cl.theory, widths[c].theory) + " · " + format.PadLeft(cl.simulated, widths[c].simulated)
				}
				out += "   " + format.PadLeft(x, widths[c].all)
			}
			b.WriteString(strings.TrimRight(out, " ") + "\n")
		}
	}
	return b.String()
}

// RepsTheoryScripted is RepsTheory for the replications of cfg. When cfg's
// script changes the world after the start, each replication's closed
// form is the world's after the last change, so the simulated figures set
// beside it are those since that change (since_change), not the whole
// run's, which mix in the worlds before it.
func RepsTheoryScripted(res *experiment.Result, cfg sim.Config) string {
	th, bidders, end := sim.TheoryOf(cfg), configBidders(cfg), runsEnd(res, 0)
	// No closed form in any replication (or no theory): no figures to
	// qualify.
	applies, ok := res.Agg.Stat(0, "theory.applies")
	if !ok || applies.Mean == 0 || !scriptChanges(cfg, end) {
		return repsTheory(res, th, "exchange.", "", bidders)
	}
	at, ok := res.Agg.Stat(0, "since_change.start_seconds")
	if !ok || at.Lo != at.Hi {
		// Runs that stopped on either side of a change: no one window.
		return repsTheory(res, th, "exchange.", "", bidders) + scriptedTheoryNote()
	}
	// The replications' closed form is the world's after the script's
	// last change, not cfg's at the start: with that, the table names
	// what it assumes, as a single run's does.
	return repsTheory(res, scriptedTheoryOf(cfg, end), "since_change.", "; simulated since the change at "+format.Duration(sim.Time(math.Round(at.Mean*float64(sim.Second)))), bidders)
}

// scriptedTheoryOf is the closed form for the world cfg's script has
// made by end, in seconds: an engine built from cfg without its script,
// given the script's changes up to then (those it refuses left out, as
// a run leaves them). cfg's own closed form when no engine can be built.
func scriptedTheoryOf(cfg sim.Config, end float64) sim.Theory {
	bare := cfg
	bare.Script = nil
	e, err := sim.New(bare)
	if err != nil {
		return sim.TheoryOf(cfg)
	}
	for _, step := range cfg.Script {
		if step.At.Seconds() >= end {
			break
		}
		for _, c := range step.Changes {
			_ = e.Apply(c) // a change the run refuses is not in its world either
		}
	}
	return e.Snapshot().Theory()
}

// runsEnd is the mean virtual time, in seconds, at which point's
// replications stopped (+Inf when unknown).
func runsEnd(res *experiment.Result, point int) float64 {
	if st, ok := res.Agg.Stat(point, "virtual_seconds"); ok && !math.IsNaN(st.Mean) {
		return st.Mean
	}
	return math.Inf(1)
}

// scriptChanges reports whether cfg's script changes the world after the
// start (a step at 0 is the world the run starts in) and before end, in
// seconds: a run cut short (--auctions) may stop before the script's
// first change, and then theory and the simulation are of one world.
func scriptChanges(cfg sim.Config, end float64) bool {
	for _, step := range cfg.Script {
		if step.At > 0 && step.At.Seconds() < end && len(step.Changes) > 0 {
			return true
		}
	}
	return false
}

// scriptedTheoryNote says, under figures of theory beside the simulation,
// that they are of different worlds when a script changes the world.
func scriptedTheoryNote() string {
	return "  " + wrapWords("(the script changes the world during the run: theory is the world's after its last change, simulated the whole run's; set it beside the since_change metrics, the figures since that change, or try --no-script)", 72, "   ", 2)
}

// slotBids names the bids the slots' VCG and GSP revenue are priced with:
// share × value.
func slotBids(share float64) string {
	if share == 1 {
		return "truthful bids"
	}
	return "bids " + strconv.FormatFloat(share, 'g', 4, 64) + " × value"
}

// metricHeaders are the sweep table's column headers for metrics, each
// cut to no fewer than width cells only by dropping leading parts of its
// path while it stays unique (headers); a theory.* metric is labelled
// "theory …", and a since_change.* one "since change …", so that neither
// reads as the whole run's simulated column of the same name
// (theory.revenue_per_auction: "theory rev/auction").
func metricHeaders(metrics []string, width int) []string {
	abbrev := map[string]string{
		"revenue_per_auction": "rev/auction",
		"mean_clearing_price": "mean price",
	}
	parts := [][2]string{{"theory.", "theory"}, {"since_change.", "since change"}}
	labelled := func(m string) (label, rest string, ok bool) {
		for _, p := range parts {
			if rest, ok := strings.CutPrefix(m, p[0]); ok {
				return p[1], rest, true
			}
		}
		return "", "", false
	}
	names := make([]string, len(metrics))
	for i, m := range metrics {
		names[i] = m
		if label, rest, ok := labelled(m); ok {
			// No dot: it cannot make another metric's suffix ambiguous.
			names[i] = label + ":" + rest
		}
	}
	out := headers(names, width)
	for i, m := range metrics {
		if label, rest, ok := labelled(m); ok {
			if a, ok := abbrev[rest]; ok {
				rest = a
			}
			out[i] = label + " " + rest
		}
	}
	return out
}

// wrapWords breaks s at spaces into lines of at most w cells, indent
// included, each ending in a newline, every line after the first
// indented; the first line goes on from used cells already written
// ("theory"), which count in its width.
func wrapWords(s string, w int, indent string, used int) string {
	var b strings.Builder
	line := used
	for i, word := range strings.Fields(s) {
		n := format.Width(word)
		switch {
		case i == 0:
		case line+1+n > w:
			b.WriteString("\n" + indent)
			line = format.Width(indent)
		default:
			b.WriteString(" ")
			line++
		}
		b.WriteString(word)
		line += n
	}
	b.WriteString("\n")
	return b.String()
}
