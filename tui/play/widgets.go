package play

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/lipgloss"
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

// NewHelp is the help line, styled through r (nil: the default renderer).
func NewHelp(r *lipgloss.Renderer) help.Model {
	if r == nil {
		r = lipgloss.DefaultRenderer()
	}
	h := help.New()
	key := r.NewStyle().Foreground(lipgloss.AdaptiveColor{Light: "#909090", Dark: "#626262"})
	desc := r.NewStyle().Foreground(lipgloss.AdaptiveColor{Light: "#B2B2B2", Dark: "#4A4A4A"})
	sep := r.NewStyle().Foreground(lipgloss.AdaptiveColor{Light: "#DDDADA", Dark: "#3C3C3C"})
	h.Styles = help.Styles{
		ShortKey: key, ShortDesc: desc, ShortSeparator: sep, Ellipsis: sep,
		FullKey: key, FullDesc: desc, FullSeparator: sep,
	}
	return h
}
