package wire

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/sim"
)

// TestBidderNamesThatAreNotURLPaths: a bidder name validation accepts
// but a URL path cannot hold as it is ("q?r#s", "b c", "x/y") reaches its
// endpoint on the wire, for the exchange and for loadgen's URLs: every
// request answered, none an HTTP error (unescaped, "q?r#s" cut its path
// at "?" and got a 404 every time), and every notice taken (x/y's were
// read as bidder "x", kind "y/loss").
func TestBidderNamesThatAreNotURLPaths(t *testing.T) {
	cfg := testWorld()
	cfg.Exchange.Tmax = 3 * sim.Second
	cfg.Traffic.QPS = 50
	ms5 := sim.Constant(float64(5 * sim.Millisecond))
	cfg.Bidders = []sim.BidderConfig{
		{Name: "q?r#s", Latency: ms5, Value: sim.Constant(2)},
		{Name: "b c", Latency: ms5, Value: sim.Constant(1)},
		{Name: "x/y", Latency: ms5, Value: sim.Constant(0.8)},
	}
	if err := cfg.Validate(); err != nil {
		t.Fatalf("the names must be valid for the test to mean anything: %v", err)
	}
	srv, url := loopback(t, cfg)
	for _, u := range LoadURLs(cfg, url) {
		if code := postStatus(t, u); code != 200 {
			t.Errorf("loadgen's %s: HTTP %d", u, code)
		}
	}
	x := newExchange(t, cfg, ExchangeOptions{Endpoints: Endpoints(cfg, url), Notices: NoticesAll})
	const n = 10
	runAuctions(t, x, n)
	if w := x.Wire(); w.HTTPErrors != 0 || w.Answered < 3*n {
		t.Errorf("wire %+v: want every request answered", w)
	}
	// Every auction's notice reaches its bidder, the name in its path
	// ("x/y" as x%2Fy) read back whole: a win for the highest, q?r#s, a
	// loss for the others. Notices go out after each close: wait for them.
	deadline := time.Now().Add(30 * time.Second)
	for {
		st, all := srv.Stats().Bidders, true
		for _, b := range st {
			all = all && b.Notices >= n
		}
		if all {
			break
		}
		if time.Now().After(deadline) {
			for _, b := range st {
				t.Errorf("%s: %d requests, %d notices (%d wins, %d losses); want %d notices", b.Name, b.Requests, b.Notices, b.Wins, b.Losses, n)
			}
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// postStatus POSTs a bid request to u and returns the HTTP status.
func postStatus(t *testing.T, u string) int {
	t.Helper()
	res, err := http.Post(u, "application/json", strings.NewReader(`{"id":"1","imp":[{"id":"1"}],"tmax":1000}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// TestStatsSummaryDashWithoutAnswers: the stop's line for a bidder that
// served no request shows no latency, not "0.0/0.0 ms"; one that did
// shows its percentiles.
func TestStatsSummaryDashWithoutAnswers(t *testing.T) {
	s := Stats{Bidders: []BidderStats{
		{Name: "idle"},
		{Name: "busy", LatencyMS: Percentiles{N: 3, P50: 31.25, P99: 80}},
	}}
	got := s.Summary()
	if len(got) != 2 || strings.Contains(got[0], "0.0/0.0") || !strings.HasSuffix(got[0], "latency p50/p99 –") {
		t.Errorf("idle: %q", got[0])
	}
	if !strings.HasSuffix(got[1], "latency p50/p99 31.2/80.0 ms") && !strings.HasSuffix(got[1], "latency p50/p99 31.3/80.0 ms") {
		t.Errorf("busy: %q", got[1])
	}
}

// TestLoadGivesUpOnAHang: a load against a bidder that never answers
// some requests (hangs) gives each up past its tmax and ends, counting it
// failed, where it waited for the whole load's deadline.
func TestLoadGivesUpOnAHang(t *testing.T) {
	cfg := testWorld()
	ms5 := sim.Constant(float64(5 * sim.Millisecond))
	cfg.Bidders = []sim.BidderConfig{{Name: "sometimes", Latency: ms5, Value: sim.Constant(1), Hangs: 0.5}}
	srv, err := NewServer(cfg, ServerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ts := serve(t, srv)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := Load(ctx, LoadOptions{URLs: LoadURLs(cfg, ts.URL), Rate: 200, Count: 20, TmaxMS: 100, GiveUp: 200 * time.Millisecond})
	if err != nil || ctx.Err() != nil {
		t.Fatalf("the load did not end by itself: %v (%v)", err, ctx.Err())
	}
	if res.Sent != 20 || res.Failed == 0 || res.Answered == 0 || res.Answered+res.Failed != 20 {
		t.Errorf("sent %d, answered %d, failed %d: want the hangs failed, the rest answered", res.Sent, res.Answered, res.Failed)
	}
}

// TestStatsSummaryColumns: the stop's lines keep their counts in one
// column whatever the names: one in 中文 (two cells a character) or
// longer than the usual 12 cells.
func TestStatsSummaryColumns(t *testing.T) {
	s := Stats{Bidders: []BidderStats{{Name: "o'brien 中文"}, {Name: "plain", counters: counters{Requests: 6262, Abandoned: 1381}}, {Name: "a-name-of-twenty-one"}}}
	col := -1
	for _, line := range s.Summary() {
		i := strings.Index(line, " requests")
		c := format.Width(line[:i])
		if col >= 0 && c != col {
			t.Errorf("%q: requests end at cell %d, another's at %d", line, c, col)
		}
		col = c
	}
	// Counts with thousands separators, as every other table has them.
	if l := s.Summary()[1]; !strings.Contains(l, " 6,262 requests") || !strings.Contains(l, " 1,381 abandoned") {
		t.Errorf("counts without separators: %q", l)
	}
}
