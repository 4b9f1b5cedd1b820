package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/auctionsim/auctionsim/report/openrtb"
	"github.com/auctionsim/auctionsim/sim"
)

// MaxBody is the largest bid request body the server reads: larger ones
// get 413.
const MaxBody = 1 << 20

// DefaultNoticeWait is how long a bid waits for its win or loss notice
// before the server counts it as spend at risk.
const DefaultNoticeWait = 2 * time.Second

// ModelledHeader carries, on every answer to a bid request, the
// answer's modelled time from arrival in µs.
const ModelledHeader = "X-Auctionsim-Modelled-Us"

// Paths the server answers.
const (
	BidPath    = "/openrtb2/"
	NoticePath = "/notice/"
	// NoticesPath takes notices in batches (Server.notices).
	NoticesPath = "/notices"
	HealthPath  = "/healthz"
	StatsPath   = "/stats"
	// EventPath takes Prebid Server's event calls, as its
	// endpoints/events/event.go reads them: t (win or imp), b (the bid
	// id), bidder; a win event carries no price, so the bid is spent at
	// its own price (exact under first price, an upper bound under
	// second).
	EventPath = "/event"
)

// ServerOptions tune a Server; zero fields take defaults.
type ServerOptions struct {
	Clock      Clock         // default WallClock
	NoticeWait time.Duration // default DefaultNoticeWait
}

// Server serves every bidder of a world as an OpenRTB 2.6 endpoint,
// POST /openrtb2/NAME, each answering after its modelled time with its
// modelled answer (sim.BidderModel), plus GET /healthz, GET /stats and the
// win, billing and loss notices its bids name. It is an http.Handler.
type Server struct {
	clock    Clock
	start    time.Time
	wait     time.Duration
	scenario string
	order    []*endpoint
	byName   map[string]*endpoint
	unknown  atomic.Uint64 // requests to bidders the world lacks
	mux      *http.ServeMux
	// halt is closed when the server stops: hanging requests, which
	// would never be answered, are cut at once rather than at the drain's
	// end.
	halt     chan struct{}
	haltOnce sync.Once
}

// endpoint is one bidder on the wire.
type endpoint struct {
	name string
	mu   sync.Mutex
	m    *sim.BidderModel
	seq  uint64
	// pending are bids waiting for their notice, by bid id; queue is
	// their order of expiry.
	pending map[string]*pendingBid
	queue   []*pendingBid
	marked  int // queue[:marked] are overdue: at risk
	c       counters
	actual  *hdrhistogram.Histogram // µs from arrival to the answer
	added   *hdrhistogram.Histogram // µs the answer came after its modelled time
}

type pendingBid struct {
	id      string
	bid     sim.Price
	value   sim.Price
	expires time.Time
	atRisk  bool // no notice in time: counted as spend at risk
	done    bool
}

type counters struct {
	Requests    uint64 `json:"requests"`
	Bids        uint64 `json:"bids"`
	NoBids      uint64 `json:"no_bids"`
	Skipped     uint64 `json:"skipped_deadline"` // no-bids with nbr 15: it respects tmax
	Errors      uint64 `json:"errors"`           // answered 500: the modelled error share
	Hangs       uint64 `json:"hangs"`            // never answered: the modelled hangs share
	Refused     uint64 `json:"refused"`          // answered 503: its queue was full
	BadRequests uint64 `json:"bad_requests"`     // 4xx: the request itself was wrong
	Abandoned   uint64 `json:"abandoned"`        // the client gave up before the answer
	Wins        uint64 `json:"wins"`
	Losses      uint64 `json:"losses"`
	Notices     uint64 `json:"notices"` // win, billing and loss notices received
}

// NewServer builds the server of every bidder of cfg, its clock started.
func NewServer(cfg sim.Config, opts ServerOptions) (*Server, error) {
	if opts.Clock == nil {
		opts.Clock = WallClock{}
	}
	if opts.NoticeWait <= 0 {
		opts.NoticeWait = DefaultNoticeWait
	}
	s := &Server{clock: opts.Clock, wait: opts.NoticeWait, scenario: cfg.Name, byName: map[string]*endpoint{}, halt: make(chan struct{})}
	for _, b := range cfg.Bidders {
		m, err := sim.NewBidderModel(cfg, b.Name)
		if err != nil {
			return nil, fmt.Errorf("bidder %s: %w", b.Name, err)
		}
		ep := &endpoint{name: b.Name, m: m, pending: map[string]*pendingBid{},
			actual: newHist(), added: newHist()}
		s.order = append(s.order, ep)
		s.byName[b.Name] = ep
	}
	s.start = s.clock.Now()
	s.mux = http.NewServeMux()
	s.mux.HandleFunc(BidPath, s.bid)
	s.mux.HandleFunc(NoticePath, s.notice)
	s.mux.HandleFunc(NoticesPath, s.notices)
	s.mux.HandleFunc(EventPath, s.event)
	s.mux.HandleFunc(HealthPath, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"ok": true, "scenario": s.scenario, "bidders": len(s.order)})
	})
	s.mux.HandleFunc(StatsPath, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, s.Stats())
	})
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		httpError(w, http.StatusNotFound, "no such path %q: bid requests go to POST %sNAME; also GET %s, GET %s", r.URL.Path, BidPath, HealthPath, StatsPath)
	})
	return s, nil
}

// histograms of µs from 1µs to an hour, 3 significant digits.
func newHist() *hdrhistogram.Histogram { return hdrhistogram.New(1, 3_600_000_000, 3) }

// ServeHTTP serves the endpoints.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// Names are the bidders' names in the world's order.
func (s *Server) Names() []string {
	out := make([]string, len(s.order))
	for i, ep := range s.order {
		out[i] = ep.name
	}
	return out
}

// Halt cuts the requests the server holds unanswered (its bidders'
// hangs), now and from now on: it is stopping. Other requests are still
// answered.
func (s *Server) Halt() { s.haltOnce.Do(func() { close(s.halt) }) }

// since is the server's clock in sim time: ns since it started.
func (s *Server) since(t time.Time) sim.Time { return sim.FromDuration(t.Sub(s.start)) }

// bid answers one bid request.
func (s *Server) bid(w http.ResponseWriter, r *http.Request) {
	arrival := s.clock.Now()
	name := strings.TrimPrefix(r.URL.Path, BidPath)
	ep := s.byName[name]
	if ep == nil {
		s.unknown.Add(1)
		httpError(w, http.StatusNotFound, "no bidder named %q in scenario %s (bidders: %s)", name, s.scenario, strings.Join(s.Names(), ", "))
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		ep.count(func(c *counters) { c.BadRequests++ })
		httpError(w, http.StatusMethodNotAllowed, "%s %s: bid requests are POSTed", r.Method, r.URL.Path)
		return
	}
	req, code, err := readRequest(w, r)
	if err != nil {
		ep.count(func(c *counters) { c.BadRequests++ })
		httpError(w, code, "%v", err)
		return
	}
	// A tmax too long for a duration is no deadline (Answer's 0); in
	// nanoseconds it would wrap round.
	var told sim.Time
	if req.TMax <= int64(sim.EndOfTime/sim.Millisecond) {
		told = sim.Time(req.TMax) * sim.Millisecond
	}
	ep.mu.Lock()
	ep.c.Requests++
	ans := ep.m.Answer(s.since(arrival), told)
	var pb *pendingBid
	if ans.Status == sim.OnTime {
		ep.seq++
		pb = &pendingBid{id: name + "-" + strconv.FormatUint(ep.seq, 10), bid: ans.Bid, value: ans.Value}
		ep.pending[pb.id] = pb
	}
	ep.expire(s, arrival)
	ep.mu.Unlock()

	if ans.Status == sim.Hang {
		// No answer at all: the request is held until the client gives
		// up (or the server shuts down and cuts it).
		select {
		case <-r.Context().Done():
		case <-s.halt:
			// Stopping: cut the connection, as the drain's end would,
			// rather than answer 200 with nothing.
			ep.count(func(c *counters) { c.Hangs++ })
			panic(http.ErrAbortHandler)
		}
		ep.count(func(c *counters) { c.Hangs++ })
		return
	}
	modelled := ans.Delay.Duration()
	due := arrival.Add(modelled)
	if err := s.clock.Sleep(r.Context(), due.Sub(s.clock.Now())); err != nil {
		// The client gave up (its deadline passed): nothing to answer,
		// and a bid it never read cannot win.
		ep.mu.Lock()
		ep.c.Abandoned++
		if pb != nil {
			ep.settle(s, pb, false, 0) // the bid never left: no loss to count
		}
		ep.mu.Unlock()
		return
	}
	actual := s.clock.Now().Sub(arrival)
	ep.mu.Lock()
	recordMicros(ep.actual, actual)
	recordMicros(ep.added, actual-modelled)
	switch ans.Status {
	case sim.Error:
		ep.c.Errors++
	case sim.Refused:
		ep.c.Refused++
	case sim.NoBid:
		ep.c.NoBids++
		if ans.Reason == sim.MissesDeadline {
			ep.c.Skipped++
		}
	default:
		ep.c.Bids++
		pb.expires = s.clock.Now().Add(s.wait)
		ep.queue = append(ep.queue, pb)
	}
	ep.mu.Unlock()

	// The modelled time, so that a client can tell the wire's own delay
	// (what it measured less this) from the model's.
	w.Header().Set(ModelledHeader, strconv.FormatInt(modelled.Microseconds(), 10))
	switch ans.Status {
	case sim.Error:
		httpError(w, http.StatusInternalServerError, "bidder %s: a modelled error (errors share)", name)
	case sim.Refused:
		w.Header().Set("Retry-After", "1")
		httpError(w, http.StatusServiceUnavailable, "bidder %s: its queue is full (capacity.queue)", name)
	case sim.NoBid:
		if ans.Reason == sim.MissesDeadline {
			// A no-bid with a reason needs a body, which 204 cannot carry.
			nbr := openrtb.NoBidInsufficientTime
			writeJSON(w, http.StatusOK, openrtb.BidResponse{ID: req.ID, NBR: &nbr})
			return
		}
		w.WriteHeader(http.StatusNoContent)
	default:
		resp := s.response(r, req, name, pb)
		writeBidResponse(w, &resp)
	}
}

// writeBidResponse answers 200 with r, written by hand (fastrtb.go), or
// by encoding/json when the fast path does not take it.
func writeBidResponse(w http.ResponseWriter, r *openrtb.BidResponse) {
	bp := slicePool.Get().(*[]byte)
	defer slicePool.Put(bp)
	b, ok := appendBidResponse((*bp)[:0], r)
	if cap(b) <= 64<<10 {
		*bp = b[:0] // grown: kept for the next
	}
	if !ok {
		writeJSON(w, http.StatusOK, r)
		return
	}
	h := w.Header()
	h["Content-Type"] = []string{"application/json"}
	h["Content-Length"] = []string{strconv.Itoa(len(b))}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}

// slicePool holds the buffers bodies are written into by hand.
var slicePool = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

// response is the BidResponse carrying bid pb, with notice URLs on this
// server.
func (s *Server) response(r *http.Request, req *openrtb.BidRequest, name string, pb *pendingBid) openrtb.BidResponse {
	base := "http://" + r.Host + NoticePath + url.PathEscape(name) + "/"
	q := "?bid=" + url.QueryEscape(pb.id)
	ext := json.RawMessage(`{"auctionsim":{"value":` + strconv.FormatFloat(pb.value.CPM(), 'f', -1, 64) + `}}`)
	w, h := bannerSize(req.Imp[0].Banner)
	return openrtb.BidResponse{
		ID:  req.ID,
		Cur: "USD",
		SeatBid: []openrtb.SeatBid{{Seat: name, Bid: []openrtb.Bid{{
			ID: pb.id, ImpID: req.Imp[0].ID, Price: pb.bid.CPM(),
			NURL: base + "win" + q + "&price=${AUCTION_PRICE}",
			BURL: base + "bill" + q + "&price=${AUCTION_PRICE}",
			LURL: base + "loss" + q + "&reason=${AUCTION_LOSS}",
			AdM:  "<!-- auctionsim " + name + " -->", CrID: name, ADomain: []string{name + ".example"},
			W: w, H: h,
			MType: openrtb.MarkupBanner,
			Ext:   ext,
		}}}},
	}
}

// bannerSize is the size of the creative a bid offers for an impression
// with banner b: its w and h, else its first format, else the size the
// exchange's own requests (and --openrtb) use.
func bannerSize(b *openrtb.Banner) (w, h int64) {
	switch {
	case b != nil && b.W != nil && b.H != nil && *b.W > 0 && *b.H > 0:
		return *b.W, *b.H
	case b != nil && len(b.Format) > 0 && b.Format[0].W > 0 && b.Format[0].H > 0:
		return b.Format[0].W, b.Format[0].H
	}
	return openrtb.BannerW, openrtb.BannerH
}

// readBody reads r's body whole into buf, refusing one past MaxBody (413)
// or cut short (400): the status to answer with when it fails.
func readBody(w http.ResponseWriter, r *http.Request, buf *bytes.Buffer) (int, error) {
	buf.Reset()
	if _, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, MaxBody)); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return http.StatusRequestEntityTooLarge, fmt.Errorf("body: more than %d bytes", MaxBody)
		}
		return http.StatusBadRequest, fmt.Errorf("body: %v", err)
	}
	return 0, nil
}

// readRequest reads and checks a bid request: 413 past MaxBody, 400 for
// what is not an OpenRTB bid request with an id and an impression.
func readRequest(w http.ResponseWriter, r *http.Request) (*openrtb.BidRequest, int, error) {
	if r.ContentLength > MaxBody {
		return nil, http.StatusRequestEntityTooLarge, fmt.Errorf("body: %d bytes, more than %d", r.ContentLength, MaxBody)
	}
	// Read whole into a pooled buffer, so that the decoder's own buffer
	// does not grow anew for every request.
	buf := bodyPool.Get().(*bytes.Buffer)
	defer putBody(buf)
	if code, err := readBody(w, r, buf); err != nil {
		return nil, code, err
	}
	var req openrtb.BidRequest
	if readBidRequest(buf.Bytes(), &req) {
		return checkRequest(&req)
	}
	req = openrtb.BidRequest{} // the fast path's leavings
	// The body is read and bounded already: the decoder meets no
	// MaxBytesError.
	dec := json.NewDecoder(bytes.NewReader(buf.Bytes()))
	if err := dec.Decode(&req); err != nil {
		return nil, http.StatusBadRequest, fmt.Errorf("body: malformed JSON: %v", err)
	}
	// One request a body: what follows it would be silently dropped.
	if _, err := dec.Token(); err != io.EOF {
		return nil, http.StatusBadRequest, fmt.Errorf("body: data after the bid request (at byte %d)", dec.InputOffset())
	}
	return checkRequest(&req)
}

// checkRequest checks what a bid request needs: 400 without an id or an
// impression.
func checkRequest(req *openrtb.BidRequest) (*openrtb.BidRequest, int, error) {
	switch {
	case req.ID == "":
		return nil, http.StatusBadRequest, errors.New("id: missing (OpenRTB 2.6 §3.2.1 requires the request's id)")
	case len(req.Imp) == 0:
		return nil, http.StatusBadRequest, errors.New("imp: missing or empty (a bid request needs at least one impression)")
	case req.Imp[0].ID == "":
		return nil, http.StatusBadRequest, errors.New("imp[0].id: missing")
	case req.TMax < 0:
		return nil, http.StatusBadRequest, fmt.Errorf("tmax: %d is negative", req.TMax)
	}
	return req, 0, nil
}

// notice takes a win (nurl), billing (burl) or loss (lurl) notice:
// GET /notice/NAME/{win,bill,loss}?bid=ID&price=P&reason=R. A win or a
// bill makes the bid's price spend, once; a loss releases the bid.
func (s *Server) notice(w http.ResponseWriter, r *http.Request) {
	if code, err := s.takeNotice(r.URL.Path, r.URL.Query()); err != nil {
		httpError(w, code, "%v", err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// takeNotice takes the notice at path with query q, or says why not with
// the HTTP status to answer.
func (s *Server) takeNotice(path string, q url.Values) (int, error) {
	rest := strings.TrimPrefix(path, NoticePath)
	// The kind after the last "/": a name may hold one ("x/y", escaped in
	// the notice URL, decoded in the path).
	i := strings.LastIndex(rest, "/")
	ok := i >= 0
	name, kind := rest, ""
	if ok {
		name, kind = rest[:i], rest[i+1:]
	}
	ep := s.byName[name]
	if !ok || ep == nil {
		return http.StatusNotFound, fmt.Errorf("no bidder named %q for a notice (path %s)", name, path)
	}
	var price sim.Price
	switch kind {
	case "win", "bill":
		p, err := strconv.ParseFloat(q.Get("price"), 64)
		if err != nil || p < 0 || p > 1e9 {
			return http.StatusBadRequest, fmt.Errorf("price: %q is not a CPM (was ${AUCTION_PRICE} substituted?)", q.Get("price"))
		}
		price = sim.PriceOf(p)
	case "loss":
	default:
		return http.StatusNotFound, fmt.Errorf("no notice kind %q (win, bill or loss)", kind)
	}
	ep.mu.Lock()
	defer ep.mu.Unlock()
	pb := ep.pending[q.Get("bid")]
	if pb == nil {
		return http.StatusNotFound, fmt.Errorf("bidder %s: no bid %q waiting for a notice", name, q.Get("bid"))
	}
	ep.c.Notices++
	if kind == "loss" {
		ep.c.Losses++
	} else {
		ep.c.Wins++
	}
	ep.settle(s, pb, kind != "loss", price)
	return http.StatusNoContent, nil
}

// BatchResult is what POST /notices answers: how many of the notices it
// took, and why each other one was not.
type BatchResult struct {
	Taken  int      `json:"taken"`
	Errors []string `json:"errors,omitempty"`
}

// notices takes a batch of notices in one request: POST /notices with
// the notice URLs of this server's bids (nurl, burl, lurl, macros
// substituted) one a line, each taken as its GET would be. The exchange
// on the wire sends its notices to auctionsim bidders so, some tens a
// request: one HTTP call a notice costs as much CPU as a bid request.
func (s *Server) notices(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		httpError(w, http.StatusMethodNotAllowed, "%s %s: notice batches are POSTed, one notice URL a line", r.Method, r.URL.Path)
		return
	}
	buf := bodyPool.Get().(*bytes.Buffer)
	defer putBody(buf)
	if code, err := readBody(w, r, buf); err != nil {
		httpError(w, code, "%s", err)
		return
	}
	var res BatchResult
	for line := range strings.SplitSeq(buf.String(), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		u, err := url.Parse(line)
		if err != nil || !strings.HasPrefix(u.Path, NoticePath) {
			res.Errors = append(res.Errors, fmt.Sprintf("%q: not a notice URL of this server (%s...)", line, NoticePath))
			continue
		}
		if _, err := s.takeNotice(u.Path, u.Query()); err != nil {
			res.Errors = append(res.Errors, err.Error())
			continue
		}
		res.Taken++
	}
	writeJSON(w, http.StatusOK, res)
}

// event takes a Prebid Server event call: GET /event?t=win&b=BID&bidder=NAME.
// A win settles the bid at its own price, once; an imp event is taken and
// changes nothing.
func (s *Server) event(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	id, name := q.Get("b"), q.Get("bidder")
	if name == "" { // the server's bid ids are NAME-N
		if i := strings.LastIndex(id, "-"); i > 0 {
			name = id[:i]
		}
	}
	ep := s.byName[name]
	switch {
	case q.Get("t") != "win" && q.Get("t") != "imp":
		httpError(w, http.StatusBadRequest, "t: %q is not an event type (win or imp)", q.Get("t"))
		return
	case ep == nil:
		httpError(w, http.StatusNotFound, "no bidder named %q for the event of bid %q", name, id)
		return
	case q.Get("t") == "imp":
		w.WriteHeader(http.StatusNoContent)
		return
	}
	ep.mu.Lock()
	defer ep.mu.Unlock()
	pb := ep.pending[id]
	if pb == nil {
		httpError(w, http.StatusNotFound, "bidder %s: no bid %q waiting for a notice", name, id)
		return
	}
	ep.c.Notices++
	ep.c.Wins++
	ep.settle(s, pb, true, pb.bid)
	w.WriteHeader(http.StatusNoContent)
}

// settle ends bid pb: won at price, or not. Called with ep.mu held.
func (ep *endpoint) settle(s *Server, pb *pendingBid, won bool, price sim.Price) {
	if pb.done {
		return
	}
	pb.done = true
	delete(ep.pending, pb.id)
	now := s.since(s.clock.Now())
	if won {
		ep.m.Won(now, pb.bid, price, pb.value)
	} else {
		ep.m.Lost(now, pb.bid)
	}
}

// expire marks the bids whose notice is overdue at now as spend at risk:
// they stay reserved against the budget, as if won at their bid, so that
// a bidder nobody tells of its wins never spends past its budget. Their
// entries are dropped after ten more waits: a notice later than that
// finds nothing. Called with ep.mu held.
func (ep *endpoint) expire(s *Server, now time.Time) {
	q := ep.queue
	n := 0
	for n < len(q) && (q[n].done || now.Sub(q[n].expires) > 10*s.wait) {
		if !q[n].done {
			q[n].done = true
			delete(ep.pending, q[n].id)
		}
		n++
	}
	ep.queue = q[n:]
	ep.marked = max(ep.marked-n, 0)
	for ep.marked < len(ep.queue) && !now.Before(ep.queue[ep.marked].expires) {
		ep.queue[ep.marked].atRisk = true
		ep.marked++
	}
}

func (ep *endpoint) count(f func(*counters)) {
	ep.mu.Lock()
	f(&ep.c)
	ep.mu.Unlock()
}

func recordMicros(h *hdrhistogram.Histogram, d time.Duration) {
	us := d.Microseconds()
	_ = h.RecordValue(min(max(us, 1), h.HighestTrackableValue()))
}

// Stats is what GET /stats answers.
type Stats struct {
	Scenario      string  `json:"scenario"`
	UptimeSeconds float64 `json:"uptime_seconds"`
	Unknown       uint64  `json:"unknown_bidder_requests"`
	// AddedMS is every bidder's added delay together (AddedDelay).
	AddedMS Percentiles   `json:"added_ms"`
	Bidders []BidderStats `json:"bidders"`
}

// BidderStats is one bidder's side of /stats.
type BidderStats struct {
	Name string `json:"name"`
	counters
	// LatencyMS is from the request's arrival to the answer, as served.
	LatencyMS Percentiles `json:"latency_ms"`
	// AddedMS is how much later than its modelled time each answer
	// left: the server's own overhead.
	AddedMS Percentiles `json:"added_ms"`
	Spend   float64     `json:"spend"` // won, by notices
	// AtRisk is bids whose notice never came: held against the budget
	// as if won at their bid.
	AtRisk     float64  `json:"at_risk"`
	Reserved   float64  `json:"reserved"` // bids in flight or at risk
	Budget     *float64 `json:"budget"`   // null: unlimited
	BudgetLeft *float64 `json:"budget_left"`
	Pacing     string   `json:"pacing"`
}

// Percentiles summarise a latency histogram, in ms. With N 0 the
// figures are 0 in Go and null in JSON (MarshalJSON).
type Percentiles struct {
	N    int64   `json:"n"`
	P50  float64 `json:"p50"`
	P95  float64 `json:"p95"`
	P99  float64 `json:"p99"`
	Max  float64 `json:"max"`
	Mean float64 `json:"mean"`
}

// percentilesJSON is Percentiles as JSON; pointers so that the figures
// of no observation are null.
type percentilesJSON struct {
	N    int64    `json:"n"`
	P50  *float64 `json:"p50"`
	P95  *float64 `json:"p95"`
	P99  *float64 `json:"p99"`
	Max  *float64 `json:"max"`
	Mean *float64 `json:"mean"`
}

// MarshalJSON writes {"n","p50","p95","p99","max","mean"}, the figures
// null when N is 0: a latency over no answer is unknown, not 0 ms, which
// read as a wire that adds nothing (the convention of report's statistic
// of no replication, {"mean": null, ..., "n": 0}).
func (p Percentiles) MarshalJSON() ([]byte, error) {
	j := percentilesJSON{N: p.N}
	if p.N > 0 {
		j.P50, j.P95, j.P99, j.Max, j.Mean = &p.P50, &p.P95, &p.P99, &p.Max, &p.Mean
	}
	return json.Marshal(j)
}

func percentiles(h *hdrhistogram.Histogram) Percentiles {
	ms := func(us int64) float64 { return float64(us) / 1000 }
	if h.TotalCount() == 0 {
		return Percentiles{}
	}
	return Percentiles{N: h.TotalCount(), P50: ms(h.ValueAtQuantile(50)), P95: ms(h.ValueAtQuantile(95)),
		P99: ms(h.ValueAtQuantile(99)), Max: ms(h.Max()), Mean: h.Mean() / 1000}
}

// Stats is every bidder's counters, latencies and money now.
func (s *Server) Stats() Stats {
	now := s.clock.Now()
	out := Stats{Scenario: s.scenario, UptimeSeconds: now.Sub(s.start).Seconds(), Unknown: s.unknown.Load(),
		Bidders: make([]BidderStats, 0, len(s.order))}
	for _, ep := range s.order {
		ep.mu.Lock()
		ep.expire(s, now)
		ep.m.Advance(s.since(now))
		mb := ep.m.Money()
		var risk sim.Money
		for _, pb := range ep.pending {
			if pb.atRisk {
				risk += pb.bid.Cost()
			}
		}
		b := BidderStats{Name: ep.name, counters: ep.c, LatencyMS: percentiles(ep.actual), AddedMS: percentiles(ep.added),
			Spend: mb.Spend.Float(), AtRisk: risk.Float(), Reserved: mb.Reserved.Float(), Pacing: mb.Pacing.String()}
		ep.mu.Unlock()
		if mb.Limited {
			budget, left := mb.Budget.Float(), max(mb.Budget-mb.Spend-mb.Reserved, 0).Float()
			b.Budget, b.BudgetLeft = &budget, &left
		}
		out.Bidders = append(out.Bidders, b)
	}
	out.AddedMS = s.AddedDelay()
	return out
}

// errorBody is every error's JSON.
type errorBody struct {
	Error string `json:"error"`
}

func httpError(w http.ResponseWriter, code int, format string, args ...any) {
	writeJSON(w, code, errorBody{Error: fmt.Sprintf(format, args...)})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	buf := bodyPool.Get().(*bytes.Buffer)
	defer putBody(buf)
	buf.Reset()
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false) // URLs and markup as they are: & and <, not \u0026
	if err := enc.Encode(v); err != nil {
		code = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(`{"error":"encoding the answer failed"}` + "\n")
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(code)
	_, _ = w.Write(buf.Bytes())
}
