package scenarios

import (
	"errors"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
)

// worldScenario is minimal with one line for bidder a's extra fields.
func worldScenario(extra string) string {
	return "stop: {auctions: 1000}\ntraffic: {qps: 100}\nexchange: {tmax: 100ms}\nbidders:\n  - name: a\n    value: 1\n" + extra
}

// refusedAt parses src, which must be refused, and returns the error
// naming field, with its line.
func refusedAt(t *testing.T, src, field string) *Error {
	t.Helper()
	_, err := Parse("w.yaml", []byte(src))
	var es Errors
	if !errors.As(err, &es) {
		t.Fatalf("%q: not refused (%v)", src, err)
	}
	for _, e := range es {
		if e.Field == field {
			return e
		}
	}
	t.Fatalf("%q: no error for %s: %v", src, field, err)
	return nil
}

// TestAttributionWindowParsed: outcome.attribution_window is a duration;
// a negative one or a word is refused on its line.
func TestAttributionWindowParsed(t *testing.T) {
	s := mustParse(t, worldScenario("    outcome: {ctr: 0.1, cvr: 0.1, order_value: 5, delay: {dist: exponential, mean: 1h}, attribution_window: 30m}\n"))
	if w := s.Config.Bidders[0].Outcome.AttributionWindow; w != 30*sim.Minute {
		t.Errorf("window %v", w)
	}
	for _, bad := range []string{"-1s", "soon"} {
		e := refusedAt(t, worldScenario("    outcome: {ctr: 0.1, delay: {dist: constant, value: 0s},\n      attribution_window: "+bad+"}\n"), "bidders[0].outcome.attribution_window")
		if e.Line != 8 || !strings.Contains(e.Error(), "attribution_window") {
			t.Errorf("%s: %v at line %d", bad, e, e.Line)
		}
	}
}
