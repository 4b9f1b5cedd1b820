package wire

import (
	"errors"
	"github.com/auctionsim/auctionsim/report/format"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/scenarios"
)

// refused checks that err is an OptionError of flag whose message starts
// with want.
func refused(t *testing.T, err error, flag, want string) {
	t.Helper()
	var oe *report.OptionError
	if !errors.As(err, &oe) || oe.Option() != flag || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("%v; want %s refused: %q", err, flag, want)
	}
}

// TestBiddersFlagsCheck checks bidders' refusals.
func TestBiddersFlagsCheck(t *testing.T) {
	sc, err := scenarios.Resolve("timeout-demo")
	if err != nil {
		t.Fatal(err)
	}
	good := BiddersFlags{NoticeWait: time.Second, Out: filepath.Join(t.TempDir(), "s.JSON")}
	if err := good.Check(sc); err != nil {
		t.Fatalf("good options refused: %v", err)
	}
	o := good
	o.Out = "s.txt"
	refused(t, o.Check(sc), "--out", "--out: s.txt: the stats are JSON")
	o.Out = filepath.Join(t.TempDir(), "d.json") // a directory, named as the stats would be
	if err := os.Mkdir(o.Out, 0o755); err != nil {
		t.Fatal(err)
	}
	refused(t, o.Check(sc), "--out", "--out "+o.Out)
	if err := o.Check(sc); strings.Contains(err.Error(), "--out: --out") {
		t.Errorf("the flag named twice: %v", err)
	}
	// Each refusal names the flag that is wrong, and only it.
	for _, c := range []struct {
		edit       func(o *BiddersFlags)
		flag, want string
	}{
		{func(o *BiddersFlags) { o.NoticeWait = 0 }, "--notice-wait", "--notice-wait 0s: must be > 0"},
		{func(o *BiddersFlags) { o.Drain = -time.Second }, "--drain", "--drain -1s: must be ≥ 0"},
		{func(o *BiddersFlags) { o.For = -time.Second }, "--for", "--for -1s: must be ≥ 0"},
	} {
		o := good
		c.edit(&o)
		refused(t, o.Check(sc), c.flag, c.want)
	}
}

// TestLoadFlagsCheck checks loadgen's refusals and its load's options.
func TestLoadFlagsCheck(t *testing.T) {
	good := LoadFlags{Target: "http://127.0.0.1:9/", Rate: 10, Count: 5, Tmax: 50 * time.Millisecond, Timeout: time.Second}
	if err := good.Check(); err != nil {
		t.Fatalf("good options refused: %v", err)
	}
	for _, c := range []struct {
		edit func(o *LoadFlags)
		flag string
	}{
		{func(o *LoadFlags) { o.Target = "127.0.0.1:9" }, "--target"},
		{func(o *LoadFlags) { o.Target = "" }, "--target"},
		// As --endpoints refuses them, by the same check.
		{func(o *LoadFlags) { o.Target = "notaurl" }, "--target"},
		{func(o *LoadFlags) { o.Target = "http://127.0.0.1:" }, "--target"},
		{func(o *LoadFlags) { o.Target = "http://:8080" }, "--target"},
		{func(o *LoadFlags) { o.Rate = math.NaN() }, "--rate"},
		{func(o *LoadFlags) { o.Rate = 2e6 }, "--rate"},
		{func(o *LoadFlags) { o.Count = 0 }, "--count"},
		{func(o *LoadFlags) { o.Tmax = time.Microsecond }, "--tmax"},
		{func(o *LoadFlags) { o.Timeout = 0 }, "--timeout"},
	} {
		o := good
		c.edit(&o)
		refused(t, o.Check(), c.flag, c.flag)
	}
	sc, err := scenarios.Resolve("timeout-demo")
	if err != nil {
		t.Fatal(err)
	}
	lo := good.Options(sc)
	if len(lo.URLs) != len(sc.Config.Bidders) || !strings.HasPrefix(lo.URLs[0], "http://127.0.0.1:9/openrtb2/") || lo.TmaxMS != 50 || lo.Count != 5 {
		t.Errorf("load options %+v", lo)
	}
}

// TestFlagsRefuse checks the flags refused beside the exchange on the
// wire, each named, and that the dashboard is not on the wire unless
// asked.
func TestFlagsRefuse(t *testing.T) {
	sc, err := scenarios.Resolve("timeout-demo")
	if err != nil {
		t.Fatal(err)
	}
	f := &Flags{Endpoints: "http://127.0.0.1:9"}
	refused(t, f.CheckRun(map[string]bool{"reps": true}, sc, ""), "--reps", "--reps cannot be combined with a run on the wire")
	refused(t, f.CheckRun(map[string]bool{}, sc, "r.txt"), "--out", "--out: ")
	if err := f.CheckRun(map[string]bool{}, sc, filepath.Join(t.TempDir(), "r.json")); err != nil {
		t.Errorf("--out r.json: %v", err)
	}
	_, err = f.Dashboard(map[string]bool{"speed": true}, sc, nil)
	refused(t, err, "--speed", "--speed cannot be combined with the dashboard on the wire")
	if live, err := (&Flags{}).Dashboard(map[string]bool{"speed": true}, sc, nil); live != nil || err != nil {
		t.Errorf("off the wire: %v, %v", live, err)
	}
}

// TestFlagsExchange checks the exchange the flags make, and a bidder
// the scenario lacks refused.
func TestFlagsExchange(t *testing.T) {
	sc, err := scenarios.Resolve("timeout-demo")
	if err != nil {
		t.Fatal(err)
	}
	if x, err := (&Flags{Endpoints: "http://127.0.0.1:9", Notices: "budget"}).Exchange(sc); err != nil || x == nil {
		t.Errorf("--endpoints: %v", err)
	}
	if _, err := (&Flags{Endpoint: []string{"nobody=http://127.0.0.1:9"}, Notices: "budget"}).Exchange(sc); err == nil {
		t.Error("--endpoint nobody=URL accepted")
	}
	// A wire cannot thin traffic: a scaled world is refused, by the
	// flags naming the field and the flag, and by NewExchange itself.
	scaled := *sc
	scaled.Config.Traffic.Scale = 10
	if _, err := (&Flags{Endpoints: "http://127.0.0.1:9", Notices: "budget"}).Exchange(&scaled); err == nil ||
		!strings.Contains(err.Error(), "traffic.scale 10 with --endpoints") {
		t.Errorf("traffic.scale 10 on the wire: %v", err)
	}
	if _, err := NewExchange(scaled.Config, ExchangeOptions{Endpoints: map[string]string{"swift": "http://127.0.0.1:9/openrtb2/swift"}}); err == nil ||
		!strings.Contains(err.Error(), "traffic.scale 10") {
		t.Errorf("NewExchange of traffic.scale 10: %v", err)
	}
}

// TestStopped checks bidders' closing lines: the count, then a line a
// bidder.
func TestStopped(t *testing.T) {
	s := Stats{UptimeSeconds: 2.25}
	got := s.Stopped("p: ")
	if !strings.HasPrefix(got, "p: stopped after 0 bid requests in 2.2s\n") || strings.Count(got, "\n") != 1+len(s.Summary()) {
		t.Errorf("%q", got)
	}
	// Counts with separators, as every other count the command writes.
	s.Bidders = append(s.Bidders, BidderStats{Name: "a", counters: counters{Requests: 2765}})
	if got := s.Stopped(""); !strings.HasPrefix(got, "stopped after 2,765 bid requests in 2.2s\n") {
		t.Errorf("%q", got)
	}
}

// TestStoppedWithin80Columns: the stop's lines of prebid-server's
// bidders fit a window 80 columns wide, each bidder's counts whole on
// their line and its latency under them; unlimited, one line a bidder as
// before. Before, the lines ran to some 110 cells and the terminal broke
// them mid-word ("0 error" / "s  latency").
func TestStoppedWithin80Columns(t *testing.T) {
	s := Stats{UptimeSeconds: 13.5}
	for _, name := range []string{"rapid", "steady", "broad", "flaky", "slowpoke"} {
		s.Bidders = append(s.Bidders, BidderStats{Name: name, counters: counters{Requests: 2885, Bids: 2032, NoBids: 853, Errors: 203, Abandoned: 25},
			LatencyMS: Percentiles{N: 2885, P50: 357.6, P99: 1217.5}})
	}
	got := strings.Split(strings.TrimSuffix(s.StoppedWithin("auctionsim bidders: ", 80), "\n"), "\n")
	if len(got) != 1+2*len(s.Bidders) {
		t.Fatalf("%d lines, want the head and two a bidder:\n%s", len(got), strings.Join(got, "\n"))
	}
	for i, l := range got {
		if format.Width(l) > 80 {
			t.Errorf("line %d is %d cells: %q", i, format.Width(l), l)
		}
	}
	for i := range s.Bidders {
		counts, rest := got[1+2*i], got[2+2*i]
		if !strings.HasSuffix(counts, " 2,885 requests 2,032 bids 853 no-bids 203 errors") ||
			!strings.HasPrefix(strings.TrimSpace(rest), "latency p50/p99 357.6/1217.5 ms  25 abandoned") {
			t.Errorf("bidder %d: %q / %q", i, counts, rest)
		}
	}
	if whole := s.Stopped(""); strings.Count(whole, "\n") != 1+len(s.Bidders) {
		t.Errorf("without a width, one line a bidder:\n%s", whole)
	}
}
