package scenarios

import (
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
)

// holdoutSrc has a bidder with a holdout (HOLDOUT) in a world with
// people (PEOPLE: ", users: {count: 100}" or nothing).
const holdoutSrc = `stop: {duration: 1s}
traffic: {qps: 100PEOPLE}
exchange: {tmax: 100ms}
bidders:
  - name: a
    value: 1
    outcome: {ctr: 0.1, holdout: HOLDOUT}
  - {name: b, value: 1}
`

func holdoutScenario(holdout string, people bool) string {
	p := ""
	if people {
		p = ", users: {count: 100}"
	}
	return strings.NewReplacer("HOLDOUT", holdout, "PEOPLE", p).Replace(holdoutSrc)
}

// TestHoldoutForms reads outcome.holdout as a share or as {share, unit},
// the unit's default person with people and request without.
func TestHoldoutForms(t *testing.T) {
	for _, tc := range []struct {
		holdout string
		people  bool
		share   float64
		unit    sim.HoldoutUnit
	}{
		{"0.1", false, 0.1, sim.HoldoutByRequest},
		{"0.1", true, 0.1, sim.HoldoutByPerson},
		{"{share: 0.2}", false, 0.2, sim.HoldoutByRequest},
		{"{share: 0.2}", true, 0.2, sim.HoldoutByPerson},
		{"{share: 0.3, unit: request}", false, 0.3, sim.HoldoutByRequest},
		{"{share: 0.3, unit: request}", true, 0.3, sim.HoldoutByRequest},
		{"{share: 0.4, unit: person}", true, 0.4, sim.HoldoutByPerson},
	} {
		s, err := Parse("h.yaml", []byte(holdoutScenario(tc.holdout, tc.people)))
		if err != nil {
			t.Errorf("%s (people %v): %v", tc.holdout, tc.people, err)
			continue
		}
		o := s.Config.Bidders[0].Outcome
		if o.Holdout != tc.share || o.UnitIn(tc.people) != tc.unit {
			t.Errorf("%s (people %v): share %g unit %v, want %g %v", tc.holdout, tc.people, o.Holdout, o.UnitIn(tc.people), tc.share, tc.unit)
		}
	}
}

// TestHoldoutRefusals: a holdout by person without people, an unknown
// unit or field, a mapping without its share and a share out of range
// are refused at their file, line and column, naming the field.
func TestHoldoutRefusals(t *testing.T) {
	for _, tc := range []struct {
		holdout string
		people  bool
		want    string
	}{
		{"{share: 0.1, unit: person}", false, "h.yaml:7:53: bidders[0].outcome.holdout.unit: person needs people: set traffic.users, or write unit: request"},
		{"{share: 0.1, unit: people}", true, `h.yaml:7:53: bidders[0].outcome.holdout.unit: "people" is not a holdout unit (want person or request)`},
		{"{share: 0.1, units: person}", true, "h.yaml:7:47: bidders[0].outcome.holdout.units: unknown field; did you mean unit?"},
		{"{unit: person}", true, "h.yaml:7:25: bidders[0].outcome.holdout.share: is required"},
		{"{share: 1.5}", true, "h.yaml:7:42: bidders[0].outcome.holdout.share: 1.5 is not a share in [0, 1]"},
		{"1.5", false, "h.yaml:7:34: bidders[0].outcome.holdout: 1.5 is not a share in [0, 1]"},
		{"[0.1]", false, "h.yaml:7:25: bidders[0].outcome.holdout: want a share in [0, 1], got a list"},
	} {
		_, err := Parse("h.yaml", []byte(holdoutScenario(tc.holdout, tc.people)))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s (people %v): error %v, want %q", tc.holdout, tc.people, err, tc.want)
		}
	}
}

// TestHoldoutPaths: --set and a script reach holdout.share and
// holdout.unit by the YAML's own paths, a holdout written as a share
// included; the unit and share cannot change live, and a refusal names
// the field.
func TestHoldoutPaths(t *testing.T) {
	src := holdoutScenario("0.1", true)
	for _, tc := range []struct {
		set   Set
		share float64
		unit  sim.HoldoutUnit
	}{
		{Set{Path: "bidders.a.outcome.holdout.share", Value: "0.3", Flag: "--set"}, 0.3, sim.HoldoutDefault},
		{Set{Path: "bidders.a.outcome.holdout.unit", Value: "request", Flag: "--set"}, 0.1, sim.HoldoutByRequest},
		{Set{Path: "bidders.a.outcome.holdout", Value: "{share: 0.2, unit: person}", Flag: "--set"}, 0.2, sim.HoldoutByPerson},
	} {
		s, _, err := ParseWith("h.yaml", []byte(src), []Set{tc.set})
		if err != nil {
			t.Errorf("%s: %v", tc.set, err)
			continue
		}
		if o := s.Config.Bidders[0].Outcome; o.Holdout != tc.share || o.HoldoutUnit != tc.unit {
			t.Errorf("%s: share %g unit %v, want %g %v", tc.set, o.Holdout, o.HoldoutUnit, tc.share, tc.unit)
		}
	}
	// Without people, a unit of person set is refused naming the flag
	// and the field.
	_, _, err := ParseWith("h.yaml", []byte(holdoutScenario("0.1", false)), []Set{{Path: "bidders.a.outcome.holdout.unit", Value: "person", Flag: "--set"}})
	if err == nil || !strings.Contains(err.Error(), "--set bidders.a.outcome.holdout.unit=person: person needs people") {
		t.Errorf("unit person without people: %v", err)
	}
	// Live: neither the share nor the unit changes during a run; the
	// default written out is no change.
	l, err := NewLive("h.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		"bidders.a.outcome.holdout.unit=request": "bidders.a.outcome.holdout.unit: cannot change during a run",
		"bidders.a.outcome.holdout.share=0.2":    "bidders.a.outcome.holdout.share: cannot change during a run",
	} {
		p, v, _ := strings.Cut(path, "=")
		_, err := l.Set([]Set{{Path: p, Value: v, Flag: ":"}})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", path, err, want)
		}
	}
	if changes, err := l.Set([]Set{{Path: "bidders.a.outcome.holdout.unit", Value: "person", Flag: ":"}}); err != nil || len(changes) != 0 {
		t.Errorf("the default unit written out: %v, %v", changes, err)
	}
	// A script: the same paths, on a holdout written as a share; an
	// unknown part is named.
	script := src + "script:\n  - at: 0.5s\n    set: {bidders.a.outcome.holdout.unit: request}\n"
	if _, err := Parse("h.yaml", []byte(script)); err == nil || !strings.Contains(err.Error(), "h.yaml:11:11: bidders.a.outcome.holdout.unit: cannot change during a run (live: ") {
		t.Errorf("a script's unit: %v", err)
	}
	bad := strings.Replace(script, "holdout.unit", "holdout.unitt", 1)
	if _, err := Parse("h.yaml", []byte(bad)); err == nil || !strings.Contains(err.Error(), "holdout.unitt: unknown field; did you mean unit?") {
		t.Errorf("a script's unknown part: %v", err)
	}
}

// TestHoldoutByPersonEndpoint: a bidder reached over its endpoint cannot
// hold out people; without people its holdout is read as before.
func TestHoldoutByPersonEndpoint(t *testing.T) {
	src := strings.Replace(holdoutScenario("0.1", true), "    value: 1\n", "    value: 1\n    endpoint: http://127.0.0.1:8080/bid\n", 1)
	_, err := Parse("h.yaml", []byte(src))
	if err == nil || !strings.Contains(err.Error(), "h.yaml:8:34: bidders[0].outcome.holdout: a bidder reached over its endpoint") {
		t.Errorf("a holdout by person over an endpoint: %v", err)
	}
	src = strings.Replace(holdoutScenario("0.1", false), "    value: 1\n", "    value: 1\n    endpoint: http://127.0.0.1:8080/bid\n", 1)
	if _, err := Parse("h.yaml", []byte(src)); err != nil {
		t.Errorf("a holdout by request over an endpoint: %v", err)
	}
}

// TestHoldoutWithoutModelRefused: a holdout on a bidder with no outcome
// model (no ctr, no baseline_cvr: the outcome a holdout alone makes)
// would test nothing and measure [0, 0]; it is refused in a file at its
// line and column, as --set naming the flag, and as a live change naming
// the assignment. With a click rate, or organic conversions alone (a
// test of no effect), it stands.
func TestHoldoutWithoutModelRefused(t *testing.T) {
	const why = "has no outcome model (no outcome.ctr, no outcome.baseline_cvr), so its holdout test has nothing to measure"
	src := strings.Replace(holdoutScenario("0.2", false), "{ctr: 0.1, holdout: 0.2}", "{holdout: 0.2}", 1)
	if _, err := Parse("h.yaml", []byte(src)); err == nil || !strings.Contains(err.Error(), "h.yaml:7:24: bidders[0].outcome.holdout: the bidder "+why) {
		t.Errorf("a holdout alone in a file: %v", err)
	}
	for _, ok := range []string{"{ctr: 0.1, holdout: 0.2}", "{baseline_cvr: 0.01, holdout: 0.2}", "{holdout: 0}"} {
		if _, err := Parse("h.yaml", []byte(strings.Replace(src, "{holdout: 0.2}", ok, 1))); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}

	_, _, err := ResolveWith("flight-week", []Set{{Path: "bidders.rival.outcome.holdout", Value: "0.2", Flag: "--set"}})
	if err == nil || !strings.Contains(err.Error(), "--set bidders.rival.outcome.holdout=0.2: ") || !strings.Contains(err.Error(), why) {
		t.Errorf("--set a holdout on flight-week's rival: %v", err)
	}
	if _, _, err := ResolveWith("flight-week", []Set{{Path: "bidders.rival.outcome", Value: "{ctr: 0.05, cvr: 0.1, holdout: 0.2}", Flag: "--set"}}); err != nil {
		t.Errorf("--set an outcome model with its holdout on flight-week's rival: %v", err)
	}

	s, err := ParseSet(":", "bidders.rival-a.outcome.holdout=0.2")
	if err != nil {
		t.Fatal(err)
	}
	got, err := liveOf(t, "budget-split").Set([]Set{s})
	if err == nil || !strings.Contains(err.Error(), ":bidders.rival-a.outcome.holdout=0.2: ") || !strings.Contains(err.Error(), why) {
		t.Errorf("a live holdout on budget-split's rival-a: %v %v", got, err)
	}
}
