package wire

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// maxRecent bounds the ring of recent auctions recentFor asks for: the
// dashboard's snapshots copy it ten times a second.
const maxRecent = 2048

// recentFor is how many recent auctions the engine on the wire keeps in
// full detail (sim.Config.Recent): those that close over tmax and the
// late grace, and a quarter more, at the scenario's peak rate, so that an
// auction's record outlives its late grace and the dashboard's inspector,
// timeline and OpenRTB view show what the grace read (a late bid, a late
// no-bid at its time). With the engine's 32 they did not at 100 qps and
// the default grace: 32 auctions close within some 320 ms of its 500.
// At least sim.DefaultRecent, at most maxRecent.
func recentFor(cfg sim.Config, grace time.Duration) int {
	t := cfg.Traffic.Simulated()
	peak := t.QPS
	if len(t.Shape) > 0 {
		peak *= slices.Max(t.Shape)
	}
	span := (cfg.Exchange.Tmax + sim.FromDuration(max(grace, 0))).Seconds()
	n := math.Ceil(peak * span * 1.25)
	if !(n < maxRecent) { // NaN too
		return maxRecent
	}
	return max(int(n), sim.DefaultRecent)
}

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
// timeouts (no answer by the deadline), the calls not yet settled (of the
// auctions still open at the stop) and the bytes of the bodies each way.
// Sent = Answered + HTTPErrors + Timeouts + Unsettled.
type WireStats struct {
	Sent       uint64 `json:"sent"`
	Answered   uint64 `json:"answered"`
	NoBids     uint64 `json:"no_bids"`
	HTTPErrors uint64 `json:"http_errors"`
	Timeouts   uint64 `json:"timeouts"`
	// Unsettled are the calls sent and not yet answered, failed or timed
	// out: at the end of a run, those of the auctions still open at the
	// stop, which the run ends without closing.
	Unsettled uint64 `json:"unsettled"`
	BytesOut  uint64 `json:"bytes_out"`
	BytesIn   uint64 `json:"bytes_in"`
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
	// ErrorsByCause are the HTTPErrors by cause: "connection refused",
	// "malformed JSON", "currency not USD", "HTTP 500" (causes.go), so
	// that a bidder's failure can be told from another's. Nil with none.
	ErrorsByCause map[string]uint64 `json:"errors_by_cause,omitempty"`
	// AddedMS is, for answers from auctionsim bidders (which state their
	// modelled time), the measured time less the modelled one: the
	// wire's own delay, both ends and the network. Nil with none.
	AddedMS *Percentiles `json:"added_ms,omitempty"`
	// ModelOnTime are the answers from auctionsim bidders read (in time
	// or in the late grace) whose modelled time was within tmax: on time
	// in the simulation; MachineLate those of them read after tmax, which
	// the wire alone made late (MachineMadeLate). An answer not read by
	// the end of the grace is in neither: its modelled time is unknown.
	ModelOnTime uint64 `json:"model_on_time"`
	MachineLate uint64 `json:"machine_late"`
	// NoticesSent are the win and loss notices (nurl, lurl) the bidders
	// answered, one a notice URL whether sent alone or in a batch;
	// NoticesUnsent those that got no answer: a refused connection, no
	// answer within 2 s, or still due StopNotices after the run stopped,
	// when they are cut (stop.go).
	NoticesSent   uint64 `json:"notices_sent"`
	NoticesUnsent uint64 `json:"notices_unsent"`
	// LateGrace is how long past its deadline the wire read an answer
	// (Options.LateGrace); 0: none, every timeout unread. For Line only:
	// the run's summary states it where it states its options.
	LateGrace time.Duration `json:"-"`
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

// MachineLatePct is the share, in percent, of the answers the model has
// on time that the wire may make late before the figures measure the
// machine as well as the bidders: a point of late share added by the
// machine alone, past which what the dashboard compares with the theory
// (clearing price, win and late shares) is no longer the model's alone;
// below it a stray stall would make the tag flicker.
const MachineLatePct = 1

// MachineMadeLate reports whether the wire made at least MachineLatePct
// percent of onTime answers (on time in the model) late: the rule behind
// the wire line's LineMachineLate tag and run's note. It is relative to
// the deadline by its nature: the same added delay makes no answer late
// at a tmax far above the answers' times and most of them at a tmax
// within it (sponsored-search at 10 ms: bidders that answer at once, a
// loopback's 2 ms at the median and 25 ms at p99), where the absolute
// bounds of Busy say nothing.
func MachineMadeLate(late, onTime uint64) bool {
	return onTime >= machineLateMin && late*100 >= onTime*MachineLatePct
}

// keepMachineLate says whether the wire line shows the machine-late tag
// now, shown whether it did at the last frame: from MachineMadeLate's
// share on, and then until the share falls under half of it, so that a
// share near the threshold does not make the tag flicker on a projector.
func keepMachineLate(late, onTime uint64, shown bool) bool {
	if !shown {
		return MachineMadeLate(late, onTime)
	}
	return onTime >= machineLateMin && late*200 >= onTime*MachineLatePct
}

// machineLateMin is how many answers on time in the model MachineMadeLate
// takes before it says anything: one late among the first few would read
// as several percent, and the tag would flicker after each change.
const machineLateMin = 100

// MachineLateNote says, in a sentence for the user, when the wire made
// answers late that the model had on time (MachineMadeLate) while the
// machine was not busy by Busy's bounds: the figures beside the theory
// then differ by the machine's delay, not the bidders'. "" otherwise.
func (w WireStats) MachineLateNote(wall time.Duration) string {
	if w.Busy(wall) != "" || !MachineMadeLate(w.MachineLate, w.ModelOnTime) {
		return ""
	}
	return fmt.Sprintf("the wire made %s of the %s answers the model has within tmax late (%s; its added delay %s): late shares and prices beside the theory measure this machine's delay as well as the bidders'; a longer tmax or bidders with more room make it negligible (README, \"Theory meets the wire\")",
		format.Count(w.MachineLate), format.Count(w.ModelOnTime), format.Pct(float64(w.MachineLate)/float64(w.ModelOnTime)), w.addedWords())
}

// addedWords is the wire's added delay at p50/p95, or "unknown".
func (w WireStats) addedWords() string {
	if w.AddedMS == nil {
		return "unknown"
	}
	return fmt.Sprintf("%.1f ms at the median, %.1f ms at p95", w.AddedMS.P50, w.AddedMS.P95)
}

// Unanswered says, in a sentence for the user, when bid requests went out
// on the wire and not one was answered, in time or late (refused
// connections, errors, timeouts): the figures then describe no bidder,
// most often because the bidders' server is not running where --endpoints
// points, and run --endpoints fails. "" otherwise: answers read only after
// their deadline come from bidders that are there, too slow for the tmax
// (Exchange.Silent names them).
func (w WireStats) Unanswered() string {
	if w.Sent == 0 || w.Answered > 0 || w.LateAnswers > 0 {
		return ""
	}
	return fmt.Sprintf("none of the %s bid requests sent on the wire was answered with a bid or a no-bid (%s HTTP errors or refused connections, %s timeouts): %s",
		format.Count(w.Sent), format.Count(w.HTTPErrors), format.Count(w.Timeouts), w.unansweredHint())
}

// unansweredHint is what Unanswered asks the user to check.
func (w WireStats) unansweredHint() string {
	// A 404 comes from a server that is running: the question is then the
	// path, not whether anything listens (a base URL given to --endpoint).
	hint := "is a bidders' server (auctionsim bidders --listen ADDR) running at the endpoints?"
	if n := w.ErrorsByCause[CauseStatus(http.StatusNotFound)]; n > 0 {
		also := ""
		if w.ErrorsByCause[CauseRefused] > 0 || w.Timeouts > 0 {
			also = "; and " + hint
		}
		hint = fmt.Sprintf("%s got HTTP 404: %s%s", format.Count(n), pathHint, also)
	}
	return hint
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
// time; each remote bid request carries a context deadline of the
// auction's (tmax from the ad request), as Prebid Server's do, and tells
// the bidder tmax less the exchange's tmax_adjustments.
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
	lates   []lateRead // calls the close timed out, ended since (lateAnswer)
	wake    chan struct{}
	fanning uint64 // the auction Send is fanning out, on the driver's goroutine
	// jobs run on the driver's goroutine between events (Live).
	jobs chan func()

	// The stop (stop.go): callCtx, the parent of every bid request's
	// context, is cancelled when Run returns (cutCalls); noticeCtx, the
	// notices', StopNotices later.
	callCtx    context.Context
	cutCalls   context.CancelFunc
	noticeCtx  context.Context
	cutNotices context.CancelFunc

	// causes counts the errors by cause (causes.go).
	causes causes
	// stopping: the run reached its stop and waits for the late answers
	// of its closed auctions (settleLate); a call of an auction still
	// open that ends now stays unsettled.
	stopping atomic.Bool

	w struct {
		sent, answered, noBids, httpErrors, timeouts, bytesOut, bytesIn, lateAnswers, lateBids atomic.Uint64
		noticesSent, noticesUnsent                                                             atomic.Uint64
		modelOnTime, machineLate                                                               atomic.Uint64
	}
}

// NewExchange builds the exchange of cfg with opts.Endpoints' bidders
// remote.
func NewExchange(cfg sim.Config, opts ExchangeOptions) (*Exchange, error) {
	if len(opts.Endpoints) == 0 {
		return nil, errors.New("wire: no endpoints")
	}
	if cfg.Traffic.Scale > 1 {
		// One call a simulated request: a wire cannot thin traffic
		// (Flags.Options says so for the commands).
		return nil, fmt.Errorf("wire: traffic.scale %g: a real wire cannot thin traffic", cfg.Traffic.Scale)
	}
	if cfg.Recent == 0 {
		cfg.Recent = recentFor(cfg, opts.LateGrace)
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
	x.callCtx, x.cutCalls = context.WithCancel(context.Background())
	x.noticeCtx, x.cutNotices = context.WithCancel(context.Background())
	if x.client != nil {
		c := *x.client // not the caller's: its transport wrapped
		c.Transport = strayRetry{cmp.Or(c.Transport, http.DefaultTransport)}
		x.client = &c
	} else {
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
			if !scenarios.IsHTTPURL(u) {
				return nil, fmt.Errorf("wire: bidder %s: endpoint %q is not an http:// or https:// URL", b.Name, u)
			}
			x.urls[i] = u
			names = append(names, b.Name)
		}
	}
	for n := range opts.Endpoints {
		if !contains(names, n) {
			return nil, fmt.Errorf("wire: endpoint for %q: %w", n, sim.NoBidder(n, x.names))
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
	return &http.Client{Transport: strayRetry{t}}
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
	// The settled counts before the sent: a call is counted sent before
	// it settles, so that read order keeps Unsettled from going below 0
	// while calls are in flight.
	w := WireStats{AddedMS: added, TimeoutsByBidder: by, ErrorsByCause: x.errorCauses(), Answered: x.w.answered.Load(), NoBids: x.w.noBids.Load(),
		HTTPErrors: x.w.httpErrors.Load(), Timeouts: x.w.timeouts.Load(), BytesOut: x.w.bytesOut.Load(), BytesIn: x.w.bytesIn.Load(),
		LateAnswers: x.w.lateAnswers.Load(), LateBids: x.w.lateBids.Load(),
		NoticesSent: x.w.noticesSent.Load(), NoticesUnsent: x.w.noticesUnsent.Load(), LateGrace: x.grace,
		ModelOnTime: x.w.modelOnTime.Load(), MachineLate: x.w.machineLate.Load()}
	w.Sent = x.w.sent.Load()
	if settled := w.Answered + w.HTTPErrors + w.Timeouts; w.Sent > settled {
		w.Unsettled = w.Sent - settled
	}
	return w
}

// recordAdded records an answer's added delay d, read at elapsed since
// the run's start, and whether the model had it on time (onTime) and the
// wire late (late): then the wire alone made it late.
func (x *Exchange) recordAdded(elapsed, d time.Duration, onTime, late bool) {
	if onTime {
		x.w.modelOnTime.Add(1)
		if late {
			x.w.machineLate.Add(1)
		}
	}
	x.mu.Lock()
	recordMicros(x.added, d)
	x.recent.record(elapsed, d, onTime, late)
	x.mu.Unlock()
}

// restartMachineLate forgets the recent window's answers on time in the
// model and made late (RecentMachineLate), at a change of tmax.
func (x *Exchange) restartMachineLate() {
	x.mu.Lock()
	clear(x.recent.onTime)
	clear(x.recent.late)
	x.mu.Unlock()
}

// RecentMachineLate is, over the same recent window as RecentAdded, the
// answers from auctionsim bidders the model had on time (their modelled
// time within tmax) and how many of them the wire had late.
func (x *Exchange) RecentMachineLate() (late, onTime uint64) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.start.IsZero() {
		return 0, 0
	}
	return x.recent.lateShare(time.Since(x.start))
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
// the engine holding what was done). Call it once. When it returns, for
// whatever reason, it has cut every bid request still open and ended its
// goroutines, and the notices still due were answered or counted unsent
// (see shutdown, stop.go: at most StopWait).
func (x *Exchange) Run(ctx context.Context, stop sim.Stop) error {
	if stop.IsZero() {
		return errors.New("wire: a run on the wire needs a stop")
	}
	defer func() {
		x.shutdown()
		x.tellCut()
	}()
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
			x.settleLate(ctx)
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
			x.settleLate(ctx)
			return nil
		}
		done := x.eng.Auctions()
		x.eng.Step()
		x.sealFanOut()
		if x.eng.Auctions() > done {
			x.closed()
		}
	}
	x.settleLate(ctx)
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
