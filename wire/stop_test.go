package wire

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/auctionsim/auctionsim/sim"
)

// TestRunStopsCleanly: when Run returns, at its stop or cancelled (Ctrl-C),
// every bid request still open has been cut, the server's handlers see
// their requests' contexts cancelled at once rather than at the late
// grace's end, no goroutine of the run outlives it, the notices still
// due at the stop are cut StopNotices later and counted unsent (one by
// one and in batches), and the counts still add up, the calls of the
// auctions open at the stop unsettled rather than errors.
func TestRunStopsCleanly(t *testing.T) {
	for _, tc := range []struct {
		name    string
		cancel  bool // Ctrl-C once a few notices came, rather than the stop
		batched bool // the bidding end says it is auctionsim's: notices in batches
	}{
		{name: "stop reached, notices one by one"},
		{name: "cancelled, notices in batches", cancel: true, batched: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stopsCleanly(t, tc.cancel, tc.batched)
		})
	}
}

func stopsCleanly(t *testing.T, cancelRun, batched bool) {
	cfg := testWorld()
	cfg.Traffic.QPS = 200
	cfg.Exchange.Tmax = 300 * sim.Millisecond
	cfg.Bidders = cfg.Bidders[:2] // steady hangs, broken bids at once
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var cancelled atomic.Int64 // when cancel was called, unix ns

	// open counts the handlers still running; they end only when their
	// request's context is cancelled (release is a backstop for the
	// servers' Close should the test fail).
	var open, notices atomic.Int64
	release := make(chan struct{})
	hold := func(r *http.Request) {
		defer open.Add(-1)
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}
	hang := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		open.Add(1)
		// The body read to its end: only then does the server watch the
		// connection, and cancel the context when the client cuts it.
		_, _ = io.Copy(io.Discard, r.Body)
		hold(r)
	}))
	bidder := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		open.Add(1)
		body, _ := io.ReadAll(r.Body)
		switch {
		case r.URL.Path == "/openrtb2/broken":
			// A bid at once, whose win notice hangs.
			open.Add(-1)
			if batched {
				w.Header().Set(ModelledHeader, "0")
			}
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"id":"x","seatbid":[{"seat":"broken","bid":[{"id":"b","impid":"1","price":1,"crid":"c","nurl":"http://%s%sbroken/win?p=${AUCTION_PRICE}"}]}]}`, r.Host, NoticePath)
			return
		case r.URL.Path == NoticesPath:
			notices.Add(int64(len(strings.Split(strings.TrimSpace(string(body)), "\n"))))
		default:
			notices.Add(1)
		}
		if cancelRun && notices.Load() >= 5 && cancelled.CompareAndSwap(0, time.Now().UnixNano()) {
			cancel()
		}
		hold(r)
	}))
	t.Cleanup(func() { close(release) }) // before the servers close: cleanups run last first

	leaks := goleak.IgnoreCurrent()
	// A late grace of a minute: without the cut, the calls of the
	// auctions closed would stay open that long after Run returns.
	x, err := NewExchange(cfg, ExchangeOptions{Endpoints: map[string]string{
		"steady": hang.URL + "/openrtb2/steady", "broken": bidder.URL + "/openrtb2/broken"},
		LateGrace: time.Minute, Notices: NoticesWin})
	if err != nil {
		t.Fatal(err)
	}
	stop := sim.Stop{Auctions: 20}
	if cancelRun {
		stop.Auctions = 100_000 // never reached: cancelled first
	}
	err = x.Run(ctx, stop)
	returned := time.Now()
	if cancelRun {
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Run cancelled: %v, want context.Canceled", err)
		}
		// Generous: the cut is at once, the notices get StopNotices.
		if took := returned.Sub(time.Unix(0, cancelled.Load())); took > StopWait+5*time.Second {
			t.Errorf("Run returned %v after it was cancelled, want at most StopWait (%v) and some", took, StopWait)
		}
	} else if err != nil {
		t.Fatal(err)
	}

	// Every handler sees its request's context cancelled promptly (the
	// notices' within StopNotices of the stop), not at the late grace's
	// end nor the notices' own 2 s.
	for limit := time.Now().Add(5 * time.Second); open.Load() > 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(limit) {
			t.Fatalf("%d handlers still hold their requests 5 s after Run returned: their requests were not cut", open.Load())
		}
	}
	// No goroutine of the run outlives it (the servers' connections end
	// as the exchange closes them). goleak retries for a second or two
	// itself; a busy machine gets 10 s.
	for limit := time.Now().Add(10 * time.Second); ; {
		err := goleak.Find(leaks)
		if err == nil {
			break
		}
		if time.Now().After(limit) {
			t.Fatalf("goroutines outlive Run: %v", err)
		}
	}

	w := x.Wire()
	if w.Sent != w.Answered+w.HTTPErrors+w.Timeouts+w.Unsettled {
		t.Errorf("wire %+v: sent is not answered + errors + timeouts + unsettled", w)
	}
	// steady's calls of the auctions open at the stop are unsettled, not
	// errors: the cut is the run's, not the bidder's.
	if w.Unsettled == 0 || w.HTTPErrors != 0 || w.Answered == 0 {
		t.Errorf("wire %+v: want calls unsettled at the stop, no HTTP errors, broken's bids answered", w)
	}
	// Every win notice hung: each was cut, at the stop or by its own 2 s,
	// and counted unsent.
	if n := notices.Load(); n == 0 || w.NoticesSent != 0 || w.NoticesUnsent != uint64(n) {
		t.Errorf("notices: %d reached the bidder, wire says %d sent, %d unsent; want all of them unsent", n, w.NoticesSent, w.NoticesUnsent)
	}
}
