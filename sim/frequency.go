package sim

import "math"

// frequency is one bidder's impressions per person, and its frequency
// cap's bookkeeping: a ring of each person's last k impression times, so
// that the check and the update are O(1) and the memory n × k.
type frequency struct {
	seen []uint32 // impressions per person over the run, index person−1
	// With a cap (k > 0): held counts the bids in flight per person, ring
	// holds person p's last k impression times at p·k …, the i-th
	// impression at (i mod k).
	k    int
	per  Time
	held []uint16
	ring []Time

	reached     uint64 // people with at least one impression
	impressions uint64
	most        uint32 // without a cap: the most impressions one person saw
	maxWindow   int    // with a cap: the most impressions one person saw within a window
}

// gone is an impression time outside every window.
const gone Time = math.MinInt64

func newFrequency(n int, c *FrequencyCap) *frequency {
	f := &frequency{seen: make([]uint32, n)}
	if c != nil {
		f.setCap(c)
	}
	return f
}

// setCap sets the cap (nil: none), keeping each person's most recent
// impression times that the new ring holds: a live change moves the
// window on from what people have seen.
func (f *frequency) setCap(c *FrequencyCap) {
	if c == nil {
		// held stays: the bids in flight release their holds at close.
		f.k, f.per, f.ring = 0, 0, nil
		return
	}
	f.per = c.Per
	if c.Impressions == f.k {
		return
	}
	k := c.Impressions
	ring := make([]Time, len(f.seen)*k)
	for p, n := range f.seen {
		for j := 1; j <= k; j++ {
			t := gone
			if j <= f.k && uint64(j) <= uint64(n) {
				t = f.ring[p*f.k+int((uint64(n)-uint64(j))%uint64(f.k))]
			}
			ring[p*k+int(((int64(n)-int64(j))%int64(k)+int64(k))%int64(k))] = t
		}
	}
	if f.held == nil {
		f.held = make([]uint16, len(f.seen))
	}
	f.k, f.ring = k, ring
}

// blocks reports whether the cap keeps the bidder from bidding for person
// at now: its impressions within (now − per, now] and its bids in flight
// for the person reach k. Only the (k − held)-th most recent impression
// need be looked at: the ring is in time order.
func (f *frequency) blocks(person uint32, now Time) bool {
	if f.k == 0 {
		return false
	}
	p := int(person - 1)
	h := int(f.held[p])
	if h >= f.k {
		return true
	}
	m := uint64(f.k - h)
	n := uint64(f.seen[p])
	if n < m {
		return false
	}
	t := f.ring[p*f.k+int((n-m)%uint64(f.k))]
	return t > now-f.per
}

// hold counts a bid in flight for person.
func (f *frequency) hold(person uint32) { f.held[person-1]++ }

// release ends a bid's hold at its auction's close.
func (f *frequency) release(person uint32) { f.held[person-1]-- }

// saw records an impression for person at now.
func (f *frequency) saw(person uint32, now Time) {
	p := int(person - 1)
	n := f.seen[p]
	if n == 0 {
		f.reached++
	}
	f.impressions++
	if n < math.MaxUint32 {
		f.seen[p] = n + 1
	}
	f.most = max(f.most, n+1)
	if f.k == 0 {
		return
	}
	// The impressions within the window, this one included: O(k), on
	// wins only.
	row := f.ring[p*f.k : (p+1)*f.k]
	in := 1
	for _, t := range row {
		if t > now-f.per {
			in++
		}
	}
	f.maxWindow = max(f.maxWindow, in)
	row[uint64(n)%uint64(f.k)] = now
}

// clone copies the counters and the rings.
func (f *frequency) clone() *frequency {
	c := *f
	c.seen = append([]uint32(nil), f.seen...)
	c.held = append([]uint16(nil), f.held...)
	c.ring = append([]Time(nil), f.ring...)
	return &c
}

// FrequencyStats are how often a bidder's impressions reached the same
// people (with traffic.users).
type FrequencyStats struct {
	PeopleReached uint64  // people who saw at least one of its impressions
	MeanPerPerson float64 // impressions per person reached; NaN with none
	// MaxInWindow is the most impressions one person saw within any
	// window of the cap's length, never more than the cap; without a cap
	// the window is the whole run.
	MaxInWindow uint64
	Capped      uint64 // no-bids because of the frequency cap
	// Cap is the cap in force; nil: none.
	Cap *FrequencyCap
}

// stats are f's figures; capped is the bidder's settled no-bids for the
// cap.
func (f *frequency) stats(capped uint64) *FrequencyStats {
	s := &FrequencyStats{
		PeopleReached: f.reached,
		MeanPerPerson: ratio(f.impressions, f.reached),
		MaxInWindow:   uint64(f.most),
		Capped:        capped,
	}
	if f.k > 0 {
		s.MaxInWindow = uint64(f.maxWindow)
		s.Cap = &FrequencyCap{Impressions: f.k, Per: f.per}
	}
	return s
}
