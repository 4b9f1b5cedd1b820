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

func TestModes(t *testing.T) {
	for in, want := range map[string]Mode{"light": LightMode, "Dark": DarkMode, "auto": Auto, "": Auto} {
		if m, err := ParseMode(in); err != nil || m != want {
			t.Errorf("ParseMode(%q) = %v, %v", in, m, err)
		}
	}
	if _, err := ParseMode("solarized"); err == nil || !strings.Contains(err.Error(), "light, dark or auto") {
		t.Errorf("solarized: %v", err)
	}
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == "COLORFGBG" {
				return v
			}
			return ""
		}
	}
	for v, want := range map[string]string{"": "dark", "15;0": "dark", "0;15": "light", "0;default;15": "light", "0;7": "light", "7;8": "dark", "x": "dark"} {
		if got := Auto.Palette(env(v)).Name; got != want {
			t.Errorf("auto with COLORFGBG=%q: %s, want %s", v, got, want)
		}
	}
	if LightMode.Palette(env("15;0")) != Light() || DarkMode.Palette(env("0;15")) != Dark() {
		t.Error("an explicit mode is not the environment's")
	}
	// The light theme draws in its own colours; the zero palette is dark.
	light := NewWith(FixedRenderer(termenv.ANSI256), Light()).Title.Render("x")
	dark := NewWith(FixedRenderer(termenv.ANSI256), Palette{}).Title.Render("x")
	if !strings.Contains(light, "38;5;25") || !strings.Contains(dark, "38;5;39") {
		t.Errorf("light title %q, dark title %q", light, dark)
	}
	if sel := NewWith(FixedRenderer(termenv.ANSI256), Light()).Selected.Render("x"); !strings.Contains(sel, "48;5;253") {
		t.Errorf("light selection %q", sel)
	}
}
