package report

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
)

// A change log's target CPA must be > 0, as a scenario's must: a negative
// one is refused in those words, naming the field, and so is 0.
func TestDecodeChangeCPA(t *testing.T) {
	for _, c := range []struct{ value, want string }{
		{`{"kind":"target_cpa","cpa":-1}`, "cpa: -1 must be > 0"},
		{`{"kind":"target_cpa","cpa":0}`, "cpa: 0 must be > 0"},
	} {
		got, err := DecodeChange(sim.KindStrategy, "a", json.RawMessage(c.value))
		if err == nil || !strings.HasSuffix(err.Error(), c.want) {
			t.Errorf("%s: %#v, %v; want %q", c.value, got, err, c.want)
		}
	}
	if _, err := DecodeChange(sim.KindStrategy, "a", json.RawMessage(`{"kind":"target_cpa","cpa":0.5}`)); err != nil {
		t.Errorf("cpa 0.5: %v", err)
	}
}
