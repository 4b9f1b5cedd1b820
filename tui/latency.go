package tui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/report/theme"
	"github.com/auctionsim/auctionsim/sim"
)

// renderLatency draws the latency panel: for each bidder p50, p95 and p99
// of its recent responses as a bar on a common scale with the tmax mark, so
// a trainer can point at who is being cut off now.
func renderLatency(c *Context, w, rows int, axis bool) string {
	snap, st := c.Snap(), c.Theme
	n := len(snap.Bidders)
	if rows == 0 {
		// The layout gives no rows where no bidder has latency
		// (AnswersAtOnce): a line says so rather than bars of 0.0ms.
		return format.Fit(st.Title.Render("Latency")+st.Dim.Render(" none: every bidder answers at once (0ms)"), w)
	}
	// Latencies run from the fan-out, after the exchange's own
	// processing: a bid is late past tmax less that.
	lead := c.Shown.set.TmaxAdjustments.RequestProcessing
	tmax := max(c.Shown.set.Tmax-lead, 0)
	scale, fixed := latencyScaleOf(c)
	told := toldDeadline(c)
	if told == tmax {
		told = 0 // the told deadline is the page's: one mark says both
	}
	nameW := 8
	for _, b := range snap.Bidders {
		nameW = max(nameW, ansi.StringWidth(b.Name)+2)
	}
	nameW = min(nameW, 20)
	names := tableNames(snap) // cut as the bidders table cuts them: told apart
	const numW = 7
	barW := max(w-nameW-3*numW-2, 8)
	start := min(max(c.Selected-rows/2, 0), max(n-rows, 0))
	title := st.Title.Render("Latency")
	if rows < n {
		title += st.Dim.Render(fmt.Sprintf(" (%d–%d of %d)", start+1, min(start+rows, n), n))
	}
	if since := staleNote(c); since != "" {
		// The wire stopped answering: the bars are its last answers'.
		title += st.Warn.Render(" " + since)
	}
	recent := " (recent)  "
	if c.presenting() {
		recent = "  " // room for the scale's name at 80 columns
	}
	// The whole legend, or, where w is too narrow for it (Prebid Server's
	// told deadline beside the exchange's own time), a shorter one: the
	// deadlines are kept longest, the words around them go first.
	// A percentile that ranks among the calls on the wire that got no
	// answer reads ">t", t when the wire stopped waiting: the legend says
	// what > means wherever a row shown has one.
	past := false
	for i := start; i < min(start+rows, n); i++ {
		l := snap.Bidders[i].RecentLatency
		past = past || l.P50Past || l.P95Past || l.P99Past
	}
	// The scale's name (fixed or auto) says how to read the bars after z
	// or r, so it outlasts the words "(recent)" and "exchange": those go
	// first, then the word "scale" ("fixed 0–360ms"), then its range
	// ("fixed scale"), and it is left out only where not even that fits.
	const (
		noScale = iota
		nameScale
		shortScale
		fullScale
	)
	legend := func(word int, withScale int, recentWord bool) string {
		l := " "
		if recentWord {
			l = st.Dim.Render(recent)
		}
		l += st.Bar.Render("█") + st.Dim.Render(" p50 ") + st.Bar.Render("▓") + st.Dim.Render(" p95 ") +
			st.Bar.Render("░") + st.Dim.Render(" p99 ") + st.TmaxMark.Render("│") +
			st.Dim.Render(tmaxLabel(c.Shown.set.Tmax, lead, word))
		if told > 0 {
			l += " " + st.Warn.Render(string(toldRune)) + st.Dim.Render(fmt.Sprintf(" told %v", told))
		}
		if past {
			l += st.Dim.Render(" · >: no answer")
		}
		switch withScale {
		case fullScale:
			l += st.Dim.Render(" · " + scaleLabel(scale, fixed))
		case shortScale:
			l += st.Dim.Render(" · " + shortScaleLabel(scale, fixed))
		case nameScale:
			l += st.Dim.Render(" · " + scaleName(fixed))
		}
		return l
	}
	// Tried longest first and drawn only as far as the first that fits:
	// a frame mostly needs the first.
	forms := []struct {
		word   int // tmaxLabel's form
		scale  int
		recent bool
	}{
		{2, fullScale, true}, {1, fullScale, true}, {1, fullScale, false},
		{1, shortScale, false}, {0, shortScale, false}, {1, nameScale, false},
		{0, nameScale, false}, {0, noScale, false},
	}
	for i, f := range forms {
		if l := legend(f.word, f.scale, f.recent); i == len(forms)-1 || ansi.StringWidth(title+l) <= w {
			title += l
			break
		}
	}
	lines := []string{title}
	for i := start; i < min(start+rows, n); i++ {
		b := snap.Bidders[i]
		mark := "  "
		if i == c.Selected {
			mark = "▸ "
		}
		name := format.Fit(mark+shortName(b.Name, names, nameW-ansi.StringWidth(mark)), nameW)
		if !c.Shown.bidders[i].enabled {
			name = st.Disabled.Render(name)
		}
		l := b.RecentLatency
		if l.Count == 0 && l.Censored == 0 {
			lines = append(lines, name+st.Dim.Render(" no answers yet"))
			continue
		}
		p50, p95, p99 := format.PadLeft(pastLatency(l.P50, l.P50Past), numW), format.PadLeft(pastLatency(l.P95, l.P95Past), numW), format.PadLeft(pastLatency(l.P99, l.P99Past), numW)
		stale := staleLatency(c, b.Name)
		switch {
		case stale:
			// From before the wire stopped: dim, as the title says.
			p50, p95, p99 = st.Dim.Render(p50), st.Dim.Render(p95), st.Dim.Render(p99)
		case l.P95 > tmax || l.P95Past:
			p95 = st.Bad.Render(p95)
		}
		lines = append(lines, name+p50+p95+p99+"  "+latencyBar(st, l, tmax, told, scale, barW, stale))
	}
	h := latencyChrome + rows
	if axis {
		mark := "↑tmax"
		if lead > 0 {
			mark = "↑timeout"
		}
		lines = append(lines, strings.Repeat(" ", nameW+3*numW+2)+st.Dim.Render(latencyAxisNamed(tmax, scale, barW, mark)))
		if told > 0 {
			lines = append(lines, strings.Repeat(" ", nameW+3*numW+2)+st.Dim.Render(toldAxis(told, scale, barW)))
			h++
		}
		h++
	}
	return format.Block(lines, w, h)
}

// pastLatency is a percentile t; past: on the wire it ranks among the
// calls that got no answer, known only to be past t, when the wire
// stopped waiting for them (">980ms").
func pastLatency(t sim.Time, past bool) string {
	if past {
		return ">" + format.Latency(t)
	}
	return format.Latency(t)
}

// latencyAxis labels a latency bar's scale: 0, tmax under its mark, and
// the scale's end.
func latencyAxis(tmax, scale sim.Time, w int) string {
	return latencyAxisNamed(tmax, scale, w, "↑tmax")
}

// latencyAxisNamed is latencyAxis with the mark named mark: "↑timeout"
// where the mark is tmax less the exchange's processing, as the legend
// names it (tmaxLabel), so that the two do not name it apart.
func latencyAxisNamed(tmax, scale sim.Time, w int, mark string) string {
	a := newAxisLine(w)
	at := int(float64(tmax) / float64(scale) * float64(w))
	a.put(0, "0")
	end := format.Latency(scale)
	if at+len(end)+len([]rune(mark))+1 < w {
		a.put(w-len(end), end)
	}
	a.put(at, mark)
	return string(a)
}

// axisLine is an axis' line of labels, one rune a cell.
type axisLine []rune

func newAxisLine(w int) axisLine { return axisLine(strings.Repeat(" ", w)) }

// put writes s from cell at, moved left as far as it must to end within
// the line.
func (a axisLine) put(at int, s string) {
	r := []rune(s)
	at = min(max(at, 0), len(a)-len(r))
	for i, c := range r {
		if at+i >= 0 && at+i < len(a) {
			a[at+i] = c
		}
	}
}

// latencyBar draws 0…scale in w cells: █ up to p50, ▓ to p95, ░ to p99,
// past tmax in the alarm colour, the tmax mark, the deadline bidders are
// told (told > 0) and » when p99 is off the scale; stale (the wire's
// last answers, staleLatency), every cell of the bar muted, as its figures
// are, so that it does not read as live, the marks left as they are.
func latencyBar(st *theme.Theme, l sim.LatencyStats, tmax, told, scale sim.Time, w int, stale bool) string {
	last := float64(scale) * float64(w-1) / float64(w)
	toldAt := -1
	if told > 0 {
		toldAt = theme.MarkAt(float64(told), float64(scale), w)
	}
	return theme.Bar(w, float64(scale), func(v float64) theme.Cell {
		if toldAt >= 0 && int(v/float64(scale)*float64(w)) == toldAt {
			return theme.Cell{Rune: toldRune, Style: &st.Warn}
		}
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
		if stale {
			return theme.Cell{Rune: r, Style: &st.Dim}
		}
		if t > tmax {
			return theme.Cell{Rune: r, Style: &st.BarOver}
		}
		return theme.Cell{Rune: r, Style: &st.Bar}
	}, int(float64(tmax)/float64(scale)*float64(w)), theme.Cell{Rune: '│', Style: &st.TmaxMark})
}

// tmaxLabel names the latency panel's tmax mark: tmax, less the
// exchange's processing when it has any, the mark's own time first so
// that it reads as the deadline it is ("timeout 970ms = tmax 990ms −
// 20ms exchange"): "tmax 990ms − 20ms" alone, at 80 columns, read as a
// sum left undone beside the told 880ms.
//
// form is how much it says: 2, that; 1, "timeout 970ms (tmax − 20ms)";
// 0, "timeout 970ms", for 80 columns beside the told deadline: the
// bidders' timeout, counted as their latencies are, from the fan-out.
func tmaxLabel(tmax, lead sim.Time, form int) string {
	at := max(tmax-lead, 0)
	switch {
	case lead > 0 && form >= 2:
		return fmt.Sprintf(" timeout %v = tmax %v − %v exchange", at, tmax, lead)
	case lead > 0 && form == 1:
		return fmt.Sprintf(" timeout %v (tmax − %v)", at, lead)
	case lead > 0:
		return fmt.Sprintf(" timeout %v", at)
	}
	return fmt.Sprintf(" tmax %v", tmax)
}

// toldRune marks the deadline bidders are told, under Prebid Server's
// tmax adjustments: dashed, apart from the page's tmax line.
const toldRune = '┊'

// toldDeadline is the deadline bidders are told when the exchange's tmax
// adjustments shorten it, else 0 (no second mark).
func toldDeadline(c *Context) sim.Time {
	s := c.Shown.set
	if s.TmaxAdjustments.IsZero() {
		return 0
	}
	return s.TmaxAdjustments.BidderTmax(s.Tmax)
}

// toldAxis labels the told deadline under its mark.
func toldAxis(told, scale sim.Time, w int) string {
	buf := []rune(strings.Repeat(" ", w))
	label := []rune("↑told " + format.Latency(told))
	at := min(max(int(float64(told)/float64(scale)*float64(w)), 0), max(w-len(label), 0))
	for i, r := range label {
		if at+i < w {
			buf[at+i] = r
		}
	}
	return string(buf)
}

// staleLatency reports whether bidder name's recent latencies are stale:
// it is on the wire, which has stopped answering (runner.Frame.Silent),
// so that they are its last answers', not the wire's now.
func staleLatency(c *Context, name string) bool {
	return c.Frame.Silent > 0 && slices.Contains(c.Frame.Remote, name)
}

// staleNote says since when the latencies of the bidders on the wire are
// stale, in the status line's words for the instant ("as of 6.8s: no
// answer since"); "" while the wire answers.
func staleNote(c *Context) string {
	if c.Frame.Silent == 0 {
		return ""
	}
	return "as of " + c.Frame.Silent.Duration().Round(100*time.Millisecond).String() + ": no answer since"
}
