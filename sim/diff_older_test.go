package sim

import "testing"

// TestDiffOlder: the scenario an older export embeds reads its script as
// auctionsim before a00a28a did: the whole budget of a bidder with a
// daily budget removed is a SetBudget Unlimited (Diff refuses it), and
// with capZero its total removed beside the daily budget is a cap of 0
// (Diff: KeepDaily); everything else as Diff.
func TestDiffOlder(t *testing.T) {
	old := dailyWorld(3, 2, Budget{Daily: MoneyOf(3), Total: MoneyOf(4)}, nil)
	noTotal := dailyWorld(3, 2, Budget{Daily: MoneyOf(3)}, nil)
	gone := dailyWorld(3, 2, Budget{Daily: MoneyOf(3)}, nil)
	gone.Bidders[0].Budget = nil
	for _, c := range []struct {
		name    string
		next    Config
		capZero bool
		want    Change
	}{
		{"whole budget removed", gone, false, SetBudget{Bidder: "b", Unlimited: true}},
		{"whole budget removed, capZero", gone, true, SetBudget{Bidder: "b", Unlimited: true}},
		{"total removed", noTotal, false, SetBudget{Bidder: "b", Unlimited: true, KeepDaily: true}},
		{"total removed, capZero", noTotal, true, SetBudget{Bidder: "b", Total: 0}},
	} {
		cs, err := DiffOlder(old, c.next, c.capZero)
		if err != nil || len(cs) != 1 || cs[0] != c.want {
			t.Errorf("%s: %v %v, want %v", c.name, cs, err, c.want)
		}
	}
	if _, err := Diff(old, gone); err == nil {
		t.Error("Diff: the whole budget of a daily bidder removed live is accepted")
	}
	if cs, err := Diff(old, noTotal); err != nil || len(cs) != 1 || cs[0] != Change(SetBudget{Bidder: "b", Unlimited: true, KeepDaily: true}) {
		t.Errorf("Diff: total removed: %v %v", cs, err)
	}
}
