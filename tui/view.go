package tui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// view is one screen between the header and the footer: the dashboard,
// the auction inspector, the scenario picker, and the views to come. A
// view owns its keys, its drawing and its help; it reads and acts through
// the shared Context, and opens or closes views with Context.Open and
// Context.Close.
type view interface {
	// Update handles a key (or a message of the view's own) while the
	// view is on top. Keys it does not use it ignores.
	Update(msg tea.Msg) tea.Cmd
	// View draws the view in exactly w×h cells.
	View(w, h int) string
	// ShortHelp is the footer's line; FullHelp what `?` opens.
	ShortHelp() []key.Binding
	FullHelp() [][]key.Binding
	// Refresh rebuilds what the view caches from the context: a new
	// frame, another size, or the view coming back on top.
	Refresh()
}
