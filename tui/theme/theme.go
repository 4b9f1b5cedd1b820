// Package theme is auctionsim's one set of colours and styles, for the
// dashboard and the `run` table alike, and the bar every panel draws with.
package theme

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
	Accent = lipgloss.Color("39")  // blue: titles, the price line
	Dim    = lipgloss.Color("245") // grey: labels, help
	Faint  = lipgloss.Color("240")
	Good   = lipgloss.Color("42")  // green: on time, the winner
	Warn   = lipgloss.Color("214") // orange: the floor, budgets running out
	Bad    = lipgloss.Color("203") // red: over tmax, late bids
	SelBg  = lipgloss.Color("237")
)

// Theme is every style auctionsim draws with, built on one renderer so
// that --no-color and NO_COLOR (an ASCII renderer) reach every cell.
type Theme struct {
	R *lipgloss.Renderer

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

// New builds the theme on r.
func New(r *lipgloss.Renderer) *Theme {
	s := &Theme{R: r}
	n := r.NewStyle
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

	s.HeaderName = n().Bold(true).Foreground(Accent)
	s.Running = n().Bold(true).Foreground(Good)
	s.Paused = n().Bold(true).Foreground(Warn)

	s.PriceLine = n().Foreground(Accent)
	s.FloorLine = n().Foreground(Warn)
	s.Axis = n().Foreground(Faint)
	s.AxisLabel = n().Foreground(Dim)

	s.Bar = n().Foreground(Accent)
	s.BarOver = n().Foreground(Bad)
	s.TmaxMark = n().Bold(true).Foreground(Bad)

	s.StatusInfo = n().Foreground(Good)
	s.StatusWarn = n().Foreground(Warn)

	s.TableHeader = n().Bold(true).Foreground(Dim).Padding(0, 1)
	s.TableCell = n().Padding(0, 1)
	s.TableNumber = s.TableCell.Align(lipgloss.Right)
	s.TableBorder = n().Foreground(Faint)

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
