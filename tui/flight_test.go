package tui

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/sim"
)

// flightModel is a 160×48 model on flight-week that has seen frames at
// at-100ms and at, with bidder sel selected.
func flightModel(t *testing.T, at sim.Time, sel string) (*model, *fakeLink) {
	t.Helper()
	sc := bundled(t, "flight-week")
	eng := engineAt(t, sc, at-100*sim.Millisecond)
	first := eng.Snapshot()
	eng.RunUntil(at)
	m, l, _ := recordingModel(t, sc, 160, 48, frameOf(sc, first, t0, 0), frameOf(sc, eng.Snapshot(), t0.Add(100*time.Millisecond), 0))
	for m.ctx.Snap().Bidders[m.ctx.Selected].Name != sel {
		press(m, "j")
	}
	return m, l
}

func capOf(k int, per sim.Time) *sim.FrequencyCap { return &sim.FrequencyCap{Impressions: k, Per: per} }

// TestFlightKeys: d/D step the selected bidder's daily budget by
// dailyScale, in whole cents, and u/U its frequency cap by one, each one
// live change, compounding before a frame confirms them; U starts a cap
// on a bidder with people and none; a bidder without a daily budget is
// told so, and nothing is sent.
func TestFlightKeys(t *testing.T) {
	m, l := flightModel(t, 10*sim.Minute, "globex-capped")
	for _, k := range []string{"D", "D", "d", "U", "u", "u"} {
		press(m, k)
	}
	want := []sim.Change{
		sim.SetDaily{Bidder: "globex-capped", Daily: sim.MoneyOf(31.25)},
		sim.SetDaily{Bidder: "globex-capped", Daily: sim.MoneyOf(39.06)},
		sim.SetDaily{Bidder: "globex-capped", Daily: sim.MoneyOf(31.24)},
		sim.SetFrequencyCap{Bidder: "globex-capped", Cap: capOf(4, 24*sim.Hour)},
		sim.SetFrequencyCap{Bidder: "globex-capped", Cap: capOf(3, 24*sim.Hour)},
		sim.SetFrequencyCap{Bidder: "globex-capped", Cap: capOf(2, 24*sim.Hour)},
	}
	if got := appliedChanges(l.cmds()); !reflect.DeepEqual(got, want) {
		t.Errorf("changes sent\n %v\nwant\n %v", got, want)
	}

	m, l = flightModel(t, 10*sim.Minute, "rival")
	press(m, "D")
	if v := m.View(); !strings.Contains(v, "rival has no daily budget") {
		t.Errorf("D on a bidder without a daily budget says nothing:\n%s", v)
	}
	press(m, "u")
	if v := m.View(); !strings.Contains(v, "rival has no frequency cap: U sets one") {
		t.Errorf("u on an uncapped bidder says nothing:\n%s", v)
	}
	press(m, "U")
	want = []sim.Change{sim.SetFrequencyCap{Bidder: "rival", Cap: capOf(capStart, capPerDefault)}}
	if got := appliedChanges(l.cmds()); !reflect.DeepEqual(got, want) {
		t.Errorf("changes sent %v, want %v", got, want)
	}

	// Without people there is no cap to set.
	gm, gl, _ := goalModel(t, "{kind: shade, factor: 0.8}", 10*sim.Second)
	press(gm, "U")
	if v := gm.View(); !strings.Contains(v, "a frequency cap needs people") || len(appliedChanges(gl.cmds())) != 0 {
		t.Errorf("U without people: %v\n%s", appliedChanges(gl.cmds()), v)
	}
}

// TestSetFormFlight: = on a bidder with a daily budget and people offers
// its total, its daily budget and its cap (↑/↓), each with its current
// value; a daily-only bidder opens on its daily budget; enter sets the
// one picked; 0 takes the cap off; a cap that is not a whole number is
// refused with the form left open.
func TestSetFormFlight(t *testing.T) {
	m, l := flightModel(t, 10*sim.Minute, "globex-capped")
	press(m, "=")
	if v := m.View(); !strings.Contains(v, "Set total budget of globex-capped") || !strings.Contains(v, "▸total  daily  cap") {
		t.Fatalf("= does not offer total, daily and cap:\n%s", v)
	}
	press(m, "down")
	if v := m.View(); !strings.Contains(v, "Set daily budget") || !strings.Contains(v, "amount 25") {
		t.Fatalf("↓ does not pick the daily budget, at 25:\n%s", v)
	}
	for _, k := range []string{"4", "0", "enter"} {
		press(m, k)
	}
	press(m, "=")
	press(m, "up")
	if v := m.View(); !strings.Contains(v, "Set frequency cap") || !strings.Contains(v, "amount 3") {
		t.Fatalf("↑ from total does not wrap to the cap, at 3:\n%s", v)
	}
	for _, k := range []string{"2", ".", "5", "enter"} {
		press(m, k)
	}
	if v := m.View(); !strings.Contains(v, "a whole number of impressions") || !strings.Contains(v, "Set frequency cap") {
		t.Errorf("a cap of 2.5 is not refused in the open form:\n%s", v)
	}
	for _, k := range []string{"backspace", "backspace", "backspace", "6", "enter"} {
		press(m, k)
	}
	press(m, "=")
	for _, k := range []string{"down", "down", "0", "enter"} {
		press(m, k)
	}
	want := []sim.Change{
		sim.SetDaily{Bidder: "globex-capped", Daily: sim.MoneyOf(40)},
		sim.SetFrequencyCap{Bidder: "globex-capped", Cap: capOf(6, 24*sim.Hour)},
		sim.SetFrequencyCap{Bidder: "globex-capped", Cap: nil},
	}
	if got := appliedChanges(l.cmds()); !reflect.DeepEqual(got, want) {
		t.Errorf("changes sent\n %v\nwant\n %v", got, want)
	}

	// flight-week's daily-only bidder opens on its daily budget.
	m, _ = flightModel(t, 10*sim.Minute, "acme-even")
	press(m, "=")
	if v := m.View(); !strings.Contains(v, "Set daily budget of acme-even") || !strings.Contains(v, "amount 20") {
		t.Errorf("= on a daily-only bidder:\n%s", v)
	}
	// acme-even is in group acme: setting its daily budget changes the
	// group's daily sum, which the status says, as b says a total's.
	for _, k := range []string{"backspace", "backspace", "3", "0", "enter"} {
		press(m, k)
	}
	if !strings.Contains(m.ctx.status, "group acme's daily sum changes: m moves budget and keeps it") {
		t.Errorf("status %q, want the group's daily sum drifting", m.ctx.status)
	}
}

// TestFlightKeysReplay: a daily budget and a frequency cap changed with
// the keys and the = form are logged as their path assignments
// (bidders.NAME.budget.daily, bidders.NAME.frequency_cap), and the
// export replays to the very same state.
func TestFlightKeysReplay(t *testing.T) {
	sc := bundled(t, "flight-week")
	dir := t.TempDir()
	m, _, pump := liveModel(t, sc, modelOptions{export: report.WriteWith, exportDir: dir})
	step := func(n int) {
		for range n {
			press(m, ".")
			pump()
		}
	}
	step(30)
	for m.ctx.Snap().Bidders[m.ctx.Selected].Name != "globex-capped" {
		press(m, "j")
	}
	press(m, "D")
	pump()
	step(30)
	press(m, "u")
	pump()
	step(30)
	press(m, "=")
	for _, k := range []string{"down", "1", "2", "enter"} {
		press(m, k)
	}
	pump()
	step(30)
	exported := m.ctx.Snap()
	b, _ := exported.FindBidder("globex-capped")
	if b.Daily != sim.MoneyOf(12) || b.Frequency.Cap == nil || b.Frequency.Cap.Impressions != 2 {
		t.Fatalf("after the keys: daily %v, cap %+v", b.Daily, b.Frequency.Cap)
	}
	em, rep := exportReplay(t, m)
	m.Update(em)
	if len(rep.Changes) != 3 {
		t.Fatalf("%d changes in the export", len(rep.Changes))
	}
	var doc struct {
		Changes []struct {
			Set map[string]string `json:"set"`
		} `json:"changes"`
	}
	readExport(t, em.path, &doc)
	var sets []string
	for _, c := range doc.Changes {
		for p, v := range c.Set {
			sets = append(sets, p+"="+v)
		}
	}
	want := []string{"bidders.globex-capped.budget.daily=31.25", "bidders.globex-capped.frequency_cap={impressions: 2, per: 24h}",
		"bidders.globex-capped.budget.daily=12"}
	if !reflect.DeepEqual(sets, want) {
		t.Errorf("the change log's assignments %q, want %q", sets, want)
	}
	got := replayExport(t, rep).Snapshot()
	gb, _ := got.FindBidder("globex-capped")
	if got.Exchange != exported.Exchange || !reflect.DeepEqual(gb.Days, b.Days) || fmt.Sprintf("%+v", *gb.Frequency) != fmt.Sprintf("%+v", *b.Frequency) { // NaN ≠ NaN
		t.Errorf("the replay differs:\n got %+v %+v\nwant %+v %+v", got.Exchange, gb.Days, exported.Exchange, b.Days)
	}
}

// TestFlightOnDashboard: on flight-week in its third day, the selected
// bidder's days against its daily budget (a bar a day, the day in
// progress's spend against its budget), its people by the impressions
// each saw (in the table's title, as far as it fits, and bar by bar in
// the side panel)
// and a goal bidder's target against what it has realised are on the
// screen, each as the engine counts them.
func TestFlightOnDashboard(t *testing.T) {
	at := 2*sim.Day + 15*sim.Hour
	m, _ := flightModel(t, at, "globex-capped")
	b := m.ctx.Snap().Bidders[m.ctx.Selected]
	if len(b.Days) != 3 || b.Frequency == nil || b.Frequency.Cap == nil {
		t.Fatalf("globex-capped: days %v, frequency %+v", b.Days, b.Frequency)
	}
	bars := []rune(dayBlocks)
	var want strings.Builder
	for _, d := range b.Days {
		want.WriteRune(bars[int(0.5+8*min(d.Spend.Float()/d.Budget.Float(), 1))])
	}
	today := b.Days[2]
	v := m.View()
	// The bidders' title names the selected bidder, then (with a holdout)
	// its test, then its days.
	days := "days " + want.String() + " day 2 " + format.CompactMoney(today.Spend.Float()) + "/" + format.CompactMoney(today.Budget.Float())
	if !titleHas(v, "Bidders globex-capped", days) {
		t.Errorf("no %q in globex-capped's title on the screen:\n%s", days, v)
	}
	f := b.Frequency
	var sum uint64
	for i, n := range f.Distribution {
		sum += n
		share := float64(n) / float64(f.PeopleReached)
		if n > 0 && !strings.Contains(v, format.PadLeft(bucketLabel(i), 6)+" ") || n > 0 && !strings.Contains(v, format.Pct(share)) {
			t.Errorf("the people panel lacks bucket %s at %s:\n%s", bucketLabel(i), format.Pct(share), v)
		}
	}
	if sum != f.PeopleReached || f.Distribution[1] == 0 || !strings.Contains(v, "People by impressions of globex-capped") {
		t.Errorf("distribution %v of %d reached:\n%s", f.Distribution, f.PeopleReached, v)
	}

	m, _ = flightModel(t, at, "initech-cpa")
	g := m.ctx.Snap().Bidders[m.ctx.Selected].Goal
	if g == nil || g.Realised != g.Realised {
		t.Fatalf("initech-cpa's goal %+v", g)
	}
	if want := "initech-cpa target CPA 0.18 realised " + format.Fixed(g.Realised, 2); !strings.Contains(m.View(), want) {
		t.Errorf("no %q on the screen:\n%s", want, m.View())
	}
}

// TestNarrowCellsNeverWrap: the day's bar and the counts fit the cell
// they are given at any width the table gives them (a cell wider than
// its column wraps onto a line of its own and pushes a bidder off the
// table, as 80 columns did with a whole day spent and 1,114,953 bids).
func TestNarrowCellsNeverWrap(t *testing.T) {
	d := sim.DaySpend{Day: 6, Spend: sim.MoneyOf(30), Budget: sim.MoneyOf(30)}
	for w := 8; w <= 40; w++ {
		if got := ansi.StringWidth(dayBar(d, w)); got > w {
			t.Errorf("dayBar at %d cells is %d wide: %q", w, got, dayBar(d, w))
		}
	}
	for _, n := range []uint64{0, 999, 190_141, 1_114_953, 98_765_432_109} {
		for w := 6; w <= 12; w++ {
			if c := countCell(n, w); len(c) > w {
				t.Errorf("countCell(%d, %d) = %q", n, w, c)
			}
		}
	}
	if countCell(190_141, 7) != "190,141" || countCell(1_114_953, 7) != "1.11M" {
		t.Errorf("counts: %q, %q", countCell(190_141, 7), countCell(1_114_953, 7))
	}
}

// titleHas says whether the screen's line beginning with title (after
// its indent) also holds want.
func titleHas(screen, title, want string) bool {
	for _, l := range strings.Split(screen, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), title) && strings.Contains(l, want) {
			return true
		}
	}
	return false
}

// TestSetFormUnlimitedTotal: on a bidder without a total budget (a
// daily-only line item, or an unlimited one), = shows its total as
// unlimited, not as a budget of 0, and starts the amount empty, so that
// picking the total and pressing enter cannot cap the bidder at 0: it is
// refused with the form left open, and a typed amount still sets a total.
func TestSetFormUnlimitedTotal(t *testing.T) {
	m, l := flightModel(t, 10*sim.Minute, "acme-even")
	press(m, "=")
	press(m, "up")
	v := ansi.Strip(m.View())
	if !strings.Contains(v, "Set total budget of acme-even") || !strings.Contains(v, "no total budget (unlimited)") || strings.Contains(v, "budget 0.00") {
		t.Fatalf("= total on a daily-only bidder:\n%s", v)
	}
	press(m, "enter")
	if got := appliedChanges(l.cmds()); len(got) != 0 {
		t.Errorf("enter on the untouched total sent %v", got)
	}
	if _, ok := m.ctx.top().(*budgetForm); !ok {
		t.Errorf("the form closed on an empty amount")
	}
	press(m, "esc")

	m, l = flightModel(t, 10*sim.Minute, "rival")
	press(m, "=")
	if f, ok := m.ctx.top().(*budgetForm); !ok || f.input.Value() != "" {
		t.Fatalf("= on an unlimited bidder opened %T", m.ctx.top())
	}
	for _, k := range []string{"5", "0", "enter"} {
		press(m, k)
	}
	want := []sim.Change{sim.SetBudget{Bidder: "rival", Total: sim.MoneyOf(50)}}
	if got := appliedChanges(l.cmds()); !reflect.DeepEqual(got, want) {
		t.Errorf("changes sent %v, want %v", got, want)
	}
	// The status says what the total was: none, not 0.00.
	if s := m.ctx.status; !strings.Contains(s, "rival budget unlimited → 50.00") {
		t.Errorf("status %q: want the total from unlimited, not from 0.00", s)
	}
	m, _ = flightModel(t, 10*sim.Minute, "acme-even")
	for _, k := range []string{"=", "up", "1", "0", "0", "enter"} {
		press(m, k)
	}
	if s := m.ctx.status; !strings.Contains(s, "acme-even budget unlimited → 100.00") {
		t.Errorf("status %q: want the total from unlimited, not from 0.00", s)
	}
}

// TestSetFormUnchanged: enter on the = form's amount as it opened (the
// total, the daily budget or the cap as they are, or no cap left at 0)
// sends no change: the change log and the export keep only changes.
func TestSetFormUnchanged(t *testing.T) {
	m, l := flightModel(t, 10*sim.Minute, "globex-capped")
	for _, keys := range [][]string{{"=", "enter"}, {"=", "down", "enter"}, {"=", "up", "enter"}} {
		for _, k := range keys {
			press(m, k)
		}
		if !strings.Contains(m.ctx.status, "unchanged") {
			t.Errorf("%v: status %q", keys, m.ctx.status)
		}
	}
	m2, l2 := flightModel(t, 10*sim.Minute, "rival")
	for _, k := range []string{"=", "up", "0", "enter"} {
		press(m2, k)
	}
	if got := append(appliedChanges(l.cmds()), appliedChanges(l2.cmds())...); len(got) != 0 {
		t.Errorf("unchanged amounts sent %v", got)
	}
	// A changed amount is still sent.
	for _, k := range []string{"=", "down", "3", "0", "enter"} {
		press(m, k)
	}
	if got := appliedChanges(l.cmds()); len(got) != 1 {
		t.Errorf("a new daily budget sent %v", got)
	}
}

// TestFlightKeysSmallDaily: D raises a daily budget by at least a cent,
// so a small one (below 0.04, where ×1.25 rounds back down to whole
// cents) goes up rather than staying put or reading as its minimum; d
// still rounds down, to the minimum message below a cent.
func TestFlightKeysSmallDaily(t *testing.T) {
	m, l := flightModel(t, 10*sim.Minute, "acme-even")
	i := m.ctx.Selected
	for _, c := range []struct{ from, want float64 }{{0.03, 0.04}, {0.01, 0.02}, {0.001, 0.01}} {
		m.ctx.Shown.bidders[i].daily = sim.MoneyOf(c.from)
		before := len(appliedChanges(l.cmds()))
		press(m, "D")
		got := appliedChanges(l.cmds())
		if len(got) != before+1 || got[len(got)-1] != (sim.SetDaily{Bidder: "acme-even", Daily: sim.MoneyOf(c.want)}) {
			t.Errorf("D on %v: sent %v, want a daily budget of %v (status %q)", c.from, got, c.want, m.ctx.status)
		}
	}
	n := len(appliedChanges(l.cmds()))
	m.ctx.Shown.bidders[i].daily = sim.MoneyOf(0.01)
	press(m, "d")
	if got := appliedChanges(l.cmds()); len(got) != n || !strings.Contains(m.ctx.status, "minimum") {
		t.Errorf("d on 0.01: sent %v, status %q", got[n:], m.ctx.status)
	}
}
