package main

import (
	"encoding/json"
	"fmt"
	"image"
	_ "image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// run --plot on a single run draws the tmax curve and the time series
// (it wrote nothing before); the plots for a slide are real images with
// the run's own labels.
func TestRunPlotSingle(t *testing.T) {
	dir := t.TempDir()
	png := filepath.Join(dir, "story.png")
	svg := filepath.Join(dir, "story.svg")
	r := run(t, "", "run", "-s", "timeout-story", "--duration", "70s", "--plot", png, "--json")
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	f, err := os.Open(png)
	if err != nil {
		t.Fatalf("no plot: %v", err)
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		t.Fatalf("not an image: %v", err)
	}
	if b := img.Bounds(); b.Dx() < 800 || b.Dy() < 1000 {
		t.Errorf("%v: too small for the curve and the series", b)
	}
	r = run(t, "", "run", "-s", "timeout-story", "--duration", "70s", "--plot", svg, "--json")
	if r.code != exitOK {
		t.Fatalf("svg: exit %d: %s", r.code, r.stderr)
	}
	data, err := os.ReadFile(svg)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"tmax (ms)", "revenue per auction (CPM)", "this run&#39;s tmax: 350 ms", "1: 0:30 script", "2: 1:00 script tmax 350ms", "late bids (% of bids)"}
	// The figures the summary may carry besides revenue are drawn when it
	// has them: the advice marked with its numbers, the wait's panel.
	var sum struct {
		Curve  []map[string]any `json:"tmax_curve"`
		Advice *struct {
			MaxRevenue *float64 `json:"max_revenue_tmax_ms"`
			MS95       *float64 `json:"tmax_ms_95"`
		} `json:"tmax_advice"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &sum); err != nil {
		t.Fatal(err)
	}
	if a := sum.Advice; a != nil {
		if a.MS95 != nil {
			want = append(want, fmt.Sprintf("95%% of the most revenue at %g ms (knee)", *a.MS95))
		}
		if a.MaxRevenue != nil {
			want = append(want, fmt.Sprintf("most revenue at %g ms", *a.MaxRevenue))
		}
	}
	if len(sum.Curve) > 0 {
		if _, ok := sum.Curve[0]["wait_ms_p95"]; ok {
			want = append(want, "wait, 95th percentile (ms)")
		}
	}
	for _, w := range want {
		if !strings.Contains(string(data), w) {
			t.Errorf("the plot lacks %q", w)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("%d files, want the two plots and no temporary file", len(entries))
	}
}

// A --plot that cannot be drawn or written is refused before the run,
// with the reason (exit 2), and nothing is written.
func TestRunPlotRefused(t *testing.T) {
	dir := t.TempDir()
	scen := filepath.Join(dir, "world.png") // a scenario whose name looks like a plot
	src, err := os.ReadFile("../../scenarios/bundled/timeout-demo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(scen, src, 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "x.svg")
	sub := filepath.Join(dir, "d.png")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-s", "timeout-demo", "--plot", filepath.Join(dir, "x.jpg")}, "written as .png or .svg"},
		{[]string{"-s", "timeout-demo", "--plot", sub}, "is a directory"},
		{[]string{"-s", "timeout-demo", "--plot", filepath.Join(dir, "none", "x.png")}, "none"},
		{[]string{"-s", scen, "--plot", scen}, "input"},
		{[]string{"-s", "timeout-demo", "--openrtb", "2", "--openrtb-out", out, "--plot", out}, "is also --openrtb-out"},
		{[]string{"-s", "timeout-demo", "--set", "exchange.tmax_curve=false", "--duration", "1500ms", "--plot", filepath.Join(dir, "y.png")}, "tmax curve is off"},
	} {
		r := run(t, "", append([]string{"run"}, c.args...)...)
		if r.code != exitUsage || !strings.Contains(r.stderr, c.want) || !strings.Contains(r.stderr, "--plot") {
			t.Errorf("%v: exit %d, %q; want 2 and %q", c.args, r.code, r.stderr, c.want)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("%d files: a refused run wrote something", len(entries))
	}
	// Experiments and merge guard their --plot the same way.
	for _, args := range [][]string{
		{"run", "-s", "timeout-demo", "--reps", "2", "--auctions", "100", "--out", filepath.Join(dir, "r.json"), "--plot", filepath.Join(dir, "r.json")},
		{"sweep", "-s", "reserve-price", "--vary", "exchange.floor=0,0.5", "--plot", filepath.Join(dir, "none", "s.png")},
		{"merge", filepath.Join(dir, "shard.json"), "--plot", sub},
		// The axis is the first --vary: strategies are not numbers. The
		// whole sweep ran first, then exit 1.
		{"sweep", "-s", "reserve-price", "--auctions", "100", "--reps", "2", "--vary", "bidders.ada.strategy={kind: truthful},{kind: shade, factor: 0.5}", "--plot", filepath.Join(dir, "k.png")},
	} {
		if r := run(t, "", args...); r.code != exitUsage || !strings.Contains(r.stderr, "--plot") || r.stdout != "" {
			t.Errorf("%v: exit %d, %q, stdout %q; want 2 naming --plot, nothing run", args, r.code, r.stderr, r.stdout)
		}
	}
	// With the curve off a long enough run still draws its series.
	y := filepath.Join(dir, "series.png")
	if r := run(t, "", "run", "-s", "timeout-demo", "--set", "exchange.tmax_curve=false", "--duration", "5s", "--plot", y); r.code != exitOK {
		t.Errorf("series only: exit %d: %s", r.code, r.stderr)
	}
}
