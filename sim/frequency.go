package sim

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// personTable holds every bidder's state for every person, person-major:
// person p's row holds, for each bidder in turn, a header word (its
// impressions of p, low 32 bits; its bids in flight for p, the next 16)
// and, with a cap of k, the ring of p's last k impression times. One
// ad request's bid requests then touch one row, a few adjacent cache
// lines, rather than a line per bidder and array.
type personTable struct {
	rows   []uint64
	stride int // words per person
}

// row is person's row (person ≥ 1).
func (t *personTable) row(person uint32) []uint64 {
	i := int(person-1) * t.stride
	return t.rows[i : i+t.stride : i+t.stride]
}

// frequency is one bidder's impressions per person, and its frequency
// cap's bookkeeping, in its columns of the people's table: a ring of each
// person's last k impression times, so that the check is O(1), an
// impression O(k), and the memory n × (1 + k) words.
type frequency struct {
	tab *personTable // shared by every bidder of the engine
	off int          // the bidder's header word within a row
	r0  int          // its ring's first word
	// cv is its word of the person's last conversion time (outcomes
	// with people), −1 without; period is outcome.conversion_period.
	cv     int
	period Time
	// hw is its first word of a holdout by person's (holdoutWords), −1
	// without one.
	hw  int
	k   int // the cap's impressions; 0: no cap
	per Time
	// repeats are conversions drawn for a person who had converted
	// within the period, dropped.
	repeats uint64

	reached     uint64 // people with at least one impression
	impressions uint64
	most        uint32 // the most impressions one person saw
	maxWindow   int    // with a cap: the most impressions one person saw within a window
	// dist is the people reached by their impressions so far, in the
	// buckets of FrequencyBuckets: kept as impressions come (a person
	// moves up a bucket), so a snapshot reads it without a pass over
	// the people.
	dist [len(FrequencyBuckets)]uint64
}

// FrequencyBuckets are the least impressions of each bucket of
// FrequencyStats.Distribution: 1, 2, 3, 4–5, 6–10, 11–20, 21–50,
// 51–100 and more than 100 impressions a person.
var FrequencyBuckets = [...]uint32{1, 2, 3, 4, 6, 11, 21, 51, 101}

// bucketOf is the bucket of a person with n ≥ 1 impressions.
func bucketOf(n uint32) int {
	i := 0
	for i+1 < len(FrequencyBuckets) && n >= FrequencyBuckets[i+1] {
		i++
	}
	return i
}

// goneWord is an impression time outside every window, math.MinInt64,
// as a ring word.
const goneWord uint64 = 1 << 63

const heldShift = 32 // a header's bids in flight, above its impressions

// capOf is c's impressions and window, 0 without a cap.
func capOf(c *FrequencyCap) (int, Time) {
	if c == nil {
		return 0, 0
	}
	return c.Impressions, c.Per
}

// newPersonTable lays out the rows for caps (nil: none), one per bidder,
// with a conversion word for each bidder whose conv is set and a holdout
// by person's words for each whose hold is, pointing each bidder's
// frequency at its columns.
func newPersonTable(n int, caps []*FrequencyCap, conv, hold []bool, freqs []*frequency) *personTable {
	t := &personTable{}
	for i, c := range caps {
		f := freqs[i]
		f.tab, f.off, f.cv, f.hw = t, t.stride, -1, -1
		t.stride++
		if conv[i] {
			f.cv = t.stride
			t.stride++
		}
		if hold[i] {
			f.hw = t.stride
			t.stride += holdoutWords
		}
		f.r0 = t.stride
		f.k, f.per = capOf(c)
		t.stride += f.k
	}
	t.rows = make([]uint64, n*t.stride)
	for p := range n {
		row := t.row(uint32(p + 1))
		for _, f := range freqs {
			for j := range f.k {
				row[f.r0+j] = goneWord
			}
			if f.cv >= 0 {
				row[f.cv] = goneWord
			}
		}
	}
	return t
}

// relayout gives bidder b's frequency the cap c, moving every bidder's
// columns into a new table: each person keeps its counts, its bids in
// flight and, of its impression times, the most recent that the new
// ring holds. A live change pays for it, never an auction.
func relayout(freqs []*frequency, b int, c *FrequencyCap) {
	old := freqs[b].tab
	n := len(old.rows) / old.stride
	caps := make([]*FrequencyCap, len(freqs))
	conv := make([]bool, len(freqs))
	hold := make([]bool, len(freqs))
	was := make([]frequency, len(freqs))
	for i, f := range freqs {
		was[i] = *f
		if f.k > 0 {
			caps[i] = &FrequencyCap{Impressions: f.k, Per: f.per}
		}
		conv[i] = f.cv >= 0
		hold[i] = f.hw >= 0
	}
	caps[b] = c
	t := newPersonTable(n, caps, conv, hold, freqs)
	for p := range n {
		from, to := old.row(uint32(p+1)), t.row(uint32(p+1))
		for i, f := range freqs {
			o := &was[i]
			h := from[o.off]
			to[f.off] = h
			if f.cv >= 0 {
				to[f.cv] = from[o.cv]
			}
			if f.hw >= 0 {
				copy(to[f.hw:f.hw+holdoutWords], from[o.hw:o.hw+holdoutWords])
			}
			// The ring's slot of impression i is i mod k (saw); the newest
			// of them is seen − 1 ≥ seen − j ≥ 0.
			seen := uint64(uint32(h))
			for j := uint64(1); j <= uint64(min(f.k, o.k)) && j <= seen; j++ {
				to[f.r0+int((seen-j)%uint64(f.k))] = from[o.r0+int((seen-j)%uint64(o.k))]
			}
		}
	}
}

// fetchRow asks for person's row to be brought into the cache, its
// first 8 lines at most (every bidder's words with small caps), while
// the ad request before the person's runs: a hint, which changes no
// value, so that the person's checks find the row there.
func (e *Engine) fetchRow(person uint32) {
	t := e.bidders[0].freq.tab
	n := min(t.stride, 64)
	r := t.rows[int(person-1)*t.stride:]
	r = r[:n:n]
	for i := 0; i < n; i += 8 {
		prefetch(&r[i])
	}
	prefetch(&r[n-1])
}

// blocks reports whether the cap keeps the bidder from bidding for person
// at now: its impressions within (now − per, now] and its bids in flight
// for the person reach k. Only the (k − held)-th most recent impression
// need be looked at: the ring is in time order.
func (f *frequency) blocks(person uint32, now Time) bool {
	if f.k == 0 {
		return false
	}
	row := f.tab.row(person)
	h := row[f.off]
	held := int(uint16(h >> heldShift))
	if held >= f.k {
		return true
	}
	m := uint64(f.k - held)
	n := uint64(uint32(h))
	if n < m {
		return false
	}
	return Time(row[f.r0+int((n-m)%uint64(f.k))]) > now-f.per
}

// hold counts a bid in flight for person.
func (f *frequency) hold(person uint32) { f.tab.row(person)[f.off] += 1 << heldShift }

// release ends a bid's hold at its auction's close.
func (f *frequency) release(person uint32) { f.tab.row(person)[f.off] -= 1 << heldShift }

// saw records an impression for person at now.
func (f *frequency) saw(person uint32, now Time) {
	row := f.tab.row(person)
	h := row[f.off]
	n := uint32(h)
	if n == 0 {
		f.reached++
	}
	f.impressions++
	if n < math.MaxUint32 {
		row[f.off] = h + 1
	}
	f.most = max(f.most, n+1)
	if n < math.MaxUint32 {
		if to := bucketOf(n + 1); n == 0 || to != bucketOf(n) {
			f.dist[to]++
			if n > 0 {
				f.dist[to-1]--
			}
		}
	}
	if f.k == 0 {
		return
	}
	// The impressions within the window, this one included: O(k), on
	// wins only.
	ring := row[f.r0 : f.r0+f.k]
	in := 1
	for _, t := range ring {
		if Time(t) > now-f.per {
			in++
		}
	}
	f.maxWindow = max(f.maxWindow, in)
	ring[uint64(n)%uint64(f.k)] = uint64(now)
}

// ghost records a ghost impression for person at now, as saw does an
// impression, in the person's count and the cap's ring but in none of
// the reach figures; it reports whether it is the person's first.
func (f *frequency) ghost(person uint32, now Time) bool {
	row := f.tab.row(person)
	h := row[f.off]
	n := uint32(h)
	if n < math.MaxUint32 {
		row[f.off] = h + 1
	}
	if f.k > 0 {
		row[f.r0+int(uint64(n)%uint64(f.k))] = uint64(now)
	}
	return n == 0
}

// full reports whether person has seen k impressions within (now − per,
// now]: one more now would pass the cap.
func (f *frequency) full(person uint32, now Time) bool {
	row := f.tab.row(person)
	n := uint64(uint32(row[f.off]))
	k := uint64(f.k)
	return n >= k && Time(row[f.r0+int((n-k)%k)]) > now-f.per
}

// converts reports whether person may convert at t, and if so records
// it: a person converts at most once per period (0: once per run), each
// kept conversion at least a period after the one before.
func (f *frequency) converts(person uint32, t Time) bool {
	if !f.keeps(&f.tab.row(person)[f.cv], t) {
		f.repeats++
		return false
	}
	return true
}

// keeps reports whether a conversion at t comes a period after the last
// kept one, whose time is *w (goneWord: none), and if so records it.
func (f *frequency) keeps(w *uint64, t Time) bool {
	if last := Time(*w); *w != goneWord && (f.period == 0 || t < addTime(last, f.period)) {
		return false
	}
	*w = uint64(t)
	return true
}

// FrequencyStats are how often a bidder's impressions reached the same
// people (with traffic.users).
type FrequencyStats struct {
	PeopleReached uint64  // people who saw at least one of its impressions
	MeanPerPerson float64 // impressions per person reached; NaN with none
	// MaxInWindow is the most impressions one person saw within any
	// window of the cap's length, never more than the cap (since the
	// cap's last live change); without a cap the window is the whole run.
	MaxInWindow uint64
	Capped      uint64 // no-bids because of the frequency cap
	// Distribution is the people reached by how many of its impressions
	// each has seen over the run: Distribution[i] people saw from
	// FrequencyBuckets[i] up to the next bucket's least, less one (the
	// last bucket has no top). They add up to PeopleReached.
	Distribution [len(FrequencyBuckets)]uint64
	// RepeatConversions were drawn for a person who had converted
	// within outcome.conversion_period (or, without one, at all), and
	// did not happen: a person converts once per period.
	RepeatConversions uint64
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
		Distribution:  f.dist,

		RepeatConversions: f.repeats,
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
	freqs := make([]*frequency, len(e.bidders))
	for i := range e.bidders {
		freqs[i] = e.bidders[i].freq
	}
	i := slices.Index(freqs, b.freq)
	if c.Cap != nil && e.remote != nil && e.remote.is[i] {
		return &FieldError{Field: field, Err: errors.New("a bidder reached over its endpoint keeps its own caps")}
	}
	if c.Cap != nil {
		if f, err := checkCap(c.Cap); err != nil {
			return &FieldError{Field: field + "." + f, Err: err}
		}
		// The per-person slots, as Validate counts them.
		slots := b.freq.tab.stride - b.freq.k + c.Cap.Impressions
		if people := len(b.freq.tab.rows) / b.freq.tab.stride; people*slots > MaxPersonSlots {
			return &FieldError{Field: field + ".impressions", Err: fmt.Errorf("%d people × %d slots is more than %d, the most kept in memory", people, slots, MaxPersonSlots)}
		}
	}
	// The most within a window is the cap in force's: a lower cap holds
	// from the change on.
	b.freq.maxWindow = 0
	if k, per := capOf(c.Cap); k == b.freq.k {
		b.freq.per = per // the same columns
		return nil
	}
	relayout(freqs, i, c.Cap)
	return nil
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
