package tui

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/sim"
)

// TestNoLatencyFolds: in a world where every bidder answers at once
// (classroom-vickrey) the bidders table has no late% or p95 column, the
// inspector no response bars nor time column, and the timeline no time
// line: they read 0.0% and 0.0ms on every row. A live change that gives a
// bidder latency brings them all back, at 80×24 as at 120×40.
func TestNoLatencyFolds(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		w, h := size[0], size[1]
		sc := bundled(t, "classroom-vickrey")
		eng := engineAt(t, sc, 2*sim.Second)
		m, _ := modelOn(t, sc, eng, w, h)
		v := ansi.Strip(m.View())
		checkScreen(t, v, w, h)
		table := tableHead(t, v)
		for _, col := range []string{"late%", "p95"} {
			if strings.Contains(table, col) {
				t.Errorf("%dx%d: the bidders table has %s without latency:\n%s", w, h, col, v)
			}
		}
		if strings.Contains(v, "late% last") {
			t.Errorf("%dx%d: the title explains a late%% column it lacks:\n%s", w, h, v)
		}

		press(m, "enter")
		v = ansi.Strip(m.View())
		checkScreen(t, v, w, h)
		if strings.Contains(v, "bars 0–") || strings.Contains(v, "response (│ tmax)") {
			t.Errorf("%dx%d: the inspector draws latency bars without latency:\n%s", w, h, v)
		}
		if names, head := inspectorRows(v); head == "" || len(names) != 5 || strings.Contains(head, "time") {
			t.Errorf("%dx%d: the inspector's response table (%d rows) has a time column or none:\n%s", w, h, len(names), v)
		}
		press(m, "v")
		v = ansi.Strip(m.View())
		checkScreen(t, v, w, h)
		if !strings.Contains(v, "no time line to draw") || strings.Contains(v, "0.0ms") || strings.Contains(v, "clock ") {
			t.Errorf("%dx%d: the timeline draws a time line without latency:\n%s", w, h, v)
		}
		if !strings.Contains(v, "wins: bid ") || !strings.Contains(v, "pays") {
			t.Errorf("%dx%d: the folded timeline lost the winner or the price:\n%s", w, h, v)
		}
		press(m, "esc")
		press(m, "esc")

		// Latency comes by a live change: every column and bar is back.
		if err := eng.Apply(sim.SetLatency{Bidder: "ada", Latency: sim.Constant(float64(30 * sim.Millisecond))}); err != nil {
			t.Fatal(err)
		}
		eng.RunUntil(3 * sim.Second)
		m.Update(frameMsg(frameOf(sc, eng.Snapshot(), t0, 0)))
		v = ansi.Strip(m.View())
		checkScreen(t, v, w, h)
		table = tableHead(t, v)
		for _, col := range []string{"late%", "p95"} {
			if !strings.Contains(table, col) {
				t.Errorf("%dx%d: with latency the bidders table lacks %s:\n%s", w, h, col, v)
			}
		}
		press(m, "enter")
		v = ansi.Strip(m.View())
		if !strings.Contains(v, "response (│ tmax)") || !strings.Contains(v, "30ms") {
			t.Errorf("%dx%d: with latency the inspector has no bars:\n%s", w, h, v)
		}
		press(m, "v")
		v = ansi.Strip(m.View())
		if strings.Contains(v, "no time line to draw") || !strings.Contains(v, "tmax 100ms") {
			t.Errorf("%dx%d: with latency the timeline stays folded:\n%s", w, h, v)
		}
	}
}

// tableHead is the bidders table's column heading in v.
func tableHead(t *testing.T, v string) string {
	t.Helper()
	for _, l := range strings.Split(v, "\n") {
		if strings.Contains(l, " bidder ") && strings.Contains(l, "win%") {
			return l
		}
	}
	t.Fatalf("no bidders table:\n%s", v)
	return ""
}

// TestNoLatencyTimelineSlots: the folded timeline of an auction of
// several slots (sponsored-search) gives each slot's price as the
// inspector does, not one winner's sentence.
func TestNoLatencyTimelineSlots(t *testing.T) {
	sc := bundled(t, "sponsored-search")
	eng := engineAt(t, sc, 2*sim.Second)
	m, _ := modelOn(t, sc, eng, 80, 24)
	press(m, "v")
	v := ansi.Strip(m.View())
	checkScreen(t, v, 80, 24)
	if !strings.Contains(v, "no time line to draw") {
		t.Fatalf("sponsored-search's timeline is not folded:\n%s", v)
	}
	for _, want := range []string{"slot 1 (α 1): ", "slot 2 (α 0.6): ", "slot 3 (α 0.3): "} {
		if !strings.Contains(v, want) {
			t.Errorf("the folded timeline lacks %q:\n%s", want, v)
		}
	}
	if strings.Contains(v, " wins and pays ") {
		t.Errorf("the folded timeline gives one winner's price of three slots:\n%s", v)
	}
}

// TestNoLatencyExchangePanel: without latency the Exchange panel has no
// wait p95, lost to timeouts or late bids (0.0ms, 0.00 and 0.0% on every
// frame) but a line saying why; the wide bidders table has no pacing
// column where every row's would be a dash (no bidder has a budget).
// Latency and a budget given live bring them back on the next frame.
func TestNoLatencyExchangePanel(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}, {160, 48}} {
		w, h := size[0], size[1]
		sc := bundled(t, "classroom-vickrey")
		eng := engineAt(t, sc, 2*sim.Second)
		m, _ := modelOn(t, sc, eng, w, h)
		v := ansi.Strip(m.View())
		checkScreen(t, v, w, h)
		for _, gone := range []string{"wait p95", "lost to timeouts"} {
			if strings.Contains(v, gone) {
				t.Errorf("%dx%d: the dashboard shows %q without latency:\n%s", w, h, gone, v)
			}
		}
		if lateRow.MatchString(v) {
			t.Errorf("%dx%d: the dashboard has a late bids row without latency:\n%s", w, h, v)
		}
		if !strings.Contains(v, "no wait, no late bids") {
			t.Errorf("%dx%d: the Exchange panel does not say why it has no wait:\n%s", w, h, v)
		}
		if strings.Contains(tableHead(t, v), "pacing") {
			t.Errorf("%dx%d: a pacing column of dashes:\n%s", w, h, v)
		}

		for _, c := range []sim.Change{
			sim.SetLatency{Bidder: "ada", Latency: sim.Constant(float64(30 * sim.Millisecond))},
			sim.SetBudget{Bidder: "bo", Total: sim.MoneyOf(100)},
		} {
			if err := eng.Apply(c); err != nil {
				t.Fatal(err)
			}
		}
		eng.RunUntil(3 * sim.Second)
		m.Update(frameMsg(frameOf(sc, eng.Snapshot(), t0, 0)))
		v = ansi.Strip(m.View())
		checkScreen(t, v, w, h)
		back := []string{"wait p95", "lost to timeouts"}
		if h >= 40 {
			// At 80×24 the latency panel's rows leave the Exchange
			// panel too few for its late bids.
			if !lateRow.MatchString(v) {
				t.Errorf("%dx%d: with latency the Exchange panel has no late bids row:\n%s", w, h, v)
			}
		}
		for _, back := range back {
			if !strings.Contains(v, back) {
				t.Errorf("%dx%d: with latency the Exchange panel lacks %q:\n%s", w, h, back, v)
			}
		}
		if strings.Contains(v, "no wait, no late bids") {
			t.Errorf("%dx%d: with latency the Exchange panel still says there is none:\n%s", w, h, v)
		}
		if paced := strings.Contains(tableHead(t, v), "pacing"); paced != (w >= wideWidth) {
			t.Errorf("%dx%d: with a budget the pacing column is shown %v, want %v (wide only):\n%s", w, h, paced, w >= wideWidth, v)
		}
	}
}

// lateRow is the Exchange panel's late bids row: its label, then its
// figure.
var lateRow = regexp.MustCompile(`late bids +[0-9]`)

// TestTimelineSlotsPrices: the timeline of an auction of several slots
// with a time line (latency given live to sponsored-search) gives each
// slot's price and why, wrapped within the width, not one winner's
// sentence; and what late bids cost as the slots' revenue, not as a price
// one winner would have paid.
func TestTimelineSlotsPrices(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		w, h := size[0], size[1]
		sc := bundled(t, "sponsored-search")
		eng := engineAt(t, sc, 2*sim.Second)
		for _, c := range []sim.Change{
			sim.SetLatency{Bidder: "ada", Latency: sim.Constant(float64(30 * sim.Millisecond))},
			sim.SetLatency{Bidder: "bo", Latency: sim.Constant(float64(130 * sim.Millisecond))},
		} {
			if err := eng.Apply(c); err != nil {
				t.Fatal(err)
			}
		}
		eng.RunUntil(3 * sim.Second)
		m, _ := modelOn(t, sc, eng, w, h)
		press(m, "v")
		tl, ok := m.ctx.top().(*timeline)
		if !ok {
			t.Fatalf("v opened %T", m.ctx.top())
		}
		tl.play = 4 * tl.cur.Tmax // past its end: the whole story shows
		v := ansi.Strip(m.View())
		checkScreen(t, v, w, h)
		if strings.Contains(v, "no time line to draw") {
			t.Fatalf("%dx%d: the timeline is folded with latency:\n%s", w, h, v)
		}
		for j := range tl.cur.Slots {
			if want := fmt.Sprintf("slot %d (α %g): ", j+1, tl.cur.Slots[j].Weight); !strings.Contains(v, want) {
				t.Errorf("%dx%d: the timeline lacks %q:\n%s", w, h, want, v)
			}
		}
		if len(tl.cur.Slots) < 2 || strings.Contains(v, " wins and pays ") {
			t.Errorf("%dx%d: the timeline gives one winner's price of %d slots:\n%s", w, h, len(tl.cur.Slots), v)
		}
		if tl.cur.LostToTimeouts > 0 && !strings.Contains(v, "the slots would have made "+format.Price(tl.cur.LostToTimeouts)+" CPM more") {
			t.Errorf("%dx%d: the late bids' cost is not the slots' (%s):\n%s", w, h, format.Price(tl.cur.LostToTimeouts), v)
		}
		if strings.Contains(v, "would win at") {
			t.Errorf("%dx%d: a price one winner would have paid, of several slots:\n%s", w, h, v)
		}
		// The whole explanation: its last word is on the screen.
		if !strings.Contains(v, "keeps ") || !strings.Contains(v, "Without the deadline") {
			t.Errorf("%dx%d: the slots' explanation is cut:\n%s", w, h, v)
		}
	}
}
