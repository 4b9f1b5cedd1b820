package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

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
