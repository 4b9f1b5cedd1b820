package report

// Running an experiment as its command does (run --reps, compare, sweep):
// the replications with progress, a cap on the workers, sequential
// precision, a shard into its file; and writing the result.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/experiment"
	"github.com/auctionsim/auctionsim/sim/experiment/split"
)

// ErrInterrupted is an experiment cut short before anything usable was
// made: no whole replication, or a shard that merge would refuse.
var ErrInterrupted = errors.New("interrupted")

// ExperimentRun is how an experiment is run.
type ExperimentRun struct {
	Spec         *experiment.Spec
	Workers      int
	WorkersGiven bool   // the workers were asked for (--workers), not the CPUs
	Shard        string // K/N: only that share, written to Out for merge
	Out          string
	// Metric and Target, when Target > 0, add replications until the
	// metric's difference is known within Target of the baseline mean,
	// at most MaxReps (experiment.ReplicateUntil).
	Metric   string
	Target   float64
	MaxReps  int
	Progress *Progress    // nil: no bar, no log
	Note     func(string) // what stderr is told as the run goes
}

// RunExperiment runs e: its replications into a result, or with a shard
// its share into the shard file (and no result). A result cut short by
// ctx is partial; ErrInterrupted when nothing usable was made, with the
// empty partial result (no replication) when the run itself was cut
// short, for a caller that reports even that (run --reps). A shard's
// bar is left for the caller to clear, after its messages.
func RunExperiment(ctx context.Context, e ExperimentRun) (*experiment.Result, error) {
	pts, err := Points(e.Spec)
	if err != nil {
		return nil, err
	}
	job := &experiment.Job{Spec: e.Spec, Points: pts, Workers: e.Workers, Progress: e.Progress.Runs}
	w, capped, why := job.Cap()
	kind := RunsExact
	if e.Target > 0 && e.Shard == "" {
		kind = RunsPrecise
	}
	e.Progress.Plan(w, kind)
	if kind == RunsPrecise {
		e.Progress.Rule(experiment.Batches(e.Spec.Reps, e.MaxReps), len(pts))
	}
	if capped {
		asked := fmt.Sprintf("--workers %d", e.Workers)
		if !e.WorkersGiven {
			asked = fmt.Sprintf("the default of %d workers (the CPUs)", e.Workers)
		}
		e.Note(fmt.Sprintf("%s capped at %d: %s", asked, w, why))
	}
	start := time.Now()
	var shard experiment.Shard
	if e.Shard != "" {
		if shard, err = experiment.ParseShard(e.Shard); err != nil {
			return nil, fmt.Errorf("--shard: %w", err)
		}
	}
	stopTicks := func() {}
	if kind == RunsExact && e.Progress != nil && e.Progress.ticks {
		// Runs of a known number: progress between their ends too.
		e.Progress.Runs(0, experiment.ShardSize(e.Spec.Reps*len(pts), shard))
		job.Running = experiment.NewRunning(w)
		stopTicks = tick(e.Progress, job.Running)
	}
	if e.Shard != "" {
		return nil, writeShard(ctx, job, shard, e.Out, stopTicks, e.Note)
	}
	var res *experiment.Result
	if e.Target > 0 {
		res, err = experiment.ReplicateUntil(ctx, job, e.Metric, e.Target, e.MaxReps)
	} else {
		res, err = experiment.Replicate(ctx, job)
	}
	stopTicks()
	e.Progress.Clear()
	switch {
	case res != nil && res.Partial && res.Agg.Reps() == 0:
		e.Note("interrupted before any replication finished")
		res.Wall = time.Since(start)
		return res, ErrInterrupted
	case res != nil && res.Partial:
		e.Note(fmt.Sprintf("interrupted after %d whole replications; results are partial", res.Agg.Reps()))
	case err != nil:
		return nil, err
	}
	res.Wall = time.Since(start)
	return res, nil
}

// tickEvery is how often the progress is told how far the runs in
// progress are: as often as the bar redraws.
const tickEvery = ProgressEvery

// tick tells p every tickEvery how far r's runs are, until the function
// it returns is called, which waits for the last tick.
func tick(p *Progress, r *experiment.Running) (stop func()) {
	done, quit := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(tickEvery)
		defer t.Stop()
		for {
			select {
			case <-quit:
				return
			case <-t.C:
				p.Tick(r.Done())
			}
		}
	}()
	return func() {
		close(quit)
		<-done
	}
}

// writeShard runs a shard and writes its file atomically; stopTicks
// ends its progress's ticks before the messages.
func writeShard(ctx context.Context, job *experiment.Job, shard experiment.Shard, out string, stopTicks func(), note func(string)) error {
	interrupted, err := WriteShardFile(ctx, job, shard, out)
	stopTicks()
	switch {
	case err != nil:
		return err
	case interrupted:
		note(fmt.Sprintf("interrupted; shard %s in %s is partial and merge will refuse it", shard, out))
		return ErrInterrupted
	}
	note(fmt.Sprintf("shard %s written to %s; combine the shards with: auctionsim merge SHARD...", shard, out))
	return nil
}

// Emission is an experiment's result as its command writes it.
type Emission struct {
	Out, Plot string // the files asked for ("" for none)
	JSON      bool   // Tree as JSON on Stdout, rather than Table
	Stdout    io.Writer
	Tree      any
	CSV       func(io.Writer) error // Out as CSV when it ends in .csv; nil: JSON whatever its name
	Draw      func(path string) error
	Table     func() string
}

// WithNotes is e with notes (LateNotes) in its JSON's "notes", where its
// tree has that place (compare's, sweep's, split's); e as it is when
// notes is empty.
func (e Emission) WithNotes(notes []string) Emission {
	if len(notes) == 0 {
		return e
	}
	switch t := e.Tree.(type) {
	case experiment.Comparison:
		t.Notes = notes
		e.Tree = t
	case experiment.SweepResult:
		t.Notes = notes
		e.Tree = t
	case *split.Result:
		t.Notes = notes
	}
	return e
}

// Emit writes Out atomically (WriteResultFile), then draws Plot, then
// writes Tree as JSON or Table on Stdout. Every step runs even when an
// earlier one failed; fail is told each failure.
func (e Emission) Emit(fail func(error)) {
	if e.Out != "" {
		if err := WriteResultFile(e.Out, e.Tree, e.CSV); err != nil {
			fail(err)
		}
	}
	if e.Plot != "" {
		if err := e.Draw(e.Plot); err != nil {
			fail(err)
		}
	}
	var err error
	if e.JSON {
		err = EncodeJSON(e.Stdout, e.Tree)
	} else {
		_, err = io.WriteString(e.Stdout, e.Table())
	}
	if err != nil {
		fail(err)
	}
}

// RepsEmission is run --reps' result as it is written: the JSON in the
// shape of a run's summary, the CSV, and the table with theory's rows;
// the bidders are returned for the plot (Draw is the caller's).
func RepsEmission(res *experiment.Result) (Emission, []string, error) {
	pts, err := Points(res.Spec)
	if err != nil {
		return Emission{}, nil, err
	}
	// The shape of the output is the summary of a run not yet started.
	eng, err := sim.New(pts[0].Config)
	if err != nil {
		return Emission{}, nil, err
	}
	tree, err := RepsTree(res, eng.Snapshot(), pts[0].Config.ScriptChangesAfterStart())
	if err != nil {
		return Emission{}, nil, err
	}
	var bidders []string
	for _, b := range pts[0].Config.Bidders {
		bidders = append(bidders, b.Name)
	}
	return Emission{
		Tree: tree,
		CSV:  func(w io.Writer) error { return WriteRepsCSV(w, res.Agg, res.Partial) },
		Table: func() string {
			if res.Agg.Reps() == 0 {
				return NoRepsLine(res.Spec.Scenario, res.Spec.Seed)
			}
			return RepsTable(res, bidders) + RepsTheoryScripted(res, pts[0].Config)
		},
	}, bidders, nil
}

// PickedEmission is run --reps --metrics' result as it is written: the
// table, the JSON and the CSV keep to picked.
func PickedEmission(res *experiment.Result, picked []string) Emission {
	out := PickReps(res, picked)
	return Emission{Tree: out, Table: out.Table,
		CSV: func(w io.Writer) error { return WriteRepsCSVOf(w, res.Agg, picked, res.Partial) }}
}

// CompareEmission is compare's result as it is written: the comparison
// (target: --precision's, 0 for none) as JSON, to --out too whatever the
// name (there is no CSV form), and view's table.
func CompareEmission(res *experiment.Result, target float64, view CompareView) (Emission, experiment.Comparison) {
	out := experiment.NewComparison(res, target)
	return Emission{Tree: out, Table: func() string { return view.Table(out) }}, out
}

// SweepEmission is sweep's result as it is written: the points as JSON,
// one row a point as CSV, and the table for a terminal width columns
// wide (0: piped, SweepTableWidth); chart, if not nil, is added below
// the table (a terminal's).
func SweepEmission(res *experiment.Result, width int, chart func() string) Emission {
	// Read once: the points' paired differences from the highest are in
	// the JSON, the CSV and the table alike.
	sr := experiment.NewSweepResult(res)
	return Emission{Tree: sr,
		CSV: func(w io.Writer) error { return writeSweepCSV(w, res, sr) },
		Table: func() string {
			text := sweepTable(res, sr, width)
			if chart != nil {
				text += chart()
			}
			return text
		}}
}
