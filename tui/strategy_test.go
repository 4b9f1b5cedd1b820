package tui

import (
	"reflect"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/runner"
)

// strategyChanges are the strategy changes among cmds.
func strategyChanges(cmds []runner.Command) []sim.SetStrategy {
	var out []sim.SetStrategy
	for _, c := range cmds {
		if a, ok := c.(runner.Apply); ok {
			if s, ok := a.Change.(sim.SetStrategy); ok {
				out = append(out, s)
			}
		}
	}
	return out
}

// TestStrategyKeys: g cycles the selected bidder's strategy truthful →
// shade (0.8, or the factor last used) → fixed (its mean value, or the bid
// last used) → equilibrium → truthful; < and > step the factor or the bid by
// strategyStep, within sim's ranges; on a truthful bidder they say why
// they do nothing. Each change goes to the engine and shows at once.
func TestStrategyKeys(t *testing.T) {
	m, l, _ := testModel(t, 160, 48)
	shade := func(f float64) sim.Strategy { return sim.Strategy{Kind: sim.Shade, Factor: f} }
	fixed := func(b float64) sim.Strategy { return sim.Strategy{Kind: sim.Fixed, Bid: sim.PriceOf(b)} }
	truthful := sim.Strategy{Kind: sim.Truthful}
	equilibrium := sim.Strategy{Kind: sim.Equilibrium}

	press(m, "<") // swift is truthful: nothing to step
	if len(l.sent) != 0 || !m.ctx.warn || !strings.Contains(m.ctx.status, "g first") {
		t.Errorf("< on a truthful bidder: sent %v, status %q", l.cmds(), m.ctx.status)
	}
	var want []sim.SetStrategy
	for _, tt := range []struct {
		key  string
		want sim.Strategy
	}{
		{"g", shade(0.8)},
		{">", shade(0.85)},
		{"<", shade(0.8)},
		{"<", shade(0.75)},
		{"g", fixed(1.5)}, // swift's values are U[0.5, 2.5]
		{">", fixed(1.55)},
		{"g", equilibrium},
		{"g", truthful},
		{"g", shade(0.75)}, // the factor last used
		{"g", fixed(1.55)}, // the bid last used
		{"<", fixed(1.5)},
	} {
		press(m, tt.key)
		want = append(want, sim.SetStrategy{Bidder: "swift", Strategy: tt.want})
		if got := strategyChanges(l.cmds()); !reflect.DeepEqual(got, want) {
			t.Fatalf("after %s: sent %v, want %v", tt.key, got, want)
		}
		if !strings.Contains(m.ctx.status, "swift strategy") || !strings.Contains(m.ctx.status, "→ "+tt.want.String()) {
			t.Errorf("after %s: status %q", tt.key, m.ctx.status)
		}
		if row, cell := tableRow(m.View(), "swift"), " "+strategyText(tt.want)+" "; !strings.Contains(row, cell) {
			t.Errorf("after %s: swift's row %q does not show %q", tt.key, row, cell)
		}
	}

	// steady starts shading by 0.85 (the scenario's): fixed at its mean
	// value 1.8, equilibrium, truthful, then shading by 0.85 again.
	press(m, "j")
	l.sent = nil
	for _, k := range []string{"g", "g", "g", "g"} {
		press(m, k)
	}
	got := strategyChanges(l.cmds())
	if want := []sim.SetStrategy{{Bidder: "steady", Strategy: fixed(1.8)}, {Bidder: "steady", Strategy: equilibrium}, {Bidder: "steady", Strategy: truthful}, {Bidder: "steady", Strategy: shade(0.85)}}; !reflect.DeepEqual(got, want) {
		t.Errorf("steady: sent %v, want %v", got, want)
	}

	// The limits: a shade factor stays ≥ shadeMin, a fixed bid ≥ 0.
	for range 30 {
		press(m, "<")
	}
	last := strategyChanges(l.cmds())
	if s := last[len(last)-1].Strategy; s != shade(shadeMin) {
		t.Errorf("steady's factor stepped down to %v, want %v", s, shade(shadeMin))
	}
	if !strings.Contains(m.ctx.status, "limit") {
		t.Errorf("status at the limit %q", m.ctx.status)
	}
	press(m, "j")
	press(m, "j") // crowded: fixed 1.2
	l.sent = nil
	for range 30 {
		press(m, "<")
	}
	last = strategyChanges(l.cmds())
	if len(last) != 24 || last[len(last)-1].Strategy != fixed(0) {
		t.Errorf("crowded's bid: %d steps to %v, want 24 to 0", len(last), last[len(last)-1].Strategy)
	}
}

// TestStrategyKeysQueueFull: with the engine's queue full, g changes
// nothing on screen and says so.
func TestStrategyKeysQueueFull(t *testing.T) {
	m, l, _ := testModel(t, 160, 48)
	l.full = true
	press(m, "g")
	if m.ctx.Shown.bidders[0].strategy.Kind != sim.Truthful || !m.ctx.warn {
		t.Errorf("a dropped g changed the shown strategy to %v (status %q)", m.ctx.Shown.bidders[0].strategy, m.ctx.status)
	}
}

// TestSurplusColumns: the bidders table shows each bidder's strategy and
// surplus where room allows, in place of the ROAS columns when no bidder
// has an outcome model (they would show only dashes), and never wider
// than the screen.
func TestSurplusColumns(t *testing.T) {
	has := func(cols []column, id int) bool {
		for _, c := range cols {
			if c.id == id {
				return true
			}
		}
		return false
	}
	test := testScenario() // with an outcome model
	vickrey := bundled(t, "classroom-vickrey")
	for _, tt := range []struct {
		sc                  *scenarios.Scenario
		w                   int
		surplus, strat, roi bool
	}{
		{test, 80, false, false, true},
		{test, 120, true, false, true},
		{test, 160, true, true, true},
		{vickrey, 80, true, true, false},
		{vickrey, 120, true, true, false},
	} {
		eng := engineAt(t, tt.sc, 5*sim.Second)
		snap := eng.Snapshot()
		var names []string
		for _, b := range snap.Bidders {
			names = append(names, b.Name)
		}
		cols := surplusColumns(tableColumns(tt.w, names), tt.w, snap)
		total := 0
		for _, c := range cols {
			total += c.width
		}
		if total > tt.w {
			t.Errorf("%s at %d: the table is %d wide", tt.sc.Name, tt.w, total)
		}
		if has(cols, colSurplus) != tt.surplus || has(cols, colStrategy) != tt.strat || has(cols, colARoas) != tt.roi {
			t.Errorf("%s at %d: surplus %v strategy %v ROAS %v, want %v %v %v", tt.sc.Name, tt.w,
				has(cols, colSurplus), has(cols, colStrategy), has(cols, colARoas), tt.surplus, tt.strat, tt.roi)
		}
		m, _ := modelOn(t, tt.sc, eng, tt.w, 40)
		v := m.View()
		checkScreen(t, v, tt.w, 40)
		if tt.strat {
			b := snap.Bidders[0]
			row := tableRow(v, b.Name)
			if want := " " + strategyText(b.Strategy) + " "; !strings.Contains(row, want) || !strings.Contains(row, " "+format.CompactMoney(b.Surplus().Float())+" ") {
				t.Errorf("%s at %d: %s's row %q lacks %q or its surplus", tt.sc.Name, tt.w, b.Name, row, want)
			}
		}
	}
}

// TestInspectorSurplus: the inspector says what the winner kept and its
// surplus so far.
func TestInspectorSurplus(t *testing.T) {
	sc := bundled(t, "classroom-vickrey")
	eng := engineAt(t, sc, 5*sim.Second)
	m, _ := modelOn(t, sc, eng, 120, 40)
	press(m, "enter")
	rec := m.ctx.Snap().Recent[len(m.ctx.Snap().Recent)-1]
	if rec.Winner < 0 {
		t.Fatal("the newest auction did not sell; pick another time")
	}
	b := m.ctx.Snap().Bidders[rec.Winner]
	v := m.View()
	want := "Surplus: " + b.Name + " keeps " + strings.TrimSpace(format.CPM((rec.Responses[rec.Winner].Value - rec.Price).CPM()))
	if !strings.Contains(v, want) || !strings.Contains(v, format.Money(b.Surplus().Float())+" so far") {
		t.Errorf("the inspector lacks %q and the surplus so far:\n%s", want, v)
	}
}

// TestStrategyChangesReplay: strategy changes made with g, < and > in a
// paced run are logged and exported like every change, and the export
// replays to the very same state: strategies, surplus and all.
func TestStrategyChangesReplay(t *testing.T) {
	sc := bundled(t, "classroom-vickrey")
	dir := t.TempDir()
	m, _, pump := liveModel(t, sc, modelOptions{export: report.Write, exportDir: dir})
	steps := func(n int) {
		for range n {
			press(m, ".")
			pump()
		}
	}
	for _, k := range []string{"g", ">"} { // ada shades by 0.85
		press(m, k)
		pump()
	}
	steps(30)
	press(m, "j")
	for _, k := range []string{"g", "g", "<"} { // bo bids a fixed 0.45
		press(m, k)
		pump()
	}
	steps(30)
	exported := m.ctx.Snap()
	if s := exported.Bidders[0].Strategy; s != (sim.Strategy{Kind: sim.Shade, Factor: 0.85}) {
		t.Fatalf("ada bids %v", s)
	}
	if s := exported.Bidders[1].Strategy; s != (sim.Strategy{Kind: sim.Fixed, Bid: sim.PriceOf(0.45)}) {
		t.Fatalf("bo bids %v", s)
	}
	_, rep := exportReplay(t, m)
	if len(rep.Changes) != 5 {
		t.Fatalf("%d changes in the export, want 5", len(rep.Changes))
	}
	eng := replayExport(t, rep)
	got := eng.Snapshot()
	if got.Exchange != exported.Exchange {
		t.Errorf("the replay differs:\n got %+v\nwant %+v", got.Exchange, exported.Exchange)
	}
	for i, b := range got.Bidders {
		if w := exported.Bidders[i]; b.Strategy != w.Strategy || b.Surplus() != w.Surplus() {
			t.Errorf("%s: replayed %v with surplus %v, exported %v with %v", b.Name, b.Strategy, b.Surplus(), w.Strategy, w.Surplus())
		}
	}
}

// tableRow is the bidders table's row of the bidder named name on screen
// v: among the lines after the table's column titles.
func tableRow(v, name string) string {
	in := false
	for _, line := range strings.Split(v, "\n") {
		switch {
		case strings.Contains(line, " win% "):
			in = true
		case strings.HasPrefix(line, "Latency"):
			in = false
		case in && strings.Contains(line, " "+name+" "):
			return line
		}
	}
	return ""
}

// TestStrategyMemoryPerWorld: the factor and bid last used are the
// world's own; another scenario starts from shadeStart.
func TestStrategyMemoryPerWorld(t *testing.T) {
	m, l, _ := testModel(t, 120, 40)
	for _, k := range []string{"g", "<", "<"} { // swift: shade 0.7
		press(m, k)
	}
	f := m.ctx.Frame
	f.World, f.Gen, f.Ack = "other", f.Gen+1, m.ctx.seq
	m.Update(frameMsg(f))
	l.sent = nil
	press(m, "g")
	if got := strategyChanges(l.cmds()); len(got) != 1 || got[0].Strategy != (sim.Strategy{Kind: sim.Shade, Factor: shadeStart}) {
		t.Errorf("in another world g sent %v, want shade %v", got, shadeStart)
	}
}

// TestStrategyNowShowsTheLearnedFactor: a learning bidder's row shows the
// factor it stands at, in the strategy column's width; others as before.
func TestStrategyNowShowsTheLearnedFactor(t *testing.T) {
	learn := sim.Strategy{Kind: sim.Learn}
	for _, tt := range []struct {
		s    sim.Strategy
		b    sim.BidderStats
		want string
	}{
		{learn, sim.BidderStats{Learn: &sim.LearnStats{Factor: 0.75, Updates: 9}}, "learn 0.75"},
		{learn, sim.BidderStats{Learn: &sim.LearnStats{Factor: 1, Updates: 1}}, "learn 1.00"},
		{learn, sim.BidderStats{}, "learn"},
		{sim.Strategy{Kind: sim.Shade, Factor: 0.8}, sim.BidderStats{}, "shade 0.80"},
	} {
		got := strategyNow(tt.s, tt.b)
		if got != tt.want || len([]rune(got)) > strategyColW {
			t.Errorf("%v with %+v: %q, want %q within %d cells", tt.s, tt.b.Learn, got, tt.want, strategyColW)
		}
	}
}
