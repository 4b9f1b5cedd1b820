package sim

import (
	"errors"
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
		{"floor", SetFloor{Floor: 1e7}, func(c *Config) { c.Exchange.Floor = 1e7 }, "exchange.floor"},
		{"floor NaN", SetFloor{Floor: math.NaN()}, func(c *Config) { c.Exchange.Floor = math.NaN() }, "exchange.floor"},
		{"increment", SetIncrement{Increment: -1}, func(c *Config) { c.Exchange.Increment = -1 }, "exchange.increment"},
		{"auction", SetAuction{Auction: 9}, func(c *Config) { c.Exchange.Auction = 9 }, "exchange.auction"},
		{"budget", SetBudget{Bidder: "b0", Total: 1e12}, func(c *Config) { c.Bidders[0].Budget = &Budget{Total: 1e12} }, "bidders[0].budget.total"},
		{"shade", SetStrategy{Bidder: "b0", Strategy: Strategy{Kind: Shade, Factor: 1e13}},
			func(c *Config) { c.Bidders[0].Strategy = Strategy{Kind: Shade, Factor: 1e13} }, "bidders[0].strategy.factor"},
		{"fixed", SetStrategy{Bidder: "b0", Strategy: Strategy{Kind: Fixed, Bid: 5e6}},
			func(c *Config) { c.Bidders[0].Strategy = Strategy{Kind: Fixed, Bid: 5e6} }, "bidders[0].strategy.bid"},
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
		{"exchange.floor", func(c *Config) { c.Exchange.Floor = MaxCPM }, func(c *Config) { c.Exchange.Floor = math.Nextafter(MaxCPM, 2*MaxCPM) }},
		{"bidders[0].strategy.factor", func(c *Config) { c.Bidders[0].Strategy = Strategy{Kind: Shade, Factor: MaxShadeFactor} },
			func(c *Config) { c.Bidders[0].Strategy = Strategy{Kind: Shade, Factor: 0} }},
		{"bidders[0].budget.total", func(c *Config) { c.Bidders[0].Budget = &Budget{Total: MaxCurrency} },
			func(c *Config) { c.Bidders[0].Budget = &Budget{Total: MaxCurrency * 2} }},
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
			Exchange: ExchangeConfig{Auction: SecondPrice, Tmax: Time(end("tmax", 1, float64(Millisecond*100))), Floor: end("floor", 0, MaxCPM)},
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
				b.Strategy = Strategy{Kind: Fixed, Bid: end("bid", 0, MaxCPM)}
			}
			if rapid.Bool().Draw(t, "budget") {
				b.Budget = &Budget{Total: end("total", 0, MaxCurrency), Pacing: PacingKind(rapid.IntRange(0, 2).Draw(t, "pacing"))}
			}
			if rapid.Bool().Draw(t, "outcome") {
				// The longest mean delay whose pending conversions fit
				// the memory budget at this rate.
				delay := min(float64(MaxDelay), MaxInFlightBytes/2/(cfg.Traffic.QPS*pendingEventBytes)*float64(Second))
				b.Outcome = &Outcome{CTR: 1, CVR: 1, OrderValue: end("order", 0, MaxCurrency), Delay: Exponential(delay)}
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
