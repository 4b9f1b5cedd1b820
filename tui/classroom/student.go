// Package classroom is the screens of a classroom room: a student's seat,
// served over SSH, and the trainer's view of the whole room.
package classroom

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/tui/classroom/room"
	"github.com/auctionsim/auctionsim/tui/play"
)

// stateMsg is a new state of the room.
type stateMsg struct {
	s  room.State
	ok bool // false: the room closed the channel
}

// bidMsg is the room's answer to a bid.
type bidMsg struct {
	round uint64
	err   error
}

type tickMsg struct{}

const tickEvery = 200 * time.Millisecond

// waitState waits for the next state on ch.
func waitState(ch <-chan room.State) tea.Cmd {
	return func() tea.Msg {
		s, ok := <-ch
		return stateMsg{s, ok}
	}
}

func tick() tea.Cmd {
	return tea.Tick(tickEvery, func(time.Time) tea.Msg { return tickMsg{} })
}

// Student is one student's screen: their seat's private value, a bid
// field, their last outcome beside bidding their value, and the
// leaderboard.
type Student struct {
	p      *room.Player
	st     play.Styles
	entry  play.Entry // the bid field, its help and the seat's keys
	now    func() time.Time
	state  room.State
	have   bool
	sent   uint64 // round of the last bid sent and accepted
	err    string
	width  int
	height int
	closed bool
	quit   bool
	kicked bool
}

// leftMsg: the student's seat was freed (by the trainer, or the room
// closed).
type leftMsg struct{}

// NewStudent builds the screen of player p; r is the session's renderer
// (nil: the default), now the wall clock (nil: time.Now).
func NewStudent(p *room.Player, r *lipgloss.Renderer, now func() time.Time) *Student {
	if now == nil {
		now = time.Now
	}
	return &Student{
		p: p, st: play.NewStyles(r), entry: play.NewEntry(r, "leave"), now: now, width: 80, height: 24,
	}
}

// Init waits for the room's first state.
func (m *Student) Init() tea.Cmd {
	left := m.p.Left()
	return tea.Batch(waitState(m.p.Updates()), tick(), m.entry.Init(), func() tea.Msg { <-left; return leftMsg{} })
}

func (m *Student) bidding() bool {
	y := m.state.You
	return m.have && y != nil && y.InRound && !y.HasBid && m.sent != m.state.Round
}

// ShortHelp is the help line for the student's state: bid and pass only
// while they may bid, not once they have bid or between rounds, when
// those keys do nothing.
func (m *Student) ShortHelp() []key.Binding {
	k := m.entry.Keys
	if !m.bidding() {
		return []key.Binding{k.Quit, k.Help}
	}
	return k.ShortHelp()
}

// FullHelp is every binding of the student's state, as ShortHelp.
func (m *Student) FullHelp() [][]key.Binding {
	k := m.entry.Keys
	if !m.bidding() {
		return [][]key.Binding{{k.Help, k.Quit}}
	}
	return k.FullHelp()
}

// Update handles the room's states, keys and the countdown.
func (m *Student) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
	case leftMsg:
		if m.quit {
			return m, nil
		}
		m.kicked, m.closed = m.p.Kicked(), !m.p.Kicked()
		return m, tea.Quit
	case stateMsg:
		if !msg.ok {
			m.closed = true
			return m, tea.Quit
		}
		if m.have && msg.s.Round != m.state.Round {
			m.entry.Input.SetValue("")
			m.err = ""
		}
		m.state, m.have = msg.s, true
		return m, waitState(m.p.Updates())
	case bidMsg:
		if msg.err != nil {
			m.err = msg.err.Error()
			if errors.Is(msg.err, room.ErrNotYourTurn) {
				m.err = "too late: that round has closed"
			}
			return m, nil
		}
		m.sent = msg.round
		return m, nil
	case tickMsg:
		return m, tick()
	}
	in, cmd := m.entry.Update(msg, m.bidding())
	round := m.state.Round
	switch in.Act {
	case play.Leave:
		m.quit = true
		return m, tea.Quit
	case play.Pass:
		m.sent = round
		return m, m.send(round, 0, true)
	case play.Unread:
		m.err = in.Err.Error()
	case play.Bid:
		m.err = ""
		m.sent = round
		return m, m.send(round, in.Bid, false)
	}
	return m, cmd
}

// send hands the bid to the room off the Update goroutine.
func (m *Student) send(round uint64, bid sim.Price, pass bool) tea.Cmd {
	p := m.p
	return func() tea.Msg {
		var err error
		if pass {
			err = p.Pass(round)
		} else {
			err = p.Bid(round, bid)
		}
		return bidMsg{round, err}
	}
}

// View draws the student's screen.
func (m *Student) View() string {
	if m.quit || m.closed || m.kicked {
		return m.Farewell()
	}
	st := m.st
	if !m.have {
		return "Joining the room…"
	}
	s := m.state
	y := s.You
	var b []string
	b = append(b, st.Title.Render("auctionsim classroom · "+s.Scenario))
	b = append(b, fmt.Sprintf("You are %s (seat %s). ", st.Heading.Render(y.Name), y.Bidder)+st.Faint.Render(rules(s.Rules)), "")
	switch {
	case s.Round == 0 && s.Paused:
		b = append(b, "The trainer has paused the room; the next round comes when they resume.")
	case s.Round == 0:
		b = append(b, "Waiting for the next round…")
	case !y.InRound:
		b = append(b, fmt.Sprintf("Round %d is under way; you join at the next one.", s.Round))
	default:
		left := max(s.Deadline.Sub(m.now()), 0)
		clock := fmt.Sprintf("   %.0fs left", left.Seconds())
		if s.Paused {
			clock = fmt.Sprintf("   paused by the trainer, %.0fs left", s.Left.Seconds())
		}
		b = append(b, st.Heading.Render(fmt.Sprintf("Round %d", s.Round))+st.Faint.Render(clock))
		b = append(b, play.ValueLabel(len(s.Rules.Slots) > 1)+st.Value.Render(fmt.Sprintf("%.3f CPM", y.Value.CPM())))
		if y.HasBid || m.sent == s.Round {
			b = append(b, st.Faint.Render(fmt.Sprintf("  Bid sent. Waiting for the others (%d of %d have bid).", s.BidsIn, s.InRound)))
		} else {
			b = append(b, "  "+m.entry.Input.View())
		}
	}
	if m.err != "" {
		b = append(b, "  "+st.Error.Render(m.err))
	}
	// The parts below the bid field, in order on screen; when the screen
	// is too short, whole parts go, least needed first, rather than a row
	// cut silently. The totals' table gives way to one line of them above
	// the leaderboard (then without the blank line between): a student's
	// own surplus matters more to them than the leaderboard.
	var outcome, reveal, totals, line []string
	if y.Last != nil && s.Last != nil {
		outcome = st.Outcome(s.Last.Result, *y.Last)
	}
	if s.Reveal && s.Last != nil {
		reveal = Reveal(st, m.p.Room().Table(), *s.Last, y.Name, m.width)
	}
	if y.Totals.Rounds > 0 {
		auction := m.p.Room().Table().Auction()
		totals = st.Totals(y.Totals, auction)
		line = []string{st.TotalsLine(y.Totals, auction)}
	}
	lb := board(st, s.Rules, s.Board, y.Name, 3, m.width)
	parts := [][]string{outcome, reveal, totals, lb}
	foot := wrapLines(m.entry.Help.View(m), m.width)
	join := func() string {
		out := append([]string(nil), b...)
		for _, p := range parts {
			if len(p) > 0 {
				out = append(out, "")
				out = append(out, p...)
			}
		}
		return wrapLines(strings.Join(out, "\n"), m.width)
	}
	body := join()
	tall := func() bool { return m.height > 0 && strings.Count(body, "\n")+strings.Count(foot, "\n")+3 > m.height }
	if tall() && totals != nil {
		parts[2] = line
		body = join()
		if tall() {
			// Its blank line goes too: the line heads the leaderboard.
			parts[2], parts[3] = nil, append(append([]string(nil), line...), lb...)
			body = join()
		}
	}
	// Then the reveal goes, the outcome, and the leaderboard to its
	// totals line, then that too. With the reveal on, the trainer has put
	// every bid on the class's screens to talk about them: the leaderboard
	// and the outcome (which the reveal's rows show too) go first, so that
	// an 80×24 terminal shows it.
	steps := []func(){
		func() { parts[1] = nil },
		func() { parts[0] = nil },
		func() { parts[3] = line },
		func() { parts[3] = nil },
	}
	if reveal != nil {
		steps = []func(){steps[2], steps[3], steps[1], steps[0]}
	}
	for _, step := range steps {
		if !tall() {
			break
		}
		step()
		body = join()
	}
	if reveal != nil && parts[1] == nil {
		// The trainer turned the reveal on for the class: a student whose
		// terminal is too short for it is told so, not left to think the
		// bids are still secret. The note takes the totals' table's place.
		parts[2] = []string{st.Faint.Render("The trainer revealed every bid: a taller terminal shows them.")}
		body = join()
		if tall() {
			parts[2] = nil
			body = join()
		}
	}
	if tall() {
		// Still too short: the rules (up to four lines once wrapped, with
		// slots) and the blank line under them give way to the value and
		// the bid field, which the student cannot play without.
		b = append([]string{b[0], fmt.Sprintf("You are %s (seat %s).", st.Heading.Render(y.Name), y.Bidder)}, b[3:]...)
		body = join()
	}
	return fitLines(body, m.height, foot, m.width)
}

// fitLines keeps body within height lines with foot below it: a terminal
// shows the bottom of a screen that is too tall, so the top (a student's
// value and bid field) would scroll away; the bottom is cut instead.
func fitLines(body string, height int, foot string, width int) string {
	lines := strings.Split(body, "\n")
	feet := strings.Split(foot, "\n")
	room := height - len(feet) - 1
	if height > 0 && len(lines) > room {
		keep := max(room-1, 1)
		more := fmt.Sprintf("… %d more lines (a taller terminal shows them)", len(lines)-keep)
		if width > 0 && len([]rune(more)) > width {
			more = fmt.Sprintf("… %d more lines", len(lines)-keep) // whole on a narrow one
		}
		lines = append(lines[:keep], more)
	} else {
		lines = append(lines, "")
	}
	return strings.Join(append(lines, feet...), "\n")
}

// ended notes why a session whose program has returned ended, when the
// program did not see it: the room closed, the trainer freed the seat, or
// else the student left (quit, or the connection dropped).
func (m *Student) ended(rm *room.Room) {
	if m.quit || m.closed || m.kicked {
		return
	}
	select {
	case <-rm.Done():
		m.closed = true
	case <-m.p.Left():
		m.kicked, m.closed = m.p.Kicked(), !m.p.Kicked()
	default:
		m.quit = true
	}
}

// Farewell is what a student is left with when the session ends: why, and
// their final totals and place, or that they played no round.
func (m *Student) Farewell() string {
	why := "Class over: the trainer closed the room."
	switch {
	case m.quit:
		why = "You left the room."
	case m.kicked:
		why = "The trainer freed your seat."
	}
	lines := []string{why + " Thank you for playing!"}
	if m.have && m.state.You != nil && m.state.You.Totals.Rounds == 0 {
		// Totals of nothing would read as a result; say why there are
		// none (a student kicked or leaving before their first round).
		lines = append(lines, fmt.Sprintf("You played no round as %s, so there are no totals.", m.state.You.Name))
	}
	if m.have && m.state.You != nil && m.state.You.Totals.Rounds > 0 {
		y := m.state.You
		place := ""
		for i, r := range m.state.Board {
			if r.Name == y.Name {
				place = fmt.Sprintf(", place %d of %d", i+1, len(m.state.Board))
			}
		}
		tt := y.Totals
		rounds := "rounds"
		if tt.Rounds == 1 {
			rounds = "round"
		}
		alt := fmt.Sprintf("Bidding your value on the same rounds: won %d, surplus %s.", tt.Truthful.Wins, play.Signed(tt.Truthful.Surplus))
		if m.state.Rules.Auction == sim.FirstPrice {
			alt = fmt.Sprintf("Bidding the equilibrium on the same rounds: won %d, surplus %s.", tt.Equilibrium.Wins, play.Signed(tt.Equilibrium.Surplus))
		}
		lines = append(lines, fmt.Sprintf("Your totals as %s, %d %s: won %d, spent %.3f, surplus %s%s.",
			y.Name, tt.Rounds, rounds, tt.Wins, tt.Spend.CPM(), play.Signed(tt.Surplus), place), alt)
	}
	return strings.Join(lines, "\n") + "\n"
}

// Goodbye is the Farewell written on the student's terminal once the
// program has returned, after "auctionsim: ", wrapped at the width the
// screen last had: the terminal itself would break words mid-way
// ("the roo" / "m.").
func (m *Student) Goodbye() string {
	return wrapLines("auctionsim: "+strings.TrimSuffix(m.Farewell(), "\n"), m.width) + "\n"
}

// rules is the room's rules in play's words.
func rules(r room.Rules) string {
	return play.RulesLine(r.Auction, r.Floor, r.Increment) + play.SlotsNote(r.Slots)
}

// board is the leaderboard's top rows, marking me, each surplus beside
// the benchmark's on the same rounds: bidding one's value in second
// price; in first price, where that always earns 0, bidding the
// equilibrium. The columns are as wide as their content, a gap apart
// however large a surplus, within width cells (0: no limit) as far as
// cutting the names allows.
func board(st play.Styles, rules room.Rules, rows []room.Standing, me string, top, width int) []string {
	if len(rows) == 0 {
		return nil
	}
	first := rules.Auction == sim.FirstPrice
	head := "  surplus (and bidding one's value)"
	if first {
		head = "  surplus (and bidding the equilibrium)"
	}
	out := []string{st.Heading.Render("Leaderboard") + st.Faint.Render(head)}
	tab := format.Columns{Right: []bool{false, true, true, false}, MinShrink: 10}
	shown, digits := 0, len(fmt.Sprint(len(rows)))
	for i, r := range rows {
		if i >= top && r.Name != me {
			continue
		}
		mark := " "
		if r.Name == me {
			mark = "▸"
		}
		alt := r.Truthful.Surplus
		if first {
			alt = r.Equilibrium.Surplus
		}
		// The mark, the rank and the name read as one: "▸ 1. ann".
		tab.Rows = append(tab.Rows, []string{fmt.Sprintf("%s %*d. %s", mark, digits, i+1, ansi.Truncate(r.Name, 16, "…")),
			play.Signed(r.Surplus), "(" + play.Signed(alt) + ")", fmt.Sprintf("won %d of %d", r.Wins, r.Rounds)})
		shown++
	}
	out = append(out, tab.Lines(width)...)
	if hidden := len(rows) - shown; hidden > 0 {
		out = append(out, st.Faint.Render(fmt.Sprintf("  +%d more", hidden)))
	}
	return out
}

// wrapLines keeps every line within width, a negative figure whole.
func wrapLines(s string, width int) string { return play.WrapIndented(ansi.Wrap, s, width) }

// Close leaves the room; the SSH session calls it when the connection
// ends.
func (m *Student) Close() { m.p.Leave() }

// JoinContext is how long a session waits to be seated.
const JoinContext = 5 * time.Second

// Join seats a student called name in rm, within JoinContext.
func Join(rm *room.Room, name string) (*room.Player, error) {
	ctx, cancel := context.WithTimeout(context.Background(), JoinContext)
	defer cancel()
	return rm.Join(ctx, name)
}
