package plot

import (
	"bytes"
	"image"
	"image/color"
	_ "image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/stats"
)

// sampleRun is a run with every optional figure: a curve that levels off
// (its knee at 200 ms), net revenue that peaks inside the grid, the wait,
// and two changes.
func sampleRun() Run {
	t := &TmaxCurve{CurrentMS: 120, Advice: &TmaxAdvice{MaxRevenueMS: 400, MS95: 200, MS99: 300, MaxNetRevenueMS: 260}}
	for ms := 20.0; ms <= 400; ms += 20 {
		rev := 3 * (1 - math.Exp(-ms/80))
		t.TmaxMS = append(t.TmaxMS, ms)
		t.RevenuePerAuction = append(t.RevenuePerAuction, rev)
		t.NetRevenuePerAuction = append(t.NetRevenuePerAuction, rev-ms*ms/100000)
		t.WaitP95MS = append(t.WaitP95MS, min(ms, 180)+10)
	}
	s := &Series{IntervalSeconds: 1}
	for i := range 90 {
		s.StartSeconds = append(s.StartSeconds, float64(i))
		rev, late := 2.5, 0.01
		if i >= 30 && i < 60 {
			rev, late = 2.0, 0.17
		}
		s.RevenuePerAuction = append(s.RevenuePerAuction, rev)
		s.LateShare = append(s.LateShare, late)
	}
	s.RevenuePerAuction[5] = math.NaN() // an interval without auctions
	s.Changes = []Mark{{AtSeconds: 30, Text: "metro latency 160ms", Scripted: true}, {AtSeconds: 60, Text: "tmax 350ms"}}
	return Run{Scenario: "sample", Tmax: t, Series: s}
}

func svgText(t *testing.T, c *Chart) string {
	t.Helper()
	var b bytes.Buffer
	if err := c.WriteTo(&b, "svg"); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestRunChartPNG(t *testing.T) {
	c, err := RunChart(sampleRun())
	if err != nil {
		t.Fatal(err)
	}
	if c.Panels() != 4 {
		t.Errorf("%d panels, want 4: revenue, wait, series, late bids", c.Panels())
	}
	path := filepath.Join(t.TempDir(), "run.png")
	if err := c.Save(path); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if fi, _ := f.Stat(); fi.Size() < 20_000 {
		t.Errorf("the PNG is %d bytes: too small for four panels", fi.Size())
	}
	img, kind, err := image.Decode(f)
	if err != nil || kind != "png" {
		t.Fatalf("decode: %v (%s)", err, kind)
	}
	b := img.Bounds()
	if b.Dx() < 800 || b.Dy() < 1500 {
		t.Errorf("%d×%d pixels: too small for a slide", b.Dx(), b.Dy())
	}
	// Not blank: a good share of the pixels is ink, in several colours.
	ink, colours := 0, map[color.RGBA]bool{}
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r < 0xf000 || g < 0xf000 || bl < 0xf000 {
				ink++
				colours[color.RGBA{R: uint8(r >> 12), G: uint8(g >> 12), B: uint8(bl >> 12)}] = true
			}
		}
	}
	if total := b.Dx() * b.Dy() / 4; ink < total/100 {
		t.Errorf("%d of %d pixels sampled are ink: the plot is blank", ink, total)
	}
	if len(colours) < 5 {
		t.Errorf("%d colours: the curves and marks are not drawn", len(colours))
	}
}

func TestRunChartText(t *testing.T) {
	c, err := RunChart(sampleRun())
	if err != nil {
		t.Fatal(err)
	}
	svg := svgText(t, c)
	for _, want := range []string{
		"tmax (ms)", "revenue per auction (CPM)", "wait, 95th percentile (ms)", "time (s)", "late bids (% of bids)",
		"net revenue per auction", "this run&#39;s tmax: 120 ms", "most revenue at 400 ms",
		"95% of the most revenue at 200 ms (knee)", "99% of the most revenue at 300 ms", "most net revenue at 260 ms",
		"1: 0:30 script metro latency 160ms", "2: 1:00 live tmax 350ms",
	} {
		if !strings.Contains(svg, want) {
			t.Errorf("the plot lacks %q", want)
		}
	}
	if strings.Contains(svg, "exchange.tmax") {
		t.Error("an axis says exchange.tmax, not its unit")
	}

	// Without the optional figures: no wait panel, no net revenue, no
	// advice; the rest as before.
	r := sampleRun()
	r.Tmax.NetRevenuePerAuction, r.Tmax.WaitP95MS, r.Tmax.Advice = nil, nil, nil
	c, err = RunChart(r)
	if err != nil {
		t.Fatal(err)
	}
	if c.Panels() != 3 {
		t.Errorf("%d panels without the wait, want 3", c.Panels())
	}
	svg = svgText(t, c)
	for _, absent := range []string{"wait", "net revenue", "knee"} {
		if strings.Contains(svg, absent) {
			t.Errorf("drew %q without the figure", absent)
		}
	}
	if !strings.Contains(svg, "revenue per auction (CPM)") {
		t.Error("the curve is gone too")
	}
}

// Legends stand beside the data, inside the figure, in every chart.
func TestLegendsBesideData(t *testing.T) {
	band, err := BandChart(Band{Title: "t", XLabel: Label("exchange.floor"), YLabel: Label("exchange.revenue_per_auction"),
		X: []float64{0, 0.5, 1}, Y: []stats.Stat{{Mean: 1, Lo: 0.9, Hi: 1.1, N: 3}, {Mean: 2, Lo: 1.8, Hi: 2.2, N: 3}, {Mean: 1.5, Lo: 1.4, Hi: 1.6, N: 3}},
		Theory: []XY{{0, 1}, {0.5, 2}, {1, 1.5}}})
	if err != nil {
		t.Fatal(err)
	}
	run, err := RunChart(sampleRun())
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]*Chart{"band": band, "run": run} {
		w, h := c.size()
		cv := vgsvg.New(w, h)
		lay := c.draw(draw.New(cv))
		if len(lay.data) != c.Panels() {
			t.Fatalf("%s: %d data areas", name, len(lay.data))
		}
		legends := 0
		for i, d := range lay.data {
			l := lay.legend[i]
			if l.Max.X == 0 {
				continue // a panel without a legend
			}
			legends++
			if l.Min.X < d.Max.X {
				t.Errorf("%s panel %d: the legend (x from %v) covers the data (to %v)", name, i, l.Min.X, d.Max.X)
			}
			if l.Max.X > w || l.Min.Y < 0 || l.Max.Y > h {
				t.Errorf("%s panel %d: the legend %v leaves the figure %v×%v", name, i, l, w, h)
			}
		}
		if legends == 0 {
			t.Errorf("%s: no legend drawn", name)
		}
	}
	if svg := svgText(t, band); !strings.Contains(svg, "floor (CPM)") || !strings.Contains(svg, "theory (closed form)") {
		t.Error("the band chart lacks its unit or its theory entry")
	}
}

func TestDrawable(t *testing.T) {
	short := &Series{StartSeconds: []float64{0}, IntervalSeconds: 1, RevenuePerAuction: []float64{1}}
	if err := (Run{Series: short}).Drawable(); err == nil || !strings.Contains(err.Error(), "tmax curve is off") {
		t.Errorf("no curve, one interval: %v", err)
	}
	empty := &TmaxCurve{TmaxMS: []float64{20, 40}, RevenuePerAuction: []float64{math.NaN(), math.NaN()}}
	if _, err := RunChart(Run{Tmax: empty, Series: short}); err == nil || !strings.Contains(err.Error(), "no auction closed") {
		t.Errorf("no auction: %v", err)
	}
	// The series alone, when the curve is off.
	r := sampleRun()
	r.Tmax = nil
	c, err := RunChart(r)
	if err != nil || c.Panels() != 2 {
		t.Errorf("series only: %v, %d panels", err, c.Panels())
	}
}

func TestFormatOf(t *testing.T) {
	for path, want := range map[string]string{"a.png": "png", "B.SVG": "svg", "x.jpg": "", "noext": ""} {
		got, err := FormatOf(path)
		if got != want || (want == "") != (err != nil) {
			t.Errorf("%s: %q, %v", path, got, err)
		}
	}
	var b bytes.Buffer
	if err := (&Chart{}).WriteTo(&b, "png"); err == nil {
		t.Error("an empty chart was written")
	}
}

func TestLabel(t *testing.T) {
	for name, want := range map[string]string{
		"exchange.tmax":                "tmax (ms)",
		"exchange.floor":               "floor (CPM)",
		"exchange.revenue_per_auction": "revenue per auction (CPM)",
		"exchange.fill_rate":           "fill rate (share)",
		"bidders.metro.spend":          "metro: spend (currency)",
		"bidders.metro.latency_ms.p95": "metro: latency p95 (ms)",
		"bidders.metro.latency.median": "metro: median (ms)",
		"traffic.qps":                  "qps (requests/s)",
		"exchange.wait_ms":             "wait (ms)",
		"seed":                         "seed",
	} {
		if got := Label(name); got != want {
			t.Errorf("Label(%q) = %q, want %q", name, got, want)
		}
	}
}

// FromReport reads a real run's report: the curve point by point, the
// series' revenue per auction per interval, the changes; and the optional
// figures from JSON that has them.
func TestFromReport(t *testing.T) {
	full := *fullOf(t, "timeout-story", 65*sim.Second)
	r := FromReport(&full)
	if r.Tmax == nil || len(r.Tmax.TmaxMS) != len(full.TmaxCurve) || r.Tmax.CurrentMS != 350 {
		t.Fatalf("curve %+v", r.Tmax)
	}
	for i, p := range full.TmaxCurve {
		if r.Tmax.TmaxMS[i] != p.TmaxMS || r.Tmax.RevenuePerAuction[i] != float64(p.RevenuePerAuction) {
			t.Errorf("point %d: %v %v, want %v %v", i, r.Tmax.TmaxMS[i], r.Tmax.RevenuePerAuction[i], p.TmaxMS, p.RevenuePerAuction)
		}
	}
	if r.Tmax.WaitP95MS != nil && len(r.Tmax.WaitP95MS) != len(r.Tmax.TmaxMS) {
		t.Error("a wait figure per point, or none")
	}
	if len(r.Series.Changes) != 2 || !r.Series.Changes[0].Scripted || r.Series.Changes[1].AtSeconds != 60 {
		t.Errorf("changes %+v", r.Series.Changes)
	}
	for i, p := range full.Series.Points {
		if p.Auctions == 0 {
			continue
		}
		if want := p.Revenue / float64(p.Auctions) * 1000; math.Abs(r.Series.RevenuePerAuction[i]-want) > 1e-9 {
			t.Errorf("interval %d: %v, want %v", i, r.Series.RevenuePerAuction[i], want)
		}
	}
	// Before metro degrades hardly a bid is late; after, about 17%.
	if r.Series.LateShare[10] > 0.05 || r.Series.LateShare[45] < 0.1 {
		t.Errorf("late shares %v and %v", r.Series.LateShare[10], r.Series.LateShare[45])
	}

	tc := &TmaxCurve{TmaxMS: []float64{20, 40}}
	optionalCurve([]byte(`{"tmax_curve":[{"wait_ms_p95":21,"net_revenue_per_auction":1.5},{"wait_ms_p95":null,"net_revenue_per_auction":2}],
		"tmax_advice":{"max_revenue_tmax_ms":40,"tmax_ms_95":20,"tmax_ms_99":40,"max_net_revenue_tmax_ms":40}}`), tc)
	if len(tc.WaitP95MS) != 2 || tc.WaitP95MS[0] != 21 || !math.IsNaN(tc.WaitP95MS[1]) || tc.NetRevenuePerAuction[1] != 2 {
		t.Errorf("optional figures %+v", tc)
	}
	if tc.Advice == nil || tc.Advice.MS95 != 20 || tc.Advice.MaxNetRevenueMS != 40 {
		t.Errorf("advice %+v", tc.Advice)
	}
	tc = &TmaxCurve{TmaxMS: []float64{20, 40}}
	optionalCurve([]byte(`{"tmax_curve":[{},{}],"exchange":{"tmax_advice":{"tmax_ms_95":40}}}`), tc)
	if tc.Advice == nil || tc.Advice.MS95 != 40 || !math.IsNaN(tc.Advice.MS99) {
		t.Errorf("the advice under exchange: %+v", tc.Advice)
	}
	tc = &TmaxCurve{TmaxMS: []float64{20, 40}}
	optionalCurve([]byte(`{"tmax_curve":[{"wait_ms_p95":21},{"revenue":1}]}`), tc)
	if tc.WaitP95MS != nil || tc.Advice != nil {
		t.Errorf("a figure some points lack was read: %+v", tc)
	}
}

// TestPartialLastInterval: a run stopped inside its last interval (20,000
// auctions at 20.17 s) draws that interval apart from the line of whole
// ones, at the middle of what it covered, with a legend saying how much
// and from how many auctions, and the time axis ends where the run did;
// before, a point from 7 auctions stood at 2.5 s as a whole interval's.
// A run stopped at an interval's end, or one whose end is unknown, has
// none.
func TestPartialLastInterval(t *testing.T) {
	full := report.Full{}
	full.Scenario = "sample"
	full.Series.IntervalSeconds = 1
	for i, n := range []uint64{100, 100, 7} {
		full.Series.Points = append(full.Series.Points, report.Point{StartSeconds: float64(i), Auctions: n, Revenue: float64(n) * 0.002,
			Bidders: []report.BidderPoint{{Bids: n, Late: n / 4}}})
	}
	full.VirtualSeconds = 2.5
	r := FromReport(&full)
	xs, whole, span := seriesLayout(r.Series)
	if whole != 2 || xs[1] != 1.5 || xs[2] != 2.25 || span != 2.5 {
		t.Errorf("stopped at 2.5 s: %d whole intervals, drawn at %v, axis to %v; want 2, the last at 2.25 (the middle of 2..2.5), to 2.5", whole, xs, span)
	}
	c, err := RunChart(r)
	if err != nil {
		t.Fatal(err)
	}
	if svg := svgText(t, c); strings.Count(svg, "partial interval: 0.5 s, 7 auctions") != 2 {
		t.Error("the revenue and late panels do not both say the last interval is partial")
	}

	for _, end := range []float64{3, 0} {
		full.VirtualSeconds = end
		r = FromReport(&full)
		if xs, whole, span := seriesLayout(r.Series); whole != 3 || xs[2] != 2.5 || span != 3 {
			t.Errorf("end %v: %d whole intervals, drawn at %v, axis to %v; want all 3 whole", end, whole, xs, span)
		}
		c, err := RunChart(r)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(svgText(t, c), "partial") {
			t.Errorf("end %v: a partial interval drawn", end)
		}
	}
}
