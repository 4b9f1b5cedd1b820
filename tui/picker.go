package tui

import (
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/list"
	tea "github.com/charmbracelet/bubbletea"
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

// newPicker builds the scenario list. It is built once, before the
// program starts, because bubbles/list renders some of its default styles
// when it is created.
func (m *model) newPicker() list.Model {
	d := list.NewDefaultDelegate()
	d.Styles = m.st.itemStyles()
	l := list.New(nil, d, 0, 0)
	l.Styles = m.st.listStyles()
	l.Title = "Pick a scenario: enter loads it, esc goes back"
	l.SetShowHelp(false)
	l.SetShowStatusBar(false)
	l.SetFilteringEnabled(false)
	l.DisableQuitKeybindings()
	l.Paginator.ActiveDot = m.st.Plain.Render("•")
	l.Paginator.InactiveDot = m.st.Dim.Render("◦")
	return l
}

func (m *model) pickerSize() (int, int) {
	l := m.computeLayoutSafe()
	return l.w, max(l.h-l.headerH-l.footerH, 1)
}

// computeLayoutSafe is computeLayout before the first frame: no bidders.
func (m *model) computeLayoutSafe() layout {
	if !m.have {
		return layout{w: m.width, h: m.height, headerH: 2, footerH: 2}
	}
	return m.computeLayout()
}

func (m *model) openPicker() {
	infos := m.cat.List()
	items := make([]list.Item, len(infos))
	sel := 0
	for i, in := range infos {
		cur := in.Name == m.current
		if cur {
			sel = i
		}
		items[i] = scenarioItem{name: in.Name, desc: in.Description, current: cur}
	}
	m.picker.SetItems(items)
	m.picker.SetSize(m.pickerSize())
	m.picker.Select(sel)
	m.mode = modePicker
	m.setInfo("")
}

// pickerKey handles keys while the picker is open.
func (m *model) pickerKey(k tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(k, m.keys.Close):
		m.mode = modeMain
		m.rebuild()
		return nil
	case key.Matches(k, m.keys.Pick):
		it, ok := m.picker.SelectedItem().(scenarioItem)
		if !ok {
			return nil
		}
		m.mode = modeMain
		m.setInfo("loading " + it.name + "…")
		m.rebuild()
		// Parsing is quick, but it is file work: not on the update loop.
		load := m.cat.Load
		return func() tea.Msg {
			sc, err := load(it.name)
			return loadedMsg{name: it.name, sc: sc, err: err}
		}
	}
	var cmd tea.Cmd
	m.picker, cmd = m.picker.Update(k)
	return cmd
}
