package wire

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"syscall"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/report/openrtb"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// BenchmarkServer3000 loads the bidders of timeout-demo, served on
// loopback, with 3,000 bid requests a second for 3 s (9,000 requests,
// round robin over the eight bidders, tmax 1 s so that none declines for
// time), and reports the rate sustained and the added delay (served less
// modelled) at the server and at the client:
//
//	go test ./wire -run '^$' -bench Server3000 -benchtime 1x
func BenchmarkServer3000(b *testing.B) {
	sc, err := scenarios.Bundled("timeout-demo")
	if err != nil {
		b.Fatal(err)
	}
	for range b.N {
		srv, err := NewServer(sc.Config, ServerOptions{})
		if err != nil {
			b.Fatal(err)
		}
		ts := serve(b, srv)
		var urls []string
		for _, n := range srv.Names() {
			urls = append(urls, ts.URL+BidPath+n)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		res, err := Load(ctx, LoadOptions{URLs: urls, Rate: 3000, Count: 9000, TmaxMS: 1000})
		cancel()
		if err != nil {
			b.Fatal(err)
		}
		server := srv.AddedDelay()
		b.ReportMetric(res.Rate, "req/s")
		b.ReportMetric(res.AnsweredPerSecond, "answers/s")
		b.ReportMetric(server.P50, "server-added-p50-ms")
		b.ReportMetric(server.P99, "server-added-p99-ms")
		b.ReportMetric(res.AddedMS.P50, "client-added-p50-ms")
		b.ReportMetric(res.AddedMS.P99, "client-added-p99-ms")
		b.ReportMetric(float64(res.Failed), "failed")
		ts.Close()
	}
}

// BenchmarkExchangeWire runs timeout-demo's exchange at its own 1,000 qps
// (8,000 bid requests a second plus the notices) against its bidders
// served in the same process on loopback, for 3,000 auctions (3 s), and
// reports the process's CPU per bid request (both ends, user + system:
// what decides the rate a machine carries, whatever else runs on it),
// the late share on the wire and as the simulation counts it (wireShare),
// and the wire's added delay:
//
//	go test ./wire -run '^$' -bench ExchangeWire -benchtime 1x -cpuprofile /tmp/wire.prof
func BenchmarkExchangeWire(b *testing.B) {
	sc, err := scenarios.Bundled("timeout-demo")
	if err != nil {
		b.Fatal(err)
	}
	for _, grace := range []time.Duration{0, DefaultLateGrace} {
		b.Run("late-grace="+grace.String(), func(b *testing.B) { benchExchangeWire(b, sc.Config, grace) })
	}
}

func benchExchangeWire(b *testing.B, cfg sim.Config, grace time.Duration) {
	const n = 3000
	for range b.N {
		srv, err := NewServer(cfg, ServerOptions{})
		if err != nil {
			b.Fatal(err)
		}
		ts := serve(b, srv)
		x, err := NewExchange(cfg, ExchangeOptions{Endpoints: Endpoints(cfg, ts.URL), LateGrace: grace})
		if err != nil {
			b.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		cpu0 := cpuTime()
		err = x.Run(ctx, sim.Stop{Auctions: n})
		cpu := cpuTime() - cpu0
		cancel()
		if err != nil {
			b.Fatal(err)
		}
		w := x.Wire()
		got := x.Engine().Snapshot().Exchange
		b.ReportMetric(float64(cpu.Microseconds())/float64(w.Sent), "cpu-µs/request")
		b.ReportMetric(got.TimeoutRate(), "late-share")
		if w.AddedMS != nil {
			b.ReportMetric(w.AddedMS.P50, "added-p50-ms")
			b.ReportMetric(w.AddedMS.P95, "added-p95-ms")
		}
		ts.Close()
	}
}

// cpuTime is the process's CPU time so far, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkWireBodies is one bid request's bodies, both ends: the
// exchange writes the request, the bidder reads it and writes its bid,
// the exchange reads the bid; by hand (fastrtb.go) and by encoding/json:
//
//	go test ./wire -run '^$' -bench WireBodies -benchmem
func BenchmarkWireBodies(b *testing.B) {
	rr := sim.RemoteRequest{Auction: 1234567, Told: 120 * sim.Millisecond, Floor: sim.PriceOf(0.1), Type: sim.SecondPrice}
	resp := wireBenchResponse()
	b.Run("hand", func(b *testing.B) {
		b.ReportAllocs()
		var out []byte
		for range b.N {
			body := requestBody(rr)
			var req openrtb.BidRequest
			if !readBidRequest(body, &req) {
				b.Fatal("request not read")
			}
			var ok bool
			if out, ok = appendBidResponse(out[:0], &resp); !ok {
				b.Fatal("response not written")
			}
			var back openrtb.BidResponse
			if !readBidResponse(out, &back) || valueOf(back.SeatBid[0].Bid[0].Ext) == 0 {
				b.Fatal("response not read")
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			var req openrtb.BidRequest
			body, _ := json.Marshal(openrtbRequest(rr))
			if err := json.NewDecoder(bytes.NewReader(body)).Decode(&req); err != nil {
				b.Fatal(err)
			}
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(resp); err != nil {
				b.Fatal(err)
			}
			var back openrtb.BidResponse
			if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
				b.Fatal(err)
			}
			var e struct {
				Auctionsim struct {
					Value float64 `json:"value"`
				} `json:"auctionsim"`
			}
			if json.Unmarshal(back.SeatBid[0].Bid[0].Ext, &e) != nil || e.Auctionsim.Value == 0 {
				b.Fatal("value not read")
			}
		}
	})
}

// openrtbRequest is requestBody's request before it is written.
func openrtbRequest(rr sim.RemoteRequest) openrtb.BidRequest {
	var r openrtb.BidRequest
	_ = json.Unmarshal(requestBody(rr), &r)
	return r
}

// wireBenchResponse is a bid as the bidders server answers it.
func wireBenchResponse() openrtb.BidResponse {
	s := &Server{}
	hr, _ := http.NewRequest(http.MethodPost, "http://127.0.0.1:8080"+BidPath+"swift", nil)
	w, h := int64(300), int64(250)
	req := &openrtb.BidRequest{ID: "1234567", Imp: []openrtb.Imp{{ID: "1", Banner: &openrtb.Banner{W: &w, H: &h}}}}
	return s.response(hr, req, "swift", &pendingBid{id: "swift-123456", bid: sim.PriceOf(1.87), value: sim.PriceOf(2.2)})
}
