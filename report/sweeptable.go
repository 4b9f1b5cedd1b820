package report

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim/experiment"
	"github.com/auctionsim/auctionsim/sim/stats"
	"github.com/charmbracelet/x/ansi"
)

// SweepTable is a sweep's table: one row a point, each metric as mean ±
// half-width. Piped: lines as long as they come (SweepTableWidth for a
// terminal).
func SweepTable(res *experiment.Result) string {
	return sweepTable(res, experiment.NewSweepResult(res), 0)
}

// SweepTableWidth is SweepTable for a terminal width columns wide (0:
// unknown, piped). Where the piped table's rows are wider, the columns
// close up, the longest metric names shorten (a legend below names
// them) and the paired column's header takes two lines; where that is
// still too wide, the metrics' columns come in blocks one under another,
// each with the varied values; where a column does not fit beside the
// varied values even alone, each point comes as a paragraph, its values
// over its figures (stackedSweep). A figure is never cut, and the prose
// wraps at spaces, never inside a mean ± half-width.
func SweepTableWidth(res *experiment.Result, width int) string {
	return sweepTable(res, experiment.NewSweepResult(res), width)
}

// sweepTable is SweepTableWidth with hi, res read
// (experiment.NewSweepResult), given by an emission that has read it
// already for the JSON.
func sweepTable(res *experiment.Result, hi experiment.SweepResult, width int) string {
	var b strings.Builder
	sp := res.Spec
	var fields []string
	for _, v := range sp.Vary {
		fields = append(fields, v.Path)
	}
	title := fmt.Sprintf("%s: sweep of %s, %d %s a point (seed %d), mean ± 95%% half-width",
		sp.Scenario, strings.Join(fields, " × "), res.Agg.Reps(), format.Plural(res.Agg.Reps(), "replication", "replications"), sp.Seed)
	if res.Partial {
		title += " (partial)"
	}
	head, rows := wrapProse(title+"\n", width), sweepRows(res, hi, fields, width)
	b.WriteString(head + "\n")
	if need := widest(head + rows); width > 0 && need > width {
		// A word that cannot break (a long path, a figure) folds: said
		// first, with the width that holds every line.
		b.WriteString(needsNote(need, width))
	}
	b.WriteString(rows)
	if h := hi.Highest; h != nil {
		at := func(p int) string {
			var parts []string
			for j, v := range sp.Vary {
				parts = append(parts, v.Path+"="+sp.Points[p].Values[j])
			}
			return strings.Join(parts, ", ")
		}
		b.WriteString("\n" + wrapProse(highestLines(h.Metric, "at "+at(h.Point), "at "+at(h.RunnerUp), h.Diff, sweepNum(res, hi, h.Metric)), width))
	}
	has := func(prefix string) bool {
		return slices.ContainsFunc(sp.Metrics, func(m string) bool { return strings.HasPrefix(m, prefix) })
	}
	// Theory beside the whole run's figures, not those since the change.
	if has("theory.") && !has("since_change.") && len(sp.Points) > 0 {
		// The points' YAML is the scenario's with the varied values: its
		// script is every point's.
		end := 0.0 // the latest any point's runs stopped
		for p := range sp.Points {
			end = max(end, runsEnd(res, p))
		}
		if sc, err := scenarios.Parse(sp.Points[0].Name, []byte(sp.Points[0].YAML)); err == nil && scriptChanges(sc.Config, end) {
			b.WriteString("\n" + wrapProse(scriptedTheoryNote(), width))
		}
	}
	return b.String()
}

// sweepCol is a column of a sweep's table: its header's lines (the last
// beside the other columns' headers), one cell a point, and its width.
type sweepCol struct {
	head  []string
	cells []string
	w     int
	left  bool // the varied values: aligned left
}

// newSweepCol is a column as wide as its header and cells, and at
// least least cells.
func newSweepCol(head []string, cells []string, least int, left bool) sweepCol {
	c := sweepCol{head: head, cells: cells, w: least, left: left}
	for _, s := range slices.Concat(head, cells) {
		c.w = max(c.w, ansi.StringWidth(s))
	}
	return c
}

// sweepRows are a sweep's table's header and rows, for width (0: piped,
// the table as it has always been).
func sweepRows(res *experiment.Result, hi experiment.SweepResult, fields []string, width int) string {
	sp := res.Spec
	cells := func(metric string) []string { return sweepMetricCells(res, hi, metric) }
	// The first metric's paired difference from the highest point: the
	// points share their seeds, so this, not the overlap of their own
	// intervals, tells whether a point is below the highest.
	paired := sweepPairedCells(res, hi)
	varied := func(least int) []sweepCol {
		var cols []sweepCol
		for j, h := range headers(fields, 12) {
			vals := make([]string, len(sp.Points))
			for p, pt := range sp.Points {
				if j < len(pt.Values) {
					vals[p] = pt.Values[j]
				}
			}
			cols = append(cols, newSweepCol([]string{h}, vals, least, true))
		}
		return cols
	}

	// As it has always been: columns at least 12 (varied) and 20
	// (metrics) wide, a space after each.
	const vw, mw = 12, 20
	mh := metricHeaders(sp.Metrics, mw)
	wide := varied(vw)
	// A metric's column is as wide as its header: a wider figure has
	// always pushed the rest of its row along.
	headed := func(head string, cells []string) sweepCol {
		return sweepCol{head: []string{head}, cells: cells, w: max(mw, ansi.StringWidth(head))}
	}
	for j, m := range sp.Metrics {
		wide = append(wide, headed(mh[j], cells(m)))
	}
	if paired != nil {
		wide = append(wide, headed(mh[0]+" − highest (paired)", paired))
	}
	text := renderSweepCols(wide, " ", true)
	if width <= 0 || fitsWidth(text, width) {
		if width > 0 {
			text = trimLineEnds(text) // a space past the last column could wrap
		}
		return text
	}

	// Closed up: each column as wide as its header and cells, two
	// spaces apart; the names shortened, the paired header on two lines.
	short, legend := shortMetricHeaders(sp.Metrics)
	keys := varied(0)
	var cols []sweepCol
	for j, m := range sp.Metrics {
		cols = append(cols, newSweepCol([]string{short[j]}, cells(m), 0, false))
	}
	if paired != nil {
		cols = append(cols, newSweepCol([]string{short[0], "− highest (paired)"}, paired, 0, false))
	}
	var b strings.Builder
	for i, block := range sweepBlocks(keys, cols, width) {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(trimLineEnds(renderSweepCols(slices.Concat(keys, block), "  ", false)))
	}
	if !fitsWidth(b.String(), width) {
		// A column that does not fit beside the varied values even alone
		// (long paths, a narrow terminal) would fold: each point then
		// comes as a paragraph, its values over its figures.
		b.Reset()
		var labels []string
		for _, c := range cols {
			labels = append(labels, strings.Join(c.head, " "))
		}
		b.WriteString(stackedSweep(keys, labels, cols, width))
	}
	if len(legend) > 0 {
		b.WriteString(wrapProse(strings.Join(legend, "; ")+"\n", width))
	}
	return b.String()
}

// sweepMetricCells are a metric's column of a sweep's table, a cell a
// point: its means without an interval to the same decimals
// (sweepNum), 20 over 1000, not 20.00.
func sweepMetricCells(res *experiment.Result, hi experiment.SweepResult, metric string) []string {
	ss := sweepStats(res, metric)
	num := sweepNum(res, hi, metric)
	out := make([]string, len(ss))
	for p, s := range ss {
		out[p] = formatPMWith(s, num)
	}
	return out
}

// sweepStats are metric's statistics, one a point.
func sweepStats(res *experiment.Result, metric string) []stats.Stat {
	ss := make([]stats.Stat, len(res.Spec.Points))
	for p := range res.Spec.Points {
		ss[p], _ = res.Agg.Stat(p, metric)
	}
	return ss
}

// vsHighest are the points' paired differences from the highest point
// (none at it, nor without one).
func vsHighest(res *experiment.Result, hi experiment.SweepResult) []stats.Stat {
	if hi.Highest == nil {
		return nil
	}
	var vss []stats.Stat
	for p := range res.Spec.Points {
		if v := hi.Points[p].VsHighest; v != nil && p != hi.Highest.Point {
			vss = append(vss, *v)
		}
	}
	return vss
}

// sweepNum is how metric's column writes its means without an interval
// (columnNum). The highest's metric shares it with the paired column
// and the line under the table: one rule for the figures and their
// differences, so that 1000 − 20 reads -980 beside them, not -980.0.
func sweepNum(res *experiment.Result, hi experiment.SweepResult, metric string) func(float64) string {
	ss := sweepStats(res, metric)
	if hi.Highest != nil && metric == hi.Highest.Metric {
		ss = append(ss, vsHighest(res, hi)...)
	}
	return columnNum(ss)
}

// sweepPairedCells are the paired column of a sweep's table, each
// point's difference from the highest ("highest" at that one), to the
// decimals of the highest's metric (sweepNum); nil without a highest
// point.
func sweepPairedCells(res *experiment.Result, hi experiment.SweepResult) []string {
	if hi.Highest == nil {
		return nil
	}
	num := sweepNum(res, hi, hi.Highest.Metric)
	var out []string
	for p := range res.Spec.Points {
		vs := format.Dash
		if p == hi.Highest.Point {
			vs = "highest"
		} else if v := hi.Points[p].VsHighest; v != nil {
			vs = formatPMWith(*v, num)
		}
		out = append(out, vs)
	}
	return out
}

// stackedSweep is a sweep's table for a terminal too narrow for its
// columns: a paragraph a point, its varied values (keys' headers and
// cells) on the first line, then a line a figure, its label (labels,
// one a column of cols) and its mean ± half-width, aligned; where a label
// and its figure do not fit on one line, the figure goes under the
// label. A figure is never cut: where even that is too wide, the table
// says first how many columns it needs (sweepTable).
func stackedSweep(keys []sweepCol, labels []string, cols []sweepCol, width int) string {
	labelW, figW := 0, 0
	for i, c := range cols {
		labelW = max(labelW, ansi.StringWidth(labels[i]))
		for _, f := range c.cells {
			figW = max(figW, ansi.StringWidth(f))
		}
	}
	const indent = "  "
	oneLine := len(indent)+labelW+2+figW <= width
	rows := 0
	for _, c := range cols {
		rows = max(rows, len(c.cells))
	}
	// A point's values on one line where they fit, else one a line.
	var at [][]string
	for p := range rows {
		var vals []string
		for _, k := range keys {
			if p < len(k.cells) {
				vals = append(vals, k.head[len(k.head)-1]+"="+k.cells[p])
			}
		}
		at = append(at, vals)
	}
	var b strings.Builder
	for p := range rows {
		if p > 0 {
			b.WriteString("\n")
		}
		if line := strings.Join(at[p], ", "); ansi.StringWidth(line) <= width {
			b.WriteString(line + "\n")
		} else {
			b.WriteString(strings.Join(at[p], "\n") + "\n")
		}
		for i, c := range cols {
			fig := ""
			if p < len(c.cells) {
				fig = c.cells[p]
			}
			if oneLine {
				b.WriteString(indent + labels[i] + strings.Repeat(" ", labelW-ansi.StringWidth(labels[i])) + "  " + format.PadLeft(fig, figW) + "\n")
				continue
			}
			b.WriteString(indent + labels[i] + "\n" + indent + indent + fig + "\n")
		}
	}
	return b.String()
}

// widest is the widest line of text, in cells.
func widest(text string) int {
	w := 0
	for _, l := range strings.Split(text, "\n") {
		w = max(w, ansi.StringWidth(l))
	}
	return w
}

// needsNote says that a table needs need columns where the terminal has
// width.
func needsNote(need, width int) string {
	return wrapProse(fmt.Sprintf("(this table needs %d columns, the terminal has %d: its longer lines fold)\n", need, width), width)
}

// shortMetricHeaders are metrics' shortest headers, each its shortest
// unique suffix with the longest names abbreviated, and the legend naming
// the metric of each abbreviated one.
func shortMetricHeaders(metrics []string) (heads, legend []string) {
	abbrev := map[string]string{
		"revenue_per_auction": "rev/auction",
		"mean_clearing_price": "mean price",
	}
	heads = metricHeaders(metrics, 0)
	for i, h := range heads {
		if a, ok := abbrev[h]; ok {
			heads[i] = a
			legend = append(legend, a+": "+metrics[i])
		}
	}
	return heads, legend
}

// sweepBlocks deals cols into as few blocks as fit width beside keys (a
// column too wide for any takes a block alone), as even in count as
// still fit, in order.
func sweepBlocks(keys, cols []sweepCol, width int) [][]sweepCol {
	const gap = 2
	keyW := 0
	for _, k := range keys {
		keyW += k.w + gap
	}
	fits := func(block []sweepCol) bool {
		w := keyW - gap
		for _, c := range block {
			w += gap + c.w
		}
		return w <= width
	}
	var greedy [][]sweepCol
	for _, c := range cols {
		if n := len(greedy); n > 0 && fits(append(slices.Clone(greedy[n-1]), c)) {
			greedy[n-1] = append(greedy[n-1], c)
			continue
		}
		greedy = append(greedy, []sweepCol{c})
	}
	// The same number of blocks, the earlier ones a column more where
	// the count does not divide: five columns as three and two, not
	// four and one.
	k := len(greedy)
	var even [][]sweepCol
	for i, rest := 0, cols; i < k; i++ {
		n := (len(rest) + k - i - 1) / (k - i)
		if !fits(rest[:n]) {
			return greedy
		}
		even = append(even, rest[:n])
		rest = rest[n:]
	}
	return even
}

// renderSweepCols writes cols side by side: the headers bottom-aligned,
// then a row a point, sep after each column (after the last too when
// trailing, as the piped table always had it).
func renderSweepCols(cols []sweepCol, sep string, trailing bool) string {
	var b strings.Builder
	heads, rows := 0, 0
	for _, c := range cols {
		heads, rows = max(heads, len(c.head)), max(rows, len(c.cells))
	}
	line := func(cell func(c sweepCol) string) {
		for i, c := range cols {
			s := cell(c)
			switch {
			case c.left && (i < len(cols)-1 || trailing):
				b.WriteString(s + strings.Repeat(" ", max(0, c.w-ansi.StringWidth(s))))
			case c.left:
				b.WriteString(s)
			default:
				b.WriteString(format.PadLeft(s, c.w))
			}
			if i < len(cols)-1 || trailing {
				b.WriteString(sep)
			}
		}
		b.WriteString("\n")
	}
	for y := range heads {
		line(func(c sweepCol) string {
			if k := y - (heads - len(c.head)); k >= 0 {
				return c.head[k]
			}
			return ""
		})
	}
	for p := range rows {
		line(func(c sweepCol) string {
			if p < len(c.cells) {
				return c.cells[p]
			}
			return ""
		})
	}
	return b.String()
}

// fitsWidth says every line of text is at most width cells.
func fitsWidth(text string, width int) bool {
	for _, l := range strings.Split(text, "\n") {
		if ansi.StringWidth(l) > width {
			return false
		}
	}
	return true
}

// trimLineEnds drops the spaces that end text's lines.
func trimLineEnds(text string) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

// keepPM joins a mean ± half-width's three words, and a mean's
// "(N alike)" (AlikeCell), for wrapping (unkeepPM undoes it): a figure
// split across lines misreads.
func keepPM(s string) string {
	return alikeWords.ReplaceAllString(pmWords.Replace(s), "\x1f($1\x1falike)")
}

var (
	pmWords    = strings.NewReplacer(" ± ", "\x1f±\x1f")
	alikeWords = regexp.MustCompile(` \(([0-9]+) alike\)`)
	unkeepPM   = strings.NewReplacer("\x1f", " ")
)

// wrapProse is text with each line longer than width (0: unknown, none
// is) wrapped at spaces, by display width (a wide character takes two
// columns), never inside a mean ± half-width, its continuation indented
// two more than its first line.
func wrapProse(text string, width int) string {
	if width <= 0 {
		return text
	}
	var b strings.Builder
	for _, line := range strings.SplitAfter(text, "\n") {
		body := strings.TrimSuffix(line, "\n")
		if ansi.StringWidth(body) <= width {
			b.WriteString(line)
			continue
		}
		trimmed := strings.TrimLeft(body, " ")
		indent := body[:len(body)-len(trimmed)]
		w := max(20, width-len(indent)-2)
		fits := func(l string) bool { return ansi.StringWidth(unkeepPM.Replace(l)) <= w }
		for i, l := range format.WrapBy(keepPM(trimmed), fits) {
			l = unkeepPM.Replace(l)
			if i > 0 {
				b.WriteString("\n" + indent + "  " + l)
			} else {
				b.WriteString(indent + l)
			}
		}
		if strings.HasSuffix(line, "\n") {
			b.WriteString("\n")
		}
	}
	return b.String()
}
