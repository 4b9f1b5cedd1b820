package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/list"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/auctionsim/auctionsim/report/format"
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

// picker is the view that lists the bundled scenarios and loads one;
// beside the list, the highlighted scenario's whole description.
type picker struct {
	ctx  *Context
	list list.Model
	// text is how far the description is scrolled (pgup/pgdn), in lines.
	text int
}

func newPicker(c *Context) *picker {
	st := c.Theme
	d := list.NewDefaultDelegate()
	d.Styles = st.ItemStyles()
	// One line a scenario: the description is beside the list, whole.
	d.ShowDescription = false
	d.SetSpacing(0)
	l := list.New(nil, d, 0, 0)
	l.Styles = st.ListStyles()
	l.Title = "Pick a scenario"
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

// Refresh fits the list to the body, beside the description.
func (p *picker) Refresh() {
	p.list.SetSize(p.listW(p.ctx.BodyW), max(p.ctx.BodyH, 1))
}

// Update handles the picker's keys; the list takes the rest.
func (p *picker) Update(msg tea.Msg) tea.Cmd {
	c, keys := p.ctx, p.ctx.Keys
	if k, ok := msg.(tea.KeyMsg); ok {
		switch {
		case key.Matches(k, keys.Close):
			c.Close()
			return nil
		case key.Matches(k, keys.TextUp), key.Matches(k, keys.TextDown):
			p.scroll(key.Matches(k, keys.TextDown))
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
	was := p.list.Index()
	p.list, cmd = p.list.Update(msg)
	if p.list.Index() != was {
		p.text = 0 // another scenario's description, from its start
	}
	return cmd
}

// View draws the list and, beside it, the highlighted scenario's
// description.
func (p *picker) View(w, h int) string {
	lw := p.listW(w)
	list := format.Block(strings.Split(p.list.View(), "\n"), lw, h)
	return format.SideBySide(gap, list, p.describe(w-lw-gap, h))
}

// ShortHelp is the picker's footer.
func (p *picker) ShortHelp() []key.Binding {
	k := p.ctx.Keys
	return []key.Binding{k.Move, k.Pick, k.Close, pair(k.TextUp, k.TextDown, "pgup/pgdn", "scroll text"), k.Quit}
}

// FullHelp is every key that works here.
func (p *picker) FullHelp() [][]key.Binding { return [][]key.Binding{p.ShortHelp()} }
