package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// bundledEngine is the bundled scenario name and an engine built from it.
func bundledEngine(t testing.TB, name string) (*scenarios.Scenario, *sim.Engine) {
	t.Helper()
	sc, err := scenarios.Bundled(name)
	if err != nil {
		t.Fatal(err)
	}
	e, err := sim.New(sc.Config)
	if err != nil {
		t.Fatal(err)
	}
	return sc, e
}

// snapshot runs a small world with a budget, an outcome and a slow bidder.
func snapshot(t testing.TB) *sim.Snapshot {
	t.Helper()
	ms := float64(sim.Millisecond)
	cfg := sim.Config{
		Name:     "report-test",
		Seed:     3,
		Traffic:  sim.Traffic{QPS: 1000},
		Exchange: sim.ExchangeConfig{Auction: sim.SecondPrice, Tmax: 100 * sim.Millisecond, Floor: sim.PriceOf(0.1), Increment: sim.PriceOf(0.01)},
		Horizon:  10 * sim.Second,
		Bidders: []sim.BidderConfig{
			{Name: "fast", Latency: sim.Constant(10 * ms), Value: sim.Uniform(0.5, 3),
				Budget:  &sim.Budget{Total: sim.MoneyOf(5), Pacing: sim.PacingMultiplier},
				Outcome: &sim.Outcome{CTR: 0.05, CVR: 0.2, OrderValue: sim.MoneyOf(2), BaselineCVR: 0.01, Delay: sim.Constant(100 * ms)}},
			{Name: "slow \"quoted\" one", Latency: sim.LogNormalMedianP99(90*ms, 200*ms), Value: sim.Uniform(0.5, 4), Errors: 0.01},
		},
	}
	eng, err := sim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	eng.RunUntil(5 * sim.Second)
	return eng.Snapshot()
}

func TestSummaryFields(t *testing.T) {
	snap := snapshot(t)
	var buf bytes.Buffer
	if err := WriteSummary(&buf, snap, Meta{Partial: true, WallSeconds: 0.25}); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"scenario", "seed", "partial", "virtual_seconds", "wall_seconds", "auctions", "events", "exchange", "bidders"} {
		if _, ok := m[k]; !ok {
			t.Errorf("no %q", k)
		}
	}
	if _, ok := m["series"]; ok {
		t.Error("the summary has the series")
	}
	if m["scenario"] != "report-test" || m["seed"] != 3.0 || m["partial"] != true || m["virtual_seconds"] != 5.0 || m["wall_seconds"] != 0.25 {
		t.Errorf("header fields: %v", m)
	}
	ex := m["exchange"].(map[string]any)
	for _, k := range []string{"revenue", "fill_rate", "mean_clearing_price", "timeouts", "late_bids", "revenue_lost_to_timeouts"} {
		if _, ok := ex[k]; !ok {
			t.Errorf("exchange: no %q", k)
		}
	}
	bs := m["bidders"].([]any)
	if len(bs) != 2 {
		t.Fatalf("%d bidders", len(bs))
	}
	for i, raw := range bs {
		b := raw.(map[string]any)
		for _, k := range []string{"name", "bid_requests", "bids", "late", "errors", "no_bids", "wins", "win_rate", "spend",
			"budget", "mean_price", "latency_ms", "conversions", "attributed_roas", "incremental_roas"} {
			if _, ok := b[k]; !ok {
				t.Errorf("bidder %d: no %q", i, k)
			}
		}
		lat := b["latency_ms"].(map[string]any)
		for _, k := range []string{"p50", "p95", "p99"} {
			if _, ok := lat[k]; !ok {
				t.Errorf("bidder %d: latency_ms: no %q", i, k)
			}
		}
	}
	if bs[0].(map[string]any)["budget"] != 5.0 || bs[1].(map[string]any)["budget"] != nil {
		t.Errorf("budgets %v, %v; want 5 and null", bs[0].(map[string]any)["budget"], bs[1].(map[string]any)["budget"])
	}
}

// TestSummaryValues checks units and sums against the snapshot.
func TestSummaryValues(t *testing.T) {
	snap := snapshot(t)
	s := NewSummary(snap, Meta{Scenario: "named"})
	if s.Scenario != "named" {
		t.Errorf("scenario %q", s.Scenario)
	}
	spend := 0.0
	for i, b := range s.Bidders {
		spend += b.Spend
		st := snap.Bidders[i]
		if float64(b.WinRate) != float64(b.Wins)/float64(b.BidRequests) {
			t.Errorf("%s: win rate %g", b.Name, b.WinRate)
		}
		if b.Latency.P99 != st.Latency.P99.Milliseconds() || b.Latency.P99 < 1 {
			t.Errorf("%s: p99 %g ms", b.Name, b.Latency.P99)
		}
		if b.Conversions != st.Conversions+st.Organic {
			t.Errorf("%s: conversions %d", b.Name, b.Conversions)
		}
	}
	x := s.Exchange
	if math.Abs(spend-x.Revenue) > 1e-9 {
		t.Errorf("Σ spend %g ≠ revenue %g", spend, x.Revenue)
	}
	if x.Revenue <= 0 || x.LateBids == 0 || x.RevenueLostToTimeouts <= 0 || x.Timeouts != x.LateBids {
		t.Errorf("exchange %+v", x)
	}
	if want := x.Revenue * 1000 / float64(x.Filled); math.Abs(float64(x.MeanClearingPrice)-want) > 1e-9 {
		t.Errorf("mean clearing price %g CPM, want revenue×1000/filled %g", x.MeanClearingPrice, want)
	}
	if s.Bidders[0].Spend > 5 || s.Bidders[0].Conversions == 0 || s.Bidders[0].AttributedROAS.Float() < s.Bidders[0].IncrementalROAS.Float() {
		t.Errorf("fast: %+v", s.Bidders[0])
	}
}

func TestNoNaN(t *testing.T) {
	// A snapshot before any auction: every ratio is 0/0.
	eng, err := sim.New(sim.Config{
		Traffic:  sim.Traffic{QPS: 1},
		Exchange: sim.ExchangeConfig{Auction: sim.FirstPrice, Tmax: sim.Millisecond},
		Bidders:  []sim.BidderConfig{{Name: "a", Value: sim.Constant(1)}},
	})
	if err != nil {
		t.Fatal(err)
	}
	snap := eng.Snapshot()
	var buf bytes.Buffer
	if err := WriteJSON(&buf, snap, Meta{WallSeconds: math.NaN()}); err != nil {
		t.Fatal(err)
	}
	if err := WriteCSV(&buf, snap, false); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "NaN") {
		t.Errorf("NaN in output:\n%s", buf.String())
	}
}

func TestCSV(t *testing.T) {
	snap := snapshot(t)
	rows := csvRows(t, snap)
	want := []string{"start_seconds", "auctions", "fill_rate", "mean_price", "max_price", "timeouts", "revenue", "revenue_lost",
		"fast.spend", "fast.win_rate", "fast.timeout_rate", "slow \"quoted\" one.spend", "slow \"quoted\" one.win_rate", "slow \"quoted\" one.timeout_rate", "partial"}
	if strings.Join(rows[0], "|") != strings.Join(want, "|") {
		t.Errorf("header %q", rows[0])
	}
	// Five whole seconds, plus the interval the clock stopped at.
	if len(rows) != 1+len(snap.Series.Points) || len(rows) < 6 {
		t.Fatalf("%d rows for %d points", len(rows), len(snap.Series.Points))
	}
	if rows[1][0] != "0" || rows[2][0] != "1" {
		t.Errorf("starts %q, %q", rows[1][0], rows[2][0])
	}
	for _, r := range rows[1:] {
		if len(r) != len(want) {
			t.Errorf("row %q", r)
		}
		for _, f := range r[:len(r)-1] { // the last is partial's false
			if strings.ContainsAny(f, "eE") {
				t.Errorf("exponent in %q", f)
			}
		}
	}
}

func TestWrite(t *testing.T) {
	snap := snapshot(t)
	dir := t.TempDir()
	for _, name := range []string{"a.json", "a.csv", "UPPER.JSON"} {
		path := filepath.Join(dir, name)
		if err := Write(path, snap, Meta{}); err != nil {
			t.Fatal(err)
		}
		info, err := os.Stat(path)
		if err != nil || info.Mode().Perm() != 0o644 {
			t.Errorf("%s: %v, mode %v", name, err, info.Mode())
		}
	}
	data, _ := os.ReadFile(filepath.Join(dir, "a.json"))
	var full Full
	if err := json.Unmarshal(data, &full); err != nil {
		t.Fatal(err)
	}
	if full.Scenario != "report-test" || len(full.Series.Points) != len(snap.Series.Points) || full.Series.IntervalSeconds != 1 ||
		len(full.Series.Bidders) != 2 || len(full.Series.Points[0].Bidders) != 2 {
		t.Errorf("full report: %+v", full.Series)
	}
	if err := Write(filepath.Join(dir, "a.txt"), snap, Meta{}); err == nil {
		t.Error("unknown extension: no error")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 {
		t.Errorf("files: %v", entries)
	}
}

// TestAtomic checks that a failed write leaves the old file and no
// temporary file.
func TestAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.json")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := WriteFileAtomic(path, func(w io.Writer) error {
		io.WriteString(w, "half")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Errorf("error %v", err)
	}
	if data, _ := os.ReadFile(path); string(data) != "old" {
		t.Errorf("file now %q", data)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("files left: %v", entries)
	}
	if err := WriteFileAtomic(filepath.Join(dir, "missing", "x.json"), func(io.Writer) error { return nil }); err == nil {
		t.Error("missing directory: no error")
	}
}

func TestFormatOf(t *testing.T) {
	for path, want := range map[string]Format{"x.json": JSON, "dir/x.CSV": CSV} {
		if got, err := FormatOf(path); err != nil || got != want {
			t.Errorf("%s: %v, %v", path, got, err)
		}
	}
	for _, path := range []string{"x", "x.yaml", "json"} {
		if _, err := FormatOf(path); err == nil {
			t.Errorf("%s: no error", path)
		}
	}
}

// csvRows writes snap's time series CSV and reads it back, header first.
func csvRows(t *testing.T, snap *sim.Snapshot) [][]string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteCSV(&buf, snap, false); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}
