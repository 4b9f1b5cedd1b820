package openrtb

import (
	"testing"

	"github.com/auctionsim/auctionsim/sim"
)

// With people every request, to the exchange and to each bidder, carries
// the person as user.id, and a frequency-capped bidder answers OpenRTB's
// no-bid reason 9; without people there is no user object.
func TestPeopleUserIDAndCapReason(t *testing.T) {
	cfg := specWorld(sim.SecondPrice)
	cfg.Traffic.Users = &sim.Users{Count: 2}
	cfg.Bidders[0].FrequencyCap = &sim.FrequencyCap{Impressions: 1, Per: sim.Hour}
	cfg.Bidders[0].Value = sim.Constant(1000) // it wins whenever it bids
	recs, seats := run(t, cfg, 40)
	capped := 0
	for _, rec := range recs {
		a, err := FromRecord(rec, seats)
		if err != nil {
			t.Fatal(err)
		}
		line, err := Indent(a)
		if err != nil {
			t.Fatal(err)
		}
		if err := Validate(line); err != nil {
			t.Errorf("auction %d: %v", rec.ID, err)
		}
		want := UserID(rec.Person)
		if rec.Person == 0 || a.Request.User == nil || a.Request.User.ID != want {
			t.Fatalf("auction %d of person %d: request user %+v", rec.ID, rec.Person, a.Request.User)
		}
		for _, leg := range a.Responses {
			if leg.Request.User == nil || leg.Request.User.ID != want {
				t.Errorf("auction %d: %s's request user %+v", rec.ID, leg.Seat, leg.Request.User)
			}
		}
		if r := rec.Responses[0]; r.Status == sim.NoBid && r.Reason == sim.FrequencyCapped {
			capped++
			leg := a.Responses[0]
			if leg.Response == nil || leg.Response.NBR == nil || *leg.Response.NBR != NoBidDailyUserCap || leg.HTTPStatus == nil || *leg.HTTPStatus != HTTPOK || leg.Reason != "frequency capped" {
				t.Errorf("auction %d: capped leg %+v", rec.ID, leg)
			}
		}
	}
	if capped == 0 {
		t.Error("no capped no-bid among the auctions: the test proves nothing")
	}
	recs, seats = run(t, specWorld(sim.SecondPrice), 1)
	if a, _ := FromRecord(recs[0], seats); a.Request.User != nil || recs[0].Person != 0 {
		t.Errorf("without people: user %+v", a.Request.User)
	}
}
