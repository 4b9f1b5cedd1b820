package report

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim/experiment"
	"github.com/charmbracelet/x/ansi"
)

// sweepOfMetrics is a sweep of the floor from 0 to 0.9 (and, with tmax,
// of two timeouts besides) over 5 replications a point, each metric's
// figures differing by point and replication so that every cell is a
// mean ± a half-width of a few digits, as a real sweep's.
func sweepOfMetrics(metrics []string, tmax bool) *experiment.Result {
	spec := &experiment.Spec{Command: "sweep", Scenario: "reserve-price", Seed: 1, Metrics: metrics,
		Vary: []experiment.Vary{{Path: "exchange.floor"}}}
	if tmax {
		spec.Vary = append(spec.Vary, experiment.Vary{Path: "exchange.tmax"})
	}
	for f := range 10 {
		floor := fmt.Sprintf("%.1f", float64(f)/10)
		if !tmax {
			spec.Points = append(spec.Points, experiment.PointSpec{Values: []string{floor}})
			continue
		}
		for _, t := range []string{"60ms", "120ms"} {
			spec.Points = append(spec.Points, experiment.PointSpec{Values: []string{floor, t}})
		}
	}
	agg := experiment.NewAgg(len(spec.Points), false)
	agg.KeepValues() // for the paired differences from the highest
	for r := range 5 {
		for p := range spec.Points {
			vals := experiment.Values{}
			for i, m := range metrics {
				x := float64(p) / 10
				vals[m] = 3.3 + 3*x - 3.1*x*x + float64(i) + 0.0137*float64(r*(p%3+1)) + 0.00071*float64(r*r)
			}
			agg.Add(experiment.Item{Index: r*len(spec.Points) + p, Point: p, Rep: r, Values: vals})
		}
	}
	return &experiment.Result{Spec: spec, Agg: agg}
}

// TestSweepTableWidth: on an 80-column terminal a sweep's table, of two
// metrics with theory's, of the default three, of four, over two fields,
// and with a since_change metric, has no line past 80 cells, and every
// figure, the paired differences' too, whole on one line (the piped
// table's rows are 95 to 110 cells, which a terminal folds mid-number).
func TestSweepTableWidth(t *testing.T) {
	for _, tc := range []struct {
		name    string
		metrics []string
		tmax    bool
	}{
		{"theory", []string{"exchange.revenue_per_auction", "theory.revenue_per_auction"}, false},
		{"default", []string{"exchange.revenue", "exchange.fill_rate", "exchange.mean_clearing_price"}, false},
		{"four", []string{"exchange.revenue", "exchange.fill_rate", "exchange.mean_clearing_price", "exchange.timeout_rate"}, false},
		{"two fields", []string{"exchange.revenue", "exchange.fill_rate", "exchange.mean_clearing_price"}, true},
		{"since change", []string{"since_change.revenue_per_auction", "theory.revenue_per_auction", "exchange.revenue_per_auction"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := sweepOfMetrics(tc.metrics, tc.tmax)
			hi := experiment.NewSweepResult(res)
			if hi.Highest == nil {
				t.Fatal("no highest point: the paired column is not drawn")
			}
			table := SweepTableWidth(res, 80)
			lines := strings.Split(table, "\n")
			for _, l := range lines {
				if w := ansi.StringWidth(l); w > 80 {
					t.Errorf("a line of %d cells:\n%s", w, l)
				}
				if strings.HasSuffix(l, "±") || strings.HasPrefix(strings.TrimLeft(l, " "), "±") {
					t.Errorf("a figure cut at its ±: %q", l)
				}
			}
			// Every figure whole on a line that starts with its point's
			// values.
			paired := sweepPairedCells(res, hi)
			for p, pt := range res.Spec.Points {
				var figs []string
				for _, m := range tc.metrics {
					figs = append(figs, sweepMetricCells(res, hi, m)[p])
				}
				if p != hi.Highest.Point {
					figs = append(figs, paired[p])
				}
				for _, f := range figs {
					if !slices.ContainsFunc(lines, func(l string) bool {
						return rowOf(l, pt.Values) && strings.Contains(l, f)
					}) {
						t.Errorf("point %v: no row with %q whole:\n%s", pt.Values, f, table)
					}
				}
			}
			if !strings.Contains(table, "− highest (paired)") {
				t.Errorf("no paired column:\n%s", table)
			}
		})
	}
}

// rowOf says line is the row of the point of values: its first words.
func rowOf(line string, values []string) bool {
	words := strings.Fields(line)
	return len(words) >= len(values) && slices.Equal(words[:len(values)], values)
}

// TestSweepTableWidthWide: a terminal wide enough for the piped table
// has it as it is, but for the spaces that ended its lines; a pipe (0)
// has it unchanged, trailing spaces and all.
func TestSweepTableWidthWide(t *testing.T) {
	res := sweepOfMetrics([]string{"exchange.revenue", "exchange.fill_rate", "exchange.mean_clearing_price"}, false)
	piped := SweepTable(res)
	if SweepTableWidth(res, 0) != piped {
		t.Error("width 0 is not the piped table")
	}
	if !strings.Contains(piped, "mean_clearing_price revenue − highest (paired) \n") {
		t.Errorf("the piped table changed:\n%s", piped)
	}
	if got := SweepTableWidth(res, 200); got != trimLineEnds(piped) {
		t.Errorf("at 200 columns:\n%s\npiped:\n%s", got, piped)
	}
}

// TestSweepTableWidthLegend: a name shortened past its metric's last
// part is named in full below the table.
func TestSweepTableWidthLegend(t *testing.T) {
	table := SweepTableWidth(sweepOfMetrics([]string{"exchange.revenue_per_auction", "theory.revenue_per_auction"}, false), 80)
	if !strings.Contains(table, "\nrev/auction: exchange.revenue_per_auction\n") || !strings.Contains(table, "theory rev/auction") {
		t.Errorf("no legend:\n%s", table)
	}
}

// TestSweepBlocksEven: columns that need two blocks come as evenly as
// fit, in order: five as three and two.
func TestSweepBlocksEven(t *testing.T) {
	keys := []sweepCol{{w: 5}}
	cols := []sweepCol{{w: 13}, {w: 15}, {w: 17}, {w: 15}, {w: 18}}
	blocks := sweepBlocks(keys, cols, 80)
	if len(blocks) != 2 || len(blocks[0]) != 3 || len(blocks[1]) != 2 {
		t.Errorf("blocks of %d", len(blocks))
	}
	// One too wide for any block takes one alone rather than being cut.
	blocks = sweepBlocks(keys, []sweepCol{{w: 90}, {w: 10}}, 80)
	if len(blocks) != 2 || blocks[0][0].w != 90 {
		t.Errorf("%+v", blocks)
	}
}

// TestWrapProseKeepsFigures: prose wraps at spaces but never inside a
// mean ± half-width.
func TestWrapProseKeepsFigures(t *testing.T) {
	text := "  the next highest, at exchange.floor=0.4, is 0.0082 ± 0.0033 lower (95%, paired, 5 replications)\n" +
		"  the next highest, at exchange.floor=0.4, is 0.0082 (3 alike) lower (95%, paired, 3 replications)\n"
	for w := 20; w <= 100; w++ {
		got := wrapProse(text, w)
		if !strings.Contains(got, "0.0082 ± 0.0033") || !strings.Contains(got, "0.0082 (3 alike)") {
			t.Fatalf("width %d:\n%s", w, got)
		}
		for _, l := range strings.Split(got, "\n") {
			if ansi.StringWidth(l) > max(w, 24) {
				t.Errorf("width %d: %q", w, l)
			}
		}
	}
}

// TestSweepTableNarrow: on a terminal narrower than a column beside the
// varied values (a bidder's budget path and the floor at 50 columns:
// the paired column's figures did not fit beside them even alone, and
// the terminal folded it), the table comes a paragraph a point: no line
// past the width, every figure whole on a line under a line naming its
// point's values. Down to 24 columns, with one field and with two;
// where a figure is wider than the terminal (these, to 12 decimals), the
// table says first how many columns it needs, and no line is wider.
func TestSweepTableNarrow(t *testing.T) {
	metrics := []string{"exchange.revenue", "exchange.fill_rate", "exchange.mean_clearing_price"}
	for _, long := range []bool{false, true} {
		res := sweepOfMetrics(metrics, long)
		if long {
			res.Spec.Vary[0].Path = "bidders.acme-retarget.budget.total"
		}
		hi := experiment.NewSweepResult(res)
		for width := 24; width <= 80; width++ {
			table := SweepTableWidth(res, width)
			lines := strings.Split(table, "\n")
			limit := width
			if m := needsRE.FindStringSubmatch(strings.Join(strings.Fields(table), " ")); m != nil {
				limit, _ = strconv.Atoi(m[1])
			}
			for _, l := range lines {
				if strings.HasPrefix(l, "highest") {
					break // the prose under the table: wrapProse's
				}
				if w := ansi.StringWidth(l); w > limit {
					t.Errorf("%d columns: a line of %d cells: %q", width, w, l)
				}
			}
			paired := sweepPairedCells(res, hi)
			for p, pt := range res.Spec.Points {
				var figs []string
				for _, m := range metrics {
					figs = append(figs, sweepMetricCells(res, hi, m)[p])
				}
				if p != hi.Highest.Point {
					figs = append(figs, paired[p])
				}
				for _, f := range figs {
					if !pointHas(lines, pt.Values, f) {
						t.Errorf("%d columns: point %v has no line with %q whole:\n%s", width, pt.Values, f, table)
					}
				}
			}
			if t.Failed() {
				return
			}
		}
	}
}

// needsRE is a narrow table's word on the width it needs.
var needsRE = regexp.MustCompile(`\(this table needs (\d+) columns, the terminal has \d+: its longer lines fold\)`)

// pointHas says lines show figure fig for the point of values: on its
// row (the values its first words), or, in the stacked form, in the
// paragraph under the lines naming them ("floor=0.3, tmax=60ms", or a
// line each).
func pointHas(lines, values []string, fig string) bool {
	var named []string // the values named by the paragraph's first lines
	in := false
	for i, l := range lines {
		if rowOf(l, values) && strings.Contains(l, fig) {
			return true
		}
		if l != "" && !strings.HasPrefix(l, " ") {
			if i == 0 || lines[i-1] == "" || strings.HasPrefix(lines[i-1], " ") {
				named = nil
			}
			named = append(named, strings.Split(l, ", ")...)
			in = len(named) == len(values)
			for k := range named {
				in = in && strings.HasSuffix(named[k], "="+values[k])
			}
			continue
		}
		if in && strings.Contains(l, fig) {
			return true
		}
	}
	return false
}
