package sim

import "math/rand/v2"

// station is a bidder's finite capacity: c workers serving a FIFO queue.
// Requests reach it in fan-out order, so each request's wait can be
// computed the moment it arrives: it starts when the earliest worker frees
// up. No event per response is needed.
type station struct {
	free    []Time // each worker's next free instant, a min-heap
	service Dist
	limit   int    // most requests waiting; 0: unbounded
	waiting []Time // start instants of the requests waiting, in order (bounded queues only)
	head    int    // waiting[head:] are still waiting
}

func newStation(c *Capacity) *station {
	return &station{free: make([]Time, c.Workers), service: c.Service, limit: c.Queue}
}

// admit queues a request arriving at now and returns how long it waits plus
// its service time; ok is false when the queue is full and the request is
// refused. The service time is drawn from r, or read from p when the
// draw pipeline is on (p not nil).
func (s *station) admit(now Time, r *rand.Rand, p *reader) (d Time, ok bool) {
	if s.limit > 0 {
		for s.head < len(s.waiting) && s.waiting[s.head] <= now {
			s.head++
		}
		if len(s.waiting)-s.head >= s.limit {
			return 0, false
		}
		if s.head > 0 && s.head == len(s.waiting) {
			s.waiting, s.head = s.waiting[:0], 0
		}
	}
	// Saturating: a hopeless queue's clock stops at EndOfTime rather
	// than wrap round to an instant that looks early.
	start := max(now, s.free[0])
	var x float64
	if p != nil {
		x = p.next()
	} else {
		x = s.service.Sample(r)
	}
	end := addTime(start, timeOf(x))
	s.free[0] = end
	s.siftDown()
	if s.limit > 0 && start > now {
		if s.head > 0 && len(s.waiting) == cap(s.waiting) {
			// Compact instead of growing: the slice stays at about limit.
			n := copy(s.waiting, s.waiting[s.head:])
			s.waiting, s.head = s.waiting[:n], 0
		}
		s.waiting = append(s.waiting, start)
	}
	return end - now, true
}

func (s *station) siftDown() {
	h, i := s.free, 0
	for {
		l := 2*i + 1
		if l >= len(h) {
			return
		}
		m := l
		if r := l + 1; r < len(h) && h[r] < h[l] {
			m = r
		}
		if h[m] >= h[i] {
			return
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
}
