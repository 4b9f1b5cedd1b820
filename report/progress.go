package report

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/sim/runner"
)

// Progress draws a progress bar on a terminal, a few times a second: a
// run's (Update) or an experiment's (Runs), whose workers update it at
// once, hence the lock. A nil *Progress draws nothing, which is what a
// run's stderr that is not a terminal gets. An experiment's stderr that
// is not a terminal (a notebook, CI, a log file) gets the log instead
// (NewExpProgress): plain lines, the estimated time once the first
// batch of runs is done, then the runs done and the time left every
// LogEvery, and nothing at all from a command done within LogQuiet.
type Progress struct {
	mu    sync.Mutex
	w     io.Writer
	clock WallClock
	start time.Time
	next  time.Time // earliest instant of the next redraw, or log line
	drawn bool
	paced bool // the bar has told a time left: one run a worker has ended
	// The log's, when log: the command that prefixes its lines, the
	// workers and how firm the total is (Plan), and whether the
	// estimate was told.
	log       bool
	command   string
	workers   int
	kind      RunsKind
	estimated bool
	last      int // the runs done at the last call, and of the phases before
	offset    int
	// RunsPrecise's rule: the runs done at the end of each of its
	// batches (Rule), and the runs of one replication.
	batches []int
	points  int
	// The runs weighed by their cost, in whole runs (Work): done and
	// planned, when told.
	work, workTotal float64
	// total is the command's runs as the last call of Runs gave them
	// (phase), for Tick.
	total int
	// ticks: the runs' shares are told between their ends (Tick), on
	// the real clock only, so that a test's fake clock moves only with
	// the runs' ends.
	ticks bool
	// run: the log of a single run (NewRunProgress), told by Update.
	run bool
}

// WallClock is the real time progress reads: runner.SystemClock(), or a
// fake one in tests, which then need not wait for the lines' moments.
type WallClock interface{ Now() time.Time }

// RunsKind is how firm an experiment's total of runs is, which the log
// says.
type RunsKind int

const (
	// RunsExact: the total is the runs to make.
	RunsExact RunsKind = iota
	// RunsPrecise: compare --precision's, whose stopping rule runs at
	// most the total, fewer when the difference is known well enough
	// sooner, then as many fresh runs (experiment.ReplicateUntil).
	RunsPrecise
	// RunsPlanned: the total is the plan so far, revised as the work
	// goes (split's search, whose rounds are not known in advance).
	RunsPlanned
)

// LogQuiet is how long the log says nothing: a command done within it
// prints no progress (nor do the goldens' quick commands).
const LogQuiet = 5 * time.Second

// LogEvery is the least interval between two of the log's lines; past
// a minute they come every LogSpread-th of the time elapsed, so that a
// run of hours writes a screenful of lines to a CI log, not hundreds.
const (
	LogEvery  = 10 * time.Second
	LogSpread = 6
)

// ProgressEvery is the redraw interval: smooth enough to read, rare
// enough to cost nothing.
const ProgressEvery = 100 * time.Millisecond

// BarWidth is the bar's width in cells.
const BarWidth = 30

// NewProgress returns the bar for w when it is a terminal (tty), or nil:
// a log file would fill with carriage returns.
func NewProgress(w io.Writer, tty bool) *Progress {
	if !tty {
		return nil
	}
	return newProgress(w, runner.SystemClock())
}

func newProgress(w io.Writer, clock WallClock) *Progress {
	now := clock.Now()
	return &Progress{w: w, clock: clock, start: now, next: now.Add(ProgressEvery)}
}

// NewRunProgress returns a single run's progress for w: the bar, with
// the time left, when it is a terminal (tty), else the log, whose lines
// begin with command ("auctionsim run"), so that a run of hours says so
// wherever its stderr goes; clock nil is the real one.
func NewRunProgress(w io.Writer, tty bool, command string, clock WallClock) *Progress {
	if clock == nil {
		clock = runner.SystemClock()
	}
	p := newProgress(w, clock)
	if !tty {
		p.log, p.run, p.command = true, true, command
		p.next = p.start.Add(LogQuiet)
	}
	return p
}

// NewExpProgress returns an experiment's progress for w: the bar when it
// is a terminal (tty), else the log, whose lines begin with command
// ("auctionsim sweep"); clock nil is the real one.
func NewExpProgress(w io.Writer, tty bool, command string, clock WallClock) *Progress {
	ticks := clock == nil
	if clock == nil {
		clock = runner.SystemClock()
	}
	p := newProgress(w, clock)
	p.ticks = ticks
	if !tty {
		p.log, p.command, p.workers = true, command, 1
		p.next = p.start.Add(LogQuiet)
	}
	return p
}

// Plan tells the log the workers running the runs at once and how firm
// their total is; it may be called while they run.
func (p *Progress) Plan(workers int, kind RunsKind) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.workers, p.kind = max(workers, 1), kind
}

// Rule tells the progress of compare --precision (RunsPrecise) the
// batches of its rule, the replications it has run at the end of each
// (experiment.Batches), of points runs each: then the log and the bar
// say how long the command takes if the rule stops at the end of the
// batch in progress, beside the most it can take.
func (p *Progress) Rule(batches []int, points int) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.points = max(points, 1)
	p.batches = p.batches[:0]
	for _, n := range batches {
		p.batches = append(p.batches, n*p.points)
	}
}

// Work tells the progress, before a call of Runs, the same runs weighed
// by their cost in whole runs (split's coarse runs cost half a whole
// one): the time left is then estimated from the work, not the runs.
func (p *Progress) Work(done, total float64) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.work, p.workTotal = done, total
}

// share is the share of the work done after done of total runs: by the
// work when told, else by the runs.
func (p *Progress) share(done, total int) float64 {
	if p.work > 0 && p.workTotal > 0 {
		return p.work / p.workTotal
	}
	return float64(done) / float64(total)
}

// Update redraws the bar at fraction f of a run, after auctions, if it
// is time to.
func (p *Progress) Update(f float64, auctions uint64) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.clock.Now()
	if p.log {
		if p.run {
			p.logRun(now, f)
		}
		return // an experiment's log counts its runs
	}
	if !p.due(now, false) {
		return
	}
	elapsed := now.Sub(p.start)
	rate := float64(auctions) / max(elapsed.Seconds(), 1e-9)
	counts := fmt.Sprintf("%d auctions  %.2fM auctions/s", auctions, rate/1e6)
	if f > 0 && f < 1 && elapsed >= RunETAAfter {
		counts += "  ETA " + time.Duration(float64(elapsed)*(1-f)/f).Round(time.Second).String()
	}
	p.draw(f, counts)
}

// RunETAAfter is how long a run's bar waits before it tells the time
// left: the first slices of events, timed apart, would make it jump.
const RunETAAfter = time.Second

// logRun writes the run's log line at fraction f of its stop, if it is
// time to: the estimated whole time once LogQuiet has passed, then the
// share done and the time left every LogEvery (a LogSpread-th of the
// time elapsed, past a minute), as an experiment's log does.
func (p *Progress) logRun(now time.Time, f float64) {
	if f <= 0 || f >= 1 || now.Before(p.next) {
		return
	}
	elapsed := now.Sub(p.start)
	whole := time.Duration(float64(elapsed) / f)
	p.next = now.Add(max(LogEvery, elapsed/LogSpread))
	if !p.estimated {
		p.estimated = true
		fmt.Fprintf(p.w, "%s: about %s (%s of the run in %s)\n", p.command, logWall(whole), share(f), logWall(elapsed))
		return
	}
	fmt.Fprintf(p.w, "%s: %s of the run, %s elapsed, about %s left\n", p.command, share(f), logWall(elapsed), logWall(whole-elapsed))
}

// share is a fraction of a run as the log says it: whole percent from
// 10%, two figures below (0.031%), never 100% before the end.
func share(f float64) string {
	if pct := 100 * f; pct < 10 {
		return fmt.Sprintf("%.2g%%", pct)
	}
	return fmt.Sprintf("%d%%", int(100*f))
}

// Runs redraws after done of total replications, if it is time to
// (always after the last), with the time left once one run a worker has
// ended.
func (p *Progress) Runs(done, total int) {
	if p == nil || total <= 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.clock.Now()
	done, total, soon := p.phase(done, total)
	p.total = total
	if p.ticks && p.kind == RunsExact && p.offset == 0 && (p.log || done < total) {
		// Tick draws and logs, counting the runs in progress too; the
		// bar's last draw, all done, is this one.
		return
	}
	if p.log {
		p.logRuns(now, float64(done), total, soon, false)
		return
	}
	// The time left is told once one run a worker has ended, as the
	// log's estimate is: the runs begun together end together, and the
	// first to end alone would put it at about workers times what it is.
	// Drawn at once when first known, whatever the redraw interval.
	paced := done >= min(max(p.workers, 1), total)
	if !p.due(now, done >= total || paced && !p.paced) {
		return
	}
	p.paced = p.paced || paced
	if soon > 0 {
		// compare --precision's rule, not in its last batch: the bar
		// fills to the end of this batch, then as many fresh runs.
		// The most in runs only, so that the line fits 80 columns.
		eta := "–"
		if elapsed := now.Sub(p.start); done > 0 {
			eta = time.Duration(float64(elapsed) * float64(soon-done) / float64(done)).Round(time.Second).String()
		}
		p.draw(min(float64(done)/float64(soon), 1), fmt.Sprintf("%d/%d runs, at most %d  ETA %s", done, soon, total, eta))
		return
	}
	share := 0.0 // no time left to tell yet
	if paced {
		share = p.share(done, total)
	}
	p.drawRuns(now, float64(done)/float64(total), share, done, total)
}

// drawRuns draws the bar filled to fill, ended of total runs ended, with
// the time left when the share of the work done is known (> 0).
func (p *Progress) drawRuns(now time.Time, fill, share float64, ended, total int) {
	eta := "–"
	if share > 0 {
		eta = time.Duration(float64(now.Sub(p.start)) * (1 - share) / share).Round(time.Second).String()
	}
	p.draw(min(fill, 1), fmt.Sprintf("%d/%d runs  ETA %s", ended, total, eta))
}

// Tick redraws, if it is time to, after done runs in all counting the
// shares done of those in progress (experiment.Running), so that a
// command whose runs are long says how long it takes before its first
// runs end. Only an experiment of a known number of runs (RunsExact)
// ticks, after a first call of Runs has told the total, and only on the
// real clock (NewExpProgress with a nil clock).
func (p *Progress) Tick(done float64) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.ticks || p.kind != RunsExact || p.offset > 0 || p.total <= 0 || done <= 0 {
		return
	}
	now := p.clock.Now()
	if p.log {
		p.logRuns(now, done, p.total, 0, true)
		return
	}
	if !p.due(now, false) {
		return
	}
	f := min(done/float64(p.total), 1)
	p.drawRuns(now, f, f, p.last, p.total)
}

// phase turns done of total runs, as an experiment counts them, into
// the command's: compare --precision's fresh runs, a second phase
// counted from 1, come after its rule's, whose total is doubled for
// them; soon is, while its rule is not in its last batch, the runs if
// it stops at the end of the batch in progress (0 otherwise).
func (p *Progress) phase(done, total int) (int, int, int) {
	if done < p.last {
		// A second phase counted from 1 (compare --precision's fresh
		// runs, as many as the rule's): its runs come after the first's.
		p.offset += p.last
		p.kind = RunsExact
	}
	p.last = done
	done, total = p.offset+done, p.offset+total
	soon := 0
	if p.kind == RunsPrecise {
		for _, b := range p.batches {
			if b >= done {
				if b < total { // not its last: it may go on
					soon = 2 * b
				}
				break
			}
		}
		total *= 2 // the rule's runs, then as many fresh
	}
	return done, total, soon
}

// logRuns writes the log's line after done of total runs at now (the
// command's, and soon, as phase gives them), if it is time to: the
// estimate once the first batch (one run a worker) is done, or a tick
// (shares: done counts the shares done of the runs in progress) has
// told how far the runs are, then the runs done and the time left every
// LogEvery (a LogSpread-th of the time elapsed, past a minute); never
// before LogQuiet nor after the last run.
func (p *Progress) logRuns(now time.Time, done float64, total, soon int, shares bool) {
	if done >= float64(total) || done <= 0 || !shares && done < 1 || now.Before(p.next) {
		return
	}
	if !p.estimated && !shares && done < float64(p.workers) {
		return // the first batch is not done: no time a run yet
	}
	elapsed := now.Sub(p.start)
	whole := time.Duration(float64(elapsed) * float64(total) / done)
	weighed := p.work > 0 && p.workTotal > 0 && p.kind == RunsPlanned
	if weighed {
		whole = time.Duration(float64(elapsed) / p.share(int(done), total))
	}
	about := "about "
	if p.kind == RunsPrecise {
		about = "at most about "
	}
	p.next = now.Add(max(LogEvery, elapsed/LogSpread))
	if soon > 0 {
		p.logRule(elapsed, int(done), soon, total)
		return
	}
	if !p.estimated {
		p.estimated = true
		each := p.perRun(elapsed, done)
		per := "each"
		if weighed && p.work != float64(done) {
			// Runs of unequal cost: what a whole one takes.
			each = p.perRun(elapsed, p.work)
			per = "a whole run"
		}
		runs := map[RunsKind]string{
			RunsExact:   fmt.Sprintf("%d runs", total),
			RunsPrecise: fmt.Sprintf("at most %d runs", total),
			RunsPlanned: fmt.Sprintf("about %d runs by the search's plan so far", total),
		}[p.kind]
		fmt.Fprintf(p.w, "%s: %s%s (%s, %s %s on %d %s)\n", p.command, about, logWall(whole), runs,
			wallRun(each), per, p.workers, format.Plural(p.workers, "worker", "workers"))
		return
	}
	ended := p.offset + p.last // the runs ended, of a tick's done
	if !shares {
		ended = int(done)
	}
	runs := map[RunsKind]string{
		RunsExact:   fmt.Sprintf("%d/%d runs", ended, total),
		RunsPrecise: fmt.Sprintf("%d of at most %d runs", ended, total),
		RunsPlanned: fmt.Sprintf("%d runs of about %d", ended, total),
	}[p.kind]
	fmt.Fprintf(p.w, "%s: %s, %s elapsed, %s%s left\n", p.command, runs, logWall(elapsed), about, logWall(whole-elapsed))
}

// logRule writes the log's line of compare --precision's rule after done
// runs of elapsed: how long the command takes if the rule stops at the
// end of the batch in progress, soon runs in all (the rule's, then as
// many fresh), and at most, most runs.
func (p *Progress) logRule(elapsed time.Duration, done, soon, most int) {
	at := func(runs int) time.Duration { return time.Duration(float64(elapsed) * float64(runs) / float64(done)) }
	reps := soon / 2 / p.points
	if !p.estimated {
		p.estimated = true
		each := p.perRun(elapsed, float64(done))
		fmt.Fprintf(p.w, "%s: about %s if %d replications are enough, at most about %s (%d to %d runs, %s each on %d %s)\n",
			p.command, logWall(at(soon)), reps, logWall(at(most)), soon, most, wallRun(each), p.workers, format.Plural(p.workers, "worker", "workers"))
		return
	}
	fmt.Fprintf(p.w, "%s: %d of %d to %d runs, %s elapsed, about %s left if %d replications are enough, at most about %s\n",
		p.command, done, soon, most, logWall(elapsed), logWall(at(soon)-elapsed), reps, logWall(at(most)-elapsed))
}

// perRun is what one run took, runs (whole ones, or their work) done on
// the workers in elapsed.
func (p *Progress) perRun(elapsed time.Duration, runs float64) time.Duration {
	return time.Duration(float64(elapsed) * float64(p.workers) / runs)
}

// logWall is a wall time as the log says it: whole seconds, minutes from
// two, hours from two.
func logWall(d time.Duration) string {
	s := int64(d.Round(time.Second) / time.Second)
	switch {
	case s < 120:
		return fmt.Sprintf("%d s", s)
	case s < 2*3600:
		return fmt.Sprintf("%d min %d s", s/60, s%60)
	}
	return fmt.Sprintf("%d h %d min", s/3600, s%3600/60)
}

// wallRun is one run's wall time: a tenth of a second below a minute.
func wallRun(d time.Duration) string {
	switch {
	case d < time.Second:
		return fmt.Sprintf("%.2f s", d.Seconds())
	case d < time.Minute:
		return fmt.Sprintf("%.1f s", d.Seconds())
	}
	return logWall(d)
}

// due reports whether it is time to redraw at now (always when final),
// and if so schedules the redraw after.
func (p *Progress) due(now time.Time, final bool) bool {
	if now.Before(p.next) && !final {
		return false
	}
	p.next = now.Add(ProgressEvery)
	return true
}

// draw draws the bar at fraction f (0 to 1) of the work, followed by
// what the fraction counts.
func (p *Progress) draw(f float64, counts string) {
	full := int(f * BarWidth)
	bar := strings.Repeat("█", full) + strings.Repeat("░", BarWidth-full)
	fmt.Fprintf(p.w, "\r%s %3.0f%%  %s ", bar, 100*f, counts)
	p.drawn = true
}

// Clear erases the bar, leaving the line for what comes next.
func (p *Progress) Clear() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.drawn { // never, for the log: its lines stay
		return
	}
	fmt.Fprint(p.w, "\r\x1b[K")
	p.drawn = false
}
