package wire

import (
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/runner"
)

// The wire is said to have stopped once it has answered and then gone
// silentAfter without an answer while unheardAfter calls failed, once,
// and to answer again when an answer comes; gaps of a quiet wire, few
// failures, or a wire that never answered (unheard's) say nothing.
func TestSilenceObserve(t *testing.T) {
	ms := sim.Millisecond
	var s silence
	// since: when the wire last answered while it is said to have
	// stopped (runner.Frame.Silent, the views' stale latencies), else 0.
	steps := []struct {
		at                        sim.Time
		answered, failed, refused uint64
		want                      string
		warn                      bool
		since                     sim.Time
	}{
		{100 * ms, 0, 30, 30, "", false, 0},  // never answered: unheard's to say
		{200 * ms, 5, 30, 30, "", false, 0},  // answers
		{1100 * ms, 5, 40, 40, "", false, 0}, // 0.9 s of silence: too soon
		{2000 * ms, 5, 45, 45, "", false, 0}, // 1.8 s, but 15 failures: too few
		{2100 * ms, 5, 51, 50, "the wire stopped answering at 200ms: is auctionsim bidders still running? (21 calls failed since, none answered, 20 refused)", true, 200 * ms},
		{3000 * ms, 5, 400, 390, "", false, 200 * ms}, // said once, stale still
		{5200 * ms, 6, 401, 390, "the wire answers again at 5.2s (no answer for 5s)", false, 0},
		{6300 * ms, 6, 430, 390, "the wire stopped answering at 5.2s: 29 calls failed since, none answered (HTTP errors and timeouts)", true, 5200 * ms},
		{6400 * ms, 7, 430, 390, "the wire answers again at 6.4s (no answer for 1.2s)", false, 0},
		{9000 * ms, 300, 440, 390, "", false, 0}, // answering
	}
	for _, c := range steps {
		got, warn := s.observe(c.at, c.answered, c.failed, c.refused)
		if got != c.want || warn != c.warn {
			t.Errorf("at %v: said %q (warn %v), want %q (warn %v)", c.at, got, warn, c.want, c.warn)
		}
		if s.since() != c.since {
			t.Errorf("at %v: stale since %v, want %v", c.at, s.since(), c.since)
		}
	}
	// Said never to answer (Live.unheard): nothing more until the first
	// answer, which is said.
	var late silence
	late.unheard()
	if got, _ := late.observe(2*sim.Second, 0, 400, 400); got != "" {
		t.Errorf("before any answer: %q", got)
	}
	if late.since() != 0 {
		t.Errorf("a wire that never answered has stale latencies since %v: it has none", late.since())
	}
	if got, warn := late.observe(3*sim.Second, 4, 400, 400); got != "the wire answers at 3s" || warn {
		t.Errorf("at the first answer: %q (warn %v)", got, warn)
	}
}

// A bidders' server started after the dashboard: the status line says
// nothing answers, then that the wire answers once it does.
func TestLiveSaysTheWireAnswersOnceTheServerStarts(t *testing.T) {
	cfg := closeWorld(false)
	cfg.Exchange.Tmax = 200 * sim.Millisecond
	cfg.Traffic.QPS = 100
	srv, err := NewServer(cfg, ServerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	addr := strings.TrimPrefix(closedURL(t), "http://")
	eps := map[string]string{"steady": "http://" + addr + BidPath + "steady", "picky": "http://" + addr + BidPath + "picky"}
	l, err := NewLive(runner.World{Name: "wire-test", Config: cfg, Stop: sim.Stop{Duration: 60 * sim.Second}}, ExchangeOptions{Endpoints: eps})
	if err != nil {
		t.Fatal(err)
	}
	l.Start()
	defer l.Stop()
	nextFrame(t, l, "nothing answers", func(f runner.Frame) bool { return hasNote(f, "nothing on the wire answers") })
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("the closed port %s was taken meanwhile: %v", addr, err)
	}
	up := &http.Server{Handler: srv}
	go up.Serve(ln)
	defer up.Close()
	nextFrame(t, l, "the wire answering", func(f runner.Frame) bool { return hasNote(f, "the wire answers at ") })
}

// A bidders' server stopped mid-run is said on the status line, its
// refused connections named, and said again when it is back on the same
// address and answers.
func TestLiveSaysTheWireStoppedAndCameBack(t *testing.T) {
	cfg := closeWorld(false)
	cfg.Exchange.Tmax = 200 * sim.Millisecond
	cfg.Traffic.QPS = 100
	srv, err := NewServer(cfg, ServerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	up := &http.Server{Handler: srv}
	go up.Serve(ln)
	eps := map[string]string{"steady": "http://" + addr + BidPath + "steady", "picky": "http://" + addr + BidPath + "picky"}
	l, err := NewLive(runner.World{Name: "wire-test", Config: cfg, Stop: sim.Stop{Duration: 60 * sim.Second}}, ExchangeOptions{Endpoints: eps})
	if err != nil {
		t.Fatal(err)
	}
	l.Start()
	defer l.Stop()
	nextFrame(t, l, "an answer", func(f runner.Frame) bool { return f.Snap.Exchange.Bids > 0 })
	up.Close()
	f := nextFrame(t, l, "the wire stopped", func(f runner.Frame) bool { return hasNote(f, "the wire stopped answering at ") })
	if f.Silent == 0 {
		t.Errorf("the frame saying the wire stopped does not say since when (Frame.Silent): the views' latencies would not be marked stale")
	}
	for _, n := range f.Notes {
		if strings.Contains(n.Text, "the wire stopped answering at ") && (!n.Warn || !strings.Contains(n.Text, "is auctionsim bidders still running?")) {
			t.Errorf("want a warning that asks for the server: %+v", n)
		}
	}
	var back net.Listener
	for i := 0; ; i++ { // the address is free again once the old listener has closed
		if back, err = net.Listen("tcp", addr); err == nil {
			break
		}
		if i == 50 {
			t.Fatalf("listen again on %s: %v", addr, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	again := &http.Server{Handler: srv}
	go again.Serve(back)
	defer again.Close()
	if f := nextFrame(t, l, "the wire answering again", func(f runner.Frame) bool { return hasNote(f, "the wire answers again at ") }); f.Silent != 0 {
		t.Errorf("the wire answers again but its frame says silent since %v", f.Silent)
	}
}
