package report

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim/experiment"
	"github.com/auctionsim/auctionsim/sim/stats"
)

// sweepOfTmax is a sweep of tmax whose replications at point p each give
// ys[p][rep] for exchange.wait_ms.p95 (as many replications a point).
func sweepOfTmax(ys [][]float64) *experiment.Result {
	spec := &experiment.Spec{Command: "sweep", Scenario: "prebid-server", Seed: 18, Metrics: []string{"exchange.wait_ms.p95"},
		Vary: []experiment.Vary{{Path: "exchange.tmax"}}}
	for p := range ys {
		spec.Points = append(spec.Points, experiment.PointSpec{Values: []string{strings.Repeat("x", p+1)}})
	}
	agg := experiment.NewAgg(len(spec.Points), false)
	agg.KeepValues()
	for r := range ys[0] {
		for p := range ys {
			agg.Add(experiment.Item{Index: r*len(ys) + p, Point: p, Rep: r, Values: experiment.Values{"exchange.wait_ms.p95": ys[p][r]}})
		}
	}
	return &experiment.Result{Spec: spec, Agg: agg}
}

// A sweep's column writes its means without an interval to one set of
// decimals: prebid-server's wait p95 read 20.00, 400.0 … 1000 down one
// column (FormatNum's four significant digits a cell).
func TestSweepTableColumnDecimals(t *testing.T) {
	for _, c := range []struct {
		ys   [][]float64
		want []string // the column's cells, top down
	}{
		{[][]float64{{20, 20}, {400, 400}, {1000, 1000}}, []string{"20 (2 alike)", "400 (2 alike)", "1000 (2 alike)"}},
		{[][]float64{{20}, {300}, {1000}}, []string{"20", "300", "1000"}}, // one replication: no interval
		// The smallest keeps two significant digits: 0.05 is not 0.
		{[][]float64{{0.05, 0.05}, {120, 120}}, []string{"0.050 (2 alike)", "120.000 (2 alike)"}},
		{[][]float64{{0, 0}, {2.5, 2.5}}, []string{"0 (2 alike)", "2.500 (2 alike)"}},
		// e-notation where a figure needs it, as before.
		{[][]float64{{0.0002, 0.0002}, {3, 3}}, []string{"0.0002 (2 alike)", "3.000 (2 alike)"}},
	} {
		res := sweepOfTmax(c.ys)
		table := SweepTable(res)
		for p, want := range c.want {
			row := ""
			for _, l := range strings.Split(table, "\n") {
				if f := strings.Fields(l); len(f) > 0 && f[0] == res.Spec.Points[p].Values[0] {
					row = l
				}
			}
			if !strings.Contains(row, " "+want+" ") && !strings.HasSuffix(row, " "+want) {
				t.Errorf("%v: point %d reads %q, want %q in it:\n%s", c.ys, p, row, want, table)
			}
		}
	}
}

// columnNum writes every figure it is given right: parsed back, each is
// its value to within half its last decimal, and a figure not 0 never
// reads 0.
func TestColumnNumKeepsFigures(t *testing.T) {
	for _, col := range [][]float64{{20, 400, 1000}, {0.05, 120}, {-980, -200}, {0.001, 999}, {7}} {
		var ss []stats.Stat
		for _, x := range col {
			ss = append(ss, stats.Stat{N: 2, Mean: x, Lo: x, Hi: x})
		}
		num := columnNum(ss)
		for _, x := range col {
			s := num(x)
			back, err := strconv.ParseFloat(s, 64)
			dec := 0
			if i := strings.IndexByte(s, '.'); i >= 0 {
				dec = len(s) - i - 1
			}
			if err != nil || back == 0 || math.Abs(back-x) > 0.5*math.Pow(10, -float64(dec))+1e-12 {
				t.Errorf("column %v: %v written %q", col, x, s)
			}
		}
	}
}

// The paired column and the line under the table write the differences
// by the figures' own rule: 1000 − 20 reads -980 beside 20 … 1000, not
// -980.0 (FormatNum's four significant digits, a rule of their own).
func TestSweepPairedDecimals(t *testing.T) {
	table := SweepTable(sweepOfTmax([][]float64{{20, 20}, {400, 400}, {1000, 1000}}))
	for _, want := range []string{" -980 (2 alike)", " -600 (2 alike)", "is 600 lower (2 alike, paired)"} {
		if !strings.Contains(table, want) {
			t.Errorf("want %q in:\n%s", want, table)
		}
	}
	// A difference finer than the figures' decimals takes the decimals
	// it needs, in both columns: 1000.5 − 1000 = 0.5 as written.
	table = SweepTable(sweepOfTmax([][]float64{{1000, 1000}, {1000.5, 1000.5}}))
	for _, want := range []string{" 1000.50 (2 alike)", " 1000.00 (2 alike)", " -0.50 (2 alike)", "is 0.50 lower"} {
		if !strings.Contains(table, want) {
			t.Errorf("want %q in:\n%s", want, table)
		}
	}
}
