package wire

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/auctionsim/auctionsim/report/openrtb"
	"github.com/auctionsim/auctionsim/sim"
)

// TestServerTakesNoticeBatches: POST /notices takes each notice URL of
// its body as its GET would (spend once, losses released), says why it
// did not take the others, and is POST only.
func TestServerTakesNoticeBatches(t *testing.T) {
	s, _ := newTestServer(t)
	var urls []string
	for range 3 {
		w := post(t, s, BidPath+"steady", request)
		var resp openrtb.BidResponse
		if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil || w.Code != http.StatusOK {
			t.Fatalf("steady: %d %s", w.Code, w.Body)
		}
		urls = append(urls, resp.SeatBid[0].Bid[0].NURL, resp.SeatBid[0].Bid[0].LURL)
	}
	win := func(u string) string { return strings.Replace(u, "${AUCTION_PRICE}", "0.8", 1) }
	loss := func(u string) string { return strings.Replace(u, "${AUCTION_LOSS}", "102", 1) }
	body := strings.Join([]string{
		win(urls[0]), loss(urls[3]), "", win(urls[0]), // the second win of bid 1: no bid waiting
		"http://bidders.test/elsewhere", win(urls[4]) + "x", // not a notice; bad price
	}, "\n")
	w := post(t, s, NoticesPath, body)
	var res BatchResult
	if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil || w.Code != http.StatusOK {
		t.Fatalf("batch: %d %s", w.Code, w.Body)
	}
	if res.Taken != 2 || len(res.Errors) != 3 || !strings.Contains(res.Errors[0], "no bid") ||
		!strings.Contains(res.Errors[1], "not a notice URL") || !strings.Contains(res.Errors[2], "price") {
		t.Errorf("batch result %+v: want 2 taken, 3 errors (a repeat, not a notice, a bad price)", res)
	}
	st := stats(t, s)["steady"]
	if st.Wins != 1 || st.Losses != 1 || st.Notices != 2 || st.Spend != 0.0008 {
		t.Errorf("stats %+v: want one win at 0.8 CPM and one loss", st)
	}
	if w := get(t, s, NoticesPath); w.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET %s: %d, want 405", NoticesPath, w.Code)
	}
}

// countPaths wraps h counting notice GETs and batch POSTs, and, when
// plain, strips the answers' ModelledHeader so that the bidders do not
// look like auctionsim's.
type countPaths struct {
	h             http.Handler
	plain         bool
	gets, batches atomic.Int64
}

func (c *countPaths) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case strings.HasPrefix(r.URL.Path, NoticePath):
		c.gets.Add(1)
	case r.URL.Path == NoticesPath:
		c.batches.Add(1)
	}
	if c.plain {
		w = stripModelled{w}
	}
	c.h.ServeHTTP(w, r)
}

type stripModelled struct{ http.ResponseWriter }

func (s stripModelled) WriteHeader(code int) {
	s.Header().Del(ModelledHeader)
	s.ResponseWriter.WriteHeader(code)
}

// TestExchangeBatchesNoticesToAuctionsimBidders: an exchange sends its
// notices to bidders whose answers say they are auctionsim's in batches,
// and to others one GET a notice; the bidders count the same notices
// either way.
func TestExchangeBatchesNoticesToAuctionsimBidders(t *testing.T) {
	cfg := testWorld()
	cfg.Exchange.Tmax = 3 * sim.Second
	cfg.Traffic.QPS = 50
	ms5 := sim.Constant(float64(5 * sim.Millisecond))
	cfg.Bidders = []sim.BidderConfig{
		{Name: "steady", Latency: ms5, Value: sim.Constant(2)},
		{Name: "loser", Latency: ms5, Value: sim.Constant(0.8)},
	}
	const n = 20
	for _, plain := range []bool{false, true} {
		srv, err := NewServer(cfg, ServerOptions{})
		if err != nil {
			t.Fatal(err)
		}
		h := &countPaths{h: srv, plain: plain}
		ts := serve(t, h)
		x := newExchange(t, cfg, ExchangeOptions{Endpoints: Endpoints(cfg, ts.URL), Notices: NoticesAll})
		runAuctions(t, x, n)
		st := srv.Stats().Bidders
		if x.Engine().Snapshot().Exchange.Late == 0 && (st[0].Wins != n || st[1].Losses != n) {
			t.Errorf("plain %v: steady won %d, loser told %d losses; want %d each", plain, st[0].Wins, st[1].Losses, n)
		}
		gets, batches := h.gets.Load(), h.batches.Load()
		if plain && (gets != int64(st[0].Notices+st[1].Notices) || batches != 0) {
			t.Errorf("bidders not auctionsim's: %d notice GETs, %d batches; want %d GETs", gets, batches, st[0].Notices+st[1].Notices)
		}
		if !plain && (gets != 0 || batches == 0 || batches > 2*n) {
			t.Errorf("auctionsim bidders: %d notice GETs, %d batches; want batches only", gets, batches)
		}
	}
}

// FuzzServerNotices: whatever the batch, the server answers 200 with a
// BatchResult whose taken and errors count every non-blank line, and
// never panics.
func FuzzServerNotices(f *testing.F) {
	for _, seed := range []string{
		"", "\n\n", "http://bidders.test/notice/steady/win?bid=steady-1&price=1",
		"/notice/steady/loss?bid=x\n/notice/nobody/win?price=1", "%zz\n::", "/notice/steady/win?bid=steady-1&price=-1",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		s, _ := newTestServer(t)
		post(t, s, BidPath+"steady", request) // one bid waiting, steady-1
		w := post(t, s, NoticesPath, body)
		var res BatchResult
		if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil || w.Code != http.StatusOK {
			t.Fatalf("%d %q for %q", w.Code, w.Body, body)
		}
		lines := 0
		for l := range strings.SplitSeq(body, "\n") {
			if strings.TrimSpace(l) != "" {
				lines++
			}
		}
		if res.Taken+len(res.Errors) != lines || res.Taken > 1 {
			t.Fatalf("%+v for %d lines (one bid waiting): %q", res, lines, body)
		}
	})
}
