package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// A long day's counts fit the exchange panel beside their labels: the
// no-bids and errors in full where they fit, with k/M suffixes where
// not, never run into the label or cut (at 100 columns the panel read
// "no-bids · errors1,414,985 ·…").
func TestExchangePanelLongCounts(t *testing.T) {
	m, _, _ := testModel(t, 100, 40)
	s := *m.ctx.Frame.Snap
	s.Exchange.NoBids, s.Exchange.Errors = 1_414_985, 2_345_678
	m.ctx.Frame.Snap = &s
	for _, w := range []int{30, 34, 48} {
		var row string
		for _, l := range strings.Split(ansi.Strip(exchangePanel(m.ctx, w, 30)), "\n") {
			if strings.HasPrefix(l, "no-bids · errors") {
				row = l
			}
		}
		switch {
		case row == "":
			t.Errorf("width %d: no no-bids row", w)
		case !strings.HasPrefix(row, "no-bids · errors "), strings.Contains(row, "…"):
			t.Errorf("width %d: %q runs into its label or is cut", w, row)
		case w >= 48 && !strings.HasSuffix(strings.TrimRight(row, " "), "1,414,985 · 2,345,678"):
			t.Errorf("width %d: %q, want the full counts", w, row)
		case w < 48 && !strings.HasSuffix(strings.TrimRight(row, " "), "1.41M · 2.35M"):
			t.Errorf("width %d: %q, want the counts with suffixes", w, row)
		}
	}
}

// TestExchangePanelSaysRefused: the exchange panel shows the refused
// requests when there are some (a full queue; on the wire nothing
// listening), which are not errors: before, a dashboard on the wire with
// nothing listening read "0 · 0" no-bids and errors here beside the
// header's "1,510 errors", and the refusals nowhere.
func TestExchangePanelSaysRefused(t *testing.T) {
	m, _, _ := testModel(t, 160, 48)
	s := *m.ctx.Frame.Snap
	s.Exchange.Refused = 1_510
	m.ctx.Frame.Snap = &s
	found := false
	for _, l := range strings.Split(ansi.Strip(exchangePanel(m.ctx, 48, 30)), "\n") {
		if strings.HasPrefix(l, "refused ") && strings.HasSuffix(strings.TrimRight(l, " "), " 1,510") {
			found = true
		}
	}
	if !found {
		t.Errorf("no refused row:\n%s", ansi.Strip(exchangePanel(m.ctx, 48, 30)))
	}
	s.Exchange.Refused = 0
	if p := ansi.Strip(exchangePanel(m.ctx, 48, 30)); strings.Contains(p, "refused") {
		t.Errorf("a refused row with none refused:\n%s", p)
	}
}
