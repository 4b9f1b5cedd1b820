package wire

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Notices in batches. A notice is an HTTP call of its own, which costs
// about as much CPU at both ends as a bid request, and an exchange with
// budgets sends some three an auction (timeout-demo: 3,000 a second
// beside its 8,000 bid requests). To the bidders that say they are
// auctionsim's (their answers state their modelled time), the exchange
// posts its notices in batches to their server's NoticesPath instead:
// every noticeFlush, or at noticeBatch notices, whichever comes first. A
// notice then reaches its bidder up to noticeFlush later, which no
// budget's pacing notices. Other bidders get each notice as its own GET,
// as OpenRTB has it.

const (
	noticeFlush = 5 * time.Millisecond
	noticeBatch = 64
)

// batcher gathers an exchange's notices by server.
type batcher struct {
	x     *Exchange
	known sync.Map // host → true: an auctionsim server, which takes batches

	mu      sync.Mutex
	pending map[string][]string // batch URL → notice URLs
	armed   bool                // a flush is due
	timer   *time.Timer         // the flush due, stopped by close
	closed  bool                // the run is over: no more batches
	posts   sync.WaitGroup      // batches in flight; Add with mu held, before closed
}

// learn records that host answered as an auctionsim bidder.
func (b *batcher) learn(host string) {
	if _, ok := b.known.Load(host); !ok {
		b.known.Store(host, true)
	}
}

// add queues notice URL u for its server's next batch, and reports
// false when u's server does not take batches.
func (b *batcher) add(u string) bool {
	p, err := url.Parse(u)
	if err != nil || !strings.HasPrefix(p.Path, NoticePath) {
		return false
	}
	if _, ok := b.known.Load(p.Host); !ok {
		return false
	}
	to := p.Scheme + "://" + p.Host + NoticesPath
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return false
	}
	if b.pending == nil {
		b.pending = map[string][]string{}
	}
	b.pending[to] = append(b.pending[to], u)
	if len(b.pending[to]) >= noticeBatch {
		b.sendLocked(to)
	} else if !b.armed {
		b.armed = true
		if b.timer == nil {
			b.timer = time.AfterFunc(noticeFlush, b.flush)
		} else {
			b.timer.Reset(noticeFlush)
		}
	}
	return true
}

// flush sends every batch gathered.
func (b *batcher) flush() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.armed = false
	for to := range b.pending {
		b.sendLocked(to)
	}
}

// close sends what is gathered and waits for every batch sent; later
// notices go one by one.
func (b *batcher) close() {
	b.mu.Lock()
	for to := range b.pending {
		b.sendLocked(to)
	}
	b.closed = true
	if b.timer != nil {
		b.timer.Stop() // its batches are sent
	}
	b.mu.Unlock()
	b.posts.Wait()
}

// sendLocked posts the batch for to on a goroutine of its own, which
// close waits for. Call with mu held.
func (b *batcher) sendLocked(to string) {
	us := b.pending[to]
	delete(b.pending, to)
	if len(us) == 0 || b.closed {
		return
	}
	b.posts.Add(1)
	go func() {
		defer b.posts.Done()
		b.post(to, us)
	}()
}

// post sends one batch; a server that does not take it (404, 405: not
// an auctionsim bidder after all) gets each notice as its GET.
func (b *batcher) post(to string, us []string) {
	st := b.x.noticeCall(http.MethodPost, to, strings.NewReader(strings.Join(us, "\n")))
	if st == http.StatusNotFound || st == http.StatusMethodNotAllowed {
		for _, u := range us {
			b.x.get(u)
		}
		return
	}
	b.x.countNotices(len(us), st)
}
