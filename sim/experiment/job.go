package experiment

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"runtime"
	"strings"
	"time"

	"github.com/auctionsim/auctionsim/sim/stats"
)

// Job is an experiment ready to run: its description and its points as
// the engine runs them (Spec.Points, parsed, in order).
type Job struct {
	Spec    *Spec
	Points  []Point
	Workers int // replications run at once; < 1 means 1; capped by Cap
	// Budget is the memory the workers' engines may hold together (see
	// MaxWorkers); 0 means MemoryBudget.
	Budget float64
	// Progress, if set, is called with the items done and planned (see
	// Experiment.Progress).
	Progress func(done, total int)
	// Running, if set, is told how far the runs in progress are (see
	// Experiment.Running).
	Running *Running
}

// Cap is how many replications the job runs at once: Workers, capped by
// MaxWorkers for its points, its Budget and GOMAXPROCS. capped reports
// that Workers was more, and why says by which bound.
func (j *Job) Cap() (workers int, capped bool, why string) {
	budget := j.Budget
	if budget <= 0 {
		budget = MemoryBudget
	}
	limit, why := MaxWorkers(j.Points, budget, runtime.GOMAXPROCS(0))
	w := max(j.Workers, 1)
	if w > limit {
		return limit, true, why
	}
	return w, false, ""
}

// Result is an experiment that has run, or been merged from shards.
type Result struct {
	Spec *Spec // Reps: the whole replications aggregated
	Agg  *Agg
	// Partial: the run was cut short, and Agg holds the whole
	// replications completed before.
	Partial bool
	// Decided is, for compare --precision, how many replications the
	// stopping rule ran; Agg holds as many fresh ones (ReplicateUntil).
	Decided int
	// Wall is the real time it took, set by the caller, who owns the
	// clock.
	Wall time.Duration
}

// experiment is the job's grid: every point measured with Measure. A
// sweep keeps only the metrics it reports: its grid may be large, and
// the aggregate holds an accumulator per point and metric.
func (j *Job) experiment() *Experiment {
	var keep []string
	if j.Spec.Command == "sweep" {
		keep = j.Spec.Metrics
	}
	workers, _, _ := j.Cap()
	return &Experiment{
		Points:     len(j.Points),
		Seed:       j.Spec.Seed,
		Workers:    workers,
		Paired:     j.Spec.Paired(),
		KeepValues: j.Spec.KeepsValues(),
		Run: func(ctx context.Context, point int, seed uint64) (Values, error) {
			vals, err := Measure(ctx, j.Points[point], seed)
			if err != nil || keep == nil {
				return vals, err
			}
			out := make(Values, len(keep))
			for _, name := range keep {
				if x, ok := vals[name]; ok {
					out[name] = x
				}
			}
			for name, x := range vals {
				if strings.HasPrefix(name, SaturatedPrefix) {
					out[name] = x // the warning, whatever is kept
				}
			}
			return out, nil
		},
		Progress: j.Progress,
		Running:  j.Running,
	}
}

// Replicate runs the job's Spec.Reps replications of every point (run
// --reps, compare, sweep). When ctx is done it returns the whole
// replications completed so far, Partial, with ctx's error; any other
// error ends the experiment with no result.
func Replicate(ctx context.Context, j *Job) (*Result, error) {
	agg, err := j.experiment().Replicate(ctx, j.Spec.Reps)
	return j.result(ctx, agg, err)
}

// ReplicateUntil is compare's sequential precision: replications in
// batches (see Experiment.Until) until the paired difference of metric
// has a 95% half-width within target (a fraction) of the baseline's mean,
// or maxReps; then as many fresh replications (Experiment.UntilFresh),
// whose statistics it returns, with Decided the number the rule reached.
func ReplicateUntil(ctx context.Context, j *Job, metric string, target float64, maxReps int) (*Result, error) {
	enough := func(a *Agg) bool {
		p := a.Pair(1, metric)
		if p == nil {
			return false
		}
		if BaselineZero(p.A.Stat()) {
			// No share of 0 can be reached: more replications would
			// run to maxReps for nothing (the table says why).
			return true
		}
		return p.Diff.Stat().HalfWidth() <= target*math.Abs(p.A.Mean())
	}
	agg, decided, err := j.experiment().UntilFresh(ctx, j.Spec.Reps, maxReps, enough)
	res, err := j.result(ctx, agg, err)
	if res != nil {
		res.Decided = decided
	}
	return res, err
}

// BaselineZero reports whether a baseline statistic was 0 in every
// replication, leaving a relative precision target (a share of its mean)
// out of reach.
func BaselineZero(s stats.Stat) bool { return s.N > 0 && s.Mean == 0 && s.SD == 0 }

func (j *Job) result(ctx context.Context, agg *Agg, err error) (*Result, error) {
	res := &Result{Spec: j.Spec, Agg: agg}
	switch {
	case err != nil && ctx.Err() != nil:
		res.Partial = true
	case err != nil:
		return nil, err
	}
	res.Spec.Reps = agg.Reps()
	return res, err
}

// WriteShard runs the items of the job's grid that belong to shard and
// writes them, as a shard file with the job's Spec in its header, to w.
// When ctx is done it ends the file marked partial (merge refuses it) and
// reports interrupted; err is any other failure.
func WriteShard(ctx context.Context, j *Job, shard Shard, w io.Writer) (interrupted bool, err error) {
	spec, err := json.Marshal(j.Spec)
	if err != nil {
		return false, err
	}
	sw, err := NewShardWriter(w, ShardHeader{K: shard.K, N: shard.N, Points: len(j.Points), Reps: j.Spec.Reps, Spec: spec})
	if err != nil {
		return false, err
	}
	runErr := j.experiment().RunShard(ctx, j.Spec.Reps, shard, sw.Write)
	if runErr != nil && ctx.Err() == nil {
		return false, runErr
	}
	return runErr != nil, sw.Close(runErr != nil)
}

// MergeShards merges the shard files of one experiment (see Merge) into
// its result, exactly the unsharded one. check, if set, may refuse the
// experiment once its description is read, before any item is.
func MergeShards(inputs []ShardInput, check func(*Spec) error) (*Result, error) {
	res := &Result{Spec: &Spec{}}
	begin := func(h ShardHeader) error {
		spec := res.Spec
		first := inputs[0].Name
		if err := json.Unmarshal(h.Spec, spec); err != nil {
			return fmt.Errorf("%s: the shard's experiment does not read: %w", first, err)
		}
		if len(spec.Points) != h.Points {
			return fmt.Errorf("%s: the shard's experiment has %d points, its header %d", first, len(spec.Points), h.Points)
		}
		switch spec.Command {
		case "run", "compare", "sweep":
		default:
			return fmt.Errorf("%s: a shard of %q, which merge does not know", first, spec.Command)
		}
		if check != nil {
			if err := check(spec); err != nil {
				return err
			}
		}
		spec.Reps = h.Reps
		res.Agg = newAgg(h.Points, spec.Paired(), spec.KeepsValues()) // as the job's Experiment makes it
		return nil
	}
	if _, err := Merge(inputs, begin, func(it Item) error { res.Agg.Add(it); return nil }); err != nil {
		return nil, err
	}
	return res, nil
}
