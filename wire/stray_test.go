package wire

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/sim"
)

// strayTransport fails its first `stray` round trips with another
// request's context error, as net/http does for a request handed a
// connection that request's deadline cancelled, without sending them;
// the rest it sends.
type strayTransport struct {
	stray     int32
	tries, ok atomic.Int32
	err       error
}

func (s *strayTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if s.tries.Add(1) <= s.stray {
		if r.Body != nil {
			r.Body.Close()
		}
		return nil, s.err
	}
	s.ok.Add(1)
	return http.DefaultTransport.RoundTrip(r)
}

// TestWireSendsAgainWhatAnotherCallsContextFailed: a bid request that the
// transport fails with a context error while its own context is live (the
// error is another call's: under load net/http hands over a connection
// whose last request's deadline cancelled it) was never sent, and is sent
// again: the bidder's answer is read on time, not a timeout censored long
// before the late grace's end. At most strayRetries times: a transport
// that keeps failing so ends the call with an error. A call whose own
// deadline passed is not sent again.
func TestWireSendsAgainWhatAnotherCallsContextFailed(t *testing.T) {
	cfg := testWorld()
	_, url := loopback(t, cfg)
	// steady answers after 50 ms; the deadline is a minute away.
	req := sim.RemoteRequest{Auction: 1, Bidder: 0, Tmax: 60 * sim.Second, Told: 60 * sim.Second,
		Floor: sim.PriceOf(0.1), Type: sim.SecondPrice, Seat: "steady"}
	for _, stray := range []error{context.DeadlineExceeded, context.Canceled} {
		st := &strayTransport{stray: 1, err: stray}
		x := newExchange(t, cfg, ExchangeOptions{Endpoints: Endpoints(cfg, url), Client: &http.Client{Transport: st}})
		x.start = time.Now()
		a, _, _, why, cut := x.do(req, requestBody(req))
		if a.Status != sim.OnTime || a.Bid == 0 || cut || why != "" {
			t.Errorf("%v once: answered %+v (%q, cut %v), want the bid, on time", stray, a, why, cut)
		}
		if st.tries.Load() != 2 || st.ok.Load() != 1 {
			t.Errorf("%v once: %d round trips, %d sent; want 2, the second sent", stray, st.tries.Load(), st.ok.Load())
		}

		st = &strayTransport{stray: 100, err: stray}
		x = newExchange(t, cfg, ExchangeOptions{Endpoints: Endpoints(cfg, url), Client: &http.Client{Transport: st}})
		x.start = time.Now()
		a, _, _, why, _ = x.do(req, requestBody(req))
		if a.Status != sim.Error || why != CauseBroken {
			t.Errorf("%v always: answered %+v (%q), want an error, broken", stray, a, why)
		}
		if n := st.tries.Load(); n != strayRetries+1 {
			t.Errorf("%v always: %d round trips, want %d", stray, n, strayRetries+1)
		}
	}

	// Its own deadline passed (no grace): a timeout, not sent again.
	st := &strayTransport{stray: 100, err: context.DeadlineExceeded}
	x := newExchange(t, cfg, ExchangeOptions{Endpoints: Endpoints(cfg, url), Client: &http.Client{Transport: st}})
	x.start = time.Now().Add(-time.Minute)
	late := req
	late.Tmax = sim.Millisecond
	a, _, _, _, _ := x.do(late, requestBody(late))
	if a.Status != sim.Late || st.tries.Load() != 1 {
		t.Errorf("past its deadline: answered %+v after %d round trips, want a timeout after 1", a, st.tries.Load())
	}
}

// TestWireSendsAgainANoticeAnotherCallsContextFailed: a win or loss
// notice (a GET) and a batch of them (a POST, its body read again) that
// the transport fails with another call's context error are sent again,
// not counted unsent.
func TestWireSendsAgainANoticeAnotherCallsContextFailed(t *testing.T) {
	cfg := testWorld()
	var got atomic.Int32
	ts := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if b, _ := io.ReadAll(r.Body); r.Method == http.MethodGet || string(b) == "a\nb" {
			got.Add(1)
		}
	}))
	for _, post := range []bool{false, true} {
		st := &strayTransport{stray: 1, err: context.DeadlineExceeded}
		x := newExchange(t, cfg, ExchangeOptions{Endpoints: map[string]string{"steady": ts.URL}, Client: &http.Client{Transport: st}})
		method, body := http.MethodGet, io.Reader(nil)
		if post {
			method, body = http.MethodPost, strings.NewReader("a\nb")
		}
		before := got.Load()
		if code := x.noticeCall(method, ts.URL, body); code != http.StatusOK || got.Load() != before+1 || st.tries.Load() != 2 {
			t.Errorf("%s: status %d, %d received whole, %d round trips; want 200, 1, 2", method, code, got.Load()-before, st.tries.Load())
		}
	}
}
