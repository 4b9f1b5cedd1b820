package wire

import (
	"context"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/scenarios"
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
		b.ReportMetric(float64(res.Answered)/res.Elapsed.Seconds(), "answers/s")
		b.ReportMetric(server.P50, "server-added-p50-ms")
		b.ReportMetric(server.P99, "server-added-p99-ms")
		b.ReportMetric(res.AddedMS.P50, "client-added-p50-ms")
		b.ReportMetric(res.AddedMS.P99, "client-added-p99-ms")
		b.ReportMetric(float64(res.Failed), "failed")
		ts.Close()
	}
}
