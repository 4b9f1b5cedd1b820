package sim

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
)

// Users are the people ad requests come from: Count people, numbered 1 …
// Count, person k drawing a share of the requests proportional to k^−Skew
// (Zipf; Skew 0: every person alike). Every ad request belongs to one
// person, drawn on a stream of its own so that the rest of the world is
// drawn as without people. With Traffic.Scale the engine simulates
// Count / Scale people (rounded), each standing for a block of that many
// people by rank and making 1 in Scale of their requests, as many as
// their mean person (personWeights), so that frequencies are those at
// full scale; snapshots report the people reached at full scale.
type Users struct {
	Count int
	Skew  float64
}

// Limits on people. Per-person state is sized by the count: the draw's
// table (12 bytes a person with a skew) and, per bidder, an impression
// count and the frequency cap's ring of impression times.
const (
	// MaxUsers is the most people a world may have.
	MaxUsers = 1_000_000
	// MaxUserSkew is the largest Zipf exponent.
	MaxUserSkew = 10
	// MaxPersonSlots bounds count × (bidders + 2 × bidders with an
	// outcome + holdouts by person + Σ frequency_cap.impressions), the
	// per-person words kept for every person (8 bytes each: 64 MB).
	MaxPersonSlots = 1 << 23
	// MaxCapImpressions is the largest frequency_cap.impressions.
	MaxCapImpressions = 1000
)

var (
	usersRange = limit{lo: 1, hi: MaxUsers, unit: plain, what: "number of people"}
	// usersAnyScale is the count's range when traffic.scale is refused.
	usersAnyScale = limit{lo: 1, hi: MaxUsers * MaxScale, unit: plain, what: "number of people at any traffic.scale"}
	skewRange     = limit{lo: 0, hi: MaxUserSkew, unit: plain, what: "Zipf exponent"}
	capRange      = limit{lo: 1, hi: MaxCapImpressions, unit: plain, what: "number of impressions in a frequency cap"}
	perRange      = limit{lo: 0, hi: float64(MaxRunTime), open: true, unit: duration, what: "frequency cap window"}
)

// FrequencyCap caps how many of a bidder's impressions one person sees:
// the bidder does not bid for a person who has seen Impressions of its
// impressions within the last Per (OpenRTB no-bid reason 9, "daily user
// cap met", whatever the window). Bids in flight count against the cap
// as budgets reserve them, so no person ever sees more than Impressions
// within any window of length Per.
type FrequencyCap struct {
	Impressions int
	Per         Time
}

// String reads "3 per 24h", the window as a scenario writes it.
func (c FrequencyCap) String() string {
	return fmt.Sprintf("%d per %s", c.Impressions, c.Per.Window())
}

// checkCap reports an invalid cap, by its field below frequency_cap.
func checkCap(c *FrequencyCap) (field string, err error) {
	if err := capRange.checkInt(c.Impressions); err != nil {
		return "impressions", err
	}
	if err := perRange.check(float64(c.Per)); err != nil {
		return "per", err
	}
	return "", nil
}

// errNeedsPeople refuses a field that only a world with people has.
var errNeedsPeople = errors.New("needs people: set traffic.users")

// validatePeople checks traffic.users and the bidders' frequency caps.
func (cfg *Config) validatePeople() []error {
	var errs []error
	check := func(field string, err error) {
		if err != nil {
			errs = append(errs, &FieldError{Field: field, Err: err})
		}
	}
	u := cfg.Traffic.Users
	slots := 0
	if u != nil {
		// A refused scale (Validate names it) says nothing of the
		// simulated people: refuse only a count no valid scale allows.
		scaleErr := checkScale(cfg.Traffic.Scale)
		scaled := cfg.Traffic.Scale > 1 && scaleErr == nil
		if scaleErr != nil {
			check("traffic.users.count", usersAnyScale.checkInt(u.Count))
		} else if s := cfg.Traffic.Scale; scaled && u.Count >= 1 {
			// The limit is the simulated people's.
			if sp := float64(u.Count) / s; sp > MaxUsers+0.5 {
				check("traffic.users.count", fmt.Errorf("%d people at traffic.scale %s are %.0f simulated people, more than %d, the most supported", u.Count, plain.written(s), sp, MaxUsers))
			}
		} else {
			check("traffic.users.count", usersRange.checkInt(u.Count))
		}
		check("traffic.users.skew", skewRange.check(u.Skew))
		if s := cfg.Traffic.Scale; scaled && u.Count >= 1 && float64(u.Count)/s < 0.5 {
			check("traffic.users.count", fmt.Errorf("%d people at traffic.scale %s leave no simulated person (count / scale rounds to 0): at least %s people", u.Count, plain.written(s), plain.format(math.Ceil(s/2))))
		}
		slots = len(cfg.Bidders)
	}
	for i := range cfg.Bidders {
		if o := cfg.Bidders[i].Outcome; o != nil {
			p := fmt.Sprintf("bidders[%d].outcome", i)
			if o.ConversionPeriod != 0 {
				if u == nil {
					check(p+".conversion_period", errNeedsPeople)
				} else {
					check(p+".conversion_period", perRange.check(float64(o.ConversionPeriod)))
				}
			}
			switch o.HoldoutUnit {
			case HoldoutDefault, HoldoutByRequest:
			case HoldoutByPerson:
				if u == nil {
					check(p+".holdout.unit", errors.New("person needs people: set traffic.users, or write unit: request"))
				}
			default:
				check(p+".holdout.unit", fmt.Errorf("unknown holdout unit %d", o.HoldoutUnit))
			}
			if u != nil {
				slots += 2 // the person's last conversion, and without the ad (withoutAd)
				if o.Holdout > 0 && o.UnitIn(true) == HoldoutByPerson {
					slots += holdoutWords
				}
			}
		}
		c := cfg.Bidders[i].FrequencyCap
		if c == nil {
			continue
		}
		p := fmt.Sprintf("bidders[%d].frequency_cap", i)
		if u == nil {
			check(p, errNeedsPeople)
			continue
		}
		if field, err := checkCap(c); err != nil {
			check(p+"."+field, err)
			continue
		}
		slots += c.Impressions
	}
	if u != nil && u.Count >= 1 && float64(simulatedPeople(u.Count, cfg.Traffic.scale())) <= MaxUsers {
		if sp := simulatedPeople(u.Count, cfg.Traffic.scale()); float64(sp)*float64(slots) > MaxPersonSlots {
			check("traffic.users.count", fmt.Errorf("%d simulated people × (%d bidders + 2 per bidder with an outcome + 1 per holdout by person + the caps' impressions) = %.0f per-person slots, more than %d, the most kept in memory: fewer people or lower caps",
				sp, len(cfg.Bidders), float64(sp)*float64(slots), MaxPersonSlots))
		}
	}
	return errs
}

// simulatedPeople is the people a world of count people simulates at
// traffic scale s: count / s, rounded, so that each simulated person
// makes as many requests as a real one and frequencies are kept.
func simulatedPeople(count int, s float64) int {
	return max(int(math.Round(float64(count)/s)), 1)
}

// personWeights is each simulated person's share of the requests, not
// normalised, for u at traffic scale s (nil when uniform): simulated
// person j stands for the people ranked ⌊(j−1)·count/m⌋+1 … ⌊j·count/m⌋
// of the m simulated and draws the sum of their k^−skew, so that it makes
// 1 in s of their requests, as many as their mean person. A Zipf law over
// the m people (as before) gives the tail too large a share, by about
// s^(skew−1) × H(count)/H(m): at skew 1, 20,000 people and scale 2
// (split's thinned runs), 4–5% more people reached than in the whole
// world. The mean of a block in place of its sum would be wrong too where
// count is not a multiple of s: a block of 1 among blocks of 2 would take
// a share from the others (6% fewer reached at 20,001 people). Left are
// the spread of the rates within a block, negligible, and, where count is
// not m × s, fewer than s/2 people counted too many or too few. At scale
// 1 it is k^−skew person by person.
func personWeights(u *Users, s float64) []float64 {
	if u.Skew == 0 {
		return nil
	}
	count := int64(u.Count)
	m := int64(simulatedPeople(u.Count, s))
	w := make([]float64, m)
	lo := int64(1)
	for j := range m {
		// count ≤ MaxUsers × MaxScale and j < MaxUsers: no overflow.
		hi := (j + 1) * count / m
		w[j] = zipfSum(lo, hi, u.Skew)
		lo = hi + 1
	}
	return w
}

// zipfSum is Σ k^−skew over k = a … b (1 ≤ a ≤ b): term by term where
// the terms are few or among the first 64, beyond by the Euler–Maclaurin
// formula to its k^−skew−3 term, whose error there is below 10⁻⁸ of the
// sum for any skew up to MaxUserSkew, so that a block of a million
// people at a large scale costs no more than one.
func zipfSum(a, b int64, skew float64) float64 {
	const exact, few = 64, 4
	sum := 0.0
	k := a
	for ; k <= b && (k < exact || b-a < few); k++ {
		sum += math.Pow(float64(k), -skew)
	}
	if k > b {
		return sum
	}
	x, y := float64(k), float64(b)
	fx, fy := math.Pow(x, -skew), math.Pow(y, -skew)
	// ∫ₓʸ t^−skew dt, from log(y/x) = log1p((y−x)/x), exact when y is
	// near x.
	l := math.Log1p((y - x) / x)
	integral := x * fx * l
	if c := 1 - skew; c != 0 {
		integral = x * fx * math.Expm1(c*l) / c
	}
	// f' = −skew·f/t and f''' = −skew(skew+1)(skew+2)·f/t³, with the
	// Bernoulli weights B₂/2! = 1/12 and B₄/4! = −1/720.
	d1 := -skew * (fy/y - fx/x)
	d3 := -skew * (skew + 1) * (skew + 2) * (fy/(y*y*y) - fx/(x*x*x))
	return sum + integral + (fx+fy)/2 + d1/12 - d3/720
}

// people draws the person of each ad request.
type people struct {
	n uint64
	r *rand.Rand
	// tab is the alias method's table (Vose), one word a column: keep
	// the column when the coin's 32 bits are below the high half, else
	// take the column in the low half; nil when uniform. One word, so
	// that a draw misses the cache once.
	tab []uint64
	// The draws run ahead, the same numbers in the same order: ahead is
	// the next ad request's person, whose row the engine fetches while
	// this request runs (prefetch), and next the number of the one after,
	// whose table word is fetched meanwhile.
	ahead uint32
	next  uint64
	// stands is how many people a simulated one stands for on average,
	// count / n: the blocks of personWeights, ⌊count/n⌋ or ⌈count/n⌉
	// people each. Not the scale, which differs from it where count is
	// not n × scale.
	stands float64
}

// newPeople builds the draw for u at traffic scale s, on the engine's own
// stream for people: simulatedPeople(u.Count, s) of them, each drawing
// the share of the requests of the people it stands for (personWeights).
func newPeople(seed uint64, u *Users, s float64) *people {
	n := simulatedPeople(u.Count, s)
	p := &people{n: uint64(n), r: newStream(seed, "traffic/people"), stands: float64(u.Count) / float64(n)}
	defer p.start() // once the table is built
	w := personWeights(u, s)
	if w == nil {
		return p
	}
	sum := 0.0
	for _, x := range w {
		sum += x
	}
	prob, alias := make([]float64, n), make([]uint32, n)
	small, large := make([]int32, 0, n), make([]int32, 0, n)
	for k := range w {
		w[k] *= float64(n) / sum
		if w[k] < 1 {
			small = append(small, int32(k))
		} else {
			large = append(large, int32(k))
		}
	}
	for len(small) > 0 && len(large) > 0 {
		s, l := small[len(small)-1], large[len(large)-1]
		small = small[:len(small)-1]
		prob[s], alias[s] = w[s], uint32(l)
		w[l] -= 1 - w[s]
		if w[l] < 1 {
			large = large[:len(large)-1]
			small = append(small, l)
		}
	}
	// What is left is 1 up to rounding.
	for _, k := range large {
		prob[k], alias[k] = 1, uint32(k)
	}
	for _, k := range small {
		prob[k], alias[k] = 1, uint32(k)
	}
	p.tab = make([]uint64, n)
	for k := range n {
		// The coin is 32 bits: a column's probability is kept to 2⁻³².
		thr := min(math.Round(prob[k]*(1<<32)), 1<<32-1)
		p.tab[k] = uint64(thr)<<32 | uint64(alias[k])
	}
	return p
}

// draw is the next ad request's person, 1 … n: one 64-bit draw gives the
// column (its high product word) and the coin (the top of its low word).
func (p *people) draw() uint32 {
	person := p.ahead
	p.ahead = p.of(p.next)
	p.next = p.r.Uint64()
	if p.tab != nil {
		h, _ := bits.Mul64(p.next, p.n)
		prefetch(&p.tab[h])
	}
	return person
}

// start draws the first two numbers ahead.
func (p *people) start() {
	p.ahead = p.of(p.r.Uint64())
	p.next = p.r.Uint64()
}

// of is the person the number x draws.
func (p *people) of(x uint64) uint32 {
	hi, lo := bits.Mul64(x, p.n)
	if p.tab != nil {
		if e := p.tab[hi]; lo>>32 >= e>>32 {
			hi = e & (1<<32 - 1)
		}
	}
	return uint32(hi) + 1
}

// clone copies the stream; the tables never change and are shared.
func (p *people) clone() *people {
	c := *p
	c.r = cloneStream(p.r)
	return &c
}

// startPeople draws people and tracks each bidder's impressions per
// person when the world has people.
func (e *Engine) startPeople(cfg Config) {
	u := cfg.Traffic.Users
	if u == nil {
		return
	}
	n := simulatedPeople(u.Count, e.scale)
	e.people = newPeople(cfg.Seed, u, e.scale)
	caps := make([]*FrequencyCap, len(e.bidders))
	conv := make([]bool, len(e.bidders))
	hold := make([]bool, len(e.bidders))
	freqs := make([]*frequency, len(e.bidders))
	for i := range e.bidders {
		caps[i] = cfg.Bidders[i].FrequencyCap
		freqs[i] = &frequency{}
		if o := cfg.Bidders[i].Outcome; o != nil {
			conv[i], freqs[i].period = true, o.ConversionPeriod
			e.bidders[i].wo = newWithoutAd(n)
		}
		if h := e.bidders[i].hold; h != nil && cfg.Bidders[i].Outcome.UnitIn(true) == HoldoutByPerson {
			h.byPerson(cfg.Seed, cfg.Bidders[i].Name)
			hold[i] = true
		}
		e.bidders[i].freq = freqs[i]
	}
	newPersonTable(n, caps, conv, hold, freqs)
}

// clonePeople gives the clone c its own copy of the people's table, its
// bidders' frequencies pointing into it.
func (e *Engine) clonePeople(c *Engine) {
	c.people = e.people.clone()
	t := *e.bidders[0].freq.tab
	t.rows = append([]uint64(nil), t.rows...)
	for i := range c.bidders {
		f := *e.bidders[i].freq
		f.tab = &t
		c.bidders[i].freq = &f
	}
}
