package sim

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/auctionsim/auctionsim/sim/stats"
)

// Metric is one cumulative quantity of a run, read from its snapshot
// (revenue, a bidder's spend, a group's incremental value): what an
// interval contributed is its change over the interval. A Fork hands Of a
// counters-only snapshot (Counters): read counters, not latencies, series
// or recent auctions.
type Metric struct {
	Name string // flat name, such as "groups.acme.incremental_value"
	Of   func(*Snapshot) float64
}

// Counters is a cheap snapshot for comparisons taken every interval: the
// exchange's and the bidders' counters, budgets and groups as Snapshot
// has them, without latency summaries, series, recent auctions or change
// log, whose copies cost far more (TestCounters checks every metric reads
// the same from both).
func (e *Engine) Counters() *Snapshot {
	s := &Snapshot{Name: e.name, Seed: e.seed, Now: e.now, Events: e.events, Exchange: e.x,
		Bidders: make([]BidderStats, len(e.bidders))}
	for i := range e.bidders {
		st := e.bidders[i].counters()
		s.Bidders[i] = st
		s.Exchange.Late += st.Late
		s.Exchange.Bids += st.Bids
	}
	s.Groups = groupStats(s.Bidders)
	return s
}

// exchangeMetrics, bidderMetrics and groupMetrics are the cumulative
// quantities MetricNamed knows, by the last part of their flat name.
var (
	exchangeMetrics = map[string]func(*ExchangeStats) float64{
		"revenue":      func(x *ExchangeStats) float64 { return x.Revenue.Float() },
		"revenue_lost": func(x *ExchangeStats) float64 { return x.RevenueLost.Float() },
		"auctions":     func(x *ExchangeStats) float64 { return float64(x.Auctions) },
		"filled":       func(x *ExchangeStats) float64 { return float64(x.Filled) },
		"timeouts":     func(x *ExchangeStats) float64 { return float64(x.Late) },
		"value":        func(x *ExchangeStats) float64 { return x.Value.Float() },

		// What waiting costs (issue 18): the revenue of the impressions
		// rendered, and the impressions lost to people who left.
		"net_revenue": func(x *ExchangeStats) float64 { return x.NetRevenue().Float() },
		"abandoned":   func(x *ExchangeStats) float64 { return float64(x.Abandoned) },
	}
	bidderMetrics = map[string]func(*BidderStats) float64{
		"spend":                   func(b *BidderStats) float64 { return b.Spend.Float() },
		"wins":                    func(b *BidderStats) float64 { return float64(b.Wins) },
		"bids":                    func(b *BidderStats) float64 { return float64(b.Bids) },
		"late":                    func(b *BidderStats) float64 { return float64(b.Late) },
		"value":                   func(b *BidderStats) float64 { return b.Value.Float() },
		"clicks":                  func(b *BidderStats) float64 { return float64(b.Clicks) },
		"conversions":             func(b *BidderStats) float64 { return float64(b.Conversions + b.Organic) },
		"incremental_conversions": func(b *BidderStats) float64 { return float64(b.Conversions) },
		"attributed_value":        func(b *BidderStats) float64 { return b.ValueCaused + b.ValueOrgan },
		"incremental_value":       func(b *BidderStats) float64 { return b.ValueCaused },
	}
	groupMetrics = map[string]func(*GroupStats) float64{
		"spend":                   func(g *GroupStats) float64 { return g.Spend.Float() },
		"wins":                    func(g *GroupStats) float64 { return float64(g.Wins) },
		"conversions":             func(g *GroupStats) float64 { return float64(g.Conversions) },
		"incremental_conversions": func(g *GroupStats) float64 { return float64(g.IncrementalConversions) },
		"attributed_value":        func(g *GroupStats) float64 { return g.AttributedValue },
		"incremental_value":       func(g *GroupStats) float64 { return g.IncrementalValue },
	}
)

// MetricNamed resolves a flat metric name: exchange.M, bidders.NAME.M or
// groups.NAME.M, where M is a cumulative quantity (revenue, spend, wins,
// conversions, incremental_value, ...; the error lists them). A bidder or
// group missing from a snapshot reads as 0. Ratios such as ROAS are not
// metrics here: a per-interval difference of ratios has no paired
// meaning; compare their numerator and denominator instead.
func MetricNamed(name string) (Metric, error) {
	kind, rest, _ := strings.Cut(name, ".")
	switch kind {
	case "exchange":
		if f, ok := exchangeMetrics[rest]; ok {
			return Metric{name, func(s *Snapshot) float64 { return f(&s.Exchange) }}, nil
		}
		return Metric{}, fmt.Errorf("metric %q: exchange has %s", name, keys(exchangeMetrics))
	case "bidders":
		return memberMetric(name, kind, rest, bidderMetrics, (*Snapshot).FindBidder)
	case "groups":
		return memberMetric(name, kind, rest, groupMetrics, (*Snapshot).FindGroup)
	}
	return Metric{}, fmt.Errorf("metric %q: want exchange.M, bidders.NAME.M or groups.NAME.M", name)
}

// memberMetric resolves rest = NAME.M of a metric of kind bidders or
// groups: metric M of the member NAME, found in a snapshot by find.
func memberMetric[T any](name, kind, rest string, metrics map[string]func(*T) float64, find func(*Snapshot, string) (T, bool)) (Metric, error) {
	if i := strings.LastIndexByte(rest, '.'); i > 0 {
		who, m := rest[:i], rest[i+1:]
		if f, ok := metrics[m]; ok {
			return Metric{name, func(s *Snapshot) float64 {
				x, _ := find(s, who)
				return f(&x)
			}}, nil
		}
	}
	return Metric{}, fmt.Errorf("metric %q: want %s.NAME.M, M one of %s", name, kind, keys(metrics))
}

func keys[V any](m map[string]V) string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out) // the same message every time
	return strings.Join(out, ", ")
}

// ForkMetrics are the metrics a fork compares by default: the exchange's
// revenue, every group's spend, conversions and incremental value, and
// every bidder's spend, wins, conversions and incremental value.
func ForkMetrics(s *Snapshot) []Metric {
	names := []string{"exchange.revenue"}
	for _, g := range s.Groups {
		for _, m := range []string{"spend", "conversions", "incremental_value"} {
			names = append(names, "groups."+g.Name+"."+m)
		}
	}
	for _, b := range s.Bidders {
		for _, m := range []string{"spend", "wins", "conversions", "incremental_value"} {
			names = append(names, "bidders."+b.Name+"."+m)
		}
	}
	out := make([]Metric, len(names))
	for i, n := range names {
		out[i], _ = MetricNamed(n) // built from known parts
	}
	return out
}

// maxBatches is how many batches the paired intervals are grouped into:
// batch means over consecutive intervals are close to independent even
// when the intervals are not (pacing, delayed conversions), and 20 of them
// keep the t quantile near its limit.
const maxBatches = 20

// Paired compares two runs advanced in lock-step over the same virtual
// intervals, A the baseline and B the variant: for each metric it keeps
// the difference of what each interval contributed, B − A, and gives the
// mean difference per interval with a 95% interval from batch means
// (Student t). With common random numbers (B a Clone of A) the
// differences are far less noisy than either run.
type Paired struct {
	metrics      []Metric
	startA       []float64
	lastA, lastB []float64
	// Per metric, per interval: B − A, and each run's own contribution.
	diffs, as, bs [][]float64
}

// NewPaired starts a comparison at snapshots a and b, taken at the same
// virtual instant.
func NewPaired(a, b *Snapshot, metrics ...Metric) *Paired {
	n := len(metrics)
	p := &Paired{metrics: metrics, diffs: make([][]float64, n), as: make([][]float64, n), bs: make([][]float64, n)}
	p.lastA, p.lastB = p.read(a), p.read(b)
	p.startA = append([]float64(nil), p.lastA...)
	return p
}

func (p *Paired) read(s *Snapshot) []float64 {
	out := make([]float64, len(p.metrics))
	for i, m := range p.metrics {
		out[i] = m.Of(s)
	}
	return out
}

// Add ends an interval: a and b are the two runs' snapshots at its end,
// the same virtual instant. Intervals should be of equal length.
func (p *Paired) Add(a, b *Snapshot) {
	xa, xb := p.read(a), p.read(b)
	for i := range p.metrics {
		da, db := xa[i]-p.lastA[i], xb[i]-p.lastB[i]
		p.diffs[i] = append(p.diffs[i], db-da)
		p.as[i] = append(p.as[i], da)
		p.bs[i] = append(p.bs[i], db)
	}
	p.lastA, p.lastB = xa, xb
}

// Intervals is how many intervals have been added.
func (p *Paired) Intervals() int {
	if len(p.diffs) == 0 {
		return 0
	}
	return len(p.diffs[0])
}

// Differences returns each metric's comparison so far, in the order the
// metrics were given.
func (p *Paired) Differences() []Difference {
	out := make([]Difference, len(p.metrics))
	for i, m := range p.metrics {
		d := Difference{Name: m.Name, BatchMean: batchMeans(p.diffs[i]),
			Baseline: batchMeans(p.as[i]), Variant: batchMeans(p.bs[i])}
		d.A = p.lastA[i] - p.startA[i]
		d.B = d.A
		for _, x := range p.diffs[i] {
			d.B += x
		}
		out[i] = d
	}
	return out
}

// Difference is one metric's paired comparison: B − A per interval
// (the embedded BatchMean), beside each run's own mean per interval.
type Difference struct {
	Name string
	// A and B are what each run added since the comparison began.
	A, B float64
	BatchMean
	// Baseline and Variant are A's and B's own means per interval, each
	// with the interval its noise alone would give: what the paired
	// difference improves on.
	Baseline, Variant BatchMean
}

// BatchMean is the mean per interval of a series of intervals with its 95%
// interval from batch means.
type BatchMean struct {
	// N intervals were grouped into Batches batches; intervals after the
	// last full batch wait for the next one.
	N, Batches int
	// Mean is the mean per interval over the batched intervals; SD the
	// standard deviation of the batch means; Lo and Hi the 95% interval of
	// Mean (Student t with Batches − 1 degrees of freedom). NaN with
	// fewer than 2 batches.
	Mean, SD, Lo, Hi float64
}

// Distinguishable reports whether the 95% interval excludes 0: B differs
// from A beyond what chance explains.
func (d Difference) Distinguishable() bool { return d.Lo > 0 || d.Hi < 0 }

// Verdict says it in words: "B higher", "B lower" or "not distinguishable
// yet".
func (d Difference) Verdict() string {
	switch {
	case d.Lo > 0:
		return "B higher"
	case d.Hi < 0:
		return "B lower"
	}
	return "not distinguishable yet"
}

// Total is the difference since the comparison began, B − A, with the
// half-width of the mean's interval scaled to the N intervals counted.
func (d Difference) Total() Interval {
	diff, half := d.B-d.A, (d.Hi-d.Lo)/2*float64(d.N)
	return Interval{Mean: diff, Lo: diff - half, Hi: diff + half}
}

// batchMeans groups xs into at most maxBatches batches of equal size and
// returns the interval of their mean.
func batchMeans(xs []float64) BatchMean {
	nan := math.NaN()
	d := BatchMean{N: len(xs), Mean: nan, SD: nan, Lo: nan, Hi: nan}
	if len(xs) < 2 {
		return d
	}
	size := (len(xs) + maxBatches - 1) / maxBatches
	nb := len(xs) / size
	d.Batches = nb
	if nb < 2 {
		return d
	}
	means := make([]float64, nb)
	for k := range means {
		sum := 0.0
		for _, x := range xs[k*size : (k+1)*size] {
			sum += x
		}
		means[k] = sum / float64(size)
	}
	var acc stats.Acc
	for _, m := range means {
		acc.Add(m)
	}
	st := acc.Stat()
	d.Mean, d.SD, d.Lo, d.Hi = st.Mean, st.SD, st.Lo, st.Hi
	return d
}

// Fork runs a baseline A and a variant B of one world in lock-step and
// compares them every Every of virtual time. B starts as an exact Clone of
// A, so the two differ only by the changes applied to B. Batch means are
// honest once each batch spans the memory of the world (pacing
// controllers, conversion delays): with intervals of a second, after a
// hundred or so (TestPairedCoverage); before that, read the interval with
// care.
type Fork struct {
	A, B  *Engine
	Every Time
	next  Time
	p     *Paired
}

// NewFork forks e: A is e itself, B its clone. metrics nil compares
// ForkMetrics.
func NewFork(e *Engine, every Time, metrics []Metric) *Fork {
	if every <= 0 {
		every = DefaultInterval
	}
	b := e.Clone()
	sa, sb := e.Counters(), b.Counters()
	if metrics == nil {
		metrics = ForkMetrics(sa)
	}
	return &Fork{A: e, B: b, Every: every, next: e.Now() + every, p: NewPaired(sa, sb, metrics...)}
}

// Apply makes a change to B alone.
func (f *Fork) Apply(c Change) error { return f.B.Apply(c) }

// RunUntil runs both engines to virtual time t, adding a paired interval
// at every multiple of Every after the fork that it passes.
func (f *Fork) RunUntil(t Time) {
	for !f.RunSlice(t, math.MaxUint64) {
	}
}

// RunSlice runs both engines toward virtual time t, processing at most
// maxEvents events between them, and adds a paired interval at every
// boundary they both pass; it reports whether both now stand at t. A loop
// that must answer a person calls it in slices and checks a wall-clock
// deadline between them, as with Engine.RunStop; calling it again carries
// on exactly where it left off.
func (f *Fork) RunSlice(t Time, maxEvents uint64) bool {
	left := maxEvents
	for {
		target := min(t, f.next)
		for _, e := range [2]*Engine{f.A, f.B} {
			if !e.reached(target) {
				before := e.events
				e.runTo(target, math.MaxUint64, left)
				left -= e.events - before
				if !e.reached(target) {
					return false
				}
			}
		}
		if target == f.next {
			f.p.Add(f.A.Counters(), f.B.Counters())
			f.next += f.Every
		}
		if target == t {
			return true
		}
	}
}

// reached reports whether the engine has processed every event up to t;
// if so it sets the clock to t, as RunUntil does.
func (e *Engine) reached(t Time) bool {
	if e.nextTime() <= t {
		return false
	}
	e.RunUntil(t) // no event left before t: applies due replays, moves the clock
	return true
}

// Differences returns the comparison so far (see Paired.Differences).
func (f *Fork) Differences() []Difference { return f.p.Differences() }
