package wire

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"net/http"
	"reflect"
	"testing"

	"github.com/auctionsim/auctionsim/report/openrtb"
	"github.com/auctionsim/auctionsim/sim"
)

// The hand-written JSON of the wire's fast path (fastjson.go, fastrtb.go)
// against encoding/json: random bodies of every field the types have,
// odd strings and numbers among them, written both ways and read both
// ways; where the fast path takes a body it must agree exactly, and it
// must take the plain ones.

// randString is a string of a few kinds: plain, empty, with what JSON
// escapes, with HTML, with non-ASCII (valid or not); mostly plain, so
// that some bodies are plain throughout.
func randString(r *rand.Rand) string {
	switch r.IntN(60) {
	case 0:
		return ""
	case 1:
		return `a"b\c` + "\n\t\x01"
	case 2:
		return "<a href=\"x\">&amp;</a>"
	case 3:
		return "héllo wörld \u2028 ✓"
	case 4:
		return "bad \xff utf8"
	case 5:
		return "${AUCTION_PRICE}&x=1"
	}
	const abc = "abcdefghijklmnopqrstuvwxyz0123456789-_./:?="
	b := make([]byte, 1+r.IntN(20))
	for i := range b {
		b[i] = abc[r.IntN(len(abc))]
	}
	return string(b)
}

func randFloat(r *rand.Rand) float64 {
	switch r.IntN(7) {
	case 0:
		return 0
	case 1:
		return 1e-7 * r.Float64()
	case 2:
		return 1e22 * (1 + r.Float64())
	case 3:
		return -r.Float64() * 10
	case 4:
		return float64(r.IntN(100))
	}
	return math.Round(r.Float64()*1e6) / 1e4
}

func randInt(r *rand.Rand) int64 {
	switch r.IntN(4) {
	case 0:
		return 0
	case 1:
		return r.Int64() - math.MaxInt64/2
	}
	return int64(r.IntN(1000))
}

func randExt(r *rand.Rand) json.RawMessage {
	switch r.IntN(6) {
	case 0, 1, 2:
		return nil
	case 3:
		return json.RawMessage(`{"prebid":{"a":[1,2.5,true,null,"x"]}}`)
	case 4:
		return json.RawMessage(`{"k": "v < w"}`)
	}
	return json.RawMessage(`{"auctionsim":{"value":1.25}}`)
}

func maybe(r *rand.Rand) bool { return r.IntN(2) == 0 }

func randRequest(r *rand.Rand) *openrtb.BidRequest {
	br := &openrtb.BidRequest{ID: randString(r), TMax: randInt(r), AT: randInt(r), Test: int8(r.IntN(3))}
	for range r.IntN(3) {
		m := openrtb.Imp{ID: randString(r), TagID: randString(r), BidFloor: randFloat(r), BidFloorCur: randString(r)}
		if maybe(r) {
			w, h := randInt(r), randInt(r)
			m.Banner = &openrtb.Banner{W: &w}
			if maybe(r) {
				m.Banner.H = &h
			}
			if r.IntN(4) == 0 {
				m.Banner.Format = []openrtb.Format{{W: 300, H: 250, Ext: randExt(r)}}
			}
		}
		if r.IntN(4) == 0 {
			v := int8(1)
			m.Secure = &v
		}
		if r.IntN(4) == 0 {
			m.Ext = randExt(r)
		}
		br.Imp = append(br.Imp, m)
	}
	if maybe(r) {
		br.Site = &openrtb.Site{Domain: randString(r), Page: randString(r)}
		if r.IntN(4) == 0 {
			br.Site.ID, br.Site.Name, br.Site.Ref = randString(r), randString(r), randString(r)
		}
		if r.IntN(4) == 0 {
			br.Site.Publisher = &openrtb.Publisher{ID: randString(r), Ext: randExt(r)}
		}
	}
	if r.IntN(4) == 0 {
		br.Device = &openrtb.Device{UA: randString(r), IP: randString(r)}
	}
	if r.IntN(4) == 0 {
		br.User = &openrtb.User{ID: randString(r), BuyerUID: randString(r), Ext: randExt(r)}
	}
	if maybe(r) {
		br.Cur = []string{randString(r)}
	}
	if maybe(r) {
		br.Source = &openrtb.Source{TID: randString(r)}
		if r.IntN(4) == 0 {
			fd := int8(1)
			br.Source.FD = &fd
		}
	}
	if r.IntN(4) == 0 {
		br.Ext = randExt(r)
	}
	return br
}

func randResponse(r *rand.Rand) *openrtb.BidResponse {
	br := &openrtb.BidResponse{ID: randString(r), BidID: randString(r), Cur: randString(r), Ext: randExt(r)}
	if r.IntN(4) == 0 {
		nbr := openrtb.NoBidReason(randInt(r))
		br.NBR = &nbr
	}
	for range r.IntN(3) {
		sb := openrtb.SeatBid{Seat: randString(r), Ext: randExt(r)}
		for range r.IntN(3) {
			b := openrtb.Bid{ID: randString(r), ImpID: randString(r), Price: randFloat(r),
				NURL: randString(r), BURL: randString(r), LURL: randString(r), AdM: randString(r),
				AdID: randString(r), CID: randString(r), CrID: randString(r),
				W: randInt(r), H: randInt(r), MType: openrtb.MarkupType(r.IntN(5)), Ext: randExt(r)}
			if maybe(r) {
				b.ADomain = []string{randString(r), randString(r)}
			}
			sb.Bid = append(sb.Bid, b)
		}
		br.SeatBid = append(br.SeatBid, sb)
	}
	return br
}

// encodeNoHTML is what writeJSON writes.
func encodeNoHTML(t *testing.T, v any) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestFastBidRequestAgreesWithEncodingJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var wrote, read int
	for i := range 3000 {
		br := randRequest(r)
		want, err := json.Marshal(br)
		if err != nil {
			t.Fatal(err)
		}
		if got, ok := appendBidRequest(nil, br); ok {
			wrote++
			if !bytes.Equal(got, want) {
				t.Fatalf("request %d written\n%s\nencoding/json writes\n%s", i, got, want)
			}
		}
		for _, body := range [][]byte{want, indent(t, want)} {
			var slow, fast openrtb.BidRequest
			if err := json.Unmarshal(body, &slow); err != nil {
				t.Fatal(err)
			}
			if readBidRequest(body, &fast) {
				read++
				if !reflect.DeepEqual(fast, slow) {
					t.Fatalf("request %d read\n%+v\nencoding/json reads\n%+v\nfrom %s", i, fast, slow, body)
				}
			}
		}
	}
	// The plain bodies, a good share of these, take the fast path.
	if wrote < 100 || read < 200 {
		t.Errorf("fast path taken: %d of 3000 written, %d of 6000 read", wrote, read)
	}
}

func TestFastBidResponseAgreesWithEncodingJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var wrote, read int
	for i := range 3000 {
		br := randResponse(r)
		want := encodeNoHTML(t, br)
		if got, ok := appendBidResponse(nil, br); ok {
			wrote++
			if !bytes.Equal(got, want) {
				t.Fatalf("response %d written\n%s\nencoding/json writes\n%s", i, got, want)
			}
		}
		for _, body := range [][]byte{want, indent(t, want)} {
			var slow, fast openrtb.BidResponse
			if err := json.Unmarshal(body, &slow); err != nil {
				t.Fatal(err)
			}
			if readBidResponse(body, &fast) {
				read++
				if !reflect.DeepEqual(fast, slow) {
					t.Fatalf("response %d read\n%+v\nencoding/json reads\n%+v\nfrom %s", i, fast, slow, body)
				}
			}
		}
	}
	if wrote < 100 || read < 200 {
		t.Errorf("fast path taken: %d of 3000 written, %d of 6000 read", wrote, read)
	}
}

func indent(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := json.Indent(&buf, b, "", " \t"); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestWireBodiesTakeTheFastPath: the bodies the wire itself sends, the
// exchange's bid request and the bidders' bid response, are written and
// read by hand, and say what encoding/json says.
func TestWireBodiesTakeTheFastPath(t *testing.T) {
	body := requestBody(sim.RemoteRequest{Auction: 77, Told: 110 * sim.Millisecond, Floor: sim.PriceOf(0.1), Type: sim.SecondPrice})
	var fast, slow openrtb.BidRequest
	if !readBidRequest(body, &fast) {
		t.Fatalf("the exchange's bid request is not read by the fast path: %s", body)
	}
	if err := json.Unmarshal(body, &slow); err != nil || !reflect.DeepEqual(fast, slow) {
		t.Fatalf("fast %+v, encoding/json %+v (%v)", fast, slow, err)
	}
	if fast.TMax != 110 || fast.ID != "77" || len(fast.Imp) != 1 || fast.Imp[0].BidFloor != 0.1 {
		t.Errorf("read %+v", fast)
	}

	s, _ := newTestServer(t)
	hr, _ := newBidHTTPRequest(t, body)
	pb := &pendingBid{id: "steady-1", bid: sim.PriceOf(1.5), value: sim.PriceOf(2.25)}
	resp := s.response(hr, &fast, "steady", pb)
	out, ok := appendBidResponse(nil, &resp)
	if !ok {
		t.Fatal("the server's bid response is not written by the fast path")
	}
	if want := encodeNoHTML(t, resp); !bytes.Equal(out, want) {
		t.Fatalf("written\n%s\nencoding/json writes\n%s", out, want)
	}
	var back openrtb.BidResponse
	if !readBidResponse(out, &back) || !reflect.DeepEqual(back, resp) {
		t.Fatalf("read back %+v, want %+v", back, resp)
	}
	if v := valueOf(back.SeatBid[0].Bid[0].Ext); v != sim.PriceOf(2.25) {
		t.Errorf("value %v, want 2.25", v)
	}
	if _, ok := readValueExt(back.SeatBid[0].Bid[0].Ext); !ok {
		t.Error("the value's ext is not read by the fast path")
	}
}

func newBidHTTPRequest(t *testing.T, body []byte) (*http.Request, error) {
	t.Helper()
	return http.NewRequest(http.MethodPost, "http://127.0.0.1:1"+BidPath+"steady", bytes.NewReader(body))
}

// fastSeeds are bodies for the fuzzers: the wire's own, and near misses.
var fastSeeds = []string{
	request,
	`{"id":"1","imp":[{"id":"1","banner":{"w":300,"h":250},"bidfloor":0.1,"bidfloorcur":"USD"}],"site":{"domain":"a","page":"b"},"at":2,"tmax":120,"cur":["USD"],"source":{"tid":"1"}}`,
	`{"id":"1","seatbid":[{"bid":[{"id":"a-1","impid":"1","price":1.5,"nurl":"http://x/win?p=${AUCTION_PRICE}&b=1","ext":{"auctionsim":{"value":2}}}],"seat":"a"}],"cur":"USD"}`,
	`{"id":"1","nbr":15}`, `{"id":"1","ID":"2"}`, `{"id":"1","id":"2"}`, `{"id":null}`,
	`{"id":"1","imp":[{"id":"1","bidfloor":1e400}]}`, `{"id":"1","tmax":1.0}`, `{"id":"1","test":300}`,
	`{"id":"\u0041"}`, `{"id":"1"} x`, `{"id":"1","ext":{"a":[1,{"b":"c"}]}}`, `{"id":"1","ext":01}`,
	`{"auctionsim":{"value":-0.5}}`, `{"auctionsim":{"value":1,"value":2}}`,
}

// FuzzFastRequest: a body the fast path reads, encoding/json reads too, to
// the same request.
func FuzzFastRequest(f *testing.F) {
	for _, s := range fastSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		var fast, slow openrtb.BidRequest
		if !readBidRequest([]byte(body), &fast) {
			return
		}
		if err := json.Unmarshal([]byte(body), &slow); err != nil {
			t.Fatalf("fast path took %q, which encoding/json refuses: %v", body, err)
		}
		if !reflect.DeepEqual(fast, slow) {
			t.Fatalf("%q: fast %+v, encoding/json %+v", body, fast, slow)
		}
	})
}

// FuzzFastResponse: as FuzzFastRequest for bid responses and the value's
// ext.
func FuzzFastResponse(f *testing.F) {
	for _, s := range fastSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		var fast, slow openrtb.BidResponse
		if readBidResponse([]byte(body), &fast) {
			if err := json.Unmarshal([]byte(body), &slow); err != nil {
				t.Fatalf("fast path took %q, which encoding/json refuses: %v", body, err)
			}
			if !reflect.DeepEqual(fast, slow) {
				t.Fatalf("%q: fast %+v, encoding/json %+v", body, fast, slow)
			}
		}
		if v, ok := readValueExt([]byte(body)); ok {
			var e struct {
				Auctionsim struct {
					Value float64 `json:"value"`
				} `json:"auctionsim"`
			}
			if err := json.Unmarshal([]byte(body), &e); err != nil || e.Auctionsim.Value != v {
				t.Fatalf("%q: fast %v, encoding/json %v (%v)", body, v, e.Auctionsim.Value, err)
			}
		}
	})
}

// With people the exchange's bid request names the person as user.id,
// written by the fast path as encoding/json writes it.
func TestWireBodyCarriesThePerson(t *testing.T) {
	req := sim.RemoteRequest{Auction: 78, Told: 110 * sim.Millisecond, Type: sim.FirstPrice, Person: 42}
	body := requestBody(req)
	var br openrtb.BidRequest
	if err := json.Unmarshal(body, &br); err != nil || br.User == nil || br.User.ID != "42" {
		t.Fatalf("%s: user %+v (%v)", body, br.User, err)
	}
	fast, ok := appendBidRequest(nil, &br)
	if want, _ := json.Marshal(br); !ok || !bytes.Equal(fast, want) || !bytes.Equal(body, want) {
		t.Errorf("fast path %v:\n%s\nencoding/json:\n%s", ok, fast, want)
	}
	req.Person = 0
	if body := requestBody(req); bytes.Contains(body, []byte(`"user"`)) {
		t.Errorf("without people: %s", body)
	}
}
