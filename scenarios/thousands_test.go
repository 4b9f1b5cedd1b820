package scenarios

import (
	"strings"
	"testing"
)

// TestThousandsSeparator: {total: 1,000} is read by YAML as total: 1 and
// a key "000"; the error says so and what to write, at total's path, not
// "budget.000: unknown field". A real unknown key still says unknown field.
func TestThousandsSeparator(t *testing.T) {
	const base = `name: k
stop: {duration: 10s}
traffic: {qps: 100}
exchange: {auction: second-price, tmax: 100ms}
bidders:
  - name: a
    value: {dist: uniform, min: 1, max: 2}
    budget: BUDGET
`
	for _, c := range []struct{ budget, want, not string }{
		{"{total: 1,000}", "bidders[0].budget.total: 1,000: a comma in a number splits it in two in YAML; write 1000", "unknown field"},
		{"{total: 12,500, pacing: multiplier}", "write 12500", "unknown field"},
		{"{total: 100, totl: 5}", "bidders[0].budget.totl: unknown field", "comma"},
	} {
		_, err := Parse("k.yaml", []byte(strings.Replace(base, "BUDGET", c.budget, 1)))
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), c.not) {
			t.Errorf("%s: %v", c.budget, err)
		}
	}
}
