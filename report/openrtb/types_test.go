package openrtb

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// The samples are OpenRTB 2.6's own (§6.2.1 "Simple Banner" and §6.3.1
// "Ad Served on Win Notice", as github.com/prebid/openrtb's testdata has
// them), cut to the fields these types carry, and a Prebid Server
// response with its ext as Prebid Server writes it.
var roundTrips = []struct {
	name string
	v    any
	js   string
}{
	{"spec 6.2.1 simple banner", new(BidRequest), `{
  "id": "80ce30c53c16e6ede735f123ef6e32361bfc7b22",
  "at": 1,
  "cur": ["USD"],
  "imp": [{"id": "1", "bidfloor": 0.03, "banner": {"h": 250, "w": 300}}],
  "site": {
    "id": "102855",
    "domain": "www.foobar.com",
    "page": "http://www.foobar.com/1234.html ",
    "publisher": {"id": "8953", "name": "foobar.com", "domain": "foobar.com"}
  },
  "user": {"id": "55816b39711f9b5acf3b90e313ed29e51665623f"}
}`},
	{"spec 6.3.1 ad served on win notice", new(BidResponse), `{
  "id": "1234567890",
  "bidid": "abc1123",
  "cur": "USD",
  "seatbid": [{
    "seat": "512",
    "bid": [{
      "id": "1", "impid": "102", "price": 9.43,
      "nurl": "http://adserver.com/winnotice?impid=102",
      "adomain": ["advertiserdomain.com"],
      "cid": "campaign111", "crid": "creative112"
    }]
  }]
}`},
	{"prebid server request", new(BidRequest), `{
  "id": "7", "tmax": 1000, "at": 1, "cur": ["USD"],
  "imp": [{"id": "1", "banner": {"format": [{"w": 300, "h": 250}], "w": 300, "h": 250},
    "bidfloor": 0.5, "bidfloorcur": "USD",
    "ext": {"prebid": {"bidder": {"metro": {}, "atlas": {}}}}}],
  "site": {"domain": "news.example", "page": "https://news.example/a", "publisher": {"id": "p1"}},
  "device": {"ua": "Mozilla/5.0", "ip": "192.0.2.1"},
  "source": {"tid": "0b4f1f5e-1"},
  "ext": {"prebid": {"returnallbidstatus": true}}
}`},
	{"prebid server response", new(BidResponse), `{
  "id": "7", "cur": "USD",
  "seatbid": [{"seat": "metro", "bid": [{"id": "7-metro", "impid": "1", "price": 1.2,
    "adm": "<div></div>", "adomain": ["metro.example"], "crid": "c1", "w": 300, "h": 250, "mtype": 1}]}],
  "ext": {
    "responsetimemillis": {"metro": 80, "atlas": 1000},
    "errors": {"atlas": [{"code": 1, "message": "Timeout"}]},
    "tmaxrequest": 1000,
    "prebid": {"seatnonbid": [{"seat": "atlas", "nonbid": [{"impid": "1", "statuscode": 101}]},
      {"seat": "low", "nonbid": [{"impid": "1", "statuscode": 301, "ext": {"prebid": {"bid": {"price": 0.2}}}}]}]}
  }
}`},
	{"no-bid with a reason", new(BidResponse), `{"id": "7", "nbr": 15}`},
	{"request ext", new(ExtRequest), `{"prebid": {"returnallbidstatus": true}}`},
	{"imp ext to the exchange", new(ExtImp), `{"prebid": {"bidder": {"metro": {"placement": 4}}}}`},
	{"imp ext to a bidder", new(ExtImp), `{"bidder": {"placement": 4}}`},
	{"response ext", new(ExtBidResponse), `{"responsetimemillis": {"a": 5},
  "prebid": {"seatnonbid": [{"seat": "b", "nonbid": [{"impid": "1", "statuscode": 103}]}]}}`},
}

// TestRoundTrip reads each sample into its type and writes it back: the
// same JSON, so no field name or tag is off and nothing is lost.
func TestRoundTrip(t *testing.T) {
	for _, c := range roundTrips {
		t.Run(c.name, func(t *testing.T) {
			dec := json.NewDecoder(strings.NewReader(c.js))
			dec.DisallowUnknownFields() // a misspelt tag would otherwise drop the field silently
			if err := dec.Decode(c.v); err != nil {
				t.Fatal(err)
			}
			out, err := json.Marshal(c.v)
			if err != nil {
				t.Fatal(err)
			}
			var want, got any
			if err := json.Unmarshal([]byte(c.js), &want); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(want, got) {
				t.Errorf("round trip changed the JSON:\n got %s\nwant %s", out, c.js)
			}
		})
	}
}

// TestOptionalOmitted: OpenRTB's defaults and optional objects are left
// out, as openrtb2 leaves them; the required id, imp, impid, price and
// seatbid.bid are always written.
func TestOptionalOmitted(t *testing.T) {
	for _, c := range []struct {
		v    any
		want string
	}{
		{BidRequest{ID: "1", Imp: []Imp{{ID: "1"}}}, `{"id":"1","imp":[{"id":"1"}]}`},
		{BidResponse{ID: "1"}, `{"id":"1"}`},
		{BidResponse{ID: "1", NBR: ptr(NoBidUnknownError)}, `{"id":"1","nbr":0}`},
		{SeatBid{}, `{"bid":null}`},
		{Bid{ID: "b", ImpID: "1"}, `{"id":"b","impid":"1","price":0}`},
		{Banner{W: ptr(int64(0))}, `{"w":0}`},
		{NonBid{ImpID: "1"}, `{"impid":"1","statuscode":0}`},
	} {
		b, err := json.Marshal(c.v)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != c.want {
			t.Errorf("%T: %s, want %s", c.v, b, c.want)
		}
	}
}

// TestCodes pins the codes to their lists: OpenRTB's no-bid and loss
// reasons, Prebid Server's seat non-bid statuses and error codes.
func TestCodes(t *testing.T) {
	for _, c := range []struct {
		name      string
		got, want int64
	}{
		{"nbr insufficient auction time", int64(NoBidInsufficientTime), 15},
		{"nbr unknown", int64(NoBidUnknownError), 0},
		{"nbr technical error", int64(NoBidTechnicalError), 1},
		{"loss won", int64(LossWon), 0},
		{"loss below floor", int64(LossBelowAuctionFloor), 100},
		{"loss higher bid", int64(LossLostToHigherBid), 102},
		{"nonbid general error", int64(NonBidErrorGeneral), 100},
		{"nonbid timeout", int64(NonBidErrorTimeout), 101},
		{"nonbid unreachable", int64(NonBidErrorBidderUnreachable), 103},
		{"nonbid below floor", int64(NonBidResponseRejectedBelowFloor), 301},
		{"nonbid below deal floor", int64(NonBidResponseRejectedBelowDealFloor), 304},
		{"error timeout", ErrorCodeTimeout, 1},
		{"error bad server response", ErrorCodeBadServerResponse, 4},
		{"error tmax timeout", ErrorCodeTmaxTimeout, 12},
		{"markup banner", int64(MarkupBanner), 1},
	} {
		if c.got != c.want {
			t.Errorf("%s = %d, want %d", c.name, c.got, c.want)
		}
	}
}
