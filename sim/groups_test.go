package sim

import (
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// groupWorld is five bidders: acme-a and acme-b (budgeted) and acme-c
// (unlimited) in group acme, solo in group one, and rival in none.
func groupWorld() Config {
	cfg := world(5, Uniform(0, 2))
	cfg.Horizon = 20 * Second
	names := []string{"acme-a", "acme-b", "acme-c", "solo", "rival"}
	groups := []string{"acme", "acme", "acme", "one", ""}
	for i := range cfg.Bidders {
		b := &cfg.Bidders[i]
		b.Name, b.Group = names[i], groups[i]
		b.Outcome = &Outcome{CTR: 0.1, CVR: 0.2, OrderValue: MoneyOf(3), BaselineCVR: 0.02, Delay: Constant(float64(Second))}
	}
	cfg.Bidders[0].Budget = &Budget{Total: MoneyOf(5), Pacing: PacingMultiplier}
	cfg.Bidders[1].Budget = &Budget{Total: MoneyOf(3)}
	cfg.Bidders[3].Budget = &Budget{Total: MoneyOf(1000)}
	return cfg
}

// TestGroupSums checks each group against sums of its members' counters,
// and its ratios against ratios of those sums.
func TestGroupSums(t *testing.T) {
	s := snapshotAt(t, groupWorld(), 20*Second)
	if len(s.Groups) != 2 || s.Groups[0].Name != "acme" || s.Groups[1].Name != "one" {
		t.Fatalf("groups %+v, want acme then one", s.Groups)
	}
	for _, g := range s.Groups {
		var want GroupStats
		want.Name = g.Name
		for _, b := range s.Bidders {
			if b.Group != g.Name {
				continue
			}
			want.Members = append(want.Members, b.Name)
			if b.Unlimited {
				want.Unlimited++
				want.Uncapped++ // groupWorld has no daily budget
			} else {
				want.Budget += b.Budget
				want.Unspent += b.Budget - b.Spend
			}
			want.Spend += b.Spend
			want.Wins += b.Wins
			want.Conversions += b.Conversions + b.Organic
			// Without people the truth is the caused conversions.
			want.IncrementalConversions += int64(b.Conversions)
			want.CausedConversions += b.Conversions
			want.WithoutAdConversions += b.Organic // without people, the organic ones
			want.PendingConversions += b.Pending
			want.AttributedValue += b.ValueCaused + b.ValueOrgan - b.ValueUnattributed
			want.IncrementalValue += b.ValueCaused
			want.CausedValue += b.ValueCaused
			// Eventual: the pending conversions counted as matured,
			// by kind, at the order value.
			ev, v := &want.Eventual, b.OrderValue
			caused, organic := b.Conversions+b.PendingCaused, b.Organic+b.Pending-b.PendingCaused
			ev.Conversions += caused + organic - b.Unattributed - b.PendingUnattributed
			ev.CausedConversions += caused
			ev.OrganicConversions += organic
			ev.WithoutAdConversions += organic
			ev.IncrementalConversions += int64(caused)
			ev.AttributedValue += b.ValueCaused + b.ValueOrgan - b.ValueUnattributed + v*Money(b.Pending-b.PendingUnattributed)
			ev.CausedValue += b.ValueCaused + v*Money(b.PendingCaused)
			ev.IncrementalValue += b.ValueCaused + v*Money(b.PendingCaused)
		}
		if !slices.Equal(g.Members, want.Members) {
			t.Fatalf("%s: members %v, want %v", g.Name, g.Members, want.Members)
		}
		g.Members, want.Members = nil, nil
		if !reflect.DeepEqual(g, want) {
			t.Errorf("%s: %+v\nwant %+v", g.Name, g, want)
		}
		if g.Spend == 0 || g.Conversions == 0 {
			t.Fatalf("%s: nothing to add up: %+v", g.Name, g)
		}
		if got, w := g.AttributedROAS(), want.AttributedValue.Float()/want.Spend.Float(); got != w {
			t.Errorf("%s: attributed ROAS %g, want %g", g.Name, got, w)
		}
		if got, w := g.IncrementalROAS(), want.IncrementalValue.Float()/want.Spend.Float(); got != w {
			t.Errorf("%s: incremental ROAS %g, want %g", g.Name, got, w)
		}
		if got, w := g.CausedROAS(), want.CausedValue.Float()/want.Spend.Float(); got != w {
			t.Errorf("%s: caused ROAS %g, want %g", g.Name, got, w)
		}
	}
	acme, _ := s.FindGroup("acme")
	if acme.Budget != MoneyOf(8) || acme.Unlimited != 1 {
		t.Errorf("acme budget %v with %d unlimited, want 8 and 1", acme.Budget.Float(), acme.Unlimited)
	}
	if _, ok := s.FindGroup("rival"); ok {
		t.Error("a bidder without a group made a group")
	}
}

// TestGroupDailyBudgets: a member with a daily budget alone adds it to
// the group's Daily, and its day in progress to Today, rather than
// leaving the group uncapped; one with neither budget is Uncapped.
func TestGroupDailyBudgets(t *testing.T) {
	cfg := groupWorld()
	cfg.Bidders[2].Budget = &Budget{Daily: MoneyOf(4)} // acme-c
	e := mustNew(t, cfg)
	e.RunUntil(20 * Second)
	s := e.Snapshot()
	acme, _ := s.FindGroup("acme")
	c, _ := s.FindBidder("acme-c")
	if len(c.Days) != 1 || c.Days[0].Spend == 0 {
		t.Fatalf("acme-c's days %+v", c.Days)
	}
	if acme.Budget != MoneyOf(8) || acme.Unlimited != 1 || acme.Daily != MoneyOf(4) || acme.Uncapped != 0 ||
		acme.Today != (DaySpend{Day: 0, Spend: c.Days[0].Spend, Budget: MoneyOf(4)}) {
		t.Errorf("acme: budget %v, %d unlimited, daily %v, %d uncapped, today %+v; want 8, 1, 4, 0 and acme-c's day %+v",
			acme.Budget.Float(), acme.Unlimited, acme.Daily.Float(), acme.Uncapped, acme.Today, c.Days[0])
	}
	cfg.Bidders[2].Budget = nil
	e = mustNew(t, cfg)
	e.RunUntil(Second)
	if acme, _ := e.Snapshot().FindGroup("acme"); acme.Daily != 0 || acme.Uncapped != 1 {
		t.Errorf("acme without acme-c's daily budget: daily %v, %d uncapped; want 0 and 1", acme.Daily.Float(), acme.Uncapped)
	}
}

// TestGroupROASUndefined: a group that spent nothing has NaN ratios.
func TestGroupROASUndefined(t *testing.T) {
	cfg := groupWorld()
	cfg.Bidders[3].Disabled = true
	e := mustNew(t, cfg)
	e.RunUntil(Second)
	g, ok := e.Snapshot().FindGroup("one")
	if !ok || g.Spend != 0 {
		t.Fatalf("group one: %+v", g)
	}
	if !math.IsNaN(g.AttributedROAS()) || !math.IsNaN(g.IncrementalROAS()) {
		t.Errorf("ROAS of nothing spent: %g, %g; want NaN", g.AttributedROAS(), g.IncrementalROAS())
	}
}

// TestUnspentFlags runs worlds built to leave budget unspent for each
// reason, and one that spends it, to the horizon.
func TestUnspentFlags(t *testing.T) {
	const horizon = 20 * Second
	base := func() Config {
		cfg := world(3, Uniform(1, 2))
		cfg.Horizon = horizon
		cfg.Bidders[0].Budget = &Budget{Total: MoneyOf(2), Pacing: PacingMultiplier}
		return cfg
	}
	cases := []struct {
		name  string
		setup func(*Config)
		poke  func(*Engine) // state forced at the end, for the controller's bounds
		want  UnspentReason
	}{
		{"spends its budget", func(*Config) {}, nil, UnspentNone},
		{"below market", func(c *Config) { c.Bidders[0].Value = Uniform(0, 0.5) }, nil, UnspentBelowMarket},
		{"late", func(c *Config) { c.Bidders[0].Latency = Constant(float64(200 * Millisecond)) }, nil, UnspentLate},
		{"disabled", func(c *Config) { c.Bidders[0].Disabled = true }, nil, UnspentDisabled},
		{"multiplier at its cap", func(*Config) {}, func(e *Engine) {
			e.bidders[0].budget = MoneyOf(1000) // far ahead of what it can spend
			e.bidders[0].mu = e.maxMu
		}, UnspentPacingBound},
		{"throttle at its floor", func(c *Config) { c.Bidders[0].Budget.Pacing = PacingThrottle }, func(e *Engine) {
			e.bidders[0].budget = MoneyOf(1000)
			e.bidders[0].throttle = minThrottle
		}, UnspentPacingBound},
		// Throttle pacing sat out most requests to spend 2 evenly; with
		// the budget raised at the end, it is far behind.
		{"throttled", func(c *Config) { c.Bidders[0].Budget.Pacing = PacingThrottle }, func(e *Engine) {
			e.bidders[0].budget = MoneyOf(1000)
		}, UnspentThrottled},
		// One impression a person per minute among 20 people: the cap, not
		// its values, holds its spend (it was called below_market).
		{"frequency-capped", func(c *Config) {
			c.Traffic.Users = &Users{Count: 20}
			c.Bidders[0].Value = Uniform(3, 4)
			c.Bidders[0].FrequencyCap = &FrequencyCap{Impressions: 1, Per: Minute}
		}, nil, UnspentCapped},
		// Its incrementality test holds back every request: the test,
		// not its values, keeps it from spending (it was called
		// below_market); a tenth held out still spends it.
		{"held out", func(c *Config) {
			c.Bidders[0].Outcome = &Outcome{CTR: 0.01, CVR: 0.1, OrderValue: MoneyOf(50), Holdout: 1}
		}, nil, UnspentHeldOut},
		{"a tenth held out", func(c *Config) {
			c.Bidders[0].Outcome = &Outcome{CTR: 0.01, CVR: 0.1, OrderValue: MoneyOf(50), Holdout: 0.1}
		}, nil, UnspentNone},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := base()
			c.setup(&cfg)
			e := mustNew(t, cfg)
			e.RunUntil(horizon)
			if c.poke != nil {
				c.poke(e)
			}
			b := e.Snapshot().Bidders[0]
			t.Logf("spent %.3f of %.3f; wins %d of %d requests, late %d, throttled %d; %v",
				b.Spend.Float(), b.Budget.Float(), b.Wins, b.BidRequests, b.Late, b.Throttled, b.Unspent.Explain())
			if b.Unspent != c.want {
				t.Errorf("flag %q, want %q", b.Unspent, c.want)
			}
		})
	}
}

// TestUnspentHeldOutWhy: the held-out flag says what the test held
// back exactly: all of the bid requests with a holdout of 1, by request
// and by person; more than half below 1.
func TestUnspentHeldOutWhy(t *testing.T) {
	const horizon = 20 * Second
	for _, c := range []struct {
		name   string
		share  float64
		people bool
		want   string
	}{
		{"all, by request", 1, false, "held back all of its bid requests"},
		{"all, by person", 1, true, "held back all of its bid requests"},
		{"most", 0.8, false, "held back more than half of its bid requests"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := world(3, Uniform(1, 2))
			cfg.Horizon = horizon
			cfg.Bidders[0].Budget = &Budget{Total: MoneyOf(2), Pacing: PacingMultiplier}
			cfg.Bidders[0].Outcome = &Outcome{CTR: 0.01, CVR: 0.1, OrderValue: MoneyOf(50), Holdout: c.share}
			if c.people {
				cfg.Traffic.Users = &Users{Count: 200}
			}
			b := snapshotAt(t, cfg, horizon).Bidders[0]
			if b.Unspent != UnspentHeldOut || b.Holdout == nil {
				t.Fatalf("flag %q, holdout %v: want held_out", b.Unspent, b.Holdout)
			}
			if got := b.UnspentWhy(); !strings.Contains(got, c.want) {
				t.Errorf("UnspentWhy %q, want %q", got, c.want)
			}
			if b.Unspent.String() != "held_out" {
				t.Errorf("the JSON's reason %q, want held_out", b.Unspent.String())
			}
		})
	}
	if got := (BidderStats{Unspent: UnspentLate}).UnspentWhy(); got != UnspentLate.Explain() {
		t.Errorf("another reason: %q, want its Explain", got)
	}
}

// TestUnspentFollowsSchedule: before the horizon a paced bidder on an even
// schedule is not flagged; one far behind it is.
func TestUnspentFollowsSchedule(t *testing.T) {
	cfg := world(3, Uniform(1, 2))
	cfg.Horizon = 20 * Second
	// Throttle pacing keeps to the even schedule from the start;
	// multiplier pacing's start-up search spends little while it looks
	// for μ, and then spreads the rest evenly, so at half time it is
	// behind the schedule from the start.
	cfg.Bidders[0].Budget = &Budget{Total: MoneyOf(2), Pacing: PacingThrottle}
	cfg.Bidders[1].Budget = &Budget{Total: MoneyOf(2), Pacing: PacingMultiplier}
	cfg.Bidders[1].Value = Uniform(0, 0.3)
	s := snapshotAt(t, cfg, 10*Second)
	if got := s.Bidders[0].Unspent; got != UnspentNone {
		t.Errorf("on schedule at half time (spent %.3f of 2): flagged %q", s.Bidders[0].Spend.Float(), got)
	}
	if got := s.Bidders[1].Unspent; got != UnspentBelowMarket {
		t.Errorf("behind schedule at half time (spent %.3f of 2): flagged %q, want below_market", s.Bidders[1].Spend.Float(), got)
	}
	if got := s.Bidders[2].Unspent; got != UnspentNone {
		t.Errorf("unlimited bidder flagged %q", got)
	}
}

// TestUnspentDailyAlone: a daily budget alone (no total) is flagged when
// the days completed spent less than their budgets by more than 5%, with
// the reason as for a total (it was never flagged: a line item held to a
// third of its days' budgets by its values read as on plan); the day in
// progress is not judged, and one that spends its days is not flagged.
func TestUnspentDailyAlone(t *testing.T) {
	cfg := world(3, Uniform(1, 2))
	cfg.Traffic.QPS = 0.2
	cfg.Horizon = 3 * Day
	cfg.Bidders[0].Budget = &Budget{Daily: MoneyOf(0.5)}
	cfg.Bidders[1].Budget = &Budget{Daily: MoneyOf(50)}
	cfg.Bidders[1].Value = Uniform(0, 0.3)
	e := mustNew(t, cfg)
	e.RunUntil(Day / 2)
	s := e.Snapshot()
	if got := s.Bidders[1].Unspent; got != UnspentNone {
		t.Errorf("within its first day: flagged %q", got)
	}
	e.RunUntil(2 * Day)
	s = e.Snapshot()
	for i, want := range []UnspentReason{UnspentNone, UnspentBelowMarket, UnspentNone} {
		b := s.Bidders[i]
		t.Logf("%s: days %+v: %v", b.Name, b.Days, b.Unspent)
		if b.Unspent != want {
			t.Errorf("%s after 2 days: flagged %q, want %q", b.Name, b.Unspent, want)
		}
	}
	if s.Bidders[0].Days[0].Spend < MoneyOf(0.45) {
		t.Fatalf("b0 spent %v of 0.5 on its first day: the test needs it to spend its days", s.Bidders[0].Days[0].Spend.Float())
	}
}

// TestGroupDailySum: every member's daily budget adds to the group's
// daily sum, beside a total or not; Daily adds up only those without one.
func TestGroupDailySum(t *testing.T) {
	cfg := world(3, Uniform(1, 2))
	for i := range cfg.Bidders {
		cfg.Bidders[i].Group = "g"
	}
	cfg.Bidders[0].Budget = &Budget{Daily: MoneyOf(30)}
	cfg.Bidders[1].Budget = &Budget{Daily: MoneyOf(25), Total: MoneyOf(100)}
	g := snapshotAt(t, cfg, Second).Groups[0]
	if g.DailySum != MoneyOf(55) || g.Daily != MoneyOf(30) || g.Budget != MoneyOf(100) {
		t.Errorf("daily sum %v, daily %v, budget %v; want 55, 30, 100", g.DailySum.Float(), g.Daily.Float(), g.Budget.Float())
	}
}
