package classroom

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/tui/classroom/room"
	"github.com/auctionsim/auctionsim/tui/classroom/seat"
	"github.com/auctionsim/auctionsim/tui/play"
)

// TrainerOptions configure the trainer's screen.
type TrainerOptions struct {
	Room     *room.Room
	Address  string // where students connect, for the header
	Renderer *lipgloss.Renderer
	// Export writes the session somewhere and says where; e calls it.
	Export func(room.Session) (string, error)
	Now    func() time.Time
	// Code is the room code students give as their SSH password, for the
	// header ("" when the room has none).
	Code string
}

// trainerKeys are the trainer's screen's own keys (the dashboard's
// registry, tui.KeyMap, is for the dashboard): one key, one action.
type trainerKeys struct {
	Pause, CloseNow, Next, Kick, Reveal, Export, Help, Quit, Kill key.Binding
}

func (k trainerKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Pause, k.CloseNow, k.Next, k.Kick, k.Reveal, k.Export, k.Quit, k.Help}
}
func (k trainerKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Pause, k.CloseNow, k.Next}, {k.Kick, k.Reveal, k.Export}, {k.Help, k.Quit, k.Kill}}
}

// controlMsg is the room's answer to a trainer's command.
type controlMsg struct {
	done string // what happened, for the status line
	err  error
	// kick is the room's event of a kick (nil: not a kick): the status
	// line says so until the seat changes again.
	kick *room.Event
}

// exportMsg is the outcome of an export.
type exportMsg struct {
	path string
	err  error
}

// Trainer is the trainer's view of the room: seats, who has bid, each
// round's winner and price, and the leaderboard.
type Trainer struct {
	opt    TrainerOptions
	st     play.Styles
	keys   trainerKeys
	help   help.Model
	ch     <-chan room.State
	cancel context.CancelFunc
	state  room.State
	have   bool
	recent []room.RoundRecord // newest last
	status string
	// kick is the kick the status line reports, kickedLine the line; nil
	// when there is none.
	kick       *room.Event
	kickedLine string
	// dealt is the status line of n or c ("next round dealt", "round
	// closed") and the round open when it came: once a later round is
	// dealt it says what no longer matters, and it takes two of the
	// rows a short screen gives the leaderboard.
	dealt      string
	dealtRound uint64
	closing    bool // q pressed once: a second q closes the room
	kicking    bool // k pressed: the input takes a name or a seat number
	input      textinput.Model
	width      int
	height     int
}

const recentRounds = 6

// NewTrainer builds the trainer's screen; it watches the room until it
// quits.
func NewTrainer(opt TrainerOptions) *Trainer {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Trainer{
		opt: opt, st: play.NewStyles(opt.Renderer), help: play.NewHelp(opt.Renderer),
		ch: opt.Room.Watch(ctx), cancel: cancel, width: 80, height: 24, input: play.NewInput(opt.Renderer),
		keys: trainerKeys{
			Pause:    key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "pause")),
			CloseNow: key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "close")),
			Next:     key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next")),
			Kick:     key.NewBinding(key.WithKeys("k"), key.WithHelp("k", "kick")),
			Reveal:   key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "reveal")),
			Export:   key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "export")),
			Help:     key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
			Quit:     key.NewBinding(key.WithKeys("q"), key.WithHelp("q q", "quit")),
			Kill:     key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "close the room at once")),
		},
	}
}

// Init waits for the room's state.
func (m *Trainer) Init() tea.Cmd { return tea.Batch(waitState(m.ch), tick()) }

// Update handles the room's states and keys.
func (m *Trainer) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.help.Width = msg.Width
	case stateMsg:
		if !msg.ok {
			return m, tea.Quit
		}
		m.take(msg.s)
		return m, waitState(m.ch)
	case tickMsg:
		return m, tick()
	case controlMsg:
		if msg.err != nil {
			m.status = msg.err.Error()
		} else {
			m.status = msg.done
			m.kick, m.kickedLine = msg.kick, msg.done
			m.clearKick()
			if msg.done == nextDone || msg.done == closedDone {
				m.dealt, m.dealtRound = msg.done, m.state.Round
			}
		}
	case exportMsg:
		if msg.err != nil {
			m.status = "export failed: " + msg.err.Error()
		} else {
			m.status = "exported to " + msg.path
		}
	case tea.KeyMsg:
		if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste {
			// Keys typed faster than the terminal is read arrive as one
			// message ("qq", "rn"), which matched no key and was lost:
			// each is a key press of its own, as on the dashboard (after
			// k the rest is the name typed).
			var cmds []tea.Cmd
			for _, r := range msg.Runes {
				_, cmd := m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt})
				cmds = append(cmds, cmd)
			}
			return m, tea.Batch(cmds...)
		}
		if m.kicking {
			return m, m.kickKey(msg)
		}
		// One q could end a class by accident: it takes two.
		closing := m.closing
		m.closing = false
		switch {
		case key.Matches(msg, m.keys.Kill), key.Matches(msg, m.keys.Quit) && closing:
			m.cancel()
			return m, tea.Quit
		case key.Matches(msg, m.keys.Quit):
			m.closing = true
			m.status = "press q again to close the room (the session is exported), any other key to go on"
		case key.Matches(msg, m.keys.Help):
			m.help.ShowAll = !m.help.ShowAll
		case key.Matches(msg, m.keys.Pause):
			rm := m.opt.Room
			if m.have && m.state.Paused {
				return m, m.control("resumed", rm.Resume)
			}
			return m, m.control("paused: no new round until p or n", rm.Pause)
		case key.Matches(msg, m.keys.CloseNow):
			return m, m.control(closedDone, m.opt.Room.CloseNow)
		case key.Matches(msg, m.keys.Next):
			return m, m.control(nextDone, m.opt.Room.Next)
		case key.Matches(msg, m.keys.Reveal):
			on := !(m.have && m.state.Reveal)
			what := "reveal on: students see every bid after each round"
			if !on {
				what = "reveal off: students see only their own outcome"
			}
			return m, m.control(what, func(ctx context.Context) error { return m.opt.Room.SetReveal(ctx, on) })
		case key.Matches(msg, m.keys.Kick):
			m.kicking = true
			m.input.SetValue("")
			m.input.Placeholder = "name or seat number"
			m.input.Prompt = ""
			m.input.Width = len(m.input.Placeholder) + 1 // the whole hint, and most names
			// The field is the bid's, which takes 12 characters: a name
			// takes up to MaxNameLen, and a namesake's "-2" after it.
			m.input.CharLimit = kickCharLimit
			m.status = ""
			return m, m.input.Focus()
		case key.Matches(msg, m.keys.Export):
			if m.opt.Export == nil {
				m.status = "no export in this room"
				return m, nil
			}
			m.status = "exporting…"
			rm, export := m.opt.Room, m.opt.Export
			return m, func() tea.Msg {
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				s, err := rm.Session(ctx)
				if err != nil {
					return exportMsg{err: err}
				}
				path, err := export(s)
				return exportMsg{path, err}
			}
		}
	}
	return m, nil
}

// control runs a command on the room off the Update goroutine.
func (m *Trainer) control(done string, do func(context.Context) error) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return controlMsg{done: done, err: do(ctx)}
	}
}

// kickCharLimit is the most the kick field takes: the longest name a
// student has (MaxNameLen, and a namesake's suffix, "-2"), with room to
// spare.
const kickCharLimit = MaxNameLen + 8

// kickKey handles a key while the trainer types whom to kick: enter
// kicks, esc gives up.
func (m *Trainer) kickKey(msg tea.KeyMsg) tea.Cmd {
	switch msg.Type {
	case tea.KeyEsc:
		m.kicking = false
		m.input.Blur()
		return nil
	case tea.KeyEnter:
		m.kicking = false
		m.input.Blur()
		who, rm := strings.TrimSpace(m.input.Value()), m.opt.Room
		if who == "" {
			return nil
		}
		return func() tea.Msg {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			ev, err := rm.KickSeat(ctx, who)
			return controlMsg{done: "kicked " + ev.Student + ": the seat bids by its strategy until someone joins", err: err, kick: &ev}
		}
	case tea.KeyCtrlC:
		m.cancel()
		return tea.Quit
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	return cmd
}

// The status lines of c and n.
const (
	closedDone = "round closed"
	nextDone   = "next round dealt"
)

// take keeps a new state and its most recent rounds.
func (m *Trainer) take(s room.State) {
	m.recent = s.Recent[max(0, len(s.Recent)-recentRounds):]
	m.state, m.have = s, true
	m.clearKick()
	if m.dealt != "" && s.Round > m.dealtRound {
		if m.status == m.dealt {
			m.status = ""
		}
		m.dealt = ""
	}
}

// clearKick clears the status line's "kicked …" once someone has taken
// the kicked seat since, or the student kicked is back: it would say
// what is no longer so. The room's events after the kick's own tell,
// whichever came first to this screen, the kick's answer or the state
// after the seat was taken again. Another status line since is left
// alone.
func (m *Trainer) clearKick() {
	if m.kick == nil || !m.have {
		return
	}
	if m.status != m.kickedLine {
		m.kick = nil
		return
	}
	for _, e := range m.state.Events {
		if e.Seq > m.kick.Seq && e.Kind == room.Joined && (e.Seat == m.kick.Seat || e.Student == m.kick.Student) {
			m.status, m.kick = "", nil
			return
		}
	}
}

// View draws the room.
func (m *Trainer) View() string {
	st := m.st
	if !m.have {
		return "Opening the room…"
	}
	s := m.state
	var b []string
	// The join command has a line of its own, never wrapped: students copy
	// it from a projector, and half of it on the next line reads as two
	// commands. The label gives way first when the line is too narrow.
	join := JoinHint(m.opt.Address)
	if label := "students join: "; m.width <= 0 || ansi.StringWidth(label+join) <= m.width {
		join = st.Faint.Render(label) + join
	}
	b = append(b, st.Title.Render("auctionsim classroom · "+s.Scenario), join)
	line := rules(s.Rules) + fmt.Sprintf(", %s to bid", s.Rules.Round)
	if m.opt.Code != "" {
		line += " · room code " + m.opt.Code
	}
	b = append(b, st.Faint.Render(line), "")
	head := fmt.Sprintf("Seats · rounds played: %d", s.Rounds)
	switch {
	case s.Paused && s.Round > 0:
		head = fmt.Sprintf("PAUSED · round %d open, %.0fs left · rounds played: %d", s.Round, s.Left.Seconds(), s.Rounds)
	case s.Paused && s.Rounds == 0:
		head = "PAUSED · p or n deals the first round, when the class has joined"
	case s.Paused:
		head = fmt.Sprintf("PAUSED · rounds played: %d", s.Rounds)
	case s.Rounds == 0 && s.Round == 0:
		// Said before anyone joins: otherwise the first to log in starts
		// round 1 alone and the rest of the class waits it out.
		head = "Seats · the first student to join starts round 1 (p holds it until the class has joined)"
	case s.Round > 0:
		head = fmt.Sprintf("Round %d open, %.0fs left · rounds played: %d", s.Round, max(s.Deadline.Sub(m.opt.Now()), 0).Seconds(), s.Rounds)
	}
	if s.Reveal {
		head += " · reveal on"
	}
	b = append(b, st.Heading.Render(head))
	for i, sv := range s.Seats {
		who, what := st.Faint.Render("(empty: bids by its strategy)"), ""
		if sv.Student != "" {
			who = sv.Student
			switch {
			case sv.Waiting && s.Round > 0:
				what = st.Faint.Render("joins next round")
			case sv.Passed:
				what = st.Faint.Render("passed")
			case sv.Bid:
				what = st.Good.Render("has bid")
			case s.Round > 0:
				what = "thinking…"
			}
		}
		b = append(b, fmt.Sprintf("  %2d %s %s %s", i+1, padCells(ansi.Truncate(sv.Bidder, 12, "…"), 12), padCells(ansi.Truncate(who, 30, "…"), 30), what))
	}

	// Earlier rounds give way first, then the slots' price lines, then
	// leaderboard rows (with "+N more"), so that the seats, the reveal, the status and the keys
	// stay on a short terminal.
	var foot []string
	if m.kicking {
		foot = append(foot, "Kick whom? "+m.input.View()+st.Faint.Render("  enter kicks, esc cancels"))
	} else if m.status != "" {
		foot = append(foot, m.status)
	}
	if len(foot) > 0 {
		foot = append(foot, "")
	}
	foot = append(foot, m.help.View(m.keys))
	footer := wrapLines(strings.Join(foot, "\n"), m.width)
	compose := func(earlier, top int, fold bool) string {
		out := append([]string(nil), b...)
		if s.Last != nil {
			out = append(out, "")
			out = append(out, reveal(st, m.opt.Room.Table(), *s.Last, "", m.width, fold)...)
		}
		if earlier > 0 && len(m.recent) > 1 {
			out = append(out, "", st.Heading.Render("Earlier rounds"))
			for k, n := len(m.recent)-2, 0; k >= 0 && n < earlier; k, n = k-1, n+1 {
				out = append(out, earlierRound(roundLine(m.opt.Room.Table(), m.recent[k]), m.width)...)
			}
		}
		switch {
		case len(s.Board) == 0:
		case top > 0:
			out = append(out, "")
			out = append(out, board(st, s.Rules, s.Board, "", top, m.width)...)
		default:
			// Not even one row fits: a line of its own, rather than a
			// bare heading that reads as a room with no standings.
			out = append(out, "", st.Heading.Render("Leaderboard")+st.Faint.Render(fmt.Sprintf(" of %d: a taller terminal shows it", len(s.Board))))
		}
		return wrapLines(strings.Join(out, "\n"), m.width)
	}
	fits := func(body string) bool {
		return m.height <= 0 || strings.Count(body, "\n")+strings.Count(footer, "\n")+3 <= m.height
	}
	earlier, top, fold := recentRounds, 10, false
	body := compose(earlier, top, fold)
	for !fits(body) && earlier > 0 {
		earlier--
		body = compose(earlier, top, fold)
	}
	// The slots' price lines repeat the reveal's table: they go before
	// the leaderboard's rows.
	if !fits(body) {
		fold = true
		body = compose(earlier, top, fold)
	}
	for !fits(body) && top > 0 {
		top--
		body = compose(earlier, top, fold)
	}
	return fitLines(body, m.height, footer, m.width)
}

// JoinHint is the command students type to join a server listening on
// addr ("ssh -p 2222 NAME@HOST" when it listens on every address): NAME,
// the user name, labels their seat, so the hint asks for it rather than
// let ssh send the login name of whoever's laptop it is.
func JoinHint(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "ssh -p PORT NAME@HOST"
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "HOST"
	} else if ip != nil && ip.To4() == nil {
		host = "[" + host + "]"
	}
	if port == "22" {
		return "ssh NAME@" + host
	}
	return "ssh -p " + port + " NAME@" + host
}

// earlierRound is a round's line under "Earlier rounds", wrapped within
// width cells (0: no limit) with its further lines indented under the
// first's text, so each round reads as one entry; "+ increment 0.010"
// stays with the bid it adds to ("the second-highest bid + increment
// 0.010 would pass it" at 80 columns had put "+ increment 0.010 would
// pass it" at the entries' indent, as if a round of its own).
func earlierRound(line string, width int) []string {
	if width <= 0 || ansi.StringWidth(line)+2 <= width {
		return []string{"  " + line}
	}
	const glued = "\u00a0+\u00a0increment\u00a0" // no-break spaces: ansi.Wrap keeps them
	wrapped := format.WrapWith(ansi.Wrap, strings.ReplaceAll(line, " + increment ", glued), max(width-4, 20))
	out := strings.Split(strings.ReplaceAll(wrapped, glued, " + increment "), "\n")
	for i := range out {
		out[i] = "    " + out[i]
		if i == 0 {
			out[i] = "  " + out[i][4:]
		}
	}
	return out
}

// roundLine sums up a closed round: who won, at what price and why.
func roundLine(t *seat.Table, rec room.RoundRecord) string {
	res := rec.Result
	if res.Winner < 0 {
		return fmt.Sprintf("#%d no sale", res.Number)
	}
	name := func(b int) string {
		who := t.Name(b)
		for i, o := range res.Seats {
			if o.Bidder == b && rec.Students[i] != "" {
				who = rec.Students[i] + " (" + who + ")"
			}
		}
		return who
	}
	if len(res.Slots) > 0 {
		// Every slot holder won something: name them all, per click.
		parts := make([]string, len(res.Slots))
		for j, sl := range res.Slots {
			parts[j] = fmt.Sprintf("%d. %s %.3f", j+1, name(sl.Bidder), sl.Click.CPM())
		}
		rule := "gsp"
		if res.VCG {
			rule = "vcg"
		}
		return fmt.Sprintf("#%d %s, per click: %s", res.Number, rule, strings.Join(parts, ", "))
	}
	// After a comma, not in brackets: the reason may have its own
	// ("winner's own bid (first price)"), and a name its bidder's.
	return fmt.Sprintf("#%d %s won at %.3f, %s", res.Number, name(res.Winner), res.Price.CPM(), play.SetBy(res, res.Reason, "its"))
}

// Log writes the room as plain lines (for a trainer whose output is not a
// terminal): seats taken and freed, each round's winner and price, and
// the leaderboard every ten rounds. It subscribes at once, so nothing from
// now on is missed, and returns run, which writes until ctx ends or the
// room closes.
func Log(ctx context.Context, rm *room.Room, w io.Writer) (run func()) {
	ch := rm.Watch(ctx)
	return func() { logStates(ctx, ch, rm.Table(), w) }
}

func logStates(ctx context.Context, ch <-chan room.State, t *seat.Table, w io.Writer) {
	var seen uint64 // the last event logged
	for {
		var s room.State
		select {
		case <-ctx.Done():
			return
		case v, ok := <-ch:
			if !ok {
				return
			}
			s = v
		}
		for _, e := range s.Events {
			if e.Seq <= seen {
				continue
			}
			if e.Seq > seen+1 && seen > 0 {
				fmt.Fprintf(w, "(%d events came too fast to log; the export has every round)\n", e.Seq-seen-1)
			}
			seen = e.Seq
			switch e.Kind {
			case room.Joined:
				fmt.Fprintf(w, "seat %d (%s): %s joined\n", e.Seat+1, t.Name(t.SeatBidder(e.Seat)), e.Student)
			case room.Left:
				fmt.Fprintf(w, "seat %d (%s): %s left\n", e.Seat+1, t.Name(t.SeatBidder(e.Seat)), e.Student)
			case room.RoundClosed:
				logRound(w, t, s, e.Round)
			}
		}
	}
}

// logRound writes a closed round's line, and the leaderboard every ten
// rounds.
func logRound(w io.Writer, t *seat.Table, s room.State, n uint64) {
	line := fmt.Sprintf("round %d closed", n)
	for _, rec := range s.Recent {
		if rec.Result.Number == n {
			line = "round " + roundLine(t, rec)[1:]
		}
	}
	fmt.Fprintln(w, line)
	if n%10 == 0 {
		for i, r := range s.Board {
			if s.Rules.Auction == sim.FirstPrice { // bidding the value earns 0: the equilibrium is the benchmark
				fmt.Fprintf(w, "  %d. %s surplus %s (bidding the equilibrium: %s)\n", i+1, r.Name, play.Signed(r.Surplus), play.Signed(r.Equilibrium.Surplus))
				continue
			}
			fmt.Fprintf(w, "  %d. %s surplus %s (bidding the value: %s)\n", i+1, r.Name, play.Signed(r.Surplus), play.Signed(r.Truthful.Surplus))
		}
	}
}

// WriteSession writes a room's session as JSON: the rules, every round
// (values, bids, ranks, the price and why, who sat where) and the
// leaderboard. Amounts are CPM.
func WriteSession(w io.Writer, s room.Session) error {
	// answerJSON is how a bidder's answer fared, in a seat and among the
	// bidders alike.
	type answerJSON struct {
		Value  float64  `json:"value"`
		Bid    *float64 `json:"bid"` // null: no bid (error, no-bid, hang, pass), or a late one typed that reads as none
		Status string   `json:"status"`
		Rank   int      `json:"rank"` // among the eligible bids; 0: not eligible
		Won    bool     `json:"won"`
		// Typed is a bid typed but not sent by the deadline (play's
		// countdown), as typed: late, its amount in bid when it reads as
		// one.
		Typed string `json:"typed,omitempty"`
	}
	// slotPriceJSON is, with several slots, the slot won (1 the best) and
	// its prices.
	type slotPriceJSON struct {
		Slot       int      `json:"slot,omitempty"`
		Click      *float64 `json:"price_per_click,omitempty"`
		Impression *float64 `json:"price_per_impression,omitempty"`
	}
	slotPrice := func(slot int, click, impression sim.Price) slotPriceJSON {
		c, m := click.CPM(), impression.CPM()
		return slotPriceJSON{Slot: slot, Click: &c, Impression: &m}
	}
	type bidJSON struct {
		Seat    int    `json:"seat"`
		Bidder  string `json:"bidder"`
		Student string `json:"student,omitempty"`
		answerJSON
		Surplus  float64 `json:"surplus"`
		Truthful float64 `json:"truthful_surplus"`
		// Equilibrium is had the seat bid the symmetric equilibrium on
		// time: the first-price benchmark (in second price = truthful).
		Equilibrium float64 `json:"equilibrium_surplus"`
		slotPriceJSON
	}
	// bidderJSON is one bidder of a round, student or robot: with the
	// round's floor and increment, enough to check its price by hand.
	type bidderJSON struct {
		Bidder  string `json:"bidder"`
		Student string `json:"student,omitempty"`
		Robot   bool   `json:"robot"` // bid by its scenario strategy
		answerJSON
		Paid    float64 `json:"paid"` // per impression with several slots
		Surplus float64 `json:"surplus"`
		// With several slots, surplus is weight × value − price per
		// impression.
		slotPriceJSON
	}
	// slotJSON is one slot sold in a round of several.
	type slotJSON struct {
		Slot       int     `json:"slot"`
		Weight     float64 `json:"weight"`
		Bidder     string  `json:"bidder"`
		Bid        float64 `json:"bid"` // per click, as ranked and priced
		Click      float64 `json:"price_per_click"`
		Impression float64 `json:"price_per_impression"`
		Reason     string  `json:"reason"`
	}
	type roundJSON struct {
		Number    uint64       `json:"round"`
		Winner    *string      `json:"winner"`
		Price     float64      `json:"price"`
		Reason    string       `json:"reason"`
		Why       string       `json:"why"`
		Tie       string       `json:"tie,omitempty"` // a tie broken at random that decided who won what
		Floor     float64      `json:"floor"`
		Increment float64      `json:"increment"`
		Eligible  int          `json:"eligible_bids"`
		Highest   *float64     `json:"highest_bid"`
		Second    *float64     `json:"second_bid"`
		Seats     []bidJSON    `json:"seats"`
		Bidders   []bidderJSON `json:"bidders"`
		Slots     []slotJSON   `json:"slots,omitempty"` // several slots: each sold, best first
	}
	type standingJSON struct {
		Name            string  `json:"name"`
		Rounds          uint64  `json:"rounds"`
		Wins            uint64  `json:"wins"`
		Late            uint64  `json:"late"`
		Spend           float64 `json:"spend"`
		Surplus         float64 `json:"surplus"`
		TruthfulWins    uint64  `json:"truthful_wins"`
		TruthfulSurplus float64 `json:"truthful_surplus"`
		// Late counts bids that came (in play, were typed) too late;
		// no_bids rounds with nothing sent by the deadline; passes the
		// rounds passed. No round counts in two.
		NoBids uint64 `json:"no_bids"`
		Passes uint64 `json:"passes"`
		// The equilibrium's totals on the same rounds, the first-price
		// leaderboard's benchmark.
		EquilibriumWins    uint64  `json:"equilibrium_wins"`
		EquilibriumSurplus float64 `json:"equilibrium_surplus"`
	}
	out := struct {
		Scenario  string         `json:"scenario"`
		Seed      uint64         `json:"seed"`
		DealSeed  uint64         `json:"deal_seed"` // the seed the room dealt values from
		Auction   string         `json:"auction"`
		Floor     float64        `json:"floor"`
		Increment float64        `json:"increment"`
		RoundTime string         `json:"round_time"`
		Slots     []float64      `json:"slots,omitempty"` // several slots: their click-through weights
		Seats     []string       `json:"seats"`
		Bidders   []string       `json:"bidders"`
		Dropped   int            `json:"rounds_dropped"`
		Rounds    []roundJSON    `json:"rounds"`
		Board     []standingJSON `json:"leaderboard"`
	}{
		Scenario: s.Scenario, Seed: s.Seed, DealSeed: s.DealSeed, Auction: s.Rules.Auction.String(),
		Floor: s.Rules.Floor.CPM(), Increment: s.Rules.Increment.CPM(), RoundTime: s.Rules.Round.String(),
		Slots: s.Rules.Slots, Seats: s.Seats, Bidders: s.Bidders, Dropped: s.Dropped, Rounds: []roundJSON{}, Board: []standingJSON{},
	}
	for _, rec := range s.Rounds {
		res := rec.Result
		rj := roundJSON{
			Number: res.Number, Price: res.Price.CPM(), Reason: res.Reason.Text(res.Increment), Why: PriceWhy(res), Tie: play.TieNote(res),
			Floor: res.Floor.CPM(), Increment: res.Increment.CPM(), Seats: []bidJSON{}, Bidders: []bidderJSON{},
		}
		student := make([]string, len(res.Responses))
		robot := make([]bool, len(res.Responses))
		seated := make([]*seat.Outcome, len(res.Responses))
		for i := range robot {
			robot[i] = true
		}
		for i, o := range res.Seats {
			student[o.Bidder], robot[o.Bidder], seated[o.Bidder] = rec.Students[i], o.Bid.Auto, &res.Seats[i]
		}
		for i, r := range res.Responses {
			if res.Values[i] == 0 && r.Status == sim.NotSent {
				continue // disabled: not at the table
			}
			bj := bidderJSON{
				Bidder: s.Bidders[i], Student: student[i], Robot: robot[i],
				answerJSON: answerJSON{Value: res.Values[i].CPM(), Status: r.Status.String(), Rank: int(r.Rank)},
			}
			if o := seated[i]; o != nil && !o.Bid.Auto {
				// A seat's answer in the seats' words: "passed", "no
				// bid", not the engine's status (a pass is a no-bid to it).
				bj.Status = statusName(*o)
				bj.Bid, bj.Typed = seatBid(*o, r), o.Bid.Typed
			} else if r.Status >= sim.Late {
				x := r.Bid.CPM()
				bj.Bid = &x
			}
			if r.Rank > 0 {
				rj.Eligible++
			}
			x := r.Bid.CPM()
			switch r.Rank {
			case 1:
				rj.Highest = &x
			case 2:
				rj.Second = &x
			}
			var paid, sur sim.Price
			paid, sur, bj.Won = paidBy(res, i)
			if bj.Won {
				bj.Paid, bj.Surplus = paid.CPM(), sur.CPM()
			}
			if j, sl := slotOf(res, i); j > 0 {
				bj.slotPriceJSON = slotPrice(j, sl.Click, sl.Impression)
			}
			rj.Bidders = append(rj.Bidders, bj)
		}
		if res.Winner >= 0 {
			name := s.Bidders[res.Winner]
			rj.Winner = &name
		}
		for j, sl := range res.Slots {
			rj.Slots = append(rj.Slots, slotJSON{
				Slot: j + 1, Weight: sl.Weight, Bidder: s.Bidders[sl.Bidder], Bid: sl.Bid.CPM(),
				Click: sl.Click.CPM(), Impression: sl.Impression.CPM(), Reason: sl.Reason.Text(res.Increment),
			})
		}
		for i, o := range res.Seats {
			bj := bidJSON{
				Seat: i + 1, Bidder: o.Name, Student: rec.Students[i],
				answerJSON: answerJSON{Value: o.Value.CPM(), Status: statusName(o), Rank: o.Result.Rank, Won: o.Result.Won,
					Bid: seatBid(o, res.Responses[o.Bidder]), Typed: o.Bid.Typed},
				Surplus: o.Result.Surplus.CPM(), Truthful: o.Truthful.Surplus.CPM(), Equilibrium: o.Equilibrium.Surplus.CPM(),
			}
			if o.Result.Slot > 0 {
				bj.slotPriceJSON = slotPrice(o.Result.Slot, o.Result.Click, o.Result.Price)
			}
			rj.Seats = append(rj.Seats, bj)
		}
		out.Rounds = append(out.Rounds, rj)
	}
	for _, b := range s.Board {
		out.Board = append(out.Board, standingJSON{
			Name: b.Name, Rounds: b.Rounds, Wins: b.Wins, Late: b.Late, Spend: b.Spend.CPM(),
			Surplus: b.Surplus.CPM(), TruthfulWins: b.Truthful.Wins, TruthfulSurplus: b.Truthful.Surplus.CPM(),
			NoBids: b.NoBids, Passes: b.Passes,
			EquilibriumWins: b.Equilibrium.Wins, EquilibriumSurplus: b.Equilibrium.Surplus.CPM(),
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// noBid is the status of a seat whose student sent nothing before the
// round closed (by its deadline or by the trainer), as the reveal says it
// (bidText): the engine has it as late, but there was no bid to be late.
const noBid = "no bid"

// seatBid is a seat's bid for the export, r its response: null when
// none came (a pass, nothing sent, an error) and when one typed too late
// does not read as a bid, never a made-up 0.
func seatBid(o seat.Outcome, r sim.Response) *float64 {
	if r.Status < sim.Late || o.Bid.None || o.Bid.Unread {
		return nil
	}
	x := r.Bid.CPM()
	return &x
}

// statusName is how a seat's answer ended, for the export.
func statusName(o seat.Outcome) string {
	switch {
	case o.Bid.Pass:
		return "passed"
	case o.Bid.None:
		return noBid
	case o.Bid.Auto:
		return "strategy: " + o.Status.String()
	}
	return o.Status.String()
}

// padCells pads s with spaces to w cells on screen. fmt's %-30s counts
// runes, and bytes of a style's escapes: a name in wide characters
// ("日本") or a styled one pushed the seat's state out of its column.
func padCells(s string, w int) string {
	return s + strings.Repeat(" ", max(0, w-ansi.StringWidth(s)))
}
