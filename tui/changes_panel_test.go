package tui

import (
	"io"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/report/theme"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/runner"
)

// TestChangesPanelShowsMoveDestination: in a panel narrower than a move's
// text, the change log wraps the move under itself instead of cutting it,
// so that both moves from one member show where the budget went.
func TestChangesPanelShowsMoveDestination(t *testing.T) {
	snap := &sim.Snapshot{Changes: []sim.AppliedChange{
		{At: 10 * sim.Second, Change: sim.MoveBudget{From: "acme-retarget", To: "acme-prospect", Amount: sim.MoneyOf(100)}},
		{At: 20 * sim.Second, Change: sim.MoveBudget{From: "acme-retarget", To: "acme-lookalike", Amount: sim.MoneyOf(100)}, Scripted: true},
	}}
	c := &Context{Theme: theme.New(theme.NewRenderer(io.Discard, true)), Frame: runner.Frame{Snap: snap}}
	const w = 40
	out := changesPanel(c, w, 12)
	flat := strings.Join(strings.Fields(out), " ")
	for _, want := range []string{"acme-retarget → acme-prospect", "acme-retarget → acme-lookalike", "script move budget"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the panel does not show %q:\n%s", want, out)
		}
	}
	for _, line := range strings.Split(out, "\n") {
		if n := len([]rune(line)); n > w {
			t.Errorf("line of %d runes in a panel of %d: %q", n, w, line)
		}
		if strings.Contains(line, "…") {
			t.Errorf("a cut line: %q", line)
		}
	}
}

// TestChangeLogShowsTheChangeBesideTheMarksLegend: while the exchange
// panel marks its wait (it reaches before the change), the change log
// still names the newest change, whole, and explains the mark in what
// room is left: beside the change in one line (80×24), in the longest
// wording that fits, cut where none does; in a panel of two lines, beside
// the title, cut, rather than on the line the change needs. (Before, the
// legend took the change's place: "Changes (1) · * wait p95 (recent):
// partly before the change", the change itself nowhere.)
func TestChangeLogShowsTheChangeBesideTheMarksLegend(t *testing.T) {
	legend := waitMark + " wait p95 (recent): " + beforeTheChange
	for _, c := range []struct {
		change     sim.Change
		w          int
		wantLegend string // "": cut
	}{
		{sim.SetTmax{Tmax: 80 * sim.Millisecond}, 120, legend},
		{sim.SetTmax{Tmax: 80 * sim.Millisecond}, 80, "* partly before the change"},
		{sim.SetTmax{Tmax: 80 * sim.Millisecond}, 60, "* partly pre-change"},
		{sim.MoveBudget{From: "acme-retarget", To: "acme-prospect", Amount: sim.MoneyOf(100)}, 80, ""},
	} {
		snap := &sim.Snapshot{Changes: []sim.AppliedChange{{At: 20 * sim.Second, Change: c.change}}}
		ctx := &Context{Theme: theme.New(theme.NewRenderer(io.Discard, true)), Frame: runner.Frame{Snap: snap}}
		what := format.ShortClock(20*sim.Second) + " " + scenarios.ChangeText(c.change)
		line := changesLine(ctx, c.w, legend)
		if n := len([]rune(line)); n != c.w {
			t.Errorf("%d columns: a line of %d: %q", c.w, n, line)
		}
		if !strings.Contains(line, "Changes (1) · "+what) {
			t.Errorf("%d columns: the line does not name the change %q: %q", c.w, what, line)
		}
		if c.wantLegend != "" && !strings.Contains(line, what+" · "+c.wantLegend) {
			t.Errorf("%d columns: %q, want %q beside the change", c.w, line, c.wantLegend)
		}
		if c.wantLegend == "" && !strings.Contains(line, what+" · *") {
			t.Errorf("%d columns: %q, want the legend cut beside the change", c.w, line)
		}
		// Two lines: the title, cut where the legend does not fit beside
		// it, and the change.
		panel := strings.Split(changesPanelWith(ctx, 40, 2, legend), "\n")
		if len(panel) != 2 || !strings.HasPrefix(panel[0], "Changes (1, newest first) · *") || !strings.Contains(panel[1], format.ShortClock(20*sim.Second)) {
			t.Errorf("a panel of 2 lines at 40 columns: %q, want the legend beside the title and the change under it", panel)
		}
	}
}
