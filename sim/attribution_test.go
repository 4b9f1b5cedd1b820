package sim

import (
	"math"
	"testing"
)

// attributionWorld is one bidder that wins every auction (no rival, no
// floor), every impression converting (organically or caused), with
// exponential delays of mean and an attribution window.
func attributionWorld(seed uint64, mean, window Time) Config {
	return Config{
		Seed:     seed,
		Traffic:  Traffic{QPS: 200},
		Exchange: ExchangeConfig{Auction: SecondPrice, Tmax: 100 * Millisecond},
		Bidders: []BidderConfig{{
			Name: "a", Value: Uniform(1, 2),
			Outcome: &Outcome{CTR: 0.5, CVR: 1, BaselineCVR: 0.5, OrderValue: MoneyOf(10),
				Delay: Exponential(float64(mean)), AttributionWindow: window},
		}},
	}
}

// TestAttributionWindowTheory: with exponential delays of mean m, the
// share of conversions last touch credits within a window W is
// 1 − e^(−W/m). Once traffic stops and every pending conversion has
// matured, the attributed share lies within 4 standard errors of it, at
// several windows; the others are unattributed but still counted as
// incremental or organic, and nothing is pending any more.
func TestAttributionWindowTheory(t *testing.T) {
	const mean = 2 * Second
	for i, w := range []Time{500 * Millisecond, 2 * Second, 5 * Second} {
		e, err := New(attributionWorld(uint64(7+i), mean, w))
		if err != nil {
			t.Fatal(err)
		}
		e.RunUntil(60 * Second)
		if s := e.Snapshot().Bidders[0]; s.Pending == 0 {
			t.Fatal("nothing pending at the stop: the test proves nothing of pending conversions")
		}
		if err := e.Apply(SetEnabled{Bidder: "a", Enabled: false}); err != nil {
			t.Fatal(err)
		}
		e.RunUntil(60*Second + 40*mean)
		b := e.Snapshot().Bidders[0]
		all := b.Conversions + b.Organic
		if b.Pending != 0 || all < 5000 {
			t.Fatalf("W=%v: %d pending, %d conversions", w, b.Pending, all)
		}
		p := 1 - math.Exp(-float64(w)/float64(mean))
		got := float64(b.AttributedConversions()) / float64(all)
		se := math.Sqrt(p * (1 - p) / float64(all))
		t.Logf("W=%v: attributed %.4f, theory %.4f ± %.4f (n=%d)", w, got, p, 4*se, all)
		if math.Abs(got-p) > 4*se {
			t.Errorf("W=%v: attributed share %.4f, theory %.4f ± %.4f", w, got, p, 4*se)
		}
		if v := b.AttributedValue(); v != 10*MoneyUnit*Money(b.AttributedConversions()) {
			t.Errorf("W=%v: attributed value %v for %d conversions of 10", w, v, b.AttributedConversions())
		}
	}
}

// TestAttributionWindowEdge: a conversion whose delay equals the window
// is attributed; one a nanosecond later is not. Without a window every
// conversion is attributed.
func TestAttributionWindowEdge(t *testing.T) {
	for _, c := range []struct {
		window Time
		all    bool
	}{{Second, true}, {Second - 1, false}, {0, true}} {
		cfg := attributionWorld(3, Second, c.window)
		cfg.Bidders[0].Outcome.Delay = Constant(float64(Second))
		e, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		e.RunUntil(10 * Second)
		b := e.Snapshot().Bidders[0]
		n := b.Conversions + b.Organic
		if n == 0 {
			t.Fatal("no conversions")
		}
		want := uint64(0)
		if c.all {
			want = n
		}
		if b.AttributedConversions() != want || b.Unattributed != n-want {
			t.Errorf("window %v: %d of %d attributed, %d unattributed", c.window, b.AttributedConversions(), n, b.Unattributed)
		}
	}
}

// TestAttributionWindowValidated: a negative window or one past the
// longest delay is refused, named by its field.
func TestAttributionWindowValidated(t *testing.T) {
	for _, w := range []Time{-1, MaxDelay + Second} {
		cfg := attributionWorld(1, Second, w)
		err := cfg.Validate()
		fe := FieldErrors(err)
		if len(fe) != 1 || fe[0].Field != "bidders[0].outcome.attribution_window" {
			t.Errorf("window %v: %v", w, err)
		}
	}
}
