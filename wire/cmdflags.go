package wire

// The options of auctionsim bidders and loadgen as their flags give
// them, and their checks: each refusal a report.OptionError naming the
// flag.

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/scenarios"
)

// BiddersFlags are auctionsim bidders' options.
type BiddersFlags struct {
	Listen     string        // the address to serve on
	Out        string        // the final /stats' file (JSON); "": none
	NoticeWait time.Duration // ServerOptions.NoticeWait
	Drain      time.Duration // time in-flight requests have when stopped
	For        time.Duration // stop by itself after For; 0: on a signal only
}

// Check refuses, once sc is read, an --out that is not .json, names a
// directory or sits in none, or names the scenario file, and durations
// out of range.
func (f BiddersFlags) Check(sc *scenarios.Scenario) error {
	if f.Out != "" {
		if err := report.CheckNotDir("--out", f.Out, "stats.json"); err != nil {
			return err
		}
		if !strings.EqualFold(filepath.Ext(f.Out), ".json") {
			return report.Optionf("--out", "--out: %s: the stats are JSON; the file name must end in .json", f.Out)
		}
		if err := (&report.Outputs{}).Input(report.InputsOf(sc)...).Add("--out", f.Out).Check(); err != nil {
			return report.Optionf("--out", "%w", err) // the guard's message names --out
		}
	}
	// Each named alone: the one that is wrong, with its value.
	switch {
	case f.NoticeWait <= 0:
		return report.Optionf("--notice-wait", "--notice-wait %v: must be > 0", f.NoticeWait)
	case f.Drain < 0:
		return report.Optionf("--drain", "--drain %v: must be ≥ 0", f.Drain)
	case f.For < 0:
		return report.Optionf("--for", "--for %v: must be ≥ 0 (0: until SIGINT or SIGTERM)", f.For)
	}
	return nil
}

// LoadFlags are auctionsim loadgen's options.
type LoadFlags struct {
	Target  string // the bidders server's URL
	Rate    float64
	Count   int
	Tmax    time.Duration // the tmax each request tells
	Timeout time.Duration // the load's limit
}

// Check refuses a target that is not an http(s) URL and counts, rates
// and durations out of range.
func (f LoadFlags) Check() error {
	switch {
	case f.Target == "":
		return report.Optionf("--target", "--target: want the bidders server's http:// URL, as --target http://127.0.0.1:8080")
	case !scenarios.IsHTTPURL(f.Target):
		// The check --endpoints has: refused before a request is sent,
		// not measured as a load that nothing answered.
		return report.Optionf("--target", "--target %q: not an http:// or https:// URL with a host; write the bidders server's base URL, as --target http://127.0.0.1:8080", f.Target)
	case !(f.Rate > 0) || f.Rate > 1e6:
		return report.Optionf("--rate", "--rate must be > 0 and at most 1000000")
	case f.Count <= 0:
		return report.Optionf("--count", "--count must be > 0")
	case f.Tmax < time.Millisecond:
		return report.Optionf("--tmax", "--tmax %v: must be ≥ 1ms", f.Tmax)
	case f.Timeout <= 0:
		return report.Optionf("--timeout", "--timeout %v: must be > 0", f.Timeout)
	}
	return nil
}

// Options are the load of sc's bidders at the flags' target.
func (f LoadFlags) Options(sc *scenarios.Scenario) LoadOptions {
	return LoadOptions{URLs: LoadURLs(sc.Config, f.Target), Rate: f.Rate, Count: f.Count, TmaxMS: f.Tmax.Milliseconds()}
}

// refuseGiven refuses the first of names given on the command line,
// format saying why (with the flag's name, without its dashes).
func refuseGiven(given map[string]bool, names []string, format string) error {
	for _, n := range names {
		if given[n] {
			return report.Optionf("--"+n, format, n)
		}
	}
	return nil
}

// CheckRun refuses, for run on the wire (given: the flags set), the
// flags that cannot go with it, and an --out (out; "" passes) of an
// unknown format or that the output guard refuses.
func (f *Flags) CheckRun(given map[string]bool, sc *scenarios.Scenario, out string) error {
	err := refuseGiven(given, []string{"replay", "openrtb", "openrtb-out", "reps"},
		"--%s cannot be combined with a run on the wire (--endpoints, --endpoint, a bidder's endpoint)")
	if err != nil || out == "" {
		return err
	}
	if err := report.CheckOut(out); err != nil {
		return err
	}
	return (&report.Outputs{}).Input(report.InputsOf(sc)...).Add("--out", out).Check()
}

// CheckOff refuses, for a run or dashboard that is not on the wire
// (given: the flags set), the flags that act only on it: else they would
// be ignored unseen. wire says what puts this command on the wire.
func CheckOff(given map[string]bool, wire string) error {
	for _, c := range []struct{ flag, does string }{
		{"late-grace", "reads the answers of the bidders on the wire past the deadline"},
		{"notices", "chooses the win and loss notices sent to the bidders on the wire"},
		{"no-notices", "stops the win and loss notices sent to the bidders on the wire"},
	} {
		if given[c.flag] {
			return report.Optionf("--"+c.flag, "--%s %s (%s); a simulated run has none", c.flag, c.does, wire)
		}
	}
	return nil
}

// RunWire and DashboardWire say, for CheckOff, what puts run and the
// dashboard on the wire.
const (
	RunWire       = "--endpoints, --endpoint, a bidder's endpoint"
	DashboardWire = RunWire
)

// Dashboard is the dashboard's source on the wire, when the flags ask
// for it (On) or a bidder of sc has an endpoint (sc's own endpoints
// join the flags'), as run goes on the wire: simulated, such a bidder
// would be its model shown as the real one. It is nil when neither puts
// it there; it refuses the flags that pace a simulation on the wire,
// and those that act only on the wire off it (given: the flags set).
func (f *Flags) Dashboard(given map[string]bool, sc *scenarios.Scenario, seed *uint64) (*Live, error) {
	if !f.On() && len(sc.Endpoints) == 0 {
		return nil, CheckOff(given, DashboardWire)
	}
	if err := refuseGiven(given, []string{"paused", "speed"}, "--%s cannot be combined with the dashboard on the wire ("+DashboardWire+"): its clock is the wall clock"); err != nil {
		return nil, err
	}
	return f.LiveFor(sc, seed)
}

// Exchange is sc's exchange on the wire as the flags ask (Options,
// NewExchange).
func (f *Flags) Exchange(sc *scenarios.Scenario) (*Exchange, error) {
	xo, err := f.Options(sc)
	if err != nil {
		return nil, err
	}
	return NewExchange(sc.Config, xo)
}

// Stopped is what bidders says when it stops, for stderr: the requests
// and the uptime after prefix, then Summary, a line a bidder.
func (s Stats) Stopped(prefix string) string { return s.StoppedWithin(prefix, 0) }

// StoppedWithin is Stopped for a terminal w cells wide (0: no limit), its
// bidders' lines fitted as SummaryWithin fits them.
func (s Stats) StoppedWithin(prefix string, w int) string {
	out := fmt.Sprintf("%sstopped after %s bid requests in %.1fs\n", prefix, format.Count(s.Requests()), s.UptimeSeconds)
	if w > 0 {
		w -= 2 // the indent
	}
	for _, l := range s.SummaryWithin(w) {
		out += "  " + l + "\n"
	}
	return out
}
