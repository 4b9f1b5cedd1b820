package plot

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim/experiment"
)

// TestTheorySeries checks the closed form drawn beside a sweep of
// reserve-price's floor: two uniform values, so revenue per auction is
// 1/3 + r² − 4r³/3 at floor r; and none for a metric without one.
func TestTheorySeries(t *testing.T) {
	spec := &experiment.Spec{Metrics: []string{"exchange.revenue_per_auction"}}
	for _, floor := range []string{"0", "0.3", "0.6", "0.9"} {
		set, err := scenarios.ParseSet("--set", "exchange.floor="+floor)
		if err != nil {
			t.Fatal(err)
		}
		sc, _, err := scenarios.ResolveWith("reserve-price", []scenarios.Set{set})
		if err != nil {
			t.Fatal(err)
		}
		spec.Points = append(spec.Points, experiment.PointSpec{Name: "reserve-price", YAML: string(sc.YAML)})
	}
	xs := []float64{0, 0.3, 0.6, 0.9}
	got := theorySeries(&experiment.Result{Spec: spec}, xs)
	if len(got) != len(xs) {
		t.Fatalf("theory series %v", got)
	}
	for i, x := range xs {
		if want := 1.0/3 + x*x - 4*x*x*x/3; math.Abs(got[i].Y-want) > 1e-9 {
			t.Errorf("floor %g: theory %g, want %g", x, got[i].Y, want)
		}
	}
	spec.Metrics = []string{"exchange.revenue"}
	if got := theorySeries(&experiment.Result{Spec: spec}, xs); got != nil {
		t.Errorf("revenue has no closed form here, got %v", got)
	}
}

// TestCheckPath checks the refusals of a --plot path before any run.
func TestCheckPath(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "d.svg"), 0o755); err != nil {
		t.Fatal(err)
	}
	ok := filepath.Join(dir, "a.svg")
	if err := CheckPath(ok, ""); err != nil {
		t.Errorf("%s: %v", ok, err)
	}
	for path, want := range map[string]string{
		filepath.Join(dir, "a.gif"):         "--plot ",
		filepath.Join(dir, "none", "a.png"): "--plot",
		filepath.Join(dir, "d.svg"):         "--plot",
	} {
		if err := CheckPath(path, ""); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v; want %q", path, err, want)
		}
	}
	if err := CheckPath(ok, ok); err == nil {
		t.Error("--plot naming --out's file accepted")
	}
	if err := CheckAsked("", ok); err != nil {
		t.Errorf("no plot asked: %v", err)
	}
	if err := CheckAsked(filepath.Join(dir, "a.gif"), ""); err == nil {
		t.Error("CheckAsked: a.gif accepted")
	}
}
