package plot

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/stats"
)

// TestSaveRun draws a short run to an SVG file, and checks the errors of
// a plot that cannot be saved name the flag and the file.
func TestSaveRun(t *testing.T) {
	sc, err := scenarios.Bundled("timeout-demo")
	if err != nil {
		t.Fatal(err)
	}
	sc, err = sc.WithStop(scenarios.Stop{Auctions: 2000})
	if err != nil {
		t.Fatal(err)
	}
	run, err := report.Execute(context.Background(), sc, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	full := report.NewFull(run.Snap, run.Meta())
	path := filepath.Join(t.TempDir(), "run.svg")
	if err := SaveRun(path, &full); err != nil {
		t.Fatal(err)
	}
	if data, err := os.ReadFile(path); err != nil || !strings.Contains(string(data), "<svg") {
		t.Errorf("not an SVG file: %v", err)
	}
	if err := SaveFor(nil, errors.New("boom"), "x.png"); err == nil || err.Error() != "--plot x.png: boom" {
		t.Errorf("SaveFor: %v", err)
	}
}

// TestCheckRun checks that a run with nothing to draw is refused and the
// others pass.
func TestCheckRun(t *testing.T) {
	cfg := sim.Config{Interval: 10 * sim.Second} // the zero grid: the curve off
	if err := CheckRun(cfg, sim.Stop{Duration: 15 * sim.Second}); err == nil || !strings.Contains(err.Error(), "fewer than 2 intervals of 10s") {
		t.Errorf("a curve off and 1.5 intervals: %v", err)
	}
	for _, stop := range []sim.Stop{{Duration: 20 * sim.Second}, {Auctions: 10}} {
		if err := CheckRun(cfg, stop); err != nil {
			t.Errorf("%+v: %v", stop, err)
		}
	}
	on := sim.Config{}
	on.Exchange.TmaxCurve = sim.TmaxGrid{Follow: true}
	if err := CheckRun(on, sim.Stop{Duration: sim.Second}); err != nil {
		t.Errorf("with the tmax curve on: %v", err)
	}
}

// TestCheckRunPlot checks a single run's --plot: none passes, a format
// unknown or a run with nothing to draw is refused.
func TestCheckRunPlot(t *testing.T) {
	cfg := sim.Config{Interval: 10 * sim.Second}
	short := sim.Stop{Duration: 15 * sim.Second}
	if err := CheckRunPlot("", "", cfg, short); err != nil {
		t.Errorf("no --plot: %v", err)
	}
	if err := CheckRunPlot("x.gif", "", cfg, sim.Stop{Auctions: 10}); err == nil || !strings.HasPrefix(err.Error(), "--plot ") {
		t.Errorf("x.gif: %v", err)
	}
	if err := CheckRunPlot("x.svg", "", cfg, short); err == nil || !strings.Contains(err.Error(), "nothing to draw") {
		t.Errorf("nothing to draw: %v", err)
	}
	if err := CheckRunPlot("x.svg", "", cfg, sim.Stop{Auctions: 10}); err != nil {
		t.Errorf("x.svg: %v", err)
	}
}

// TestDefined checks that points with a mean or interval that is not a
// number are dropped, and only they.
func TestDefined(t *testing.T) {
	nan := math.NaN()
	xs, ss := Defined([]float64{1, 2, math.Inf(1), 4}, []stats.Stat{
		{Mean: 1, Lo: 0, Hi: 2}, {Mean: nan}, {Mean: 3, Lo: 2, Hi: 4}, {Mean: 4, Lo: 3, Hi: 5},
	})
	if len(xs) != 2 || xs[0] != 1 || xs[1] != 4 || ss[1].Mean != 4 {
		t.Errorf("Defined: %v %v", xs, ss)
	}
}
