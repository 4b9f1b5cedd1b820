package tui

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/auctionsim/auctionsim/sim"
)

// clock formats the virtual clock with a fixed width, h:mm:ss.mmm, so the
// header does not jitter as it ticks.
func clock(t sim.Time) string {
	ms := int64(t / sim.Millisecond)
	h := ms / 3_600_000
	return fmt.Sprintf("%d:%02d:%02d.%03d", h, ms/60_000%60, ms/1000%60, ms%1000)
}

// shortClock formats a virtual instant compactly for axes and the change
// log: "950ms", "12.3s", "4m05s", "1h02m".
func shortClock(t sim.Time) string {
	switch {
	case t < sim.Second:
		return fmt.Sprintf("%dms", t/sim.Millisecond)
	case t < 10*sim.Second:
		return fmt.Sprintf("%.2fs", t.Seconds())
	case t < sim.Minute:
		return fmt.Sprintf("%.1fs", t.Seconds())
	case t < sim.Hour:
		s := int64(t / sim.Second)
		return fmt.Sprintf("%dm%02ds", s/60, s%60)
	}
	m := int64(t / sim.Minute)
	return fmt.Sprintf("%dh%02dm", m/60, m%60)
}

// latency formats a response time: "0.4ms", "8.5ms", "120ms", "1.25s".
func latency(t sim.Time) string {
	ms := t.Milliseconds()
	switch {
	case ms < 10:
		return fmt.Sprintf("%.1fms", ms)
	case ms < 1000:
		return fmt.Sprintf("%.0fms", ms)
	}
	return fmt.Sprintf("%.2fs", ms/1000)
}

// meanTime is a latency distribution's mean as a duration.
func meanTime(d sim.Dist) sim.Time { return sim.Time(d.Mean()) }

// count formats n with thousands separators.
func count(n uint64) string {
	s := strconv.FormatUint(n, 10)
	if len(s) <= 3 {
		return s
	}
	var b strings.Builder
	pre := len(s) % 3
	if pre > 0 {
		b.WriteString(s[:pre])
	}
	for i := pre; i < len(s); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}

// money formats an amount of currency: "1,234.56".
func money(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "–"
	}
	neg := x < 0
	c := uint64(math.Round(math.Abs(x) * 100))
	s := count(c/100) + fmt.Sprintf(".%02d", c%100)
	if neg {
		return "-" + s
	}
	return s
}

// compactMoney fits an amount in a few cells: "12.34", "1.2k", "3.4M".
func compactMoney(x float64) string {
	switch a := math.Abs(x); {
	case a < 1000:
		return fmt.Sprintf("%.2f", x)
	case a < 1e6:
		return fmt.Sprintf("%.1fk", x/1e3)
	}
	return fmt.Sprintf("%.1fM", x/1e6)
}

// pct formats a share as a percentage.
func pct(x float64) string {
	switch {
	case math.IsNaN(x):
		return "–"
	case x > 0 && x < 0.001:
		return "<0.1%"
	}
	return fmt.Sprintf("%.1f%%", 100*x)
}

// ratio formats a rate of return; "–" when undefined (nothing spent).
func roasText(x float64, spent bool) string {
	if !spent || math.IsNaN(x) {
		return "–"
	}
	return fmt.Sprintf("%.2f", x)
}

// rate formats events per second; "–" when unknown.
func rate(x float64) string {
	switch {
	case x < 0:
		return "–"
	case x < 10:
		return fmt.Sprintf("%.1f", x)
	}
	return count(uint64(math.Round(x)))
}

// fit makes s exactly w cells wide: cut with an ellipsis, or padded.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := ansi.StringWidth(s)
	if sw > w {
		return ansi.Truncate(s, w, "…")
	}
	return s + strings.Repeat(" ", w-sw)
}

// padLeft right-aligns s in w cells.
func padLeft(s string, w int) string {
	if sw := ansi.StringWidth(s); sw < w {
		return strings.Repeat(" ", w-sw) + s
	}
	return s
}

// block makes lines into a w×h block: every line exactly w cells, exactly
// h lines. Panels are built as blocks so that joining them side by side
// never misaligns.
func block(lines []string, w, h int) string {
	var b strings.Builder
	b.Grow((w + 8) * h)
	for i := range h {
		if i > 0 {
			b.WriteByte('\n')
		}
		if i < len(lines) {
			b.WriteString(fit(lines[i], w))
		} else {
			b.WriteString(strings.Repeat(" ", w))
		}
	}
	return b.String()
}

// sideBySide joins equal-height blocks left to right with a gap.
func sideBySide(gap int, blocks ...string) string {
	cols := make([][]string, len(blocks))
	h := 0
	for i, bl := range blocks {
		cols[i] = strings.Split(bl, "\n")
		h = max(h, len(cols[i]))
	}
	sp := strings.Repeat(" ", gap)
	var b strings.Builder
	for y := range h {
		if y > 0 {
			b.WriteByte('\n')
		}
		for i, c := range cols {
			if i > 0 {
				b.WriteString(sp)
			}
			if y < len(c) {
				b.WriteString(c[y])
			}
		}
	}
	return b.String()
}
