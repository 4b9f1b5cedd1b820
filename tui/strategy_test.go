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

// TestStrategyKeys: g opens the chooser; a number (or ←/→ and enter)
// makes the selected bidder's strategy truthful, shade (0.8, or the
// factor last used), fixed (its mean value, or the bid last used),
// equilibrium or learn, one change each; < and > step the factor or the
// bid by strategyStep, within sim's ranges; on a truthful bidder they say
// why they do nothing. Each change goes to the engine and shows at once.
func TestStrategyKeys(t *testing.T) {
	m, l, _ := testModel(t, 160, 48)
	shade := func(f float64) sim.Strategy { return sim.Strategy{Kind: sim.Shade, Factor: f} }
	fixed := func(b float64) sim.Strategy { return sim.Strategy{Kind: sim.Fixed, Bid: sim.PriceOf(b)} }
	truthful := sim.Strategy{Kind: sim.Truthful}
	equilibrium := sim.Strategy{Kind: sim.Equilibrium}
	learn := sim.Strategy{Kind: sim.Learn}

	press(m, "<") // swift is truthful: nothing to step
	if len(l.sent) != 0 || !m.ctx.warn || !strings.Contains(m.ctx.status, "g first") {
		t.Errorf("< on a truthful bidder: sent %v, status %q", l.cmds(), m.ctx.status)
	}
	var want []sim.SetStrategy
	for _, tt := range []struct {
		keys []string
		want sim.Strategy
	}{
		{[]string{"g", "2"}, shade(0.8)},
		{[]string{">"}, shade(0.85)},
		{[]string{"<"}, shade(0.8)},
		{[]string{"<"}, shade(0.75)},
		{[]string{"g", "3"}, fixed(1.5)}, // swift's values are U[0.5, 2.5]
		{[]string{">"}, fixed(1.55)},
		{[]string{"g", "right", "enter"}, equilibrium},
		{[]string{"g", "1"}, truthful},
		{[]string{"g", "2"}, shade(0.75)},                       // the factor last used
		{[]string{"g", "3"}, fixed(1.55)},                       // the bid last used
		{[]string{"g", "left", "<", "<", "enter"}, shade(0.65)}, // adjusted in the chooser
		{[]string{"g", "5"}, learn},
		{[]string{"g", "g", "g", "enter"}, shade(0.65)}, // g moves on, wrapping
	} {
		for _, k := range tt.keys {
			press(m, k)
		}
		want = append(want, sim.SetStrategy{Bidder: "swift", Strategy: tt.want})
		if got := strategyChanges(l.cmds()); !reflect.DeepEqual(got, want) {
			t.Fatalf("after %v: sent %v, want %v", tt.keys, got, want)
		}
		if !strings.Contains(m.ctx.status, "swift strategy") || !strings.Contains(m.ctx.status, "→ "+tt.want.String()) {
			t.Errorf("after %v: status %q", tt.keys, m.ctx.status)
		}
		if _, open := m.ctx.top().(*strategyChooser); open {
			t.Errorf("after %v the chooser is still open", tt.keys)
		}
		if row, cell := tableRow(m.View(), "swift"), " "+strategyText(tt.want); !strings.Contains(row, cell) {
			t.Errorf("after %v: swift's row %q does not show %q", tt.keys, row, cell)
		}
	}
	// The strategy played again, or esc: nothing is sent.
	l.sent = nil
	for _, keys := range [][]string{{"g", "2"}, {"g", "1", "g", "esc"}} {
		for _, k := range keys {
			press(m, k)
		}
	}
	if got := strategyChanges(l.cmds()); !reflect.DeepEqual(got, []sim.SetStrategy{{Bidder: "swift", Strategy: truthful}}) {
		t.Errorf("choosing the same strategy, then esc: sent %v", got)
	}

	// Four bidders truthful: two presses and one change each.
	l.sent = nil
	for range 3 {
		press(m, "j")
		press(m, "g")
		press(m, "1")
	}
	if got := strategyChanges(l.cmds()); len(got) != 2 { // steady shades, crowded is fixed, the third is truthful
		t.Errorf("making the others truthful sent %v", got)
	}

	// The limits: a shade factor stays ≥ shadeMin, a fixed bid ≥ 0.
	press(m, "k")
	press(m, "k") // steady
	press(m, "g")
	press(m, "2")
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
}

// TestStrategyChooserView: the chooser draws under the dashboard, within
// the screen, with every option and the highlighted one's meaning.
func TestStrategyChooserView(t *testing.T) {
	small, _, _ := testModel(t, 80, 24)
	press(small, "g")
	sv := small.View()
	checkScreen(t, sv, 80, 24)
	if !strings.Contains(sv, "5 learn") || !strings.Contains(sv, "bids its value") {
		t.Errorf("at 80×24 the chooser is cut:\n%s", sv)
	}
	m, _, _ := testModel(t, 100, 30)
	press(m, "g")
	v := m.View()
	checkScreen(t, v, 100, 30)
	for _, want := range []string{"Strategy of swift, now truthful", "1 truthful", "2 shade 0.80", "3 fixed 1.50", "4 equilibrium", "5 learn", "bids its value", " win% "} {
		if !strings.Contains(v, want) {
			t.Errorf("the chooser lacks %q:\n%s", want, v)
		}
	}
	press(m, "right")
	if v := m.View(); !strings.Contains(v, "0.80 × its value") {
		t.Errorf("the shade option's meaning is missing:\n%s", v)
	}
}

// TestStrategyKeysQueueFull: with the engine's queue full, g changes
// nothing on screen and says so.
func TestStrategyKeysQueueFull(t *testing.T) {
	m, l, _ := testModel(t, 160, 48)
	l.full = true
	press(m, "g")
	press(m, "2")
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
		cols := surplusColumns(tableColumns(tt.w, names), tt.w, snap, true)
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
	if !strings.Contains(v, want) || !strings.Contains(v, money(b.Surplus().Float())+" so far") {
		t.Errorf("the inspector lacks %q and the surplus so far:\n%s", want, v)
	}
}

// TestStrategyChangesReplay: strategy changes made with g, < and > in a
// paced run are logged and exported like every change, and the export
// replays to the very same state: strategies, surplus and all.
func TestStrategyChangesReplay(t *testing.T) {
	sc := bundled(t, "classroom-vickrey")
	dir := t.TempDir()
	m, _, pump := liveModel(t, sc, modelOptions{export: report.WriteWith, exportDir: dir})
	steps := func(n int) {
		for range n {
			press(m, ".")
			pump()
		}
	}
	for _, k := range []string{"g", "2", ">"} { // ada shades by 0.85
		press(m, k)
		pump()
	}
	steps(30)
	press(m, "j")
	for _, k := range []string{"g", "3", "<"} { // bo bids a fixed 0.45
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
	if len(rep.Changes) != 4 {
		t.Fatalf("%d changes in the export, want 4", len(rep.Changes))
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
	for _, k := range []string{"g", "2", "<", "<"} { // swift: shade 0.7
		press(m, k)
	}
	f := m.ctx.Frame
	f.World, f.Gen, f.Ack = "other", f.Gen+1, m.ctx.seq
	m.Update(frameMsg(f))
	l.sent = nil
	press(m, "g")
	press(m, "2")
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

// TestInspectorStudiesTheStrategy: the inspector shows the selected
// bidder's surplus since its strategy change beside what truthful (and in
// first price equilibrium) bidding would have earned on the same auctions,
// as sim counts them, in currency units.
func TestInspectorStudiesTheStrategy(t *testing.T) {
	for _, tt := range []struct {
		scenario string
		first    bool
	}{{"classroom-vickrey", false}, {"first-vs-second", true}} {
		sc := bundled(t, tt.scenario)
		eng := engineAt(t, sc, 2*sim.Second)
		if err := eng.Apply(sim.SetStrategy{Bidder: sc.Config.Bidders[0].Name, Strategy: sim.Strategy{Kind: sim.Shade, Factor: 0.6}}); err != nil {
			t.Fatal(err)
		}
		eng.RunUntil(6 * sim.Second)
		m, _ := modelOn(t, sc, eng, 120, 40)
		press(m, "enter")
		v := strings.Join(strings.Fields(m.View()), " ")
		b := m.ctx.Snap().Bidders[0]
		cf := b.Counterfactual
		want := []string{
			b.Name + "'s strategy: shade 0.60 since its change at " + format.Clock(cf.Since),
			"surplus " + money(cf.Surplus.Float()) + " over " + format.Count(cf.Auctions) + " auctions",
			"bidding its value earns " + format.Money(cf.Truthful.Float()),
		}
		if tt.first {
			// What bidding the equilibrium earns, not "the equilibrium
			// bid 0.08", which read as a bid.
			want = append(want, "earns "+format.Money(cf.Truthful.Float())+", bidding the equilibrium "+format.Money(cf.Equilibrium.Float())+".")
		} else if strings.Contains(v, "equilibrium") {
			t.Errorf("%s: second price shows an equilibrium apart from truthful", tt.scenario)
		}
		if cf.Since != 2*sim.Second || cf.Auctions == 0 {
			t.Errorf("%s: %+v", tt.scenario, cf)
		}
		for _, w := range want {
			if !strings.Contains(v, w) {
				t.Errorf("%s: the inspector lacks %q:\n%s", tt.scenario, w, m.View())
			}
		}
	}
}
