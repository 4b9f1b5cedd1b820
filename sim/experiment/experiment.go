// Package experiment runs replications of a simulation in parallel and
// aggregates their metrics into statistics, with results that do not
// depend on the number of workers, on the order items finish in, or on how
// the work is split into shards.
//
// An experiment is a grid of (point, replication) items. A point is one
// configuration (a compare has two: baseline and variant; a sweep one per
// combination of the varied values); a replication is one independent run.
// Item index i is replication i / Points of point i % Points, so every
// point of a replication runs with the same seed (common random numbers)
// and replications extend the grid at its end. Items are aggregated in
// index order, so floating-point sums add up identically every time.
//
// On this grid the package builds the experiments of the command line,
// typed specs in and typed results out, with no I/O: a Point is a world
// (sim.Config and its stop) and Measure one replication of it, its metrics
// read from sim's metric catalogue; a Job (a Spec, the description that
// shard files carry, and its points) runs with Replicate, ReplicateUntil
// (sequential precision) or WriteShard, and shards merge with
// MergeShards; NewComparison and NewSweepResult read a Result for compare
// and sweep; the split package searches a group's budget split. Parsing
// scenarios and writing files are the caller's.
package experiment

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/auctionsim/auctionsim/sim/stats"
)

// Values are one replication's metrics by name ("exchange.revenue").
type Values = map[string]float64

// Func runs replication seed of point and returns its metrics. It should
// return promptly with ctx's error once ctx is done.
type Func func(ctx context.Context, point int, seed uint64) (Values, error)

// Seed returns replication rep's seed for an experiment seeded base: the
// rep-th output of the SplitMix64 generator started at base (Steele, Lea &
// Flood, 2014), that is mix(base + (rep+1)·0x9E3779B97F4A7C15) with
// SplitMix64's finalizer as mix. Neighbouring replications and
// neighbouring base seeds get unrelated seeds, and a replication's seed
// depends only on (base, rep): never on workers, order or sharding.
func Seed(base uint64, rep int) uint64 {
	z := base + (uint64(rep)+1)*0x9E3779B97F4A7C15
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// Item is one (point, replication) of the grid with its metrics.
type Item struct {
	Index  int // Rep·Points + Point
	Point  int
	Rep    int
	Values Values
}

// Experiment is a grid of points run over replications.
type Experiment struct {
	Points  int    // configurations; ≥ 1
	Seed    uint64 // base seed, mixed with the replication number
	Workers int    // replications run at once; < 1 means 1
	Run     Func
	// Paired adds, for every point p > 0, the statistics of the paired
	// differences point p − point 0 (see Agg.Pair).
	Paired bool
	// KeepValues keeps every replication's values (Agg.KeepValues), so
	// that any two points can be compared paired afterwards (a sweep).
	KeepValues bool
	// Progress, if set, is called after each item is aggregated with the
	// items done and the items planned so far (from one goroutine).
	Progress func(done, total int)
	// Running, if set, is told the share done of each run in progress
	// (Measure reports it), for progress between the runs' ends.
	Running *Running
}

// Shard selects the K-th of N disjoint shares of the grid: the items whose
// index is K modulo N. The zero Shard is the whole grid.
type Shard struct{ K, N int }

// Whole reports whether s is the whole grid.
func (s Shard) Whole() bool { return s.N <= 1 }

// Has reports whether item index belongs to the share.
func (s Shard) Has(index int) bool { return s.Whole() || index%s.N == s.K }

// String is "K/N".
func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.K, s.N) }

// ParseShard reads "K/N" with 0 ≤ K < N (K counts from 0, as Slurm array
// indexes and Kubernetes completion indexes do).
func ParseShard(text string) (Shard, error) {
	var s Shard
	var extra string
	if n, _ := fmt.Sscanf(text+" x", "%d/%d %s", &s.K, &s.N, &extra); n != 3 || extra != "x" {
		return Shard{}, fmt.Errorf("%q is not a shard: want K/N, such as 0/8", text)
	}
	if s.N < 1 || s.K < 0 || s.K >= s.N {
		return Shard{}, fmt.Errorf("shard %s: want 0 ≤ K < N (K counts from 0)", text)
	}
	return s, nil
}

func (e *Experiment) check() error {
	if e.Points < 1 {
		return errors.New("experiment: no points")
	}
	if e.Run == nil {
		return errors.New("experiment: no replication function")
	}
	return nil
}

func (e *Experiment) workers() int { return max(e.Workers, 1) }

// newAgg is the experiment's empty aggregate.
func (e *Experiment) newAgg() *Agg { return newAgg(e.Points, e.Paired, e.KeepValues) }

// newAgg is an empty aggregate of points points, paired (NewAgg) and
// keeping every value (KeepValues) as asked: a run's and a merge's of the
// same experiment are made alike.
func newAgg(points int, paired, keep bool) *Agg {
	agg := NewAgg(points, paired)
	if keep {
		agg.KeepValues()
	}
	return agg
}

// Replicate runs reps replications of every point and aggregates them.
// When ctx is done it stops and returns the aggregate of the whole
// replications completed so far (a replication counts only when every
// point of it and of every earlier replication is done) with ctx's error.
func (e *Experiment) Replicate(ctx context.Context, reps int) (*Agg, error) {
	agg := e.newAgg()
	err := e.extend(ctx, agg, reps, reps)
	return agg, err
}

// Until runs replications in batches until enough reports that the
// aggregate suffices or maxReps is reached: first reps, then batches of
// max(first, n/2) more, deciding only at batch boundaries, so that the
// number reached depends only on the results, never on the workers. Like
// Replicate it returns what completed when ctx is done.
func (e *Experiment) Until(ctx context.Context, first, maxReps int, enough func(*Agg) bool) (*Agg, error) {
	agg := e.newAgg()
	batches := Batches(first, maxReps)
	last := batches[len(batches)-1]
	for _, n := range batches {
		if err := e.extend(ctx, agg, n, last); err != nil {
			return agg, err
		}
		if n >= last || enough(agg) {
			break
		}
	}
	return agg, nil
}

// Batches are the replications Until has run at the end of each of its
// batches, where it decides whether to go on: first (at least 2), then
// max(first, n/2) more at a time, up to maxReps (at least first), the
// last. Progress reads them to say how long the rule takes if it stops
// at the batch in progress.
func Batches(first, maxReps int) []int {
	first = max(first, 2)
	maxReps = max(maxReps, first)
	var out []int
	for n := first; ; n = min(maxReps, n+max(first, n/2)) {
		out = append(out, n)
		if n >= maxReps {
			return out
		}
	}
}

// extend runs replications agg.Reps() … reps−1 into agg; planned is the
// most replications expected, for progress.
func (e *Experiment) extend(ctx context.Context, agg *Agg, reps, planned int) error {
	if err := e.check(); err != nil {
		return err
	}
	from := agg.Reps() * e.Points
	to := reps * e.Points
	total := planned * e.Points
	return e.run(ctx, from, to, Shard{}, func(it Item) error {
		agg.Add(it)
		if e.Progress != nil {
			e.Progress(it.Index+1, total)
		}
		return nil
	})
}

// RunShard runs the items of reps replications that belong to shard and
// calls emit with each, in index order. When ctx is done it returns its
// error after emitting a contiguous prefix of the shard's items.
func (e *Experiment) RunShard(ctx context.Context, reps int, shard Shard, emit func(Item) error) error {
	if err := e.check(); err != nil {
		return err
	}
	total := ShardSize(reps*e.Points, shard)
	done := 0
	return e.run(ctx, 0, reps*e.Points, shard, func(it Item) error {
		if err := emit(it); err != nil {
			return err
		}
		done++
		if e.Progress != nil {
			e.Progress(done, total)
		}
		return nil
	})
}

// ShardSize is how many of items 0 … items−1 belong to shard.
func ShardSize(items int, shard Shard) int {
	if shard.Whole() {
		return items
	}
	n := items / shard.N
	if shard.K < items%shard.N {
		n++
	}
	return n
}

// run evaluates the items from … to−1 of shard on the workers and emits
// them in index order. Workers take items in index order and at most
// window items may be out (running or finished but not yet emitted), so
// the reorder buffer, and memory, stays bounded whatever the number of
// items.
func (e *Experiment) run(ctx context.Context, from, to int, shard Shard, emit func(Item) error) error {
	// The shard's j-th item is start + j·N: arithmetic, so that memory
	// does not grow with the number of items.
	start, step, count := from, 1, to-from
	if !shard.Whole() {
		start = from + ((shard.K-from%shard.N)%shard.N+shard.N)%shard.N
		step = shard.N
		count = 0
		if start < to {
			count = (to-start-1)/step + 1
		}
	}
	index := func(j int) int { return start + j*step }
	if count <= 0 {
		return ctx.Err()
	}
	workers := min(e.workers(), count)
	window := 2 * workers

	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		j   int
		v   Values
		err error
	}
	jobs := make(chan int)
	results := make(chan result, window)
	tokens := make(chan struct{}, window)
	go func() {
		defer close(jobs)
		for j := range count {
			select {
			case tokens <- struct{}{}:
			case <-runCtx.Done():
				return
			}
			select {
			case jobs <- j:
			case <-runCtx.Done():
				return
			}
		}
	}()
	done := make(chan struct{})
	for w := range workers {
		go func() {
			defer func() { done <- struct{}{} }()
			ctx := withShare(runCtx, e.Running.share(w))
			for j := range jobs {
				if err := runCtx.Err(); err != nil {
					results <- result{j: j, err: err}
					continue
				}
				i := index(j)
				v, err := e.Run(ctx, i%e.Points, Seed(e.Seed, i/e.Points))
				e.Running.end(w, err == nil)
				if err != nil {
					err = fmt.Errorf("point %d, replication %d: %w", i%e.Points, i/e.Points, err)
				}
				results <- result{j: j, v: v, err: err}
			}
		}()
	}
	go func() {
		for range workers {
			<-done
		}
		close(results)
	}()

	pending := make(map[int]result, window)
	next := 0
	var firstErr error
	for r := range results {
		if r.err != nil {
			// The first real error wins; the errors cancelling causes
			// in the other workers are not the cause.
			if firstErr == nil && ctx.Err() == nil && !errors.Is(r.err, context.Canceled) {
				firstErr = r.err
			}
			cancel()
			continue
		}
		if firstErr != nil || runCtx.Err() != nil {
			continue
		}
		pending[r.j] = r
		for {
			p, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			i := index(next)
			if err := emit(Item{Index: i, Point: i % e.Points, Rep: i / e.Points, Values: p.v}); err != nil {
				firstErr = err
				cancel()
				break
			}
			next++
			<-tokens
		}
	}
	if firstErr != nil {
		return firstErr
	}
	if next < count {
		return ctx.Err()
	}
	return nil
}

// Agg aggregates items, fed in index order, into statistics per point and
// metric. It holds one replication's items at a time: a replication's
// values are added only when all its points are in, so the statistics
// always describe whole replications.
type Agg struct {
	points  int
	paired  bool
	reps    int
	acc     []map[string]*stats.Acc
	pairs   []map[string]*stats.Pair // [p] for p > 0: point p − point 0
	current []Values
	have    int
	// sat counts, by point and metric, the replications in which the
	// metric saturated (SaturatedPrefix).
	sat []map[string]int
	// values, when kept (KeepValues), are every replication's value of
	// each metric by point, NaN where a replication gave none: for paired
	// differences between any two points (PairedDiff).
	values []map[string][]float64
}

// KeepValues makes a keep every replication's values from now on, for
// PairedDiff; call it before the first Add. It costs a number per point,
// metric and replication: for a sweep, which keeps only its few metrics.
func (a *Agg) KeepValues() {
	a.values = make([]map[string][]float64, a.points)
	for p := range a.values {
		a.values[p] = map[string][]float64{}
	}
}

// PairedDiff is the statistic of metric name at point to less at point
// from, paired replication by replication (the same seeds: common random
// numbers), over the replications where both are finite; ok is false
// unless the values were kept (KeepValues) and both points have them.
func (a *Agg) PairedDiff(from, to int, name string) (stats.Stat, bool) {
	p, ok := a.PairOf(from, to, name)
	if !ok {
		return stats.Stat{}, false
	}
	return p.Diff.Stat(), true
}

// PairOf is PairedDiff's pair: point from as A, point to as B, and Diff
// B − A, over the replications where both are finite; ok as PairedDiff's.
func (a *Agg) PairOf(from, to int, name string) (*stats.Pair, bool) {
	if a.values == nil || from < 0 || to < 0 || from >= a.points || to >= a.points {
		return nil, false
	}
	xs, ok1 := a.values[from][name]
	ys, ok2 := a.values[to][name]
	if !ok1 || !ok2 {
		return nil, false
	}
	var p stats.Pair
	for r := range min(len(xs), len(ys)) {
		p.Add(xs[r], ys[r])
	}
	return &p, true
}

// NewAgg returns an empty aggregate of points points; paired adds the
// paired differences of every point p > 0 against point 0.
func NewAgg(points int, paired bool) *Agg {
	a := &Agg{points: points, paired: paired, current: make([]Values, points), sat: make([]map[string]int, points)}
	a.acc = make([]map[string]*stats.Acc, points)
	a.pairs = make([]map[string]*stats.Pair, points)
	for p := range points {
		a.acc[p] = map[string]*stats.Acc{}
		a.pairs[p] = map[string]*stats.Pair{}
	}
	return a
}

// Add adds one item. Items must come in index order, starting at
// replication Reps(), point 0.
func (a *Agg) Add(it Item) {
	if it.Rep != a.reps || it.Point != a.have {
		panic(fmt.Sprintf("experiment: item %d (point %d, replication %d) out of order: want point %d of replication %d",
			it.Index, it.Point, it.Rep, a.have, a.reps))
	}
	a.current[it.Point] = it.Values
	a.have++
	if a.have < a.points {
		return
	}
	for p, vals := range a.current {
		for name := range vals {
			if m, ok := strings.CutPrefix(name, SaturatedPrefix); ok {
				if a.sat[p] == nil {
					a.sat[p] = map[string]int{}
				}
				a.sat[p][m]++
			}
		}
		// Sorted names: the same additions in the same order every time.
		for _, name := range slices.Sorted(maps.Keys(vals)) {
			if strings.HasPrefix(name, SaturatedPrefix) {
				continue // a mark, not a metric to average
			}
			acc := a.acc[p][name]
			if acc == nil {
				acc = &stats.Acc{}
				a.acc[p][name] = acc
			}
			acc.Add(vals[name])
			if a.values != nil {
				xs, ok := a.values[p][name]
				if !ok {
					xs = slices.Repeat([]float64{math.NaN()}, a.reps)
				}
				a.values[p][name] = append(xs, vals[name])
			}
		}
		if a.values != nil {
			// Each kept metric gets a value every replication, NaN where
			// the point gave none, so replication r is index r at every
			// point.
			for name, xs := range a.values[p] {
				if len(xs) == a.reps {
					a.values[p][name] = append(xs, math.NaN())
				}
			}
		}
	}
	if a.paired {
		base := a.current[0]
		for p := 1; p < a.points; p++ {
			for _, name := range slices.Sorted(maps.Keys(a.current[p])) {
				b, ok := base[name]
				if !ok || strings.HasPrefix(name, SaturatedPrefix) {
					continue
				}
				pr := a.pairs[p][name]
				if pr == nil {
					pr = &stats.Pair{}
					a.pairs[p][name] = pr
				}
				pr.Add(b, a.current[p][name])
			}
		}
	}
	clear(a.current)
	a.have = 0
	a.reps++
}

// Saturation is a metric that saturated (SaturatedPrefix) in Reps of a
// point's replications: its mean there is too low.
type Saturation struct {
	Point  int
	Metric string
	Reps   int
}

// Saturated lists the metrics that saturated in any replication, by point
// and name; nil when none did.
func (a *Agg) Saturated() []Saturation {
	var out []Saturation
	for p, m := range a.sat {
		for _, name := range slices.Sorted(maps.Keys(m)) {
			out = append(out, Saturation{Point: p, Metric: name, Reps: m[name]})
		}
	}
	return out
}

// SaturatedAt names, sorted, the metrics that saturated in any of point's
// replications; nil when none did. A run's JSON "saturated" names its
// own the same way (sim.Snapshot.Saturated).
func (a *Agg) SaturatedAt(point int) []string {
	if point < 0 || point >= len(a.sat) || len(a.sat[point]) == 0 {
		return nil
	}
	return slices.Sorted(maps.Keys(a.sat[point]))
}

// SaturatedNames names, sorted, the metrics that saturated in any
// replication of any point; nil when none did.
func (a *Agg) SaturatedNames() []string {
	names := map[string]bool{}
	for _, m := range a.sat {
		for name := range m {
			names[name] = true
		}
	}
	return slices.Sorted(maps.Keys(names))
}

// Points is the number of points.
func (a *Agg) Points() int { return a.points }

// Reps is the number of whole replications aggregated.
func (a *Agg) Reps() int { return a.reps }

// Metrics lists point's metric names, sorted.
func (a *Agg) Metrics(point int) []string { return slices.Sorted(maps.Keys(a.acc[point])) }

// Stat returns point's statistic of metric name; ok is false when no
// replication reported it.
func (a *Agg) Stat(point int, name string) (stats.Stat, bool) {
	acc, ok := a.acc[point][name]
	if !ok {
		return stats.Stat{}, false
	}
	return acc.Stat(), true
}

// Pair returns the paired statistics of metric name between point 0 and
// point p > 0 (A: point 0, B: point p, Diff: p − 0); nil when the metric
// is not in both or the aggregate is not paired.
func (a *Agg) Pair(p int, name string) *stats.Pair {
	if p <= 0 || p >= a.points {
		return nil
	}
	return a.pairs[p][name]
}
