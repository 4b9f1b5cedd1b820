package classroom

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/tui/classroom/room"
	"github.com/auctionsim/auctionsim/tui/classroom/seat"
	"github.com/auctionsim/auctionsim/tui/play"
)

// TestPriceWhySlots: a round of several slots is explained slot by slot,
// per click and per impression, by its rule.
func TestPriceWhySlots(t *testing.T) {
	res := &seat.Result{Winner: 1, Price: sim.PriceOf(0.5), Reason: sim.SecondBid, Slots: []sim.SlotWin{
		{Bidder: 1, Weight: 1, Click: sim.PriceOf(0.5), Impression: sim.PriceOf(0.5)},
		{Bidder: 0, Weight: 0.6, Click: sim.PriceOf(0.3), Impression: sim.PriceOf(0.18)},
	}}
	got := PriceWhy(res)
	for _, want := range []string{"gsp, each slot pays the next bid per click", "slot 1 (α 1) 0.500 per click, 0.500 per impression", "slot 2 (α 0.6) 0.300 per click, 0.180 per impression"} {
		if !strings.Contains(got, want) {
			t.Errorf("%q lacks %q", got, want)
		}
	}
	res.VCG = true
	if got := PriceWhy(res); !strings.HasPrefix(got, "vcg, each slot pays the clicks it takes") {
		t.Errorf("vcg: %q", got)
	}
}

// slotsExport is the part of a slotted export a slot's price is checked
// from.
type slotsExport struct {
	Slots  []float64 `json:"slots"`
	Rounds []struct {
		Round     uint64  `json:"round"`
		Floor     float64 `json:"floor"`
		Increment float64 `json:"increment"`
		Slots     []struct {
			Slot       int     `json:"slot"`
			Weight     float64 `json:"weight"`
			Bidder     string  `json:"bidder"`
			Click      float64 `json:"price_per_click"`
			Impression float64 `json:"price_per_impression"`
		} `json:"slots"`
		Bidders []struct {
			Bidder     string   `json:"bidder"`
			Value      float64  `json:"value"`
			Bid        *float64 `json:"bid"`
			Status     string   `json:"status"`
			Won        bool     `json:"won"`
			Slot       int      `json:"slot"`
			Click      *float64 `json:"price_per_click"`
			Impression *float64 `json:"price_per_impression"`
			Paid       float64  `json:"paid"`
			Surplus    float64  `json:"surplus"`
		} `json:"bidders"`
		Seats []struct {
			Bidder  string  `json:"bidder"`
			Won     bool    `json:"won"`
			Slot    int     `json:"slot"`
			Surplus float64 `json:"surplus"`
		} `json:"seats"`
	} `json:"rounds"`
}

// TestExportSlots: with several slots every slot holder is a winner in
// the export, the reveal and the trainer's round line, not slot 1's alone;
// each holder's slot, price per click and per impression are exported,
// and checked here by hand from the exported bids: GSP, the next bid per
// click; VCG, Σ_{i>j} (α_{i−1} − α_i)·b_(i) per impression; the floor
// standing for missing bids, + the increment per click, at most the bid.
func TestExportSlots(t *testing.T) {
	weights := []float64{1, 0.6, 0.3}
	for _, auction := range []sim.AuctionType{sim.GSP, sim.VCG} {
		t.Run(auction.String(), func(t *testing.T) {
			cfg := testRoomConfig(2, 30*time.Second)
			cfg.Sim.Exchange.Auction = auction
			cfg.Sim.Exchange.Slots = weights
			cfg.Sim.Exchange.Floor = sim.PriceOf(0.2)
			cfg.Sim.Exchange.Increment = sim.PriceOf(0.01)
			cfg.Clock = fixedClock{epoch}
			rm, ctx := runRoom(t, cfg)
			ann, _ := Join(rm, "ann")
			bids := []float64{0.9, 0.05, 0.45, 0.31, 0.7, 0.25, 0.6, 0.35}
			for k, b := range bids {
				round := uint64(k + 1)
				waitRound(t, ann, round)
				if err := ann.Bid(round, sim.PriceOf(b)); err != nil {
					t.Fatal(err)
				}
			}
			var ex slotsExport
			s := exportSession(t, ctx, rm, &ex)
			if len(ex.Slots) != 3 || len(ex.Rounds) != len(bids) {
				t.Fatalf("slots %v, %d rounds exported", ex.Slots, len(ex.Rounds))
			}
			lower := 0
			for _, r := range ex.Rounds {
				var eligible []float64
				for _, b := range r.Bidders {
					if b.Status == "on time" {
						eligible = append(eligible, *b.Bid)
					}
				}
				sort.Sort(sort.Reverse(sort.Float64Slice(eligible)))
				bidAt := func(i int) float64 { // b_(i), 1-based; the floor where there is none
					if i <= len(eligible) {
						return eligible[i-1]
					}
					return r.Floor
				}
				if want := min(len(eligible), 3); len(r.Slots) != want {
					t.Fatalf("round %d: %d slots sold, %d eligible bids", r.Round, len(r.Slots), len(eligible))
				}
				holders := 0
				for _, b := range r.Bidders {
					if !b.Won {
						if b.Slot != 0 || b.Click != nil || b.Paid != 0 {
							t.Errorf("round %d: %s lost yet slot %d, paid %v", r.Round, b.Bidder, b.Slot, b.Paid)
						}
						continue
					}
					holders++
					j := b.Slot
					if j < 1 || j > 3 || b.Click == nil || b.Impression == nil {
						t.Fatalf("round %d: %s won slot %d, click %v", r.Round, b.Bidder, j, b.Click)
					}
					if j > 1 {
						lower++
					}
					α := weights[j-1]
					var click float64
					if auction == sim.GSP {
						click = bidAt(j + 1)
					} else {
						imp := 0.0
						for i := j + 1; i <= 4; i++ {
							next := 0.0
							if i <= 3 {
								next = weights[i-1]
							}
							imp += (weights[i-2] - next) * bidAt(i)
						}
						click = imp / α
					}
					click = min(click+r.Increment, *b.Bid)
					if math.Abs(*b.Click-click) > 2e-6 || math.Abs(*b.Impression-α**b.Click) > 2e-6 || b.Paid != *b.Impression {
						t.Errorf("round %d: %s slot %d paid %v per click, %v per impression (paid %v); by hand %v per click", r.Round, b.Bidder, j, *b.Click, *b.Impression, b.Paid, click)
					}
					if math.Abs(b.Surplus-(α*b.Value-b.Paid)) > 2e-6 {
						t.Errorf("round %d: %s surplus %v, want α·value − paid = %v", r.Round, b.Bidder, b.Surplus, α*b.Value-b.Paid)
					}
					if sl := r.Slots[j-1]; sl.Bidder != b.Bidder || sl.Click != *b.Click || sl.Weight != α {
						t.Errorf("round %d: slot %d is %+v, bidder row %s", r.Round, j, sl, b.Bidder)
					}
				}
				if holders != len(r.Slots) {
					t.Errorf("round %d: %d winners for %d slots", r.Round, holders, len(r.Slots))
				}
				for _, st := range r.Seats {
					for _, b := range r.Bidders {
						if b.Bidder == st.Bidder && (b.Won != st.Won || b.Slot != st.Slot || math.Abs(b.Surplus-st.Surplus) > 2e-6) {
							t.Errorf("round %d: seat %s won %v slot %d, bidder row won %v slot %d", r.Round, st.Bidder, st.Won, st.Slot, b.Won, b.Slot)
						}
					}
				}
			}
			if lower == 0 {
				t.Fatal("no slot below the first was sold: nothing checked")
			}
			// The reveal and the round line name every slot holder.
			rec := s.Rounds[0]
			lines := strings.Join(Reveal(play.NewStyles(ascii()), rm.Table(), rec, "", 0), "\n")
			line := roundLine(rm.Table(), rec)
			if !strings.HasPrefix(line, "#1 "+auction.String()+", per click: 1. ") {
				t.Errorf("round line %q", line)
			}
			for _, sl := range rec.Result.Slots {
				name := rm.Table().Name(sl.Bidder)
				if !strings.Contains(line, name) {
					t.Errorf("round line %q lacks slot holder %s", line, name)
				}
				imp := fmt.Sprintf("%.3f", sl.Impression.CPM())
				found := false
				for _, l := range strings.Split(lines, "\n") {
					if strings.Contains(l, name) && strings.Contains(l, imp) {
						found = true
					}
				}
				if !found {
					t.Errorf("reveal lacks %s paying %s:\n%s", name, imp, lines)
				}
			}
		})
	}
}

// slotsStudent is ann's screen of w×h in a room of three GSP slots, in
// the first round.
func slotsStudent(t *testing.T, w, h int) (*room.Room, *Student) {
	t.Helper()
	cfg := testRoomConfig(2, 30*time.Second)
	cfg.Sim.Exchange.Auction = sim.GSP
	cfg.Sim.Exchange.Slots = []float64{1, 0.6, 0.3}
	cfg.Clock = fixedClock{epoch}
	rm, _ := runRoom(t, cfg)
	p, err := Join(rm, "ann")
	if err != nil {
		t.Fatal(err)
	}
	m := NewStudent(p, ascii(), func() time.Time { return epoch })
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	feed(t, m, func(s room.State) bool { return s.You.InRound })
	return rm, m
}

// TestScreensShowSlots: with several slots the student's and the
// trainer's screens give the slots' weights, and a student's value is per
// click, not "for this impression".
func TestScreensShowSlots(t *testing.T) {
	rm, m := slotsStudent(t, 120, 40)
	v := m.View()
	for _, want := range []string{"3 slots with click weights 1/0.6/0.3", "Your value per click:"} {
		if !strings.Contains(v, want) {
			t.Errorf("student's screen lacks %q:\n%s", want, v)
		}
	}
	tr := NewTrainer(TrainerOptions{Room: rm, Renderer: ascii()})
	defer tr.cancel()
	watchUntil(t, tr, "round 1", func(s room.State) bool { return s.Round == 1 })
	if v := tr.View(); !strings.Contains(v, "3 slots with click weights 1/0.6/0.3") {
		t.Errorf("trainer's screen lacks the slots:\n%s", v)
	}
}

// TestKickPrompt: k's prompt shows its whole hint, not "name or sea…".
func TestKickPrompt(t *testing.T) {
	rm := quietRoom(t, 2)
	tr := NewTrainer(TrainerOptions{Room: rm, Renderer: ascii()})
	defer tr.cancel()
	watchUntil(t, tr, "the room", func(room.State) bool { return true })
	tr.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	press(tr, "k")
	if v := tr.View(); !strings.Contains(v, "Kick whom? name or seat number") {
		t.Errorf("the kick prompt is cut:\n%s", v)
	}
}

// TestSmallScreenKeepsTheBid: on a terminal too short for the rules of a
// world of slots (four lines at 40 columns), the rules give way and the
// value and the bid field stay on screen: before, they were the lines cut,
// and a student typed a bid into a field they could not see.
func TestSmallScreenKeepsTheBid(t *testing.T) {
	_, m := slotsStudent(t, 40, 10)
	v := m.View()
	if !strings.Contains(v, "Your value per click:") || !strings.Contains(v, "Your bid") {
		t.Errorf("value or bid field off screen at 40×10:\n%s", v)
	}
	for i, l := range strings.Split(v, "\n") {
		if n := len([]rune(l)); n > 40 {
			t.Errorf("line %d is %d wide at 40 columns: %q", i, n, l)
		}
	}
	if n := strings.Count(v, "\n") + 1; n > 10 {
		t.Errorf("%d lines at 40×10:\n%s", n, v)
	}
}
