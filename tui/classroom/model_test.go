package classroom

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"github.com/auctionsim/auctionsim/report/theme"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/tui/classroom/room"
)

func ascii() *lipgloss.Renderer { return theme.FixedRenderer(termenv.Ascii) }

// fixedClock is a room clock standing still, with timers that never fire.
type fixedClock struct{ t time.Time }

type stillTimer struct{}

func (stillTimer) C() <-chan time.Time { return nil }
func (stillTimer) Stop() bool          { return true }

func (c fixedClock) Now() time.Time                    { return c.t }
func (c fixedClock) NewTimer(time.Duration) room.Timer { return stillTimer{} }

var epoch = time.Unix(1_000_000, 0)

func quietRoom(t *testing.T, seats int) *room.Room {
	t.Helper()
	cfg := testRoomConfig(seats, 30*time.Second)
	cfg.Clock = fixedClock{epoch}
	rm, _ := runRoom(t, cfg)
	return rm
}

// runRoom starts a room on cfg, stopped when the test ends; it returns
// the room and the context it runs under.
func runRoom(t *testing.T, cfg room.Config) (*room.Room, context.Context) {
	t.Helper()
	rm, err := room.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go rm.Run(ctx)
	t.Cleanup(func() { cancel(); <-rm.Done() })
	return rm, ctx
}

// exportSession decodes the export of rm's session into v and returns
// the session.
func exportSession(t *testing.T, ctx context.Context, rm *room.Room, v any) room.Session {
	t.Helper()
	s, err := rm.Session(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteSession(&buf, s); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(buf.Bytes(), v); err != nil {
		t.Fatal(err)
	}
	return s
}

// feed hands the model states from its player until ok holds.
func feed(t *testing.T, m *Student, ok func(room.State) bool) {
	t.Helper()
	timeout := time.After(limit)
	for {
		select {
		case s := <-m.p.Updates():
			m.Update(stateMsg{s, true})
			if ok(s) {
				return
			}
		case <-timeout:
			t.Fatal("no such state")
		}
	}
}

// run executes cmd (a bid being sent) and feeds its answer back.
func runCmd(m tea.Model, cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	if msg := cmd(); msg != nil {
		if _, ok := msg.(bidMsg); ok {
			m.Update(msg)
		}
	}
}

func press(m tea.Model, s string) tea.Cmd {
	var msg tea.KeyMsg
	switch s {
	case "enter":
		msg = tea.KeyMsg{Type: tea.KeyEnter}
	default:
		msg = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
	}
	_, cmd := m.Update(msg)
	return cmd
}

func TestStudentKeys(t *testing.T) {
	rm := quietRoom(t, 2)
	p, err := Join(rm, "ann")
	if err != nil {
		t.Fatal(err)
	}
	m := NewStudent(p, ascii(), func() time.Time { return epoch.Add(12 * time.Second) })
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	feed(t, m, func(s room.State) bool { return s.You.InRound })
	if !m.bidding() || !strings.Contains(m.View(), "18s left") {
		t.Fatalf("not bidding:\n%s", m.View())
	}
	// An invalid bid is refused on screen; nothing is sent.
	for _, r := range "x1" {
		press(m, string(r))
	}
	if cmd := press(m, "enter"); cmd != nil || !strings.Contains(m.err, "is not a bid") {
		t.Fatalf("x1: cmd %v, err %q", cmd, m.err)
	}
	m.entry.Input.SetValue("0.6")
	runCmd(m, press(m, "enter"))
	if m.sent != 1 || m.bidding() {
		t.Fatalf("after enter: sent %d", m.sent)
	}
	feed(t, m, func(s room.State) bool { return s.Round == 2 })
	if m.state.You.Last == nil || m.state.You.Last.Bid.Amount != sim.PriceOf(0.6) {
		t.Fatalf("last outcome %+v", m.state.You.Last)
	}
	if v := m.View(); !strings.Contains(v, "You bid 0.600") || !strings.Contains(v, "Leaderboard") {
		t.Fatalf("after round 1:\n%s", v)
	}
	// p passes round 2.
	runCmd(m, press(m, "p"))
	feed(t, m, func(s room.State) bool { return s.Round == 3 })
	if !m.state.You.Last.Bid.Pass {
		t.Fatalf("p did not pass: %+v", m.state.You.Last)
	}
	// ? toggles the help; q leaves.
	press(m, "?")
	if !m.entry.Help.ShowAll {
		t.Fatal("? did not show the help")
	}
	if cmd := press(m, "q"); cmd == nil {
		t.Fatal("q: no command")
	} else if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Fatal("q did not quit")
	}
	if !strings.Contains(m.View(), "You left the room") {
		t.Fatal(m.View())
	}
	// A closed updates channel (the room closed) ends the program.
	if _, cmd := m.Update(stateMsg{ok: false}); cmd == nil {
		t.Fatal("closed room: no quit")
	}
}

func TestViewGolden(t *testing.T) {
	rm := quietRoom(t, 3)
	ann, _ := Join(rm, "ann")
	bob, _ := Join(rm, "bob")
	now := func() time.Time { return epoch.Add(7 * time.Second) }
	a := NewStudent(ann, ascii(), now)
	b := NewStudent(bob, ascii(), now)
	a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	feed(t, a, func(s room.State) bool { return s.You.InRound })
	// Round 1 was dealt for ann alone; she bids, and round 2 has both.
	runCmd(a, func() tea.Cmd { a.entry.Input.SetValue("0.4"); return press(a, "enter") }())
	feed(t, a, func(s room.State) bool { return s.Round == 2 })
	feed(t, b, func(s room.State) bool { return s.Round == 2 && s.You.InRound })
	b.entry.Input.SetValue("0.9")
	runCmd(b, press(b, "enter"))
	tr := NewTrainer(TrainerOptions{Room: rm, Address: "127.0.0.1:2222", Renderer: ascii(), Now: now})
	defer tr.cancel()
	tr.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	deadline := time.After(limit)
	for !(tr.have && tr.state.Round == 2 && tr.state.Seats[1].Bid) {
		select {
		case s := <-tr.ch:
			tr.Update(stateMsg{s, true})
		case <-deadline:
			t.Fatal("the trainer never saw bob's bid")
		}
	}
	// The trainer saw round 1 before it subscribed only through Last.
	feed(t, a, func(s room.State) bool { return s.Seats[1].Bid })
	for name, v := range map[string]string{"student": a.View(), "trainer": tr.View()} {
		t.Run(name, func(t *testing.T) {
			for i, line := range strings.Split(v, "\n") {
				if w := lipgloss.Width(line); w > 80 {
					t.Errorf("line %d is %d wide: %q", i+1, w, line)
				}
			}
			if n := strings.Count(v, "\n") + 1; n > 24 {
				t.Errorf("%d lines, more than 24:\n%s", n, v)
			}
			golden.RequireEqual(t, []byte(v))
		})
	}
	if strings.Contains(tr.View(), "0.900") {
		t.Error("the trainer's screen shows an open round's bid")
	}
}

func TestTrainerExport(t *testing.T) {
	rm := quietRoom(t, 2)
	p, _ := Join(rm, "ann")
	st := NewStudent(p, ascii(), nil)
	feed(t, st, func(s room.State) bool { return s.You.InRound })
	if err := p.Bid(1, sim.PriceOf(0.8)); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var got room.Session
	tr := NewTrainer(TrainerOptions{Room: rm, Renderer: ascii(), Export: func(s room.Session) (string, error) {
		mu.Lock()
		defer mu.Unlock()
		got = s
		return "/tmp/x.json", nil
	}})
	defer tr.cancel()
	select {
	case s := <-tr.ch:
		tr.Update(stateMsg{s, true})
	case <-time.After(limit):
		t.Fatal("the trainer got no state")
	}
	cmd := press(tr, "e")
	if cmd == nil {
		t.Fatal("e: no command")
	}
	tr.Update(cmd())
	if !strings.Contains(tr.View(), "exported to /tmp/x.json") {
		t.Fatalf("no word of the export:\n%s", tr.View())
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got.Rounds) != 1 || got.Rounds[0].Students[0] != "ann" {
		t.Fatalf("exported %+v", got)
	}
	var buf bytes.Buffer
	if err := WriteSession(&buf, got); err != nil {
		t.Fatal(err)
	}
	var js map[string]any
	if err := json.Unmarshal(buf.Bytes(), &js); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, buf.String())
	}
	rounds := js["rounds"].([]any)
	seat0 := rounds[0].(map[string]any)["seats"].([]any)[0].(map[string]any)
	if seat0["student"] != "ann" || seat0["bid"] != 0.8 || seat0["status"] != "on time" {
		t.Fatalf("seat 0 in the export: %v", seat0)
	}
	if _, cmd := tr.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")}); cmd != nil || !strings.Contains(tr.View(), "press q again") {
		t.Fatal("one q closed the room")
	}
	tr.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("x")})
	if _, cmd := tr.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")}); cmd != nil {
		t.Fatal("q, another key, q closed the room")
	}
	if _, cmd := tr.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")}); cmd == nil {
		t.Fatal("q q did not close the room")
	} else if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Fatal("q q: not a quit")
	}
}

func TestLog(t *testing.T) {
	rm := quietRoom(t, 2)
	var mu sync.Mutex
	var buf bytes.Buffer
	w := writerFunc(func(p []byte) (int, error) { mu.Lock(); defer mu.Unlock(); return buf.Write(p) })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	ch := rm.Watch(ctx) // subscribed before anyone joins
	go func() { logStates(ctx, ch, rm.Table(), w); close(done) }()
	p, _ := Join(rm, "ann")
	st := NewStudent(p, ascii(), nil)
	feed(t, st, func(s room.State) bool { return s.You.InRound })
	p.Bid(1, sim.PriceOf(0.3))
	feed(t, st, func(s room.State) bool { return s.Round == 2 })
	p.Leave()
	deadline := time.Now().Add(limit)
	for {
		mu.Lock()
		out := buf.String()
		mu.Unlock()
		if strings.Contains(out, "ann left") {
			for _, want := range []string{"seat 1 (b0): ann joined", "round 1 "} {
				if !strings.Contains(out, want) {
					t.Errorf("log lacks %q:\n%s", want, out)
				}
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("log:\n%s", out)
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(limit):
		t.Fatal("Log did not return")
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

func TestStudentName(t *testing.T) {
	for in, want := range map[string]string{
		"alice":                         "alice",
		"  bob ":                        "bob",
		"\x1b[31mred":                   "[31mred",
		"":                              "student",
		"\x07\x08":                      "student",
		"a-very-long-name-that-goes-on": "a-very-long-name-that-go",
	} {
		if got := StudentName(in); got != want {
			t.Errorf("StudentName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestJoinHint(t *testing.T) {
	for addr, want := range map[string]string{
		":2222":             "ssh -p 2222 NAME@HOST",
		"0.0.0.0:2222":      "ssh -p 2222 NAME@HOST",
		"[::]:2222":         "ssh -p 2222 NAME@HOST",
		"192.168.1.10:2222": "ssh -p 2222 NAME@192.168.1.10",
		"[fe80::1]:2200":    "ssh -p 2200 NAME@[fe80::1]",
		"10.0.0.5:22":       "ssh NAME@10.0.0.5",
		"nonsense":          "ssh -p PORT NAME@HOST",
	} {
		if got := JoinHint(addr); got != want {
			t.Errorf("JoinHint(%q) = %q, want %q", addr, got, want)
		}
	}
}

// TestStudentProgramFlow runs a student's real program against a room:
// type a bid, see the outcome, pass, leave.
func TestStudentProgramFlow(t *testing.T) {
	rm := quietRoom(t, 2)
	p, err := Join(rm, "ann")
	if err != nil {
		t.Fatal(err)
	}
	m := NewStudent(p, ascii(), func() time.Time { return epoch })
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	// waitFor waits for one frame that shows all of want.
	waitFor := func(want ...string) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
			for _, w := range want {
				if !bytes.Contains(b, []byte(w)) {
					return false
				}
			}
			return true
		}, teatest.WithDuration(limit), teatest.WithCheckInterval(10*time.Millisecond))
	}
	waitFor("Round 1")
	tm.Type("0.45")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor("Round 2", "You bid 0.450")
	tm.Type("p")
	waitFor("You passed")
	tm.Type("q")
	fm, ok := tm.FinalModel(t, teatest.WithFinalTimeout(limit)).(*Student)
	if !ok {
		t.Fatalf("final model %T", fm)
	}
	if tt := fm.state.You.Totals; tt.Rounds != 2 {
		t.Fatalf("totals %+v", tt)
	}
	p.Leave()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	s, err := rm.Session(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Rounds) < 2 || s.Rounds[0].Result.Seats[0].Bid.Amount != sim.PriceOf(0.45) || !s.Rounds[1].Result.Seats[0].Bid.Pass {
		t.Fatalf("the room saw %+v", s.Rounds)
	}
}
