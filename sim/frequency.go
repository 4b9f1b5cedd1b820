package sim

import (
	"errors"
	"fmt"
	"math"
)

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

// KindFrequencyCap is SetFrequencyCap's kind.
const KindFrequencyCap = "frequency_cap"

// SetFrequencyCap sets a bidder's frequency cap (nil: none) from now on.
// The people's impressions so far count against the new cap, and a bid
// in flight that would pass it is withdrawn at its close: the new cap
// holds at once.
type SetFrequencyCap struct {
	Bidder string
	Cap    *FrequencyCap
}

// String describes the change for the change log.
func (c SetFrequencyCap) String() string {
	if c.Cap == nil {
		return c.Bidder + " frequency cap off"
	}
	return c.Bidder + " frequency cap " + c.Cap.String()
}

// Kind names what the change sets.
func (SetFrequencyCap) Kind() string { return KindFrequencyCap }

func (c SetFrequencyCap) apply(e *Engine) error {
	b, err := e.bidder(c.Bidder)
	if err != nil {
		return err
	}
	field := "bidders." + c.Bidder + ".frequency_cap"
	if b.freq == nil {
		return &FieldError{Field: field, Err: errors.New("needs people: the scenario has no traffic.users")}
	}
	if c.Cap != nil {
		if f, err := checkCap(c.Cap); err != nil {
			return &FieldError{Field: field + "." + f, Err: err}
		}
		// The per-person slots a cap takes, as Validate counts them.
		slots := len(e.bidders) + c.Cap.Impressions
		for i := range e.bidders {
			if o := &e.bidders[i]; o != b {
				slots += o.freq.k
			}
		}
		if n := len(b.freq.seen) * slots; n > MaxPersonSlots {
			return &FieldError{Field: field + ".impressions", Err: fmt.Errorf("%d people × %d slots is more than %d, the most kept in memory", len(b.freq.seen), slots, MaxPersonSlots)}
		}
	}
	b.freq.setCap(c.Cap)
	return nil
}

// full reports whether person has seen k impressions within (now − per,
// now]: one more now would pass the cap.
func (f *frequency) full(person uint32, now Time) bool {
	p := int(person - 1)
	n := uint64(f.seen[p])
	k := uint64(f.k)
	return n >= k && f.ring[p*f.k+int((n-k)%k)] > now-f.per
}

// capAtClose withdraws a bid r of b, at its auction's close at now, that
// would take person past b's cap. Holds keep every bid placed under an
// unchanged cap within it; this catches the bids in flight when a live
// change set or lowered the cap, as affordable does for a budget.
func (b *bidder) capAtClose(r *Response, person uint32, now Time) {
	if b.freq == nil || b.freq.k == 0 || r.Status < Late || !b.freq.full(person, now) {
		return
	}
	b.reserved -= r.Bid.Cost()
	r.Status, r.Reason, r.Bid = NoBid, FrequencyCapped, 0
}
