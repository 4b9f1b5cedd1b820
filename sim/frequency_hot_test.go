package sim

import (
	"math/rand/v2"
	"testing"
)

// The hot words answer blocks and full exactly as the rows alone do,
// through holds, impressions, ghosts, live caps and windows changed, and
// times within one coarse slot of the cap's end (where the row is read).
func TestHotWordsAgreeWithRows(t *testing.T) {
	const people = 6
	r := rand.New(rand.NewPCG(7, 21))
	caps := []*FrequencyCap{{Impressions: 3, Per: 3 << freeShift}, nil, {Impressions: 1, Per: 10_000}}
	freqs := []*frequency{{}, {}, {}}
	newPersonTable(people, caps, []bool{true, false, false}, []bool{false, false, false}, freqs)
	held := make([][]int, len(freqs)) // the bids in flight, kept apart
	for i := range held {
		held[i] = make([]int, people+1)
	}
	now := Time(0)
	sure, unsure := 0, 0
	for step := range 200_000 {
		p := uint32(1 + r.IntN(people))
		i := r.IntN(len(freqs))
		f := freqs[i]
		switch op := r.IntN(100); {
		case op < 30:
			f.hold(p)
			held[i][p]++
		case op < 55:
			if held[i][p] > 0 {
				f.release(p)
				held[i][p]--
			}
		case op < 85:
			f.saw(p, now)
		case op < 95:
			f.ghost(p, now)
		case op < 97:
			// A live cap: new columns, or the same with a new window.
			c := &FrequencyCap{Impressions: 1 + r.IntN(4), Per: Time(1 + r.IntN(40_000))}
			if r.IntN(4) == 0 {
				c = nil
			}
			if k, per := capOf(c); k == f.k {
				f.per = per
				for q := range people {
					f.refree(uint32(q + 1))
				}
			} else {
				relayout(freqs, i, c)
			}
		default:
			now += Time(r.IntN(50_000)) // a jump past windows
		}
		now += Time(r.IntN(3_000))
		for j, g := range freqs {
			if g.k == 0 {
				continue
			}
			for q := uint32(1); q <= people; q++ {
				if h := int(*g.hotWord(q) & heldMask); h != held[j][q] {
					t.Fatalf("step %d: bidder %d person %d holds %d, want %d", step, j, q, h, held[j][q])
				}
				// now, and around the slot the cap's end falls in.
				for _, at := range []Time{now, now + Time(r.IntN(1<<freeShift)), now + Time(r.IntN(40_000))} {
					if _, ok := fullHot(*g.hotWord(q), at); ok {
						sure++
					} else {
						unsure++
					}
					want := held[j][q] >= g.k || g.within(q, g.k-held[j][q], at)
					if got := g.blocks(q, at); got != want {
						t.Fatalf("step %d: bidder %d person %d at %d: blocks %v, the row says %v", step, j, q, at, got, want)
					}
					if got, want := g.full(q, at), g.within(q, g.k, at); got != want {
						t.Fatalf("step %d: bidder %d person %d at %d: full %v, the row says %v", step, j, q, at, got, want)
					}
				}
			}
		}
	}
	// Both ways were taken, the coarse time's and the row's.
	if sure < 1000 || unsure < 1000 {
		t.Errorf("%d answers from the hot word, %d from the row: the test proves little", sure, unsure)
	}
}

// Drawing people ahead draws the same people in the same order as a
// draw of the stream's next number would, with a skew and without, and
// a clone goes on as its original does.
func TestPeopleDrawAheadSamePeople(t *testing.T) {
	for _, u := range []Users{{Count: 1000, Skew: 1}, {Count: 77}} {
		p := newPeople(5, &u)
		r := newStream(5, "traffic/people")
		for i := range 10_000 {
			if i == 5000 {
				c := p.clone()
				for j := range 100 {
					if a, b := c.draw(), p.draw(); a != b {
						t.Fatalf("%+v: clone's draw %d is person %d, its original's %d", u, j, a, b)
					}
					_ = p.of(r.Uint64())
				}
			}
			if got, want := p.draw(), p.of(r.Uint64()); got != want {
				t.Fatalf("%+v: draw %d is person %d, the stream's number draws %d", u, i, got, want)
			}
		}
	}
}
