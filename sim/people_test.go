package sim

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// The draw gives person k a share of requests proportional to k^−skew:
// a chi-square test of the counts against the Zipf law, and a test that
// fails it against the wrong law.
func TestPeopleZipfShares(t *testing.T) {
	for _, skew := range []float64{0, 0.7, 1, 1.8} {
		const n, draws = 40, 400_000
		p := newPeople(7, &Users{Count: n, Skew: skew}, 1)
		counts := make([]float64, n)
		for range draws {
			k := p.draw()
			if k < 1 || k > n {
				t.Fatalf("skew %g: person %d outside 1 … %d", skew, k, n)
			}
			counts[k-1]++
		}
		chi := func(s float64) float64 {
			sum := 0.0
			for k := range n {
				sum += math.Pow(float64(k+1), -s)
			}
			x := 0.0
			for k := range n {
				want := draws * math.Pow(float64(k+1), -s) / sum
				x += (counts[k] - want) * (counts[k] - want) / want
			}
			return x
		}
		// 39 degrees of freedom: the 99.9th percentile is about 72.
		if x := chi(skew); x > 72 {
			t.Errorf("skew %g: χ² = %.1f against its own law", skew, x)
		}
		if x := chi(skew + 0.1); x < 72 {
			t.Errorf("skew %g: χ² = %.1f against skew %g: the test cannot tell them apart", skew, x, skew+0.1)
		}
	}
}

// peopleWorld is a world with people and one capped bidder among
// uncapped ones.
func peopleWorld(users Users, cap FrequencyCap) Config {
	cfg := world(3, Uniform(0.5, 1.5))
	cfg.Traffic.Users = &users
	for i := range cfg.Bidders {
		cfg.Bidders[i].Latency = LogNormalMedianP99(float64(30*Millisecond), float64(90*Millisecond))
	}
	cfg.Bidders[0].FrequencyCap = &cap
	cfg.Bidders[0].Value = Uniform(1, 2) // it wins most auctions it bids in
	return cfg
}

// People are drawn on their own stream: a world without caps draws every
// other number as without people, so every counter but the frequencies
// is the same.
func TestPeopleLeaveTheWorldAsItWas(t *testing.T) {
	with := peopleWorld(Users{Count: 100, Skew: 1}, FrequencyCap{})
	with.Bidders[0].FrequencyCap = nil
	without := with
	without.Traffic.Users = nil
	a, b := mustNew(t, with), mustNew(t, without)
	a.RunAuctions(5000)
	b.RunAuctions(5000)
	sa, sb := a.Snapshot(), b.Snapshot()
	if sa.Exchange != sb.Exchange {
		t.Errorf("exchange differs with people:\n%+v\n%+v", sa.Exchange, sb.Exchange)
	}
	for i := range sa.Bidders {
		x, y := sa.Bidders[i], sb.Bidders[i]
		if x.Wins != y.Wins || x.Spend != y.Spend || x.NoBids != y.NoBids {
			t.Errorf("%s differs with people: %d/%v vs %d/%v", x.Name, x.Wins, x.Spend, y.Wins, y.Spend)
		}
		if x.Frequency == nil || y.Frequency != nil {
			t.Fatalf("%s: frequency %v with people, %v without", x.Name, x.Frequency, y.Frequency)
		}
		if f := x.Frequency; f.PeopleReached == 0 || f.PeopleReached > 100 || math.Abs(f.MeanPerPerson*float64(f.PeopleReached)-float64(x.Wins)) > 1e-6 {
			t.Errorf("%s: %+v for %d wins", x.Name, *f, x.Wins)
		}
	}
	if sa.Recent[0].Person == 0 || sb.Recent[0].Person != 0 {
		t.Errorf("persons %d with people, %d without", sa.Recent[0].Person, sb.Recent[0].Person)
	}
}

// No person ever sees more than a cap's impressions within its window, in
// random worlds: checked against every auction's record (kept in full),
// not only against the engine's own count.
func TestFrequencyCapNeverExceeded(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 21))
	worlds := 200
	if testing.Short() {
		worlds = 20
	}
	bound := 0
	for w := range worlds {
		k := 1 + r.IntN(5)
		per := Time(1+r.IntN(20)) * 100 * Millisecond
		cfg := peopleWorld(Users{Count: 5 + r.IntN(200), Skew: r.Float64() * 2}, FrequencyCap{Impressions: k, Per: per})
		cfg.Seed = r.Uint64()
		cfg.Traffic.QPS = float64(200 + r.IntN(3000))
		cfg.Exchange.HoldOpen = r.IntN(2) == 0
		if r.IntN(3) == 0 {
			cfg.Exchange.Auction = FirstPrice
		}
		if r.IntN(3) == 0 {
			cfg.Bidders[0].Outcome = &Outcome{CTR: 0.1, CVR: 0.5, BaselineCVR: 0.01, Delay: Exponential(float64(Second)), ConversionPeriod: Time(r.IntN(3)) * Second}
		}
		slots := r.IntN(4) == 0
		if slots {
			cfg.Exchange.Auction, cfg.Exchange.Slots = GSP, []float64{1, 0.5}
		}
		const auctions = 4000
		cfg.Recent = auctions
		e := mustNew(t, cfg)
		e.RunAuctions(auctions)
		s := e.Snapshot()
		f := s.Bidders[0].Frequency
		if f == nil || f.Cap == nil || f.Cap.Impressions != k {
			t.Fatalf("world %d: frequency %+v", w, f)
		}
		if f.MaxInWindow > uint64(k) {
			t.Errorf("world %d: max_in_window %d > cap %d", w, f.MaxInWindow, k)
		}
		// Every impression of bidder 0, by person, in close order.
		seen := map[uint32][]Time{}
		wins := 0
		for _, rec := range s.Recent {
			won := rec.Winner == 0
			for _, s := range rec.Slots {
				won = won || s.Bidder == 0
			}
			if !won || rec.Abandoned {
				continue
			}
			wins++
			times := append(seen[rec.Person], rec.Close)
			seen[rec.Person] = times
			in := 0
			for _, t0 := range times {
				if t0 > rec.Close-per {
					in++
				}
			}
			if in > k {
				t.Errorf("world %d: person %d saw %d impressions within %v, cap %d", w, rec.Person, in, per, k)
			}
		}
		if uint64(wins) != s.Bidders[0].Wins || len(s.Recent) != auctions {
			t.Fatalf("world %d: %d wins in the records, %d counted (%d records)", w, wins, s.Bidders[0].Wins, len(s.Recent))
		}
		if uint64(len(seen)) != f.PeopleReached {
			t.Errorf("world %d: %d people in the records, %d reached", w, len(seen), f.PeopleReached)
		}
		if f.Capped > 0 && f.MaxInWindow == uint64(k) {
			bound++
		}
	}
	if bound < worlds/2 {
		t.Errorf("the cap bound in only %d of %d worlds: the test proves little", bound, worlds)
	}
}

// A cap of one impression over the whole run: each person reached sees
// exactly one, and the bidder declines people it has reached with
// OpenRTB's reason.
func TestFrequencyCapOnePerRun(t *testing.T) {
	cfg := peopleWorld(Users{Count: 300}, FrequencyCap{Impressions: 1, Per: 10 * Hour})
	e := mustNew(t, cfg)
	e.RunAuctions(20_000)
	s := e.Snapshot()
	b := s.Bidders[0]
	if b.Wins != b.Frequency.PeopleReached || b.Frequency.MeanPerPerson != 1 {
		t.Errorf("%d wins for %d people reached (mean %g)", b.Wins, b.Frequency.PeopleReached, b.Frequency.MeanPerPerson)
	}
	if b.Wins < 250 || b.Frequency.Capped < 10_000 {
		t.Errorf("%d wins, %d capped: the cap did not bind as it should", b.Wins, b.Frequency.Capped)
	}
	capped := 0
	for _, rec := range s.Recent {
		if r := rec.Responses[0]; r.Status == NoBid && r.Reason == FrequencyCapped {
			capped++
		}
	}
	if capped == 0 {
		t.Error("no recent auction shows a frequency-capped no-bid")
	}
}

// Lowering and raising a cap live keeps people's recent impressions: the
// new cap holds from the change on.
func TestFrequencyCapLive(t *testing.T) {
	cfg := peopleWorld(Users{Count: 50}, FrequencyCap{Impressions: 5, Per: 2 * Second})
	cfg.Recent = 25_000
	e := mustNew(t, cfg)
	e.RunAuctions(3000)
	before := e.Snapshot().Bidders[0].Frequency
	if before.MaxInWindow != 5 {
		t.Fatalf("the cap of 5 did not bind: %+v", *before)
	}
	if err := e.Apply(SetFrequencyCap{Bidder: "b0", Cap: &FrequencyCap{Impressions: 2, Per: 2 * Second}}); err != nil {
		t.Fatal(err)
	}
	// From here on no window may hold more than 2, even with the bids
	// in flight at the change: rebuild from the record.
	from := e.Now()
	e.RunAuctions(20_000)
	s := e.Snapshot()
	seen := map[uint32][]Time{}
	for _, rec := range s.Recent {
		if rec.Winner != 0 || rec.Abandoned {
			continue
		}
		seen[rec.Person] = append(seen[rec.Person], rec.Close)
		if rec.Close < from {
			continue
		}
		in := 0
		for _, t0 := range seen[rec.Person] {
			if t0 > rec.Close-2*Second {
				in++
			}
		}
		if in > 2 {
			t.Fatalf("person %d saw %d within 2s after the cap fell to 2", rec.Person, in)
		}
	}
	if f := s.Bidders[0].Frequency; f.Cap.Impressions != 2 || f.MaxInWindow != 2 {
		t.Errorf("cap %v, most in a window %d after the change", f.Cap, f.MaxInWindow)
	}
	if err := e.Apply(SetFrequencyCap{Bidder: "b1", Cap: &FrequencyCap{Impressions: 0, Per: Second}}); err == nil {
		t.Error("a cap of 0 impressions was accepted")
	}
	if err := e.Apply(SetFrequencyCap{Bidder: "b1", Cap: &FrequencyCap{Impressions: 3, Per: Second}}); err != nil {
		t.Errorf("a cap for an uncapped bidder: %v", err)
	}
	e.RunAuctions(2000)
	if f := e.Snapshot().Bidders[1].Frequency; f.Cap == nil || f.MaxInWindow > 3 {
		t.Errorf("b1 after its cap: %+v", *f)
	}
	if err := e.SetRemote(&fixedRemote{answers: map[int]RemoteAnswer{}}, "b2"); err != nil {
		t.Fatal(err)
	}
	if err := e.Apply(SetFrequencyCap{Bidder: "b2", Cap: &FrequencyCap{Impressions: 1, Per: Second}}); err == nil || !strings.Contains(err.Error(), "endpoint") {
		t.Errorf("a cap for a remote bidder: %v", err)
	}
	noPeople := world(2, Uniform(0, 1))
	e2 := mustNew(t, noPeople)
	if err := e2.Apply(SetFrequencyCap{Bidder: "b0", Cap: &FrequencyCap{Impressions: 1, Per: Second}}); err == nil || !strings.Contains(err.Error(), "traffic.users") {
		t.Errorf("a cap without people: %v", err)
	}
}

// A run with people and caps is replayed exactly from its change log,
// and a clone runs on exactly as the original.
func TestFrequencyCapReplayAndClone(t *testing.T) {
	cfg := peopleWorld(Users{Count: 80, Skew: 0.8}, FrequencyCap{Impressions: 3, Per: Second})
	e := mustNew(t, cfg)
	e.RunAuctions(1000)
	if err := e.Apply(SetFrequencyCap{Bidder: "b0", Cap: &FrequencyCap{Impressions: 1, Per: 3 * Second}}); err != nil {
		t.Fatal(err)
	}
	c := e.Clone()
	e.RunAuctions(3000)
	c.RunAuctions(3000)
	want := fmt.Sprintf("%+v", *e.Snapshot().Bidders[0].Frequency)
	if got := fmt.Sprintf("%+v", *c.Snapshot().Bidders[0].Frequency); got != want {
		t.Errorf("clone: %s, original %s", got, want)
	}
	cfg.Replay = e.ChangeLog()
	r := mustNew(t, cfg)
	r.RunAuctions(4000)
	if got := fmt.Sprintf("%+v", *r.Snapshot().Bidders[0].Frequency); got != want {
		t.Errorf("replay: %s, original %s", got, want)
	}
	if r.Snapshot().Exchange != e.Snapshot().Exchange {
		t.Error("replay's exchange differs")
	}
}

// People and caps are refused up front, by field, beyond their limits.
func TestPeopleValidation(t *testing.T) {
	for _, tc := range []struct {
		edit  func(*Config)
		field string
	}{
		{func(c *Config) { c.Traffic.Users = nil }, "bidders[0].frequency_cap"},
		{func(c *Config) { c.Traffic.Users.Count = 0 }, "traffic.users.count"},
		{func(c *Config) { c.Traffic.Users.Count = MaxUsers + 1 }, "traffic.users.count"},
		{func(c *Config) { c.Traffic.Users.Skew = -1 }, "traffic.users.skew"},
		{func(c *Config) { c.Traffic.Users.Skew = math.NaN() }, "traffic.users.skew"},
		{func(c *Config) { c.Bidders[0].FrequencyCap.Impressions = 0 }, "bidders[0].frequency_cap.impressions"},
		{func(c *Config) { c.Bidders[0].FrequencyCap.Per = 0 }, "bidders[0].frequency_cap.per"},
		{func(c *Config) {
			c.Traffic.Users.Count = MaxUsers
			c.Bidders[0].FrequencyCap.Impressions = 10
		}, "traffic.users.count"},
		{func(c *Config) { c.Traffic.Scale = 1000 }, "traffic.users.count"},
		{func(c *Config) {
			c.Traffic.Scale = 10
			c.Traffic.Users.Count = 10*MaxUsers + 100
		}, "traffic.users.count"},
		{func(c *Config) {
			c.Traffic.Users = nil
			c.Bidders[0].FrequencyCap = nil
			c.Bidders[1].Outcome = &Outcome{CTR: 0.1, ConversionPeriod: Hour}
		}, "bidders[1].outcome.conversion_period"},
		{func(c *Config) { c.Bidders[1].Outcome = &Outcome{CTR: 0.1, ConversionPeriod: -1} }, "bidders[1].outcome.conversion_period"},
		{func(c *Config) {
			c.Traffic.Users = nil
			c.Bidders[0].FrequencyCap = nil
			c.Bidders[1].Outcome = &Outcome{CTR: 0.1, Holdout: 0.1, HoldoutUnit: HoldoutByPerson}
		}, "bidders[1].outcome.holdout.unit"},
		{func(c *Config) { c.Bidders[1].Outcome = &Outcome{CTR: 0.1, Holdout: 0.1, HoldoutUnit: 7} }, "bidders[1].outcome.holdout.unit"},
		{func(c *Config) {
			// A holdout by person keeps two more words a person: 10⁶ ×
			// (3 bidders + 3 outcomes + a cap of 2) = 8 × 10⁶ is within
			// 2²³, and with a holdout's 2 words, 10⁷ is not.
			c.Traffic.Users.Count = MaxUsers
			for i := range c.Bidders {
				c.Bidders[i].Outcome = &Outcome{CTR: 0.1}
			}
			c.Bidders[2].Outcome.Holdout = 0.1
		}, "traffic.users.count"},
		{func(c *Config) {
			// 10⁶ people × (3 bidders + 3 outcomes + a cap of 3) > 2²³,
			// and with a cap of 2 within it (the last case below).
			c.Traffic.Users.Count = MaxUsers
			c.Bidders[0].FrequencyCap.Impressions = 3
			for i := range c.Bidders {
				c.Bidders[i].Outcome = &Outcome{CTR: 0.1}
			}
		}, "traffic.users.count"},
	} {
		cfg := peopleWorld(Users{Count: 100}, FrequencyCap{Impressions: 2, Per: Second})
		tc.edit(&cfg)
		err := cfg.Validate()
		found := false
		for _, fe := range FieldErrors(err) {
			found = found || fe.Field == tc.field
		}
		if !found {
			t.Errorf("want an error at %s, got %v", tc.field, err)
		}
	}
	cfg := peopleWorld(Users{Count: MaxUsers, Skew: 1}, FrequencyCap{Impressions: 1, Per: Hour})
	if err := cfg.Validate(); err != nil {
		t.Errorf("the largest world with people is refused: %v", errors.Unwrap(err))
	}
}

// Steady state with people and caps allocates nothing per auction.
func TestPeopleAllocateNothing(t *testing.T) {
	cfg := benchConfig()
	peopleBench(&cfg)
	e := mustNew(t, cfg)
	e.RunAuctions(100_000)
	if allocs := testing.AllocsPerRun(5, func() { e.RunAuctions(20_000) }); allocs > 0 {
		t.Errorf("%g allocations per 20,000 auctions", allocs)
	}
	if f := e.Snapshot().Bidders[0].Frequency; f.Capped == 0 {
		t.Error("the cap never bound: the test proves little")
	}
}

// peopleBench gives the benchmark world 100,000 people with a Zipf skew
// and every bidder a cap.
func peopleBench(cfg *Config) {
	cfg.Traffic.Users = &Users{Count: 100_000, Skew: 1}
	for i := range cfg.Bidders {
		cfg.Bidders[i].FrequencyCap = &FrequencyCap{Impressions: 3, Per: Hour}
	}
}

// BenchmarkEnginePeople is BenchmarkEngine with people and caps.
func BenchmarkEnginePeople(b *testing.B) {
	cfg := benchConfig()
	peopleBench(&cfg)
	e := mustNew(b, cfg)
	e.RunAuctions(200_000)
	b.ReportAllocs()
	b.ResetTimer()
	e.RunAuctions(uint64(b.N))
}

// Conversions belong to people: each converts at most once a run by
// default, so a cap of one impression makes every impression count, and
// conversions per impression are CTR × CVR, against a fraction of that
// when the same people see the ad over and over.
func TestConversionsOncePerPerson(t *testing.T) {
	run := func(cap *FrequencyCap) BidderStats {
		cfg := peopleWorld(Users{Count: 400}, FrequencyCap{})
		cfg.Bidders[0].FrequencyCap = cap
		cfg.Bidders[0].Outcome = &Outcome{CTR: 0.5, CVR: 0.4, OrderValue: MoneyOf(10), Delay: Exponential(float64(100 * Millisecond))}
		e := mustNew(t, cfg)
		e.RunAuctions(20_000)
		e.RunUntil(e.Now() + 10*Second) // every conversion matures
		return e.Snapshot().Bidders[0]
	}
	free, capped := run(nil), run(&FrequencyCap{Impressions: 1, Per: Hour})
	for _, b := range []BidderStats{free, capped} {
		if b.Pending != 0 || b.Conversions > b.Frequency.PeopleReached {
			t.Errorf("%d conversions (%d pending) among %d people reached", b.Conversions, b.Pending, b.Frequency.PeopleReached)
		}
	}
	if free.Frequency.RepeatConversions == 0 || capped.Frequency.RepeatConversions != 0 {
		t.Errorf("repeat conversions: %d uncapped, %d with one impression each", free.Frequency.RepeatConversions, capped.Frequency.RepeatConversions)
	}
	// With one impression a person, conversions per impression are
	// CTR × CVR = 0.2 (binomial, within 4 standard errors).
	n := float64(capped.Wins)
	rate := float64(capped.Conversions) / n
	if se := math.Sqrt(0.2 * 0.8 / n); math.Abs(rate-0.2) > 4*se || n < 300 {
		t.Errorf("capped: %g conversions per impression over %g, want 0.2 ± %.3f", rate, n, 4*se)
	}
	if freeRate := float64(free.Conversions) / float64(free.Wins); freeRate > rate/3 {
		t.Errorf("uncapped: %g conversions per impression, capped %g: no diminishing returns", freeRate, rate)
	}
}

// A person converts at most once per period: kept conversions are at
// least a period apart, checked on the bookkeeping directly.
func TestConversionPeriod(t *testing.T) {
	f := &frequency{}
	newPersonTable(3, []*FrequencyCap{nil}, []bool{true}, []bool{false}, []*frequency{f})
	f.period = 10 * Second
	for _, c := range []struct {
		person uint32
		at     Time
		want   bool
	}{
		{1, 5 * Second, true}, {1, 14 * Second, false}, {2, 14 * Second, true},
		{1, 15 * Second, true}, {1, 3 * Second, false}, {1, 24 * Second, false}, {1, 25 * Second, true},
	} {
		if got := f.converts(c.person, c.at); got != c.want {
			t.Errorf("person %d at %v: %v, want %v", c.person, c.at, got, c.want)
		}
	}
	if f.repeats != 3 {
		t.Errorf("%d repeats, want 3", f.repeats)
	}
	f.period = 0 // once per run
	if f.converts(2, 100*Hour) || !f.converts(3, 100*Hour) {
		t.Error("once per run")
	}
}

// Diff turns a cap's change into a live change in a world with people,
// and refuses a change of the people themselves.
func TestDiffFrequencyCap(t *testing.T) {
	old := peopleWorld(Users{Count: 100}, FrequencyCap{Impressions: 2, Per: Second})
	nw := old
	nw.Bidders = append([]BidderConfig(nil), old.Bidders...)
	nw.Bidders[0].FrequencyCap = &FrequencyCap{Impressions: 3, Per: Second}
	nw.Bidders[1].FrequencyCap = &FrequencyCap{Impressions: 1, Per: Hour}
	changes, err := Diff(old, nw)
	if err != nil || len(changes) != 2 || changes[0].String() != "b0 frequency cap 3 per 1s" || changes[1].String() != "b1 frequency cap 1 per 1h" {
		t.Errorf("%v %v", changes, err)
	}
	users := old
	users.Traffic.Users = &Users{Count: 200}
	if _, err := Diff(old, users); err == nil || !strings.Contains(err.Error(), "traffic.users") {
		t.Errorf("people changed live: %v", err)
	}
}

// At traffic scale the engine simulates count / scale people, each making
// a real person's requests: people alike (no skew), the world is the
// unscaled one at qps / scale with count / scale people, and the report
// gives people and no-bids at full scale, frequencies as they are. (With
// a skew it is not a Zipf law over count / scale people:
// TestReachAtScaleUnbiased.)
func TestPeopleAtScale(t *testing.T) {
	const scale = 100
	full := peopleWorld(Users{Count: 100 * scale}, FrequencyCap{Impressions: 2, Per: Minute})
	full.Traffic.QPS, full.Traffic.Scale = 1000*scale, scale
	small := peopleWorld(Users{Count: 100}, FrequencyCap{Impressions: 2, Per: Minute})
	big := full
	big.Traffic.Users = &Users{Count: 10 * MaxUsers, Skew: 1} // 10⁵ simulated at scale 100
	if err := big.Validate(); err != nil {
		t.Errorf("10⁷ people at scale 100: %v", err)
	}
	a, b := mustNew(t, full), mustNew(t, small)
	a.RunUntil(30 * Second)
	b.RunUntil(30 * Second)
	fa, fb := a.Snapshot().Bidders[0].Frequency, b.Snapshot().Bidders[0].Frequency
	if fb.Capped == 0 || fa.PeopleReached != scale*fb.PeopleReached || fa.Capped != scale*fb.Capped ||
		fa.MeanPerPerson != fb.MeanPerPerson || fa.MaxInWindow != fb.MaxInWindow || fa.MaxInWindow != 2 {
		t.Errorf("at scale %+v, unscaled %+v", *fa, *fb)
	}
}

// Drawing people ahead draws the same people in the same order as a
// draw of the stream's next number would, with a skew and without, and
// a clone goes on as its original does.
func TestPeopleDrawAheadSamePeople(t *testing.T) {
	for _, u := range []Users{{Count: 1000, Skew: 1}, {Count: 77}} {
		p := newPeople(5, &u, 1)
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
