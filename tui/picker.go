package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/list"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/auctionsim/auctionsim/tui/format"
)

// scenarioItem is one bundled scenario in the picker.
type scenarioItem struct {
	name, desc string
	current    bool
}

func (i scenarioItem) Title() string {
	if i.current {
		return i.name + "  (running)"
	}
	return i.name
}
func (i scenarioItem) Description() string { return i.desc }
func (i scenarioItem) FilterValue() string { return i.name }

// picker is the view that lists the bundled scenarios and loads one.
type picker struct {
	ctx  *Context
	list list.Model
}

func newPicker(c *Context) *picker {
	st := c.Theme
	d := list.NewDefaultDelegate()
	d.Styles = st.ItemStyles()
	l := list.New(nil, d, 0, 0)
	l.Styles = st.ListStyles()
	l.Title = "Pick a scenario: enter loads it, esc goes back"
	l.SetShowHelp(false)
	l.SetShowStatusBar(false)
	l.SetFilteringEnabled(false)
	l.DisableQuitKeybindings()
	l.Paginator.ActiveDot = st.Plain.Render("•")
	l.Paginator.InactiveDot = st.Dim.Render("◦")

	infos := c.cat.List()
	items := make([]list.Item, len(infos))
	sel := 0
	for i, in := range infos {
		cur := in.Name == c.Frame.World
		if cur {
			sel = i
		}
		items[i] = scenarioItem{name: in.Name, desc: in.Description, current: cur}
	}
	l.SetItems(items)
	l.Select(sel)
	return &picker{ctx: c, list: l}
}

// Refresh fits the list to the body.
func (p *picker) Refresh() { p.list.SetSize(max(p.ctx.BodyW, 1), max(p.ctx.BodyH, 1)) }

// Update handles the picker's keys; the list takes the rest.
func (p *picker) Update(msg tea.Msg) tea.Cmd {
	c, keys := p.ctx, p.ctx.Keys
	if k, ok := msg.(tea.KeyMsg); ok {
		switch {
		case key.Matches(k, keys.Close):
			c.Close()
			return nil
		case key.Matches(k, keys.Pick):
			it, ok := p.list.SelectedItem().(scenarioItem)
			if !ok {
				return nil
			}
			c.Close()
			c.Info("loading " + it.name + "…")
			// Parsing is quick, but it is file work: not on the update
			// loop.
			load := c.cat.Load
			return func() tea.Msg {
				sc, err := load(it.name)
				return loadedMsg{name: it.name, sc: sc, err: err}
			}
		}
	}
	var cmd tea.Cmd
	p.list, cmd = p.list.Update(msg)
	return cmd
}

// View draws the list.
func (p *picker) View(w, h int) string { return format.Block(strings.Split(p.list.View(), "\n"), w, h) }

// ShortHelp is the picker's footer.
func (p *picker) ShortHelp() []key.Binding {
	k := p.ctx.Keys
	return []key.Binding{k.Move, k.Pick, k.Close, k.Quit}
}

// FullHelp is every key that works here.
func (p *picker) FullHelp() [][]key.Binding { return [][]key.Binding{p.ShortHelp()} }
