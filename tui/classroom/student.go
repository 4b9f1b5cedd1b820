// Package classroom is the screens of a classroom room: a student's seat,
// served over SSH, and the trainer's view of the whole room.
package classroom

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

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

type studentKeys struct {
	Submit, Pass, Help, Quit key.Binding
}

func (k studentKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Submit, k.Pass, k.Quit, k.Help}
}
func (k studentKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Submit, k.Pass}, {k.Help, k.Quit}}
}

// Student is one student's screen: their seat's private value, a bid
// field, their last outcome beside bidding their value, and the
// leaderboard.
type Student struct {
	p      *room.Player
	st     play.Styles
	keys   studentKeys
	help   help.Model
	input  textinput.Model
	now    func() time.Time
	state  room.State
	have   bool
	sent   uint64 // round of the last bid sent and accepted
	err    string
	width  int
	closed bool
	quit   bool
}

// NewStudent builds the screen of player p; r is the session's renderer
// (nil: the default), now the wall clock (nil: time.Now).
func NewStudent(p *room.Player, r *lipgloss.Renderer, now func() time.Time) *Student {
	if now == nil {
		now = time.Now
	}
	return &Student{
		p: p, st: play.NewStyles(r), help: play.NewHelp(r), input: play.NewInput(r), now: now, width: 80,
		keys: studentKeys{
			Submit: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "bid")),
			Pass:   key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "pass")),
			Help:   key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
			Quit:   key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "leave")),
		},
	}
}

// Init waits for the room's first state.
func (m *Student) Init() tea.Cmd { return tea.Batch(waitState(m.p.Updates()), tick(), textinput.Blink) }

func (m *Student) bidding() bool {
	y := m.state.You
	return m.have && y != nil && y.InRound && !y.HasBid && m.sent != m.state.Round
}

// Update handles the room's states, keys and the countdown.
func (m *Student) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width = msg.Width
		m.help.Width = msg.Width
		return m, nil
	case stateMsg:
		if !msg.ok {
			m.closed = true
			return m, tea.Quit
		}
		if m.have && msg.s.Round != m.state.Round {
			m.input.SetValue("")
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
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, m.keys.Quit):
			m.quit = true
			return m, tea.Quit
		case key.Matches(msg, m.keys.Help):
			m.help.ShowAll = !m.help.ShowAll
			return m, nil
		}
		if !m.bidding() {
			return m, nil
		}
		round := m.state.Round
		switch {
		case key.Matches(msg, m.keys.Pass):
			m.sent = round
			return m, m.send(round, 0, true)
		case key.Matches(msg, m.keys.Submit):
			bid, err := play.ParseBid(m.input.Value())
			if err != nil {
				m.err = err.Error()
				return m, nil
			}
			m.err = ""
			m.sent = round
			return m, m.send(round, bid, false)
		}
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
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
	if m.quit {
		return "You left the room. Thank you for playing!\n"
	}
	if m.closed {
		return "The room has closed. Thank you for playing!\n"
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
	case s.Round == 0:
		b = append(b, "Waiting for the next round…")
	case !y.InRound:
		b = append(b, fmt.Sprintf("Round %d is under way; you join at the next one.", s.Round))
	default:
		left := max(s.Deadline.Sub(m.now()), 0)
		b = append(b, st.Heading.Render(fmt.Sprintf("Round %d", s.Round))+st.Faint.Render(fmt.Sprintf("   %.0fs left", left.Seconds())))
		b = append(b, "  Your value for this impression: "+st.Value.Render(fmt.Sprintf("%.3f CPM", y.Value.CPM())))
		if y.HasBid || m.sent == s.Round {
			b = append(b, st.Faint.Render(fmt.Sprintf("  Bid sent. Waiting for the others (%d of %d have bid).", s.BidsIn, s.InRound)))
		} else {
			b = append(b, "  "+m.input.View())
		}
	}
	if m.err != "" {
		b = append(b, "  "+st.Error.Render(m.err))
	}
	b = append(b, "")
	if y.Last != nil && s.Last != nil {
		b = append(b, st.Outcome(s.Last.Result, *y.Last)...)
		b = append(b, "")
	}
	if y.Totals.Rounds > 0 {
		b = append(b, st.Totals(y.Totals)...)
		b = append(b, "")
	}
	b = append(b, board(st, s.Board, y.Name, 3)...)
	b = append(b, "", m.help.View(m.keys))
	return wrapLines(strings.Join(b, "\n"), m.width)
}

// rules is the room's rules in play's words.
func rules(r room.Rules) string { return play.RulesLine(r.Auction, r.Floor, r.Increment) }

// board is the leaderboard's top rows, marking me.
func board(st play.Styles, rows []room.Standing, me string, top int) []string {
	if len(rows) == 0 {
		return nil
	}
	out := []string{st.Heading.Render("Leaderboard") + st.Faint.Render("  surplus (and bidding one's value)")}
	for i, r := range rows {
		if i >= top && r.Name != me {
			continue
		}
		mark := " "
		if r.Name == me {
			mark = "▸"
		}
		out = append(out, fmt.Sprintf("%s %d. %-16s %8.3f  (%8.3f)  won %d of %d",
			mark, i+1, ansi.Truncate(r.Name, 16, "…"), r.Surplus.CPM(), r.Truthful.Surplus.CPM(), r.Wins, r.Rounds))
	}
	return out
}

// wrapLines keeps every line within width.
func wrapLines(s string, width int) string {
	if width <= 0 {
		return s
	}
	return ansi.Wrap(s, width, "")
}

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
