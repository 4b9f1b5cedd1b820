package wire

import (
	"net"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
)

// closeWorld is two bidders of testWorld on loopback with a deadline of
// 3 s, far above anything a busy machine adds to their answers; with
// hang, the second never answers.
func closeWorld(hang bool) sim.Config {
	cfg := testWorld()
	cfg.Exchange.Tmax = 3 * sim.Second
	cfg.Traffic.QPS = 50
	var keep []sim.BidderConfig
	for _, b := range cfg.Bidders {
		switch {
		case b.Name == "steady", b.Name == "broken", b.Name == "picky", hang && b.Name == "mute":
			b.Latency = sim.Constant(float64(5 * sim.Millisecond))
			keep = append(keep, b)
		}
	}
	cfg.Bidders = keep
	return cfg
}

// runOnLoopback runs cfg's exchange against its own bidders on loopback
// for n auctions, each bidder of moved at its URL instead, and returns the
// exchange's snapshot.
func runOnLoopback(t *testing.T, cfg sim.Config, n uint64, moved map[string]string) *sim.Snapshot {
	t.Helper()
	x, _ := runExchange(t, cfg, n, moved)
	s := x.Engine().Snapshot()
	if s.Exchange.Auctions != n || s.Exchange.Wait.Count != n {
		t.Fatalf("%d auctions, %d waits: want %d", s.Exchange.Auctions, s.Exchange.Wait.Count, n)
	}
	return s
}

// TestExchangeClosesEarlyOnTheWire: with every bidder answering (a bid,
// an HTTP 500 and a 204, each after 5 ms) the exchange answers when the
// last call ends, as Prebid Server does: every auction's wait, measured
// on the wall clock, is at least the 5 ms the bidders take and far below
// the 3 s deadline, and the auctions clear as before. A refused
// connection ends its call too.
func TestExchangeClosesEarlyOnTheWire(t *testing.T) {
	s := runOnLoopback(t, closeWorld(false), 30, nil)
	w, tmax := s.Exchange.Wait, s.Settings.Tmax
	t.Logf("wait %+v", w)
	if w.P50 < 5*sim.Millisecond || w.Mean < 5*sim.Millisecond {
		t.Errorf("wait %+v: the exchange closed before its bidders could answer", w)
	}
	if w.P50 > tmax/10 || w.Max >= tmax {
		t.Errorf("wait %+v: want far below tmax %v, the exchange closing on its last answer", w, tmax)
	}
	if x := s.Exchange; x.Filled != x.Auctions || x.Errors < x.Auctions || x.NoBids < x.Auctions {
		t.Errorf("exchange %+v: want every auction filled by steady, every one of broken's calls an error, picky's a no-bid", x)
	}

	// picky's port refuses connections: closed after it was bound.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + ln.Addr().String() + BidPath + "picky"
	ln.Close()
	s = runOnLoopback(t, closeWorld(false), 30, map[string]string{"picky": refused})
	if w := s.Exchange.Wait; w.Max >= tmax || w.P50 > tmax/10 {
		t.Errorf("with a refused connection: wait %+v, want far below tmax %v", w, tmax)
	}
	if x := s.Exchange; x.Errors < 2*x.Auctions {
		t.Errorf("with a refused connection: %d errors in %d auctions, want broken's and picky's", x.Errors, x.Auctions)
	}
}

// TestExchangeWaitsOnTheWire: an auction waits for its deadline when a
// called bidder never answers, and every auction does with close_early
// false.
func TestExchangeWaitsOnTheWire(t *testing.T) {
	hang := closeWorld(true)
	hang.Exchange.Tmax = 300 * sim.Millisecond
	held := closeWorld(false)
	held.Exchange.Tmax = 300 * sim.Millisecond
	held.Exchange.HoldOpen = true
	for name, cfg := range map[string]sim.Config{"a hanging bidder": hang, "close_early false": held} {
		s := runOnLoopback(t, cfg, 10, nil)
		if w := s.Exchange.Wait; w.Mean != cfg.Exchange.Tmax || w.P50 < cfg.Exchange.Tmax*99/100 {
			t.Errorf("%s: wait %+v, want tmax %v every time", name, w, cfg.Exchange.Tmax)
		}
	}
}
