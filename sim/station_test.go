package sim

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestStationLikeAMultiset checks the station against the plainest model
// of c workers serving a FIFO queue: a list of the workers' free
// instants, each request taken by the one free soonest, refused when
// limit requests already wait. Any way of keeping the instants that gives
// each request the same wait and service is exact, whatever its order.
func TestStationLikeAMultiset(t *testing.T) {
	service := LogNormalMedianP99(float64(20*Millisecond), float64(90*Millisecond))
	const meanService = 24.6 * float64(Millisecond) // about: 20ms·exp(σ²/2), σ = ln 4.5 / 2.326
	for _, workers := range []int{1, 2, 3, 4, 5, 7, 8, 31, 32, 33, 100} {
		for _, limit := range []int{0, 1, 8} {
			s := newStation(&Capacity{Workers: workers, Queue: limit, Service: service})
			r, ref := rand.New(rand.NewPCG(uint64(workers), uint64(limit))), rand.New(rand.NewPCG(uint64(workers), uint64(limit)))
			gaps := rand.New(rand.NewPCG(7, uint64(workers)))
			free := make([]Time, workers)
			var starts []Time // the requests admitted that waited, by start
			now, refusedN := Time(0), 0
			for n := range 20_000 {
				// Lulls and bursts: loads of a half, 0.9 and 1.5 in turn,
				// so that the workers idle, the queue fills and it drains.
				load := []float64{0.5, 0.9, 1.5}[n/2000%3]
				now += Time(gaps.ExpFloat64() * meanService / (float64(workers) * load))
				starts = slices.DeleteFunc(starts, func(st Time) bool { return st <= now })
				waiting := len(starts)
				d, ok := s.admit(now, r, nil)
				if limit > 0 && waiting >= limit {
					if ok {
						t.Fatalf("%d workers, queue %d, request %d: admitted with %d waiting", workers, limit, n, waiting)
					}
					refusedN++
					continue
				}
				if !ok {
					t.Fatalf("%d workers, queue %d, request %d: refused with %d waiting", workers, limit, n, waiting)
				}
				k := slices.Index(free, slices.Min(free))
				start := max(now, free[k])
				free[k] = addTime(start, timeOf(service.Sample(ref)))
				if start > now {
					starts = append(starts, start)
				}
				if want := free[k] - now; d != want {
					t.Fatalf("%d workers, queue %d, request %d: waits and is served %v, want %v", workers, limit, n, d, want)
				}
				if w := s.waitAt(now + 1); w != max(now+1, slices.Min(free))-(now+1) {
					t.Fatalf("%d workers, queue %d, request %d: next wait %v, want %v", workers, limit, n, w, max(now+1, slices.Min(free))-(now+1))
				}
			}
			if limit > 0 && refusedN == 0 {
				t.Errorf("%d workers, queue %d: nothing refused; the test's bursts should fill the queue", workers, limit)
			}
		}
	}
}
