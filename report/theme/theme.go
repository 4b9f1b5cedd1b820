// Package theme is auctionsim's one set of colours and styles, for the
// dashboard and the `run` table alike, and the bar every panel draws with.
// It has two palettes: Dark (the default, for the usual dark terminal)
// and Light (for a white background: a projector, a light terminal),
// chosen by --theme light|dark|auto (Mode).
package theme

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/list"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// The dark palette's colours: ANSI 256 colours, which every terminal in
// use renders and lipgloss degrades to 16 colours where needed. Fixed
// colours rather than adaptive ones, because resolving an adaptive colour
// makes lipgloss query the terminal's background, which can stall
// start-up.
const (
	Accent = lipgloss.Color("39")  // blue: titles, the price line
	Dim    = lipgloss.Color("245") // grey: labels, help
	Faint  = lipgloss.Color("240")
	Good   = lipgloss.Color("42")  // green: on time, the winner
	Warn   = lipgloss.Color("214") // orange: the floor, budgets running out
	Bad    = lipgloss.Color("203") // red: over tmax, late bids
	SelBg  = lipgloss.Color("237")
)

// Palette is the colours a theme draws with.
type Palette struct {
	Name                                       string // "dark" or "light"
	Accent, Dim, Faint, Good, Warn, Bad, SelBg lipgloss.Color
}

// Dark is the palette for a dark background, the default.
func Dark() Palette {
	return Palette{Name: "dark", Accent: Accent, Dim: Dim, Faint: Faint, Good: Good, Warn: Warn, Bad: Bad, SelBg: SelBg}
}

// Light is the palette for a white background (a projector): darker
// shades of the same hues, and a light selection.
func Light() Palette {
	return Palette{Name: "light",
		Accent: lipgloss.Color("25"),  // #005faf
		Dim:    lipgloss.Color("240"), // #585858
		Faint:  lipgloss.Color("245"), // #8a8a8a
		Good:   lipgloss.Color("28"),  // #008700
		Warn:   lipgloss.Color("166"), // #d75f00
		Bad:    lipgloss.Color("160"), // #d70000
		SelBg:  lipgloss.Color("253"), // #dadada
	}
}

// Mode is --theme: a palette, or auto.
type Mode int

// The modes.
const (
	// Auto picks Light when the environment says the background is
	// light (COLORFGBG, which rxvt, Konsole and others set), Dark
	// otherwise: it never queries the terminal, which can stall
	// start-up.
	Auto Mode = iota
	DarkMode
	LightMode
)

// Modes are the values --theme takes.
const Modes = "light, dark or auto"

// ParseMode reads --theme's value.
func ParseMode(s string) (Mode, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "auto", "":
		return Auto, nil
	case "dark":
		return DarkMode, nil
	case "light":
		return LightMode, nil
	}
	return Auto, fmt.Errorf("%q is not a theme: want %s", s, Modes)
}

// String is the mode as --theme writes it.
func (m Mode) String() string {
	switch m {
	case DarkMode:
		return "dark"
	case LightMode:
		return "light"
	}
	return "auto"
}

// Palette is the mode's palette; getenv (os.Getenv in the program) is
// what auto reads.
func (m Mode) Palette(getenv func(string) string) Palette {
	switch m {
	case DarkMode:
		return Dark()
	case LightMode:
		return Light()
	}
	if lightBackground(getenv("COLORFGBG")) {
		return Light()
	}
	return Dark()
}

// lightBackground reads COLORFGBG ("fg;bg" or "fg;default;bg", ANSI
// colour numbers): backgrounds 7 (light grey) and 9 to 15 are light.
func lightBackground(v string) bool {
	parts := strings.Split(v, ";")
	if len(parts) < 2 {
		return false
	}
	bg, err := strconv.Atoi(parts[len(parts)-1])
	return err == nil && (bg == 7 || bg >= 9 && bg <= 15)
}

// Theme is every style auctionsim draws with, built on one renderer so
// that --no-color and NO_COLOR (an ASCII renderer) reach every cell.
type Theme struct {
	R *lipgloss.Renderer
	P Palette // the colours

	Plain    lipgloss.Style
	Title    lipgloss.Style // panel titles
	Label    lipgloss.Style // "fill rate", axis labels
	Value    lipgloss.Style // numbers that matter
	Dim      lipgloss.Style
	Good     lipgloss.Style
	Warn     lipgloss.Style
	Bad      lipgloss.Style // over tmax, late
	Selected lipgloss.Style // the selected bidder's row
	Disabled lipgloss.Style // a disabled bidder's row

	HeaderName lipgloss.Style
	Running    lipgloss.Style
	Paused     lipgloss.Style

	PriceLine lipgloss.Style // chart: clearing price
	FloorLine lipgloss.Style // chart: the floor
	Axis      lipgloss.Style
	AxisLabel lipgloss.Style

	Bar      lipgloss.Style // latency and spend bars
	BarOver  lipgloss.Style // the part of a bar past tmax
	TmaxMark lipgloss.Style

	StatusInfo lipgloss.Style
	StatusWarn lipgloss.Style

	// Tables (lipgloss/table): header cells, text cells, number cells,
	// borders.
	TableHeader lipgloss.Style
	TableCell   lipgloss.Style
	TableNumber lipgloss.Style
	TableBorder lipgloss.Style

	Help help.Styles
}

// New builds the dark theme on r.
func New(r *lipgloss.Renderer) *Theme { return NewWith(r, Dark()) }

// NewWith builds the theme of palette p on r; the zero Palette is Dark.
func NewWith(r *lipgloss.Renderer, p Palette) *Theme {
	if p == (Palette{}) {
		p = Dark()
	}
	s := &Theme{R: r, P: p}
	n := r.NewStyle
	Accent, Dim, Faint, Good, Warn, Bad, SelBg := p.Accent, p.Dim, p.Faint, p.Good, p.Warn, p.Bad, p.SelBg
	s.Plain = n()
	s.Title = n().Bold(true).Foreground(Accent)
	s.Label = n().Foreground(Dim)
	s.Value = n().Bold(true)
	s.Dim = n().Foreground(Dim)
	s.Good = n().Foreground(Good)
	s.Warn = n().Foreground(Warn)
	s.Bad = n().Bold(true).Foreground(Bad)
	s.Selected = n().Background(SelBg).Bold(true)
	s.Disabled = n().Foreground(Faint)

	// The other styles are the role they play: the base styles above, or
	// the colours of Good, Warn and Bad made bold.
	s.HeaderName = s.Title
	s.Running = n().Bold(true).Foreground(Good)
	s.Paused = n().Bold(true).Foreground(Warn)

	accent := n().Foreground(Accent)
	s.PriceLine, s.FloorLine, s.Axis, s.AxisLabel = accent, s.Warn, s.Disabled, s.Label
	s.Bar, s.BarOver, s.TmaxMark = accent, n().Foreground(Bad), s.Bad
	s.StatusInfo, s.StatusWarn = s.Good, s.Warn

	s.TableHeader = n().Bold(true).Foreground(Dim).Padding(0, 1)
	s.TableCell = n().Padding(0, 1)
	s.TableNumber = s.TableCell.Align(lipgloss.Right)
	s.TableBorder = s.Disabled

	key := n().Foreground(Dim).Bold(true)
	desc := n().Foreground(Faint)
	s.Help = help.Styles{
		Ellipsis:       desc,
		ShortKey:       key,
		ShortDesc:      desc,
		ShortSeparator: desc,
		FullKey:        key,
		FullDesc:       desc,
		FullSeparator:  desc,
	}
	return s
}

// NewRenderer returns the renderer for out: colourless (ASCII) when
// noColor, otherwise whatever out supports, which termenv already lowers
// to ASCII when NO_COLOR is set or out is not a terminal. The profile is
// set on the renderer itself: lipgloss ignores termenv.WithProfile.
func NewRenderer(out io.Writer, noColor bool) *lipgloss.Renderer {
	r := lipgloss.NewRenderer(out)
	if noColor {
		r.SetColorProfile(termenv.Ascii)
	}
	return r
}

// FixedRenderer is a renderer with a fixed colour profile that never
// probes a terminal: for text written to pipes, files and tests.
func FixedRenderer(p termenv.Profile) *lipgloss.Renderer {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(p)
	return r
}

// ListStyles themes a bubbles/list on the same renderer; the list's
// defaults use adaptive colours on the global one.
func (s *Theme) ListStyles() list.Styles {
	ls := list.DefaultStyles()
	n := s.R.NewStyle
	ls.TitleBar = n().Padding(0, 0, 1, 2)
	ls.Title = s.Title
	ls.Spinner = s.Dim
	ls.FilterPrompt = s.Dim
	ls.FilterCursor = s.Dim
	ls.DefaultFilterCharacterMatch = n().Underline(true)
	ls.StatusBar = s.Dim.Padding(0, 0, 1, 2)
	ls.StatusEmpty = s.Dim
	ls.StatusBarActiveFilter = s.Plain
	ls.StatusBarFilterCount = s.Dim
	ls.NoItems = s.Dim
	ls.PaginationStyle = n().PaddingLeft(2)
	ls.HelpStyle = n().Padding(1, 0, 0, 2)
	ls.ActivePaginationDot = s.Plain.SetString("•")
	ls.InactivePaginationDot = s.Dim.SetString("•")
	ls.ArabicPagination = s.Dim
	ls.DividerDot = s.Dim.SetString(" • ")
	return ls
}

// ItemStyles themes a bubbles/list's rows.
func (s *Theme) ItemStyles() list.DefaultItemStyles {
	is := list.NewDefaultItemStyles()
	n := s.R.NewStyle
	Accent, Dim := s.P.Accent, s.P.Dim
	is.NormalTitle = n().Padding(0, 0, 0, 2)
	is.NormalDesc = s.Dim.Padding(0, 0, 0, 2)
	is.SelectedTitle = n().Border(lipgloss.NormalBorder(), false, false, false, true).
		BorderForeground(Accent).Foreground(Accent).Bold(true).Padding(0, 0, 0, 1)
	is.SelectedDesc = is.SelectedTitle.Bold(false).Foreground(Dim)
	is.DimmedTitle = s.Dim.Padding(0, 0, 0, 2)
	is.DimmedDesc = s.Dim.Padding(0, 0, 0, 2)
	is.FilterMatch = n().Underline(true)
	return is
}
