package scenarios

import (
	"strings"
	"testing"
)

// A law written as the tool prints it, "uniform(0.5, 2)", is refused with
// the form it reads, the family's own example; a bare amount still reads
// as a constant.
func TestDistPrintedFormRefused(t *testing.T) {
	cases := []struct{ field, text, want string }{
		{"value", `"uniform(0.5, 2)"`, `"uniform(0.5, 2)": a distribution is written as a mapping, for example {dist: uniform, min: 0.5, max: 4}`},
		{"value", `"lognormal(median 1, p99 4)"`, `for example {dist: lognormal, median: 1.5, p99: 6}`},
		{"latency", `"Exponential(2ms)"`, `for example {dist: exponential, mean: 2ms}`},
	}
	for _, c := range cases {
		repl := "value: " + c.text + "}"
		if c.field == "latency" {
			repl = "value: 1, latency: " + c.text + "}"
		}
		src := strings.Replace(minimal, "value: 1}", repl, 1)
		_, err := Parse("w.yaml", []byte(src))
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "w.yaml:5") {
			t.Errorf("%s: %s: error %v, want w.yaml:5 and %q", c.field, c.text, err, c.want)
		}
	}
}
