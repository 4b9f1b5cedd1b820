package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/wire"
)

// TestRunOnTheWireInterruptedWithAHangingBidder: Ctrl-C in run
// --endpoints against bidders that never answer exits 130 promptly, with
// the partial summary, its wire counts adding up (the calls of the
// auctions open at the stop unsettled, not errors), and every request
// the bidders were holding cut.
func TestRunOnTheWireInterruptedWithAHangingBidder(t *testing.T) {
	var open, seen atomic.Int64
	release := make(chan struct{})
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		open.Add(1)
		defer open.Add(-1)
		seen.Add(1)
		// Read to its end, so that the server watches the connection and
		// cancels the request's context when the client cuts it.
		_, _ = io.Copy(io.Discard, r.Body)
		select {
		case <-r.Context().Done():
		case <-release: // a backstop for Close, should the test fail
		}
	}))
	defer ts.Close()
	defer close(release) // before Close: deferred calls run last first
	var last string
	for _, wait := range []time.Duration{time.Second, 3 * time.Second, 10 * time.Second} {
		// A late grace of a minute: without the cut the requests would
		// be held that long.
		r := interrupt(t, wait, 20*time.Second, "the run on the wire did not stop within 20s of SIGINT",
			"run", "-s", "timeout-demo", "--set", "traffic.qps=50", "--endpoints", ts.URL,
			"--late-grace", "1m", "--auctions", "1000000", "--json")
		if r.early {
			last = "at every head start the signal came before the run began"
			continue
		}
		if r.code != exitInterrupted {
			t.Fatalf("exit %d, want 130; stderr %q", r.code, r.stderr.String())
		}
		// Promptly: the calls are cut at once, and there are no notices
		// to wait for (nothing was answered). Generous for a busy machine.
		if r.took > wire.StopWait+5*time.Second {
			t.Errorf("exit %v after SIGINT, want within StopWait (%v) and some", r.took, wire.StopWait)
		}
		checkSummary(t, r.stdout.Bytes(), "timeout-demo", true)
		var m struct {
			Auctions uint64         `json:"auctions"`
			Wire     wire.WireStats `json:"wire"`
		}
		if err := json.Unmarshal(r.stdout.Bytes(), &m); err != nil {
			t.Fatal(err)
		}
		w := m.Wire
		if m.Auctions == 0 || w.Sent == 0 || seen.Load() == 0 {
			t.Fatalf("partial summary with %d auctions, wire %+v, %d requests seen: want what was done", m.Auctions, w, seen.Load())
		}
		if w.Sent != w.Answered+w.HTTPErrors+w.Timeouts+w.Unsettled || w.Unsettled == 0 || w.Answered != 0 || w.HTTPErrors != 0 {
			t.Errorf("wire %+v: want sent = timeouts + unsettled, nothing answered, no errors", w)
		}
		for limit := time.Now().Add(5 * time.Second); open.Load() > 0; time.Sleep(10 * time.Millisecond) {
			if time.Now().After(limit) {
				t.Fatalf("%d requests still held 5 s after the run exited", open.Load())
			}
		}
		return
	}
	t.Fatal(last)
}
