package wire

import (
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
)

// TestFlagsOptions checks the exchange's options from the flags: every
// bidder at --endpoints, the notices read, and a bad grace or notices
// value refused.
func TestFlagsOptions(t *testing.T) {
	sc, err := scenarios.Resolve("timeout-demo")
	if err != nil {
		t.Fatal(err)
	}
	var f Flags
	if f.On() {
		t.Error("on the wire with no flag")
	}
	f = Flags{Endpoints: "http://127.0.0.1:9", Notices: "all"}
	o, err := f.Options(sc)
	if !f.On() || err != nil || len(o.Endpoints) != len(sc.Config.Bidders) {
		t.Fatalf("options %+v, %v", o, err)
	}
	for name, url := range o.Endpoints {
		if url != "http://127.0.0.1:9/openrtb2/"+name {
			t.Errorf("%s at %s", name, url)
		}
	}
	if all, _ := ParseNotices("all"); o.Notices != all {
		t.Errorf("notices %v", o.Notices)
	}
	for _, bad := range []Flags{
		{Endpoints: "http://127.0.0.1:9", Notices: "some"},
		{Endpoints: "http://127.0.0.1:9", Notices: "all", LateGrace: -1},
	} {
		if _, err := bad.Options(sc); err == nil {
			t.Errorf("%+v accepted", bad)
		} else if bad.LateGrace < 0 && !strings.Contains(err.Error(), "--late-grace") {
			t.Errorf("%+v: %v", bad, err)
		}
	}
}
