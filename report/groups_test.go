package report

import (
	"encoding/json"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// TestGroupsAndHoldoutJSON writes a run with a group, an idle group, a
// holdout and an unspent budget, and reads the JSON back as a script would.
func TestGroupsAndHoldoutJSON(t *testing.T) {
	out := &sim.Outcome{CTR: 0.05, CVR: 0.2, OrderValue: sim.MoneyOf(2), BaselineCVR: 0.01, Delay: sim.Constant(float64(sim.Second))}
	held := *out
	held.Holdout = 0.2
	cfg := sim.Config{
		Seed:     5,
		Traffic:  sim.Traffic{QPS: 1000},
		Exchange: sim.ExchangeConfig{Auction: sim.SecondPrice, Tmax: 100 * sim.Millisecond},
		Horizon:  5 * sim.Second,
		Bidders: []sim.BidderConfig{
			{Name: "a", Group: "acme", Value: sim.Uniform(1, 3), Outcome: &held},
			{Name: "b", Group: "acme", Value: sim.Uniform(0, 0.2), Outcome: out,
				Budget: &sim.Budget{Total: sim.MoneyOf(50), Pacing: sim.PacingMultiplier}},
			{Name: "idle", Group: "quiet", Value: sim.Constant(1), Disabled: true},
		},
	}
	eng, err := sim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	eng.RunUntil(5 * sim.Second)
	snap := eng.Snapshot()
	data, err := json.Marshal(NewSummary(snap, Meta{}))
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Groups []struct {
			Name            string   `json:"name"`
			Members         []string `json:"members"`
			Budget          float64  `json:"budget"`
			Spend           float64  `json:"spend"`
			Unspent         float64  `json:"unspent"`
			Wins            uint64   `json:"wins"`
			AttributedROAS  *float64 `json:"attributed_roas"`
			IncrementalROAS *float64 `json:"incremental_roas"`
		} `json:"groups"`
		Bidders []struct {
			Spend         float64 `json:"spend"`
			Wins          uint64  `json:"wins"`
			Unspent       bool    `json:"unspent"`
			UnspentReason string  `json:"unspent_reason"`
			Holdout       *struct {
				GhostWins   uint64 `json:"ghost_wins"`
				TreatedWins uint64 `json:"treated_wins"`
				Measured    struct {
					Mean, Lo, Hi *float64
				} `json:"measured_incremental_roas"`
				Cost struct {
					Impressions uint64 `json:"impressions"`
				} `json:"cost"`
			} `json:"holdout"`
		} `json:"bidders"`
	}
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Groups) != 2 {
		t.Fatalf("groups: %s", data)
	}
	acme, quiet := got.Groups[0], got.Groups[1]
	a, b := got.Bidders[0], got.Bidders[1]
	if acme.Name != "acme" || len(acme.Members) != 2 || acme.Spend != a.Spend+b.Spend || acme.Wins != a.Wins+b.Wins {
		t.Errorf("acme %+v does not add up its members %+v, %+v", acme, a, b)
	}
	if acme.Budget != 50 || acme.Unspent != 50-b.Spend || acme.AttributedROAS == nil || acme.IncrementalROAS == nil {
		t.Errorf("acme budget %g, unspent %g, ROAS %v %v", acme.Budget, acme.Unspent, acme.AttributedROAS, acme.IncrementalROAS)
	}
	if quiet.Spend != 0 || quiet.AttributedROAS != nil || quiet.IncrementalROAS != nil {
		t.Errorf("idle group: spend %g, ROAS %v %v; want nulls", quiet.Spend, quiet.AttributedROAS, quiet.IncrementalROAS)
	}
	if !b.Unspent || b.UnspentReason != "below_market" || a.Unspent {
		t.Errorf("unspent flags: a %v %q, b %v %q", a.Unspent, a.UnspentReason, b.Unspent, b.UnspentReason)
	}
	h := a.Holdout
	if h == nil || b.Holdout != nil {
		t.Fatalf("holdouts: a %v, b %v", h, b.Holdout)
	}
	if h.GhostWins == 0 || h.TreatedWins != a.Wins || h.Cost.Impressions != h.GhostWins {
		t.Errorf("holdout %+v for %d wins", h, a.Wins)
	}
	if m := h.Measured; m.Mean == nil || m.Lo == nil || m.Hi == nil || !(*m.Lo <= *m.Hi) {
		t.Errorf("measured incremental ROAS %+v", m)
	}
}

// TestHoldoutUnitJSON: a holdout's unit is written in a world with
// people, with the people figures by person; without people the JSON is
// as before, no unit and no people.
func TestHoldoutUnitJSON(t *testing.T) {
	out := &sim.Outcome{CTR: 0.1, CVR: 0.2, OrderValue: sim.MoneyOf(2), BaselineCVR: 0.02, Delay: sim.Constant(float64(sim.Second)), Holdout: 0.3}
	base := sim.Config{
		Seed:     7,
		Traffic:  sim.Traffic{QPS: 1000},
		Exchange: sim.ExchangeConfig{Auction: sim.SecondPrice, Tmax: 100 * sim.Millisecond},
		Bidders: []sim.BidderConfig{
			{Name: "a", Value: sim.Uniform(1, 3), Outcome: out},
			{Name: "b", Value: sim.Uniform(0, 2)},
		},
	}
	byRequest := *out
	byRequest.HoldoutUnit = sim.HoldoutByRequest
	for _, tc := range []struct {
		people  bool
		outcome *sim.Outcome
		unit    string
	}{{false, out, ""}, {true, out, "person"}, {true, &byRequest, "request"}} {
		cfg := base
		cfg.Bidders = append([]sim.BidderConfig(nil), base.Bidders...)
		cfg.Bidders[0].Outcome = tc.outcome
		if tc.people {
			cfg.Traffic.Users = &sim.Users{Count: 1000}
		}
		eng, err := sim.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		eng.RunUntil(10 * sim.Second)
		data, err := json.Marshal(NewSummary(eng.Snapshot(), Meta{}))
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			Bidders []struct {
				Holdout map[string]any `json:"holdout"`
			} `json:"bidders"`
		}
		if err := json.Unmarshal(data, &got); err != nil {
			t.Fatal(err)
		}
		h := got.Bidders[0].Holdout
		unit, _ := h["unit"].(string)
		_, people := h["treated_people"]
		if unit != tc.unit || people != (tc.unit == "person") {
			t.Errorf("people %v, unit %q: the JSON says unit %q, treated_people present %v", tc.people, tc.unit, unit, people)
		}
		if tc.unit == "person" {
			tp, cp := h["treated_people"].(float64), h["control_people"].(float64)
			if !(tp > 0 && cp > 0 && cp < tp) {
				t.Errorf("people in the arms: %v treated, %v control (share 0.3)", tp, cp)
			}
			for _, k := range []string{"lift_per_person", "measured_incremental_conversions", "measured_incremental_value"} {
				if e, ok := h[k].(map[string]any); !ok || e["lo"] == nil || e["hi"] == nil {
					t.Errorf("%s: %v", k, h[k])
				}
			}
			if _, ok := h["true_incremental_roas"].(float64); !ok {
				t.Errorf("true_incremental_roas: %v", h["true_incremental_roas"])
			}
		}
	}
}

// TestGoalBudgetBoundJSON: a goal bidder's JSON says budget_bound as sim
// finds it: flight-week's initech-cpa bound by a daily budget too small
// for its target, and not with its own, where the target binds.
func TestGoalBudgetBoundJSON(t *testing.T) {
	for _, c := range []struct {
		sets []scenarios.Set
		want bool
	}{{[]scenarios.Set{{Flag: "--set", Path: "bidders.initech-cpa.budget.daily", Value: "2"}}, true}, {nil, false}} {
		snap, name := flightWeek(t, c.sets)
		s := NewSummary(snap, Meta{Scenario: name})
		for _, b := range s.Bidders {
			if b.Name == "initech-cpa" && (b.Goal == nil || b.Goal.BudgetBound != c.want) {
				t.Errorf("%v: goal %+v, want budget_bound %v", c.sets, b.Goal, c.want)
			}
		}
	}
}

// TestGoalCalibrationJSON: a goal bidder's JSON gives its calibration κ as
// sim has it, so that multiplier / calibration, the controller's own
// factor (at most 10), can be read from the JSON: flight-week's
// initech-cpa, whose people convert once a period, after two days.
func TestGoalCalibrationJSON(t *testing.T) {
	snap, name := flightWeek(t, nil)
	b, ok := snap.FindBidder("initech-cpa")
	if !ok || b.Goal == nil {
		t.Fatal("flight-week has no goal bidder initech-cpa")
	}
	out, err := json.Marshal(NewSummary(snap, Meta{Scenario: name}))
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Bidders []struct {
			Name string
			Goal map[string]any
		}
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	for _, g := range got.Bidders {
		if g.Name != "initech-cpa" {
			continue
		}
		k, ok := g.Goal["calibration"].(float64)
		if !ok || k != b.Goal.Calibration || k < 0.1 || k > 1 {
			t.Errorf("goal %v: calibration %v, want sim's κ %v in [0.1, 1]", g.Goal, g.Goal["calibration"], b.Goal.Calibration)
		}
		if m := g.Goal["multiplier"].(float64) / k; m > 10+1e-9 {
			t.Errorf("multiplier / calibration %v, more than 10", m)
		}
		return
	}
	t.Error("no initech-cpa in the JSON")
}

// flightWeek runs flight-week, with sets, for two days: its goal bidder
// initech-cpa has then seen its people convert. It returns the snapshot
// and the scenario's name.
func flightWeek(t *testing.T, sets []scenarios.Set) (*sim.Snapshot, string) {
	t.Helper()
	sc, _, err := scenarios.ResolveWith("flight-week", sets)
	if err != nil {
		t.Fatal(err)
	}
	e, err := sim.New(sc.Config)
	if err != nil {
		t.Fatal(err)
	}
	e.RunUntil(2 * sim.Day)
	return e.Snapshot(), sc.Name
}
