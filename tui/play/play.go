// Package play is the screen where a student takes one bidder's seat:
// auctions come one at a time, the student sees a private value, types a
// bid, and sees the outcome beside what bidding the value would have got on
// the very same auction.
package play

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/tui/classroom/seat"
)

// Options configure a play screen.
type Options struct {
	Scenario string      // the scenario's name, for the title
	Table    *seat.Table // with the student at seat 0
	// Countdown is the time to bid in each round, standing for the
	// exchange's deadline: a student too slow is late and the bid is lost.
	// Zero: turn by turn, no deadline.
	Countdown time.Duration
	Renderer  *lipgloss.Renderer // nil: the default
	Now       func() time.Time   // nil: time.Now; tests fix it
}

type phase uint8

const (
	bidding phase = iota
	showing
)

// Model is the play screen.
type Model struct {
	opt      Options
	st       Styles
	entry    Entry       // the bid field, its help and the seat's keys
	next     key.Binding // after a round: the next auction
	table    *seat.Table
	round    *seat.Round
	last     *seat.Result
	phase    phase
	err      string
	deadline time.Time
	left     time.Duration
	width    int
	height   int
	quitting bool
	history  []*seat.Result // closed rounds, oldest first, up to MaxHistory
	dropped  int            // earliest rounds left out beyond MaxHistory
}

// MaxHistory bounds the rounds a play screen keeps for its export.
const MaxHistory = 10_000

// tickMsg drives the countdown; it carries its round so that ticks from an
// earlier round are ignored.
type tickMsg struct{ round uint64 }

const tickEvery = 100 * time.Millisecond

// New builds the play screen and deals the first auction.
func New(opt Options) *Model {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	m := &Model{
		opt: opt, st: NewStyles(opt.Renderer), entry: NewEntry(opt.Renderer, "quit"),
		next:  key.NewBinding(key.WithKeys("enter", " ", "n"), key.WithHelp("enter", "next auction")),
		table: opt.Table, width: 80, height: 24,
	}
	m.deal()
	return m
}

func (m *Model) deal() {
	m.round = m.table.Deal()
	m.phase = bidding
	m.err = ""
	m.entry.Input.SetValue("")
	m.entry.Input.Focus()
	if m.opt.Countdown > 0 {
		m.deadline = m.opt.Now().Add(m.opt.Countdown)
		m.left = m.opt.Countdown
	}
}

// Init starts the countdown, if any, and the cursor's blink.
func (m *Model) Init() tea.Cmd { return tea.Batch(m.entry.Init(), m.tick()) }

func (m *Model) tick() tea.Cmd {
	if m.opt.Countdown <= 0 || m.phase != bidding {
		return nil
	}
	n := m.round.Number
	return tea.Tick(tickEvery, func(time.Time) tea.Msg { return tickMsg{round: n} })
}

// Countdown is the time to bid in each round (zero: none).
func (m *Model) Countdown() time.Duration { return m.opt.Countdown }

// Table is the table being played.
func (m *Model) Table() *seat.Table { return m.table }

// History is every closed round kept, oldest first, and how many earlier
// rounds were left out beyond MaxHistory.
func (m *Model) History() (rounds []*seat.Result, dropped int) { return m.history, m.dropped }

// Summary is what is left on the terminal when play ends: the student's
// totals beside bidding the value on the same auctions, and the lesson,
// wrapped to the terminal's last known width.
func (m *Model) Summary() string {
	tt := m.table.Totals(0)
	if tt.Rounds == 0 {
		return "No auction played.\n"
	}
	d := tt.Surplus - tt.Truthful.Surplus
	diff := "the same as bidding your value"
	switch {
	case d < 0:
		diff = cpm(-d) + " less than bidding your value"
	case d > 0:
		diff = cpm(d) + " more than bidding your value"
	}
	late := Missed(tt)
	if late != "" {
		late = ", " + late
	}
	eq := ""
	if m.table.Auction() == sim.FirstPrice {
		// Bidding the value earns 0 in first price: the equilibrium is
		// the benchmark worth seeing.
		eq = fmt.Sprintf("Bidding the equilibrium on the same auctions: won %d, spent %s, surplus %s.\n",
			tt.Equilibrium.Wins, cpm(tt.Equilibrium.Spend), Signed(tt.Equilibrium.Surplus))
	}
	// Wrapped as the screen is: the terminal it is left on is as wide as
	// the game's was (the lesson alone passes 80 columns).
	return wrap(fmt.Sprintf("%s as %s, %d %s: won %d%s, spent %s, surplus %s.\n"+
		"Bidding your value on the same auctions: won %d, spent %s, surplus %s.\n%s"+
		"Your bids earned %s.\n%s\n",
		m.opt.Scenario, tt.Name, tt.Rounds, format.Plural(tt.Rounds, "auction", "auctions"), tt.Wins, late, cpm(tt.Spend), Signed(tt.Surplus),
		tt.Truthful.Wins, cpm(tt.Truthful.Spend), Signed(tt.Truthful.Surplus), eq, diff, Lesson(m.table)), m.width)
}

// Missed says in words the rounds of tt without a bid in the auction,
// each kind apart ("1 late, 1 no-bid, 2 passed"): a bid that came (or was
// typed) too late, none before the deadline, a pass. "" when none.
func Missed(tt seat.Totals) string {
	var parts []string
	if tt.Late > 0 {
		parts = append(parts, fmt.Sprintf("%d late", tt.Late))
	}
	if tt.NoBids > 0 {
		parts = append(parts, fmt.Sprintf("%d %s", tt.NoBids, format.Plural(tt.NoBids, "no-bid", "no-bids")))
	}
	if tt.Passes > 0 {
		parts = append(parts, fmt.Sprintf("%d passed", tt.Passes))
	}
	return strings.Join(parts, ", ")
}

// Last is the last closed round, nil before the first.
func (m *Model) Last() *seat.Result { return m.last }

// Update handles keys, the countdown and the window size.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
	case tickMsg:
		if m.phase != bidding || msg.round != m.round.Number {
			return m, nil
		}
		m.left = m.deadline.Sub(m.opt.Now())
		if m.left <= 0 {
			m.close(expired(m.entry.Input.Value()))
			return m, nil
		}
		return m, m.tick()
	}
	in, cmd := m.entry.Update(msg, m.phase == bidding)
	switch in.Act {
	case Leave:
		m.quitting = true
		return m, tea.Quit
	case Other:
		if key.Matches(msg.(tea.KeyMsg), m.next) {
			m.deal()
			return m, m.tick()
		}
	case Pass:
		m.close(seat.Bid{Pass: true})
	case Unread:
		m.err = in.Err.Error()
	case Bid:
		late := m.opt.Countdown > 0 && !m.opt.Now().Before(m.deadline)
		m.close(seat.Bid{Amount: in.Bid, Late: late})
	}
	return m, cmd
}

// expired is the bid of a round whose deadline passed with typed in the
// field. A bid typed but not sent is late, as the README has it, and
// keeps what was typed (and its amount, when it reads as a bid) for the
// export; with nothing typed no bid came at all: a no-bid, and the
// screen says so, as the classroom's.
func expired(typed string) seat.Bid {
	text := strings.TrimSpace(typed)
	if text == "" {
		return seat.Bid{Late: true, None: true}
	}
	amount, err := ParseBid(text)
	return seat.Bid{Late: true, Amount: amount, Typed: text, Unread: err != nil}
}

// close settles the open round with the student's bid.
func (m *Model) close(b seat.Bid) {
	res, err := m.table.Close(m.round, []seat.Bid{b})
	if err != nil { // a bid ParseBid accepted cannot fail; say so if it does
		m.err = err.Error()
		return
	}
	m.last, m.phase, m.err = res, showing, ""
	if len(m.history) >= MaxHistory {
		m.history = m.history[1:]
		m.dropped++
	}
	m.history = append(m.history, res)
	m.entry.Input.Blur()
}

// View draws the screen.
func (m *Model) View() string {
	if m.quitting {
		return ""
	}
	st := m.st
	t := m.table
	var b []string
	you := fmt.Sprintf("You are %s, one of %d bidders.", st.Heading.Render(t.Name(t.SeatBidder(0))), t.Bidders())
	b = append(b, st.Title.Render("auctionsim play · "+m.opt.Scenario))
	b = append(b, you+" "+st.Faint.Render(Rules(t)), "")
	switch m.phase {
	case bidding:
		b = append(b, st.Heading.Render(fmt.Sprintf("Round %d", m.round.Number)))
		b = append(b, ValueLabel(t.Slots() != nil)+st.Value.Render(cpm(m.round.Value(t, 0))+" CPM"))
		line := "  " + m.entry.Input.View()
		if m.opt.Countdown > 0 {
			line += st.Faint.Render(fmt.Sprintf("   %.1fs left", max(m.left, 0).Seconds()))
		}
		b = append(b, line)
		if m.err != "" {
			b = append(b, "  "+st.Error.Render(m.err))
		} else {
			b = append(b, "")
		}
		if m.last != nil {
			b = append(b, "")
			b = append(b, st.Faint.Render(fmt.Sprintf("Last round: %s", lastLine(m.last))))
		}
	case showing:
		b = append(b, st.Outcome(m.last, m.last.Seats[0])...)
	}
	// Below the round, in order on screen: the totals and the lesson.
	// When the screen is too short they go, the lesson first, then the
	// rules give way to "You are …": the value and the bid field stay at
	// the top (a terminal shows the bottom of a screen too tall, which
	// scrolled them away), and the help stays at the bottom.
	parts := [][]string{append([]string{""}, st.Totals(t.Totals(0), t.Auction())...), {"", Lesson(t)}}
	foot := []string{"", m.entry.Help.View(m)}
	// Every line wrapped, not only the lesson: the terminal would cut a
	// line past its width (a slot's price per impression at 100 columns).
	join := func() string {
		out := append([]string(nil), b...)
		for _, p := range parts {
			out = append(out, p...)
		}
		return wrap(strings.Join(append(out, foot...), "\n"), m.width)
	}
	v := join()
	tall := func() bool { return m.height > 0 && strings.Count(v, "\n")+1 > m.height }
	for _, drop := range []int{1, 0} {
		if !tall() {
			return v
		}
		parts[drop] = nil
		v = join()
	}
	if tall() {
		b = append([]string{b[0], you}, b[3:]...)
		v = join()
	}
	if tall() {
		// Still too short: the bottom of the body goes, the help stays.
		lines := strings.Split(v, "\n")
		help := strings.Split(wrap(m.entry.Help.View(m), m.width), "\n")
		keep := max(m.height-len(help), 1)
		v = strings.Join(append(lines[:min(keep, len(lines))], help...), "\n")
	}
	return v
}

// lastLine sums up the last round in one line.
func lastLine(res *seat.Result) string {
	o := res.Seats[0]
	if o.Result.Won {
		return fmt.Sprintf("won at %s, surplus %s", cpm(o.Result.Price), Signed(o.Result.Surplus))
	}
	// What the seat did, as the outcome said it: a pass or a bid that
	// never took part did not lose.
	you := "lost"
	switch {
	case o.Bid.Pass:
		you = "passed"
	case o.Status == sim.Late && o.Bid.None:
		you = "no bid"
	case o.Status == sim.Late:
		you = "too slow"
	case o.Status == sim.BelowFloor:
		you = "under the floor"
	}
	switch {
	case res.Winner < 0 && you == "lost":
		return "nobody won"
	case res.Winner < 0:
		return you + "; nobody won"
	case len(res.Slots) > 0:
		return you + "; " + lostTo(res)
	}
	return fmt.Sprintf("%s; the price was %s", you, cpm(res.Price))
}

// wrap breaks s into lines of at most width cells, at spaces, each line's
// indent kept (WrapIndented).
func wrap(s string, width int) string { return WrapIndented(ansi.Wordwrap, s, width) }

// WrapIndented breaks each line of s wider than width cells with wrap
// (format.WrapWith), keeping its indent (the outcome's "  ") on the lines
// it wraps to, so that a sentence reads as one, not its tail at column 0.
// A line that fits is left as it is, a field's trailing cells too.
func WrapIndented(wrap func(s string, limit int, breakpoints string) string, s string, width int) string {
	if width <= 0 {
		return s
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if ansi.StringWidth(l) <= width {
			continue
		}
		body := strings.TrimLeft(l, " ")
		ind := len(l) - len(body)
		if ind == 0 || width-ind < minWrap {
			lines[i] = format.WrapWith(wrap, l, width)
			continue
		}
		pad := l[:ind]
		lines[i] = pad + strings.ReplaceAll(format.WrapWith(wrap, body, width-ind), "\n", "\n"+pad)
	}
	return strings.Join(lines, "\n")
}

// minWrap is the narrowest a line's text is wrapped to beside its indent;
// narrower, the indent goes.
const minWrap = 20

// ShortHelp is the help line for the current phase.
func (m *Model) ShortHelp() []key.Binding {
	k := m.entry.Keys
	if m.phase == showing {
		return []key.Binding{m.next, k.Quit, k.Help}
	}
	return k.ShortHelp()
}

// FullHelp is every binding of the current phase: enter bids while
// bidding and deals the next auction after, never both at once.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.entry.Keys
	if m.phase == showing {
		return [][]key.Binding{{m.next}, {k.Help, k.Quit}}
	}
	return k.FullHelp()
}
