package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestWireCountsReadableAt80: with refused connections and counts of six
// digits and more, the counts at 80 columns stand on their own line, every
// one with its label, the labels shortened where even their shortest
// numbers do not fit; before, the line was cut with "…" and lost its end
// (the timeouts and the calls in flight). At 120 columns the labels stay
// whole.
func TestWireCountsReadableAt80(t *testing.T) {
	for _, c := range []struct {
		whole, short, compact string
		want                  []string // the counts' words at 80 columns, in order
	}{
		{
			// Six digits: 1,234,567 = 456,789 + 123,456 + 512,345 + 141,000 + 977.
			whole:   "1,234,567 sent: 456,789 answered 123,456 errors 512,345 refused 141,000 timeouts 977 calls in flight",
			short:   "1,234,567 sent: 456,789 answered 123,456 errors 512,345 refused 141,000 timeouts 977 in flight",
			compact: "1.23M sent: 456.8k answered 123.5k errors 512.3k refused 141.0k timeouts 977 in flight",
			want:    []string{"1.23M sent:", "456.8k ans", "123.5k err", "512.3k refused", "141.0k t/o", "977 in flight"},
		},
		{
			// Nine: days on the wire, a server long stopped.
			whole:   "312,345,678 sent: 123,456,789 answered 12,345,678 errors 150,000,000 refused 26,542,234 timeouts 977 calls in flight",
			short:   "312,345,678 sent: 123,456,789 answered 12,345,678 errors 150,000,000 refused 26,542,234 timeouts 977 in flight",
			compact: "312.35M sent: 123.46M answered 12.35M errors 150.00M refused 26.54M timeouts 977 in flight",
			want:    []string{"312.35M sent:", "123.46M ans", "12.35M err", "150.00M ref", "26.54M t/o", "977 in flight"},
		},
	} {
		line := "on the wire: 8 bidders · " + c.whole + " · wait p50/p95 120ms/120ms · added p50/p99 1.8/40.5ms"
		forms := [][]string{{"on the wire", "wire"}, {c.short, c.compact}, nil, {"added 1.8/40.5ms"}}
		m, _ := wireModel(t, line, 80, 24)
		got := foldLine(wireLine(m.ctx.Snap(), line, forms, 80), 80)
		all := strings.Join(got, "\n")
		if len(got) != 2 || strings.Contains(all, "…") || !strings.HasPrefix(got[0], "wire") || !strings.Contains(got[0], "wait p50/p95 120ms/120ms") {
			t.Errorf("at 80 columns: %q, want the wire and its wait first, the counts whole second", got)
		}
		for _, l := range got {
			if ansi.StringWidth(l) > 80 {
				t.Errorf("at 80 columns a line of %d cells: %q", ansi.StringWidth(l), l)
			}
		}
		if len(got) == 2 {
			rest := got[1]
			for _, w := range c.want {
				at := strings.Index(rest, w)
				if at < 0 {
					t.Errorf("at 80 columns the counts %q lack %q (in its place)", got[1], w)
					break
				}
				rest = rest[at+len(w):]
			}
		}
		wide := strings.Join(foldLine(wireLine(m.ctx.Snap(), line, forms, 120), 120), "\n")
		for _, w := range []string{" sent: ", " answered ", " errors ", " refused ", " timeouts ", " in flight"} {
			if !strings.Contains(wide, w) || strings.Contains(wide, "…") {
				t.Errorf("at 120 columns: %q, want the counts with their labels whole (%q)", wide, w)
			}
		}
	}
}
