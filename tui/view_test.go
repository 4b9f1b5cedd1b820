package tui

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/auctionsim/auctionsim/report/theme"
	"github.com/muesli/termenv"
)

// The golden files are in testdata/TestView*; after an intended change to
// the screen, refresh them with
//
//	go test ./tui -run 'TestView' -update
//
// and read the diff before committing.

func TestViewGolden(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			m := goldenModel(t, size[0], size[1])
			v := m.View()
			checkScreen(t, v, size[0], size[1])
			if strings.Contains(v, "\x1b[") {
				t.Error("escape codes in the ASCII profile")
			}
			golden.RequireEqual(t, []byte(v))
		})
	}
}

func TestViewGoldenOverlays(t *testing.T) {
	for _, tt := range []struct {
		name string
		keys []string
		w, h int
	}{
		{"inspector", []string{"enter"}, 80, 24},
		{"inspector-earlier", []string{"enter", "left", "left", "left"}, 80, 24},
		{"inspector-160x48", []string{"enter", "left"}, 160, 48},
		{"help", []string{"?"}, 80, 24},
		{"help-160x48", []string{"?"}, 160, 48},
		{"picker", []string{"s"}, 80, 24},
		{"selected-disabled", []string{"j", "j", "x"}, 80, 24},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := goldenModel(t, tt.w, tt.h)
			for _, k := range tt.keys {
				press(m, k)
			}
			v := m.View()
			checkScreen(t, v, tt.w, tt.h)
			golden.RequireEqual(t, []byte(v))
		})
	}
}

func TestViewTooSmall(t *testing.T) {
	m := goldenModel(t, 60, 20)
	v := m.View()
	checkScreen(t, v, 60, 20)
	golden.RequireEqual(t, []byte(v))
}

// TestViewColour checks that colour reaches the screen when the terminal
// has it, including the highlight of a p95 over tmax, and that the ASCII
// profile (--no-color, NO_COLOR) has none.
func TestViewColour(t *testing.T) {
	m := goldenModel(t, 120, 40)
	setTheme(m, colourTheme())
	v := m.View()
	if !strings.Contains(v, "\x1b[") {
		t.Fatal("no colour with a colour profile")
	}
	bad := m.ctx.Theme.Bad.Render("x")
	prefix := bad[:strings.Index(bad, "x")]
	var over string
	for _, l := range strings.Split(v, "\n") {
		if strings.Contains(l, "laggard") && strings.Contains(l, "!") {
			over = l
			break
		}
	}
	if !strings.Contains(over, prefix) {
		t.Errorf("the laggard's p95 over tmax is not in the alarm style %q:\n%q", prefix, over)
	}
	setTheme(m, asciiTheme())
	press(m, "s") // the picker too
	if v := m.View(); strings.Contains(v, "\x1b[") {
		t.Error("escape codes with the ASCII profile")
	}
}

// TestNoColor checks that --no-color and NO_COLOR win over a terminal
// that has colour (CLICOLOR_FORCE stands in for one here).
func TestNoColor(t *testing.T) {
	t.Setenv("CLICOLOR_FORCE", "1")
	t.Setenv("NO_COLOR", "")
	if p := theme.NewRenderer(io.Discard, false).ColorProfile(); p == termenv.Ascii {
		t.Fatalf("the test's terminal has no colour (%v); the test proves nothing", p)
	}
	if p := theme.NewRenderer(io.Discard, true).ColorProfile(); p != termenv.Ascii {
		t.Errorf("--no-color: profile %v", p)
	}
	t.Setenv("NO_COLOR", "1")
	if p := theme.NewRenderer(io.Discard, false).ColorProfile(); p != termenv.Ascii {
		t.Errorf("NO_COLOR: profile %v", p)
	}
}
