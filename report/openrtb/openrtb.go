// Package openrtb shows a simulated auction as Prebid Server would put it
// on the wire in OpenRTB 2.6: the request the page sends Prebid Server,
// each bidder's own request (the tmax it is told, its own imp.ext.bidder),
// its answer (a bid, an HTTP 204 no-bid, a no-bid with `nbr` 15, an error,
// nothing before the deadline), the exchange's BidResponse with
// ext.responsetimemillis, ext.errors and ext.prebid.seatnonbid, and the
// notice each bidder would get afterwards: a win, a loss with its OpenRTB
// loss reason, or the seat non-bid status Prebid Server records.
//
// The objects are types.go's (prebid/openrtb's openrtb2 field names and
// tags); the auction around them is the simulation's. Prices, bids and
// floors are CPM, as in OpenRTB; times are milliseconds after the ad
// request, rounded to the microsecond; the currency is USD (the
// simulation has one currency and no exchange rates). The site, device
// and creatives are placeholders under the reserved .example domain: the
// simulation has no pages, users or ads, only their auctions.
package openrtb

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/auctionsim/auctionsim/sim"
)

// Currency is the ISO-4217 code the simulation's amounts are written in.
const Currency = "USD"

// ImpID is the id of the one impression each simulated request offers.
const ImpID = "1"

// The one placement every simulated request offers: a 300×250 banner.
const (
	BannerW = 300
	BannerH = 250
)

// The placeholder page and device every request carries.
const (
	SitePage        = "https://news.example/article"
	SiteDomain      = "news.example"
	PublisherID     = "pub-1"
	PublisherName   = "News Example"
	PublisherDomain = "news.example"
	DeviceUA        = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"
	DeviceIP        = "192.0.2.1" // TEST-NET-1, RFC 5737
)

// HTTP statuses a bidder's answer comes with.
const (
	HTTPOK          = 200 // a bid, or a no-bid with a reason (nbr)
	HTTPNoContent   = 204 // a no-bid: OpenRTB's most compact one (§4.3)
	HTTPServerError = 500 // an answered error
)

// Auction is one auction as it travels over the wire.
type Auction struct {
	// Request is the request to Prebid Server: the deadline the page
	// waits (tmax), every bidder to call in imp.ext.prebid.bidder.
	Request BidRequest `json:"request"`
	// Responses are the called bidders', in configuration order (a bidder
	// switched off is not called and not listed).
	Responses []Response `json:"responses"`
	// Outcome is how the exchange cleared the auction.
	Outcome Outcome `json:"outcome"`
	// Response is the exchange's answer to the page: the bids it read in
	// time, and in ext each bidder's response time, its errors and, in
	// ext.prebid.seatnonbid, why it has no bid in the auction.
	Response BidResponse `json:"response"`
}

// Response is one bidder's leg of the auction: its request, its answer,
// when the answer arrived, whether the exchange read it, and the notice.
type Response struct {
	Seat string `json:"seat"`
	// Status is the simulation's word: on time, late, below floor, no
	// bid, error, hang, refused, skipped (the told deadline was below
	// bidder_response_min: not called).
	Status string `json:"status"`
	// Reason says why a no-bid declined: declined, no budget, throttled,
	// held out, insufficient time.
	Reason string `json:"reason,omitempty"`
	// BidRequest is the request Prebid Server sends this bidder: tmax is
	// the deadline it is told, imp.ext.bidder its own parameters. A
	// skipped bidder's was built and never sent.
	Request *BidRequest `json:"request"`
	// HTTPStatus is the answer's HTTP status as the exchange read it: 200
	// with a body, 204 for a no-bid, 500 for an error; null when no answer
	// was read (a timeout, an unreachable bidder, a skipped one).
	HTTPStatus *int `json:"http_status"`
	// ArrivalMS is when the answer arrived, ms after the ad request (the
	// fan-out, or later by the exchange's request processing); null when
	// none arrived.
	ArrivalMS *float64 `json:"arrival_ms"`
	// MarginMS is tmax − arrival: how long before the deadline the answer
	// came, negative when it came too late; null when none arrived.
	MarginMS *float64 `json:"margin_ms"`
	// Read says whether the exchange read the answer: false for one that
	// arrived after the deadline, when Prebid Server had given up the
	// call, and for none.
	Read bool `json:"read"`
	// Response is the BidResponse the exchange read; null when it read no
	// body (a 204, an error, a timeout).
	Response *BidResponse `json:"response"`
	// Unread is an answer that arrived after the deadline: what the bidder
	// sent, which Prebid Server never reads (its price counts for
	// nothing; outcome.lost_to_timeouts says what it would have made).
	Unread *BidResponse `json:"unread_response,omitempty"`
	Notice Notice       `json:"notice"`
}

// Notice is what the exchange tells the bidder after the auction.
type Notice struct {
	// Kind is "win", "loss" (an OpenRTB loss notice with LossReason) or
	// "nonbid" (no bid took part: a no-bid, a timeout, an error).
	Kind       string        `json:"kind"`
	LossReason *LossReason   `json:"loss_reason,omitempty"` // 0 won, 100 below floor, 102 lost to a higher bid
	NonBid     *NonBidReason `json:"nonbid,omitempty"`      // seat non-bid status: 0 no bid, 100 error or skipped, 101 timeout, 103 unreachable, 301 below floor
	Price      *float64      `json:"price,omitempty"`       // the clearing price (${AUCTION_PRICE}), CPM, for the winner
}

// Outcome is how the auction cleared.
type Outcome struct {
	Winner *string `json:"winner"` // seat; null when unfilled
	Price  float64 `json:"price"`  // CPM; 0 when unfilled
	// PriceReason says what set the price ("second bid + increment", ...;
	// "second bid" or "floor" with no increment).
	PriceReason string `json:"price_reason"`
	// LostToTimeoutsCPM is what the price would have been had every late
	// bid arrived in time, less Price.
	LostToTimeoutsCPM float64 `json:"lost_to_timeouts"`
	// SeatNonBid lists each seat whose notice is "nonbid" (no-bids with
	// status 0 included). Prebid Server's own list, which leaves no-bids
	// out and adds rejected bids (301), is response.ext.prebid.seatnonbid.
	SeatNonBid []SeatNonBid `json:"seatnonbid"`
}

// Seats are the bidders' names in configuration order, as a snapshot has
// them: the seats FromRecord needs.
func Seats(s *sim.Snapshot) []string {
	out := make([]string, len(s.Bidders))
	for i, b := range s.Bidders {
		out[i] = b.Name
	}
	return out
}

// FromRecord builds the wire view of one closed auction; seats names the
// bidders in configuration order (Seats).
func FromRecord(rec sim.AuctionRecord, seats []string) (Auction, error) {
	if len(seats) != len(rec.Responses) {
		return Auction{}, fmt.Errorf("openrtb: auction %d has %d responses for %d seats", rec.ID, len(rec.Responses), len(seats))
	}
	if rec.Winner >= len(seats) || rec.Winner >= 0 && rec.Responses[rec.Winner].Status != sim.OnTime {
		return Auction{}, fmt.Errorf("openrtb: auction %d: winner %d is not an on-time bid of %d seats", rec.ID, rec.Winner, len(seats))
	}
	id := strconv.FormatUint(rec.ID, 10)
	// Bidders are told the deadline less the exchange's tmax adjustments.
	told := rec.Tmax
	if rec.BidderTmax > 0 {
		told = rec.BidderTmax
	}
	b := builder{rec: rec, seats: seats, id: id}
	called := map[string]json.RawMessage{}
	for i, r := range rec.Responses {
		if r.Status != sim.NotSent || r.Skipped {
			called[seats[i]] = json.RawMessage(`{}`)
		}
	}
	impExt, err := marshal(ExtImp{Prebid: &ExtImpPrebid{Bidder: called}})
	if err != nil {
		return Auction{}, b.wrap(err)
	}
	reqExt, err := marshal(ExtRequest{Prebid: ExtRequestPrebid{ReturnAllBidStatus: true}})
	if err != nil {
		return Auction{}, b.wrap(err)
	}
	a := Auction{
		Request: b.request(tmaxMS(rec.Tmax), impExt),
		Outcome: Outcome{
			PriceReason:       rec.Reason.Text(rec.Increment),
			LostToTimeoutsCPM: rec.LostToTimeouts.CPM(),
			SeatNonBid:        []SeatNonBid{},
		},
		Responses: []Response{},
	}
	a.Request.Ext = reqExt
	if rec.Winner >= 0 {
		a.Outcome.Winner = &seats[rec.Winner]
		a.Outcome.Price = rec.Price.CPM()
	}
	// The bidder's own imp.ext: its parameters under "bidder"; the other
	// bidders are gone (Prebid Server's splitImps).
	bidderImpExt, err := marshal(ExtImp{Bidder: json.RawMessage(`{}`)})
	if err != nil {
		return Auction{}, b.wrap(err)
	}
	ext := ExtBidResponse{
		ResponseTimeMillis:   map[string]int{},
		RequestTimeoutMillis: tmaxMS(rec.Tmax),
		Prebid:               &ExtResponsePrebid{},
	}
	for i, r := range rec.Responses {
		if r.Status == sim.NotSent && !r.Skipped {
			continue
		}
		seat := seats[i]
		leg, err := b.leg(i, r)
		if err != nil {
			return Auction{}, err
		}
		req := b.request(tmaxMS(told), bidderImpExt)
		out := Response{Seat: seat, Status: leg.status, Reason: leg.reason, Request: &req, Read: leg.read, Notice: leg.notice}
		if leg.http != 0 {
			out.HTTPStatus = ptr(leg.http)
		}
		if leg.arrived {
			out.ArrivalMS, out.MarginMS = ptr(millis(r.Time)), ptr(millis(rec.Tmax-r.Time))
		}
		if leg.read {
			out.Response = leg.body
		} else {
			out.Unread = leg.body
		}
		if leg.notice.Kind == "nonbid" {
			a.Outcome.SeatNonBid = append(a.Outcome.SeatNonBid, SeatNonBid{
				Seat: seat, NonBid: []NonBid{{ImpID: ImpID, StatusCode: *leg.notice.NonBid}},
			})
		}
		a.Responses = append(a.Responses, out)

		ext.ResponseTimeMillis[seat] = leg.elapsedMS
		if leg.err != nil {
			if ext.Errors == nil {
				ext.Errors = map[string][]ExtBidderMessage{}
			}
			ext.Errors[seat] = append(ext.Errors[seat], *leg.err)
		}
		if leg.warning != nil {
			if ext.Warnings == nil {
				ext.Warnings = map[string][]ExtBidderMessage{}
			}
			ext.Warnings[BidderReservedGeneral] = append(ext.Warnings[BidderReservedGeneral], *leg.warning)
		}
		if leg.nonbid != nil {
			ext.Prebid.SeatNonBid = append(ext.Prebid.SeatNonBid, SeatNonBid{Seat: seat, NonBid: []NonBid{*leg.nonbid}})
		}
		if r.Status == sim.OnTime {
			bid, err := b.bid(seat, r.Bid.CPM(), true)
			if err != nil {
				return Auction{}, err
			}
			a.Response.SeatBid = append(a.Response.SeatBid, SeatBid{Seat: seat, Bid: []Bid{bid}})
		}
	}
	a.Response.ID = id
	if len(a.Response.SeatBid) > 0 {
		a.Response.Cur = Currency
	}
	if len(ext.Prebid.SeatNonBid) == 0 {
		ext.Prebid = nil
	}
	if a.Response.Ext, err = marshal(ext); err != nil {
		return Auction{}, b.wrap(err)
	}
	return a, nil
}

// builder renders one auction's objects.
type builder struct {
	rec   sim.AuctionRecord
	seats []string
	id    string
}

func (b builder) wrap(err error) error {
	return fmt.Errorf("openrtb: auction %s: %w", b.id, err)
}

// request is the auction's BidRequest with tmax and the impression's ext.
func (b builder) request(tmax int64, impExt json.RawMessage) BidRequest {
	var user *User
	if b.rec.Person != 0 {
		user = &User{ID: UserID(b.rec.Person)}
	}
	return BidRequest{
		User: user,
		ID:   b.id,
		Imp: []Imp{{
			ID: ImpID,
			Banner: &Banner{
				Format: []Format{{W: BannerW, H: BannerH}},
				W:      ptr(int64(BannerW)), H: ptr(int64(BannerH)),
			},
			BidFloor: b.rec.Floor.CPM(), BidFloorCur: Currency,
			Ext: impExt,
		}},
		Site: &Site{
			Domain: SiteDomain, Page: SitePage,
			Publisher: &Publisher{ID: PublisherID, Name: PublisherName, Domain: PublisherDomain},
		},
		Device: &Device{UA: DeviceUA, IP: DeviceIP},
		AT:     b.rec.Auction.OpenRTB(),
		TMax:   tmax,
		Cur:    []string{Currency},
		Source: &Source{TID: TID(b.rec.ID)},
	}
}

// TID is the transaction id of auction id, the same for every party
// (source.tid): a version 4 UUID's layout, numbered rather than random so
// that a run's output stays the same.
func TID(id uint64) string {
	return fmt.Sprintf("00000000-0000-4000-8000-%012x", id&(1<<48-1))
}

// bid is seat's bid at price (CPM), as the bidder sends it; in the
// exchange's response (exchange) it carries Prebid Server's ext.prebid.
func (b builder) bid(seat string, price float64, exchange bool) (Bid, error) {
	h := Host(seat)
	bid := Bid{
		ID: b.id + "-" + seat, ImpID: ImpID, Price: price,
		NURL:    "https://" + h + "/win?auction=${AUCTION_ID}&price=${AUCTION_PRICE}",
		BURL:    "https://" + h + "/bill?auction=${AUCTION_ID}&price=${AUCTION_PRICE}",
		LURL:    "https://" + h + "/loss?auction=${AUCTION_ID}&reason=${AUCTION_LOSS}",
		AdM:     fmt.Sprintf(`<a href="https://%s/click"><img src="https://%s/c/%dx%d.png" width="%d" height="%d"></a>`, h, h, BannerW, BannerH, BannerW, BannerH),
		ADomain: []string{h},
		CrID:    fmt.Sprintf("%s-%dx%d", strings.TrimSuffix(h, ".example"), BannerW, BannerH),
		W:       BannerW, H: BannerH,
		MType: MarkupBanner,
	}
	if exchange {
		ext, err := marshal(ExtBid{Prebid: &ExtBidPrebid{Type: "banner"}})
		if err != nil {
			return Bid{}, b.wrap(err)
		}
		bid.Ext = ext
	}
	return bid, nil
}

// Host is the placeholder domain of seat's advertiser and ad server:
// the name in lower case, anything but letters, digits and hyphens made
// a hyphen, under .example (RFC 2606).
func Host(seat string) string {
	var sb strings.Builder
	for _, c := range strings.ToLower(seat) {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			sb.WriteRune(c)
		} else {
			sb.WriteByte('-')
		}
	}
	h := strings.Trim(sb.String(), "-")
	if h == "" {
		h = "bidder"
	}
	return h + ".example"
}

// leg is how one bidder's request went, as Prebid Server sees it.
type leg struct {
	status, reason string
	http           int  // 0: no answer read
	arrived        bool // an answer arrived (in time or not)
	read           bool // and the exchange read it
	body           *BidResponse
	elapsedMS      int // ext.responsetimemillis: whole ms from the call to its end
	err, warning   *ExtBidderMessage
	nonbid         *NonBid // Prebid Server's ext.prebid.seatnonbid entry
	notice         Notice
}

// leg maps bidder i's response to Prebid Server's view of it: the one
// place each simulated status meets its codes (README, "OpenRTB as
// Prebid Server speaks it", cites the sources).
func (b builder) leg(i int, r sim.Response) (leg, error) {
	seat := b.seats[i]
	lead := b.rec.RequestProcessing
	// A call Prebid Server gave up at the deadline lasted from the
	// fan-out to the deadline.
	deadline := wholeMS(b.rec.Tmax - lead)
	l := leg{status: r.Status.String()}
	nonbid := func(code NonBidReason) {
		l.notice = Notice{Kind: "nonbid", NonBid: ptr(code)}
		if code != NonBidNoBidGeneral { // Prebid Server lists no no-bids
			l.nonbid = &NonBid{ImpID: ImpID, StatusCode: code}
		}
	}
	// timeout is a call Prebid Server gave up at the deadline: the
	// context's DeadlineExceeded becomes errortypes.Timeout (bidder.go),
	// code 1, non-bid 101; what came after is never read.
	timeout := func() {
		l.elapsedMS = deadline
		l.err = &ExtBidderMessage{Code: ErrorCodeTimeout, Message: "context deadline exceeded"}
		nonbid(NonBidErrorTimeout)
	}
	bidBody := func() (*BidResponse, error) {
		bid, err := b.bid(seat, r.Bid.CPM(), false)
		if err != nil {
			return nil, err
		}
		return &BidResponse{ID: b.id, Cur: Currency, SeatBid: []SeatBid{{Seat: seat, Bid: []Bid{bid}}}}, nil
	}
	switch {
	case r.Status == sim.NotSent && r.Skipped:
		// exchange/bidder.go: too little of tmax left to call the bidder;
		// errortypes.TmaxTimeout is no timeout code, so 100.
		l.status = "skipped"
		l.err = &ExtBidderMessage{Code: ErrorCodeTmaxTimeout, Message: "exceeded tmax duration"}
		nonbid(NonBidErrorGeneral)
	case r.Status == sim.Error && r.Time > b.rec.Tmax, r.Status == sim.NoBid && r.Time > b.rec.Tmax:
		// An error or a no-bid that arrives after the deadline is, to
		// Prebid Server, a call it gave up at the deadline (below).
		l.arrived = true
		if r.Status == sim.NoBid {
			l.reason = noBidWords[r.Reason]
			if nbr, ok := noBidCodes[r.Reason]; ok {
				l.body = &BidResponse{ID: b.id, NBR: ptr(nbr)}
			}
		}
		timeout()
	case r.Status == sim.Error:
		// An answered error (HTTP 5xx): BadServerResponse, 100.
		l.http, l.arrived, l.read = HTTPServerError, true, true
		l.elapsedMS = wholeMS(r.Time - lead)
		l.err = &ExtBidderMessage{Code: ErrorCodeBadServerResponse, Message: fmt.Sprintf("Unexpected status code: %d. Run with request.debug = 1 for more info", HTTPServerError)}
		nonbid(NonBidErrorGeneral)
	case r.Status == sim.Hang:
		// No answer at all: Prebid Server waits for it until the
		// deadline, and the call ends in a timeout.
		timeout()
	case r.Status == sim.Refused:
		// A full queue turns the connection away: a dial error, no
		// Prebid Server error code (999), and the non-bid
		// isBidderUnreachableError gives: 103.
		l.err = &ExtBidderMessage{Code: ErrorCodeUnknown, Message: fmt.Sprintf(`Post "https://%s/openrtb2": dial tcp %s:443: connect: connection refused`, Host(seat), DeviceIP)}
		nonbid(NonBidErrorBidderUnreachable)
	case r.Status == sim.NoBid:
		l.arrived, l.read = true, true
		l.elapsedMS = wholeMS(r.Time - lead)
		l.reason = noBidWords[r.Reason]
		if nbr, ok := noBidCodes[r.Reason]; ok {
			// It knows it cannot answer in time, or that the person has
			// seen its frequency cap, and says so.
			l.http = HTTPOK
			l.body = &BidResponse{ID: b.id, NBR: ptr(nbr)}
		} else {
			// OpenRTB has no reason for a spent budget or a paced-out
			// auction: the plain no-bid.
			l.http = HTTPNoContent
		}
		nonbid(NonBidNoBidGeneral)
	case r.Status == sim.Late:
		// Arrived after the deadline: Prebid Server gave up the call then
		// (a timeout, 101) and never reads what came.
		body, err := bidBody()
		if err != nil {
			return l, err
		}
		l.arrived, l.body = true, body
		timeout()
	case r.Status == sim.BelowFloor:
		// Read, then rejected by the floor: an OpenRTB loss 100 to the
		// bidder, Prebid Server's 301 (exchange/exchange.go, floors).
		body, err := bidBody()
		if err != nil {
			return l, err
		}
		l.http, l.arrived, l.read, l.body = HTTPOK, true, true, body
		l.elapsedMS = wholeMS(r.Time - lead)
		bid := body.SeatBid[0].Bid[0]
		l.warning = &ExtBidderMessage{Code: WarningCodeFloorBidRejection, Message: fmt.Sprintf(
			"%s bid id %s rejected - bid price %.4f %s is less than bid floor %.4f %s for imp %s",
			seat, bid.ID, bid.Price, Currency, b.rec.Floor.CPM(), Currency, ImpID)}
		l.nonbid = &NonBid{ImpID: ImpID, StatusCode: NonBidResponseRejectedBelowFloor, Ext: &NonBidExt{Prebid: ExtResponseNonBidPrebid{Bid: NonBidObject{
			Price: bid.Price, ADomain: bid.ADomain, W: bid.W, H: bid.H, MType: bid.MType,
			OriginalBidCPM: bid.Price, OriginalBidCur: Currency,
		}}}}
		l.notice = Notice{Kind: "loss", LossReason: ptr(LossBelowAuctionFloor), NonBid: ptr(NonBidResponseRejectedBelowFloor)}
	case r.Status == sim.OnTime:
		body, err := bidBody()
		if err != nil {
			return l, err
		}
		l.http, l.arrived, l.read, l.body = HTTPOK, true, true, body
		l.elapsedMS = wholeMS(r.Time - lead)
		if i == b.rec.Winner {
			l.notice = Notice{Kind: "win", LossReason: ptr(LossWon), Price: ptr(b.rec.Price.CPM())}
		} else {
			l.notice = Notice{Kind: "loss", LossReason: ptr(LossLostToHigherBid)}
		}
	default:
		// A status this package does not know yet must be mapped here,
		// not guessed.
		return l, fmt.Errorf("openrtb: auction %s: %s: status %q has no Prebid Server mapping", b.id, seat, r.Status)
	}
	return l, nil
}

// noBidWords name the simulation's no-bid reasons.
var noBidWords = map[sim.NoBidReason]string{
	sim.Declined:        "declined",
	sim.NoBudget:        "no budget",
	sim.Throttled:       "throttled",
	sim.HeldOut:         "held out",
	sim.MissesDeadline:  "insufficient time",
	sim.FrequencyCapped: "frequency capped",
}

// noBidCodes are OpenRTB 2.6's no-bid reasons (nbr) for the simulation's
// reasons that have one; the others answer HTTP 204. A frequency cap is
// "daily user cap met" (9) whatever its window: OpenRTB has no other.
var noBidCodes = map[sim.NoBidReason]NoBidReason{
	sim.MissesDeadline:  NoBidInsufficientTime,
	sim.FrequencyCapped: NoBidDailyUserCap,
}

// UserID is person's OpenRTB user.id: the person's number.
func UserID(person uint32) string { return strconv.FormatUint(uint64(person), 10) }

func ptr[T any](v T) *T { return &v }

// millis is t in milliseconds rounded to the microsecond, so that the
// JSON reads 50.361, not 50.360659999999996.
func millis(t sim.Time) float64 {
	return math.Round(float64(t)/float64(sim.Microsecond))/1e3 + 0 // + 0: no "-0"
}

// tmaxMS is t in whole milliseconds, rounded: an OpenRTB tmax.
func tmaxMS(t sim.Time) int64 { return int64(math.Round(t.Milliseconds())) }

// wholeMS is t in whole milliseconds, truncated, as Prebid Server writes
// responsetimemillis (int(elapsed / time.Millisecond)); never below 0.
func wholeMS(t sim.Time) int {
	if t <= 0 {
		return 0
	}
	return int(t / sim.Millisecond)
}

// marshal writes an ext object without escaping HTML, as the encoder
// around it does.
func marshal(v any) (json.RawMessage, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// Indent renders one auction as indented JSON, ending in a newline: what
// the inspector shows.
func Indent(a Auction) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(a); err != nil {
		return nil, fmt.Errorf("openrtb: auction %s: %w", a.Request.ID, err)
	}
	return buf.Bytes(), nil
}

// WriteLines writes each record as one line of JSON: an object with
// "request", "responses", "outcome" and "response" (JSON Lines), in the
// order given.
func WriteLines(w io.Writer, recs []sim.AuctionRecord, seats []string) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, rec := range recs {
		a, err := FromRecord(rec, seats)
		if err != nil {
			return err
		}
		if err := enc.Encode(a); err != nil {
			return fmt.Errorf("openrtb: auction %d: %w", rec.ID, err)
		}
	}
	return nil
}
