package scenarios

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/sim"
)

// peopleLive is budget-split with people.
func peopleLive(t *testing.T) *Live {
	t.Helper()
	data, err := Source("budget-split")
	if err != nil {
		t.Fatal(err)
	}
	text, _, err := Apply(data, []Set{{Path: "traffic.users", Value: "{count: 1000, skew: 0.9}"}})
	if err != nil {
		t.Fatal(err)
	}
	l, err := NewLive("people.yaml", text)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// A frequency cap is a live assignment, whole or by part, and its
// canonical assignment reads back to the same change.
func TestFrequencyCapLiveAssignments(t *testing.T) {
	l := peopleLive(t)
	if l.Config().Traffic.Users.Count != 1000 || l.Config().Traffic.Users.Skew != 0.9 {
		t.Fatalf("users %+v", l.Config().Traffic.Users)
	}
	for _, c := range []sim.Change{
		sim.SetFrequencyCap{Bidder: "rival-a", Cap: &sim.FrequencyCap{Impressions: 3, Per: 24 * sim.Hour}},
		sim.SetFrequencyCap{Bidder: "rival-a", Cap: &sim.FrequencyCap{Impressions: 7, Per: 1500 * sim.Microsecond}},
		sim.SetFrequencyCap{Bidder: "rival-a"},
	} {
		sets, ok := Assignments(c)
		if !ok || len(sets) != 1 {
			t.Fatalf("%v: no assignment", c)
		}
		got, err := l.Set(sets)
		if err != nil || len(got) != 1 || got[0].String() != c.String() {
			t.Errorf("%v as %s: %v %v", c, sets[0], got, err)
		}
	}
	l.Set([]Set{{Path: "bidders.rival-a.frequency_cap", Value: "{impressions: 2, per: 1h}"}})
	got, err := l.Set([]Set{{Path: "bidders.rival-a.frequency_cap.impressions", Value: "3"}})
	want := sim.SetFrequencyCap{Bidder: "rival-a", Cap: &sim.FrequencyCap{Impressions: 3, Per: sim.Hour}}
	if err != nil || len(got) != 1 || got[0].String() != want.String() {
		t.Errorf("impressions=3: %v %v", got, err)
	}
	if _, err := l.Set([]Set{{Path: "bidders.rival-a.frequency_cap.impressions", Value: "0"}}); err == nil {
		t.Error("a cap of 0 accepted")
	}
	if _, err := l.Set([]Set{{Path: "traffic.users.count", Value: "5"}}); err == nil || !strings.Contains(err.Error(), "cannot change during a run") {
		t.Errorf("people changed live: %v", err)
	}
	// Without people a cap is refused, naming the field.
	if _, err := liveOf(t, "budget-split").Set([]Set{{Path: "bidders.rival-a.frequency_cap", Value: "{impressions: 2, per: 1h}"}}); err == nil || !strings.Contains(err.Error(), "traffic.users") {
		t.Errorf("a cap without people: %v", err)
	}
}

// Bad people and caps are refused with the file's line and field.
func TestPeopleParseErrors(t *testing.T) {
	const head = "name: x\nstop: {auctions: 10}\nexchange: {tmax: 100ms}\n"
	const bidder = "bidders:\n  - name: a\n    value: 1\n"
	for _, c := range []struct{ yaml, want string }{
		{head + "traffic: {qps: 10, users: {count: 0}}\n" + bidder, "x.yaml:4:35: traffic.users.count: 0 must be ≥ 1"},
		{head + "traffic: {qps: 10, users: {count: 2000000}}\n" + bidder, "traffic.users.count: 2000000 is more than 1000000"},
		{head + "traffic: {qps: 10, users: {skew: 1}}\n" + bidder, "traffic.users.count: is required"},
		{head + "traffic: {qps: 10, users: {count: 5, skw: 1}}\n" + bidder, "did you mean skew?"},
		{head + "traffic: {qps: 10}\n" + bidder + "    frequency_cap: {impressions: 2, per: 1h}\n", "x.yaml:8:5: bidders[0].frequency_cap: needs people: set traffic.users"},
		{head + "traffic: {qps: 10, users: {count: 5}}\n" + bidder + "    frequency_cap: {impressions: 2}\n", "bidders[0].frequency_cap.per: is required"},
		{head + "traffic: {qps: 10, users: {count: 5}}\n" + bidder + "    frequency_cap: {impressions: 2, per: 0s}\n", "bidders[0].frequency_cap.per: 0s must be > 0"},
		{head + "traffic: {qps: 10, users: {count: 5}}\n" + bidder + "    endpoint: http://127.0.0.1:1/\n    frequency_cap: {impressions: 2, per: 1h}\n", "keeps its own caps"},
	} {
		_, err := Parse("x.yaml", []byte(c.yaml))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q:\n got %v\nwant %s", c.yaml, err, c.want)
		}
	}
	s, err := Parse("x.yaml", []byte(head+"traffic: {qps: 10, users: {count: 5, skew: 1.5}}\n"+bidder+"    frequency_cap: {impressions: 2, per: 1h}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if u, c := s.Config.Traffic.Users, s.Config.Bidders[0].FrequencyCap; *u != (sim.Users{Count: 5, Skew: 1.5}) || *c != (sim.FrequencyCap{Impressions: 2, Per: sim.Hour}) {
		t.Errorf("read %+v %+v", *u, *c)
	}
}

// outcome.conversion_period is read, and needs people.
func TestConversionPeriodParse(t *testing.T) {
	const yaml = "name: x\nstop: {auctions: 10}\nexchange: {tmax: 100ms}\ntraffic: {qps: 10%s}\nbidders:\n  - name: a\n    value: 1\n    outcome: {ctr: 0.1, conversion_period: 24h}\n"
	s, err := Parse("x.yaml", []byte(strings.Replace(yaml, "%s", ", users: {count: 5}", 1)))
	if err != nil || s.Config.Bidders[0].Outcome.ConversionPeriod != 24*sim.Hour {
		t.Fatalf("%v %v", s, err)
	}
	_, err = Parse("x.yaml", []byte(strings.Replace(yaml, "%s", "", 1)))
	if err == nil || !strings.Contains(err.Error(), "x.yaml:8:44: bidders[0].outcome.conversion_period: needs people") {
		t.Errorf("without people: %v", err)
	}
}

// An assignment to a frequency cap takes the quick route, with the full
// route's result.
func TestFrequencyCapQuickRoute(t *testing.T) {
	quick, full := peopleLive(t), peopleLive(t)
	full.full = true
	for _, set := range []Set{
		{Path: "bidders.rival-a.frequency_cap", Value: "{impressions: 3, per: 24h}"},
		{Path: "bidders.rival-b.frequency_cap", Value: "{impressions: 1, per: 90s}"},
		{Path: "bidders.rival-a.frequency_cap", Value: "null"},
	} {
		cq, errQ := quick.Set([]Set{set})
		cf, errF := full.Set([]Set{set})
		if errQ != nil || errF != nil || fmt.Sprint(cq) != fmt.Sprint(cf) {
			t.Errorf("%s: quick %v %v, full %v %v", set, cq, errQ, cf, errF)
		}
		if quick.pending == nil {
			t.Errorf("%s: not by the quick route", set)
		}
	}
	if !reflect.DeepEqual(quick.Config(), full.Config()) {
		t.Errorf("configs differ:\n%+v\n%+v", quick.Config().Bidders, full.Config().Bidders)
	}
	if !bytes.Equal(quick.YAML(), full.YAML()) {
		t.Errorf("texts differ:\n%s\n%s", quick.YAML(), full.YAML())
	}
}

// A frequency cap's period is logged as a file writes it ("24h", not
// Go's "24h0m0s"), and the old form still reads back to the same change.
func TestFrequencyCapPerLoggedAsWritten(t *testing.T) {
	for _, w := range []struct {
		per  sim.Time
		want string
	}{{24 * sim.Hour, "24h"}, {90 * sim.Minute, "1h30m"}, {90 * sim.Second, "1m30s"}, {10 * sim.Second, "10s"}, {sim.Hour + sim.Second, "1h0m1s"}} {
		c := sim.SetFrequencyCap{Bidder: "rival-a", Cap: &sim.FrequencyCap{Impressions: 3, Per: w.per}}
		sets, ok := Assignments(c)
		if !ok || len(sets) != 1 || sets[0].Value != "{impressions: 3, per: "+w.want+"}" {
			t.Errorf("%v: %v %v, want per: %s", c, sets, ok, w.want)
			continue
		}
		for _, text := range []string{sets[0].Value, "{impressions: 3, per: " + time.Duration(w.per).String() + "}"} {
			l := peopleLive(t)
			got, err := l.Set([]Set{{Path: sets[0].Path, Value: text}})
			if err != nil || len(got) != 1 || !reflect.DeepEqual(got[0], sim.Change(c)) {
				t.Errorf("%s: %v %v, want %v", text, got, err, c)
			}
		}
	}
}
