package experiment

import (
	"fmt"
	"math"

	"github.com/auctionsim/auctionsim/sim"
)

// The memory of an experiment is that of the engines its workers hold at
// once, each a whole world, plus the few results waiting to be
// aggregated in order (two per worker). The engine bounds its own
// in-flight memory (sim.MaxInFlightBytes); the experiment bounds the sum.
const (
	// MemoryBudget is the memory (4 GB) an experiment's workers may hold
	// together, as estimated by EngineBytes: workers beyond it are not
	// started.
	MemoryBudget = 4e9
	// WorkersPerCPU caps the workers at this multiple of GOMAXPROCS:
	// replications are CPU-bound, and more workers than this only hold
	// more engines.
	WorkersPerCPU = 4
)

// Memory of an engine besides its auctions in flight, as measured
// (runtime.MemStats, engines alive after a run of 10 to 3,000 auctions):
// about 1 MB for a world, and 100 KB for each bidder's state, series and
// tmax curve, rounded up.
const (
	engineBaseBytes   = 1.5e6
	engineBidderBytes = 1.5e5
	workerSlotBytes   = 16 // a capacity worker's slot
)

// EngineBytes estimates, from its configuration alone, the memory one
// replication of p holds at its peak: the engine's own state, its
// auctions in flight at the peak rate (sim.InFlightBytes, the engine's
// own bound) and every bidder's pending conversions
// (sim.PendingConversionBytes). It errs high: the in-flight estimate
// assumes every auction stays open for tmax.
func EngineBytes(p Point) float64 {
	cfg := p.Config
	peak := cfg.Traffic.PeakQPS()
	slots, workers := 0, 0
	for _, b := range cfg.Bidders {
		if c := b.Capacity; c != nil {
			slots += max(min(c.Queue, sim.MaxQueue), 0)
			workers += max(min(c.Workers, sim.MaxWorkers), 0)
		}
	}
	bytes := engineBaseBytes + engineBidderBytes*float64(len(cfg.Bidders)) + float64(workers*workerSlotBytes)
	bytes += sim.InFlightBytes(peak, cfg.Exchange.Tmax, len(cfg.Bidders), slots)
	for _, b := range cfg.Bidders {
		if b.Outcome != nil {
			bytes += sim.PendingConversionBytes(peak, b.Outcome)
		}
	}
	return bytes
}

// MaxWorkers is how many workers an experiment over points may run at
// once within budget (the largest point's EngineBytes each), and at most
// WorkersPerCPU × procs; at least 1, as a single run is not refused here
// (the engine's own bounds refuse a world too large for one).
// why says which bound it is, for the message of a capped --workers.
func MaxWorkers(points []Point, budget float64, procs int) (n int, why string) {
	largest := 0.0
	for _, p := range points {
		largest = max(largest, EngineBytes(p))
	}
	cpu := WorkersPerCPU * max(procs, 1)
	mem := math.Floor(budget / largest)
	if mem >= float64(cpu) {
		return cpu, fmt.Sprintf("%d per CPU (GOMAXPROCS %d) at most", WorkersPerCPU, max(procs, 1))
	}
	n = max(int(mem), 1)
	return n, fmt.Sprintf("each replication holds up to about %s, and the experiment's workers together at most %s",
		megabytes(largest), megabytes(budget))
}

func megabytes(b float64) string {
	if b >= 1e9 {
		return fmt.Sprintf("%.1f GB", b/1e9)
	}
	return fmt.Sprintf("%.0f MB", math.Ceil(b/1e6))
}
