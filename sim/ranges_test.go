package sim

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// fieldError finds the error Validate gives for field.
func fieldError(t *testing.T, err error, field string) *FieldError {
	t.Helper()
	for _, fe := range FieldErrors(err) {
		if fe.Field == field {
			return fe
		}
	}
	t.Fatalf("no error for %s in %v", field, err)
	return nil
}

// A live change is refused exactly when the same value in the
// configuration is, with the same message under the same path (bidders
// by name).
func TestChangesShareValidateRules(t *testing.T) {
	cases := []struct {
		name   string
		change Change
		edit   func(*Config)
		field  string // in Validate's terms; the change names the bidder
	}{
		{"tmax", SetTmax{Tmax: 2 * Hour}, func(c *Config) { c.Exchange.Tmax = 2 * Hour }, "exchange.tmax"},
		{"tmax in flight", SetTmax{Tmax: Hour}, func(c *Config) { c.Exchange.Tmax = Hour }, "exchange.tmax"},
		{"qps", SetQPS{QPS: 1e12}, func(c *Config) { c.Traffic.QPS = 1e12 }, "traffic.qps"},
		{"qps low", SetQPS{QPS: 1e-4}, func(c *Config) { c.Traffic.QPS = 1e-4 }, "traffic.qps"},
		{"floor", SetFloor{Floor: PriceOf(1e7)}, func(c *Config) { c.Exchange.Floor = PriceOf(1e7) }, "exchange.floor"},
		{"floor negative", SetFloor{Floor: -PriceUnit / 2}, func(c *Config) { c.Exchange.Floor = -PriceUnit / 2 }, "exchange.floor"},
		{"increment", SetIncrement{Increment: -PriceUnit}, func(c *Config) { c.Exchange.Increment = -PriceUnit }, "exchange.increment"},
		{"auction", SetAuction{Auction: 9}, func(c *Config) { c.Exchange.Auction = 9 }, "exchange.auction"},
		{"budget", SetBudget{Bidder: "b0", Total: MoneyOf(2e9)}, func(c *Config) { c.Bidders[0].Budget = &Budget{Total: MoneyOf(2e9)} }, "bidders[0].budget.total"},
		{"shade", SetStrategy{Bidder: "b0", Strategy: Strategy{Kind: Shade, Factor: 1e13}},
			func(c *Config) { c.Bidders[0].Strategy = Strategy{Kind: Shade, Factor: 1e13} }, "bidders[0].strategy.factor"},
		{"fixed", SetStrategy{Bidder: "b0", Strategy: Strategy{Kind: Fixed, Bid: PriceOf(5e6)}},
			func(c *Config) { c.Bidders[0].Strategy = Strategy{Kind: Fixed, Bid: PriceOf(5e6)} }, "bidders[0].strategy.bid"},
		{"latency", SetLatency{Bidder: "b0", Latency: LogNormalMedianP99(float64(30*Millisecond), float64(2*Hour))},
			func(c *Config) { c.Bidders[0].Latency = LogNormalMedianP99(float64(30*Millisecond), float64(2*Hour)) }, "bidders[0].latency.p99"},
		{"pacing", SetPacing{Bidder: "b0", Pacing: 7}, func(c *Config) { c.Bidders[0].Budget = &Budget{Pacing: 7} }, "bidders[0].budget.pacing"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := world(8, Uniform(0, 1))
			cfg.Traffic.QPS = 1000
			e := mustNew(t, cfg)
			applied := e.Apply(tc.change)
			if applied == nil {
				t.Fatalf("%v applied", tc.change)
			}
			tc.edit(&cfg)
			want := fieldError(t, cfg.Validate(), tc.field)
			var got *FieldError
			if !errors.As(applied, &got) {
				t.Fatalf("%v: %T is not a *FieldError", applied, applied)
			}
			if got.Err.Error() != want.Err.Error() {
				t.Errorf("change: %q\nvalidate: %q", got.Err, want.Err)
			}
			wantField := strings.Replace(tc.field, "bidders[0]", "bidders.b0", 1)
			if got.Field != wantField {
				t.Errorf("change names %s, want %s", got.Field, wantField)
			}
		})
	}
}

// CheckCPM and CheckCurrency, which the readers of prices and amounts
// apply before converting, say what Validate says of the typed value
// wherever the type holds it, and refuse what it cannot hold.
func TestCheckAmountIsValidates(t *testing.T) {
	for _, x := range []float64{-1, -0.5, 0, 0.25, MaxCPM, 1e4, 1e7} {
		cfg := world(2, Uniform(0, 1))
		cfg.Exchange.Floor = Price(math.Round(x * float64(PriceUnit)))
		got, want := fmt.Sprint(CheckCPM(x)), "<nil>"
		if err := cfg.Validate(); err != nil {
			want = fieldError(t, err, "exchange.floor").Err.Error()
		}
		if got != want {
			t.Errorf("floor %g: CheckCPM %s, Validate %s", x, got, want)
		}
	}
	for _, x := range []float64{-2, 0, 100.5, MaxCurrency, 2e9} {
		cfg := world(2, Uniform(0, 1))
		cfg.Bidders[0].Budget = &Budget{Total: Money(math.Round(x * float64(MoneyUnit)))}
		got, want := fmt.Sprint(CheckCurrency(x)), "<nil>"
		if err := cfg.Validate(); err != nil {
			want = fieldError(t, err, "bidders[0].budget.total").Err.Error()
		}
		if got != want {
			t.Errorf("budget %g: CheckCurrency %s, Validate %s", x, got, want)
		}
	}
	for _, x := range []float64{math.NaN(), math.Inf(1), 1e300, math.Nextafter(MaxCPM, 2*MaxCPM), -1e-12} {
		if CheckCPM(x) == nil {
			t.Errorf("CheckCPM(%g) = nil", x)
		}
	}
	for _, x := range []float64{math.NaN(), 1e300, math.Nextafter(MaxCurrency, 2*MaxCurrency), -1e-12} {
		if CheckCurrency(x) == nil {
			t.Errorf("CheckCurrency(%g) = nil", x)
		}
	}
}

// Each supported range is enforced at its ends: the end itself passes,
// just beyond it is refused with a message naming the field.
func TestRangeEnds(t *testing.T) {
	cases := []struct {
		field     string
		ok, notOK func(*Config)
	}{
		{"traffic.qps", func(c *Config) { c.Traffic.QPS = MaxQPS; c.Exchange.Tmax = Millisecond },
			func(c *Config) { c.Traffic.QPS = MaxQPS * 1.01 }},
		{"traffic.qps", func(c *Config) { c.Traffic.QPS = MinQPS }, func(c *Config) { c.Traffic.QPS = MinQPS / 2 }},
		{"traffic.shape[0]", func(c *Config) { c.Traffic.QPS = 1; c.Traffic.Shape = []float64{MaxShapeFactor} },
			func(c *Config) { c.Traffic.QPS = 1; c.Traffic.Shape = []float64{MaxShapeFactor * 2} }},
		{"traffic.shape", func(c *Config) { c.Traffic.QPS = 1; c.Traffic.Shape = []float64{MinQPS, MinQPS} },
			func(c *Config) { c.Traffic.QPS = 1; c.Traffic.Shape = []float64{MinQPS, 0} }},
		{"exchange.tmax", func(c *Config) { c.Traffic.QPS = 1; c.Exchange.Tmax = MaxTmax },
			func(c *Config) { c.Traffic.QPS = 1; c.Exchange.Tmax = MaxTmax + 1 }},
		{"exchange.floor", func(c *Config) { c.Exchange.Floor = PriceOf(MaxCPM) }, func(c *Config) { c.Exchange.Floor = Price(MaxCPM)*PriceUnit + 1 }},
		{"bidders[0].strategy.factor", func(c *Config) { c.Bidders[0].Strategy = Strategy{Kind: Shade, Factor: MaxShadeFactor} },
			func(c *Config) { c.Bidders[0].Strategy = Strategy{Kind: Shade, Factor: 0} }},
		{"bidders[0].budget.total", func(c *Config) { c.Bidders[0].Budget = &Budget{Total: MoneyOf(MaxCurrency)} },
			func(c *Config) { c.Bidders[0].Budget = &Budget{Total: MoneyOf(MaxCurrency * 2)} }},
		{"bidders[0].value.parts[1].weight", func(c *Config) {
			c.Bidders[0].Value = Mixture(Part{MaxMixtureWeight, Constant(1)}, Part{MaxMixtureWeight, Constant(2)})
		}, func(c *Config) {
			c.Bidders[0].Value = Mixture(Part{1, Constant(1)}, Part{math.MaxFloat64, Constant(2)})
		}},
		{"bidders[0].capacity.queue", func(c *Config) {
			c.Bidders[0].Capacity = &Capacity{Workers: MaxWorkers, Service: Constant(1), Queue: MaxQueue}
		}, func(c *Config) {
			c.Bidders[0].Capacity = &Capacity{Workers: 1, Service: Constant(1), Queue: MaxQueue + 1}
		}},
		{"bidders[0].outcome.delay.value", func(c *Config) { c.Bidders[0].Outcome = &Outcome{Delay: Constant(float64(MaxDelay))} },
			func(c *Config) { c.Bidders[0].Outcome = &Outcome{Delay: Constant(float64(MaxDelay + 1))} }},
		{"bidders", func(c *Config) {
			c.Traffic.QPS = 1
			for len(c.Bidders) < MaxBidders {
				c.Bidders = append(c.Bidders, BidderConfig{Name: "x" + strings.Repeat("y", len(c.Bidders)), Value: Constant(1)})
			}
		}, func(c *Config) {
			c.Traffic.QPS = 1
			for len(c.Bidders) <= MaxBidders {
				c.Bidders = append(c.Bidders, BidderConfig{Name: "x" + strings.Repeat("y", len(c.Bidders)), Value: Constant(1)})
			}
		}},
		{"bidders[0].name", func(c *Config) { c.Bidders[0].Name = "north-east_2 (ünïcode)" },
			func(c *Config) { c.Bidders[0].Name = "right\u200fto-left" }},
	}
	for _, tc := range cases {
		t.Run(tc.field, func(t *testing.T) {
			cfg := world(1, Uniform(0, 1))
			tc.ok(&cfg)
			if err := cfg.Validate(); err != nil {
				t.Fatalf("at the end of the range: %v", err)
			}
			cfg = world(1, Uniform(0, 1))
			tc.notOK(&cfg)
			fieldError(t, cfg.Validate(), tc.field)
		})
	}
}

func TestPendingConversionsBounded(t *testing.T) {
	cfg := world(1, Uniform(0, 1))
	cfg.Bidders[0].Outcome = &Outcome{CTR: 1, CVR: 1, BaselineCVR: 1, Delay: Constant(float64(MaxDelay))}
	fe := fieldError(t, cfg.Validate(), "bidders[0].outcome.delay")
	if !strings.Contains(fe.Err.Error(), "of pending conversions") {
		t.Errorf("message %q", fe.Err)
	}
	// The same world at a rate where they fit runs; raising the rate
	// live is refused with the same message.
	cfg.Traffic.QPS = 1
	e := mustNew(t, cfg)
	err := e.Apply(SetQPS{QPS: 1000})
	var got *FieldError
	if !errors.As(err, &got) || got.Field != "traffic.qps" || got.Err.Error() != fe.Err.Error() {
		t.Errorf("raising qps: %v, want traffic.qps: %v", err, fe.Err)
	}
}

func TestInFlightMessage(t *testing.T) {
	cfg := world(8, Uniform(0, 1))
	cfg.Exchange.Tmax = Hour
	fe := fieldError(t, cfg.Validate(), "exchange.tmax")
	for _, want := range []string{"about 5.9 GB of in-flight auctions", "at most 1.0 GB", "lower qps, tmax or the number of bidders"} {
		if !strings.Contains(fe.Err.Error(), want) {
			t.Errorf("%q does not say %q", fe.Err, want)
		}
	}
}

func TestValidateStop(t *testing.T) {
	cfg := world(1, Uniform(0, 1))
	cfg.Traffic.QPS = 0.001
	for _, tc := range []struct {
		stop  Stop
		field string // "" when the stop is fine
	}{
		{Stop{Auctions: 10_000_000}, "stop.auctions"},
		{Stop{Auctions: 10_000_000, Duration: Hour}, ""},
		{Stop{Auctions: 300_000}, ""}, // 9.5 years
		{Stop{Duration: MaxRunTime + Second}, "stop.duration"},
		{Stop{Duration: -Second}, "stop.duration"},
		{Stop{}, "stop"},
	} {
		err := cfg.ValidateStop(tc.stop)
		if tc.field == "" {
			if err != nil {
				t.Errorf("%v: %v", tc.stop, err)
			}
			continue
		}
		fieldError(t, err, tc.field)
	}
	cfg.Traffic.QPS = MaxQPS
	fieldError(t, cfg.ValidateStop(Stop{Duration: Hour}), "stop.duration")
	if err := cfg.ValidateStop(Stop{Duration: Hour, Auctions: MaxAuctions}); err != nil {
		t.Error(err)
	}
	fieldError(t, cfg.ValidateStop(Stop{Auctions: MaxAuctions + 1}), "stop.auctions")
}

// TestInFlightMessageQueues checks a world whose bounded queues alone
// pass the in-flight memory budget: 1000 bidders with queues of 10⁶ at
// 1 qps were refused at exchange.tmax for "peak 1 requests per second ×
// tmax 1s × 1000 bidders", which no tmax or qps could mend.
func TestInFlightMessageQueues(t *testing.T) {
	cfg := world(MaxBidders, Uniform(0, 1))
	cfg.Traffic.QPS = 1
	cfg.Exchange.Tmax = Second
	for i := range cfg.Bidders {
		cfg.Bidders[i].Capacity = &Capacity{Workers: 1, Service: Constant(float64(Millisecond)), Queue: MaxQueue}
	}
	fe := fieldError(t, cfg.Validate(), "bidders[0].capacity.queue")
	for _, want := range []string{"about 8.0 GB", "bounded queues (1000000000 slots of the bidders' capacity.queue: 8.0 GB)", "or shorten the queues"} {
		if !strings.Contains(fe.Err.Error(), want) {
			t.Errorf("%q does not say %q", fe.Err, want)
		}
	}
}

// TestValidateStopAtScriptedRates checks that a stop is checked at every
// rate the script sets, not only the starting one: 10⁹ auctions after a
// step down to 0.001 qps would take 31,700 years (the engine ran into
// its clock's end, a run cut short that exited 0), and an hour after a
// step up to 10⁶ qps closes 3.6 × 10⁹ auctions, past MaxAuctions.
func TestValidateStopAtScriptedRates(t *testing.T) {
	cfg := world(1, Uniform(0, 1))
	cfg.Script = []Scheduled{{At: Second, Changes: []Change{SetQPS{QPS: 0.001}}}}
	fe := fieldError(t, cfg.ValidateStop(Stop{Auctions: MaxAuctions}), "stop.auctions")
	if !strings.Contains(fe.Err.Error(), "the script sets at 1s") {
		t.Errorf("%q does not name the script's step", fe.Err)
	}
	if err := cfg.ValidateStop(Stop{Auctions: 1000}); err != nil {
		t.Errorf("1000 auctions: %v", err)
	}
	cfg.Script = []Scheduled{{At: Second, Changes: []Change{SetQPS{QPS: MaxQPS}}}}
	fieldError(t, cfg.ValidateStop(Stop{Duration: Hour}), "stop.duration")
	if err := cfg.ValidateStop(Stop{Duration: Hour, Auctions: MaxAuctions}); err != nil {
		t.Errorf("both limits: %v", err)
	}
	// Under a scale the script's rate is at full scale, divided as the
	// engine divides it.
	cfg.Traffic.Scale = 1000
	if err := cfg.ValidateStop(Stop{Duration: Hour}); err != nil {
		t.Errorf("scaled: %v", err)
	}
}

// Worlds drawn at the ends of the supported ranges validate and run
// without a negative clock or negative money: what is accepted runs.
func TestWorldsAtRangeEndsRun(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		end := func(label string, lo, hi float64) float64 {
			return rapid.SampledFrom([]float64{lo, hi, (lo + hi) / 2}).Draw(t, label)
		}
		n := rapid.IntRange(1, 4).Draw(t, "bidders")
		cfg := Config{
			Seed:     rapid.Uint64().Draw(t, "seed"),
			Traffic:  Traffic{QPS: end("qps", MinQPS, 1e4)},
			Exchange: ExchangeConfig{Auction: SecondPrice, Tmax: Time(end("tmax", 1, float64(Millisecond*100))), Floor: PriceOf(end("floor", 0, MaxCPM))},
			Horizon:  Hour,
		}
		if rapid.Bool().Draw(t, "first price") {
			cfg.Exchange.Auction = FirstPrice
		}
		for i := range n {
			b := BidderConfig{Name: string(rune('a' + i)), Value: Uniform(0, end("value", 0, MaxCPM))}
			switch rapid.IntRange(0, 2).Draw(t, "strategy") {
			case 1:
				b.Strategy = Strategy{Kind: Shade, Factor: end("factor", 1e-9, MaxShadeFactor)}
			case 2:
				b.Strategy = Strategy{Kind: Fixed, Bid: PriceOf(end("bid", 0, MaxCPM))}
			}
			if rapid.Bool().Draw(t, "budget") {
				b.Budget = &Budget{Total: MoneyOf(end("total", 0, MaxCurrency)), Pacing: PacingKind(rapid.IntRange(0, 2).Draw(t, "pacing"))}
			}
			if rapid.Bool().Draw(t, "outcome") {
				// The longest mean delay whose pending conversions fit
				// the memory budget at this rate.
				delay := min(float64(MaxDelay), MaxInFlightBytes/2/(cfg.Traffic.QPS*pendingEventBytes)*float64(Second))
				b.Outcome = &Outcome{CTR: 1, CVR: 1, OrderValue: MoneyOf(end("order", 0, MaxCurrency)), Delay: Exponential(delay)}
			}
			if rapid.Bool().Draw(t, "latency") {
				b.Latency = LogNormalMedianP99(float64(Microsecond), end("p99", float64(Microsecond), float64(MaxLatency)))
			}
			cfg.Bidders = append(cfg.Bidders, b)
		}
		e, err := New(cfg)
		if err != nil {
			t.Fatalf("at the ends of the ranges: %v", err)
		}
		e.RunTo(MaxRunTime, 2000)
		s := e.Snapshot()
		if s.Now < 0 || s.Exchange.Revenue < 0 || s.Exchange.Value < 0 || s.Exchange.RevenueLost < 0 {
			t.Fatalf("now %v, revenue %v, value %v, lost %v", s.Now, s.Exchange.Revenue, s.Exchange.Value, s.Exchange.RevenueLost)
		}
		for _, b := range s.Bidders {
			if b.Spend < 0 || b.Value < 0 {
				t.Fatalf("%s: spend %v, value %v", b.Name, b.Spend, b.Value)
			}
		}
	})
}

// TestDurationsWrittenAsGiven checks that a duration out of range is
// written as a scenario writes it, "-1h", not Duration's "-1h0m0s", while
// 0 stays "0s" and a duration with seconds keeps them.
func TestDurationsWrittenAsGiven(t *testing.T) {
	for _, c := range []struct {
		x    Time
		want string
	}{{-Hour, "-1h must be > 0"}, {-90 * Minute, "-1h30m must be > 0"}, {-Minute, "-1m must be > 0"},
		{0, "0s must be > 0"}, {-61 * Second, "-1m1s must be > 0"}, {-5 * Millisecond, "-5ms must be > 0"}} {
		if err := perRange.check(float64(c.x)); err == nil || err.Error() != c.want {
			t.Errorf("%v: %v, want %q", c.x, err, c.want)
		}
	}
	cfg := world(2, Uniform(0, 1))
	cfg.Traffic.Users = &Users{Count: 100}
	cfg.Bidders[0].Outcome = &Outcome{CVR: 0.1, ConversionPeriod: -Hour}
	if fe := fieldError(t, cfg.Validate(), "bidders[0].outcome.conversion_period"); fe.Err.Error() != "-1h must be > 0" {
		t.Errorf("conversion_period -1h: %v", fe.Err)
	}
}
