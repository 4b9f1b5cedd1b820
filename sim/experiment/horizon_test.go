package experiment

import (
	"testing"

	"github.com/auctionsim/auctionsim/sim"
)

// TestPeopleUnkept: a shortened run keeps a world of people only where
// every cap's window and conversion period is short beside it (a tenth);
// the default conversion period, once a run, never is. Without people, or
// at the whole horizon, there is nothing to say.
func TestPeopleUnkept(t *testing.T) {
	out := &sim.Outcome{CTR: 0.02, CVR: 0.1, OrderValue: sim.MoneyOf(1), ConversionPeriod: sim.Minute}
	cfg := sim.Config{Horizon: 20 * sim.Minute, Traffic: sim.Traffic{QPS: 100, Users: &sim.Users{Count: 1000}},
		Bidders: []sim.BidderConfig{{Name: "a", Outcome: out, FrequencyCap: &sim.FrequencyCap{Impressions: 2, Per: 30 * sim.Second}}}}
	for _, c := range []struct {
		kept   sim.Time
		period sim.Time
		cap    sim.Time
		want   string
	}{
		{10 * sim.Minute, sim.Minute, 30 * sim.Second, ""},
		{20 * sim.Minute, 0, sim.Hour, ""}, // the whole horizon
		{10 * sim.Minute, 0, 30 * sim.Second, "a's conversion period (once a person per run)"},
		{10 * sim.Minute, 2 * sim.Minute, 30 * sim.Second, "a's conversion period (once a person per 2m)"},
		{10 * sim.Minute, sim.Minute, sim.Hour, "a's frequency cap (2 per 1h)"},
		{5 * sim.Minute, sim.Minute, 30 * sim.Second, "a's conversion period (once a person per 1m)"},
	} {
		o := *out
		o.ConversionPeriod = c.period
		cfg.Bidders[0].Outcome = &o
		cfg.Bidders[0].FrequencyCap = &sim.FrequencyCap{Impressions: 2, Per: c.cap}
		if got := PeopleUnkept(cfg, c.kept); got != c.want {
			t.Errorf("kept %v, period %v, cap per %v: %q, want %q", c.kept, c.period, c.cap, got, c.want)
		}
	}
	cfg.Traffic.Users = nil
	if got := PeopleUnkept(cfg, 5*sim.Minute); got != "" {
		t.Errorf("without people: %q", got)
	}
}
