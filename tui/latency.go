package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/tui/format"
	"github.com/auctionsim/auctionsim/tui/theme"
)

// renderLatency draws the latency panel: for each bidder p50, p95 and p99
// of its recent responses as a bar on a common scale with the tmax mark, so
// a trainer can point at who is being cut off now.
func renderLatency(c *Context, w, rows int, axis bool) string {
	snap, st := c.Snap(), c.Theme
	n := len(snap.Bidders)
	tmax := c.Shown.set.Tmax
	scale := tmax * 3 / 2
	for _, b := range snap.Bidders {
		scale = max(scale, min(b.RecentLatency.P99*11/10, tmax*3))
	}
	nameW := 8
	for _, b := range snap.Bidders {
		nameW = max(nameW, ansi.StringWidth(b.Name)+2)
	}
	nameW = min(nameW, 20)
	const numW = 7
	barW := max(w-nameW-3*numW-2, 8)
	start := min(max(c.Selected-rows/2, 0), max(n-rows, 0))
	title := st.Title.Render("Latency")
	if rows < n {
		title += st.Dim.Render(fmt.Sprintf(" (%d–%d of %d)", start+1, min(start+rows, n), n))
	}
	title += st.Dim.Render(" (recent)  ") +
		st.Bar.Render("█") + st.Dim.Render(" p50 ") + st.Bar.Render("▓") + st.Dim.Render(" p95 ") +
		st.Bar.Render("░") + st.Dim.Render(" p99 ") + st.TmaxMark.Render("│") +
		st.Dim.Render(fmt.Sprintf(" tmax %v · scale 0–%v", tmax, format.Latency(scale)))
	lines := []string{title}
	for i := start; i < min(start+rows, n); i++ {
		b := snap.Bidders[i]
		mark := "  "
		if i == c.Selected {
			mark = "▸ "
		}
		name := format.Fit(mark+b.Name, nameW)
		if !c.Shown.bidders[i].enabled {
			name = st.Disabled.Render(name)
		}
		l := b.RecentLatency
		if l.Count == 0 {
			lines = append(lines, name+st.Dim.Render(" no answers yet"))
			continue
		}
		p95 := format.PadLeft(format.Latency(l.P95), numW)
		if l.P95 > tmax {
			p95 = st.Bad.Render(p95)
		}
		lines = append(lines, name+format.PadLeft(format.Latency(l.P50), numW)+p95+format.PadLeft(format.Latency(l.P99), numW)+"  "+
			latencyBar(st, l, tmax, scale, barW))
	}
	h := latencyChrome + rows
	if axis {
		lines = append(lines, strings.Repeat(" ", nameW+3*numW+2)+st.Dim.Render(latencyAxis(tmax, scale, barW)))
		h++
	}
	return format.Block(lines, w, h)
}

// latencyAxis labels a latency bar's scale: 0, tmax under its mark, and
// the scale's end.
func latencyAxis(tmax, scale sim.Time, w int) string {
	buf := []rune(strings.Repeat(" ", w))
	put := func(at int, s string) {
		r := []rune(s)
		at = min(max(at, 0), w-len(r))
		for i, c := range r {
			if at+i >= 0 && at+i < w {
				buf[at+i] = c
			}
		}
	}
	mark := int(float64(tmax) / float64(scale) * float64(w))
	put(0, "0")
	end := format.Latency(scale)
	if mark+len(end)+6 < w {
		put(w-len(end), end)
	}
	put(mark, "↑tmax")
	return string(buf)
}

// latencyBar draws 0…scale in w cells: █ up to p50, ▓ to p95, ░ to p99,
// past tmax in the alarm colour, the tmax mark, and » when p99 is off the
// scale.
func latencyBar(st *theme.Theme, l sim.LatencyStats, tmax, scale sim.Time, w int) string {
	last := float64(scale) * float64(w-1) / float64(w)
	return theme.Bar(w, float64(scale), func(v float64) theme.Cell {
		t := sim.Time(v)
		r := ' '
		switch {
		case t <= l.P50:
			r = '█'
		case t <= l.P95:
			r = '▓'
		case t <= l.P99:
			r = '░'
		}
		if v > last && l.P99 > scale {
			r = '»'
		}
		if r == ' ' {
			return theme.Cell{Rune: ' ', Style: &st.Plain}
		}
		if t > tmax {
			return theme.Cell{Rune: r, Style: &st.BarOver}
		}
		return theme.Cell{Rune: r, Style: &st.Bar}
	}, int(float64(tmax)/float64(scale)*float64(w)), theme.Cell{Rune: '│', Style: &st.TmaxMark})
}
