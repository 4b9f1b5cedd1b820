// Package format turns auctionsim's numbers into text for people: the
// dashboard and the `run` table share it, so a figure reads the same in
// both. An undefined value (a NaN ratio from sim) prints as Dash.
package format

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/auctionsim/auctionsim/sim"
)

// Dash stands for a value that does not apply: ROAS with nothing spent,
// a mean price with no wins.
const Dash = "–"

// undefined reports whether x has no value to print.
func undefined(x float64) bool { return math.IsNaN(x) || math.IsInf(x, 0) }

// Clock formats the virtual clock with a fixed width, h:mm:ss.mmm, so a
// header does not jitter as it ticks.
func Clock(t sim.Time) string {
	ms := int64(t / sim.Millisecond)
	h := ms / 3_600_000
	return fmt.Sprintf("%d:%02d:%02d.%03d", h, ms/60_000%60, ms/1000%60, ms%1000)
}

// ShortClock formats a virtual instant compactly for axes and the change
// log: "950ms", "1.25s", "12.3s", "4m05s", "1h02m".
func ShortClock(t sim.Time) string {
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

// Duration formats a virtual duration the way Go does, to the
// millisecond: "10m0s".
func Duration(t sim.Time) string { return t.Duration().Round(time.Millisecond).String() }

// Window formats a window of time as a scenario writes one, without its
// zero tails: "24h", "90s", "1m30s", "1h30m" (a frequency cap's per).
func Window(d sim.Time) string { return d.Window() }

// Latency formats a response time: "0.4ms", "8.5ms", "120ms", "1.25s".
func Latency(t sim.Time) string {
	ms := t.Milliseconds()
	switch {
	case ms < 10:
		return fmt.Sprintf("%.1fms", ms)
	case ms < 1000:
		return fmt.Sprintf("%.0fms", ms)
	}
	return fmt.Sprintf("%.2fs", ms/1000)
}

// Count formats n with thousands separators: "1,234,567".
func Count(n uint64) string {
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

// Money formats an amount of currency: "1,234.56".
func Money(x float64) string {
	if undefined(x) {
		return Dash
	}
	c := uint64(math.Round(math.Abs(x) * 100))
	s := Count(c/100) + fmt.Sprintf(".%02d", c%100)
	if x < 0 && c > 0 { // an amount that rounds to 0.00 has no sign: not "-0.00"
		return "-" + s
	}
	return s
}

// CompactMoney fits an amount in a few cells: "12.34", "1.2k", "3.4M".
func CompactMoney(x float64) string {
	switch a := math.Abs(x); {
	case undefined(x):
		return Dash
	case a < 0.005:
		return "0.00" // not "-0.00" for a tiny negative amount
	case a < 1000:
		return fmt.Sprintf("%.2f", x)
	case a < 1e6:
		return fmt.Sprintf("%.1fk", x/1e3)
	}
	return fmt.Sprintf("%.1fM", x/1e6)
}

// CPM formats a price in CPM with two decimals: "1.25".
func CPM(x float64) string { return Fixed(x, 2) }

// Price formats a sim price in CPM with two decimals.
func Price(p sim.Price) string { return CPM(p.CPM()) }

// Fixed formats x with digits decimals; Dash when undefined.
func Fixed(x float64, digits int) string {
	if undefined(x) {
		return Dash
	}
	return strconv.FormatFloat(x, 'f', digits, 64)
}

// Pct formats a share as a percentage: "12.3%", "<0.1%"; Dash when
// undefined.
func Pct(x float64) string {
	switch {
	case undefined(x):
		return Dash
	case x > 0 && x < 0.001:
		return "<0.1%"
	}
	return fmt.Sprintf("%.1f%%", 100*x)
}

// ROAS formats a return on ad spend: "2.45"; Dash when undefined (nothing
// spent, or no outcome model).
func ROAS(x float64) string { return Fixed(x, 2) }

// Rate formats events per second: "4.2", "1,234"; Dash when unknown
// (negative).
func Rate(x float64) string {
	switch {
	case x < 0 || undefined(x):
		return Dash
	case x < 10:
		return fmt.Sprintf("%.1f", x)
	}
	return Count(uint64(math.Round(x)))
}

// SI formats x with a k/M/G suffix: "980", "12.3k", "4.56M".
func SI(x float64) string {
	switch {
	case undefined(x):
		return Dash
	case x >= 1e9:
		return Fixed(x/1e9, 2) + "G"
	case x >= 1e6:
		return Fixed(x/1e6, 2) + "M"
	case x >= 1e3:
		return Fixed(x/1e3, 1) + "k"
	}
	return Fixed(x, 0)
}

// Fit makes s exactly w cells wide: cut with an ellipsis, or padded.
func Fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := ansi.StringWidth(s)
	if sw > w {
		return ansi.Truncate(s, w, "…")
	}
	return s + strings.Repeat(" ", w-sw)
}

// Plural is one when n is 1, else many: "1 worker", "2 workers".
func Plural[N ~int | ~uint64](n N, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Width is s's width in terminal cells: a wide character (中, 🎯) counts
// 2, a combining mark 0, escape sequences nothing.
func Width(s string) int { return ansi.StringWidth(s) }

// PadRight left-aligns s in w cells: fmt's %-*s counts runes, so a name
// with wide characters would push the columns after it out of line.
func PadRight(s string, w int) string {
	if sw := ansi.StringWidth(s); sw < w {
		return s + strings.Repeat(" ", w-sw)
	}
	return s
}

// PadLeft right-aligns s in w cells.
func PadLeft(s string, w int) string {
	if sw := ansi.StringWidth(s); sw < w {
		return strings.Repeat(" ", w-sw) + s
	}
	return s
}

// Block makes lines into a w×h block: every line exactly w cells, exactly
// h lines. Panels are built as blocks so that joining them side by side
// never misaligns.
func Block(lines []string, w, h int) string {
	var b strings.Builder
	b.Grow((w + 8) * h)
	for i := range h {
		if i > 0 {
			b.WriteByte('\n')
		}
		if i < len(lines) {
			b.WriteString(Fit(lines[i], w))
		} else {
			b.WriteString(strings.Repeat(" ", w))
		}
	}
	return b.String()
}

// SideBySide joins equal-height blocks left to right with a gap.
func SideBySide(gap int, blocks ...string) string {
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

// Wrap breaks text into lines of at most width terminal cells, at spaces
// (a wide character, as in a bidder named 中文, takes two); paragraph
// breaks (blank lines) are kept.
func Wrap(text string, width int) []string {
	var lines []string
	for i, para := range strings.Split(text, "\n\n") {
		if i > 0 {
			lines = append(lines, "")
		}
		lines = append(lines, WrapBy(para, func(l string) bool { return ansi.StringWidth(l) <= width })...)
	}
	return lines
}

// WrapBy breaks text into lines at spaces, as many words a line as fits
// says fit (a word alone always does): Wrap by runes, a figure's notes by
// their font's width.
func WrapBy(text string, fits func(line string) bool) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		switch {
		case line == "":
			line = word
		case fits(line + " " + word):
			line += " " + word
		default:
			lines = append(lines, line)
			line = word
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// GroupUncapped says a group has no cap: a member has neither a budget nor
// a daily budget. The summary's table and the dashboard's row both ask.
func GroupUncapped(g sim.GroupStats) bool {
	return g.Uncapped > 0 || g.Unlimited > 0 && g.Daily == 0
}

// GroupBudget words a capped group's budget with money: the members'
// budgets added up, the daily budgets of those without one as "/day"
// ("40.00/day", "120.00 + 30.00/day"), as a member's row writes its own.
func GroupBudget(g sim.GroupStats, money func(float64) string) string {
	switch {
	case g.Daily == 0:
		return money(g.Budget.Float())
	case g.Budget == 0:
		return money(g.Daily.Float()) + "/day"
	}
	return money(g.Budget.Float()) + " + " + money(g.Daily.Float()) + "/day"
}

// GoalKind names a goal bidder's target: "CPA", or "ROAS (…)" with what
// the ROAS counts. The summary's goals table and the dashboard's note
// both write it.
func GoalKind(g *sim.Goal) string {
	if g.Kind == sim.TargetROAS {
		return "ROAS (" + g.On.String() + ")"
	}
	return "CPA"
}

// nbHyphen, a non-breaking hyphen one cell wide, stands in for a minus
// sign while a text is wrapped.
const nbHyphen = "\u2011"

// nbMinus stands in for a subtraction's " - " while a text is wrapped:
// non-breaking spaces around nbHyphen, so that "0.219 - 0.809" stays on
// one line, never "0.219 -" over "0.809" (a minus split from its figure
// to the eye), and "value - price" with it.
const nbMinus = "\u00a0" + nbHyphen + "\u00a0"

// WrapWith breaks s into lines of at most width cells with wrap
// (ansi.Wordwrap, or ansi.Wrap, which also breaks words too long for a
// line), never between a minus sign and its figure: ansi's wrapping
// breaks after any '-', which left a surplus of "-0.590" as "-" at one
// line's end and "0.590", a gain to the eye, at the next's start; nor
// in a subtraction ("0.219 - 0.809", "value - price"). The game's and
// the classroom's screens wrap with it. width ≤ 0: s as it is.
func WrapWith(wrap func(s string, limit int, breakpoints string) string, s string, width int) string {
	return wrapKeeping(wrap, s, width, false)
}

// Wordwrap breaks s into lines of at most width cells at spaces alone,
// never inside a word: ansi.Wordwrap also breaks after any '-', which
// split a flag after its dashes ("run --" over "json's"), a compound
// ("second-" over "price") and a minus from its figure. A word wider
// than the line is broken where it must (ansi.Wrap), so no line passes
// width. ANSI styling is kept. The dashboard's inspector and the run
// summary wrap with it. width ≤ 0: s as it is.
func Wordwrap(s string, width int) string {
	return wrapKeeping(ansi.Wordwrap, s, width, true)
}

// wrapKeeping is WrapWith, and with every also keeps each word with a
// hyphen in it whole (Wordwrap).
func wrapKeeping(wrap func(s string, limit int, breakpoints string) string, s string, width int, every bool) string {
	if width <= 0 {
		return s
	}
	if strings.Contains(s, nbHyphen) {
		// Cannot tell ours from the text's own: wrapped as it is.
		return wrap(s, width, "")
	}
	var b strings.Builder
	figure := func(i int) bool { return i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') }
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\x1b':
			// An escape sequence passes whole: a hyphen in it (a
			// hyperlink's address) is no word's.
			j := escapeEnd(s, i)
			b.WriteString(s[i:j])
			i = j - 1
			continue
		case strings.HasPrefix(s[i:], " - "):
			b.WriteString(nbMinus)
			i += 2
			continue
		case s[i] == '-' && (every || figure(i+1)):
			b.WriteString(nbHyphen)
			continue
		}
		b.WriteByte(s[i])
	}
	out := wrap(b.String(), width, "")
	for _, line := range strings.Split(out, "\n") {
		if ansi.StringWidth(line) > width {
			// ansi.Wordwrap leaves a word too long for the line whole,
			// and a line one cell too wide where a '-' ends it at the
			// limit ("second-" at 37 columns): a terminal would wrap it,
			// pushing the screen down. ansi.Wrap breaks such words.
			out = ansi.Wrap(b.String(), width, "")
			break
		}
	}
	return strings.ReplaceAll(strings.ReplaceAll(out, nbMinus, " - "), nbHyphen, "-")
}

// escapeEnd is where the escape sequence at s[i] (an ESC) ends: a CSI's
// after its final byte (0x40–0x7E), an OSC's or a string's after its BEL
// or ST (ESC \), any other after the byte that follows the ESC.
func escapeEnd(s string, i int) int {
	if i+1 >= len(s) {
		return len(s)
	}
	switch s[i+1] {
	case '[':
		for j := i + 2; j < len(s); j++ {
			if s[j] >= 0x40 && s[j] <= 0x7e {
				return j + 1
			}
		}
		return len(s)
	case ']', 'P', '_', '^':
		for j := i + 2; j < len(s); j++ {
			if s[j] == '\a' {
				return j + 1
			}
			if s[j] == '\x1b' && j+1 < len(s) && s[j+1] == '\\' {
				return j + 2
			}
		}
		return len(s)
	}
	return i + 2
}

// WrapPath breaks s, plain text of paths and assignments (a change log's
// bidders.acme-retarget.disabled=true), into lines of at most width
// cells: at spaces, else after a '.', '=' or ',' inside a word (never at
// a decimal point, nor at a '-', which joins a name): the break falls
// between the parts of a path, not inside one ("disabled=tru" over "e").
// Only a part wider than the line is cut, where it must be. width ≤ 0: s
// as it is.
func WrapPath(s string, width int) string {
	if width <= 0 {
		return s
	}
	var lines []string
	line := ""
	put := func(piece string, space bool) {
		sep := ""
		if space && line != "" {
			sep = " "
		}
		if ansi.StringWidth(line+sep+piece) <= width {
			line += sep + piece
			return
		}
		if line != "" {
			lines = append(lines, line)
		}
		line = ""
		// A part wider than the line: cut where it must be.
		for ansi.StringWidth(piece) > width {
			head := ansi.Truncate(piece, width, "")
			if head == "" { // a wide character wider than width
				head = string([]rune(piece)[:1])
			}
			lines = append(lines, head)
			piece = piece[len(head):]
		}
		line = piece
	}
	for _, word := range strings.Fields(s) {
		for i, piece := range pathParts(word) {
			put(piece, i == 0)
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

// pathParts splits word after each '.', '=' or ',' that is not a decimal
// point (a digit on both sides): the places WrapPath may break it.
func pathParts(word string) []string {
	digit := func(i int) bool { return i >= 0 && i < len(word) && word[i] >= '0' && word[i] <= '9' }
	var parts []string
	start := 0
	for i := 0; i < len(word); i++ {
		switch word[i] {
		case '.':
			if digit(i-1) && digit(i+1) {
				continue
			}
		case '=', ',':
		default:
			continue
		}
		parts = append(parts, word[start:i+1])
		start = i + 1
	}
	if start < len(word) {
		parts = append(parts, word[start:])
	}
	return parts
}
