package play

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/lipgloss"

	"github.com/auctionsim/auctionsim/report/theme"
)

// NewInput is the bid field, styled through r (nil: the default renderer):
// over SSH each session has its own renderer, and the field's cursor must
// follow the student's terminal, not the server's.
func NewInput(r *lipgloss.Renderer) textinput.Model {
	if r == nil {
		r = lipgloss.DefaultRenderer()
	}
	in := textinput.New()
	in.Prompt = "Your bid (CPM): "
	in.CharLimit = 12
	in.Width = 12
	in.PromptStyle = r.NewStyle()
	in.TextStyle = r.NewStyle()
	in.PlaceholderStyle = r.NewStyle().Faint(true)
	in.Cursor.Style = r.NewStyle()
	in.Cursor.TextStyle = r.NewStyle()
	in.Focus()
	return in
}

// NewHelp is the help line, in the theme's help styles on r (nil: the
// default renderer).
func NewHelp(r *lipgloss.Renderer) help.Model {
	if r == nil {
		r = lipgloss.DefaultRenderer()
	}
	h := help.New()
	h.Styles = theme.New(r).Help
	return h
}
