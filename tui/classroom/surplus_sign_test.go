package classroom

import (
	"bytes"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/tui/classroom/room"
	"github.com/auctionsim/auctionsim/tui/classroom/seat"
	"github.com/auctionsim/auctionsim/tui/play"
)

// TestSurplusSignedAsInPlay: the classroom writes a surplus as a round's
// sum does (play.Signed): the student's totals, the leaderboard and the
// trainer's log all with its sign, 0.000 without.
func TestSurplusSignedAsInPlay(t *testing.T) {
	tt := seat.Totals{Name: "ann", Rounds: 2, Wins: 1, Spend: sim.PriceOf(0.5), Surplus: sim.PriceOf(0.25)}
	board := []room.Standing{{Name: "ann", Totals: tt}}
	m := &Student{st: play.NewStyles(ascii()), have: true, quit: true,
		state: room.State{Rules: room.Rules{Auction: sim.SecondPrice}, Board: board, You: &room.You{Name: "ann", Totals: tt}}}
	bye := m.Farewell()
	if !strings.Contains(bye, "surplus +0.250, place 1 of 1.") || !strings.Contains(bye, "won 0, surplus 0.000.") {
		t.Errorf("the totals:\n%s", bye)
	}
	if b := strings.Join(boardLines(m.st, board), "\n"); !strings.Contains(b, "+0.250  (0.000)") {
		t.Errorf("the leaderboard:\n%s", b)
	}
	var log bytes.Buffer
	logRound(&log, nil, room.State{Rules: room.Rules{Auction: sim.SecondPrice}, Board: board}, 10)
	if !strings.Contains(log.String(), "ann surplus +0.250 (bidding the value: 0.000)") {
		t.Errorf("the trainer's log:\n%s", log.String())
	}
}

func boardLines(st play.Styles, rows []room.Standing) []string {
	return board(st, room.Rules{Auction: sim.SecondPrice}, rows, "", 3, 80)
}

// A student's and the trainer's screens never leave a minus sign at a
// line's end with its figure on the next ("= -" then "0.821"), whatever
// the width; a word too long for the line is still broken.
func TestWrapLinesKeepsNegativesWhole(t *testing.T) {
	s := "  Surplus: value − price = 0.176 − 0.997 = -0.821 in round 12, -1.5 so far"
	for w := 10; w <= len(s); w++ {
		lines := strings.Split(wrapLines(s, w), "\n")
		for i, line := range lines[:len(lines)-1] {
			next := strings.TrimLeft(lines[i+1], " ")
			if strings.HasSuffix(strings.TrimRight(line, " "), "-") && strings.IndexAny(next, "0123456789.") == 0 {
				t.Errorf("width %d: %q then %q", w, line, lines[i+1])
			}
		}
	}
	if got := wrapLines("averyveryverylongname", 10); got != "averyveryv\nerylongnam\ne" {
		t.Errorf("a long word: %q", got)
	}
}

// TestGoodbyeWrapped: the lines left on a student's terminal when the
// session ends are wrapped at its width, words whole, not broken by the
// terminal mid-word; every word of the farewell is still there.
func TestGoodbyeWrapped(t *testing.T) {
	tt := seat.Totals{Name: "alice", Rounds: 8, Wins: 1, Spend: sim.PriceOf(0.591), Surplus: sim.PriceOf(0.23)}
	board := []room.Standing{{Name: "alice", Totals: tt}, {Name: "bob"}, {Name: "carol"}}
	m := &Student{st: play.NewStyles(ascii()), have: true, closed: true,
		state: room.State{Rules: room.Rules{Auction: sim.SecondPrice}, Board: board, You: &room.You{Name: "alice", Totals: tt}}}
	for _, w := range []int{0, 40, 50, 80} {
		m.width = w
		bye := m.Goodbye()
		if !strings.HasSuffix(bye, "\n") {
			t.Errorf("width %d: no final newline: %q", w, bye)
		}
		for _, l := range strings.Split(strings.TrimSuffix(bye, "\n"), "\n") {
			if w > 0 && len([]rune(l)) > w {
				t.Errorf("width %d: %q is wider", w, l)
			}
		}
		if got, want := strings.Fields(bye), strings.Fields("auctionsim: "+m.Farewell()); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("width %d: words changed:\n%q\nwant\n%q", w, got, want)
		}
	}
}
