package sim

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// scaledWorld is a world at qps with budgets (a total, a daily budget
// with pacing), outcomes with an attribution window and a tmax curve.
func scaledWorld(qps, total, daily float64, scale float64) Config {
	out := &Outcome{CTR: 0.05, CVR: 0.1, BaselineCVR: 0.01, OrderValue: MoneyOf(2), Delay: Exponential(float64(Hour)), AttributionWindow: 2 * Hour}
	return Config{
		Seed:     11,
		Traffic:  Traffic{QPS: qps, Shape: []float64{0.5, 1.5}, Scale: scale},
		Exchange: ExchangeConfig{Auction: SecondPrice, Tmax: 100 * Millisecond, Floor: PriceOf(0.2), TmaxCurve: TmaxGrid{From: 50 * Millisecond, To: 150 * Millisecond, Step: 50 * Millisecond}},
		Horizon:  2 * Day,
		Bidders: []BidderConfig{
			{Name: "a", Group: "g", Value: Uniform(1, 3), Latency: Uniform(0, float64(120*Millisecond)), Outcome: out,
				Budget: &Budget{Total: MoneyOf(total), Pacing: PacingMultiplier}},
			{Name: "b", Group: "g", Value: Uniform(1, 3), Outcome: out,
				Budget: &Budget{Daily: MoneyOf(daily), Pacing: PacingThrottle}},
			{Name: "rival", Value: Uniform(0.5, 2.5)},
		},
	}
}

// TestScaleIsTheSmallWorld: a world at traffic scale 100 is the world at
// a hundredth of the rate and of the budgets, reported at full scale:
// every cumulative count and amount is exactly 100 times the small
// world's (but the engine's events and a learner's updates), and every
// other metric is the same or, for levels of money and counts (budgets,
// bids in flight, pending conversions, the rate), 100 times.
func TestScaleIsTheSmallWorld(t *testing.T) {
	big, err := New(scaledWorld(20, 3000, 700, 100))
	if err != nil {
		t.Fatal(err)
	}
	small, err := New(scaledWorld(0.2, 30, 7, 0))
	if err != nil {
		t.Fatal(err)
	}
	big.RunUntil(Day + 7*Hour)
	small.RunUntil(Day + 7*Hour)
	sb, ss := big.Snapshot(), small.Snapshot()
	vs := MetricValues(ss)
	scaled := 0
	for _, m := range Catalogue(sb) {
		a, b := m.Of(sb), vs[m.Name]
		// Ratios of scaled sums may differ in the last bit.
		nan := math.IsNaN(a) && math.IsNaN(b)
		same := nan || math.Abs(a-b) <= 1e-12*math.Abs(a)
		times := nan || math.Abs(a-100*b) <= 1e-9*math.Abs(a)
		switch {
		case m.Cumulative && m.Name != "events" && !strings.HasSuffix(m.Name, ".learn.updates"):
			if !times {
				t.Errorf("%s: %v at scale 100, %v in the small world", m.Name, a, b)
			}
			if b != 0 {
				scaled++
			}
		case !same && !times:
			t.Errorf("%s: %v at scale 100, %v in the small world", m.Name, a, b)
		}
	}
	if scaled < 60 {
		t.Errorf("only %d cumulative metrics not 0: the test compares too little", scaled)
	}
	for i, d := range sb.Bidders[1].Days {
		if d.Spend != 100*ss.Bidders[1].Days[i].Spend || d.Budget != MoneyOf(700) || d.Spend > d.Budget {
			t.Errorf("day %d: %v of %v at scale 100, %v in the small world", i, d.Spend, d.Budget, ss.Bidders[1].Days[i])
		}
	}
	if sb.Settings.QPS != 20 {
		t.Errorf("qps %v", sb.Settings.QPS)
	}
	// Live changes are given at full scale.
	if err := big.Apply(SetBudget{Bidder: "a", Total: MoneyOf(4000)}); err != nil {
		t.Fatal(err)
	}
	if err := small.Apply(SetBudget{Bidder: "a", Total: MoneyOf(40)}); err != nil {
		t.Fatal(err)
	}
	if u, _ := big.Uncommitted("a"); u != 100*func() Money { u, _ := small.Uncommitted("a"); return u }() {
		t.Errorf("uncommitted %v at scale 100", u)
	}
	if err := big.Apply(SetQPS{QPS: 30}); err != nil || big.Snapshot().Settings.QPS != 30 {
		t.Errorf("qps 30 at scale 100: %v, %v", err, big.Snapshot().Settings.QPS)
	}
}

// TestScaleLongFlight: 30 days at 1,000 qps is more auctions than a run
// may close, refused without a scale; at scale 10,000 it runs, with its
// totals at full scale.
func TestScaleLongFlight(t *testing.T) {
	cfg := scaledWorld(1000, 1e6, 5e4, 0)
	cfg.Horizon = 30 * Day
	st := Stop{Duration: 30 * Day}
	if err := cfg.ValidateStop(st); err == nil {
		t.Fatal("30 days at 1000 qps accepted without a scale")
	}
	cfg.Traffic.Scale = 10000
	if err := cfg.ValidateStop(st); err != nil {
		t.Fatal(err)
	}
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.RunStop(st, math.MaxUint64)
	x := e.Snapshot().Exchange
	if want := 1000 * (30 * Day).Seconds(); math.Abs(float64(x.Requests)/want-1) > 0.01 {
		t.Errorf("%d requests at full scale, want about %.3g", x.Requests, want)
	}
	if x.Requests%10000 != 0 {
		t.Errorf("%d requests: not a whole number of simulated ones", x.Requests)
	}
}

// TestScaleValidated: a scale below 1 or not whole is refused, and with a
// scale so are a bidder's capacity, a holdout and a stop by auctions.
func TestScaleValidated(t *testing.T) {
	for _, s := range []float64{0.5, 2.5, -1, 2e6} {
		cfg := scaledWorld(20, 3000, 700, s)
		fe := FieldErrors(cfg.Validate())
		if len(fe) == 0 || fe[0].Field != "traffic.scale" {
			t.Errorf("scale %v: %v", s, fe)
		}
	}
	cfg := scaledWorld(20, 3000, 700, 10)
	cfg.Bidders[0].Capacity = &Capacity{Workers: 2, Service: Constant(float64(Millisecond))}
	cfg.Bidders[1].Outcome = &Outcome{CTR: 0.1, Holdout: 0.1}
	var fields []string
	for _, fe := range FieldErrors(cfg.Validate()) {
		fields = append(fields, fe.Field)
	}
	if strings.Join(fields, " ") != "bidders[0].capacity bidders[1].outcome.holdout" {
		t.Errorf("fields %v", fields)
	}
	if fe := FieldErrors(cfg.ValidateStop(Stop{Auctions: 1000})); len(fe) != 1 || fe[0].Field != "stop.auctions" {
		t.Errorf("stop by auctions at scale 10: %v", fe)
	}
}

// TestScaleCounterfactual: a bidder's counterfactual (its surplus since
// its last strategy change, and what truthful and equilibrium bids would
// have earned) is money and a count of auctions, at full scale as the
// rest of its report: a truthful bidder's counterfactual surplus is its
// surplus exactly at scale 100 too, and the auctions compared are 100
// times the small world's.
func TestScaleCounterfactual(t *testing.T) {
	big, err := New(scaledWorld(20, 3000, 700, 100))
	if err != nil {
		t.Fatal(err)
	}
	small, err := New(scaledWorld(0.2, 30, 7, 0))
	if err != nil {
		t.Fatal(err)
	}
	big.RunUntil(Day)
	small.RunUntil(Day)
	sb, ss := big.Snapshot(), small.Snapshot()
	rb, _ := sb.FindBidder("rival")
	rs, _ := ss.FindBidder("rival")
	cf := rb.Counterfactual
	if rb.Surplus() == 0 || cf.Surplus != rb.Surplus() || cf.Truthful != rb.Surplus() || cf.Equilibrium != rb.Surplus() {
		t.Errorf("rival at scale 100: surplus %v, counterfactual %v, truthful %v, equilibrium %v",
			rb.Surplus(), cf.Surplus, cf.Truthful, cf.Equilibrium)
	}
	if rs.Counterfactual.Auctions == 0 || cf.Auctions != 100*rs.Counterfactual.Auctions {
		t.Errorf("auctions compared %d at scale 100, %d in the small world", cf.Auctions, rs.Counterfactual.Auctions)
	}
}

// TestScaleRefusalNamesWhatWasWritten: a refused traffic.scale is named
// with the number written (2000000, not 2e+06) and why, and nothing that
// follows from it (the simulated rate, the simulated people) is refused
// in its place; a valid scale that leaves too low a simulated rate is
// refused at traffic.scale in the file's numbers, with the largest scale
// the rate allows.
func TestScaleRefusalNamesWhatWasWritten(t *testing.T) {
	cfg := scaledWorld(20, 3000, 700, 2e6)
	cfg.Traffic.Users = &Users{Count: 50000}
	fe := FieldErrors(cfg.Validate())
	if len(fe) != 1 || fe[0].Field != "traffic.scale" || !strings.Contains(fe[0].Error(), "2000000 is more than 1000000") ||
		strings.Contains(fe[0].Error(), "e+06") {
		t.Errorf("scale 2e6: %v", fe)
	}
	cfg = scaledWorld(20, 3000, 700, 1e5)
	fe = FieldErrors(cfg.Validate())
	if len(fe) != 1 || fe[0].Field != "traffic.scale" ||
		!strings.Contains(fe[0].Error(), "100000 with traffic.qps 20 simulates 0.0002 requests per second") ||
		!strings.Contains(fe[0].Error(), "a scale of at most 20000") {
		t.Errorf("scale 1e5 at 20 qps: %v", fe)
	}
	// The largest scale it names is accepted.
	cfg = scaledWorld(20, 3000, 700, 20000)
	cfg.Traffic.Shape = nil
	if err := cfg.Validate(); err != nil {
		t.Errorf("scale 20000 at 20 qps: %v", err)
	}
}

// TestScaleRefusalNamesTheLargestScale: the scale a refusal names as the
// largest the rate allows is accepted, and one more is refused, for rates
// where qps / MinQPS falls a hair below a whole number in floating point
// (0.043 / 0.001 = 42.99…, yet 0.043 / 43 is 0.001, accepted).
func TestScaleRefusalNamesTheLargestScale(t *testing.T) {
	rateErr := func(qps, scale float64) error {
		cfg := scaledWorld(qps, 3000, 700, scale)
		cfg.Traffic.Shape = nil
		for _, fe := range FieldErrors(cfg.Validate()) {
			if fe.Field == "traffic.scale" || fe.Field == "traffic.qps" {
				return fe
			}
		}
		return nil
	}
	for _, qps := range []float64{0.043, 0.051, 0.086, 0.119, 0.009, 7.7, 20, 999} {
		err := rateErr(qps, MaxScale)
		var most float64
		if err == nil {
			t.Errorf("qps %g at scale %g: accepted", qps, float64(MaxScale))
			continue
		}
		_, after, ok := strings.Cut(err.Error(), "a scale of at most ")
		if _, serr := fmt.Sscan(after, &most); !ok || serr != nil {
			t.Errorf("qps %g: %v: names no largest scale", qps, err)
			continue
		}
		if err := rateErr(qps, most); err != nil {
			t.Errorf("qps %g: the largest scale named, %g, is refused: %v", qps, most, err)
		}
		if err := rateErr(qps, most+1); err == nil {
			t.Errorf("qps %g: %g is named the largest scale, but %g is accepted", qps, most, most+1)
		}
	}
}

// TestScaleRefusalStandsAlone: with traffic.scale refused, a rate and a
// number of people that a valid scale would bring within the engine's
// limits are not refused in its place (qps 2e6 and 9e8 people at scale
// 2e6 is one error, at traffic.scale), while a rate or a count no valid
// scale allows still is.
func TestScaleRefusalStandsAlone(t *testing.T) {
	fields := func(qps float64, users int, scale float64) []string {
		cfg := scaledWorld(qps, 3000, 700, scale)
		cfg.Traffic.Users = &Users{Count: users}
		var out []string
		for _, fe := range FieldErrors(cfg.Validate()) {
			out = append(out, fe.Field)
		}
		return out
	}
	for _, c := range []struct {
		qps   float64
		users int
		scale float64
		want  string
	}{
		{2e6, 9e8, 2e6, "traffic.scale"},
		{2e6, 9e8, 2.5, "traffic.scale"},
		{2e6, 9e8, -1, "traffic.scale"},
		{20, 50000, math.NaN(), "traffic.scale"},
		{2e13, 9e8, 2e6, "traffic.scale traffic.qps"},
		{0.0001, 9e8, 2e6, "traffic.scale traffic.qps"},
		{2e6, 2e12, 2e6, "traffic.scale traffic.users.count"},
		{2e6, 0, 2e6, "traffic.scale traffic.users.count"},
		// A valid scale still judges the simulated rate and people.
		{2e6, 9e8, 1, "traffic.qps traffic.users.count"},
	} {
		if got := strings.Join(fields(c.qps, c.users, c.scale), " "); got != c.want {
			t.Errorf("qps %v, %d people at scale %v: refused %q, want %q", c.qps, c.users, c.scale, got, c.want)
		}
	}
}

// TestRefusalNumbersAsWritten: numbers in refusals read as a scenario
// file writes them: plain decimals (0.00002, not 2e-05; every digit a
// total of 1000000000.000001 needs), and past them the exponent a file
// writes (1e300, not 1e+300).
func TestRefusalNumbersAsWritten(t *testing.T) {
	msg := func(cfg Config) string {
		var out []string
		for _, fe := range FieldErrors(cfg.Validate()) {
			out = append(out, fe.Error())
		}
		return strings.Join(out, "\n")
	}
	for _, c := range []struct {
		cfg  func(*Config)
		want string
	}{
		{func(c *Config) { c.Traffic.Scale = 1e6 }, "1000000 with traffic.qps 20 simulates 0.00002 requests per second"},
		{func(c *Config) { c.Traffic.QPS = 1e300 }, "traffic.qps: 1e300 is more than 1000000,"},
		{func(c *Config) { c.Traffic.QPS = 1e-5 }, "traffic.qps: 0.00001 must be ≥ 0.001"},
		{func(c *Config) { c.Traffic.QPS = 1e-300 }, "traffic.qps: 1e-300 must be ≥ 0.001"},
		{func(c *Config) { c.Traffic.QPS, c.Traffic.Shape = 2e4, []float64{1, 100} }, "qps × max(shape) = 2000000 is more than 1000000 requests per second"},
		{func(c *Config) { c.Bidders[0].Errors = 1e300 }, "1e300 is not a share"},
		{func(c *Config) { c.Exchange.Floor = PriceOf(1000.5) }, "1000.5 is more than 1000,"},
	} {
		cfg := scaledWorld(20, 3000, 700, 0)
		c.cfg(&cfg)
		got := msg(cfg)
		if !strings.Contains(got, c.want) {
			t.Errorf("got\n%s\nwant %q", got, c.want)
		}
		if strings.Contains(got, "e+") || strings.Contains(got, "e-0") {
			t.Errorf("exponent as Go prints it: %s", got)
		}
	}
	if got := plain.written(1000000000.000001); got != "1000000000.000001" {
		t.Errorf("written(1000000000.000001) = %s", got)
	}
}
