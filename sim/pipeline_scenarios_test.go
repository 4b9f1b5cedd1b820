package sim_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// TestPipelineBundledScenarios runs every bundled scenario, its script
// included (timeout-story's changes metro's latency mid-run), to its stop
// or a number of auctions, once with the draw pipeline on and once
// without: the snapshots, every output of a run, are byte-identical, at
// an intermediate point and at the end.
func TestPipelineBundledScenarios(t *testing.T) {
	limit := uint64(150_000)
	if testing.Short() {
		limit = 30_000
	}
	for _, name := range scenarios.Names() {
		t.Run(name, func(t *testing.T) {
			sc, err := scenarios.Bundled(name)
			if err != nil {
				t.Fatal(err)
			}
			stop := sc.Stop
			if stop.Auctions == 0 || stop.Auctions > limit {
				stop.Auctions = limit
			}
			half := stop
			half.Auctions /= 2
			half.Duration /= 2
			run := func(piped bool) (mid, end []byte) {
				e, err := sim.New(sc.Config)
				if err != nil {
					t.Fatal(err)
				}
				if piped {
					e.StartPipeline()
					defer e.StopPipeline()
				}
				snap := func() []byte {
					b, err := json.Marshal(e.Snapshot())
					if err != nil {
						t.Fatal(err)
					}
					return b
				}
				for !e.RunStop(half, 1<<16) {
				}
				mid = snap()
				for !e.RunStop(stop, 1<<16) {
				}
				return mid, snap()
			}
			mid, end := run(false)
			pmid, pend := run(true)
			if !bytes.Equal(mid, pmid) {
				t.Error("halfway, the pipelined run differs from the one-core run")
			}
			if !bytes.Equal(end, pend) {
				t.Error("at the stop, the pipelined run differs from the one-core run")
			}
		})
	}
}
