package sim

import (
	"math/rand/v2"
	"testing"
)

// TestSeriesDaySpend: each series point carries, for a bidder with a
// daily budget, its spend of the day holding the point's end and that
// day's budget. Against a reference added up from the points' own spend
// (intervals that divide a day, so no point straddles a midnight, with
// and without the series merging its points), at any traffic scale and
// across a live daily budget: the day's spend so far is the sum of the
// day's points up to it, the last point of a day holds the day's whole
// spend (bidders[].days), it never passes the day's budget, and a bidder
// without a daily budget has neither.
func TestSeriesDaySpend(t *testing.T) {
	r := rand.New(rand.NewPCG(26, 3))
	widths := []Time{Hour, 20 * Minute, Minute} // a minute over 2+ days merges points
	for w := range 9 {
		days := 2 + r.IntN(2)
		cfg := dailyWorld(uint64(w), days, Budget{Daily: MoneyOf(2 + 6*r.Float64()), Pacing: PacingKind(r.IntN(3))}, nil)
		cfg.Interval = widths[w%len(widths)]
		if w%2 == 1 {
			cfg.Traffic.QPS *= 10
			cfg.Traffic.Scale = 10
		}
		e, err := New(cfg)
		if err != nil {
			t.Fatalf("world %d: %v", w, err)
		}
		changed := Day + 9*Hour
		e.RunUntil(changed)
		before := e.Snapshot().Bidders[0].Days[1].Spend // may pass the new budget
		set := MoneyOf(1 + 4*r.Float64())
		if err := e.Apply(SetDaily{Bidder: "b", Daily: set}); err != nil {
			t.Fatal(err)
		}
		e.RunUntil(Time(days)*Day - Hour)
		s := e.Snapshot()
		if Day%s.Series.Width != 0 {
			t.Fatalf("world %d: width %v does not divide a day", w, s.Series.Width)
		}
		if cfg.Interval == Minute && s.Series.Width == Minute {
			t.Errorf("world %d: the series never merged its points", w)
		}
		b := s.Bidders[0]
		var sum Money
		day, whole := 0, 0
		for k, p := range s.Series.Points {
			bp := p.Bidders[0]
			if d := int(p.Start / Day); d != day {
				day, sum = d, 0
			}
			sum += bp.Spend
			if bp.DaySpend != sum {
				t.Errorf("world %d point %d (day %d): day spend %v, the day's points add up to %v", w, k, day, bp.DaySpend, sum)
			}
			allowed := bp.DailyBudget
			if day == 1 {
				allowed = max(allowed, before) // spent before the budget was cut
			}
			if bp.DailyBudget != b.Days[day].Budget || bp.DaySpend > allowed {
				t.Errorf("world %d point %d (day %d): %v of %v, the day's budget %v", w, k, day, bp.DaySpend, bp.DailyBudget, b.Days[day].Budget)
			}
			if (p.Start+s.Series.Width)%Day == 0 || k == len(s.Series.Points)-1 {
				whole++
				if bp.DaySpend != b.Days[day].Spend {
					t.Errorf("world %d point %d ends day %d at %v spent, the day spent %v", w, k, day, bp.DaySpend, b.Days[day].Spend)
				}
			}
			if rb := p.Bidders[1]; rb.DaySpend != 0 || rb.DailyBudget != 0 {
				t.Errorf("world %d point %d: the rival, without a daily budget, has %v of %v", w, k, rb.DaySpend, rb.DailyBudget)
			}
		}
		if whole != days {
			t.Errorf("world %d: %d points end a day of %d", w, whole, days)
		}
		// As set, at any scale (TestScaledDailyBudgetAsGiven).
		want := set
		if last := s.Series.Points[len(s.Series.Points)-1].Bidders[0]; last.DailyBudget != want || b.Days[1].Budget != want {
			t.Errorf("world %d: after a daily budget of %v the series says %v, the days %v", w, set, last.DailyBudget, b.Days[1].Budget)
		}
		if b.Days[1].Spend == 0 || b.Days[0].Spend == 0 {
			t.Errorf("world %d: nothing spent: %v", w, b.Days)
		}
		// The recent window ends where the series does.
		if rw := s.RecentWindow(); rw.Bidders[0].DaySpend != b.Days[len(b.Days)-1].Spend {
			t.Errorf("world %d: the recent window's day spend %v, the day's %v", w, rw.Bidders[0].DaySpend, b.Days[len(b.Days)-1].Spend)
		}
	}
}

// TestSeriesDaySpendStraddles: with intervals that do not divide a day,
// a point that straddles a midnight holds the new day's spend by its end
// (0 when it won nothing after midnight), and within a day the spend
// only grows; the last point holds the day in progress's spend.
func TestSeriesDaySpendStraddles(t *testing.T) {
	cfg := dailyWorld(4, 3, Budget{Daily: MoneyOf(5), Pacing: PacingMultiplier}, nil)
	cfg.Interval = 7 * Minute
	s := snapshotAt(t, cfg, 3*Day-2*Hour)
	b := s.Bidders[0]
	var prev Money
	prevDay, straddled := 0, 0
	for k, p := range s.Series.Points {
		end := min(p.Start+s.Series.Width, s.Now)
		day := int((end - 1) / Day)
		bp := p.Bidders[0]
		if day != prevDay {
			prev, prevDay = 0, day
			if int(p.Start/Day) != day {
				straddled++
				if bp.DaySpend > bp.Spend {
					t.Errorf("point %d straddles midnight: %v of the new day, %v in the whole point", k, bp.DaySpend, bp.Spend)
				}
			}
		}
		if bp.DaySpend < prev || bp.DaySpend > b.Days[day].Spend || bp.DailyBudget != b.Days[day].Budget {
			t.Errorf("point %d (day %d): day spend %v after %v, the day spent %v of %v", k, day, bp.DaySpend, prev, b.Days[day].Spend, bp.DailyBudget)
		}
		prev = bp.DaySpend
	}
	if straddled != 2 {
		t.Errorf("%d points straddle a midnight, want 2", straddled)
	}
	if last := s.Series.Points[len(s.Series.Points)-1].Bidders[0]; last.DaySpend != b.Days[2].Spend || last.DaySpend == 0 {
		t.Errorf("the last point's day spend %v, the day in progress %v", last.DaySpend, b.Days[2].Spend)
	}
}
