package theme

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

func TestBar(t *testing.T) {
	th := New(FixedRenderer(termenv.Ascii))
	if got := th.Fill(0.5, 10); got != "█████░░░░░" {
		t.Errorf("half full: %q", got)
	}
	if got := th.Fill(0, 4); got != "░░░░" {
		t.Errorf("empty: %q", got)
	}
	got := Bar(10, 100, func(v float64) Cell {
		if v < 30 {
			return Cell{'█', &th.Bar}
		}
		return Cell{' ', nil}
	}, MarkAt(50, 100, 10), Cell{'│', &th.TmaxMark})
	if got != "███  │    " {
		t.Errorf("bar with a mark: %q", got)
	}
	if MarkAt(150, 100, 10) != -1 || MarkAt(100, 100, 10) != 9 {
		t.Error("MarkAt at the ends")
	}
	// In colour a run of one style is styled once.
	c := New(FixedRenderer(termenv.ANSI256)).Fill(0.5, 10)
	if ansi.Strip(c) != "█████░░░░░" || strings.Count(c, "\x1b[") > 4 {
		t.Errorf("colour bar %q", c)
	}
}
