package classroom

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/tui/classroom/room"
)

// squeezed is an amount (three decimals) one space from what is before
// it: two columns that read as one ("5000.000 5000.000 -4999.200").
var squeezed = regexp.MustCompile(`\S [-+(]?\d+\.\d{3}`)

// amountEnds are the columns (in cells) where each amount of line ends.
func amountEnds(line string) []int {
	var ends []int
	for _, m := range regexp.MustCompile(`[-+]?\d+\.\d{3}`).FindAllStringIndex(line, -1) {
		ends = append(ends, ansi.StringWidth(line[:m[1]]))
	}
	return ends
}

// The reveal and the leaderboard with large bids (the trial's 5000, and
// the largest bid a student may type), on the trainer's and a student's
// screens at 80×24 and 100×40: every column a gap apart from the next,
// the amounts of a column right-aligned under its heading, and no line
// past the screen.
func TestRevealColumnsLargeBids(t *testing.T) {
	cfg := testRoomConfig(2, 30*time.Second)
	cfg.Sim.Exchange.Auction = sim.FirstPrice
	cfg.Clock = fixedClock{epoch}
	rm, ctx := runRoom(t, cfg)
	long := "abcdefghijklmnopqrst" // cut to 16 on the leaderboard
	ann, err := Join(rm, long)
	if err != nil {
		t.Fatal(err)
	}
	bob, err := Join(rm, "bob")
	if err != nil {
		t.Fatal(err)
	}
	if err := rm.SetReveal(ctx, true); err != nil {
		t.Fatal(err)
	}
	tr := NewTrainer(TrainerOptions{Room: rm, Address: "127.0.0.1:2222", Renderer: ascii(), Now: func() time.Time { return epoch }})
	defer tr.cancel()
	st := NewStudent(ann, ascii(), func() time.Time { return epoch })
	check := func(round uint64) {
		t.Helper()
		watchUntil(t, tr, "the round closed", func(s room.State) bool { return s.Rounds >= round })
		feed(t, st, func(s room.State) bool { return s.Rounds >= round && s.You.InRound })
		for _, size := range [][2]int{{80, 24}, {100, 40}} {
			for name, m := range map[string]tea.Model{"trainer": tr, "student": st} {
				m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
				what := fmt.Sprintf("round %d, %s at %d×%d", round, name, size[0], size[1])
				// A student's 80×24 gives the leaderboard up for the reveal.
				checkColumns(t, what, m.View(), size[0], true, size[1] >= 40 || name == "trainer")
			}
		}
	}
	// Round 1 was dealt for ann alone (bob joined during it): she bids
	// 5000; in round 2 both bid, bob the most a student may.
	waitRound(t, ann, 1)
	if err := ann.Bid(1, sim.PriceOf(5000)); err != nil {
		t.Fatal(err)
	}
	check(1)
	if err := ann.Bid(2, sim.PriceOf(4000)); err != nil {
		t.Fatal(err)
	}
	waitRound(t, bob, 2)
	if err := bob.Bid(2, sim.PriceOf(999_999.999)); err != nil {
		t.Fatal(err)
	}
	check(2)
}

// checkColumns checks the reveal and the leaderboard on screen v, width
// cells wide; reveal, board: the reveal, the leaderboard must be on it.
func checkColumns(t *testing.T, what, v string, width int, reveal, board bool) {
	t.Helper()
	lines := strings.Split(v, "\n")
	for i, l := range lines {
		if w := ansi.StringWidth(l); w > width {
			t.Errorf("%s: line %d is %d wide: %q", what, i+1, w, l)
		}
	}
	head := -1
	for i, l := range lines {
		if strings.Contains(l, "bidder") && strings.Contains(l, "surplus") {
			head = i
		}
	}
	if head < 0 {
		if reveal {
			t.Errorf("%s: no reveal:\n%s", what, v)
		}
	} else {
		// The heading's labels end where their amounts do (bidder, the
		// first, is left-aligned).
		ends := map[int]bool{}
		for _, m := range regexp.MustCompile(`\S+`).FindAllStringIndex(lines[head], -1)[1:] {
			ends[ansi.StringWidth(lines[head][:m[1]])] = true
		}
		for _, l := range lines[head+1:] {
			if strings.HasPrefix(l, "  Price") {
				break
			}
			if squeezed.MatchString(l) {
				t.Errorf("%s: reveal columns run together: %q\n%s", what, l, v)
			}
			for _, e := range amountEnds(l) {
				if !ends[e] {
					t.Errorf("%s: an amount ends at %d, under no heading: %q under %q", what, e, l, lines[head])
				}
			}
		}
	}
	var first []int
	for _, l := range lines {
		if !strings.Contains(l, "won ") || !strings.Contains(l, ". ") {
			continue
		}
		if squeezed.MatchString(l) {
			t.Errorf("%s: leaderboard columns run together: %q\n%s", what, l, v)
		}
		ends := amountEnds(l)
		if first == nil {
			first = ends
		} else if fmt.Sprint(ends) != fmt.Sprint(first) {
			t.Errorf("%s: leaderboard amounts end at %v, the first row's at %v:\n%s", what, ends, first, v)
		}
	}
	if first == nil && board {
		t.Errorf("%s: no leaderboard:\n%s", what, v)
	}
}
