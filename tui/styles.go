package tui

import (
	"io"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/list"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// The palette: ANSI 256 colours, which every terminal in use renders and
// lipgloss degrades to 16 colours where needed. Fixed colours rather than
// adaptive ones, because resolving an adaptive colour makes lipgloss
// query the terminal's background, which can stall start-up.
const (
	colAccent = lipgloss.Color("39")  // blue: titles, the price line
	colDim    = lipgloss.Color("245") // grey: labels, help
	colFaint  = lipgloss.Color("240")
	colGood   = lipgloss.Color("42")  // green: on time, the winner
	colWarn   = lipgloss.Color("214") // orange: the floor, budgets running out
	colBad    = lipgloss.Color("203") // red: over tmax, late bids
	colSelBg  = lipgloss.Color("237")
)

// styles is every style the dashboard uses, built from one renderer so that
// --no-color and NO_COLOR (an ASCII renderer) reach every cell.
type styles struct {
	r *lipgloss.Renderer

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

	Help help.Styles
}

// newStyles builds the theme on r.
func newStyles(r *lipgloss.Renderer) styles {
	s := styles{r: r}
	n := r.NewStyle
	s.Plain = n()
	s.Title = n().Bold(true).Foreground(colAccent)
	s.Label = n().Foreground(colDim)
	s.Value = n().Bold(true)
	s.Dim = n().Foreground(colDim)
	s.Good = n().Foreground(colGood)
	s.Warn = n().Foreground(colWarn)
	s.Bad = n().Bold(true).Foreground(colBad)
	s.Selected = n().Background(colSelBg).Bold(true)
	s.Disabled = n().Foreground(colFaint)

	s.HeaderName = n().Bold(true).Foreground(colAccent)
	s.Running = n().Bold(true).Foreground(colGood)
	s.Paused = n().Bold(true).Foreground(colWarn)

	s.PriceLine = n().Foreground(colAccent)
	s.FloorLine = n().Foreground(colWarn)
	s.Axis = n().Foreground(colFaint)
	s.AxisLabel = n().Foreground(colDim)

	s.Bar = n().Foreground(colAccent)
	s.BarOver = n().Foreground(colBad)
	s.TmaxMark = n().Bold(true).Foreground(colBad)

	s.StatusInfo = n().Foreground(colGood)
	s.StatusWarn = n().Foreground(colWarn)

	key := n().Foreground(colDim).Bold(true)
	desc := n().Foreground(colFaint)
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

// listStyles themes the scenario picker's bubbles/list on the same
// renderer; the list's defaults use adaptive colours on the global one.
func (s styles) listStyles() list.Styles {
	ls := list.DefaultStyles()
	n := s.r.NewStyle
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

// itemStyles themes the picker's rows.
func (s styles) itemStyles() list.DefaultItemStyles {
	is := list.NewDefaultItemStyles()
	n := s.r.NewStyle
	is.NormalTitle = n().Padding(0, 0, 0, 2)
	is.NormalDesc = s.Dim.Padding(0, 0, 0, 2)
	is.SelectedTitle = n().Border(lipgloss.NormalBorder(), false, false, false, true).
		BorderForeground(colAccent).Foreground(colAccent).Bold(true).Padding(0, 0, 0, 1)
	is.SelectedDesc = is.SelectedTitle.Bold(false).Foreground(colDim)
	is.DimmedTitle = s.Dim.Padding(0, 0, 0, 2)
	is.DimmedDesc = s.Dim.Padding(0, 0, 0, 2)
	is.FilterMatch = n().Underline(true)
	return is
}

// newRenderer returns the renderer for out: colourless (ASCII) when
// noColor, otherwise whatever out supports, which termenv already lowers
// to ASCII when NO_COLOR is set or out is not a terminal. The profile is
// set on the renderer itself: lipgloss ignores termenv.WithProfile.
func newRenderer(out io.Writer, noColor bool) *lipgloss.Renderer {
	r := lipgloss.NewRenderer(out)
	if noColor {
		r.SetColorProfile(termenv.Ascii)
	}
	return r
}
