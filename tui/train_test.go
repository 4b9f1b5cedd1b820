package tui

import (
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/auctionsim/auctionsim/sim"
)

// TestWireLineHugeCountsKeepInFlight: an hour on the wire at 1,000 qps
// (8-digit counts, as wire.Live writes them with their shorter forms)
// still has the calls in flight at 80 columns, so that the counts add up
// to those sent, and the machine's tag whole; at 120 the counts are
// whole, the calls in flight named as calls. Before, at 80 columns the
// counts lost "in flight" and read some calls short.
func TestWireLineHugeCountsKeepInFlight(t *testing.T) {
	const (
		tag  = ": machine made 2.9% late"
		line = "on the wire: 8 bidders · 28,812,345 sent: 28,100,020 answered 1,234 errors 710,091 timeouts 1,000 calls in flight · wait p50/p95 120ms/120ms · added p50/p99 1.9/25.5ms" + tag
	)
	forms := [][]string{
		{"on the wire", "wire"},
		{"28,812,345 sent: 28,100,020 answered 1,234 errors 710,091 timeouts 1,000 in flight", "28.81M sent: 28.10M answered 1,234 errors 710.1k timeouts 1,000 in flight"},
		nil,
		{"added 1.9/25.5ms" + tag},
	}
	m, _ := wireModel(t, line, 80, 24)
	got := foldLine(wireLine(m.ctx.Snap(), line, forms, 80), 80)
	want := []string{"wire · 28.81M sent: 28.10M answered 1,234 errors 710.1k timeouts 1,000 in flight", "wait p50/p95 120ms/120ms · added p50/p99 1.9/25.5ms" + tag}
	if !slices.Equal(got, want) {
		t.Errorf("at 80 columns: %q, want %q", got, want)
	}
	for _, l := range got {
		if ansi.StringWidth(l) > 80 {
			t.Errorf("at 80 columns a line of %d cells: %q", ansi.StringWidth(l), l)
		}
	}
	got = foldLine(wireLine(m.ctx.Snap(), line, forms, 120), 120)
	if len(got) != 2 || !strings.Contains(got[0], "28,812,345 sent: 28,100,020 answered 1,234 errors 710,091 timeouts 1,000 calls in flight") || !strings.HasSuffix(got[1], tag) {
		t.Errorf("at 120 columns: %q, want the counts whole with the calls in flight, and %q", got, tag)
	}
	// Counts of four digits keep "on the wire" and give up "calls".
	const small = "on the wire: 8 bidders · 6,696 sent: 4,808 answered 2 errors 1,782 timeouts 104 calls in flight · wait p50/p95 120ms/120ms"
	smallForms := [][]string{{"on the wire", "wire"}, {"6,696 sent: 4,808 answered 2 errors 1,782 timeouts 104 in flight", "6,696 sent: 4,808 answered 2 errors 1,782 timeouts 104 in flight"}}
	got = foldLine(wireLine(m.ctx.Snap(), small, smallForms, 80), 80)
	if want := "on the wire · 6,696 sent: 4,808 answered 2 errors 1,782 timeouts 104 in flight"; len(got) == 0 || got[0] != want {
		t.Errorf("at 80 columns: %q, want the first line %q", got, want)
	}
}

// TestWireScreenSaysMeasuredNotVirtual: on the wire the exchange panel
// has no "virtual/s" (the engine's clock is the wall clock there) and
// names its auctions in flight as auctions, beside the header's calls in
// flight; a simulation keeps its virtual rate where it has room.
func TestWireScreenSaysMeasuredNotVirtual(t *testing.T) {
	m, _ := wireModel(t, busyLine, 120, 40)
	v := m.View()
	if strings.Contains(v, "virtual") || strings.Contains(v, "simulated") {
		t.Errorf("on the wire the screen says virtual or simulated:\n%s", v)
	}
	if !strings.Contains(v, "auctions in flight") || !strings.Contains(v, "calls in flight") {
		t.Errorf("on the wire the screen does not say auctions in flight beside calls in flight:\n%s", v)
	}
	sc := bundled(t, "timeout-demo")
	s, _ := modelOn(t, sc, engineAt(t, sc, 3*sim.Second), 120, 40)
	if v := s.View(); !strings.Contains(v, "virtual/s") {
		t.Errorf("a simulation at 120x40 lost its virtual rate:\n%s", v)
	}
}

// TestLatencyLegendNamesTheTimeout: prebid-server's latency panel names
// its mark as the bidders' timeout it is, tmax less the exchange's 20 ms,
// beside the deadline they are told, at 80 and 120 columns, after t too
// (990 ms); before, at 80 columns it read "tmax 990ms − 20ms ┊ told
// 880ms", a sum left undone.
func TestLatencyLegendNamesTheTimeout(t *testing.T) {
	sc := bundled(t, "prebid-server")
	for _, wh := range [][2]int{{80, 24}, {120, 40}} {
		m, _ := modelOn(t, sc, engineAt(t, sc, 3*sim.Second), wh[0], wh[1])
		for _, want := range [][2]string{{"timeout 980ms", "told 890ms"}} {
			if l := latencyTitle(m.View()); !strings.Contains(l, "│ "+want[0]) || !strings.Contains(l, "┊ "+want[1]) || strings.Contains(l, "tmax 1s − ") {
				t.Errorf("at %dx%d: latency title %q, want %q and %q", wh[0], wh[1], l, want[0], want[1])
			}
		}
	}
	c := func(w int) string {
		m, _ := modelOn(t, sc, engineAt(t, sc, 3*sim.Second), 200, 60)
		l, _, _ := strings.Cut(renderLatency(m.ctx, w, 4, false), "\n")
		return ansi.Strip(l)
	}
	if l := c(200); !strings.Contains(l, "timeout 980ms = tmax 1s − 20ms exchange") {
		t.Errorf("at 200 columns: %q, want the whole sum", l)
	}
	// The axis names the mark as the legend does; without the exchange's
	// processing it is tmax itself.
	for name, want := range map[string]string{"prebid-server": "↑timeout", "timeout-demo": "↑tmax"} {
		sc := bundled(t, name)
		m, _ := modelOn(t, sc, engineAt(t, sc, 3*sim.Second), 120, 40)
		if p := ansi.Strip(renderLatency(m.ctx, 120, 4, true)); !strings.Contains(p, want) {
			t.Errorf("%s: the latency axis lacks %q:\n%s", name, want, p)
		}
	}
}

// latencyTitle is the latency panel's title line of a screen.
func latencyTitle(v string) string {
	for _, l := range strings.Split(v, "\n") {
		if strings.HasPrefix(l, "Latency") {
			return l
		}
	}
	return ""
}

// TestPresentationSaysOnTheWire: presentation mode has no header, so on
// the wire its status line says the figures are the wire's, with the
// machine's tag, and offers no pause, which the wall clock refuses; a
// simulation's offers it.
func TestPresentationSaysOnTheWire(t *testing.T) {
	for _, c := range []struct {
		line      string
		want, not string
	}{
		{busyLine, "on the wire: machine busy · P leaves", "space pause"},
		{"on the wire: ada · 100 sent: 100 answered 0 errors 0 timeouts 0 calls in flight · added p50/p99 1.8/35.4ms: machine made 6.9% late", "on the wire: machine made 6.9% late · P leaves", "space pause"},
		{"", "space pause", "on the wire"},
	} {
		m, _ := wireModel(t, c.line, 80, 24)
		press(m, "P")
		if c.line != "" && !strings.Contains(m.ctx.status, "presentation mode "+c.want[:strings.Index(c.want, " · ")]) {
			t.Errorf("line %q: P's note %q, want it to say %q", c.line, m.ctx.status, c.want)
		}
		m.ctx.status = "" // the note that P opened it, gone
		v := m.View()
		lines := strings.Split(v, "\n")
		last := lines[len(lines)-1]
		if !strings.Contains(last, c.want) || strings.Contains(last, c.not) {
			t.Errorf("line %q: presentation's status %q, want %q and no %q", c.line, last, c.want, c.not)
		}
	}
}

// TestWireLineAfterAnOutageKeepsTheWait: after a bidders' server stopped
// mid-demo the counts carry its refused connections and no longer share
// a line at 80 columns; they go to the second line of their own and the
// wait stays on the first. Before, "wire" stood alone on the first line
// and the second was cut with "…", the wait lost.
func TestWireLineAfterAnOutageKeepsTheWait(t *testing.T) {
	const (
		counts = "19,232 sent: 12,113 answered 114 errors 6,165 refused 155 timeouts 685 calls in flight"
		line   = "on the wire: 5 bidders · " + counts + " · wait p50/p95 410ms/1.00s · added p50/p99 1.8/40.5ms"
	)
	forms := [][]string{
		{"on the wire", "wire"},
		{"19,232 sent: 12,113 answered 114 errors 6,165 refused 155 timeouts 685 in flight", "19.2k sent: 12.1k answered 114 errors 6,165 refused 155 timeouts 685 in flight"},
		nil,
		{"added 1.8/40.5ms"},
	}
	m, _ := wireModel(t, line, 80, 24)
	got := foldLine(wireLine(m.ctx.Snap(), line, forms, 80), 80)
	if len(got) != 2 || !strings.Contains(got[0], "wait p50/p95 410ms/1.00s") || !strings.HasPrefix(got[0], "wire") ||
		!strings.Contains(got[1], "6,165 refused") || !strings.HasSuffix(got[1], "in flight") {
		t.Errorf("at 80 columns: %q, want the wire and its wait first, the counts whole second", got)
	}
	for _, l := range got {
		if ansi.StringWidth(l) > 80 {
			t.Errorf("at 80 columns a line of %d cells: %q", ansi.StringWidth(l), l)
		}
	}
	// Where the counts share a line, their order stays.
	if got := foldLine(wireLine(m.ctx.Snap(), line, forms, 120), 120); len(got) == 0 || !strings.Contains(got[0], counts) {
		t.Errorf("at 120 columns: %q, want the counts whole on the first line", got)
	}
}
