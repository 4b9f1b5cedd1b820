package wire

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/report/openrtb"
	"github.com/auctionsim/auctionsim/sim"
)

// fakeClock is a clock that moves only when slept on or told to: a sleep
// returns at once, having moved the clock by its length, and is recorded.
type fakeClock struct {
	mu     sync.Mutex
	t      time.Time
	sleeps []time.Duration
	frozen bool // sleeps do not move the clock: requests arrive together
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Unix(1_800_000_000, 0)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	if d > 0 && !c.frozen {
		c.t = c.t.Add(d)
	}
	return ctx.Err()
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func (c *fakeClock) lastSleep() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sleeps[len(c.sleeps)-1]
}

// testWorld has bidders whose answers are known exactly: fixed latencies,
// constant values.
func testWorld() sim.Config {
	ms := float64(sim.Millisecond)
	return sim.Config{
		Name:     "wire-test",
		Seed:     3,
		Traffic:  sim.Traffic{QPS: 100},
		Exchange: sim.ExchangeConfig{Auction: sim.SecondPrice, Tmax: 100 * sim.Millisecond, Floor: sim.PriceOf(0.1)},
		Horizon:  60 * sim.Second,
		Bidders: []sim.BidderConfig{
			{Name: "steady", Latency: sim.Constant(50 * ms), Value: sim.Constant(2), Strategy: sim.Strategy{Kind: sim.Shade, Factor: 0.5}},
			{Name: "broken", Latency: sim.Constant(10 * ms), Errors: 1, Value: sim.Constant(1)},
			{Name: "polite", Latency: sim.Constant(80 * ms), Value: sim.Constant(1), RespectsTmax: true},
			{Name: "picky", Latency: sim.Constant(20 * ms), NoBid: 1, Value: sim.Constant(1)},
			{Name: "mute", Latency: sim.Constant(5 * ms), Hangs: 1, Value: sim.Constant(1)},
			{Name: "rich", Latency: sim.Constant(5 * ms), Value: sim.Constant(4),
				Budget: &sim.Budget{Total: sim.MoneyOf(0.01), Pacing: sim.PacingNone}},
		},
	}
}

func newTestServer(t *testing.T) (*Server, *fakeClock) {
	t.Helper()
	c := newFakeClock()
	s, err := NewServer(testWorld(), ServerOptions{Clock: c, NoticeWait: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return s, c
}

func post(t *testing.T, s *Server, path, body string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	req.Host = "bidders.test"
	w := httptest.NewRecorder()
	s.ServeHTTP(w, req)
	return w
}

func get(t *testing.T, s *Server, path string) *httptest.ResponseRecorder {
	t.Helper()
	w := httptest.NewRecorder()
	s.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
	return w
}

const request = `{"id":"r1","imp":[{"id":"1","bidfloor":0.1}],"tmax":120,"at":2}`

func stats(t *testing.T, s *Server) map[string]BidderStats {
	t.Helper()
	w := get(t, s, StatsPath)
	if w.Code != http.StatusOK {
		t.Fatalf("/stats: %d %s", w.Code, w.Body)
	}
	var st Stats
	if err := json.Unmarshal(w.Body.Bytes(), &st); err != nil {
		t.Fatalf("/stats: %v: %s", err, w.Body)
	}
	out := map[string]BidderStats{}
	for _, b := range st.Bidders {
		out[b.Name] = b
	}
	return out
}

// TestServerAnswersAfterTheModelledTime: a bid comes back after the
// bidder's modelled latency, with its strategy's price and notice URLs; a
// win notice makes the clearing price spend.
func TestServerAnswersAfterTheModelledTime(t *testing.T) {
	s, c := newTestServer(t)
	w := post(t, s, BidPath+"steady", request)
	if w.Code != http.StatusOK {
		t.Fatalf("steady: %d %s", w.Code, w.Body)
	}
	if got := c.lastSleep(); got != 50*time.Millisecond {
		t.Errorf("answered after %v, want the modelled 50ms", got)
	}
	var resp openrtb.BidResponse
	if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil {
		t.Fatal(err)
	}
	if resp.ID != "r1" || len(resp.SeatBid) != 1 || len(resp.SeatBid[0].Bid) != 1 {
		t.Fatalf("response %s", w.Body)
	}
	bid := resp.SeatBid[0].Bid[0]
	if bid.Price != 1 || bid.ImpID != "1" || resp.SeatBid[0].Seat != "steady" {
		t.Errorf("bid %+v: want 0.5 × value 2 = 1 on imp 1", bid)
	}
	nurl := strings.Replace(strings.TrimPrefix(bid.NURL, "http://bidders.test"), "${AUCTION_PRICE}", "0.8", 1)
	if n := get(t, s, nurl); n.Code != http.StatusNoContent {
		t.Fatalf("win notice %s: %d %s", nurl, n.Code, n.Body)
	}
	burl := strings.Replace(strings.TrimPrefix(bid.BURL, "http://bidders.test"), "${AUCTION_PRICE}", "0.8", 1)
	if n := get(t, s, burl); n.Code != http.StatusNotFound {
		t.Errorf("a second notice of the same bid: %d, want 404 (spend counted once)", n.Code)
	}
	st := stats(t, s)["steady"]
	if st.Requests != 1 || st.Bids != 1 || st.Wins != 1 || st.Spend != 0.0008 || st.Reserved != 0 {
		t.Errorf("stats %+v: want one bid won at 0.8 CPM = 0.0008 spent", st)
	}
	if st.LatencyMS.N != 1 || st.LatencyMS.P50 < 49.9 || st.LatencyMS.P50 > 50.1 || st.AddedMS.Max > 0.01 {
		t.Errorf("latency %+v added %+v: want 50ms, nothing added on a fake clock", st.LatencyMS, st.AddedMS)
	}
}

// TestServerNoBidsErrorsAndDeadlines: the error share is a 500, the
// no-bid share a 204, and a bidder that respects tmax declines with nbr 15
// a request it would answer late, but bids when told a longer deadline.
func TestServerNoBidsErrorsAndDeadlines(t *testing.T) {
	s, c := newTestServer(t)
	if w := post(t, s, BidPath+"broken", request); w.Code != http.StatusInternalServerError || !strings.Contains(w.Body.String(), "error") {
		t.Errorf("broken: %d %s, want 500 with a JSON error", w.Code, w.Body)
	}
	if w := post(t, s, BidPath+"picky", request); w.Code != http.StatusNoContent || w.Body.Len() != 0 {
		t.Errorf("picky: %d %q, want an empty 204", w.Code, w.Body)
	}
	if got := c.lastSleep(); got != 20*time.Millisecond {
		t.Errorf("picky's no-bid after %v, want its 20ms round trip", got)
	}
	short := strings.Replace(request, `"tmax":120`, `"tmax":60`, 1)
	w := post(t, s, BidPath+"polite", short)
	var resp openrtb.BidResponse
	if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil || w.Code != http.StatusOK ||
		resp.NBR == nil || *resp.NBR != openrtb.NoBidInsufficientTime || len(resp.SeatBid) != 0 {
		t.Errorf("polite told 60ms with an 80ms link: %d %s, want nbr 15", w.Code, w.Body)
	}
	if w := post(t, s, BidPath+"polite", request); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"price":1`) {
		t.Errorf("polite told 120ms: %d %s, want a bid", w.Code, w.Body)
	}
	// A tmax past what a duration holds is no deadline to speak of; in
	// nanoseconds 18,446,744,073,710 ms would wrap round to 0.45 ms.
	huge := strings.Replace(request, `"tmax":120`, `"tmax":18446744073710`, 1)
	if w := post(t, s, BidPath+"polite", huge); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"price":1`) {
		t.Errorf("polite told 18,446,744,073,710 ms: %d %s, want a bid", w.Code, w.Body)
	}
	st := stats(t, s)
	if b := st["broken"]; b.Errors != 1 || b.Requests != 1 {
		t.Errorf("broken %+v", b)
	}
	if p := st["polite"]; p.NoBids != 1 || p.Skipped != 1 || p.Bids != 2 {
		t.Errorf("polite %+v", p)
	}
	if p := st["picky"]; p.NoBids != 1 || p.Skipped != 0 {
		t.Errorf("picky %+v", p)
	}
}

// TestServerBudgetAndSpendAtRisk: a bid holds its cost against the budget
// until its notice; one whose notice never comes stays held (spend at
// risk), so the bidder stops bidding before it could overspend; a loss
// notice gives the money back.
func TestServerBudgetAndSpendAtRisk(t *testing.T) {
	s, c := newTestServer(t)
	// rich has 0.01 = 2.5 bids of 4 CPM.
	var bids []openrtb.Bid
	for range 3 {
		w := post(t, s, BidPath+"rich", request)
		if w.Code == http.StatusOK {
			var resp openrtb.BidResponse
			if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil {
				t.Fatal(err)
			}
			bids = append(bids, resp.SeatBid[0].Bid[0])
		}
	}
	if len(bids) != 3 || bids[2].Price != 2 {
		t.Fatalf("%d bids %+v: want 4, 4 and the 2 CPM the budget has left", len(bids), bids)
	}
	if w := post(t, s, BidPath+"rich", request); w.Code != http.StatusNoContent {
		t.Errorf("a fourth bid with the budget held: %d %s, want 204", w.Code, w.Body)
	}
	c.advance(2 * time.Second) // past the notice wait
	st := stats(t, s)["rich"]
	if st.AtRisk != 0.01 || st.BudgetLeft == nil || *st.BudgetLeft != 0 || st.Spend != 0 {
		t.Fatalf("rich %+v: want all 0.01 at risk, nothing spent", st)
	}
	lurl := strings.Replace(strings.TrimPrefix(bids[0].LURL, "http://bidders.test"), "${AUCTION_LOSS}", "102", 1)
	if n := get(t, s, lurl); n.Code != http.StatusNoContent {
		t.Fatalf("loss notice: %d %s", n.Code, n.Body)
	}
	st = stats(t, s)["rich"]
	if st.AtRisk != 0.006 || *st.BudgetLeft != 0.004 || st.Losses != 1 {
		t.Errorf("after a loss notice %+v: want 0.004 back", st)
	}
	if w := post(t, s, BidPath+"rich", request); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"price":4`) {
		t.Errorf("after the loss: %d %s, want a 4 CPM bid", w.Code, w.Body)
	}
}

// TestServerRefusesBadInput: every bad request gets its 4xx with a JSON
// error naming the problem, and the server goes on serving.
func TestServerRefusesBadInput(t *testing.T) {
	s, _ := newTestServer(t)
	big := `{"id":"r","imp":[{"id":"1"}],"ext":"` + strings.Repeat("x", MaxBody) + `"}`
	cases := []struct {
		name, path, body string
		code             int
		says             string
	}{
		{"too big", BidPath + "steady", big, http.StatusRequestEntityTooLarge, "bytes"},
		{"malformed", BidPath + "steady", `{"id":`, http.StatusBadRequest, "malformed JSON"},
		{"not an object", BidPath + "steady", `[1,2]`, http.StatusBadRequest, "malformed JSON"},
		{"no imp", BidPath + "steady", `{"id":"r"}`, http.StatusBadRequest, "imp"},
		{"empty imp", BidPath + "steady", `{"id":"r","imp":[]}`, http.StatusBadRequest, "imp"},
		{"no id", BidPath + "steady", `{"imp":[{"id":"1"}]}`, http.StatusBadRequest, "id"},
		{"negative tmax", BidPath + "steady", `{"id":"r","imp":[{"id":"1"}],"tmax":-5}`, http.StatusBadRequest, "tmax"},
		{"data after the request", BidPath + "steady", request + ` {"id":"r2"}`, http.StatusBadRequest, "after"},
		{"unknown bidder", BidPath + "nobody", request, http.StatusNotFound, "nobody"},
		{"unknown path", "/nowhere", request, http.StatusNotFound, "/nowhere"},
		{"bad notice price", NoticePath + "steady/win?bid=x&price=${AUCTION_PRICE}", "", http.StatusBadRequest, "AUCTION_PRICE"},
		{"notice of no bid", NoticePath + "steady/loss?bid=nope", "", http.StatusNotFound, "nope"},
	}
	for _, tc := range cases {
		w := post(t, s, tc.path, tc.body)
		var e errorBody
		if w.Code != tc.code || json.Unmarshal(w.Body.Bytes(), &e) != nil || !strings.Contains(e.Error, tc.says) {
			t.Errorf("%s: %d %s, want %d with a JSON error naming %q", tc.name, w.Code, w.Body, tc.code, tc.says)
		}
	}
	if w := get(t, s, BidPath+"steady"); w.Code != http.StatusMethodNotAllowed || w.Header().Get("Allow") != "POST" {
		t.Errorf("GET a bid endpoint: %d", w.Code)
	}
	if w := post(t, s, BidPath+"steady", request); w.Code != http.StatusOK {
		t.Errorf("after the bad requests: %d", w.Code)
	}
	if w := get(t, s, HealthPath); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"ok":true`) {
		t.Errorf("healthz: %d %s", w.Code, w.Body)
	}
	if st := stats(t, s)["steady"]; st.BadRequests != 9 || st.Requests != 1 {
		t.Errorf("steady %+v: want 9 bad requests (8 bodies and a GET; the notices are not bid requests) and 1 good", st)
	}
}

// TestServerQueuesOnTheWallClock: a bidder with one worker serves
// requests that arrive together one after the other: each waits for the
// worker to free, and one past its queue's room is refused at once.
func TestServerQueuesOnTheWallClock(t *testing.T) {
	cfg := testWorld()
	cfg.Bidders = []sim.BidderConfig{{Name: "single", Value: sim.Constant(1),
		Capacity: &sim.Capacity{Workers: 1, Service: sim.Constant(float64(10 * sim.Millisecond)), Queue: 2}}}
	c := newFakeClock()
	c.frozen = true
	s, err := NewServer(cfg, ServerOptions{Clock: c})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []time.Duration{10, 20, 30} {
		if w := post(t, s, BidPath+"single", request); w.Code != http.StatusOK {
			t.Fatalf("request %d: %d %s", i, w.Code, w.Body)
		}
		if got := c.lastSleep(); got != want*time.Millisecond {
			t.Errorf("request %d answered after %v, want %v: service of 10ms behind %d others", i, got, want*time.Millisecond, i)
		}
	}
	w := post(t, s, BidPath+"single", request)
	if w.Code != http.StatusServiceUnavailable || w.Header().Get(ModelledHeader) != "0" {
		t.Errorf("a fourth request with two waiting: %d, modelled %q; want 503 at once", w.Code, w.Header().Get(ModelledHeader))
	}
	c.advance(25 * time.Millisecond) // two served: one waits
	if w := post(t, s, BidPath+"single", request); w.Code != http.StatusOK || c.lastSleep() != 15*time.Millisecond {
		t.Errorf("at 25ms: %d after %v, want a bid after 15ms (the worker frees at 30ms, then 10ms)", w.Code, c.lastSleep())
	}
	if st := stats(t, s)["single"]; st.Refused != 1 || st.Bids != 4 {
		t.Errorf("stats %+v", st)
	}
}

// TestServerTakesPrebidEvents: Prebid Server's win event (no price) makes
// the bid spend at its own price, once; an imp event changes nothing.
func TestServerTakesPrebidEvents(t *testing.T) {
	s, _ := newTestServer(t)
	w := post(t, s, BidPath+"steady", request)
	var resp openrtb.BidResponse
	if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil {
		t.Fatal(err)
	}
	id := resp.SeatBid[0].Bid[0].ID
	if w := get(t, s, EventPath+"?t=imp&b="+id+"&bidder=steady&a=acct"); w.Code != http.StatusNoContent {
		t.Errorf("imp event: %d %s", w.Code, w.Body)
	}
	if st := stats(t, s)["steady"]; st.Wins != 0 || st.Reserved != 0.001 {
		t.Errorf("after an imp event %+v", st)
	}
	if w := get(t, s, EventPath+"?t=win&b="+id+"&a=acct"); w.Code != http.StatusNoContent {
		t.Errorf("win event without bidder (read off the bid id): %d %s", w.Code, w.Body)
	}
	if w := get(t, s, EventPath+"?t=win&b="+id+"&bidder=steady"); w.Code != http.StatusNotFound {
		t.Errorf("a second win event: %d, want 404", w.Code)
	}
	if st := stats(t, s)["steady"]; st.Wins != 1 || st.Spend != 0.001 || st.Reserved != 0 {
		t.Errorf("after a win event %+v: want the 1 CPM bid spent", st)
	}
	if w := get(t, s, EventPath+"?t=click&b="+id); w.Code != http.StatusBadRequest {
		t.Errorf("t=click: %d", w.Code)
	}
}

// TestServerHangs: a bidder whose hangs share is 1 never answers: the
// request is held until the client gives up, and counted.
func TestServerHangs(t *testing.T) {
	s, _ := newTestServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	req := httptest.NewRequest(http.MethodPost, BidPath+"mute", strings.NewReader(request)).WithContext(ctx)
	w := httptest.NewRecorder()
	done := make(chan struct{})
	go func() {
		s.ServeHTTP(w, req)
		close(done)
	}()
	select {
	case <-done:
		t.Fatalf("mute answered %d %q; it must hang", w.Code, w.Body)
	case <-time.After(50 * time.Millisecond): // it is still holding the request
	}
	cancel() // the client gives up
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the hanging request outlived its client")
	}
	if st := stats(t, s)["mute"]; st.Hangs != 1 || st.Requests != 1 || w.Body.Len() != 0 {
		t.Errorf("mute %+v, body %q", st, w.Body)
	}
}

// TestWireStatsBusy: a run whose wire adds more than a few ms says so,
// with the rate; one within the bounds, or without auctionsim bidders'
// modelled times, says nothing.
func TestWireStatsBusy(t *testing.T) {
	for _, c := range []struct {
		added *Percentiles
		busy  bool
	}{
		{nil, false},
		{&Percentiles{P50: 1.7, P95: 3.6}, false},
		{&Percentiles{P50: BusyAddedP50MS, P95: BusyAddedP95MS}, false},
		{&Percentiles{P50: 60.5, P95: 200}, true},
		{&Percentiles{P50: 2, P95: 25.1}, true},
	} {
		w := WireStats{Sent: 8000, AddedMS: c.added}
		got := w.Busy(2 * time.Second)
		if (got != "") != c.busy {
			t.Errorf("added %+v: %q, want busy %v", c.added, got, c.busy)
		}
		if c.busy && (!strings.Contains(got, "4000 bid requests a second") || !strings.Contains(got, "traffic.qps")) {
			t.Errorf("added %+v: %q names neither the rate nor the remedy", c.added, got)
		}
	}
}

// TestServerBidsCarryTheCreativeSize: a bid states its creative's w and h
// (the impression's banner size, else its first format, else 300×250),
// its crid and its adomain, as --openrtb's bids do.
func TestServerBidsCarryTheCreativeSize(t *testing.T) {
	s, _ := newTestServer(t)
	for _, tc := range []struct {
		banner string
		w, h   int64
	}{
		{`,"banner":{"w":728,"h":90}`, 728, 90},
		{`,"banner":{"format":[{"w":320,"h":50},{"w":300,"h":250}]}`, 320, 50},
		{``, openrtb.BannerW, openrtb.BannerH},
	} {
		body := `{"id":"r1","imp":[{"id":"1","bidfloor":0.1` + tc.banner + `}],"tmax":120}`
		w := post(t, s, BidPath+"steady", body)
		var resp openrtb.BidResponse
		if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil || len(resp.SeatBid) != 1 || len(resp.SeatBid[0].Bid) != 1 {
			t.Fatalf("%s: %d %s (%v)", body, w.Code, w.Body, err)
		}
		bid := resp.SeatBid[0].Bid[0]
		if bid.W != tc.w || bid.H != tc.h || bid.CrID == "" || len(bid.ADomain) == 0 {
			t.Errorf("%s: bid w %d h %d crid %q adomain %v, want %d×%d with a crid and an adomain", body, bid.W, bid.H, bid.CrID, bid.ADomain, tc.w, tc.h)
		}
	}
}

// TestServerHaltCutsHangs: stopping, the server cuts the requests it would
// hold forever at once rather than at the end of the drain, so that Ctrl-C
// gets its summary without a wait; the hang is counted.
func TestServerHaltCutsHangs(t *testing.T) {
	s, _ := newTestServer(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan Stats, 1)
	go func() {
		st, err := ServeFor(ctx, ln, s, time.Hour, 0) // a drain longer than the test's limit
		if err != nil {
			t.Error(err)
		}
		done <- st
	}()
	answered := make(chan error, 1)
	go func() {
		resp, err := http.Post("http://"+ln.Addr().String()+BidPath+"mute", "application/json", strings.NewReader(request))
		if err == nil {
			resp.Body.Close()
		}
		answered <- err
	}()
	for stats(t, s)["mute"].Requests == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	select {
	case st := <-done:
		if st.Bidders[4].Name != "mute" || st.Bidders[4].Hangs != 1 {
			t.Errorf("mute %+v: want its hang counted", st.Bidders[4])
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the server waited for its hanging request to drain")
	}
	if err := <-answered; err == nil {
		t.Error("the cut request got an answer; want its connection cut")
	}
}

// TestWireStatsUnanswered: a run on the wire where no bid request was
// answered (nothing listening at the endpoints) says so and what to
// check; one with any answer, or that sent nothing, says nothing.
func TestWireStatsUnanswered(t *testing.T) {
	w := WireStats{Sent: 800, HTTPErrors: 800}
	if got := w.Unanswered(); !strings.Contains(got, "none of the 800 bid requests") || !strings.Contains(got, "800 HTTP errors") ||
		!strings.Contains(got, "auctionsim bidders --listen") {
		t.Errorf("nothing answered: %q", got)
	}
	// Counts grouped by thousands, as the wire's other lines print them.
	big := WireStats{Sent: 12345, HTTPErrors: 2345, Timeouts: 10000}
	if got := big.Unanswered(); !strings.Contains(got, "none of the 12,345 bid requests") || !strings.Contains(got, "(2,345 HTTP errors") ||
		!strings.Contains(got, "10,000 timeouts") {
		t.Errorf("thousands: %q", got)
	}
	// Answers read only after their deadline (late grace) come from
	// bidders that are there: Exchange.Silent names them, and the run
	// has not failed.
	for _, quiet := range []WireStats{{Sent: 800, Answered: 1, HTTPErrors: 799}, {}, {Sent: 800, Timeouts: 800, LateAnswers: 3}} {
		if got := quiet.Unanswered(); got != "" {
			t.Errorf("%+v: %q, want nothing", quiet, got)
		}
	}
}

// TestStatsOfNoAnswerAreNull: /stats gives a latency over no answer as n
// 0 with null figures, where it read p50 0 and mean 0 (as if the bidder
// answered at once); a bidder that answered keeps its numbers.
func TestStatsOfNoAnswerAreNull(t *testing.T) {
	s, _ := newTestServer(t)
	raw := func() map[string]any {
		t.Helper()
		w := get(t, s, StatsPath)
		var m map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &m); err != nil {
			t.Fatalf("/stats: %v: %s", err, w.Body)
		}
		return m
	}
	isNull := func(what string, v any) {
		t.Helper()
		p, _ := v.(map[string]any)
		if n, ok := p["n"].(float64); !ok || n != 0 {
			t.Errorf("%s: n %v, want 0", what, p["n"])
		}
		for _, f := range []string{"p50", "p95", "p99", "max", "mean"} {
			if x, ok := p[f]; !ok || x != nil {
				t.Errorf("%s: %s is %v, want null", what, f, x)
			}
		}
	}
	isNull("added_ms before any request", raw()["added_ms"])
	if w := post(t, s, BidPath+"steady", request); w.Code != http.StatusOK {
		t.Fatalf("steady: %d %s", w.Code, w.Body)
	}
	m := raw()
	if p := m["added_ms"].(map[string]any); p["n"] != 1.0 || p["p50"] == nil {
		t.Errorf("added_ms after one answer: %v", p)
	}
	for _, b := range m["bidders"].([]any) {
		b := b.(map[string]any)
		if b["name"] == "steady" {
			if lat := b["latency_ms"].(map[string]any); lat["n"] != 1.0 || lat["p50"] == nil || lat["p50"].(float64) < 50 {
				t.Errorf("steady's latency_ms: %v, want n 1, p50 about 50", lat)
			}
			continue
		}
		isNull(b["name"].(string)+"'s latency_ms", b["latency_ms"])
		isNull(b["name"].(string)+"'s added_ms", b["added_ms"])
	}
}
