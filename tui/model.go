package tui

import (
	"fmt"
	"path/filepath"
	"strconv"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/list"
	"github.com/charmbracelet/bubbles/table"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// link is the dashboard's side of the runner: it sends commands without
// blocking and receives frames. Tests replace it with a recorder.
type link interface {
	Send(envelope) bool
	Frames() <-chan frame
	Done() <-chan struct{}
}

// catalog lists and loads the bundled scenarios for the picker.
type catalog struct {
	List func() []scenarios.Info
	Load func(name string) (*scenarios.Scenario, error)
}

// exportFunc writes a run's files; report.Write in the program.
type exportFunc func(path string, snap *sim.Snapshot, meta report.Meta) error

// mode is what fills the screen between the header and the footer.
type mode uint8

const (
	modeMain    mode = iota
	modeInspect      // the last auction in detail
	modePicker       // the scenario list
)

// Messages.
type (
	frameMsg    frame
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

// shown is what the dashboard displays for the values the user can change:
// the newest frame's, updated at once by each key (optimistically) until a
// frame confirms the command.
type shown struct {
	paused  bool
	speed   int
	set     sim.Settings
	bidders []shownBidder
}

type shownBidder struct {
	enabled   bool
	budget    sim.Money
	unlimited bool
	latency   sim.Dist
}

// rateSample is one point of the auctions-per-second window.
type rateSample struct {
	wall     time.Time
	virtual  sim.Time
	auctions uint64
}

// rateWindow is how much recent history the auctions-per-second figures
// average over: long enough to be steady at 0.01×, short enough to follow
// a speed change within a second.
const rateWindow = time.Second

// model is the dashboard's Bubble Tea model.
type model struct {
	link      link
	st        styles
	keys      keyMap
	help      help.Model
	cat       catalog
	export    exportFunc
	exportDir string

	width, height int

	cur     frame
	have    bool // a frame has arrived
	seq     uint64
	show    shown
	samples []rateSample
	// Auctions per second of wall time and of virtual time, over the
	// rate window; negative when unknown.
	wallRate, virtRate float64

	selected int
	status   string
	warn     bool
	stepSeq  uint64 // the step being waited for, to report its auction

	mode    mode
	insp    inspector
	picker  list.Model
	current string // the loaded scenario's name, for the picker

	table table.Model
	cache cache
}

// modelOptions are the model's collaborators.
type modelOptions struct {
	styles    styles
	catalog   catalog
	export    exportFunc
	exportDir string
}

func newModel(l link, o modelOptions) *model {
	m := &model{
		link:      l,
		st:        o.styles,
		keys:      newKeyMap(),
		help:      help.New(),
		cat:       o.catalog,
		export:    o.export,
		exportDir: o.exportDir,
		wallRate:  -1,
		virtRate:  -1,
	}
	m.help.Styles = m.st.Help
	m.help.ShortSeparator = "  "
	m.help.FullSeparator = "  "
	m.table = table.New(table.WithStyles(table.Styles{
		// Plain: the bidders panel styles rows and cells itself after the
		// table has laid them out (see bidders.go).
		Header:   m.st.r.NewStyle().PaddingLeft(cellPad),
		Cell:     m.st.r.NewStyle().PaddingLeft(cellPad),
		Selected: m.st.r.NewStyle(),
	}))
	m.picker = m.newPicker()
	return m
}

// Init starts listening for frames.
func (m *model) Init() tea.Cmd { return m.waitFrame() }

// waitFrame receives the next frame from the runner.
func (m *model) waitFrame() tea.Cmd {
	frames, done := m.link.Frames(), m.link.Done()
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
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.picker.SetSize(m.pickerSize())
		m.rebuild()
		return m, nil
	case frameMsg:
		m.onFrame(frame(msg))
		return m, m.waitFrame()
	case runnerGone:
		return m, nil
	case loadedMsg:
		if msg.err != nil {
			m.setWarn("could not load " + msg.name + ": " + msg.err.Error())
		} else if m.send(load{Scenario: msg.sc}) {
			m.setInfo("loading " + msg.name + "…")
		}
		m.rebuild()
		return m, nil
	case exportedMsg:
		if msg.err != nil {
			m.setWarn("export failed: " + msg.err.Error())
		} else {
			m.setInfo("exported to " + msg.path)
		}
		return m, nil
	case tea.KeyMsg:
		if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste {
			// Keys typed faster than the terminal is read arrive as one
			// message ("++"); each is a key press of its own.
			var cmds []tea.Cmd
			for _, r := range msg.Runes {
				_, cmd := m.onKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt})
				cmds = append(cmds, cmd)
			}
			return m, tea.Batch(cmds...)
		}
		return m.onKey(msg)
	}
	return m, nil
}

// onFrame takes a new frame: rates, confirmation of optimistic values,
// notes, and the cached panels.
func (m *model) onFrame(f frame) {
	if m.have && f.Gen != m.cur.Gen {
		// A new engine (restart or another scenario): rates start over,
		// and the inspector's auction belongs to the old run.
		m.samples = m.samples[:0]
		if m.mode == modeInspect {
			m.mode = modeMain
		}
	}
	m.cur, m.have = f, true
	m.current = f.Scenario
	m.sample(f)
	// Optimistic values stand until a frame reflects every command sent,
	// or until the bidders themselves change (another scenario).
	if f.Ack >= m.seq || len(m.show.bidders) != len(f.Snap.Bidders) {
		m.show = shownFrom(f)
	}
	if n := len(f.Snap.Bidders); m.selected >= n {
		m.selected = max(n-1, 0)
	}
	for _, n := range f.Notes {
		m.status, m.warn = n.Text, n.Warn
	}
	if m.stepSeq > 0 && f.Ack >= m.stepSeq {
		m.stepSeq = 0
		if r := f.Snap.Recent; len(r) > 0 {
			m.setInfo(stepReport(r[len(r)-1]))
		}
	}
	m.rebuild()
}

func shownFrom(f frame) shown {
	s := shown{paused: f.Paused || f.Ended, speed: f.Speed, set: f.Snap.Settings}
	s.bidders = make([]shownBidder, len(f.Snap.Bidders))
	for i, b := range f.Snap.Bidders {
		s.bidders[i] = shownBidder{enabled: b.Enabled, budget: b.Budget, unlimited: b.Unlimited, latency: b.LatencyDist}
	}
	return s
}

// sample adds f to the rate window and recomputes the rates. While paused
// the rates are zero: nothing is running.
func (m *model) sample(f frame) {
	s := rateSample{wall: f.Wall, virtual: f.Snap.Now, auctions: f.Snap.Exchange.Auctions}
	m.samples = append(m.samples, s)
	for len(m.samples) > 2 && s.wall.Sub(m.samples[1].wall) >= rateWindow {
		m.samples = m.samples[1:]
	}
	if f.Paused || f.Ended {
		m.wallRate, m.virtRate = 0, 0
		m.samples = append(m.samples[:0], s)
		return
	}
	first := m.samples[0]
	n := float64(s.auctions - first.auctions)
	m.wallRate, m.virtRate = -1, -1
	if dw := s.wall.Sub(first.wall).Seconds(); dw > 0 {
		m.wallRate = n / dw
	}
	if dv := (s.virtual - first.virtual).Seconds(); dv > 0 {
		m.virtRate = n / dv
	}
}

func (m *model) setInfo(s string) { m.status, m.warn = s, false }
func (m *model) setWarn(s string) { m.status, m.warn = s, true }

// send queues a command for the runner. A full queue (the engine is busy
// with something long) drops the key with a message rather than block.
func (m *model) send(c command) bool {
	if !m.link.Send(envelope{Seq: m.seq + 1, Cmd: c}) {
		m.setWarn("the engine is busy; press the key again")
		return false
	}
	m.seq++
	return true
}

// tooSmall reports whether the terminal is below 80×24.
func (m *model) tooSmall() bool { return m.width < minWidth || m.height < minHeight }

func (m *model) onKey(k tea.KeyMsg) (tea.Model, tea.Cmd) {
	if key.Matches(k, m.keys.Quit) {
		return m, tea.Quit
	}
	if !m.have || m.tooSmall() {
		return m, nil
	}
	switch m.mode {
	case modeInspect:
		m.inspectKey(k)
		return m, nil
	case modePicker:
		return m, m.pickerKey(k)
	}
	cmd := m.mainKey(k)
	m.rebuild()
	return m, cmd
}

// mainKey handles the dashboard's keys.
func (m *model) mainKey(k tea.KeyMsg) tea.Cmd {
	s := &m.show
	switch {
	case key.Matches(k, m.keys.Help):
		m.help.ShowAll = !m.help.ShowAll

	case key.Matches(k, m.keys.Pause):
		if m.send(setPaused{Paused: !s.paused}) {
			s.paused = !s.paused
			m.setInfo(map[bool]string{true: "paused", false: "running"}[s.paused])
		}
	case key.Matches(k, m.keys.Faster), key.Matches(k, m.keys.Slower):
		i := s.speed + 1
		if key.Matches(k, m.keys.Slower) {
			i = s.speed - 1
		}
		i = min(max(i, 0), speedMax)
		if i == s.speed {
			m.setInfo("speed is already " + speedLabel(i))
			break
		}
		if m.send(setSpeed{Index: i}) {
			m.setInfo("speed " + speedLabel(s.speed) + " → " + speedLabel(i))
			s.speed = i
		}
	case key.Matches(k, m.keys.Step):
		if !s.paused {
			m.setWarn("'.' runs one auction while paused: press space first")
			break
		}
		if m.send(stepOne{}) {
			m.stepSeq = m.seq
			m.setInfo("one auction…")
		}

	case key.Matches(k, m.keys.TmaxDown), key.Matches(k, m.keys.TmaxUp):
		old := s.set.Tmax
		// Snap to the 10 ms grid, so steps from an odd tmax land on round
		// values.
		t := (old + sim.Millisecond*tmaxStep/2) / (sim.Millisecond * tmaxStep) * (sim.Millisecond * tmaxStep)
		if key.Matches(k, m.keys.TmaxDown) {
			if t >= old {
				t -= tmaxStep * sim.Millisecond
			}
		} else if t <= old {
			t += tmaxStep * sim.Millisecond
		}
		t = max(t, tmaxMin*sim.Millisecond)
		if t == old {
			m.setInfo(fmt.Sprintf("tmax is at its minimum, %v", old))
			break
		}
		m.change(sim.SetTmax{Tmax: t}, fmt.Sprintf("tmax %v → %v", old, t), func() { s.set.Tmax = t })
	case key.Matches(k, m.keys.FloorDown), key.Matches(k, m.keys.FloorUp):
		old := s.set.Floor.CPM()
		f := old + floorStep
		if key.Matches(k, m.keys.FloorDown) {
			f = max(old-floorStep, 0)
		}
		f = float64(sim.PriceOf(f)/10_000) / 100 // whole cents of CPM
		if f == old {
			m.setInfo("the floor is already 0")
			break
		}
		m.change(sim.SetFloor{Floor: f}, fmt.Sprintf("floor %.2f → %.2f", old, f), func() { s.set.Floor = sim.PriceOf(f) })
	case key.Matches(k, m.keys.Auction):
		a := sim.FirstPrice
		if s.set.Auction == sim.FirstPrice {
			a = sim.SecondPrice
		}
		m.change(sim.SetAuction{Auction: a}, "auction "+s.set.Auction.String()+" → "+a.String(), func() { s.set.Auction = a })

	case key.Matches(k, m.keys.QPSDown), key.Matches(k, m.keys.QPSUp):
		// Not in the list: the overloaded-bidder scenario asks the
		// user to raise the traffic and watch the queue build up.
		old := s.set.QPS
		q := old * qpsScale
		if key.Matches(k, m.keys.QPSDown) {
			q = old / qpsScale
		}
		// Three significant digits: round numbers at any rate.
		q, _ = strconv.ParseFloat(strconv.FormatFloat(q, 'g', 3, 64), 64)
		if q < sim.MinQPS {
			m.setInfo(fmt.Sprintf("qps is at its minimum, %g", old))
			break
		}
		m.change(sim.SetQPS{QPS: q}, fmt.Sprintf("qps %g → %g", old, q), func() { s.set.QPS = q })

	case key.Matches(k, m.keys.Up):
		m.selected = max(m.selected-1, 0)
	case key.Matches(k, m.keys.Down):
		m.selected = min(m.selected+1, len(m.cur.Snap.Bidders)-1)
	case key.Matches(k, m.keys.Slower1), key.Matches(k, m.keys.Faster1):
		b, sb := m.selectedBidder()
		factor, word := latencyScale, "slower"
		if key.Matches(k, m.keys.Faster1) {
			factor, word = 1/latencyScale, "faster"
		}
		to := sb.latency.Scale(factor)
		m.change(sim.ScaleLatency{Bidder: b.Name, Factor: factor},
			fmt.Sprintf("%s %s: network latency ×%.2f, mean %s → %s", b.Name, word, factor, latency(meanTime(sb.latency)), latency(meanTime(to))),
			func() { sb.latency = to })
	case key.Matches(k, m.keys.BudgetDown), key.Matches(k, m.keys.BudgetUp):
		b, sb := m.selectedBidder()
		if sb.unlimited {
			m.setWarn(b.Name + " has no budget (unlimited): budgets are set in the scenario file")
			break
		}
		old := sb.budget.Float()
		nb := old / budgetScale
		if key.Matches(k, m.keys.BudgetUp) {
			nb = max(old*budgetScale, budgetMin)
		}
		nb = float64(sim.MoneyOf(nb)/10_000_000) / 100 // whole cents
		m.change(sim.SetBudget{Bidder: b.Name, Total: nb},
			fmt.Sprintf("%s budget %s → %s (spent %s)", b.Name, money(old), money(nb), money(b.Spend.Float())),
			func() { sb.budget = sim.MoneyOf(nb) })
	case key.Matches(k, m.keys.Toggle):
		b, sb := m.selectedBidder()
		on := !sb.enabled
		word := map[bool]string{true: "enabled", false: "disabled: it gets no bid requests"}[on]
		m.change(sim.SetEnabled{Bidder: b.Name, Enabled: on}, b.Name+" "+word, func() { sb.enabled = on })

	case key.Matches(k, m.keys.Inspect):
		if len(m.cur.Snap.Recent) == 0 {
			m.setInfo("no auction has closed yet")
			break
		}
		m.openInspector()
	case key.Matches(k, m.keys.Restart):
		if m.send(restart{}) {
			m.setInfo(fmt.Sprintf("restarting with seed %d, replaying %d change(s)…", m.cur.Snap.Seed, len(m.cur.Snap.Changes)))
		}
	case key.Matches(k, m.keys.Scenario):
		if m.cat.List == nil {
			m.setWarn("no bundled scenarios in this build")
			break
		}
		m.openPicker()
	case key.Matches(k, m.keys.Export):
		return m.exportRun()
	}
	return nil
}

// stepReport says which auction a step closed and how it ended.
func stepReport(r sim.AuctionRecord) string {
	s := fmt.Sprintf("one auction: #%s closed at %s, ", count(r.ID), clock(r.Close))
	if r.Winner < 0 {
		return s + "no sale (enter for details)"
	}
	return s + fmt.Sprintf("sold at %.2f CPM (enter for details)", r.Price.CPM())
}

// change sends a live change and, once queued, shows its effect at once.
func (m *model) change(c sim.Change, what string, optimistic func()) {
	if m.send(applyChange{Change: c}) {
		optimistic()
		m.setInfo(what)
	}
}

// selectedBidder is the bidder the per-bidder keys act on, with its shown
// (optimistic) values.
func (m *model) selectedBidder() (sim.BidderStats, *shownBidder) {
	return m.cur.Snap.Bidders[m.selected], &m.show.bidders[m.selected]
}

// exportRun writes the newest snapshot like `auctionsim run --out`, off the
// update loop.
func (m *model) exportRun() tea.Cmd {
	if m.export == nil {
		m.setWarn("export is not available in this build")
		return nil
	}
	f := m.cur
	path := filepath.Join(m.exportDir, fmt.Sprintf("auctionsim-%s-%d.json", safeName(f.Scenario), f.Snap.Seed))
	meta := report.Meta{Scenario: f.Scenario, Partial: !reachedStop(f), WallSeconds: f.WallRun.Seconds()}
	m.setInfo("exporting to " + path + "…")
	export := m.export
	return func() tea.Msg {
		return exportedMsg{path: path, err: export(path, f.Snap, meta)}
	}
}

// reachedStop reports whether the run in f got to its scenario's planned
// end, so its export is complete rather than partial.
func reachedStop(f frame) bool {
	st := f.Stop
	return st.Duration > 0 && f.Snap.Now >= st.Duration || st.Auctions > 0 && f.Snap.Exchange.Auctions >= st.Auctions
}

// safeName keeps a scenario name usable in a file name.
func safeName(s string) string {
	out := []rune(s)
	for i, r := range out {
		if !(r == '-' || r == '_' || r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			out[i] = '_'
		}
	}
	if len(out) == 0 {
		return "run"
	}
	return string(out)
}
