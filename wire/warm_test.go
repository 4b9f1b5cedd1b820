package wire

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// TestWarmDialerHandsOutItsConnections: the connections dialled ahead are
// what the transport gets, newest first, until none is left; then it
// dials. An old one is dropped, and close closes the rest.
func TestWarmDialerHandsOutItsConnections(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var accepted atomic.Int64
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			defer c.Close()
		}
	}()
	addr := ln.Addr().String()
	w := newWarmDialer()
	defer w.close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if got := w.warm(ctx, addr, 5); got != 5 {
		t.Fatalf("warmed %d connections, want 5", got)
	}
	held := map[net.Conn]bool{}
	for _, wc := range w.idle[addr] {
		held[wc.c] = true
	}
	for i := range 5 {
		c, err := w.DialContext(ctx, "tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		if !held[c] {
			t.Fatalf("dial %d: a new connection while warm ones are left", i)
		}
		c.Close()
	}
	c, err := w.DialContext(ctx, "tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	if held[c] {
		t.Fatal("a warm connection handed out twice")
	}
	c.Close()

	// An old warm connection is closed, not handed out.
	w.warm(ctx, addr, 1)
	old := w.idle[addr][0].c
	w.idle[addr][0].at = time.Now().Add(-2 * warmMaxAge)
	c, err = w.DialContext(ctx, "tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	if c == old {
		t.Fatal("an old warm connection was handed out")
	}
	if _, err := old.Write([]byte("x")); err == nil {
		t.Error("the old warm connection is still open")
	}
	w.warm(ctx, addr, 2)
	w.close()
	if n := len(w.idle[addr]); n != 0 {
		t.Errorf("%d warm connections left after close", n)
	}
	for accepted.Load() < 9 && ctx.Err() == nil { // accepted in its own time
		time.Sleep(time.Millisecond)
	}
	if a := accepted.Load(); a < 9 {
		t.Errorf("the listener accepted %d connections, want 9 at least", a)
	}
	// A refused address warms nothing, and stops at the first failure.
	ln2, _ := net.Listen("tcp", "127.0.0.1:0")
	dead := ln2.Addr().String()
	ln2.Close()
	if got := w.warm(ctx, dead, 100); got != 0 {
		t.Errorf("warmed %d connections to a closed port", got)
	}
}

// TestWarmCounts: an exchange expects each bidder's bid requests a second
// times the deadline and a quarter open at once, on http:// endpoints, within its limit.
func TestWarmCounts(t *testing.T) {
	sc, err := scenarios.Bundled("timeout-demo")
	if err != nil {
		t.Fatal(err)
	}
	cfg := sc.Config // 1,000 qps, tmax 120 ms, 8 bidders
	urls := []string{"http://127.0.0.1:8080/openrtb2/a", "http://127.0.0.1:8080/openrtb2/b", "http://h.example/x", "https://s.example/y", "", "::"}
	got := warmCounts(cfg, urls, 4096)
	if got["127.0.0.1:8080"] != 300 || got["h.example:80"] != 150 || len(got) != 2 {
		t.Errorf("warm counts %v: want 300 to 127.0.0.1:8080 and 150 to h.example:80", got)
	}
	if got := warmCounts(cfg, urls, 200); got["127.0.0.1:8080"] != 200 || len(got) != 1 {
		t.Errorf("within a limit of 200: %v", got)
	}
}

// TestExchangeRunsWarm: an exchange on loopback dials its connections
// before its clock starts, and its calls use them rather than dial.
func TestExchangeRunsWarm(t *testing.T) {
	sc, err := scenarios.Bundled("timeout-demo")
	if err != nil {
		t.Fatal(err)
	}
	cfg := sc.Config
	cfg.Traffic.QPS = 100 // 800 bid requests a second, some 75 open at once
	srv, err := NewServer(cfg, ServerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var conns atomic.Int64
	ts := httptest.NewUnstartedServer(srv) // 127.0.0.1:0
	ts.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	ts.Start()
	defer ts.Close()
	// With the late grace, a late call keeps its connection: without it,
	// every timeout cuts one, and the next call dials.
	x, err := NewExchange(cfg, ExchangeOptions{Endpoints: Endpoints(cfg, ts.URL), LateGrace: DefaultLateGrace})
	if err != nil {
		t.Fatal(err)
	}
	if n := x.warmN[ts.Listener.Addr().String()]; n != 120 {
		t.Fatalf("warm count %d, want 120 (%v)", n, x.warmN)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// The run dials 120 before its clock starts, and uses them: the ramp
	// to some 75 calls open at once takes them rather than dial.
	if err := x.Run(ctx, sim.Stop{Auctions: 200}); err != nil {
		t.Fatal(err)
	}
	// All 120 unless the 3 s the warming may take ran out first.
	if n := conns.Load(); x.warmed == 0 || n < int64(x.warmed) {
		t.Errorf("the server saw %d connections, %d dialled ahead: want them at least", n, x.warmed)
	}
	x.warmer.mu.Lock()
	taken, dialled := x.warmer.taken, x.warmer.dialled
	x.warmer.mu.Unlock()
	// The modelled answers alone keep some 75 calls open at once; a busy
	// machine only adds to that (and to the dials: not checked).
	if taken < min(60, x.warmed) {
		t.Errorf("%d warm connections taken (%d dialled during the run): want the ramp's calls on warm ones", taken, dialled)
	}
	if len(x.warmer.idle) != 0 {
		t.Errorf("warm connections left after the run: %v", x.warmer.idle)
	}
}
