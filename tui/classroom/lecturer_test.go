package classroom

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/tui/classroom/room"
	"github.com/auctionsim/auctionsim/tui/play"
)

// do runs a trainer's command and hands its answer back to the screen.
func do(t *testing.T, tr *Trainer, cmd tea.Cmd) {
	t.Helper()
	if cmd == nil {
		t.Fatal("the key did nothing")
	}
	msg := cmd()
	if _, ok := msg.(controlMsg); !ok {
		t.Fatalf("the key's command answered %T", msg)
	}
	tr.Update(msg)
}

// watchUntil feeds the trainer states until ok holds.
func watchUntil(t *testing.T, tr *Trainer, what string, ok func(room.State) bool) {
	t.Helper()
	deadline := time.After(limit)
	for !(tr.have && ok(tr.state)) {
		select {
		case s := <-tr.ch:
			tr.Update(stateMsg{s, true})
		case <-deadline:
			t.Fatalf("the trainer never saw %s", what)
		}
	}
}

// The lecturer's keys: c closes a round at once (the silent student is
// told they sent no bid, not that they were late), p pauses, n deals the
// next round, r turns the reveal on for students, k kicks by name.
func TestLecturerControls(t *testing.T) {
	rm := quietRoom(t, 2)
	ann, _ := Join(rm, "ann")
	bob, _ := Join(rm, "bob")
	now := func() time.Time { return epoch }
	a, b := NewStudent(ann, ascii(), now), NewStudent(bob, ascii(), now)
	tr := NewTrainer(TrainerOptions{Room: rm, Address: "127.0.0.1:2222", Renderer: ascii(), Now: now, Code: "tulip"})
	defer tr.cancel()
	tr.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	watchUntil(t, tr, "both seated", func(s room.State) bool { return s.Round == 1 && s.Seats[1].Student == "bob" })
	if v := tr.View(); !strings.Contains(v, "room code tulip") || !strings.Contains(v, "k kick") {
		t.Fatalf("header or help:\n%s", v)
	}
	// Round 1 was dealt for ann alone: close it now, without her bid.
	do(t, tr, press(tr, "c"))
	watchUntil(t, tr, "round 2", func(s room.State) bool { return s.Round == 2 && s.InRound == 2 })
	feed(t, a, func(s room.State) bool { return s.Round == 2 })
	if v := a.View(); !strings.Contains(v, "No bid from you before the deadline") || strings.Contains(v, "after the deadline") {
		t.Errorf("a student who never typed:\n%s", v)
	}
	// p pauses; bob bids, ann freezes; c closes round 2 and none is dealt.
	do(t, tr, press(tr, "p"))
	watchUntil(t, tr, "the pause", func(s room.State) bool { return s.Paused })
	if !strings.Contains(tr.View(), "PAUSED") {
		t.Errorf("no PAUSED in the header:\n%s", tr.View())
	}
	if err := bob.Bid(2, sim.PriceOf(0.5)); err != nil {
		t.Fatal(err)
	}
	do(t, tr, press(tr, "r"))
	do(t, tr, press(tr, "c"))
	watchUntil(t, tr, "round 2 closed, reveal on", func(s room.State) bool { return s.Rounds == 2 && s.Reveal })
	if tr.state.Round != 0 {
		t.Fatalf("paused, yet round %d was dealt", tr.state.Round)
	}
	if v := tr.View(); strings.Contains(v, "joins next round") {
		t.Errorf("paused with no round open, a seat 'joins next round':\n%s", v)
	}
	// The reveal: every bidder, robots too, and why the price is what it is.
	res := tr.state.Last.Result
	v := tr.View()
	for i := range res.Responses {
		if !strings.Contains(v, rm.Table().Name(i)) {
			t.Errorf("the reveal leaves out %s:\n%s", rm.Table().Name(i), v)
		}
	}
	for _, want := range []string{"b2 (robot)", "bob (b1)", "0.500", "no bid", "Price " + format.FixedCPM(res.Price, format.SumDecimals(res.Values[res.Winner], res.Price, 3)) + ". Second price: the second-highest bid"} {
		if !strings.Contains(v, want) {
			t.Errorf("the trainer's reveal lacks %q:\n%s", want, v)
		}
	}
	feed(t, b, func(s room.State) bool { return s.Rounds == 2 && s.Reveal })
	if v := b.View(); !strings.Contains(v, "Round 2 revealed") || !strings.Contains(v, "b3 (robot)") {
		t.Errorf("reveal on, the student sees no reveal:\n%s", v)
	}
	// n deals the next round and lifts the pause.
	do(t, tr, press(tr, "n"))
	watchUntil(t, tr, "round 3", func(s room.State) bool { return s.Round == 3 && !s.Paused })
	// k, a name, enter: bob is kicked and his screen says so, with totals.
	press(tr, "k")
	for _, r := range "bob" {
		press(tr, string(r))
	}
	if v := tr.View(); !strings.Contains(v, "Kick whom? bob") {
		t.Errorf("the kick prompt:\n%s", v)
	}
	do(t, tr, press(tr, "enter"))
	if !strings.Contains(tr.status, "kicked bob") {
		t.Errorf("status after kicking: %q", tr.status)
	}
	select {
	case <-bob.Left():
	case <-time.After(limit):
		t.Fatal("bob was not kicked")
	}
	b.Update(leftMsg{})
	if v := b.View(); !strings.Contains(v, "The trainer freed your seat") || !strings.Contains(v, "bob, 1 round: won") {
		t.Errorf("bob's last screen:\n%s", v)
	}
	// A kick of nobody says so.
	press(tr, "k")
	press(tr, "z")
	do(t, tr, press(tr, "enter"))
	if !strings.Contains(tr.status, `nobody called "z"`) {
		t.Errorf("kicking nobody: %q", tr.status)
	}
}

// The trainer's "kicked bob …" holds while the seat bids by its strategy,
// and goes once the seat changes (bob back); a kick of a seat number the
// room lacks says there is no such seat.
func TestKickStatusClears(t *testing.T) {
	rm := quietRoom(t, 2)
	ann, err := Join(rm, "ann")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Join(rm, "bob"); err != nil {
		t.Fatal(err)
	}
	tr := NewTrainer(TrainerOptions{Room: rm, Renderer: ascii(), Now: func() time.Time { return epoch }})
	defer tr.cancel()
	tr.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	watchUntil(t, tr, "both seated", func(s room.State) bool { return s.Seats[1].Student == "bob" })
	kick := func(who string) {
		t.Helper()
		press(tr, "k")
		for _, r := range who {
			press(tr, string(r))
		}
		do(t, tr, press(tr, "enter"))
	}
	kick("9")
	if want := "there is no seat 9 (seats 1–2)"; tr.status != want {
		t.Errorf("kicking seat 9 of 2: %q, want %q", tr.status, want)
	}
	kick("bob")
	watchUntil(t, tr, "bob's seat free", func(s room.State) bool { return s.Seats[1].Student == "" })
	// The room goes on (ann bids, the round closes): the status stays.
	if err := ann.Bid(1, sim.PriceOf(0.5)); err != nil {
		t.Fatal(err)
	}
	watchUntil(t, tr, "a round closed", func(s room.State) bool { return s.Rounds >= 1 })
	if v := tr.View(); !strings.Contains(v, "kicked bob") {
		t.Fatalf("the kick's status went before the seat changed:\n%s", v)
	}
	if _, err := Join(rm, "bob"); err != nil {
		t.Fatal(err)
	}
	watchUntil(t, tr, "bob back", func(s room.State) bool { return s.Seats[1].Student == "bob" })
	if v := tr.View(); strings.Contains(v, "kicked bob") || tr.status != "" {
		t.Errorf("bob is back, the status still says %q:\n%s", tr.status, v)
	}
	// Kicked again: the return after the first kick does not clear the
	// second's status.
	kick("bob")
	watchUntil(t, tr, "bob's seat free again", func(s room.State) bool { return s.Seats[1].Student == "" })
	if v := tr.View(); !strings.Contains(v, "kicked bob") {
		t.Errorf("bob kicked a second time, the status says %q:\n%s", tr.status, v)
	}
}

// A student whose name is longer than a bid can be is kicked by it: the
// kick's field took 12 characters, the bid field's limit, and so read
// "averyveryver" for "averyveryverylongname".
func TestKickLongName(t *testing.T) {
	rm := quietRoom(t, 2)
	long := StudentName(strings.Repeat("averyverylongname", 3)) // MaxNameLen characters
	if _, err := Join(rm, long); err != nil {
		t.Fatal(err)
	}
	// A namesake, seated second, is the long name with "-2".
	if _, err := Join(rm, long); err != nil {
		t.Fatal(err)
	}
	tr := NewTrainer(TrainerOptions{Room: rm, Renderer: ascii(), Now: func() time.Time { return epoch }})
	defer tr.cancel()
	tr.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	watchUntil(t, tr, "both seated", func(s room.State) bool { return s.Seats[1].Student == long+"-2" })
	for i, who := range []string{long + "-2", long} {
		press(tr, "k")
		for _, r := range who {
			press(tr, string(r))
		}
		do(t, tr, press(tr, "enter"))
		if want := "kicked " + who; !strings.HasPrefix(tr.status, want) {
			t.Fatalf("kicking %q: %q, want %q", who, tr.status, want)
		}
		seat := 1 - i
		watchUntil(t, tr, who+"'s seat free", func(s room.State) bool { return s.Seats[seat].Student == "" })
	}
}

// A student leaving or the room closing leaves totals on the screen.
func TestFarewellTotals(t *testing.T) {
	rm := quietRoom(t, 2)
	p, _ := Join(rm, "ann")
	m := NewStudent(p, ascii(), nil)
	feed(t, m, func(s room.State) bool { return s.You.InRound })
	runCmd(m, func() tea.Cmd { m.entry.Input.SetValue("0.9"); return press(m, "enter") }())
	feed(t, m, func(s room.State) bool { return s.Round == 2 })
	press(m, "q")
	v := m.View()
	if !strings.Contains(v, "You left the room") || !strings.Contains(v, "ann, 1 round: won") || !strings.Contains(v, "Bidding your value") {
		t.Errorf("farewell:\n%s", v)
	}
}

// At 60×16 the value and the bid field stay on screen; with four students
// at 80×24 the leaderboard says how many rows it leaves out.
func TestSmallScreens(t *testing.T) {
	rm := quietRoom(t, 4)
	var ms []*Student
	for _, name := range []string{"ann", "bob", "cyd", "dee"} {
		p, err := Join(rm, name)
		if err != nil {
			t.Fatal(err)
		}
		ms = append(ms, NewStudent(p, ascii(), func() time.Time { return epoch }))
	}
	tr := NewTrainer(TrainerOptions{Room: rm, Renderer: ascii()})
	defer tr.cancel()
	watchUntil(t, tr, "round 1", func(s room.State) bool { return s.Round == 1 && s.Seats[3].Student != "" })
	do(t, tr, press(tr, "c"))
	a := ms[0]
	a.Update(tea.WindowSizeMsg{Width: 60, Height: 16})
	feed(t, a, func(s room.State) bool { return s.Round == 2 && s.You.InRound && len(s.Board) == 4 })
	v := a.View()
	if n := strings.Count(v, "\n") + 1; n > 16 {
		t.Errorf("%d lines at 60×16:\n%s", n, v)
	}
	if !strings.Contains(v, "Your value for this impression") || !strings.Contains(v, "Your bid") {
		t.Errorf("value or prompt off screen at 60×16:\n%s", v)
	}
	a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	v = a.View()
	if !strings.Contains(v, "+1 more") {
		t.Errorf("four students, no \"+1 more\":\n%s", v)
	}
	// The trainer, several rounds on: every size keeps the reveal and the
	// keys, and a leaderboard cut short says so.
	for k := 0; k < 4; k++ {
		do(t, tr, press(tr, "c"))
	}
	watchUntil(t, tr, "five rounds", func(s room.State) bool { return s.Rounds == 5 && len(s.Board) == 4 })
	for _, h := range []int{40, 24, 16} {
		tr.Update(tea.WindowSizeMsg{Width: 80, Height: h})
		v := tr.View()
		if n := strings.Count(v, "\n") + 1; n > h {
			t.Errorf("trainer at 80×%d: %d lines:\n%s", h, n, v)
		}
		if !strings.Contains(v, "Round 5 revealed") || !strings.Contains(v, "k kick") || !strings.Contains(v, "4 b3") {
			t.Errorf("trainer at 80×%d lost the reveal or the keys:\n%s", h, v)
		}
		shown := 0
		for _, name := range []string{"ann", "bob", "cyd", "dee"} {
			if strings.Contains(v, ". "+name) {
				shown++
			}
		}
		if shown < 4 && !strings.Contains(v, fmt.Sprintf("+%d more", 4-shown)) && !strings.Contains(v, "more lines (a taller terminal") &&
			!strings.Contains(v, "Leaderboard of 4: a taller terminal shows it") {
			t.Errorf("trainer at 80×%d shows %d of 4 students without saying so:\n%s", h, shown, v)
		}
	}
}

// In first price bidding one's value earns nothing: the leaderboard sets
// bidding the equilibrium beside each surplus there, bidding one's value
// in second price.
func TestFirstPriceBoard(t *testing.T) {
	rows := []room.Standing{{Name: "ann"}}
	rows[0].Surplus = sim.PriceOf(0.25)
	rows[0].Truthful.Surplus = sim.PriceOf(0.5)
	rows[0].Equilibrium.Surplus = sim.PriceOf(0.125)
	second := strings.Join(board(play.NewStyles(ascii()), room.Rules{Auction: sim.SecondPrice}, rows, "", 3, 80), "\n")
	first := strings.Join(board(play.NewStyles(ascii()), room.Rules{Auction: sim.FirstPrice}, rows, "", 3, 80), "\n")
	if !strings.Contains(second, "bidding one's value") || !strings.Contains(second, "(+0.500)") {
		t.Errorf("second price:\n%s", second)
	}
	if strings.Contains(first, "bidding one's value") || !strings.Contains(first, "bidding the equilibrium") ||
		!strings.Contains(first, "(+0.125)") || !strings.Contains(first, "+0.250") {
		t.Errorf("first price:\n%s", first)
	}
}

// Each of the trainer's keys does one thing: no key is bound twice, and
// every binding is in the full help.
func TestTrainerKeysDistinct(t *testing.T) {
	rm := quietRoom(t, 1)
	tr := NewTrainer(TrainerOptions{Room: rm, Renderer: ascii()})
	defer tr.cancel()
	seen := map[string]string{}
	n := 0
	for _, col := range tr.keys.FullHelp() {
		for _, b := range col {
			n++
			for _, k := range b.Keys() {
				if other, ok := seen[k]; ok {
					t.Errorf("key %q does both %q and %q", k, other, b.Help().Desc)
				}
				seen[k] = b.Help().Desc
			}
		}
	}
	if n != 9 {
		t.Errorf("the full help has %d bindings, want all 9", n)
	}
}

// The trainer's seats say "passed" for a student who passed in the open
// round, not "has bid": a pass is no bid, and the amount of a bid stays
// secret, but whether one came is already shown.
func TestTrainerSeesAPass(t *testing.T) {
	rm := quietRoom(t, 2)
	ann, _ := Join(rm, "ann")
	Join(rm, "bob")
	tr := NewTrainer(TrainerOptions{Room: rm, Renderer: ascii(), Now: func() time.Time { return epoch }})
	defer tr.cancel()
	tr.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	// Round 1 was dealt for ann alone: close it, so that both are in round 2.
	watchUntil(t, tr, "both seated", func(s room.State) bool { return s.Round == 1 && s.Seats[1].Student == "bob" })
	do(t, tr, press(tr, "c"))
	watchUntil(t, tr, "round 2", func(s room.State) bool { return s.Round == 2 })
	if err := ann.Pass(2); err != nil {
		t.Fatal(err)
	}
	// Bob has not answered: the round stays open.
	watchUntil(t, tr, "ann's pass", func(s room.State) bool { return s.Round == 2 && s.Seats[0].Bid })
	var annLine, bobLine string
	for _, l := range strings.Split(tr.View(), "\n") {
		// The seats' rows: "   1 b0   ann   …" (not the reveal's or the
		// leaderboard's).
		switch {
		case strings.HasPrefix(l, "   1 ") && strings.Contains(l, " ann "):
			annLine = l
		case strings.HasPrefix(l, "   2 ") && strings.Contains(l, " bob "):
			bobLine = l
		}
	}
	if !strings.HasSuffix(strings.TrimSpace(annLine), "passed") || !strings.HasSuffix(strings.TrimSpace(bobLine), "thinking…") {
		t.Errorf("ann's seat %q, want passed; bob's %q, want thinking…", annLine, bobLine)
	}
}

// The seats' states line up in one column whatever the names: a name in
// wide characters took more cells than fmt's padding counted.
func TestSeatColumnsWideNames(t *testing.T) {
	rm := quietRoom(t, 3)
	for _, name := range []string{"ann", "日本語の名前", "Zoë"} {
		if _, err := Join(rm, name); err != nil {
			t.Fatal(err)
		}
	}
	tr := NewTrainer(TrainerOptions{Room: rm, Renderer: ascii(), Now: func() time.Time { return epoch }})
	defer tr.cancel()
	tr.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	watchUntil(t, tr, "round 1, three seated", func(s room.State) bool { return s.Round == 1 && s.Seats[2].Student != "" })
	col := -1
	for _, line := range strings.Split(tr.View(), "\n") {
		i := strings.Index(line, "thinking…")
		if i < 0 {
			i = strings.Index(line, "joins next round")
		}
		if i < 0 {
			continue
		}
		c := ansi.StringWidth(line[:i])
		if col >= 0 && c != col {
			t.Errorf("a seat's state at column %d, not %d:\n%s", c, col, tr.View())
		}
		col = c
	}
	if col < 0 {
		t.Fatalf("no seat's state:\n%s", tr.View())
	}
}
