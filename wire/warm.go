package wire

import (
	"context"
	"net"
	"net/url"
	"sync"
	"time"

	"github.com/auctionsim/auctionsim/sim"
)

// Warm connections. HTTP/1.1 carries one call at a time on a connection,
// so an exchange with some hundreds of calls open at once needs as many
// connections; a Prebid Server that has been running has them open. A
// run that starts cold dials them all in its first deadline instead: at
// timeout-demo's 8,000 bid requests a second, some 900 dials (and as many
// accepts at the bidders) in 120 ms, which on a small machine delays the
// first auctions' answers past their deadline, and the delay feeds itself
// (late calls hold their connections longer, so more are dialled). So the
// exchange dials the connections it expects to need before the run's
// clock starts, and its transport takes them as it would take fresh ones.
// Nothing else changes: every call still has its context deadline, and a
// call past the warm pool dials as before.

// warmMaxAge is how old a warm connection may be when taken: older ones
// may have been closed by the other end as idle (a Go server's
// ReadHeaderTimeout runs from the accept; auctionsim bidders' is 10 s),
// and are dropped; the run closes them all at that age.
const warmMaxAge = 3 * time.Second

// warmParallel is how many dials warming has in flight at once.
const warmParallel = 32

// warmDialer dials for an exchange's transport, handing out the
// connections dialled ahead first.
type warmDialer struct {
	d    *net.Dialer
	mu   sync.Mutex
	idle map[string][]warmConn // by address, as the transport dials it
	// taken and dialled count the connections handed out warm and
	// dialled on demand.
	taken, dialled int
}

type warmConn struct {
	c  net.Conn
	at time.Time
}

func newWarmDialer() *warmDialer {
	return &warmDialer{d: &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}, idle: map[string][]warmConn{}}
}

// DialContext is the transport's dialer: a warm connection to addr if one
// is left, else a new one.
func (w *warmDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	if network == "tcp" {
		w.mu.Lock()
		for q := w.idle[addr]; len(q) > 0; q = w.idle[addr] {
			wc := q[len(q)-1]
			w.idle[addr] = q[:len(q)-1]
			if time.Since(wc.at) < warmMaxAge {
				w.taken++
				w.mu.Unlock()
				return wc.c, nil
			}
			_ = wc.c.Close()
		}
		w.dialled++
		w.mu.Unlock()
	}
	return w.d.DialContext(ctx, network, addr)
}

// warm dials n connections to addr ahead, warmParallel at a time, until
// ctx is done or a dial fails (the run then dials as it goes, and reports
// what fails then). It returns how many it holds.
func (w *warmDialer) warm(ctx context.Context, addr string, n int) int {
	var wg sync.WaitGroup
	jobs := make(chan struct{})
	failed := make(chan struct{})
	var once sync.Once
	for range min(n, warmParallel) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range jobs {
				c, err := w.d.DialContext(ctx, "tcp", addr)
				if err != nil {
					once.Do(func() { close(failed) })
					continue
				}
				w.mu.Lock()
				w.idle[addr] = append(w.idle[addr], warmConn{c, time.Now()})
				w.mu.Unlock()
			}
		}()
	}
feed:
	for range n {
		select {
		case jobs <- struct{}{}:
		case <-failed:
			break feed
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.idle[addr])
}

// close closes the warm connections never taken.
func (w *warmDialer) close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	for addr, q := range w.idle {
		for _, wc := range q {
			_ = wc.c.Close()
		}
		delete(w.idle, addr)
	}
}

// dialAddr is the address the transport dials for an http:// URL,
// host:port with the port the scheme implies; "" for other schemes (an
// https:// connection's handshake is the transport's, and not worth
// doing ahead) and for what does not parse.
func dialAddr(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.Scheme != "http" || p.Host == "" {
		return ""
	}
	port := p.Port()
	if port == "" {
		port = "80"
	}
	return net.JoinHostPort(p.Hostname(), port)
}

// warmCounts is how many connections the exchange of cfg expects to have
// open at once to each address of its remote bidders: each bidder's bid
// requests a second at the peak rate times how long a call may hold its
// connection (the deadline, and a quarter more for the late answers read
// in the grace and the arrivals' bursts), at most limit in all.
func warmCounts(cfg sim.Config, urls []string, limit int) map[string]int {
	hold := 1.25 * cfg.Exchange.Tmax.Duration().Seconds()
	per := cfg.Traffic.PeakQPS() * hold
	out := map[string]int{}
	total := 0
	for _, u := range urls {
		addr := dialAddr(u)
		if addr == "" {
			continue
		}
		n := int(per + 0.5)
		n = min(n, limit-total)
		if n <= 0 {
			break
		}
		out[addr] += n
		total += n
	}
	return out
}
