package wire

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

func cpu() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(0, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func TestDbg(t *testing.T) {
	sc, _ := scenarios.Bundled("timeout-demo")
	cfg := sc.Config
	cfg.Traffic.QPS = 100
	srv, _ := NewServer(cfg, ServerOptions{})
	ts := serve(t, srv)
	x, _ := NewExchange(cfg, ExchangeOptions{Endpoints: Endpoints(cfg, ts.URL), LateGrace: time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	c0 := cpu()
	x.Run(ctx, sim.Stop{Auctions: 300})
	c1 := cpu()
	w := x.Wire()
	t.Logf("%+v cpu %v per request %v; late %.4f", w, c1-c0, (c1-c0)/time.Duration(w.Sent), x.Engine().Snapshot().Exchange.TimeoutRate())
}
