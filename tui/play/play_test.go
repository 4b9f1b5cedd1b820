package play

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/report/theme"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/tui/classroom/seat"
)

func ascii() *lipgloss.Renderer { return theme.FixedRenderer(termenv.Ascii) }

// clock is a wall clock the test moves by hand.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newTestModel(t *testing.T, name string, countdown time.Duration, c *clock) *Model {
	t.Helper()
	sc, err := scenarios.Bundled(name)
	if err != nil {
		t.Fatal(err)
	}
	tab, err := seat.New(sc.Config, []int{0})
	if err != nil {
		t.Fatal(err)
	}
	opt := Options{Scenario: name, Table: tab, Countdown: countdown, Renderer: ascii()}
	if c != nil {
		opt.Now = c.now
	}
	m := New(opt)
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	return m
}

func typeText(m *Model, s string) {
	for _, r := range s {
		m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
}

func enter(m *Model) tea.Cmd {
	_, cmd := m.Update(tea.KeyMsg{Type: tea.KeyEnter})
	return cmd
}

func TestBidAndNext(t *testing.T) {
	m := newTestModel(t, "classroom-vickrey", 0, nil)
	v := m.round.Value(m.table, 0)
	typeText(m, "0.5")
	if got := m.entry.Input.Value(); got != "0.5" {
		t.Fatalf("input %q", got)
	}
	enter(m)
	if m.phase != showing || m.last == nil || m.last.Seats[0].Bid.Amount != sim.PriceOf(0.5) {
		t.Fatalf("after enter: phase %v last %+v", m.phase, m.last)
	}
	if got := m.last.Seats[0].Value; got != v {
		t.Fatalf("value %v, shown %v", got, v)
	}
	if tt := m.table.Totals(0); tt.Rounds != 1 {
		t.Fatalf("totals %+v", tt)
	}
	// Keys that are not "next" do nothing on the result screen.
	typeText(m, "7")
	if m.phase != showing {
		t.Fatal("a digit left the result screen")
	}
	enter(m)
	if m.phase != bidding || m.round.Number != 2 || m.entry.Input.Value() != "" {
		t.Fatalf("next: phase %v round %d input %q", m.phase, m.round.Number, m.entry.Input.Value())
	}
}

func TestInvalidBids(t *testing.T) {
	m := newTestModel(t, "classroom-vickrey", 0, nil)
	for _, c := range []struct{ in, want string }{
		{"", "type a bid"},
		{"abc", `"abc" is not a bid`},
		{"-1", "cannot be negative"},
		{"1000000.5", "more than any bid can be (at most 1,000,000)"},
		{"NaN", "is not a bid"},
		{"0x1p-2", `"0x1p-2" is not a bid`},
	} {
		m.entry.Input.SetValue(c.in)
		enter(m)
		if m.phase != bidding || !strings.Contains(m.err, c.want) {
			t.Errorf("%q: phase %v, message %q, want %q", c.in, m.phase, m.err, c.want)
		}
		if !strings.Contains(m.View(), c.want) {
			t.Errorf("%q: the message is not on screen", c.in)
		}
	}
	m.entry.Input.SetValue("0,25")
	enter(m)
	if m.phase != showing || m.last.Seats[0].Bid.Amount != sim.PriceOf(0.25) {
		t.Fatalf("0,25: %v %+v", m.phase, m.last)
	}
}

func TestPassQuitHelp(t *testing.T) {
	m := newTestModel(t, "classroom-vickrey", 0, nil)
	typeText(m, "p")
	if m.phase != showing || !m.last.Seats[0].Bid.Pass || !strings.Contains(m.View(), "You passed") {
		t.Fatal("p did not pass")
	}
	typeText(m, "?")
	if !m.entry.Help.ShowAll {
		t.Fatal("? did not open the help")
	}
	_, cmd := m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'q'}})
	if cmd == nil {
		t.Fatal("q returned no command")
	}
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Fatal("q did not quit")
	}
}

func TestCountdownMakesSlowBidsLate(t *testing.T) {
	c := &clock{t: time.Unix(1000, 0)}
	m := newTestModel(t, "classroom-vickrey", 5*time.Second, c)
	if cmd := m.Init(); cmd == nil {
		t.Fatal("no tick with a countdown")
	}
	typeText(m, "0.9")
	c.t = c.t.Add(2 * time.Second)
	m.Update(tickMsg{round: 1})
	if m.phase != bidding || !strings.Contains(m.View(), "3.0s left") {
		t.Fatalf("2 s in: %v\n%s", m.phase, m.View())
	}
	c.t = c.t.Add(3 * time.Second)
	m.Update(tickMsg{round: 1})
	if m.phase != showing || m.last.Seats[0].Status != sim.Late {
		t.Fatalf("at the deadline: phase %v", m.phase)
	}
	if !strings.Contains(m.View(), "Too slow") {
		t.Fatalf("no word of being late:\n%s", m.View())
	}
	// A stale tick from round 1 does nothing to round 2.
	enter(m)
	m.Update(tickMsg{round: 1})
	if m.phase != bidding || m.round.Number != 2 {
		t.Fatal("a stale tick closed round 2")
	}
	// Nothing typed by the deadline: no bid came, which is not a bid
	// that came late ("Too slow: your bid came after the deadline").
	c.t = c.t.Add(5 * time.Second)
	m.Update(tickMsg{round: 2})
	if m.phase != showing || m.last.Seats[0].Status != sim.Late || strings.Contains(m.View(), "Too slow") ||
		!strings.Contains(m.View(), "No bid from you before the deadline") {
		t.Fatalf("nothing typed by the deadline: phase %v\n%s", m.phase, m.View())
	}
	enter(m)
	m.Update(tickMsg{round: 2})
	if m.phase != bidding || m.round.Number != 3 {
		t.Fatal("a stale tick closed round 3")
	}
	// A bid typed in time is on time.
	typeText(m, "0.9")
	c.t = c.t.Add(4 * time.Second)
	enter(m)
	if m.last.Seats[0].Status == sim.Late {
		t.Fatal("a bid 1 s before the deadline was late")
	}
}

func TestViewGolden(t *testing.T) {
	c := &clock{t: time.Unix(1000, 0)}
	for _, tc := range []struct {
		name      string
		scenario  string
		countdown time.Duration
		bids      []string
	}{
		{"first", "classroom-vickrey", 0, nil},
		{"shaded", "classroom-vickrey", 0, []string{"0.3", "", "0.5", "", "0.6"}},
		{"overbid", "timeout-demo", 0, []string{"5", "", "3"}},
		{"first-price", "first-vs-second", 0, []string{"0.4", "", "0.2", "", "0.3", ""}},
		{"countdown", "reserve-price", 10 * time.Second, []string{"0.7", ""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newTestModel(t, tc.scenario, tc.countdown, c)
			for _, b := range tc.bids {
				typeText(m, b)
				enter(m)
			}
			v := m.View()
			for i, line := range strings.Split(v, "\n") {
				if w := lipgloss.Width(line); w > 80 {
					t.Errorf("line %d is %d wide: %q", i+1, w, line)
				}
			}
			if n := strings.Count(v, "\n") + 1; n > 24 {
				t.Errorf("%d lines, more than 24", n)
			}
			golden.RequireEqual(t, []byte(v))
		})
	}
}

// Across many rounds of second price, shading shows in the totals as
// surplus lost against bidding one's value.
func TestSecondPriceLessonOnScreen(t *testing.T) {
	m := newTestModel(t, "classroom-vickrey", 0, nil)
	for range 40 {
		v := m.round.Value(m.table, 0)
		m.entry.Input.SetValue(cpm(v / 2))
		enter(m)
		enter(m)
	}
	tt := m.table.Totals(0)
	if tt.Truthful.Surplus <= tt.Surplus {
		t.Fatalf("shading by half over 40 rounds: %+v", tt)
	}
	if !strings.Contains(m.View(), "less than bidding your value") {
		t.Fatalf("the loss is not on screen:\n%s", m.View())
	}
}

// Every bundled scenario loads and plays a few rounds.
func TestEveryBundledScenario(t *testing.T) {
	for _, name := range scenarios.Names() {
		m := newTestModel(t, name, 0, nil)
		for range 3 {
			typeText(m, cpm(m.round.Value(m.table, 0)))
			enter(m)
			if m.phase != showing {
				t.Fatalf("%s: %s", name, m.err)
			}
			enter(m)
		}
		if !strings.Contains(m.View(), strings.TrimSpace(ValueLabel(m.table.Slots() != nil))) {
			t.Errorf("%s: no value on screen", name)
		}
	}
}

// waitLimit bounds each wait for the screen. A wait ends as soon as the
// screen shows its text; the limit only turns a hang into a failure, so it
// is generous for a busy CI machine under -race.
const waitLimit = 90 * time.Second

// TestProgramFlow runs the real program: type bids, see outcomes, quit.
func TestProgramFlow(t *testing.T) {
	m := newTestModel(t, "classroom-vickrey", 0, nil)
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	waitFor := func(s string) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(s)) },
			teatest.WithDuration(waitLimit), teatest.WithCheckInterval(10*time.Millisecond))
	}
	waitFor("Your value for this impression")
	tm.Type("0.4")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor("Had you bid your value")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor("Round 2")
	tm.Type("0.9")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor("Totals, 2 rounds")
	tm.Type("q")
	fm, ok := tm.FinalModel(t, teatest.WithFinalTimeout(waitLimit)).(*Model)
	if !ok {
		t.Fatalf("final model %T", fm)
	}
	if tt := fm.table.Totals(0); tt.Rounds != 2 {
		t.Fatalf("totals %+v", tt)
	}
	if b := fm.last.Seats[0].Bid.Amount; b != sim.PriceOf(0.9) {
		t.Fatalf("last bid %v", b)
	}
}

// The summary sums up the auctions played, beside bidding the value, from
// the table's own totals.
func TestSummaryAndHistory(t *testing.T) {
	c := &clock{t: time.Unix(0, 0)}
	m := newTestModel(t, "classroom-vickrey", 0, c)
	if s := m.Summary(); !strings.Contains(s, "No auction played") {
		t.Errorf("summary before playing: %q", s)
	}
	for _, b := range []string{"0.9", "0.1", "0.5"} {
		typeText(m, b)
		enter(m)
		enter(m) // next auction
	}
	rounds, dropped := m.History()
	if len(rounds) != 3 || dropped != 0 {
		t.Fatalf("history: %d rounds, %d dropped", len(rounds), dropped)
	}
	tt := m.Table().Totals(0)
	want := fmt.Sprintf("3 auctions: won %d, spent %.3f", tt.Wins, tt.Spend.CPM())
	s := m.Summary()
	if !strings.Contains(s, want) || !strings.Contains(s, "Bidding your value on the same auctions") {
		t.Errorf("summary %q lacks %q", s, want)
	}
}

// In first price the summary adds bidding the equilibrium, from the
// table's totals (bidding the value there always earns 0); second price
// does not.
func TestSummaryFirstPriceEquilibrium(t *testing.T) {
	c := &clock{t: time.Unix(0, 0)}
	m := newTestModel(t, "first-vs-second", 0, c)
	for _, b := range []string{"0.9", "0.2", "0.5", "0.7"} {
		typeText(m, b)
		enter(m)
		enter(m)
	}
	tt := m.Table().Totals(0)
	want := fmt.Sprintf("Bidding the equilibrium on the same auctions: won %d, spent %.3f", tt.Equilibrium.Wins, tt.Equilibrium.Spend.CPM())
	if s := m.Summary(); !strings.Contains(s, want) {
		t.Errorf("summary %q lacks %q", s, want)
	}
	m2 := newTestModel(t, "classroom-vickrey", 0, c)
	typeText(m2, "0.5")
	enter(m2)
	if s := m2.Summary(); strings.Contains(s, "equilibrium") {
		t.Errorf("second price: %q", s)
	}
}

// The summary left on the terminal when play ends is wrapped to its
// width as the screen is: at 80 columns no line is wider, and the lesson
// is whole once the breaks are undone.
func TestSummaryWrapped(t *testing.T) {
	for _, name := range []string{"classroom-vickrey", "first-vs-second"} {
		m := newTestModel(t, name, 0, nil) // 80 columns
		for _, b := range []string{"0.9", "0.2", "0.5"} {
			typeText(m, b)
			enter(m)
			enter(m)
		}
		s := m.Summary()
		lesson := Lesson(m.table)
		if lipgloss.Width(lesson) <= 80 {
			t.Fatalf("%s: the lesson %q fits in 80 columns: nothing to wrap", name, lesson)
		}
		for i, line := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
			if w := lipgloss.Width(line); w > 80 {
				t.Errorf("%s: summary line %d is %d wide: %q", name, i+1, w, line)
			}
		}
		if !strings.Contains(strings.Join(strings.Fields(s), " "), lesson) {
			t.Errorf("%s: summary %q lacks the lesson %q", name, s, lesson)
		}
		if !strings.HasSuffix(s, "\n") {
			t.Errorf("%s: summary %q does not end its last line", name, s)
		}
	}
}

// TestShortScreenKeepsTheBid: on a short terminal the value and the bid
// field stay on screen, the help at the bottom, and the screen no taller
// than the terminal (a terminal shows the bottom of a taller one, which
// scrolled the value and the field away): the lesson, the totals and the
// rules give way first.
func TestShortScreenKeepsTheBid(t *testing.T) {
	for _, size := range [][2]int{{40, 10}, {80, 12}, {60, 8}} {
		m := newTestModel(t, "sponsored-search", 0, nil)
		typeText(m, "0.5")
		enter(m) // a round played: its line under the field, totals
		enter(m) // the next round's value and field
		m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		v := m.View()
		lines := strings.Split(v, "\n")
		if len(lines) > size[1] {
			t.Errorf("%d×%d: %d lines:\n%s", size[0], size[1], len(lines), v)
		}
		if !strings.Contains(v, "Your value per click:") || !strings.Contains(v, "Your bid") || !strings.Contains(lines[len(lines)-1], "quit") {
			t.Errorf("%d×%d: the value, the bid field or the help is off screen:\n%s", size[0], size[1], v)
		}
	}
}

// The student's trial of a countdown: each way a round can pass without
// a bid in the auction is told apart, in the seat's bid and in the
// totals and summary. Nothing typed by the deadline is a no-bid, not
// late; a bid typed but not sent is late (the README), and keeps what
// was typed and its amount, never a made-up 0; a pass is a pass.
func TestCountdownMissedBids(t *testing.T) {
	c := &clock{t: time.Unix(1000, 0)}
	m := newTestModel(t, "first-vs-second", 2*time.Second, c)
	expire := func(round uint64) seat.Bid {
		t.Helper()
		c.t = c.t.Add(3 * time.Second)
		m.Update(tickMsg{round: round})
		if m.phase != showing || m.last.Number != round {
			t.Fatalf("round %d not closed at its deadline", round)
		}
		return m.last.Seats[0].Bid
	}
	if b := expire(1); !b.None || b.Typed != "" {
		t.Errorf("nothing typed: %+v, want no bid", b)
	}
	enter(m)
	typeText(m, "0.3")
	if b := expire(2); !b.Late || b.None || b.Unread || b.Typed != "0.3" || b.Amount != sim.PriceOf(0.3) {
		t.Errorf("0.3 typed, not sent: %+v, want late at 0.3", b)
	}
	enter(m)
	typeText(m, "0.3x")
	if b := expire(3); !b.Late || b.None || !b.Unread || b.Typed != "0.3x" {
		t.Errorf("0.3x typed, not sent: %+v, want late, unread", b)
	}
	enter(m)
	typeText(m, "p")
	if m.phase != showing || !m.last.Seats[0].Bid.Pass {
		t.Fatal("p did not pass")
	}
	tt := m.table.Totals(0)
	if tt.Late != 2 || tt.NoBids != 1 || tt.Passes != 1 {
		t.Errorf("totals: late %d, no-bids %d, passes %d; want 2, 1, 1", tt.Late, tt.NoBids, tt.Passes)
	}
	if got := m.Summary(); !strings.Contains(got, "won 0, 2 late, 1 no-bid, 1 passed, spent") {
		t.Errorf("summary:\n%s", got)
	}
}

// A negative surplus is never split at a line's end: the summary and the
// screen wrapped "surplus -0.590" as "surplus -" and "0.590", a gain to
// the eye, on the next line, at whichever width put the break there.
func TestWrapKeepsNegativesWhole(t *testing.T) {
	m := newTestModel(t, "classroom-vickrey", 0, nil)
	for range 5 {
		typeText(m, "5") // wins every auction, mostly above its value
		enter(m)
		enter(m)
	}
	typeText(m, "5")
	enter(m) // the outcome on screen: its surplus too
	tt := m.Table().Totals(0)
	if tt.Surplus >= 0 {
		t.Fatalf("overbidding earned %v: want a loss to wrap", tt.Surplus)
	}
	neg := Signed(tt.Surplus)
	split := 0
	for w := 30; w <= 80; w++ {
		m.Update(tea.WindowSizeMsg{Width: w, Height: 40})
		for what, s := range map[string]string{"summary": m.Summary(), "screen": m.View()} {
			lines := strings.Split(s, "\n")
			for i, line := range lines {
				if strings.HasSuffix(strings.TrimRight(line, " "), "-") && i+1 < len(lines) &&
					strings.IndexAny(strings.TrimLeft(lines[i+1], " "), "0123456789.") == 0 {
					split++
					t.Errorf("width %d, %s: a minus sign ends a line, its figure on the next:\n%s\n%s", w, what, line, lines[i+1])
				}
			}
			if what == "summary" && !strings.Contains(s, "surplus "+neg) && !strings.Contains(s, "surplus\n"+neg) {
				t.Errorf("width %d: the summary lacks the surplus %s whole:\n%s", w, neg, s)
			}
		}
		if split > 3 {
			t.FailNow()
		}
	}
	// Hyphens elsewhere still break as before: only '-' before a figure
	// is held to it.
	if got := format.WrapWith(ansi.Wordwrap, "well-known -0.5", 6); got != "well-\nknown\n-0.5" {
		t.Errorf("WrapWith: %q", got)
	}
}

// No line of the screen or the summary is wider than the terminal:
// ansi.Wordwrap made "You are ada, one of 5 bidders. second-" 38 cells
// at 37 columns, which the terminal wraps again, shifting the screen.
func TestWrapWithinWidth(t *testing.T) {
	for _, name := range []string{"classroom-vickrey", "first-vs-second", "sponsored-search"} {
		m := newTestModel(t, name, 0, nil)
		typeText(m, "0.5")
		enter(m)
		for w := 20; w <= 80; w++ {
			m.Update(tea.WindowSizeMsg{Width: w, Height: 60})
			for what, s := range map[string]string{"summary": m.Summary(), "screen": m.View()} {
				for _, line := range strings.Split(s, "\n") {
					if lw := lipgloss.Width(line); lw > w {
						t.Errorf("%s, width %d, %s: %q is %d wide", name, w, what, line, lw)
					}
				}
			}
		}
	}
	if got := format.WrapWith(ansi.Wordwrap, "bidders. second-price", 15); got != "bidders. \nsecond-price" {
		t.Errorf("WrapWith: %q", got)
	}
}
