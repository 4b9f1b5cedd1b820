package scenarios

import (
	"strings"
	"testing"
)

// TestGroupAndHoldout reads a bidder's group and its outcome's holdout,
// and refuses an empty group and a holdout outside [0, 1].
func TestGroupAndHoldout(t *testing.T) {
	const src = `
stop: {duration: 1s}
traffic: {qps: 100}
exchange: {tmax: 100ms}
bidders:
  - {name: a, value: 1, group: acme, outcome: {ctr: 0.1, holdout: 0.1}}
  - {name: b, value: 1}
`
	s, err := Parse("g.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	a, b := s.Config.Bidders[0], s.Config.Bidders[1]
	if a.Group != "acme" || b.Group != "" {
		t.Errorf("groups %q, %q; want acme and none", a.Group, b.Group)
	}
	if a.Outcome == nil || a.Outcome.Holdout != 0.1 {
		t.Errorf("holdout %+v, want 0.1", a.Outcome)
	}
	for _, bad := range []struct{ field, want string }{
		{`group: " "`, "bidders[0].group: must not be empty"},
		{`group: 3`, "bidders[0].group: want the name of the advertiser group"},
		{`outcome: {holdout: 1.5}`, "bidders[0].outcome.holdout: 1.5 is not a share in [0, 1]"},
	} {
		src := strings.Replace(src, "group: acme, outcome: {ctr: 0.1, holdout: 0.1}", bad.field, 1)
		_, err := Parse("g.yaml", []byte(src))
		if err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%s: error %v, want %q", bad.field, err, bad.want)
		}
	}
}
