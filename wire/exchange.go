package wire

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/auctionsim/auctionsim/report/openrtb"
	"github.com/auctionsim/auctionsim/sim"
)

// DefaultLateGrace is the command line's late grace: long enough for
// most late answers of a bidder within a few hundred ms of its deadline,
// so that their connections are kept rather than cut and dialled again.
const DefaultLateGrace = 500 * time.Millisecond

// DefaultMaxInFlight bounds the bid requests an Exchange has open at once;
// past it a bid request fails at once, as an error.
const DefaultMaxInFlight = 4096

// WireStats are what crossed the wire: bid requests sent, answers (bids
// and no-bids) received by the deadline, no-bids among them, HTTP errors
// (5xx, other statuses, unreadable answers, refused connections),
// timeouts (no answer by the deadline) and the bytes of the bodies each
// way.
type WireStats struct {
	Sent       uint64 `json:"sent"`
	Answered   uint64 `json:"answered"`
	NoBids     uint64 `json:"no_bids"`
	HTTPErrors uint64 `json:"http_errors"`
	Timeouts   uint64 `json:"timeouts"`
	BytesOut   uint64 `json:"bytes_out"`
	BytesIn    uint64 `json:"bytes_in"`
	// LateAnswers are answers read after their auction closed (with a
	// late grace), counted in Timeouts too; LateBids are the bids among
	// them.
	LateAnswers uint64 `json:"late_answers"`
	LateBids    uint64 `json:"late_bids"`
	// TimeoutsByBidder are the timeouts by bidder on the wire: the calls
	// its table counts as late bids with no price (whether they would
	// have been bids is unknown), so that the late share compares with
	// the simulation's. Nil with none.
	TimeoutsByBidder map[string]uint64 `json:"timeouts_by_bidder,omitempty"`
	// AddedMS is, for answers from auctionsim bidders (which state their
	// modelled time), the measured time less the modelled one: the
	// wire's own delay, both ends and the network. Nil with none.
	AddedMS *Percentiles `json:"added_ms,omitempty"`
}

// The wire's added delay past which a run measures the machine more than
// the model: a few ms at the median, tens of ms for one answer in twenty.
const (
	BusyAddedP50MS = 5
	BusyAddedP95MS = 25
)

// Busy says, in a sentence for the user, when the wire itself added more
// to the modelled answers than BusyAddedP50MS at the median or
// BusyAddedP95MS at p95: the machine (both ends, on loopback) is not
// keeping up with sent bid requests in wall seconds, and late shares and
// prices then say more about it than about the scenario. "" otherwise, or
// without auctionsim bidders to state their modelled time.
func (w WireStats) Busy(wall time.Duration) string {
	a := w.AddedMS
	if a == nil || a.P50 <= BusyAddedP50MS && a.P95 <= BusyAddedP95MS {
		return ""
	}
	rate := ""
	if wall > 0 {
		rate = fmt.Sprintf(" (%.0f bid requests a second)", float64(w.Sent)/wall.Seconds())
	}
	return fmt.Sprintf("the wire added %.1f ms at the median and %.1f ms at p95 to the modelled answers (at most %d and %d for the figures to be the model's): this machine is not keeping up with the traffic%s; lower it with --set traffic.qps=... (README, \"Theory meets the wire\")",
		a.P50, a.P95, BusyAddedP50MS, BusyAddedP95MS, rate)
}

// Unanswered says, in a sentence for the user, when bid requests went out
// on the wire and not one was answered (refused connections, errors,
// timeouts): the figures then describe no bidder, most often because the
// bidders' server is not running where --endpoints points. "" otherwise.
func (w WireStats) Unanswered() string {
	if w.Sent == 0 || w.Answered > 0 {
		return ""
	}
	return fmt.Sprintf("none of the %d bid requests sent on the wire was answered (%d HTTP errors or refused connections, %d timeouts): is a bidders' server (auctionsim bidders --listen ADDR) running at the endpoints?",
		w.Sent, w.HTTPErrors, w.Timeouts)
}

// ExchangeOptions configure an Exchange.
type ExchangeOptions struct {
	// Endpoints maps each remote bidder's name to its bid endpoint's URL;
	// the world's other bidders stay simulated.
	Endpoints map[string]string
	// Client sends the requests; nil: one with a transport sized for
	// MaxInFlight connections.
	Client *http.Client
	// MaxInFlight bounds the bid requests open at once; 0: DefaultMaxInFlight.
	MaxInFlight int
	// NoNotices: do not call the winners' nurl and the losers' lurl
	// (Notices none).
	NoNotices bool
	// Notices says which notices the exchange sends; the zero value,
	// NoticesBudget, keeps the bidders' budgets right at the least cost.
	Notices Notices
	// LateGrace keeps a bid request open that long past its deadline to
	// read the late answer, which the auction never uses but the wire
	// statistics count (LateAnswers, LateBids), and which keeps the
	// connection for the next request. 0: the request is cut at its
	// deadline, as Prebid Server cuts it.
	LateGrace time.Duration
	// Cold: do not dial the connections the run expects to need before
	// its clock starts (warm.go); the first auctions dial them.
	Cold bool
}

// Notices says which win and loss notices an exchange on the wire sends.
type Notices int

// Which notices are sent. A win notice makes spend at the bidder; a loss
// notice only frees what the bid held against the bidder's budget, which
// matters to a bidder with a budget alone (one without a budget holds its
// unnotified bids as spend at risk, which changes none of its bids).
const (
	// NoticesBudget: every winner's nurl, and the losers' lurl for the
	// bidders with a budget in the scenario (the default).
	NoticesBudget Notices = iota
	// NoticesAll: every winner's nurl and every loser's lurl.
	NoticesAll
	// NoticesWin: the winners' nurl only.
	NoticesWin
	// NoticesNone: no notices.
	NoticesNone
)

var noticeNames = [...]string{"budget", "all", "win", "none"}

// String names n as --notices takes it.
func (n Notices) String() string {
	if n >= 0 && int(n) < len(noticeNames) {
		return noticeNames[n]
	}
	return "Notices(" + strconv.Itoa(int(n)) + ")"
}

// ParseNotices reads --notices: budget, all, win or none.
func ParseNotices(s string) (Notices, error) {
	for i, n := range noticeNames {
		if s == n {
			return Notices(i), nil
		}
	}
	return 0, fmt.Errorf("--notices %q: want budget, all, win or none", s)
}

// Endpoints maps every bidder of cfg to base/openrtb2/NAME: the bidders
// of `auctionsim bidders` serving the same scenario at base.
func Endpoints(cfg sim.Config, base string) map[string]string {
	base = strings.TrimRight(base, "/")
	out := make(map[string]string, len(cfg.Bidders))
	for _, b := range cfg.Bidders {
		out[b.Name] = base + bidPathOf(b.Name)
	}
	return out
}

// Exchange runs a world's exchange on the wall clock with some or all of
// its bidders reached over HTTP: sim's engine draws the arrivals (Poisson
// at the scenario's rate), fans each ad request out, and at the deadline
// clears the auction with its own rules on the answers that came back in
// time; each remote bid request carries a context deadline of the tmax its
// bidder is told, as Prebid Server's do.
type Exchange struct {
	eng    *sim.Engine
	client *http.Client
	urls   []string // by bidder index; "" simulated
	names  []string // by bidder index
	// timedOut counts each bidder's timeouts, by index.
	timedOut    []atomic.Uint64
	sem         chan struct{}
	sendNotices Notices
	// losses says, by bidder index, whether a loss notice goes to it.
	losses []bool
	grace  time.Duration
	start  time.Time
	// warmer dials the exchange's own client's connections, warmN of
	// them to each address ahead of the run (warm.go).
	warmer *warmDialer
	warmN  map[string]int
	warmed int // connections dialled ahead

	mu    sync.Mutex
	calls map[callKey]*call
	body  struct { // the last auction's request body, shared by its bidders
		id   uint64
		data []byte
	}
	// rt is the exchange's own client's transport, nil with a client
	// given (ExchangeOptions.Client), whose Do is then used.
	rt      http.RoundTripper
	work    *workers // run the calls
	notices sync.WaitGroup
	batch   batcher                 // notices to auctionsim bidders (batch.go)
	added   *hdrhistogram.Histogram // guarded by mu
	recent  *recentHist             // added, the last few intervals; guarded by mu

	// Closing early (close.go): each auction's calls still open, guarded
	// by mu; the auctions whose calls all ended, for the driver to close;
	// wake tells the driver there are some.
	pend    map[uint64]*pending
	ended   []endedAt
	wake    chan struct{}
	fanning uint64 // the auction Send is fanning out, on the driver's goroutine
	// jobs run on the driver's goroutine between events (Live).
	jobs chan func()

	w struct {
		sent, answered, noBids, httpErrors, timeouts, bytesOut, bytesIn, lateAnswers, lateBids atomic.Uint64
	}
}

type callKey struct {
	auction uint64
	bidder  int
}

// call is one bid request on the wire. Its answer is decided once:
// by the answer, or by the auction's close (a timeout), whichever comes
// first.
type call struct {
	mu      sync.Mutex
	decided bool
	told    sim.Time // the deadline, after fan-out
	bidder  int
	p       *pending // its auction's calls
	answer  sim.RemoteAnswer
	nurl    string
	lurl    string
}

// decide sets the call's answer unless the close has already timed it
// out; then the answer only counts as late, and it reports false.
func (x *Exchange) decide(c *call, a sim.RemoteAnswer, nurl, lurl string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.decided {
		// Ended by its answer, its error or its refusal: the auction may
		// close before its deadline.
		defer x.end(c.p)
	}
	if c.decided {
		if a.Status == sim.OnTime || a.Status == sim.NoBid {
			x.w.lateAnswers.Add(1)
			if a.Status == sim.OnTime {
				x.w.lateBids.Add(1)
			}
		}
		return false
	}
	c.decided, c.answer, c.nurl, c.lurl = true, a, nurl, lurl
	switch a.Status {
	case sim.OnTime:
		x.w.answered.Add(1)
	case sim.NoBid:
		x.w.answered.Add(1)
		x.w.noBids.Add(1)
	case sim.Late:
		x.timeout(c.bidder)
	default:
		x.w.httpErrors.Add(1)
	}
	return true
}

// timeout counts a call to bidder that had no answer by its deadline.
func (x *Exchange) timeout(bidder int) {
	x.w.timeouts.Add(1)
	x.timedOut[bidder].Add(1)
}

// NewExchange builds the exchange of cfg with opts.Endpoints' bidders
// remote.
func NewExchange(cfg sim.Config, opts ExchangeOptions) (*Exchange, error) {
	if len(opts.Endpoints) == 0 {
		return nil, errors.New("wire: no endpoints")
	}
	eng, err := sim.New(cfg)
	if err != nil {
		return nil, err
	}
	limit := cmpZero(opts.MaxInFlight, DefaultMaxInFlight)
	x := &Exchange{eng: eng, client: opts.Client, urls: make([]string, len(cfg.Bidders)),
		names: make([]string, len(cfg.Bidders)), timedOut: make([]atomic.Uint64, len(cfg.Bidders)),
		sem: make(chan struct{}, limit), sendNotices: opts.Notices, grace: max(opts.LateGrace, 0), calls: map[callKey]*call{}, added: newHist(),
		recent: newRecentHist(seriesInterval(cfg), sim.RecentIntervals),
		pend:   map[uint64]*pending{}, wake: make(chan struct{}, 1)}
	x.batch.x = x
	x.work = newWorkers()
	if x.client == nil {
		x.warmer = newWarmDialer()
		x.client = newClient(limit, x.warmer)
		// Its bid requests go straight to the transport: Client.Do's
		// redirect handling copies every request's headers first, and no
		// bid endpoint redirects.
		x.rt = x.client.Transport
	}
	var names []string
	if opts.NoNotices {
		x.sendNotices = NoticesNone
	}
	x.losses = make([]bool, len(cfg.Bidders))
	for i, b := range cfg.Bidders {
		x.losses[i] = x.sendNotices == NoticesAll || x.sendNotices == NoticesBudget && b.Budget != nil
		x.names[i] = b.Name
		if u, ok := opts.Endpoints[b.Name]; ok {
			if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
				return nil, fmt.Errorf("wire: bidder %s: endpoint %q is not an http:// or https:// URL", b.Name, u)
			}
			x.urls[i] = u
			names = append(names, b.Name)
		}
	}
	for n := range opts.Endpoints {
		if !contains(names, n) {
			hint := ""
			if c := sim.Closest(n, x.names, 2); c != "" {
				hint = "; did you mean " + c + "?"
			}
			return nil, fmt.Errorf("wire: endpoint for %q, which is not a bidder of the scenario%s", n, hint)
		}
	}
	if err := eng.SetRemote(x, names...); err != nil {
		return nil, err
	}
	if x.warmer != nil && !opts.Cold {
		x.warmN = warmCounts(cfg, x.urls, limit)
	}
	return x, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func cmpZero(v, def int) int {
	if v <= 0 {
		return def
	}
	return v
}

// newClient is an HTTP client that keeps as many idle connections per
// host as requests may be open, so that steady traffic reuses them.
func newClient(limit int, d *warmDialer) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = limit
	t.MaxIdleConnsPerHost = limit
	t.DialContext = d.DialContext
	// Bid answers are small: no Accept-Encoding, no gzip reader to wrap.
	t.DisableCompression = true
	return &http.Client{Transport: t}
}

// Engine is the exchange's engine, for a snapshot once Run returns.
func (x *Exchange) Engine() *sim.Engine { return x.eng }

// Wire is what crossed the wire so far.
func (x *Exchange) Wire() WireStats {
	x.mu.Lock()
	var added *Percentiles
	if x.added.TotalCount() > 0 {
		p := percentiles(x.added)
		added = &p
	}
	x.mu.Unlock()
	var by map[string]uint64
	for i := range x.timedOut {
		if n := x.timedOut[i].Load(); n > 0 {
			if by == nil {
				by = map[string]uint64{}
			}
			by[x.names[i]] = n
		}
	}
	return WireStats{AddedMS: added, TimeoutsByBidder: by, Sent: x.w.sent.Load(), Answered: x.w.answered.Load(), NoBids: x.w.noBids.Load(),
		HTTPErrors: x.w.httpErrors.Load(), Timeouts: x.w.timeouts.Load(), BytesOut: x.w.bytesOut.Load(), BytesIn: x.w.bytesIn.Load(),
		LateAnswers: x.w.lateAnswers.Load(), LateBids: x.w.lateBids.Load()}
}

// recordAdded records an answer's added delay d, read at elapsed since
// the run's start.
func (x *Exchange) recordAdded(elapsed, d time.Duration) {
	x.mu.Lock()
	recordMicros(x.added, d)
	x.recent.record(elapsed, d)
	x.mu.Unlock()
}

// RecentAdded is the wire's added delay (as WireStats.AddedMS) over the
// last sim.RecentIntervals series intervals only, as the dashboard's other
// live figures: nil with no answer from an auctionsim bidder in them.
func (x *Exchange) RecentAdded() *Percentiles {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.start.IsZero() {
		return nil
	}
	return x.recent.window(time.Since(x.start))
}

// Run runs the exchange on the wall clock, one engine event at its
// instant, until stop or until ctx is done (then it returns ctx's error,
// the engine holding what was done). It waits for the notices it sent.
func (x *Exchange) Run(ctx context.Context, stop sim.Stop) error {
	if stop.IsZero() {
		return errors.New("wire: a run on the wire needs a stop")
	}
	defer x.client.CloseIdleConnections() // runs after the notices are waited for
	defer x.notices.Wait()
	defer x.batch.close()
	if x.warmer != nil {
		defer x.warmer.close()
		x.warmUp(ctx)
		defer time.AfterFunc(warmMaxAge, x.warmer.close).Stop()
	}
	x.start = time.Now()
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for !stop.Reached(x.eng.Now(), x.eng.Auctions()) {
		x.between()
		next := x.eng.NextTime()
		if next >= sim.EndOfTime {
			return nil
		}
		last := stop.Duration > 0 && next > stop.Duration
		if last {
			next = stop.Duration
		}
		if wait := time.Until(x.start.Add(next.Duration())); wait > 0 {
			timer.Reset(wait)
			select {
			case <-timer.C:
			case <-x.wake:
				// Calls ended: their auctions may close before next.
				timer.Stop()
				continue
			case f := <-x.jobs:
				timer.Stop()
				f()
				continue
			case <-ctx.Done():
				return ctx.Err()
			}
		} else if err := ctx.Err(); err != nil {
			return err
		}
		if last {
			x.eng.RunUntil(stop.Duration)
			return nil
		}
		done := x.eng.Auctions()
		x.eng.Step()
		x.sealFanOut()
		if x.eng.Auctions() > done {
			x.closed()
		}
	}
	return nil
}

// warmUp dials the connections the run expects to need, within 3 s (an
// endpoint that does not answer its dials holds the run's start no
// longer).
func (x *Exchange) warmUp(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	for addr, n := range x.warmN {
		x.warmed += x.warmer.warm(ctx, addr, n)
	}
}

// Send is sim.Remote's: it starts the bid request on a worker goroutine
// of its own (workers.go).
func (x *Exchange) Send(req sim.RemoteRequest) {
	c := &call{told: req.Lead + req.Told, bidder: req.Bidder}
	x.mu.Lock()
	c.p = x.pending(req.Auction)
	x.calls[callKey{req.Auction, req.Bidder}] = c
	if x.body.id != req.Auction || x.body.data == nil {
		x.body.id, x.body.data = req.Auction, requestBody(req)
	}
	body := x.body.data
	x.mu.Unlock()
	// Counted as sent at fan-out: each ends answered, an error or a
	// timeout, whenever its goroutine gets to run.
	x.w.sent.Add(1)
	x.w.bytesOut.Add(uint64(len(body)))
	select {
	case x.sem <- struct{}{}:
	default:
		// Too many open: fail at once rather than queue behind them.
		x.decide(c, sim.RemoteAnswer{Status: sim.Error}, "", "")
		return
	}
	x.work.run(func() {
		defer func() { <-x.sem }()
		a, nurl, lurl := x.do(req, body)
		// decide runs for every answer (it ends the call); its result only
		// matters for a bid that came in time by its own clock.
		inTime := x.decide(c, a, nurl, lurl)
		// A bid read after its auction closed lost, and its bidder is told,
		// so that the bid stops holding its budget: an on-time bid the
		// close had already timed out, or a bid read in the grace (do
		// answers it as Late, keeping only its loss URL).
		if (!inTime && a.Status == sim.OnTime) || (a.Status == sim.Late && lurl != "") {
			x.lateLoss(req.Bidder, lurl)
		}
	})
}

// requestBody is the OpenRTB 2.6 BidRequest of an auction: one banner
// impression with the floor, the told deadline as tmax.
func requestBody(req sim.RemoteRequest) []byte {
	id := strconv.FormatUint(req.Auction, 10)
	w, h := int64(300), int64(250)
	br := openrtb.BidRequest{
		ID:     id,
		Imp:    []openrtb.Imp{{ID: openrtb.ImpID, Banner: &openrtb.Banner{W: &w, H: &h}, BidFloor: req.Floor.CPM(), BidFloorCur: openrtb.Currency}},
		Site:   &openrtb.Site{Domain: "auctionsim.example", Page: "https://auctionsim.example/"},
		AT:     req.Type.OpenRTB(),
		TMax:   int64(math.Round(req.Told.Milliseconds())),
		Cur:    []string{openrtb.Currency},
		Source: &openrtb.Source{TID: id},
	}
	if req.Person != 0 {
		br.User = &openrtb.User{ID: openrtb.UserID(req.Person)}
	}
	if data, ok := appendBidRequest(make([]byte, 0, 384), &br); ok {
		return data
	}
	data, _ := json.Marshal(br) // plain values: cannot fail
	return data
}

// do sends one bid request and reads its answer within the deadline the
// bidder was told (and the late grace).
func (x *Exchange) do(req sim.RemoteRequest, body []byte) (a sim.RemoteAnswer, nurl, lurl string) {
	start := x.start.Add(req.Start.Duration())
	if req.Lead > 0 {
		time.Sleep(time.Until(start.Add(req.Lead.Duration())))
	}
	deadline := start.Add((req.Lead + req.Told).Duration())
	ctx, cancel := context.WithDeadline(context.Background(), deadline.Add(x.grace))
	defer cancel()
	since := func() sim.Time { return sim.FromDuration(time.Since(start)) }
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, x.urls[req.Bidder], bytes.NewReader(body))
	if err != nil {
		return sim.RemoteAnswer{Status: sim.Error}, "", ""
	}
	hr.Header.Set("Content-Type", "application/json")
	hr.Header.Set("X-Openrtb-Version", "2.6")
	var resp *http.Response
	if x.rt != nil {
		resp, err = x.rt.RoundTrip(hr)
	} else {
		resp, err = x.client.Do(hr)
	}
	if err != nil {
		return x.failed(deadline, since(), req.Lead+req.Told), "", ""
	}
	buf := bodyPool.Get().(*bytes.Buffer)
	defer putBody(buf)
	buf.Reset()
	_, err = buf.ReadFrom(io.LimitReader(resp.Body, MaxBody))
	resp.Body.Close()
	data := buf.Bytes() // only read before the buffer goes back
	x.w.bytesIn.Add(uint64(len(data)))
	if err != nil {
		return x.failed(deadline, since(), req.Lead+req.Told), "", ""
	}
	a.Time = since()
	if us, err := strconv.ParseInt(resp.Header.Get(ModelledHeader), 10, 64); err == nil && us >= 0 {
		x.batch.learn(hr.URL.Host)
		x.recordAdded(time.Since(x.start), (a.Time-req.Lead).Duration()-time.Duration(us)*time.Microsecond)
	}
	switch resp.StatusCode {
	case http.StatusNoContent:
		a.Status, a.Reason = sim.NoBid, sim.Declined
	case http.StatusOK:
		var br openrtb.BidResponse
		if !readBidResponse(data, &br) {
			br = openrtb.BidResponse{} // the fast path's leavings
			if err := json.Unmarshal(data, &br); err != nil {
				a.Status = sim.Error
				break
			}
		}
		bid := firstBid(&br, req.Seat)
		if bid == nil {
			a.Status, a.Reason = sim.NoBid, sim.Declined
			if br.NBR != nil && *br.NBR == openrtb.NoBidInsufficientTime {
				a.Reason = sim.MissesDeadline
			}
			break
		}
		a.Status, a.Bid, a.Value = sim.OnTime, sim.PriceOf(bid.Price), valueOf(bid.Ext)
		nurl, lurl = bid.NURL, bid.LURL
	default:
		a.Status = sim.Error
	}
	if a.Time > req.Lead+req.Told && a.Status != sim.Error {
		// Read in the grace: the auction has it as a timeout, the wire
		// statistics as a late answer.
		x.w.lateAnswers.Add(1)
		if a.Status == sim.OnTime {
			x.w.lateBids.Add(1)
		} else {
			lurl = ""
		}
		// Its latency is censored at the deadline, as every timeout's.
		return sim.RemoteAnswer{Status: sim.Late, Time: req.Lead + req.Told}, "", lurl
	}
	return a, nurl, lurl
}

// lateLoss tells bidder that its bid, read after the auction closed,
// lost (OpenRTB loss reason 2, the impression opportunity expired), when
// its loss notices are sent; on the call's own goroutine.
func (x *Exchange) lateLoss(bidder int, lurl string) {
	if lurl == "" || !x.losses[bidder] { // losses is all false with NoticesNone
		return
	}
	if u := strings.ReplaceAll(lurl, "${AUCTION_LOSS}", strconv.Itoa(int(openrtb.LossExpired))); !x.batch.add(u) {
		x.get(u)
	}
}

// notify sends notice URL u: in its server's next batch, or else as a
// GET of its own. Either is waited for at the run's end. On the driver's
// goroutine.
func (x *Exchange) notify(u string) {
	if x.batch.add(u) {
		return
	}
	x.notices.Add(1)
	go func() {
		defer x.notices.Done()
		x.get(u)
	}()
}

// get calls a notice URL, its answer discarded.
func (x *Exchange) get(u string) {
	x.noticeCall(http.MethodGet, u, nil)
}

// noticeCall sends a notice request (a GET, or a batch's POST of
// text/plain body), its answer's body discarded, and returns the answer's
// status code, 0 with none.
func (x *Exchange) noticeCall(method, u string, body io.Reader) int {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return 0
	}
	if body != nil {
		req.Header.Set("Content-Type", "text/plain")
	}
	resp, err := x.client.Do(req)
	if err != nil {
		return 0
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, MaxBody))
	resp.Body.Close()
	return resp.StatusCode
}

// bodyPool holds the buffers bodies are read into, on both ends of the
// wire: the exchange's bid responses (do) and the server's bid requests
// and notice batches. Without it each would allocate one a call, and at
// thousands of calls a second their garbage costs.
var bodyPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// putBody returns buf to the pool unless an odd answer made it large.
func putBody(buf *bytes.Buffer) {
	if buf.Cap() <= 64<<10 {
		bodyPool.Put(buf)
	}
}

// failed is a request that got no answer: a timeout when its deadline
// passed, its latency censored at the deadline (told, from fan-out), else
// an error (a refused connection, a broken answer).
func (x *Exchange) failed(deadline time.Time, at, told sim.Time) sim.RemoteAnswer {
	if !time.Now().Before(deadline) {
		return sim.RemoteAnswer{Status: sim.Late, Time: told}
	}
	return sim.RemoteAnswer{Status: sim.Error, Time: at}
}

// firstBid is the first bid of the response, the seat's if it names one.
func firstBid(br *openrtb.BidResponse, seat string) *openrtb.Bid {
	var first *openrtb.Bid
	for i := range br.SeatBid {
		sb := &br.SeatBid[i]
		for j := range sb.Bid {
			if sb.Seat == seat {
				return &sb.Bid[j]
			}
			if first == nil {
				first = &sb.Bid[j]
			}
		}
	}
	return first
}

// valueOf reads the value an auctionsim bidder states in its bid's
// ext.auctionsim.value; 0 when it states none.
func valueOf(ext json.RawMessage) sim.Price {
	if len(ext) == 0 {
		return 0
	}
	var e struct {
		Auctionsim struct {
			Value float64 `json:"value"`
		} `json:"auctionsim"`
	}
	if v, ok := readValueExt(ext); ok {
		e.Auctionsim.Value = v
	} else if json.Unmarshal(ext, &e) != nil {
		return 0
	}
	if e.Auctionsim.Value < 0 {
		return 0
	}
	return sim.PriceOf(e.Auctionsim.Value)
}

// Collect is sim.Remote's: the answer to auction id's request to bidder
// at the auction's close; a request not answered by then is a timeout.
func (x *Exchange) Collect(id uint64, bidder int) sim.RemoteAnswer {
	x.mu.Lock()
	c := x.calls[callKey{id, bidder}]
	x.mu.Unlock()
	if c == nil {
		return sim.RemoteAnswer{Status: sim.Error}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.decided {
		c.decided = true
		c.answer = sim.RemoteAnswer{Status: sim.Late, Time: c.told}
		x.timeout(bidder)
	}
	return c.answer
}

// closed sends the notices of the auction that just closed: the winner's
// nurl with the clearing price, the losers' lurl with their loss reason.
func (x *Exchange) closed() {
	rec, ok := x.eng.LastAuction()
	if !ok {
		return
	}
	x.mu.Lock()
	delete(x.pend, rec.ID)
	calls := make(map[int]*call, len(rec.Responses))
	for i := range rec.Responses {
		k := callKey{rec.ID, i}
		if c, ok := x.calls[k]; ok {
			calls[i] = c
			delete(x.calls, k)
		}
	}
	x.mu.Unlock()
	if x.sendNotices == NoticesNone {
		return
	}
	for i, c := range calls {
		c.mu.Lock()
		nurl, lurl := c.nurl, c.lurl
		c.mu.Unlock()
		var u string
		switch st := rec.Responses[i].Status; {
		case i == rec.Winner:
			u = strings.ReplaceAll(nurl, "${AUCTION_PRICE}", strconv.FormatFloat(rec.Price.CPM(), 'f', -1, 64))
		case !x.losses[i]:
		case st == sim.OnTime:
			u = strings.ReplaceAll(lurl, "${AUCTION_LOSS}", strconv.Itoa(int(openrtb.LossLostToHigherBid)))
		case st == sim.BelowFloor:
			u = strings.ReplaceAll(lurl, "${AUCTION_LOSS}", strconv.Itoa(int(openrtb.LossBelowAuctionFloor)))
		}
		if u == "" {
			continue
		}
		x.notify(strings.ReplaceAll(u, "${AUCTION_ID}", strconv.FormatUint(rec.ID, 10)))
	}
}
