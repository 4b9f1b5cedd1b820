package openrtb

import (
	"errors"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/report"
)

// TestFlagsCheck checks --openrtb's refusals, each naming its flag, and
// where the auctions go.
func TestFlagsCheck(t *testing.T) {
	for _, c := range []struct {
		f     Flags
		given []string
		json  bool
		flag  string
		want  string
	}{
		{Flags{}, []string{"openrtb"}, false, "--openrtb", "--openrtb must be > 0"},
		{Flags{Out: "a.jsonl"}, []string{"openrtb-out"}, false, "--openrtb-out", "--openrtb-out needs --openrtb N"},
		{Flags{N: 3}, []string{"openrtb"}, true, "--openrtb", "--openrtb without --openrtb-out writes the auctions to stdout"},
	} {
		given := map[string]bool{}
		for _, g := range c.given {
			given[g] = true
		}
		err := c.f.Check(given, c.json)
		var oe *report.OptionError
		if !errors.As(err, &oe) || oe.Option() != c.flag || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%+v: %v; want %q", c.f, err, c.want)
		}
	}
	if err := (Flags{N: 3, Out: "a.jsonl"}).Check(map[string]bool{"openrtb": true, "openrtb-out": true}, true); err != nil {
		t.Errorf("--openrtb 3 --openrtb-out a.jsonl --json: %v", err)
	}
	if !(Flags{N: 3}).ToStdout() || (Flags{N: 3, Out: "a"}).ToStdout() || (Flags{}).ToStdout() {
		t.Error("ToStdout: the auctions go to stdout only for --openrtb N without --openrtb-out")
	}
}
