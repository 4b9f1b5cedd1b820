package scenarios

import (
	"errors"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
)

// worldScenario is minimal with one line for bidder a's extra fields.
func worldScenario(extra string) string {
	return "stop: {auctions: 1000}\ntraffic: {qps: 100}\nexchange: {tmax: 100ms}\nbidders:\n  - name: a\n    value: 1\n" + extra
}

// refusedAt parses src, which must be refused, and returns the error
// naming field, with its line.
func refusedAt(t *testing.T, src, field string) *Error {
	t.Helper()
	_, err := Parse("w.yaml", []byte(src))
	var es Errors
	if !errors.As(err, &es) {
		t.Fatalf("%q: not refused (%v)", src, err)
	}
	for _, e := range es {
		if e.Field == field {
			return e
		}
	}
	t.Fatalf("%q: no error for %s: %v", src, field, err)
	return nil
}

// TestAttributionWindowParsed: outcome.attribution_window is a duration;
// a negative one or a word is refused on its line.
func TestAttributionWindowParsed(t *testing.T) {
	s := mustParse(t, worldScenario("    outcome: {ctr: 0.1, cvr: 0.1, order_value: 5, delay: {dist: exponential, mean: 1h}, attribution_window: 30m}\n"))
	if w := s.Config.Bidders[0].Outcome.AttributionWindow; w != 30*sim.Minute {
		t.Errorf("window %v", w)
	}
	for _, bad := range []string{"-1s", "soon"} {
		e := refusedAt(t, worldScenario("    outcome: {ctr: 0.1, delay: {dist: constant, value: 0s},\n      attribution_window: "+bad+"}\n"), "bidders[0].outcome.attribution_window")
		if e.Line != 8 || !strings.Contains(e.Error(), "attribution_window") {
			t.Errorf("%s: %v at line %d", bad, e, e.Line)
		}
	}
}

// TestDailyBudgetParsed: budget.daily alone has no total cap; with total
// both cap; delivery reads even, asap or front_loaded; a daily budget of
// 0 or below, a total of 0 beside a daily budget, an unknown delivery
// and a planned delivery without pacing are refused on their lines.
func TestDailyBudgetParsed(t *testing.T) {
	s := mustParse(t, worldScenario("    budget: {daily: 25.5, pacing: multiplier, delivery: front_loaded}\n"))
	b := s.Config.Bidders[0].Budget
	if b.Daily != sim.MoneyOf(25.5) || b.Total != 0 || b.Delivery != sim.DeliveryFrontLoaded || b.Pacing != sim.PacingMultiplier {
		t.Errorf("budget %+v", b)
	}
	s = mustParse(t, worldScenario("    budget: {daily: 10, total: 50}\n"))
	if b := s.Config.Bidders[0].Budget; b.Daily != sim.MoneyOf(10) || b.Total != sim.MoneyOf(50) || b.Delivery != sim.DeliveryDefault {
		t.Errorf("budget %+v", b)
	}
	for _, c := range []struct{ budget, field, says string }{
		// What to write instead: a sweep or split to 0 means a budget
		// that spends nothing, which {total: 0} is.
		{"{daily: 0}", "bidders[0].budget.daily", "for a bidder that spends nothing give budget={total: 0}"},
		{"{daily: -3}", "bidders[0].budget.daily", "must be > 0"},
		{"{daily: 2e10}", "bidders[0].budget.daily", "20000000000 is more than 1000000000"},
		{"{daily: 5, total: 0}", "bidders[0].budget.total", "leave total out"},
		// A total the loader refuses is not also called a total of 0.
		{"{daily: 5, total: -20}", "bidders[0].budget.total", "-20 must be ≥ 0"},
		{"{daily: 5, total: lots}", "bidders[0].budget.total", `got "lots"`},
		{"{daily: 5, pacing: throttle, delivery: soon}", "bidders[0].budget.delivery", "even, asap or front_loaded"},
		{"{daily: 5, delivery: even}", "bidders[0].budget.delivery", "needs a pacing controller"},
		{"{total: 5, pacing: throttle, delivery: even}", "bidders[0].budget.delivery", "needs budget.daily"},
	} {
		e := refusedAt(t, worldScenario("    budget: "+c.budget+"\n"), c.field)
		if e.Line != 7 || !strings.Contains(e.Error(), c.says) {
			t.Errorf("%s: %v at line %d", c.budget, e, e.Line)
		}
		if _, err := Parse("w.yaml", []byte(worldScenario("    budget: "+c.budget+"\n"))); c.budget != "{daily: 5, total: 0}" &&
			strings.Contains(err.Error(), "a total of 0") {
			t.Errorf("%s: %v, not a total of 0", c.budget, err)
		}
	}
}

// TestTrafficScaleParsed: traffic.scale is read as a number; a scale that
// is not a whole number ≥ 1, or a stop by auctions with one, is refused
// on its line.
func TestTrafficScaleParsed(t *testing.T) {
	src := "stop: {duration: 720h}\ntraffic: {qps: 1000, scale: 1000}\nexchange: {tmax: 100ms}\nbidders:\n  - name: a\n    value: 1\n"
	s := mustParse(t, src)
	if s.Config.Traffic.Scale != 1000 || s.Config.Traffic.QPS != 1000 {
		t.Errorf("traffic %+v", s.Config.Traffic)
	}
	e := refusedAt(t, strings.Replace(src, "scale: 1000", "scale: 2.5", 1), "traffic.scale")
	if e.Line != 2 || !strings.Contains(e.Error(), "whole number") {
		t.Errorf("%v at line %d", e, e.Line)
	}
	e = refusedAt(t, strings.Replace(src, "{duration: 720h}", "{auctions: 1000}", 1), "stop.auctions")
	if e.Line != 1 || !strings.Contains(e.Error(), "duration only") {
		t.Errorf("%v at line %d", e, e.Line)
	}
}
