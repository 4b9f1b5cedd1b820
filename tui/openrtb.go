package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/report/openrtb"
	"github.com/auctionsim/auctionsim/sim"
)

// wire is one auction as Prebid Server would put it on the wire in OpenRTB
// 2.6 (report/openrtb): the page's request, each bidder's own request and
// answer with its arrival against the deadline and its notice, and the
// exchange's response, as indented JSON in a scrollable viewport.
type wire struct {
	ctx  *Context
	id   uint64
	vp   viewport.Model
	text string
}

// openWire opens the OpenRTB view of rec, or says why it cannot.
func openWire(c *Context, rec sim.AuctionRecord) {
	a, err := openrtb.FromRecord(rec, openrtb.Seats(c.Snap()))
	var js []byte
	if err == nil {
		js, err = openrtb.Indent(a)
	}
	if err != nil {
		c.Warn(fmt.Sprintf("auction #%s as OpenRTB: %v", format.Count(rec.ID), err))
		return
	}
	v := &wire{ctx: c, id: rec.ID, text: string(js), vp: viewport.New(c.BodyW, max(c.BodyH-1, 1))}
	v.vp.SetContent(v.text)
	c.Open(v)
	c.Info("OpenRTB 2.6: ↑/↓ scroll, esc closes")
}

// Refresh fits the viewport to the body.
func (v *wire) Refresh() {
	v.vp.Width, v.vp.Height = v.ctx.BodyW, max(v.ctx.BodyH-1, 1)
}

// View draws a title line and the JSON.
func (v *wire) View(w, h int) string {
	st := v.ctx.Theme
	if v.vp.Width != w || v.vp.Height != h-1 {
		v.vp.Width, v.vp.Height = w, max(h-1, 1)
	}
	what := " (the page's request, each bidder's request, answer and notice, the exchange's response)"
	if w < wideWidth {
		what = " (request, bidders, response)"
	}
	title := st.Title.Render(fmt.Sprintf("Auction #%s in OpenRTB 2.6", format.Count(v.id))) +
		st.Dim.Render(fmt.Sprintf("%s · %.0f%%", what, 100*v.vp.ScrollPercent()))
	return format.Block(append([]string{format.Fit(title, w)}, strings.Split(v.vp.View(), "\n")...), w, h)
}

// Update scrolls (the viewport's own keys: ↑/↓, pgup/pgdn, …); esc or o
// closes.
func (v *wire) Update(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyMsg); ok {
		keys := v.ctx.Keys
		if key.Matches(k, keys.Close) || key.Matches(k, keys.OpenRTB) {
			v.ctx.Close()
			v.ctx.Info("")
			return nil
		}
	}
	var cmd tea.Cmd
	v.vp, cmd = v.vp.Update(msg)
	return cmd
}

// ShortHelp is the view's footer.
func (v *wire) ShortHelp() []key.Binding {
	k := v.ctx.Keys
	return []key.Binding{key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "scroll")),
		key.NewBinding(key.WithKeys("pgup", "pgdown"), key.WithHelp("pgup/pgdn", "page")), k.Close, k.Help, k.Quit}
}

// FullHelp is every key that works here.
func (v *wire) FullHelp() [][]key.Binding { return [][]key.Binding{v.ShortHelp()} }
