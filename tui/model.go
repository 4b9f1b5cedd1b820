package tui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/report/theme"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim/runner"
)

// The smallest terminal the dashboard lays out in.
const (
	minWidth  = 80
	minHeight = 24
)

// wideWidth is where the header fits on one line and the dashboard's side
// column grows to hold the change log.
const wideWidth = 120

// Messages.
type (
	frameMsg runner.Frame
	// runnerGone says the runner stopped: on quit, or after a panic.
	runnerGone  struct{}
	exportedMsg struct {
		path string
		err  error
	}
	// loadedMsg is a scenario the picker loaded, off the update loop.
	loadedMsg struct {
		name string
		sc   *scenarios.Scenario
		err  error
	}
)

// model is the root Bubble Tea model: it owns the Context, takes frames,
// handles the keys that work everywhere (quit, help) and hands the rest to
// the view on top; it draws the header and footer around that view.
type model struct {
	ctx  *Context
	help help.Model
	// err is the runner's panic, reported once the terminal is restored.
	err error
	// onResize, if set, hears each new terminal size (a recording's
	// resize events).
	onResize func(w, h int)
}

// modelOptions are the model's collaborators.
type modelOptions struct {
	scenario  *scenarios.Scenario // the one opened first
	theme     *theme.Theme
	catalog   catalog
	export    exportFunc
	exportDir string
	// now is the wall clock captions are timed by; nil is time.Now.
	now func() time.Time
}

func newModel(l link, o modelOptions) *model {
	ctx := &Context{
		Theme:     o.theme,
		Keys:      newKeyMap(),
		WallRate:  -1,
		VirtRate:  -1,
		link:      l,
		sc:        o.scenario,
		cat:       o.catalog,
		export:    o.export,
		exportDir: o.exportDir,
		clock:     o.now,
	}
	ctx.views = []view{newDashboard(ctx)}
	m := &model{ctx: ctx, help: help.New()}
	m.help.Styles = ctx.Theme.Help
	m.help.ShortSeparator = "  "
	m.help.FullSeparator = "  "
	return m
}

// Init starts listening for frames.
func (m *model) Init() tea.Cmd { return m.waitFrame() }

// waitFrame receives the next frame from the runner.
func (m *model) waitFrame() tea.Cmd {
	frames, done := m.ctx.link.Frames(), m.ctx.link.Done()
	return func() tea.Msg {
		select {
		case f := <-frames:
			return frameMsg(f)
		case <-done:
			return runnerGone{}
		}
	}
}

// Update handles one message; it never blocks.
func (m *model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	c := m.ctx
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		if m.onResize != nil && (msg.Width != c.Width || msg.Height != c.Height) {
			m.onResize(msg.Width, msg.Height)
		}
		c.Width, c.Height = msg.Width, msg.Height
		m.refresh()
		return m, nil
	case frameMsg:
		if c.Have && msg.Gen != c.Frame.Gen {
			// A new engine (restart or another scenario): the overlays
			// showed the old run.
			c.views = c.views[:1]
		}
		c.onFrame(runner.Frame(msg))
		m.refresh()
		if tick := c.captionTick(); tick != nil {
			return m, tea.Batch(m.waitFrame(), tick)
		}
		return m, m.waitFrame()
	case captionDone:
		return m, nil // drawn again without the caption
	case tmaxSettle:
		cmd := c.settlePending(msg.seq)
		m.refresh()
		return m, cmd
	case runnerGone:
		if err := c.link.Err(); err != nil {
			// The engine panicked: quit, so the terminal is restored
			// before Run reports it.
			m.err = err
			return m, tea.Quit
		}
		return m, nil
	case loadedMsg:
		if msg.err != nil {
			c.Warn("could not load " + msg.name + ": " + msg.err.Error())
		} else if c.loading = msg.sc; c.Send(runner.Load{World: worldOf(msg.sc)}) {
			c.Info("loading " + msg.name + "…")
		}
		m.refresh()
		return m, nil
	case exportedMsg:
		if msg.err != nil {
			c.Warn("export failed: " + msg.err.Error())
		} else {
			c.Info("exported to " + msg.path)
		}
		return m, nil
	case tea.KeyMsg:
		if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste {
			// Keys typed faster than the terminal is read arrive as one
			// message ("++"); each is a key press of its own.
			var cmds []tea.Cmd
			for _, r := range msg.Runes {
				cmds = append(cmds, m.onKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt}))
			}
			return m, tea.Batch(cmds...)
		}
		return m, m.onKey(msg)
	}
	return m, c.top().Update(msg)
}

// onKey handles the keys that work everywhere, then the top view's.
func (m *model) onKey(k tea.KeyMsg) tea.Cmd {
	c := m.ctx
	_, typing := c.top().(*commandLine) // q and ? are text there
	if key.Matches(k, c.Keys.Quit) && (!typing || k.Type == tea.KeyCtrlC) {
		return tea.Quit
	}
	if !c.Have || m.tooSmall() {
		return nil
	}
	if key.Matches(k, c.Keys.Help) && !typing {
		m.help.ShowAll = !m.help.ShowAll
		m.refresh()
		return nil
	}
	cmd := c.top().Update(k)
	m.refresh()
	return cmd
}

// refresh has the view on top rebuild its caches.
func (m *model) refresh() {
	if m.ctx.Have && !m.tooSmall() {
		m.layout()
		m.ctx.top().Refresh()
	}
}

// tooSmall reports whether the terminal is below 80×24.
func (m *model) tooSmall() bool { return m.ctx.Width < minWidth || m.ctx.Height < minHeight }

// View draws the header, the view on top, the status line and the help.
func (m *model) View() string {
	c := m.ctx
	if c.Width == 0 {
		return "" // the size is not known yet: draw nothing rather than "too small"
	}
	if m.tooSmall() {
		return m.tooSmallView()
	}
	if !c.Have {
		return "starting the engine…"
	}
	if fullScreen(c.top()) {
		// Presentation mode: the view is the whole screen, less the keys
		// while ? shows them (its own, as every view's help is).
		footer := m.fullScreenHelp()
		if c.BodyW != c.Width || c.BodyH != m.fullScreenBody(footer) {
			m.refresh()
		}
		if footer == "" {
			return c.top().View(c.Width, c.Height)
		}
		return c.top().View(c.BodyW, c.BodyH) + "\n" + footer
	}
	footer := m.helpView()
	header := m.header(footer)
	if bodyH := max(c.Height-len(header)-1-lipgloss.Height(footer), 1); c.BodyW != c.Width || c.BodyH != bodyH {
		// A resize or a longer header arrived between refreshes: lay
		// out once here rather than draw a stale layout.
		m.refresh()
	}
	return strings.Join([]string{
		strings.Join(header, "\n"),
		c.top().View(c.BodyW, c.BodyH),
		c.statusLine(c.Width),
		footer,
	}, "\n")
}

// layout sets the room between the header and the footer.
func (m *model) layout() {
	c := m.ctx
	c.BodyW = c.Width
	if fullScreen(c.top()) {
		c.BodyH = m.fullScreenBody(m.fullScreenHelp())
		return
	}
	footer := m.helpView()
	c.BodyH = max(c.Height-len(m.header(footer))-1-lipgloss.Height(footer), 1)
}

// fullScreenHelp is the keys of a view that takes the whole screen while
// ? shows them, else "".
func (m *model) fullScreenHelp() string {
	if !m.help.ShowAll {
		return ""
	}
	return m.helpView()
}

// fullScreenBody is the rows such a view has above footer.
func (m *model) fullScreenBody(footer string) int {
	if footer == "" {
		return m.ctx.Height
	}
	return max(m.ctx.Height-lipgloss.Height(footer), 1)
}

// reasonBody is the fewest body rows left for the reason there is no
// closed form to take a header line of its own: with the help open on 24
// rows the dashboard needs the row more.
const reasonBody = 10

// header is the header's lines above footer: the reason for no closed form
// on a line of its own only when the body keeps reasonBody rows.
func (m *model) header(footer string) []string {
	c := m.ctx
	return headerLines(c, c.Width, c.Height-1-lipgloss.Height(footer), m.help.ShowAll)
}

// statusLine is the last message: what a key did, or why it did nothing.
func (c *Context) statusLine(w int) string {
	if line := c.captionLine(w); line != "" {
		return line // a script step's caption, for its few seconds
	}
	s := c.Theme.StatusInfo
	if c.warn {
		s = c.Theme.StatusWarn
	}
	sat := c.saturatedWarning()
	if c.status == "" {
		if sat != "" {
			return format.Fit(c.Theme.StatusWarn.Render(sat), w)
		}
		// Nothing to report yet: what the script does next, if it has
		// steps to come.
		return format.Fit(c.Theme.Dim.Render(c.preview()), w)
	}
	if sat != "" {
		// The key's message first, the lasting warning after it.
		return format.Fit(s.Render(c.status)+"  "+c.Theme.StatusWarn.Render(sat), w)
	}
	return format.Fit(s.Render(fitWords(c.status, w)), w)
}

// fitWords is s in w cells, cut where too long at a space rather than
// mid-word ("…the largest suppor…" hid a refusal's point), unless that
// would lose more than half the line.
func fitWords(s string, w int) string {
	if ansi.StringWidth(s) <= w || w < 2 {
		return s
	}
	cut := ansi.Truncate(s, w-1, "")
	if i := strings.LastIndexByte(cut, ' '); i > 0 && ansi.StringWidth(cut[:i]) >= w/2 {
		cut = strings.TrimRight(cut[:i], " ,;:·")
	}
	return cut + "…"
}

// saturatedWarning names the money totals of the newest snapshot that
// stopped at the largest amount Money holds (sim.Snapshot.Saturated): the
// figures shown for them are lower bounds. "" when none did.
func (c *Context) saturatedWarning() string {
	snap := c.Frame.Snap
	if snap == nil {
		return ""
	}
	return report.SaturatedStatus(snap.Saturated())
}

// helpView is the footer: the top view's short help, fitted to the width,
// or every key after `?`.
func (m *model) helpView() string {
	h := m.help
	h.Width = m.ctx.Width
	v := m.ctx.top()
	if h.ShowAll {
		return h.View(helpColumns(v.FullHelp()))
	}
	return h.ShortHelpView(fitHelp(v.ShortHelp(), m.ctx.Width, ansi.StringWidth(h.ShortSeparator)))
}

// fitHelp drops entries from the end of bs, keeping the last two (help
// and quit), until one line of short help fits in w.
func fitHelp(bs []key.Binding, w, sep int) bindings {
	width := func(bs []key.Binding) int {
		n := 0
		for i, b := range bs {
			if i > 0 {
				n += sep
			}
			n += ansi.StringWidth(b.Help().Key) + 1 + ansi.StringWidth(b.Help().Desc)
		}
		return n
	}
	for len(bs) > 2 && width(bs) > w {
		bs = append(bs[:len(bs)-3:len(bs)-3], bs[len(bs)-2:]...)
	}
	return bs
}

// tooSmallView replaces the dashboard below 80×24; q still quits.
func (m *model) tooSmallView() string {
	c := m.ctx
	msg := fmt.Sprintf("terminal too small (need %d×%d)", minWidth, minHeight)
	now := fmt.Sprintf("it is %d×%d · q quits", c.Width, c.Height)
	return lipgloss.Place(max(c.Width, 1), max(c.Height, 1), lipgloss.Center, lipgloss.Center,
		msg+"\n"+now, lipgloss.WithWhitespaceChars(" "))
}

// headerLines are the top lines: scenario, clock, state, and the
// exchange's settings as the user has set them, on one line when it fits
// (wide terminals), else two; then the chart's metric beside its closed
// form. rows are the header's and the body's: the reason for no closed
// form takes a line of its own only when the body keeps reasonBody of
// them and, the help closed, the latency panel its four bidders; on the
// wire, without a closed form, the theory line is left out where it would
// cost the bidders table a row of its least (theoryCostsTableRows).
func headerLines(c *Context, w, rows int, helpOpen bool) []string {
	st, s, f := c.Theme, c.Shown, c.Frame
	sep := st.Dim.Render(" │ ")
	state := st.Running.Render("▶ running")
	switch {
	case f.Ended && s.paused:
		state = st.Paused.Render("■ ended")
	case s.paused:
		state = st.Paused.Render("‖ paused")
	}
	speed := st.Label.Render("speed ") + st.Value.Render(runner.SpeedLabel(s.speed))
	if f.Lagging && !s.paused && s.speed == f.Speed {
		speed += st.Warn.Render(" (engine-bound)")
	}
	first := []string{
		st.HeaderName.Render("auctionsim") + " " + st.Value.Render(f.World),
		st.Label.Render("t ") + st.Value.Render(format.Clock(f.Snap.Now)),
		state + "  " + speed,
	}
	auction := st.Value.Render(s.set.Auction.String())
	if sl := f.Snap.Slots; len(sl) > 0 {
		ws := make([]string, len(sl))
		for j, x := range sl {
			ws[j] = fmt.Sprintf("%g", x.Weight)
		}
		auction += st.Label.Render(fmt.Sprintf(" %d slots ", len(sl))) + st.Value.Render(strings.Join(ws, "/"))
	}
	second := []string{
		auction,
		st.Label.Render("tmax ") + st.Value.Render(s.set.Tmax.String()),
		st.Label.Render("floor ") + st.Value.Render(format.Price(s.set.Floor)),
		st.Label.Render("increment ") + st.Value.Render(format.Price(s.set.Increment)),
		st.Label.Render("qps ") + st.Value.Render(qpsText(c, w >= wideWidth)),
		st.Label.Render("seed ") + st.Value.Render(fmt.Sprint(f.Snap.Seed)),
	}
	one := strings.Join(append(first, second...), sep)
	// On two lines, the second gives up a 0 increment (nothing to say),
	// then the seed, whole, rather than be cut mid-item ("qps 1000 │ s…"):
	// several slots' weights take the room at 80 columns.
	narrow := second
	if ansi.StringWidth(strings.Join(narrow, sep)) > w && s.set.Increment == 0 {
		narrow = slices.Concat(second[:3], second[4:])
	}
	if ansi.StringWidth(strings.Join(narrow, sep)) > w {
		narrow = narrow[:len(narrow)-1] // the seed, last
	}
	// Whether it fits is judged with the state at its widest, so the
	// header does not reflow as the state changes.
	widest := ansi.StringWidth(one) - ansi.StringWidth(first[2]) + ansi.StringWidth("‖ paused  speed 1024× (engine-bound)")
	lines := []string{format.Fit(strings.Join(first, sep), w), format.Fit(strings.Join(narrow, sep), w)}
	if w >= wideWidth && widest <= w {
		lines = []string{format.Fit(one, w)}
	}
	for _, l := range foldLine(wireLine(f.Snap, f.Line, f.LineForms, w), w) {
		lines = append(lines, format.Fit(st.Label.Render(l), w)) // the source's own (on the wire)
	}
	// Decided before the theory lines are drawn, so the header is drawn
	// once: with the reason on its own line they are two.
	// With a closed form there is no reason to place: the dashboard's
	// two layouts reasonCostsABidder lays out on every frame are spared.
	body := rows - len(lines) - 2
	closed := c.theoryNow().theory.Applies
	if !closed && f.Line != "" && theoryCostsTableRows(c, w, body+1) {
		return lines
	}
	own := body >= reasonBody && (helpOpen || closed || !reasonCostsABidder(c, w, body))
	return append(lines, theoryLines(c, w, own)...)
}

// theoryCostsTableRows reports whether the theory line, leaving the
// dashboard body rows rather than body+1, would leave its bidders table
// fewer than minTableRows and cost it a row. Asked on the wire without a
// closed form only: there the line says no more than "no closed form"
// beside the measured mean (the chart's title has a mean, the inspector
// the whole reason), while the header's two lines about the wire left the
// table one row at 80×24, which compares nothing.
func theoryCostsTableRows(c *Context, w, body int) bool {
	d := dashboard{ctx: c}
	with, without := d.computeLayout(w, body), d.computeLayout(w, body+1)
	return with.tableRows < d.minTableRows() && without.tableRows > with.tableRows
}

// reasonCostsABidder reports whether the reason's own line, leaving the
// dashboard body rows rather than body+1, would cost its latency panel a
// bidder of the four it keeps at 80×24: on the wire the header's two
// lines about the wire left it three, and the reason, cut at 80 columns
// anyway, yields to them. Not asked with the help open, which takes the
// panels' rows and leaves the reason its line.
func reasonCostsABidder(c *Context, w, body int) bool {
	d := dashboard{ctx: c}
	with, without := d.computeLayout(w, body), d.computeLayout(w, body+1)
	return with.latRows < min(len(c.Snap().Bidders), minPanelRows) && without.latRows > with.latRows
}

// foldLine is a source's header line in at most two lines of w cells,
// broken at its " · " separators where one line cannot hold it: on a
// projector's 100 columns the wire's line ends with its wait and added
// delay, what it is there to show. None for "".
func foldLine(line string, w int) []string {
	if line == "" {
		return nil
	}
	if ansi.StringWidth(line) <= w {
		return []string{line}
	}
	const sep = " · "
	parts := strings.Split(line, sep)
	first := parts[0]
	i := 1
	for ; i < len(parts) && ansi.StringWidth(first+sep+parts[i]) <= w; i++ {
		first += sep + parts[i]
	}
	if i == len(parts) {
		return []string{first}
	}
	return []string{first, strings.Join(parts[i:], sep)}
}
