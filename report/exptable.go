package report

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/experiment"
	"github.com/auctionsim/auctionsim/sim/experiment/split"
	"github.com/auctionsim/auctionsim/sim/stats"
	"github.com/charmbracelet/x/ansi"
)

// The experiments' tables for people (run --reps, compare, sweep, split),
// within 80 columns but where a name is longer.

// exchangeRows are the exchange metrics run --reps' table shows.
var exchangeRows = []string{
	"revenue", "fill_rate", "mean_clearing_price", "timeouts", "timeout_rate", "revenue_lost_to_timeouts",
}

// bidderCols are the bidder metrics run --reps' table shows.
var bidderCols = []string{"wins", "spend", "win_rate", "incremental_roas"}

// repsNameMax is the widest bidder name, in cells, run --reps' tables
// show whole where a longer one (a line item's 30 to 60 cells) would
// push them past 80 columns, every row padded to it: it is cut to this,
// ending in "…", and listed whole below the tables (RepsNames).
const repsNameMax = 20

// RepsNames are the cut forms of the bidders' names longer than
// repsNameMax (by whole name) and the pairs cut and whole, in the
// bidders' order, for the tables of run --reps to show and list. Two
// that would cut alike end in their place among the cut (…1, …2), so
// that no two rows read the same.
func RepsNames(bidders []string) (map[string]string, [][2]string) {
	return format.CutNames(bidders, repsNameMax)
}

// repsLabel is name as the reps tables show it: cut, if short cut it.
func repsLabel(short map[string]string, name string) string {
	if s, ok := short[name]; ok {
		return s
	}
	return name
}

// repsCutList is the names cut (RepsNames' pairs) listed whole, "" when
// none was: each beside its cut form, or, where one would pass 80
// columns, every whole name on the line below its cut form.
func repsCutList(cut [][2]string) string {
	if len(cut) == 0 {
		return ""
	}
	below := false
	for _, c := range cut {
		below = below || 2+repsNameMax+2+format.Width(c[1]) > 80
	}
	var b strings.Builder
	b.WriteString("bidders cut to fit, in full:\n")
	for _, c := range cut {
		if below {
			fmt.Fprintf(&b, "  %s\n    %s\n", c[0], c[1])
		} else {
			fmt.Fprintf(&b, "  %s  %s\n", format.PadRight(c[0], repsNameMax), c[1])
		}
	}
	return b.String()
}

// RepsTable is run --reps' table, mean ± half-width; bidders are the
// scenario's, in its order, names longer than repsNameMax cut (and
// listed whole below the tables) where the tables would otherwise pass
// 80 columns (repsCuts). Below the bidders:
// value and ROAS as attribution credits them and as the ads added them
// (incremental: the model's truth, with people below the value of the
// conversions the ads caused), by bidder with an outcome model and by
// group; and, for bidders with a
// holdout, the incremental ROAS the holdout measures beside the model's
// truth, which only a simulation knows.
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
	short, cut := repsCuts(agg, bidders)
	b.WriteString(repsBidderTables(agg, bidders, short, 80))
	if l := repsCutList(cut); l != "" {
		b.WriteString("\n" + l)
	}
	return b.String()
}

// repsCuts are RepsNames(bidders) where run --reps' bidder tables would
// pass 80 columns with the names whole (and a name is longer than
// repsNameMax); none where they fit: a name is cut only where it must.
// The theory's table below cuts as these do.
func repsCuts(agg *experiment.Agg, bidders []string) (map[string]string, [][2]string) {
	// Whole tables: the names are cut where the columns, not the
	// figures, would push them past 80.
	for _, l := range strings.Split(repsBidderTables(agg, bidders, nil, 0), "\n") {
		if format.Width(l) > 80 {
			return RepsNames(bidders)
		}
	}
	return nil, nil
}

// repsBidderTables are run --reps' tables of the bidders (and groups),
// bidders named as short says (RepsNames).
// Where a table would pass limit columns (0: none), its columns split
// into tables that each start with the name column (repsGrid).
func repsBidderTables(agg *experiment.Agg, bidders []string, short map[string]string, limit int) string {
	var b strings.Builder
	// Each column as wide as its widest cell: the names (cut where
	// short says) whole, and the table within 80 columns where they
	// allow.
	w := len("bidder")
	cells := make([][]string, len(bidders))
	widths := make([]int, len(bidderCols))
	for i, c := range bidderCols {
		widths[i] = len(c)
	}
	for r, name := range bidders {
		w = max(w, format.Width(repsLabel(short, name)))
		for i, c := range bidderCols {
			s, _ := agg.Stat(0, "bidders."+name+"."+c)
			cells[r] = append(cells[r], FormatPM(s))
			widths[i] = max(widths[i], format.Width(cells[r][i]))
		}
	}
	labels := make([]string, len(bidders))
	for r, name := range bidders {
		labels[r] = repsLabel(short, name)
	}
	b.WriteString("\n")
	repsGrid(&b, "bidder", labels, w, bidderCols, widths, cells, limit)
	valueTable(&b, agg, bidders, short, limit)
	holdoutTable(&b, agg, bidders, short, limit)
	return b.String()
}

// has reports whether metric has a value (not null) in agg's point 0.
func has(agg *experiment.Agg, metric string) (stats.Stat, bool) {
	s, ok := agg.Stat(0, metric)
	return s, ok && !math.IsNaN(s.Mean)
}

// valueTable is the value and ROAS of the bidders with an outcome model
// and of the groups: attributed and incremental; bidders named as short
// says (RepsNames).
func valueTable(b *strings.Builder, agg *experiment.Agg, bidders []string, short map[string]string, limit int) {
	type row struct{ label, prefix string }
	var rows []row
	for _, name := range bidders {
		if _, ok := has(agg, "bidders."+name+".attributed_roas"); ok {
			rows = append(rows, row{repsLabel(short, name), "bidders." + name + "."})
		}
	}
	for _, m := range agg.Metrics(0) {
		if g, ok := strings.CutPrefix(m, "groups."); ok && strings.HasSuffix(g, ".budget") {
			g = strings.TrimSuffix(g, ".budget")
			rows = append(rows, row{g + " (group)", "groups." + g + "."})
		}
	}
	if len(rows) == 0 {
		return
	}
	w := 10
	for _, r := range rows {
		w = max(w, format.Width(r.label))
	}
	b.WriteString("\nvalue: attributed (last touch credits it) and incremental (true: the model's)\n")
	cells := make([][]string, len(rows))
	for i, r := range rows {
		for _, c := range []string{"attributed_value", "incremental_value", "attributed_roas", "incremental_roas"} {
			s, _ := agg.Stat(0, r.prefix+c)
			cells[i] = append(cells[i], FormatPM(s))
		}
	}
	labels := make([]string, len(rows))
	for i, r := range rows {
		labels[i] = r.label
	}
	repsGrid(b, "", labels, w, []string{"attr. value", "incr. value", "attr. ROAS", "incr. ROAS"}, []int{15, 15, 12, 12}, cells, limit)
	prefixes := make([][2]string, len(rows))
	for i, r := range rows {
		prefixes[i] = [2]string{r.label, r.prefix}
	}
	eventualTable(b, agg, w, prefixes, limit)
}

// eventualTable is, for the value table's rows (label and metric prefix,
// labels w wide), the conversions pending at each run's stop and the
// incremental value counting them (PREFIX.eventual.incremental_value,
// what split and compare --move decide on) beside the matured one, so
// that run --reps reconciles with split's headline; 14 + 46 columns.
// Nothing when no row has a conversion pending: the eventual figures
// are then the matured ones.
func eventualTable(b *strings.Builder, agg *experiment.Agg, w int, rows [][2]string, limit int) {
	pending := false
	for _, r := range rows {
		if p, ok := has(agg, r[1]+"pending_conversions"); ok && p.Mean > 0 {
			pending = true
		}
	}
	if !pending {
		return
	}
	b.WriteString("\neventual: the conversions pending at each run's stop counted (as split decides)\n")
	cells := make([][]string, len(rows))
	for i, r := range rows {
		for _, c := range []string{"pending_conversions", "incremental_value", "eventual.incremental_value"} {
			s, _ := agg.Stat(0, r[1]+c)
			cells[i] = append(cells[i], FormatPM(s))
		}
	}
	labels := make([]string, len(rows))
	for i, r := range rows {
		labels[i] = r[0]
	}
	repsGrid(b, "", labels, w, []string{"pending", "incr. value", "incr. eventual"}, []int{12, 15, 15}, cells, limit)
}

// holdoutTable is, for each bidder with a holdout, the incremental ROAS
// it measures beside the model's: the replications' mean of each, and
// the mean of one run's holdout interval, what a planner with one test
// would see; bidders named as short says (RepsNames).
func holdoutTable(b *strings.Builder, agg *experiment.Agg, bidders []string, short map[string]string, limit int) {
	var names []string
	for _, name := range bidders {
		if _, ok := agg.Stat(0, "bidders."+name+".holdout.measured_incremental_roas.mean"); ok {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return
	}
	w := 10
	for _, n := range names {
		w = max(w, format.Width(repsLabel(short, n)))
	}
	b.WriteString("\nincremental ROAS: measured (holdout) beside true (model)\n")
	cells := make([][]string, len(names))
	for i, n := range names {
		p := "bidders." + n + ".holdout.measured_incremental_roas."
		m, _ := agg.Stat(0, p+"mean")
		lo, okLo := has(agg, p+"lo")
		hi, okHi := has(agg, p+"hi")
		iv := format.Dash
		if okLo && okHi {
			iv = fmt.Sprintf("[%.2f, %.2f]", lo.Mean, hi.Mean)
		}
		// The bidder's incremental ROAS is the model's truth, by
		// person the test's own (holdout.true_incremental_roas).
		t, _ := agg.Stat(0, "bidders."+n+".incremental_roas")
		cells[i] = []string{FormatPM(m), iv, FormatPM(t)}
	}
	labels := make([]string, len(names))
	for i, n := range names {
		labels[i] = repsLabel(short, n)
	}
	repsGrid(b, "bidder", labels, w, []string{"measured (holdout)", "one run's 95% interval", "true (model)"}, []int{18, 22, 16}, cells, limit)
}

// repsGrid writes a table of run --reps: a name column w wide headed
// label, the rows' labels down it, then a column a head, right-aligned,
// least[j] wide or as its widest cell, a space apart. Where its lines
// would pass limit (0: no limit) the columns split, in order, into
// tables that each start with the name column, a blank line between, as
// run's own tables split: wide figures ("117710 ± 18011") push no line
// past the width, and no column is lost.
func repsGrid(b *strings.Builder, label string, labels []string, w int, heads []string, least []int, cells [][]string, limit int) {
	cw := cellWidths(least, cells)
	for j, h := range heads {
		cw[j] = max(cw[j], ansi.StringWidth(h))
	}
	var groups [][]int
	line := limit + 1 // the first column opens a table
	for j := range heads {
		if limit <= 0 && len(groups) > 0 || limit > 0 && line+1+cw[j] <= limit {
			groups[len(groups)-1] = append(groups[len(groups)-1], j)
			line += 1 + cw[j]
			continue
		}
		groups = append(groups, []int{j})
		line = w + 1 + cw[j]
	}
	for g, cols := range groups {
		if g > 0 {
			b.WriteString("\n")
		}
		b.WriteString(format.PadRight(label, w))
		for _, j := range cols {
			fmt.Fprintf(b, " %*s", cw[j], heads[j])
		}
		b.WriteString("\n")
		for i, l := range labels {
			b.WriteString(format.PadRight(l, w))
			for _, j := range cols {
				fmt.Fprintf(b, " %*s", cw[j], cells[i][j])
			}
			b.WriteString("\n")
		}
	}
}

// cellWidths is each column's width: least[j], or its widest cell (a
// "(N alike)" is longer than the ± it stands for), so that the
// columns stay aligned.
func cellWidths(least []int, cells [][]string) []int {
	w := slices.Clone(least)
	for _, row := range cells {
		for j, c := range row {
			w[j] = max(w[j], ansi.StringWidth(c))
		}
	}
	return w
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

// FormatPM prints a statistic as mean ± half-width, the half-width to two
// significant digits and the mean to the same decimals; "–" when the mean
// is undefined; one whose few replications all agreed as its mean and
// "(N alike)" (AlikeCell).
func FormatPM(s stats.Stat) string { return formatPMWith(s, FormatNum) }

// formatPMWith is FormatPM with num writing a mean whose half-width sets
// no decimals (alike, none, or zero wide).
func formatPMWith(s stats.Stat, num func(float64) string) string {
	if s.N == 0 {
		return format.Dash
	}
	if s.Alike() && !math.IsNaN(s.Mean) {
		return AlikeCell(num(s.Mean), s.N)
	}
	return meanHalf(s.Mean, s.HalfWidth(), num)
}

// columnNum is how a column writes the means of stats that no half-width
// sets the decimals of: all to the same decimals, the four significant
// digits of the largest and at least two of the smallest not 0 (20 and
// 1000 as 20 and 1000, not 20.00 and 1000 in one column, a wait's p95
// over tmax); FormatNum's own where one of them takes e-notation.
func columnNum(ss []stats.Stat) func(float64) string {
	var xs []float64
	for _, s := range ss {
		formatPMWith(s, func(x float64) string { xs = append(xs, x); return "" })
	}
	big, small := 0.0, math.Inf(1)
	for _, x := range xs {
		if a := math.Abs(x); !math.IsNaN(a) && !math.IsInf(a, 0) {
			if a != 0 && (a >= 1e6 || a < 1e-3) {
				return FormatNum
			}
			big = max(big, a)
			if a != 0 {
				small = min(small, a)
			}
		}
	}
	if big == 0 {
		return FormatNum
	}
	dec := max(0, 3-int(math.Floor(math.Log10(big))), 1-int(math.Floor(math.Log10(small))))
	return func(x float64) string {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return format.Dash
		}
		if x == 0 {
			return "0" // as FormatNum writes it, whatever the column's decimals
		}
		return strconv.FormatFloat(x, 'f', dec, 64)
	}
}

// AlikeCell is how every table writes a statistic whose 2 to 5
// replications all gave the same value (stats.Stat.Alike, the JSON's
// "alike": true): its mean, as the table writes means, and "(N alike)".
// A "± 0" there reads as a certainty, where so few equal draws are no
// interval; 6 or more, which the sign test counts as evidence, keep
// their ± 0.
func AlikeCell(mean string, n int) string { return mean + " (" + strconv.Itoa(n) + " alike)" }

// FormatMeanHalf prints mean ± h as FormatPM does, both to the same
// decimals, for an interval that is no Stat (the dashboard's B − A):
// the mean alone when h is undefined, "–" when the mean is.
func FormatMeanHalf(mean, h float64) string { return meanHalf(mean, h, FormatNum) }

// meanHalf is FormatMeanHalf with num writing the mean where the
// half-width sets no decimals (none, or zero wide).
func meanHalf(mean, h float64, num func(float64) string) string {
	if math.IsNaN(mean) {
		return format.Dash
	}
	if math.IsNaN(h) || math.IsInf(h, 0) {
		return num(mean)
	}
	if h <= floatNoise*math.Abs(mean) || h < 0.5e-12 {
		// Replications that agree but for the last bits of a float sum
		// (a rate of whole counts added in another order) agree: not
		// -0.249000000000 ± 0.000000000000 (nor a half-width that the
		// twelve decimals at most would write as 0).
		return num(mean) + " ± 0"
	}
	dec := HalfDecimals(h)
	return strconv.FormatFloat(mean, 'f', dec, 64) + " ± " + strconv.FormatFloat(h, 'f', dec, 64)
}

// floatNoise is the half-width, relative to the mean, below which the
// replications differ by floating-point rounding alone: a float64 holds
// about 16 significant digits, and a sum of a few million terms loses
// fewer than seven of them.
const floatNoise = 1e-9

// HalfDecimals is how many decimals an interval of half-width h > 0 is
// written to: its two significant digits, at most 12.
func HalfDecimals(h float64) int { return max(0, min(1-int(math.Floor(math.Log10(h))), 12)) }

// FormatNum prints a number to four significant digits; "–" if undefined.
func FormatNum(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return format.Dash
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

// plainNum is a number as compare's tables write it: FormatNum's four
// significant digits, but never in e-notation, which a planner misreads
// beside the plain figures of the rows around it (599914 above
// 1.167e+06): a large number whole (1166912), a small one with as many
// decimals as its four digits take, at most 12.
func plainNum(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) || x == 0 || (math.Abs(x) < 1e6 && math.Abs(x) >= 1e-3) {
		return FormatNum(x)
	}
	if math.Abs(x) >= 1e6 {
		return strconv.FormatFloat(x, 'f', 0, 64)
	}
	return strconv.FormatFloat(x, 'f', min(3-int(math.Floor(math.Log10(math.Abs(x)))), 12), 64)
}

// plainPM is FormatPM as compare's tables write it: never in
// e-notation (plainNum).
func plainPM(s stats.Stat) string {
	if s.N == 0 {
		return format.Dash
	}
	if s.Alike() && !math.IsNaN(s.Mean) {
		return AlikeCell(plainNum(s.Mean), s.N)
	}
	return meanHalf(s.Mean, s.HalfWidth(), plainNum)
}

// relW is the cells of compare's rel. column: every relative change
// fmtRel writes fits it.
const relW = 7

// fmtRel is m's relative change (its Relative) as compare writes it,
// within relW cells however large: to a tenth of a percent up to
// ±999.9%, whole percents up to ±99999% ("+3775%"), and past that, from
// a positive baseline to a larger variant, the variant as a multiple of
// the baseline ("×1,023": a count that went from 0.55 to 562 a run),
// which reads at a glance where "+102154.5%" took a column and a cell
// more; a change past ±99999% a multiple cannot say (the baseline
// negative, or the variant's sign the other way) in thousands or
// millions of percent ("-120k%"). "–" when undefined.
func fmtRel(m experiment.ComparedMetric) string {
	r := m.Relative
	switch {
	case r == nil:
		return format.Dash
	case math.Abs(*r) < 0.01:
		return fmt.Sprintf("%+.2f%%", 100**r)
	}
	// By the written width, so that a change that rounds up to the next
	// form ("+1000.0%", one cell past relW) takes it.
	if s := fmt.Sprintf("%+.1f%%", 100**r); len(s) <= relW {
		return s
	}
	if s := fmt.Sprintf("%+.0f%%", 100**r); len(s) <= relW {
		return s
	}
	if *r > 0 && m.Baseline.Mean > 0 {
		return "×" + compactCount(1+*r)
	}
	sign := "+"
	if *r < 0 {
		sign = "-"
	}
	return sign + compactCount(100*math.Abs(*r)) + "%"
}

// compactCount is x ≥ 1000 in at most six cells: whole with a thousands
// separator below 10,000, then in thousands ("102k"), millions ("1.2M",
// "120M") and past that in powers of ten ("1e+12").
func compactCount(x float64) string {
	switch {
	case x < 9999.5:
		return format.Count(uint64(math.Round(x)))
	case x < 999.5e3:
		return fmt.Sprintf("%.0fk", x/1e3)
	case x < 9.95e6:
		return fmt.Sprintf("%.1fM", x/1e6)
	case x < 999.5e6:
		return fmt.Sprintf("%.0fM", x/1e6)
	}
	return fmt.Sprintf("%.0e", x)
}

// CompareTable is compare's table with the default view (see
// CompareView) on an 80-column terminal.
func CompareTable(out experiment.Comparison) string { return CompareView{Width: 80}.Table(out) }

// compareLines is the most lines the default compare table takes.
const compareLines = 40

// CompareView chooses what compare's table shows. By default: the
// headline metric, each group's attributed and incremental value and ROAS
// both ways, and the differences whose interval excludes 0 (the per-tmax
// curve rows left out), in at most 40 lines; metrics without a value
// (null in every replication) are left out. Metrics, when set, are the
// rows instead.
type CompareView struct {
	Metrics []string
	// Width is the terminal's columns, 0 when unknown (piped): the
	// metric-name column widens to the longest name shown, within Width
	// when known (a longer name takes a line of its own), never cut.
	Width int
}

// nameWidth is the metric-name column's width for out's default table:
// the longest name it may show, at least compareNameW, and within
// v.Width when known.
func (v CompareView) nameWidth(out experiment.Comparison, groups []string) int {
	nw := compareNameW
	grow := func(name string) { nw = max(nw, ansi.StringWidth(name)) }
	for _, name := range v.Metrics {
		grow(name)
	}
	for _, g := range groups {
		for _, f := range []string{"attributed_value", "incremental_value", "attributed_roas", "incremental_roas"} {
			if m, ok := out.Metrics["groups."+g+"."+f]; ok && !null(m) {
				grow("groups." + g + "." + f)
			}
		}
	}
	differ, _, _ := out.Rows()
	for _, name := range differ {
		if _, twin := out.Twin(name); !twin && !strings.HasPrefix(name, "tmax_curve.") && !null(out.Metrics[name]) {
			grow(name)
		}
	}
	return capNameW(nw, v.Width)
}

// diffWidth is the cells the difference column needs for names' rows
// (at least its heading's), and the name column's width in a table width
// cells wide with it rather than the default compareDiffW: at a narrow
// width (the names cut to fit with compareDiffW) the column is sized to
// its contents, its room going to the names; else compareDiffW, so that
// wide tables read as before. nw is the names' widest.
func diffWidth(out experiment.Comparison, names []string, nw, width int) compareW {
	full := compareW{name: capNameW(nw, width), diff: compareDiffW}
	if width <= 0 || full.name >= nw {
		return full
	}
	// A cell more than the widest: with the separator two cells of gap,
	// so that a difference does not run into the variant's figure
	// ("1.500 0.500 ± 0.012").
	dw := ansi.StringWidth("difference")
	for _, name := range names {
		if m, ok := out.Metrics[name]; ok {
			dw = max(dw, ansi.StringWidth(plainPM(m.Diff))+1)
		}
	}
	dw = min(dw, compareDiffW)
	return compareW{name: min(nw, max(compareNameW, width-compareRowRest+compareDiffW-dw)), diff: dw}
}

// shownNames are the metrics out's default table may show a row of: the
// groups' four, and the differences (less twins, the tmax curve's and
// those with no value), or the metrics asked for.
func (v CompareView) shownNames(out experiment.Comparison, groups []string) []string {
	if len(v.Metrics) > 0 {
		return v.Metrics
	}
	var names []string
	for _, g := range groups {
		for _, f := range []string{"attributed_value", "incremental_value", "attributed_roas", "incremental_roas"} {
			if m, ok := out.Metrics["groups."+g+"."+f]; ok && !null(m) {
				names = append(names, "groups."+g+"."+f)
			}
		}
	}
	differ, _, _ := out.Rows()
	for _, name := range differ {
		if _, twin := out.Twin(name); !twin && !strings.HasPrefix(name, "tmax_curve.") && !null(out.Metrics[name]) {
			names = append(names, name)
		}
	}
	return names
}

// capNameW is a comparison's name column nw within a terminal width
// columns wide (0: unknown): a longer name takes a line of its own.
func capNameW(nw, width int) int {
	if width > 0 {
		nw = min(nw, max(compareNameW, width-compareRowRest))
	}
	return nw
}

// Table is out's table in this view.
func (v CompareView) Table(out experiment.Comparison) string {
	if len(out.Variants) > 0 {
		return compareVariantsTable(out, v)
	}
	groups := GroupNames(out.Metrics)
	// The names' widest, uncapped (no Width): diffWidth caps it.
	widest := CompareView{Metrics: v.Metrics}.nameWidth(out, groups)
	cw := diffWidth(out, v.shownNames(out, groups), widest, v.Width)
	table, listed := v.table(out, groups, cw)
	if len(v.Metrics) > 0 {
		return table
	}
	// A difference the list had no room for does not widen the column:
	// the width again, of the names shown.
	w := compareNameW
	var names []string
	for _, g := range groups {
		for _, f := range []string{"attributed_value", "incremental_value", "attributed_roas", "incremental_roas"} {
			if m, ok := out.Metrics["groups."+g+"."+f]; ok && !null(m) {
				w = max(w, ansi.StringWidth("groups."+g+"."+f))
				names = append(names, "groups."+g+"."+f)
			}
		}
	}
	for _, name := range listed {
		w = max(w, ansi.StringWidth(name))
	}
	if cw2 := diffWidth(out, append(names, listed...), w, v.Width); cw2 != cw {
		// Kept only if the rows it lists fit its columns as well: a
		// name given more room may make room for another row.
		table2, listed2 := v.table(out, groups, cw2)
		if diffWidth(out, append(names, listed2...), w, v.Width) == cw2 {
			table = table2
		}
	}
	return table
}

// table is out's table with a name column nw wide, and the names its
// list of differences shows.
func (v CompareView) table(out experiment.Comparison, groups []string, cw compareW) (string, []string) {
	var b strings.Builder
	sets := shownSets(out.Baseline.Set)
	variant := withUnits(out.Variant.Scenario, append(slices.Clone(sets), out.Variant.Changes...))
	if len(sets) > 0 && out.Variant.Scenario == out.Baseline.Scenario {
		// Not the scenario with the changes alone, nor with the sets
		// and then a change of the same path: the baseline with them.
		variant = withUnits("the baseline", out.Variant.Changes)
	}
	b.WriteString(sideLine("baseline: ", withUnits(out.Baseline.Scenario, sets), v.Width))
	b.WriteString(sideLine("variant:  ", variant, v.Width))
	fmt.Fprintf(&b, "%d paired replications (seed %d); difference = variant − baseline, 95%% intervals",
		out.Replications, out.Seed)
	if out.Partial {
		b.WriteString(" (partial)")
	}
	b.WriteString("\n\n")
	for _, g := range out.GroupTotals {
		// Wrapped within the width, as the notes above the table are.
		b.WriteString(wrapProse("note: "+g+"\n", v.Width) + "\n")
	}
	if len(v.Metrics) > 0 {
		b.WriteString("the metrics asked for (* the interval excludes 0):\n")
		compareHeaderC(&b, cw)
		for _, name := range v.Metrics {
			m, ok := out.Metrics[name]
			if !ok {
				fmt.Fprintf(&b, "  %s no value in these runs\n", format.PadRight(name, 24))
				continue
			}
			compareRowC(&b, name, m, cw)
		}
		return b.String(), nil
	}
	if m, okm := out.Metrics[out.Metric]; okm {
		head := fmt.Sprintf("%s: %s (%s): %s", out.Metric, plainPM(m.Diff), fmtRel(m), m.Verdict(out.Replications))
		if format.Width(head) > 80 {
			// The verdict on a line of its own, whole.
			head = fmt.Sprintf("%s: %s (%s):\n  %s", out.Metric, plainPM(m.Diff), fmtRel(m), m.Verdict(out.Replications))
		}
		b.WriteString(head + "\n")
		if matured, ok := maturedOf(out.Metric); ok {
			// Which conversions the figure counts: the eventual and the
			// matured ones read apart when many are pending at the stop.
			b.WriteString(eventualNote(matured))
		}
		b.WriteString(compareSpendNote(out.Metric, out.Metrics, out.Replications))
		if m.UnpairedHalfWidth != nil && m.Diff.HalfWidth() > 0 {
			ratio := *m.UnpairedHalfWidth / m.Diff.HalfWidth()
			how := fmt.Sprintf("%.1f× wider", ratio)
			if ratio < 1 {
				// "0.8× wider" would claim pairing narrowed it.
				how = fmt.Sprintf("%.1f× narrower: pairing did not help here", 1/ratio)
			}
			fmt.Fprintf(&b, "  pairing: ± %s paired; unpaired it would be ± %s (%s)\n",
				plainNum(m.Diff.HalfWidth()), plainNum(*m.UnpairedHalfWidth), how)
		}
		if out.Precision != nil {
			fmt.Fprintf(&b, "  precision target ± %.3g%% of the baseline: %s at %d replications\n",
				100**out.Precision, map[bool]string{true: "met", false: "not met"}[out.PrecisionMet(m)], out.Replications)
			if !out.PrecisionMet(m) && out.PrecisionUnreachable(m) {
				fmt.Fprintf(&b, "  (the baseline's %s is 0 in every replication: no share of it can be reached,\n  so the rule stopped at the first batch; give --reps N for more)\n", out.Metric)
			}
			switch {
			case out.FreshSeed != nil && out.Decided > out.Replications:
				fmt.Fprintf(&b, "  (%d replications decided by the rule, then %d fresh ones for these intervals before the interrupt)\n",
					out.Decided, out.Replications)
			case out.FreshSeed != nil:
				// The rule's own interval would be too narrow: see
				// experiment.UntilFresh.
				fmt.Fprintf(&b, "  (%d replications decided by the rule, then as many fresh ones for these intervals)\n", out.Replications)
			case out.Partial:
				b.WriteString("  (interrupted while the rule ran: these intervals are its own replications', which cover\n  less than 95%: no fresh ones were run)\n")
			}
		}
		b.WriteString("\n")
	}
	shown := map[string]bool{out.Metric: true}
	if len(groups) > 0 {
		b.WriteString("groups: value and ROAS, attributed and incremental (* interval excludes 0):\n")
		compareHeaderC(&b, cw)
		for _, g := range groups {
			for _, f := range []string{"attributed_value", "incremental_value", "attributed_roas", "incremental_roas"} {
				name := "groups." + g + "." + f
				if m, ok := out.Metrics[name]; ok && !null(m) {
					compareRowC(&b, name, m, cw)
					shown[name] = true
				}
			}
		}
		b.WriteString("\n")
	}
	differ, same, constant := out.Rows()
	var rest []string
	for _, name := range differ {
		if !shown[name] && !strings.HasPrefix(name, "tmax_curve.") && !null(out.Metrics[name]) {
			rest = append(rest, name)
		}
	}
	// Within each part by the change vouched for, weighed by importance.
	rest = ranked(&out, rest)
	rest, switched := switchedBidders(&out, rest)
	rest, folded := foldTwins(&out, rest)
	var unsure []string
	for _, name := range same {
		if !shown[name] && !null(out.Metrics[name]) {
			unsure = append(unsure, name)
		}
	}
	var listed []string
	if len(rest) > 0 || len(switched) > 0 {
		// Room for the rows: what is written, this list's two header
		// lines, and the two summary lines after it.
		room := compareLines - strings.Count(b.String(), "\n") - 2 - 3
		// The twins' note names only the pairs of rows shown: first the
		// room its longest form leaves, then, if the rows shown made it
		// shorter, again with the lines it freed, kept if its note is no
		// longer than the first's.
		lines := func(s string) int { return strings.Count(s, "\n") }
		note := func(listed []string) string {
			on := maps.Clone(shown)
			for _, name := range listed {
				on[name] = true
			}
			return twinsNote(&out, folded, on, true)
		}
		var rows string
		rows, listed = sectionedRows(&out, rest, switched, room-lines(twinsNote(&out, folded, nil, true)), cw)
		twins := note(listed)
		if rows2, listed2 := sectionedRows(&out, rest, switched, room-lines(twins), cw); len(listed2) > len(listed) {
			if twins2 := note(listed2); lines(twins2) <= lines(twins) {
				rows, listed, twins = rows2, listed2, twins2
			}
		}
		n := len(listed)
		more := ""
		if n < len(rest) {
			more = fmt.Sprintf("; %d shown, --json has all", n)
		}
		fmt.Fprintf(&b, "differences whose interval excludes 0 (%d%s):\n", len(rest), more)
		compareHeaderC(&b, cw)
		b.WriteString(rows)
		b.WriteString(twins)
		b.WriteString("\n")
	} else {
		b.WriteString("no other difference whose interval excludes 0\n\n")
	}
	if len(unsure) > 0 {
		fmt.Fprintf(&b, "not distinguishable at %d replications: %d metrics (--metrics M,... shows any)\n", out.Replications, len(unsure))
	}
	if len(constant) > 0 {
		fmt.Fprintf(&b, "the same in every replication of both (%d metrics, such as settings)\n", len(constant))
	}
	return b.String(), listed
}

// eventualNote says which conversions an eventual headline counts
// (matured: its matured figure, maturedOf): the eventual and the matured
// ones read apart when many are pending at the stop.
func eventualNote(matured string) string {
	return fmt.Sprintf("  (eventual: the conversions still pending at each run's stop counted, as split\n  decides; %s counts those matured by then)\n", matured)
}

// shownSets are a side's overrides (Side.Set) as compare's table says
// them: the --set and --no-script ones, which make the baseline another
// world than the scenario's own; not the seed, which the replications'
// line says, nor the stop of --auctions or --duration
// (scenarios.StopSet), the run's length, which the command says when it
// scales the budgets.
func shownSets(sets []string) []string {
	var out []string
	for _, s := range sets {
		if strings.HasPrefix(s, "seed=") || strings.HasPrefix(s, "stop={") {
			continue
		}
		out = append(out, s)
	}
	return out
}

// withUnits is "what with a, b, …" (what alone without changes) in the
// pieces sideLine keeps whole where it can: "what with", then each
// change with its comma.
func withUnits(what string, changes []string) []string {
	if len(changes) == 0 {
		return []string{what}
	}
	return append([]string{what + " with"}, commaUnits(changes)...)
}

// commaUnits is changes each but the last followed by its comma.
func commaUnits(changes []string) []string {
	units := make([]string, len(changes))
	for i, c := range changes {
		units[i] = c
		if i < len(changes)-1 {
			units[i] += ","
		}
	}
	return units
}

// sideLine is a side's line of compare's table after head ("baseline: "),
// its units (withUnits) joined by spaces and wrapped between them within
// 80 columns, or width when narrower (0: unknown, 80), its continuation
// under the text, so that the table's line count (its 40 lines) is what a
// terminal shows. A unit too long for that (a bidder's name of 60 cells
// in a path) takes a line of its own within width, and only one wider
// than width is broken, between its path's parts as format.WrapPath
// does: a path=value is cut only where it must be.
func sideLine(head string, units []string, width int) string {
	limit, wide := 80, 80
	if width > 0 {
		limit, wide = min(limit, width), width
	}
	indent := strings.Repeat(" ", ansi.StringWidth(head))
	if limit-len(indent) < 20 && len(indent) > 4 {
		// A variant's name too long to leave the changes room beside it.
		indent = "    "
	}
	var lines []string
	line, fresh := head, true
	for _, u := range units {
		if !fresh && ansi.StringWidth(line)+1+ansi.StringWidth(u) <= limit {
			line += " " + u
			continue
		}
		if !fresh {
			lines = append(lines, line)
			line = indent
		}
		fresh = false
		room := limit - ansi.StringWidth(line)
		if ansi.StringWidth(u) <= room {
			line += u
			continue
		}
		if ansi.StringWidth(line) > len(indent) {
			// The head leaves the unit less room than a continuation would.
			lines = append(lines, strings.TrimRight(line, " "))
			line = indent
		}
		if ansi.StringWidth(u) <= wide-len(indent) {
			// Whole on a line of its own where the width has room for
			// it, past the 80 columns the rest keeps to.
			lines = append(lines, line+u)
			line, fresh = indent, true
			continue
		}
		parts := strings.Split(format.WrapPath(u, wide-len(indent)), "\n")
		for _, p := range parts[:len(parts)-1] {
			lines = append(lines, indent+p)
		}
		line = indent + parts[len(parts)-1]
	}
	if !fresh || len(lines) == 0 {
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n") + "\n"
}

// foldTwins is names without the twins each repeats in c
// (experiment.Comparison.Twin: a bidder's win_rate_per_auction where it
// is asked in every auction, the same as its win_rate), so that a list of
// differences shows each effect once, and the names folded, for
// twinsNote.
func foldTwins(c *experiment.Comparison, names []string) (kept, folded []string) {
	for _, name := range names {
		if _, ok := c.Twin(name); ok {
			folded = append(folded, name)
			continue
		}
		kept = append(kept, name)
	}
	return kept, folded
}

// twinsNote says how many of folded (foldTwins) were left out as the
// same as a metric the table shows (shown; nil: every one counts, for
// the most lines the note may take), "" when none: with kinds, each
// pair once, wrapped within 80 columns ("    win_rate_per_auction =
// win_rate"), which a variant's share of the 40 lines has no room for.
// A twin of a metric not shown is left out of the note too: the list had
// no room for either, and "counterfactual.surplus = surplus" under a
// list without a counterfactual or a surplus row explains nothing.
func twinsNote(c *experiment.Comparison, folded []string, shown map[string]bool, kinds bool) string {
	var pairs []string
	n := 0
	for _, name := range folded {
		if end, _ := c.Twin(name); shown != nil && !shown[end] {
			continue
		}
		n++
		twin, _ := sim.TwinOf(name) // the pair's own, not its chain's end
		if k := twinKind(name) + " = " + twinKind(twin); !slices.Contains(pairs, k) {
			pairs = append(pairs, k)
		}
	}
	if n == 0 {
		return ""
	}
	head := fmt.Sprintf("  + %d not listed, each the same in every statistic as the metric it repeats", n)
	if !kinds {
		return head + "\n"
	}
	var b strings.Builder
	b.WriteString(head + ":\n")
	line := "   "
	for i, k := range pairs {
		if i < len(pairs)-1 {
			k += ";"
		}
		if len(line) > 3 && len(line)+1+len(k) > 78 {
			b.WriteString(line + "\n")
			line = "   "
		}
		line += " " + k
	}
	b.WriteString(line + "\n")
	return b.String()
}

// twinKind is a bidder's metric without bidders.NAME. (a name has no
// dot).
func twinKind(name string) string {
	parts := strings.SplitN(name, ".", 3)
	return parts[len(parts)-1]
}

// null reports whether m has no value on either side (NaN in every
// replication, such as the ROAS of a bidder without conversions).
func null(m experiment.ComparedMetric) bool {
	return math.IsNaN(m.Baseline.Mean) && math.IsNaN(m.Variant.Mean)
}

// GroupNames are the groups in metrics (groups.G.budget), sorted.
func GroupNames(metrics map[string]experiment.ComparedMetric) []string {
	var out []string
	for name := range metrics {
		if g, ok := strings.CutPrefix(name, "groups."); ok && strings.HasSuffix(g, ".budget") {
			out = append(out, strings.TrimSuffix(g, ".budget"))
		}
	}
	slices.Sort(out)
	return out
}

// compareNameW is the metric-name column's least width, and its width
// in every table but compare's default.
const compareNameW = 24

// compareRowRest is what a compare row takes besides its name: the
// indent, the numbers' columns and the mark.
const compareRowRest = 2 + 1 + 10 + 1 + 10 + 1 + compareDiffW + 1 + relW + 2

// compareDiffW is the difference column's width but in compare's default
// table at a narrow width (diffWidth): room for "-1,234,567 ± 123,456".
const compareDiffW = 21

// compareW is a compare table's name and difference columns' widths.
type compareW struct{ name, diff int }

// compareHeaderW is the compare table's heading, its name column nw wide.
func compareHeaderW(b *strings.Builder, nw int) {
	compareHeaderC(b, compareW{name: nw, diff: compareDiffW})
}

// compareHeaderC is the compare table's heading in columns cw.
func compareHeaderC(b *strings.Builder, cw compareW) {
	fmt.Fprintf(b, "  %-*s %10s %10s %*s %*s\n", cw.name, "metric", "baseline", "variant", cw.diff, "difference", relW, "rel.")
}

// compareRowW is one metric's row, its name column nw wide; a name
// longer than its column takes a line of its own, so that it is never
// cut; * marks a difference whose interval excludes 0.
func compareRowW(b *strings.Builder, name string, m experiment.ComparedMetric, nw int) {
	compareRowC(b, name, m, compareW{name: nw, diff: compareDiffW})
}

// compareRowC is compareRowW in columns cw.
func compareRowC(b *strings.Builder, name string, m experiment.ComparedMetric, cw compareW) {
	nw := cw.name
	label := name
	if ansi.StringWidth(label) > nw {
		fmt.Fprintf(b, "  %s\n", label)
		label = ""
	}
	mark := ""
	if m.Diff.N >= 2 && m.Differs() {
		mark = " *"
	}
	// Padded by display width, not runes: a wide-character name keeps
	// the numbers in their columns.
	// The rel. column padded by display width too: "×1,023" is seven
	// bytes in six cells.
	fmt.Fprintf(b, "  %s %10s %10s %s %s%s\n", format.Fit(label, nw), plainNum(m.Baseline.Mean), plainNum(m.Variant.Mean), format.PadLeft(plainPM(m.Diff), cw.diff), format.PadLeft(fmtRel(m), relW), mark)
}

// compareVariantsTable is compare --variant's table: for each variant,
// its changes, what they do to a group's total, the headline metric and
// the differences whose interval excludes 0.
func compareVariantsTable(out experiment.Comparison, view CompareView) string {
	// Each variant gets an equal share of the 40 lines; a variant whose
	// own lines (its changes, notes, group rows) overrun its share leaves
	// the table longer, so the others' rows give way, the longest list
	// first, until it fits.
	cut := make([]int, len(out.Variants))
	text, shown := compareVariantsTableCut(out, view, cut)
	for range 40 {
		excess := strings.Count(strings.TrimRight(text, "\n"), "\n") + 1 - compareLines
		if excess <= 0 || len(view.Metrics) > 0 {
			break
		}
		most := 0
		for i := range shown {
			if shown[i] > shown[most] {
				most = i
			}
		}
		if shown[most] == 0 {
			break // nothing left to give
		}
		cut[most] += min(excess, shown[most])
		text, shown = compareVariantsTableCut(out, view, cut)
	}
	return text
}

// compareVariantsTableCut is compareVariantsTable with variant i's rows
// cut by cut[i] below its share, and how many other rows each shows.
func compareVariantsTableCut(out experiment.Comparison, view CompareView, cut []int) (string, []int) {
	shownRows := make([]int, len(out.Variants))
	var b strings.Builder
	base := sideLine("baseline: ", withUnits(out.Baseline.Scenario, shownSets(out.Baseline.Set)), view.Width)
	b.WriteString(base)
	// Wrapped at 80 columns as the rest of the table's prose is.
	title := fmt.Sprintf("%d variants, each paired against the baseline over %d replications (seed %d); difference = variant − baseline, 95%% intervals",
		len(out.Variants), out.Replications, out.Seed)
	if out.Partial {
		title += " (partial)"
	}
	title = wrapProse(title+"\n", compareProseW)
	b.WriteString(title)
	// One name column for every variant, as wide as the longest name any
	// shows (within the terminal's width): rows do not wrap.
	nw := compareNameW
	for _, v := range out.Variants {
		c := experiment.Comparison{Metrics: v.Metrics, Metric: out.Metric}
		nw = max(nw, view.nameWidth(c, GroupNames(v.Metrics)))
	}
	// The pairs close the table, and their lines come off the 40 first.
	pairs := variantPairsText(out)
	eventualSaid := false
	for vi, v := range out.Variants {
		// Wrapped as the baseline's line is, after a comma, its
		// continuation under the changes.
		head := sideLine("variant "+v.Name+": ", commaUnits(v.Changes), view.Width)
		b.WriteString("\n" + head)
		for _, g := range v.GroupTotals {
			b.WriteString(wrapProse("  note: "+g+"\n", view.Width))
		}
		if m, okm := v.Metrics[out.Metric]; okm {
			fmt.Fprintf(&b, "  %s: %s (%s): %s\n", out.Metric, plainPM(m.Diff), fmtRel(m), m.Verdict(out.Replications))
			if matured, ok := maturedOf(out.Metric); ok && !eventualSaid {
				// Once, under the first headline: every variant's is the
				// same figure, as compare --move says it.
				b.WriteString(eventualNote(matured))
				eventualSaid = true
			}
		}
		spendNote := compareSpendNote(out.Metric, v.Metrics, out.Replications)
		b.WriteString(spendNote)
		if len(view.Metrics) > 0 {
			for _, name := range view.Metrics {
				if m, ok := v.Metrics[name]; ok {
					compareRowW(&b, name, m, nw)
				}
			}
			continue
		}
		// Each variant gets an equal share of the 40 lines: its group
		// rows, then as many other differences as fit.
		// The lines said once come off the 40 first: the pairs, a
		// baseline's line that wraps, the eventual headline's note.
		once := strings.Count(pairs, "\n") + strings.Count(base, "\n") - 1 + strings.Count(title, "\n") - 1
		if _, ok := maturedOf(out.Metric); ok {
			once += strings.Count(eventualNote(""), "\n")
		}
		room := (compareLines-2-once)/len(out.Variants) - 2 - cut[vi]
		room -= strings.Count(head, "\n") - 1 // the variant's line wrapped
		room -= strings.Count(spendNote, "\n")
		if len(v.GroupTotals) > 0 {
			room -= len(v.GroupTotals)
		}
		if _, ok := v.Metrics[out.Metric]; ok {
			room-- // the headline's line
		}
		var sec strings.Builder
		c := experiment.Comparison{Metrics: v.Metrics, Metric: out.Metric}
		shown := map[string]bool{out.Metric: true}
		for _, g := range GroupNames(v.Metrics) {
			for _, f := range []string{"attributed_value", "incremental_value", "attributed_roas", "incremental_roas"} {
				name := "groups." + g + "." + f
				if m, ok := v.Metrics[name]; ok && !null(m) {
					if !shown["header"] {
						compareHeaderW(&sec, nw)
						shown["header"] = true
					}
					compareRowW(&sec, name, m, nw)
					shown[name] = true
				}
			}
		}
		differ, same, _ := c.Rows()
		var rest []string
		for _, name := range differ {
			if !shown[name] && !strings.HasPrefix(name, "tmax_curve.") && name != "events" && !null(v.Metrics[name]) {
				rest = append(rest, name)
			}
		}
		rest = ranked(&c, rest) // as compare's list orders each part
		rest, switched := switchedBidders(&c, rest)
		notes := strings.Join(switched, "")
		// The parts in compare's list's order (sectionedRows),
		// without its headings: a variant's share of the lines is short.
		secs := bySection(rest)
		rest = nil
		for _, sec := range sectionOrder(out.Metric) {
			rest = append(rest, secs[sec]...)
		}
		rest, folded := foldTwins(&c, rest)
		room -= strings.Count(notes, "\n")
		unsure := 0
		for _, name := range same {
			if !shown[name] && !null(v.Metrics[name]) {
				unsure++
			}
		}
		room -= strings.Count(sec.String(), "\n")
		// The line that counts the others: its count of rows shown is not
		// known yet, but its length hardly depends on it.
		room -= strings.Count(othersLine(len(rest), 0, unsure), "\n")
		// list is the rows that fit in room lines, and the twins' note
		// (a line at most) of those shown.
		list := func(room int) (string, int, string) {
			var rows strings.Builder
			on := maps.Clone(shown)
			n := 0
			for _, name := range rest {
				var row strings.Builder
				compareRowW(&row, name, v.Metrics[name], nw)
				k := strings.Count(row.String(), "\n")
				if k > room {
					break
				}
				room -= k
				rows.WriteString(row.String())
				on[name] = true
				n++
			}
			return rows.String(), n, twinsNote(&c, folded, on, false)
		}
		// A line kept for the note, given to a row if the rows shown
		// leave the note empty, as compare's list does (table).
		rows, n, twins := list(room - strings.Count(twinsNote(&c, folded, nil, false), "\n"))
		if twins == "" {
			if rows2, n2, twins2 := list(room); n2 > n && twins2 == "" {
				rows, n = rows2, n2
			}
		}
		shownRows[vi] = n
		b.WriteString(sec.String())
		b.WriteString(othersLine(len(rest), n, unsure))
		b.WriteString(notes)
		b.WriteString(rows)
		b.WriteString(twins)
	}
	b.WriteString(pairs)
	return b.String(), shownRows
}

// compareProseW is the width compare's tables wrap their prose at.
const compareProseW = 80

// othersLine is the line of a variant's table that counts its other
// differences whose interval excludes 0 (of which shown are shown) and
// those not distinguishable, wrapped at compareProseW.
func othersLine(others, shown, unsure int) string {
	more := ""
	if shown < others {
		more = fmt.Sprintf("; %d shown, --json has all", shown)
	}
	return wrapProse(fmt.Sprintf("  other differences whose interval excludes 0: %d%s; %d not distinguishable\n", others, more, unsure), compareProseW)
}

// variantPairsText is, with two or more variants, each pair of them
// paired against each other in the headline metric (B − A, A the
// earlier), with the baseline comparison's verdict, and the highest
// variant against the next highest as a sweep says its highest point.
func variantPairsText(out experiment.Comparison) string {
	if len(out.VariantPairs) == 0 && out.HighestVariant == nil {
		return ""
	}
	var b strings.Builder
	if len(out.VariantPairs) > 0 {
		fmt.Fprintf(&b, "\nvariants against each other in %s, paired on the same replications;\ndifference = B − A, A as the baseline and B as the variant, 95%% intervals:\n", out.Metric)
		for _, p := range out.VariantPairs {
			fmt.Fprintf(&b, "  %s − %s: %s (%s): %s\n", p.B, p.A, plainPM(p.Diff), fmtRel(p.ComparedMetric), p.Says)
		}
	}
	if h := out.HighestVariant; h != nil {
		b.WriteString("\n" + highestLines(h.Metric, "in variant "+h.Variant, "variant "+h.RunnerUp, h.Diff, FormatNum))
	}
	return b.String()
}

// headers are paths as column headers: each whole if every path fits
// width; else each its shortest suffix of dotted parts that no other path
// shares (never "total" for two budgets), so that one column does not
// keep its prefix beside another that drops it; never cut, and never a
// statistic's name alone ("wait_ms.mean", not "mean"), nor a bidder's or
// group's field without its owner ("acme-retarget.budget.total", not
// "total", even as the only budget swept). A path of one part
// ("theory:fill_rate") has no shorter form and does not count.
func headers(paths []string, width int) []string {
	out := slices.Clone(paths)
	if !slices.ContainsFunc(paths, func(p string) bool { return len(p) > width && strings.Contains(p, ".") }) {
		return out
	}
	for i, path := range paths {
		parts := strings.Split(path, ".")
		last := len(parts) - 1
		if statName[parts[last]] && last > 0 {
			last-- // says what of nothing on its own
		}
		if len(parts) > 2 && (parts[0] == "bidders" || parts[0] == "groups") {
			// A bidder's or group's field names its owner: "total" or
			// "spend" alone says nothing of whose.
			last = min(last, 1)
		}
		for k := last; k >= 0; k-- {
			suffix := strings.Join(parts[k:], ".")
			unique := true
			for j, other := range paths {
				if j != i && (other == suffix || strings.HasSuffix(other, "."+suffix)) {
					unique = false
					break
				}
			}
			if unique {
				out[i] = suffix
				break
			}
		}
	}
	return out
}

// statName are the last parts of metric paths that name a statistic of
// what comes before (exchange.wait_ms.mean), not a metric.
var statName = map[string]bool{"mean": true, "p50": true, "p95": true, "p99": true, "max": true, "min": true,
	"sd": true, "n": true, "lo": true, "hi": true}

// highestLines say which of the points (a sweep's) or variants
// (compare's) is highest in metric (where: "at exchange.floor=0.3", "in
// variant b"), and whether the next highest (nextWhere), d lower paired,
// is distinguishable from it; num writes d's mean where the replications
// were alike (no interval sets its decimals), as the table writes them.
func highestLines(metric, where, nextWhere string, d stats.Stat, num func(float64) string) string {
	verdict := "not distinguishable from it"
	switch {
	case d.Above(0):
		verdict = "the highest is higher beyond chance"
	case d.Degenerate() && d.Mean != 0:
		verdict = fmt.Sprintf("can't tell: the same in each of %d replications is no evidence by itself", d.N)
	}
	text, note := FormatPM(d), fmt.Sprintf("(95%%, paired, %d replications)", d.N)
	if d.Alike() {
		// No 95% interval to name: "3.00 lower (3 alike, paired)".
		text, note = num(d.Mean), fmt.Sprintf("(%d alike, paired)", d.N)
	}
	return fmt.Sprintf("highest %s %s;\n  the next highest, %s, is %s lower %s: %s\n",
		metric, where, nextWhere, text, note, verdict)
}

// SplitTable is split's table: the current and recommended splits, the
// verdict, what the replications could not tell, and the response curves
// with the flat region; reps and step as the search ran. Piped: lines as
// long as they come (SplitTableWidth for a terminal).
func SplitTable(r *split.Result, reps int, step float64) string {
	return SplitTableWidth(r, reps, step, 0)
}

// splitText is split's table as it is written: prose, which wraps to
// width when known, and rows, which pass through whole.
type splitText struct {
	out, prose strings.Builder
	width      int
}

// Write adds prose (fmt.Fprintf's writer).
func (t *splitText) Write(p []byte) (int, error) { return t.prose.Write(p) }

// WriteString adds prose.
func (t *splitText) WriteString(s string) (int, error) { return t.prose.WriteString(s) }

// rows adds what write writes, whole lines, unwrapped.
func (t *splitText) rows(write func(b *strings.Builder)) {
	t.flush()
	write(&t.out)
}

// flush moves the prose written so far to out, each line longer than
// the width wrapped at spaces, by display width (a wide character takes
// two columns), its continuation indented two more than its first line.
func (t *splitText) flush() {
	t.out.WriteString(wrapProse(t.prose.String(), t.width))
	t.prose.Reset()
}

// String is the whole text.
func (t *splitText) String() string {
	t.flush()
	return t.out.String()
}

// SplitTableWidth is SplitTable for a terminal width columns wide (0:
// unknown, piped): the comparison's metric names take a line of their own
// past what the width leaves them, as in compare's table, and a longer
// line of prose wraps at spaces, its continuation indented, rather than
// being broken mid-word by the terminal. The tables' rows and the --set
// flags pass through whole: re-flowed, a row would lose its columns; a
// terminal narrower than a row folds it, which keeps them.
func SplitTableWidth(r *split.Result, reps int, step float64, width int) string {
	return SplitTableAdvised(r, reps, step, width, SplitAdvice{})
}

// SplitAdvice is what split's table needs, beyond the result, to suggest
// the one compare that would settle a move the search could not tell
// (Result.Undecided): the scenario's name as compare takes it, and what
// the search's runs took on the wall clock. Not in the result: the wall
// time is no figure of the simulation and differs run to run.
type SplitAdvice struct {
	Scenario string        // "" reads NAME
	Elapsed  time.Duration // the search's wall time; 0: unknown, no time told
	Workers  int           // the runs at once in Elapsed
	// Horizon is the flags that shortened split's runs ("--duration
	// 10s", "--auctions 5000", "--no-scale"), "" for none: the compare it
	// prints for a move it could not tell carries them, as its --move
	// amount and its time assume them (without, that compare ran whole
	// runs, a different question at many times the time told).
	Horizon string
	// Sets is split's own --set flags (and --no-script), shell-quoted,
	// "" for none: the compares it prints carry them, as they change
	// both sides alike.
	Sets string
}

// compareCmd is the compare, as a command to paste, of flags (a split's
// --change or --set and --move) against the scenario as split ran it
// (its own --set flags and horizon), with the metric split decided on
// where it is not compare's headline, and tail (--seed, --reps) last.
func (a SplitAdvice) compareCmd(r *split.Result, flags, tail string) string {
	name := a.Scenario
	if name == "" {
		name = "NAME"
	}
	c := "auctionsim compare " + shellWord(name)
	if a.Sets != "" {
		c += " " + a.Sets
	}
	c += " " + flags
	if want := "groups." + r.Group + ".eventual.incremental_value"; r.Metric != "" && r.Metric != want {
		c += " --metric " + shellWord(r.Metric)
	}
	if a.Horizon != "" {
		c += " " + a.Horizon
	}
	return c + " " + tail
}

// compareReminder is what the compares split prints leave out when it
// does not know how it ran (a caller that gave no SplitAdvice): its own
// --set flags and horizon.
func (a SplitAdvice) compareReminder() string {
	if a.Scenario == "" && a.Sets == "" && a.Horizon == "" {
		return " (add this split's --set and --duration, if any)"
	}
	return ""
}

// compareTime is about how long compare --reps n takes (2n whole runs:
// the baseline and the variant of each replication) at the search's
// measured cost of a whole run, or "" when the search's time is unknown.
func (a SplitAdvice) compareTime(r *split.Result, n int) string {
	work := float64(r.Runs) - float64(r.HalfRuns+r.ThinnedRuns)/2 // cut-down runs cost half
	if a.Elapsed <= 0 || work <= 0 {
		return ""
	}
	w := max(a.Workers, 1)
	perRun := time.Duration(float64(a.Elapsed) * float64(w) / work)
	// The runs go w at a time: whole waves of them.
	waves := (2*n + w - 1) / w
	return fmt.Sprintf("about %s: %d runs at %s each on %d %s, as the search's took",
		wallTotal(time.Duration(waves)*perRun), 2*n, wallRun(perRun), w, format.Plural(w, "worker", "workers"))
}

// wallTotal is a command's wall time: to the second (logWall), below a
// second as a run's (wallRun) rather than "0 s".
func wallTotal(d time.Duration) string {
	if d < time.Second {
		return wallRun(d)
	}
	return logWall(d)
}

// splitRowRest is the cells of split's current/recommended table beside
// the name: the indent and two columns of 18, each after a space.
const splitRowRest = 2 + 1 + 18 + 1 + 18

// SplitTableAdvised is SplitTableWidth with adv for its advice on a move
// it could not tell.
func SplitTableAdvised(r *split.Result, reps int, step float64, width int, adv SplitAdvice) string {
	b := splitText{width: width}
	// br and br2 break a paragraph's lines piped (at the column widths
	// the table has always had) and join them on a terminal, where
	// the prose wraps the paragraph to the width.
	br, br2, br4 := "\n", "\n  ", "\n    "
	if width > 0 {
		br, br2, br4 = " ", " ", " "
	}
	// total is what the split divides, as the header and the curves say it.
	total := "total " + format.Money(r.Total)
	if r.Budget == split.Daily {
		total = "daily budgets, " + format.Money(r.Total) + " a day in all (each member's total, if any, kept)"
	}
	// The objective's metric, to give compare --metric, and which
	// conversions it counts; the measured one is no metric of the
	// catalogue but split's own derivation.
	metric := r.Metric
	if metric == "" { // a result from before the eventual figures
		metric = "groups." + r.Group + "." + r.Objective
	}
	counts := ""
	switch {
	case r.Objective == split.Measured:
		metric = "derived per run from each member's holdout; no metric of compare"
	case strings.Contains(metric, ".eventual."):
		counts = ";" + br + "counting the conversions still pending at each run's stop: what the flight's impressions will earn"
	}
	fmt.Fprintf(&b, "split: group %s, %s, objective %s (%s)%s\n", r.Group, total, r.Objective, metric, counts)
	// The figure the search decided on, by its name under the group
	// (eventual.incremental_value for the objective incremental_value):
	// the headline row, the curves and the notes say it by this name,
	// so that it is not read as the matured figure the metrics table
	// lists under the objective's own name.
	figure := r.Objective
	if rest, ok := strings.CutPrefix(r.Metric, "groups."+r.Group+"."); ok {
		figure = rest
	}
	var steps []string
	for _, st := range r.Steps {
		steps = append(steps, format.Money(st))
	}
	half := ""
	if r.HalfRuns > 0 {
		half = fmt.Sprintf(",%s%d of them of half the horizon, every budget halved (the coarser moves' races; the finest, the verdict and%sthe curves run whole)", br, r.HalfRuns, br)
	}
	if r.ThinnedRuns > 0 {
		half = fmt.Sprintf(",%s%d of them at twice the traffic scale, half the requests simulated (the coarser moves' races; the finest,%sthe verdict and the curves run whole)", br, r.ThinnedRuns, br)
	}
	rounds := fmt.Sprintf("%d rounds", r.Rounds)
	if r.LargerRounds > 0 {
		rounds += fmt.Sprintf(" (%d of them a move made larger,%swhere a round's best was within noise)", r.LargerRounds, br)
	}
	fmt.Fprintf(&b, "moves of %s (coarse to fine), up to %d paired replications per split and round; %s, %d runs%s\n\n",
		strings.Join(steps, ", "), reps, rounds, r.Runs, half)
	// As wide as the longest label, the objective's too
	// (measured_incremental_value), so the columns stay aligned.
	// By display width: a wide-character name takes two columns a rune.
	nameW := max(12, ansi.StringWidth(figure))
	for _, m := range r.Members {
		nameW = max(nameW, ansi.StringWidth(m))
	}
	// Members' names too long for the width (a line item's 60 cells):
	// cut, as run's tables cut them, and listed whole below the table.
	label := func(m string) string { return m }
	var cut [][2]string
	if limit := max(12, ansi.StringWidth(figure), width-splitRowRest); width > 0 && nameW > limit {
		short := map[string]string{}
		seen := map[string]int{}
		for _, m := range r.Members {
			if ansi.StringWidth(m) > limit {
				short[m] = ansi.Truncate(m, limit, "…")
				seen[short[m]]++
			}
		}
		for _, m := range r.Members {
			c, ok := short[m]
			if !ok {
				continue
			}
			if seen[c] > 1 {
				// Two that cut alike end in their place among the cut.
				k := strconv.Itoa(len(cut) + 1)
				c = ansi.Truncate(m, limit-len(k), "…") + k
				short[m] = c
			}
			cut = append(cut, [2]string{c, m})
		}
		label = func(m string) string {
			if c, ok := short[m]; ok {
				return c
			}
			return m
		}
		nameW = limit
	}
	// A split the fresh replications do not put above the current one is
	// not recommended: the table calls it the search's best, and says to
	// keep the current split (JSON "advice"), rather than recommend a
	// change its own verdict cannot tell from none.
	verdictOf, advice := r.Judge()
	kept := verdictOf == split.VerdictKept
	rec := "recommended"
	if advice != split.AdviceChange && !kept {
		rec = "search's best"
	}
	b.rows(func(b *strings.Builder) {
		row := func(label, a, c string) { fmt.Fprintf(b, "  %s %18s %18s\n", format.Fit(label, nameW), a, c) }
		row("", "current", rec)
		for _, m := range r.Members {
			row(label(m), format.Money(r.Current.Budgets[m]), format.Money(r.Recommended.Budgets[m]))
		}
		row(figure, pm(r.Current.Objective), pm(r.Recommended.Objective))
		if len(cut) > 0 {
			b.WriteString("  members cut to fit, in full:\n")
			for _, c := range cut {
				if 4+nameW+2+ansi.StringWidth(c[1]) <= width {
					fmt.Fprintf(b, "    %s  %s\n", format.Fit(c[0], nameW), c[1])
				} else {
					fmt.Fprintf(b, "    %s\n      %s\n", c[0], c[1])
				}
			}
		}
	})
	verdict := "not distinguishable from the current split"
	switch verdictOf {
	case split.VerdictBetter:
		verdict = "the recommended split is better"
	case split.VerdictWorse:
		verdict = "the search's best is worse (its moves did not hold on fresh replications)"
	case split.VerdictNoEvidence:
		// A zero-wide interval over a few replications: no evidence.
		verdict = fmt.Sprintf("can't tell: the same difference in each of %d replications is no evidence by itself;%sabout %d replications would tell (--reps %d)",
			r.Diff.N, br2, stats.SignTestN, stats.SignTestN)
	}
	if kept {
		// Not a split measured "not distinguishable" from itself (0 ± 0):
		// the search found no move to make.
		why := "no move it raced beat staying"
		if r.Undecided != nil {
			// Not "staying is best": the replications could not tell.
			why = "its best move's gain was within noise (Could not tell, below)"
		}
		b.WriteString("\n  the search kept the current split: " + why + "\n")
		if len(r.MetricOrder) > 0 {
			// Its rows would all read 0 ± 0: the same split on the same
			// replications.
			b.WriteString("  (no table of current against recommended: they are the same split, every difference 0)\n")
		}
	} else {
		fmt.Fprintf(&b, "\n  %s − current: %s: %s\n", rec, pairedPM(r.Diff, signedPM(r.Diff), false), verdict)
		if advice != split.AdviceChange {
			b.WriteString(keepCurrentAdvice(r, verdictOf, br2))
		}
	}
	if note := splitSpendNote(r, br2); note != "" {
		b.WriteString(note)
	}
	if len(r.Recommended.Set) > 0 && !kept {
		// Kept, the split is the scenario's own: its flags would only
		// restate it (rounded, where --duration scaled it).
		scaled := ""
		if r.SetScale > 0 {
			// The flags would be scaled again by the same --duration.
			scaled = fmt.Sprintf(",%sin the scenario's own amounts (the budgets above ÷ %.4g, as --duration scales them again)", br2, r.SetScale)
		}
		if width > 0 {
			// On a line of their own, which a narrow terminal may fold
			// but which copies whole.
			fmt.Fprintf(&b, "  the %s split, as --set flags (compare: --change)%s:\n", rec, scaled)
			b.rows(func(b *strings.Builder) { fmt.Fprintf(b, "  %s\n", setFlags(r.Recommended.Set)) })
		} else {
			fmt.Fprintf(&b, "  the %s split, as --set flags (compare: --change)%s: %s\n", rec, scaled, setFlags(r.Recommended.Set))
		}
		if r.FreshSeed != 0 && r.Diff.N > 0 && r.Objective != split.Measured && !maps.Equal(r.Current.Budgets, r.Recommended.Budgets) {
			// So that a planner can check the verdict with compare and
			// find the same number, not another sample of it.
			changes := flagsOf("--change", r.Recommended.Set)
			fmt.Fprintf(&b, "  to check the verdict: compare on the same replications gives the same difference, %s%s:\n",
				signedPM(r.Diff), adv.compareReminder())
			b.rows(func(b *strings.Builder) {
				fmt.Fprintf(b, "    %s\n", adv.compareCmd(r, changes, fmt.Sprintf("--seed %d --reps %d", r.FreshSeed, r.Diff.N)))
			})
			if n := split.RepsNeeded(r.Diff); verdictOf == split.VerdictAlike && n > r.Diff.N {
				// The one question left, asked of fresh replications.
				fmt.Fprintf(&b, "  to tell the two apart, the same compare at about %d fresh replications%s:\n", n, adv.compareReminder())
				b.rows(func(b *strings.Builder) {
					fmt.Fprintf(b, "    %s\n", adv.compareCmd(r, changes, fmt.Sprintf("--reps %d", n)))
				})
			}
		}
	}
	if len(r.MetricOrder) > 0 && !kept {
		b.WriteString("\ncurrent (baseline) against " + rec + " (variant), paired on the same replications" + br + "(* the interval excludes 0):\n")
		// As wide as the longest name, as compare's table: a row is one
		// line (groups.acme.attributed_value is past the default 24).
		nw := compareNameW
		for _, name := range r.MetricOrder {
			if _, ok := r.Metrics[name]; ok {
				nw = max(nw, ansi.StringWidth(name))
			}
		}
		nw = capNameW(nw, width) // within the terminal, as compare's
		b.rows(func(b *strings.Builder) {
			compareHeaderW(b, nw)
			for _, name := range r.MetricOrder {
				if m, ok := r.Metrics[name]; ok {
					compareRowW(b, name, m, nw)
				}
			}
		})
	}
	splitVariants(&b, r)
	if u := r.Undecided; u != nil {
		why := "an interval holding 0"
		if u.Diff.Degenerate() {
			why = "the same in each, no evidence by itself"
		}
		fmt.Fprintf(&b, "\n  Could not tell: moving %s from %s to %s changes %s by%s"+
			"%s, %s;%s",
			format.Money(u.Amount), u.From, u.To, figure, br2, pairedPM(u.Diff, signedPM(u.Diff), true), why, br2)
		if c := undecidedCompare(r, u, kept, adv); c != "" {
			// The one question left, asked alone: that move against
			// staying, not the whole search again at that many
			// replications (each round's every move, the verdict and the
			// curves).
			n := u.RepsNeeded
			when := adv.compareTime(r, n)
			if when != "" {
				when = " (" + when + ")"
			}
			fmt.Fprintf(&b, "about %d paired replications would tell: that move alone against staying%s,%swith compare%s:\n", n, when, br2, adv.compareReminder())
			b.rows(func(b *strings.Builder) { fmt.Fprintf(b, "    %s\n", c) })
		} else {
			fmt.Fprintf(&b, "about %d paired replications would tell (--reps %d).\n", u.RepsNeeded, u.RepsNeeded)
		}
	}
	if len(r.Curves) == 0 {
		return b.String()
	}
	at, kind, unit := "the group's total "+format.Money(r.Total), "budget", ""
	if r.Budget == split.Daily {
		// The objective is the whole flight's, the budget a day's: a
		// marginal of 12 is not 12 per unit spent.
		at, kind, unit = "the group's daily sum "+format.Money(r.Total), "daily budget",
			"a unit of daily budget is one every day of the flight: the marginal is not per unit spent\n"
	}
	// The curves plot the figure decided on; say which conversions it
	// counts.
	plotted, counts := figure, ""
	if strings.HasPrefix(plotted, "eventual.") {
		counts = br + "(eventual: the conversions still pending at each run's stop counted)"
	}
	// Student's interval is exact for normal noise, and covers 95% of
	// the time at any n then (TestMarginalCoverage); but a difference
	// made of a few rare large conversions, which few replications
	// mostly miss, gets an interval far too narrow from them (about 60%
	// coverage at 3 when one replication in ten has one). Say so where
	// the curves run so few.
	few := ""
	if r.CurveReps < stats.SignTestN {
		few = fmt.Sprintf("an interval from %d replications is honest only for near-normal noise: rare large conversions%s"+
			"that none of them drew leave it too narrow; check a marginal that matters with compare --move.\n", r.CurveReps, br)
	}
	// The marginal's definition begins a line of its own, as a legend:
	// joined to the sentence before, "… compare --move. marginal = …"
	// read as one run-on sentence.
	afterReps := "\n"
	if few != "" {
		afterReps = br
	}
	// The curves are drawn at the search's split, which is no
	// recommendation when the verdict cannot put it above the current.
	props, star, atStar := "their recommended proportions", "the recommended", "recommendation"
	if rec != "recommended" {
		props, star, atStar = "their proportions in the search's best split", "the search's best", "search's best"
	}
	// The comma after counts and the stop after few: wrapped on a
	// terminal these lines join into one paragraph, which read
	// "compare --move marginal = …" without them.
	fmt.Fprintf(&b, "\nResponse curves at %s: the group's %s against each member's %s%s,%s"+
		"the rest spread over the others in %s (%d replications a point);%s"+
		"%s"+
		"marginal = %s added per unit of %s since the point before, except at * (%s%s"+
		"split): there the central difference between the points a step either side, as in each curve's header\n%s",
		at, plotted, kind, counts, br, props, r.CurveReps, afterReps, few, plotted, kind, star, br, unit)
	// The objective's column as wide as its name
	// (measured_incremental_value is past 22).
	ow := max(22, len(plotted))
	for _, c := range r.Curves {
		at := format.Dash
		if c.MarginalAtRecommended != nil {
			at = strconv.FormatFloat(*c.MarginalAtRecommended, 'f', 3, 64)
		}
		how := "central difference"
		if n := len(c.Points); n > 0 && (c.Points[0].Recommended || c.Points[n-1].Recommended) {
			// At 0 or the whole sum there is no point beyond: the slope
			// is one-sided, and an optimum at a bound need not be flat.
			how = "one-sided, at a bound"
		}
		if mi := c.MarginalInterval; mi != nil && mi.Degenerate() {
			// The same difference in every replication: no interval to
			// give from so few, not an exact marginal.
			at += fmt.Sprintf(" (the same in all %d replications: too few to give an interval)", mi.N)
		} else if mi != nil && !math.IsNaN(mi.HalfWidth()) {
			at += " ± " + strconv.FormatFloat(mi.HalfWidth(), 'f', 3, 64)
		}
		// At the search's best when it is no recommendation, as the
		// column and the star say.
		flat := fmt.Sprintf("flat (the paired replications cannot tell it from *) from %s to %s", format.Money(c.FlatFrom), format.Money(c.FlatTo))
		if c.FlatFrom == c.FlatTo {
			// "flat from 0.00 to 0.00" read as a flat region; there is
			// none: the neighbours differ beyond chance.
			flat = "no flat region (the paired replications tell its neighbours from *)"
		}
		fmt.Fprintf(&b, "\n  %s: marginal at the %s (%s) %s;%s%s\n", c.Member, atStar, how, at, br4, flat)
		b.rows(func(b *strings.Builder) {
			// The paired difference from the recommendation, where the
			// terminal has room for it (the flat region says it anyway).
			paired := func(string) string { return "" }
			if width == 0 || width >= pairedColumnWidth {
				// By display width: "−", "–" and "±" are one cell each.
				paired = func(v string) string { return " " + format.PadLeft(v, 17) }
			}
			fmt.Fprintf(b, "  %12s %*s %10s%s\n", kind, ow, plotted, "marginal", paired("− * (paired)"))
			for _, p := range c.Points {
				m := format.Dash
				if p.Marginal != nil {
					m = strconv.FormatFloat(*p.Marginal, 'f', 3, 64)
				}
				vs := format.Dash
				if !p.Recommended {
					vs = signedPM(p.VsRecommended)
				}
				line := fmt.Sprintf("  %12s %*s %10s%s", format.Money(p.Budget), ow, pm(p.Objective), m, paired(vs))
				if p.Recommended {
					line += " *"
				}
				b.WriteString(line + "\n")
			}
		})
	}
	// The search's races could not tell its moves apart, yet a curve's
	// own replications tell one of its points better: say so rather than
	// leave a recommendation the output contradicts. Once, for the best;
	// split decides which points are (Result.AboveRecommendation).
	if a := r.AboveRecommendation; a != nil && len(a.Points) > 0 {
		better := a.Points[0]
		// Each point is judged at 95%: among several, one may pass by
		// chance, so the note says how many and asks for a check.
		above, aboveProps := "recommendation", "recommended"
		if rec != "recommended" {
			above, aboveProps = "search's best", "search's best split's"
		}
		fmt.Fprintf(&b, "\n  ! the curves put a split above the %s: %s at %s (the rest in the %s%s"+
			"proportions) gives %s %s more (95%%, paired, %d replications;%s"+
			"one of %d points compared, so it may be chance): the search may have stopped short, its races unable%s"+
			"to tell its moves apart; check it with compare --change, or run split with more --reps\n",
			above, better.Member, format.Money(better.Budget), aboveProps, br2, figure, signedPM(better.VsRecommended), better.VsRecommended.N, br2, a.Compared, br2)
	}
	return b.String()
}

// keepCurrentAdvice is split's recommendation when the verdict (of
// Result.Judge) does not put the search's best split above the current
// one: keep the current split, as the search's gain may be chance, and,
// for a difference within noise, about how many replications would tell
// it were it as measured.
func keepCurrentAdvice(r *split.Result, verdict, br2 string) string {
	why := fmt.Sprintf("%d fresh replications cannot tell it from the current split", r.Diff.N)
	switch verdict {
	case split.VerdictWorse:
		why = fmt.Sprintf("%d fresh replications put it below the current split", r.Diff.N)
	case split.VerdictNoEvidence:
		why = "the same difference in each of its fresh replications is no evidence"
	}
	s := fmt.Sprintf("  recommendation: keep the current split: the search's best gained on the search's own replications,%sbut %s", br2, why)
	if n := split.RepsNeeded(r.Diff); verdict == split.VerdictAlike && n > r.Diff.N {
		s += fmt.Sprintf(";%sabout %d replications would tell them apart, were the difference as measured", br2, n)
		if r.Objective == split.Measured || r.FreshSeed == 0 || len(r.Recommended.Set) == 0 {
			// No compare below to run (the measured objective is no
			// metric of compare): split again with more.
			s += fmt.Sprintf(" (split --reps %d)", n)
		} else {
			s += " (the compare below)"
		}
	}
	return s + "\n"
}

// undecidedCompare is the compare that settles the move split could not
// tell (u), from the split it reached (the recommended one, as --set
// flags unless it kept the current), at about u.RepsNeeded replications:
// in the scenario's own amounts, as the --set flags are, so that under
// the split's --duration compare scales them alike. "" for the measured
// objective, which is no metric of compare.
func undecidedCompare(r *split.Result, u *split.Undecided, kept bool, adv SplitAdvice) string {
	if r.Objective == split.Measured || u.RepsNeeded < 2 {
		return ""
	}
	amount := u.Amount
	if r.SetScale > 0 {
		amount /= r.SetScale
	}
	cents := math.Round(amount * 100)
	if cents < 1 {
		return "" // no move of a whole cent in the scenario's amounts
	}
	var flags []string
	if !kept && len(r.Recommended.Set) > 0 {
		flags = append(flags, setFlags(r.Recommended.Set))
	}
	flags = append(flags, "--move "+shellWord(fmt.Sprintf("%s:%s=%s", u.From, u.To, strconv.FormatFloat(cents/100, 'f', -1, 64))))
	return adv.compareCmd(r, strings.Join(flags, " "), fmt.Sprintf("--reps %d", u.RepsNeeded))
}

// pairedColumnWidth is the least terminal width at which split's response
// curves show each point's paired difference from the recommendation: a
// row is then about 70 columns, past a narrower terminal's.
const pairedColumnWidth = 72

// splitSpendNote says, when the group's spend differs between the current
// and the recommended split (beyond chance and by more than 1%), that the
// verdict is not of one budget divided two ways: a member's total, cap
// or market held one side's spend down. "" otherwise, or when the
// comparison's metrics leave out the group's spend. br2 breaks its lines
// (a space where the table wraps its prose to a width).
func splitSpendNote(r *split.Result, br2 string) string {
	m, ok := r.Metrics["groups."+r.Group+".spend"]
	if !ok || !spendDiffers(m) {
		return ""
	}
	more := "more"
	if m.Diff.Mean < 0 {
		more = "less"
	}
	abs := m.Diff
	abs.Mean, abs.Lo, abs.Hi = math.Abs(m.Diff.Mean), math.Abs(m.Diff.Mean)-m.Diff.HalfWidth(), math.Abs(m.Diff.Mean)+m.Diff.HalfWidth()
	rel := ""
	if m.Baseline.Mean != 0 {
		rel = fmt.Sprintf(" (%+.1f%%)", 100*m.Diff.Mean/math.Abs(m.Baseline.Mean))
	}
	weigh := "; --objective incremental_profit weighs the spend"
	if strings.HasSuffix(r.Objective, "_profit") {
		weigh = " (the objective, a profit, weighs the spend)"
	}
	return fmt.Sprintf("  note: the recommended split spends %s %s%s than the current (groups.%s.spend):%s"+
		"a member's total, cap or market limits what it spends, so the difference is not of one budget%s"+
		"divided two ways%s\n",
		pm(abs), more, rel, r.Group, br2, br2, weigh)
}

// spendDiffers reports whether a group's spend differs beyond chance and
// by more than 1% of the baseline's: split's and compare's notes say so.
func spendDiffers(m experiment.ComparedMetric) bool {
	return (m.Higher() || m.Lower()) && math.Abs(m.Diff.Mean) > 0.01*math.Abs(m.Baseline.Mean)
}

// compareSpendNote says, under compare's headline of a group's value (a
// split compared: --move, --variant, a group's budgets), that the group
// spends more or less in the variant (spendDiffers, split's rule for its
// own note) and what the difference is net of that spend, the group's
// profit of the same kind: a value bought with more spend is not one
// budget divided better, and a headline "higher" can be a loss. "" for
// any other headline, a profit (which weighs the spend) among them, or
// when the spend is the same. n is the replications, for the verdict.
func compareSpendNote(metric string, metrics map[string]experiment.ComparedMetric, n int) string {
	rest, ok := strings.CutPrefix(metric, "groups.")
	group, figure, _ := strings.Cut(rest, ".")
	if !ok || strings.HasSuffix(figure, "_profit") || !strings.Contains(figure, "value") && !strings.Contains(figure, "conversions") {
		return ""
	}
	sp, ok := metrics["groups."+group+".spend"]
	if !ok || !spendDiffers(sp) {
		return ""
	}
	profit := "incremental_profit"
	if strings.Contains(figure, "attributed") {
		profit = "attributed_profit"
	}
	if strings.HasPrefix(figure, "eventual.") {
		profit = "eventual." + profit
	}
	more := "more"
	if sp.Diff.Mean < 0 {
		more = "less"
	}
	abs := sp.Diff
	abs.Mean, abs.Lo, abs.Hi = math.Abs(sp.Diff.Mean), math.Abs(sp.Diff.Mean)-sp.Diff.HalfWidth(), math.Abs(sp.Diff.Mean)+sp.Diff.HalfWidth()
	note := fmt.Sprintf("  note: the group spends %s %s in the variant (%s, groups.%s.spend)", plainPM(abs), more, fmtRel(sp), group)
	name := "groups." + group + "." + profit
	if pm, ok := metrics[name]; ok && !null(pm) {
		note += fmt.Sprintf("; net of it, %s: %s (%s): %s", name, plainPM(pm.Diff), fmtRel(pm), pm.Verdict(n))
	}
	// Within 80 columns, as the rest of compare's prose, ± kept with
	// its figures.
	return wrapProse(note+"\n", 80)
}

// setFlags are path assignments as --set flags to paste, each quoted for
// a shell when it must be ({total: 0}).
func setFlags(sets []string) string { return flagsOf("--set", sets) }

// flagsOf are path assignments as flag's (--set, --change) to paste,
// each quoted for a shell when it must be ({total: 0}).
func flagsOf(flag string, sets []string) string {
	var parts []string
	for _, a := range sets {
		parts = append(parts, flag+" "+shellWord(a))
	}
	return strings.Join(parts, " ")
}

// shellWord is w as one word a shell reads back as written: as is when
// it holds only letters, digits, marks and ._=:/,@%+- (a bidder named
// o'brien, a b or x$y would otherwise end a quote, split the word or
// expand a variable); else in single quotes (one inside closed, escaped
// and reopened), or in Bash's $'…' where a character is not printable.
func shellWord(w string) string {
	plain := w != ""
	for _, r := range w {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || strings.ContainsRune("._=:/,@%+-", r)) {
			plain = false
		}
		if !unicode.IsPrint(r) {
			q := strconv.Quote(w)
			return "$'" + strings.ReplaceAll(q[1:len(q)-1], "'", `\'`) + "'"
		}
	}
	if plain {
		return w
	}
	return "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
}

// splitVariants writes split's optima of both objectives, each against
// the current split.
func splitVariants(b *splitText, r *split.Result) {
	if len(r.Variants) == 0 {
		return
	}
	fmt.Fprintf(b, "\nthe optima of both objectives, each against the current split (baseline), paired on the\nsame replications; incremental_profit = incremental_value − spend (* the interval excludes 0):\n")
	for _, v := range r.Variants {
		var parts []string
		for _, m := range r.Members {
			parts = append(parts, fmt.Sprintf("%s %s", m, format.Money(v.Budgets[m])))
		}
		fmt.Fprintf(b, "\n  %s (maximises %s):\n    %s\n", v.Name, v.Objective, strings.Join(parts, ", "))
		// The name column as wide as the longest field shown, within
		// the width, as compare's: eventual.incremental_profit took
		// a line of its own at any width.
		nw := compareNameW
		for _, f := range split.OptimaFields {
			if _, ok := v.Metrics["groups."+r.Group+"."+f]; ok {
				nw = max(nw, ansi.StringWidth(f))
			}
		}
		nw = capNameW(nw, b.width)
		b.rows(func(b *strings.Builder) {
			if len(v.Set) > 0 {
				fmt.Fprintf(b, "    %s\n", setFlags(v.Set))
			}
			compareHeaderW(b, nw)
			for _, f := range split.OptimaFields {
				if m, ok := v.Metrics["groups."+r.Group+"."+f]; ok {
					compareRowW(b, f, m, nw)
				}
			}
		})
	}
}

// pm is a statistic as mean ± half-width to two decimals; one whose
// every replication agreed, too few of them to tell anything by that
// alone (stats.Stat.Degenerate), as its mean and "(N alike)", as short
// as a ± to keep the columns.
func pm(s stats.Stat) string {
	if math.IsNaN(s.Mean) || math.IsInf(s.Mean, 0) {
		return format.Dash
	}
	if math.IsNaN(s.Lo) || math.IsInf(s.Lo, 0) {
		return fmt.Sprintf("%.2f", s.Mean)
	}
	if s.Alike() {
		// Every replication gave the same figure: no spread to measure
		// over so few, not a certainty (± 0.00 read as one).
		return AlikeCell(fmt.Sprintf("%.2f", s.Mean), s.N)
	}
	return fmt.Sprintf("%.2f ± %.2f", s.Mean, s.HalfWidth())
}

// pairedPM is a paired difference, text (pm's or FormatPM's of s), with
// what it is: "(95%, paired)", with reps its replications too. One whose
// few replications all agreed reads "+3.00 (3 alike, paired)": it has no
// 95% interval to name, and "(3 alike) (95%, paired)" claimed one.
func pairedPM(s stats.Stat, text string, reps bool) string {
	if s.Alike() && strings.HasSuffix(text, " alike)") {
		return strings.TrimSuffix(text, ")") + ", paired)"
	}
	if reps {
		return fmt.Sprintf("%s (95%%, paired, %d replications)", text, s.N)
	}
	return text + " (95%, paired)"
}

func signedPM(s stats.Stat) string {
	t := pm(s)
	if s.Mean > 0 {
		t = "+" + t
	}
	return t
}

// SplitPartial is an interrupted split's JSON: the split the search had
// reached, not checked on fresh replications, as split --json writes it
// to stdout when cut short (its keys as the whole result's).
type SplitPartial struct {
	Partial   bool   `json:"partial"` // always true
	Group     string `json:"group"`
	Budget    string `json:"budget"`
	Objective string `json:"objective"`
	Rounds    int    `json:"rounds"`
	// Reached is the split the search had reached, in the scenario's
	// amounts, with its --set flags; null before the first move was
	// decided.
	Reached *SplitReached `json:"reached"`
	// SetScale is the whole result's "set_scale": with a shortened
	// horizon, each "set" is in the scenario's own amounts, the
	// "budgets" ÷ SetScale. Absent when not scaled.
	SetScale float64 `json:"set_scale,omitempty"`
}

// SplitReached is a split the search reached: each member's budget and
// the split as path assignments.
type SplitReached struct {
	Budgets map[string]float64 `json:"budgets"`
	Set     []string           `json:"set"`
}

// NewSplitPartial is s's interrupted result for its objective.
func NewSplitPartial(s *split.Search, objective string) SplitPartial {
	out := SplitPartial{Partial: true, Group: s.Group, Budget: s.Budget, Objective: objective, Rounds: s.Rounds, SetScale: s.SetsScale()}
	if s.Rounds > 0 {
		r := &SplitReached{Budgets: map[string]float64{}}
		for k, m := range s.Members {
			r.Budgets[m] = split.Amount(s.Reached[k])
		}
		if s.Budget != "" {
			r.Set = s.Sets(s.Reached)
		}
		out.Reached = r
	}
	return out
}

// SplitInterrupted says, for stderr, where a split search cut short
// stood: the split it had reached (not checked on fresh replications),
// or that no move had been decided.
func SplitInterrupted(s *split.Search) string {
	if s.Rounds == 0 {
		return "interrupted before the first move was decided; no recommendation"
	}
	var parts []string
	for k, m := range s.Members {
		parts = append(parts, fmt.Sprintf("%s %s", m, format.Money(split.Amount(s.Reached[k]))))
	}
	what, set := "split", ""
	if s.Budget == split.Daily {
		what = "split of the daily budgets"
	}
	if s.Budget != "" { // a search New set up, which knows its members' paths
		set = "\n  to try it: " + setFlags(s.Sets(s.Reached))
	}
	return fmt.Sprintf("interrupted after %d %s; the %s reached so far, not checked on fresh replications: %s%s",
		s.Rounds, format.Plural(s.Rounds, "round", "rounds"), what, strings.Join(parts, ", "), set)
}

// maturedOf is the matured figure beside an eventual one of a bidder or a
// group (groups.G.incremental_value of groups.G.eventual.incremental_value);
// false for any other metric.
func maturedOf(metric string) (string, bool) {
	kind, rest, _ := strings.Cut(metric, ".")
	who, m, _ := strings.Cut(rest, ".")
	if (kind != "groups" && kind != "bidders") || !strings.HasPrefix(m, "eventual.") {
		return "", false
	}
	return kind + "." + who + "." + strings.TrimPrefix(m, "eventual."), true
}
