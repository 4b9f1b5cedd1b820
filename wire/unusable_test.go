package wire

import (
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/sim"
)

// oddBidder answers every bid request with body (a 200), or, with code
// other than 200, that status and no body.
func oddBidder(code int, body string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		fmt.Fprint(w, body)
	})
}

// closedURL is the URL of a loopback port just closed: nothing listens
// there, and a connection to it is refused.
func closedURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return "http://" + l.Addr().String()
}

// bidJSON is a BidResponse to auction 1 with one bid of fields (JSON
// members, no braces) and cur.
func bidJSON(cur, fields string) string {
	if cur != "" {
		cur = `,"cur":"` + cur + `"`
	}
	return `{"id":"1","seatbid":[{"seat":"steady","bid":[{` + fields + `}]}]` + cur + `}`
}

const okBid = `"id":"b","impid":"1","price":2,"crid":"c"`

// TestWireRefusesUnusableAnswers: an answer the exchange cannot take is an
// error with its cause, as Prebid Server refuses it, never a bid taken at
// face value: a bid in another currency than the USD asked for (there is
// no conversion here), one without id, impid or crid, malformed JSON, a
// status other than 200 or 204. A price not above 0 is dropped without an
// error, as Prebid Server drops it outside debug: alone, a no-bid. A
// usable bid beside an unusable one is taken; "usd" is USD. Nothing listening is
// refused (seat non-bid 103), and so is auctionsim's 503 (a full queue).
func TestWireRefusesUnusableAnswers(t *testing.T) {
	cfg := testWorld()
	cases := []struct {
		name   string
		h      http.Handler
		status sim.Status
		why    string
	}{
		{"EUR", oddBidder(200, bidJSON("EUR", okBid)), sim.Error, CauseCurrency},
		{"no id", oddBidder(200, bidJSON("", `"impid":"1","price":2,"crid":"c"`)), sim.Error, CauseNoBidID},
		{"no impid", oddBidder(200, bidJSON("", `"id":"b","price":2,"crid":"c"`)), sim.Error, CauseNoImpID},
		// Dropped without an error, as Prebid Server outside debug.
		{"price 0", oddBidder(200, bidJSON("", `"id":"b","impid":"1","price":0,"crid":"c"`)), sim.NoBid, ""},
		{"price -3", oddBidder(200, bidJSON("", `"id":"b","impid":"1","price":-3,"crid":"c"`)), sim.NoBid, ""},
		{"price -3, then 2", oddBidder(200, `{"id":"1","seatbid":[{"seat":"steady","bid":[{"id":"a","impid":"1","price":-3,"crid":"c"},{`+okBid+`}]}]}`), sim.OnTime, ""},
		// Prebid Server's order: id and impid before the price, crid after.
		{"no id, price 0", oddBidder(200, bidJSON("", `"impid":"1","price":0,"crid":"c"`)), sim.Error, CauseNoBidID},
		{"no impid, price -3", oddBidder(200, bidJSON("", `"id":"b","price":-3,"crid":"c"`)), sim.Error, CauseNoImpID},
		{"no crid, price 0", oddBidder(200, bidJSON("", `"id":"b","impid":"1","price":0`)), sim.NoBid, ""},
		{"no crid", oddBidder(200, bidJSON("", `"id":"b","impid":"1","price":2`)), sim.Error, CauseNoCrID},
		{"malformed", oddBidder(200, `{"id":"1","seatbid":[{"bid":[{"price":5`), sim.Error, CauseMalformed},
		{"400", oddBidder(400, `{}`), sim.Error, "HTTP 400"},
		{"503", oddBidder(503, `{}`), sim.Refused, "HTTP 503"},
		{"EUR no-bid", oddBidder(200, `{"id":"1","seatbid":[],"cur":"EUR"}`), sim.NoBid, ""},
		{"usd", oddBidder(200, bidJSON("usd", okBid)), sim.OnTime, ""},
		{"bad then good", oddBidder(200, `{"id":"1","seatbid":[{"seat":"steady","bid":[{"id":"a","impid":"1","price":9},{`+okBid+`}]}]}`), sim.OnTime, ""},
		// Below one micro-CPM, the engine's resolution: an error, not a
		// bid of 0 (what it was read as) nor one rounded up.
		{"price 0.0000004", oddBidder(200, bidJSON("", `"id":"b","impid":"1","price":0.0000004,"crid":"c"`)), sim.Error, CauseTinyPrice},
		{"price 9e-7", oddBidder(200, bidJSON("", `"id":"b","impid":"1","price":9e-7,"crid":"c"`)), sim.Error, CauseTinyPrice},
		{"tiny then good", oddBidder(200, `{"id":"1","seatbid":[{"seat":"steady","bid":[{"id":"a","impid":"1","price":4e-7,"crid":"c"},{`+okBid+`}]}]}`), sim.OnTime, ""},
	}
	for _, tc := range cases {
		ts := serve(t, tc.h)
		x := newExchange(t, cfg, ExchangeOptions{Endpoints: map[string]string{"steady": ts.URL}})
		x.start = time.Now()
		req := sim.RemoteRequest{Auction: 1, Bidder: 0, Tmax: 60 * sim.Second, Told: 60 * sim.Second,
			Floor: sim.PriceOf(0.1), Type: sim.SecondPrice, Seat: "steady"}
		a, _, _, why, _ := x.do(req, requestBody(req))
		if a.Status != tc.status || why != tc.why {
			t.Errorf("%s: %v (%q), want %v (%q)", tc.name, a.Status, why, tc.status, tc.why)
		}
		if tc.status == sim.OnTime && a.Bid != sim.PriceOf(2) {
			t.Errorf("%s: bid %v, want the usable 2", tc.name, a.Bid)
		}
	}

	// One micro-CPM is the smallest bid, taken as it is.
	ts := serve(t, oddBidder(200, bidJSON("", `"id":"b","impid":"1","price":0.000001,"crid":"c"`)))
	x := newExchange(t, cfg, ExchangeOptions{Endpoints: map[string]string{"steady": ts.URL}})
	x.start = time.Now()
	req := sim.RemoteRequest{Auction: 1, Bidder: 0, Tmax: 60 * sim.Second, Told: 60 * sim.Second, Seat: "steady"}
	if a, _, _, why, _ := x.do(req, requestBody(req)); a.Status != sim.OnTime || a.Bid != sim.PriceOf(0.000001) || why != "" {
		t.Errorf("price 0.000001: %v bid %d (%q), want on time at 1 micro-CPM", a.Status, a.Bid, why)
	}

	// Nothing listening: a port just closed.
	x = newExchange(t, cfg, ExchangeOptions{Endpoints: map[string]string{"steady": closedURL(t)}})
	x.start = time.Now()
	if a, _, _, why, _ := x.do(req, requestBody(req)); a.Status != sim.Refused || why != CauseRefused {
		t.Errorf("nothing listening: %v (%q), want refused", a.Status, why)
	}
}

// TestWireCountsUnusableAnswersByCause: over a run, a bidder answering in
// EUR makes no bid: each of its answers is an HTTP error of cause
// "currency not USD", said under the table, and the other bidders clear
// the auctions; a bidder with nothing listening is counted refused, in
// its row as in the simulation, not as an error.
func TestWireCountsUnusableAnswersByCause(t *testing.T) {
	cfg := testWorld()
	cfg.Exchange.Tmax = 3 * sim.Second // room for a busy machine and the race detector
	cfg.Bidders = cfg.Bidders[:4]
	eur := serve(t, oddBidder(200, bidJSON("EUR", `"id":"b","impid":"1","price":50,"crid":"c"`)))
	x, _ := runExchange(t, cfg, 30, map[string]string{"polite": eur.URL, "picky": closedURL(t)})
	s := x.Engine().Snapshot()
	w := x.Wire()
	by := map[string]sim.BidderStats{}
	for _, b := range s.Bidders {
		by[b.Name] = b
	}
	if b := by["polite"]; b.Bids != 0 || b.Wins != 0 || b.Errors != b.BidRequests || b.BidRequests < 30 {
		t.Errorf("polite in EUR: %d bids, %d wins, %d errors of %d bid requests; want errors only", b.Bids, b.Wins, b.Errors, b.BidRequests)
	}
	if b := by["picky"]; b.Refused != b.BidRequests || b.Errors != 0 || b.BidRequests < 30 {
		t.Errorf("picky, nothing listening: %d refused, %d errors of %d bid requests; want refused", b.Refused, b.Errors, b.BidRequests)
	}
	if by["steady"].Wins < 25 {
		t.Errorf("steady won %d of 30 auctions", by["steady"].Wins)
	}
	// The wire counts calls, of the auctions still open at the stop too.
	if w.ErrorsByCause[CauseCurrency] < by["polite"].Errors || w.ErrorsByCause[CauseRefused] < by["picky"].Refused {
		t.Errorf("errors by cause %v, want polite's %d and picky's %d at least", w.ErrorsByCause, by["polite"].Errors, by["picky"].Refused)
	}
	if line := w.Line(); !strings.Contains(line, "wire: HTTP errors by cause") || !strings.Contains(line, "currency not USD") {
		t.Errorf("the line under the table does not say the causes:\n%s", line)
	}
}

// TestWireCountsTinyPrices: over a run on loopback, a bidder bidding below
// one micro-CPM makes no bid and wins nothing: each answer is an error of
// its cause, counted by the wire and said under the table, where it was
// read as a bid of 0.
func TestWireCountsTinyPrices(t *testing.T) {
	cfg := testWorld()
	cfg.Exchange.Tmax = 3 * sim.Second // room for a busy machine and the race detector
	cfg.Bidders = cfg.Bidders[:4]
	tiny := serve(t, oddBidder(200, bidJSON("", `"id":"b","impid":"1","price":0.0000004,"crid":"c"`)))
	x, _ := runExchange(t, cfg, 30, map[string]string{"polite": tiny.URL})
	var polite sim.BidderStats
	for _, b := range x.Engine().Snapshot().Bidders {
		if b.Name == "polite" {
			polite = b
		}
	}
	if polite.Bids != 0 || polite.Wins != 0 || polite.Errors != polite.BidRequests || polite.BidRequests < 30 {
		t.Errorf("polite at 0.0000004: %d bids, %d wins, %d errors of %d bid requests; want errors only", polite.Bids, polite.Wins, polite.Errors, polite.BidRequests)
	}
	w := x.Wire()
	if w.ErrorsByCause[CauseTinyPrice] < polite.Errors {
		t.Errorf("errors by cause %v, want polite's %d of %q at least", w.ErrorsByCause, polite.Errors, CauseTinyPrice)
	}
	if line := w.Line(); !strings.Contains(line, CauseTinyPrice) {
		t.Errorf("the line under the table does not say the cause:\n%s", line)
	}
}

// TestLineSaysRefusedAreTheTables: a refused connection or a 503 is among
// the wire's HTTP errors, but the run's table counts it as refused, and
// the line under the table says which.
func TestLineSaysRefusedAreTheTables(t *testing.T) {
	for _, c := range []struct {
		causes map[string]uint64
		note   bool
	}{
		{map[string]uint64{CauseRefused: 3}, true},
		{map[string]uint64{CauseStatus(503): 2, CauseMalformed: 1}, true},
		{map[string]uint64{CauseMalformed: 1}, false},
	} {
		line := WireStats{HTTPErrors: 3, ErrorsByCause: c.causes}.Line()
		if got := strings.Contains(line, "the table's refused"); got != c.note {
			t.Errorf("causes %v: line %q; want the note on refusals %v", c.causes, line, c.note)
		}
	}
}

// TestSilentNamesTheBidderWhoseEndpointIsDown: with one bidder's endpoint
// down (nothing listening) and another's answering only what cannot be
// taken, beside bidders that answer, the run names each of the two, with
// its URL and what came instead, where before nothing said which bidder
// (the table shows a row of zeros, the line of causes names no bidder);
// a bidder that answered is not named. An HTTP 404 adds what it most
// often means: a URL that names the server, not the bidder.
func TestSilentNamesTheBidderWhoseEndpointIsDown(t *testing.T) {
	cfg := testWorld()
	cfg.Exchange.Tmax = 3 * sim.Second // room for a busy machine and the race detector
	cfg.Bidders = cfg.Bidders[:4]
	cfg.Bidders[1].Errors = 0 // broken answers here: only picky and polite fail
	down := closedURL(t)
	lost := serve(t, oddBidder(404, `{"error":"no such path"}`))
	x, _ := runExchange(t, cfg, 30, map[string]string{"polite": lost.URL, "picky": down})
	notes := x.Silent(x.Engine().Snapshot())
	if len(notes) != 2 {
		t.Fatalf("notes %q, want one for polite and one for picky", notes)
	}
	all := strings.Join(notes, "\n")
	for _, want := range []string{"picky at " + down + " answered none of its", "refused (nothing listening there",
		"polite at " + lost.URL + " answered none", "HTTP errors (HTTP 404 among the causes: a server answers there but knows no such bidder", "is the path right?"} {
		if !strings.Contains(all, want) {
			t.Errorf("notes do not say %q:\n%s", want, all)
		}
	}
	if strings.Contains(all, "steady") || strings.Contains(all, "broken") {
		t.Errorf("a bidder that answered is named:\n%s", all)
	}
}

// TestUnansweredSaysA404IsThePath: when nothing on the wire answered and
// the answers were HTTP 404s, a server is running there: the note asks
// about the path, not whether anything listens; with refused connections
// too it asks both.
func TestUnansweredSaysA404IsThePath(t *testing.T) {
	w := WireStats{Sent: 300, HTTPErrors: 300, ErrorsByCause: map[string]uint64{CauseStatus(404): 300}}
	got := w.Unanswered()
	if !strings.Contains(got, "300 got HTTP 404: a server answers there but knows no such bidder: does it serve the same scenario") ||
		!strings.Contains(got, "is the path right?") || strings.Contains(got, "running at the endpoints") {
		t.Errorf("all 404: %q", got)
	}
	w.ErrorsByCause[CauseRefused] = 10
	if got := w.Unanswered(); !strings.Contains(got, "is the path right?") || !strings.Contains(got, "running at the endpoints") {
		t.Errorf("404 and refused: %q", got)
	}
}
