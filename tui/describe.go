package tui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/auctionsim/auctionsim/report/format"
)

// listW is the width of the picker's list of names in a body w wide: the
// longest name, its mark and padding, up to two fifths of the width; the
// description takes the rest.
func (p *picker) listW(w int) int {
	long := 0
	for _, it := range p.list.Items() {
		if si, ok := it.(scenarioItem); ok {
			long = max(long, ansi.StringWidth(si.Title()))
		}
	}
	return min(max(long+4, 20), w*2/5)
}

// descriptionLines is a scenario's description wrapped to w: its name,
// then the text, with each "Try:" suggestion as a paragraph of its own.
func descriptionLines(c *Context, it scenarioItem, w int) []string {
	st := c.Theme
	lines := []string{st.Title.Render(it.Title()), ""}
	paras := strings.Split(it.desc, "Try:")
	for i, para := range paras {
		para = strings.TrimSpace(para)
		if para == "" {
			continue
		}
		if i > 0 {
			para = st.Label.Render("Try:") + " " + para
			lines = append(lines, "")
		}
		lines = append(lines, strings.Split(format.Wordwrap(para, w), "\n")...)
	}
	return lines
}

// describe draws the highlighted scenario's description in w×h, from the
// scrolled line on; a last line says when there is more below or above.
func (p *picker) describe(w, h int) string {
	it, ok := p.list.SelectedItem().(scenarioItem)
	if !ok || w <= 0 {
		return format.Block(nil, max(w, 0), h)
	}
	lines := descriptionLines(p.ctx, it, w)
	if len(lines) <= h {
		return format.Block(lines, w, h)
	}
	// One line for the scroll mark.
	room := max(h-1, 1)
	off := min(p.text, len(lines)-room)
	shown := append([]string(nil), lines[off:off+room]...)
	mark := "pgdn: more below"
	switch {
	case off > 0 && off+room < len(lines):
		mark = "pgup/pgdn: more above and below"
	case off > 0:
		mark = "pgup: more above"
	}
	shown = append(shown, p.ctx.Theme.Dim.Render("… "+mark))
	return format.Block(shown, w, h)
}

// scroll moves the description by a screen less a line of overlap, down
// or up, within its length.
func (p *picker) scroll(down bool) {
	it, ok := p.list.SelectedItem().(scenarioItem)
	if !ok {
		return
	}
	w, h := p.ctx.BodyW, p.ctx.BodyH
	lines := descriptionLines(p.ctx, it, w-p.listW(w)-gap)
	room := max(h-1, 1)
	step := max(room-1, 1)
	if !down {
		step = -step
	}
	p.text = min(max(p.text+step, 0), max(len(lines)-room, 0))
	if len(lines) <= h {
		p.ctx.Info("the whole description is on screen")
	}
}
