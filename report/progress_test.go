package report

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestProgress checks the bar is drawn on a terminal and cleared at the
// end, and never drawn elsewhere.
func TestProgress(t *testing.T) {
	var buf bytes.Buffer
	if p := NewProgress(&buf, false); p != nil {
		t.Fatal("a progress bar without a terminal")
	}
	p := NewProgress(&buf, true)
	p.next = time.Time{} // draw now
	p.Update(0.5, 1000)
	p.Clear()
	out := buf.String()
	if !strings.Contains(out, " 50%") || !strings.HasSuffix(out, "\r\x1b[K") {
		t.Errorf("progress output %q", out)
	}
	var nilBar *Progress
	nilBar.Update(1, 1)
	nilBar.Runs(1, 1)
	nilBar.Clear()
}

// TestExpProgress checks the experiments' bar line, drawn on the last
// update whatever the time (TestExperimentProgress runs it end to end).
func TestExpProgress(t *testing.T) {
	var buf bytes.Buffer
	p := NewProgress(&buf, true)
	p.Runs(4, 4)
	if want := "\r" + strings.Repeat("█", BarWidth) + " 100%  4/4 runs  ETA 0s "; buf.String() != want {
		t.Errorf("progress output %q, want %q", buf.String(), want)
	}
}

// newTestLog is an experiment's progress for command on workers, on a
// fake clock, writing to the buffer it returns.
func newTestLog(tty bool, command string, workers int, kind RunsKind) (*Progress, *fakeClock, *bytes.Buffer) {
	var buf bytes.Buffer
	c := newFakeClock()
	p := NewExpProgress(&buf, tty, command, c)
	p.Plan(workers, kind)
	return p, c, &buf
}

// checkLog reports a log that is not want.
func checkLog(t *testing.T, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("log:\n%s\nwant:\n%s", got, want)
	}
}

// fakeClock is a WallClock that moves only when told: the log's lines
// are checked at their exact moments without waiting for them.
type fakeClock struct{ now time.Time }

func (c *fakeClock) Now() time.Time { return c.now }

// at moves the clock to d after its start.
func (c *fakeClock) at(d time.Duration) { c.now = time.Unix(1_000_000, 0).Add(d) }

func newFakeClock() *fakeClock {
	c := &fakeClock{}
	c.at(0)
	return c
}

// logAt runs a log of total runs on workers, run i (from 1) done at
// when(i), and returns what it wrote.
func logAt(t *testing.T, workers int, kind RunsKind, total int, when func(i int) time.Duration) string {
	t.Helper()
	p, c, buf := newTestLog(false, "auctionsim sweep", workers, kind)
	for i := 1; i <= total; i++ {
		c.at(when(i))
		p.Runs(i, total)
		p.Update(0.5, 1000) // a run's progress: never in the log
	}
	p.Clear()
	return buf.String()
}

// TestProgressLog checks the log of a stderr that is not a terminal:
// the estimate when the first batch is done (not before 5 s), then a
// line every 10 s with the runs done, the time elapsed and left, and
// nothing at the end.
func TestProgressLog(t *testing.T) {
	// 53 runs, one a second on 2 workers: 2 s each.
	got := logAt(t, 2, RunsExact, 53, func(i int) time.Duration { return time.Duration(i) * time.Second })
	want := "auctionsim sweep: about 53 s (53 runs, 2.0 s each on 2 workers)\n" + // at 5 s
		"auctionsim sweep: 15/53 runs, 15 s elapsed, about 38 s left\n" +
		"auctionsim sweep: 25/53 runs, 25 s elapsed, about 28 s left\n" +
		"auctionsim sweep: 35/53 runs, 35 s elapsed, about 18 s left\n" +
		"auctionsim sweep: 45/53 runs, 45 s elapsed, about 8 s left\n"
	checkLog(t, got, want)
	// The lines come at most every 10 s, whatever the pace, and past a
	// minute every sixth of the time elapsed: 200 runs in 100 s, half a
	// second each on 1 worker, log at 5, 15, …, 65, then 76 (65 + 65/6)
	// and 89 s (76 + 76/6).
	got = logAt(t, 1, RunsExact, 200, func(i int) time.Duration { return time.Duration(i) * time.Second / 2 })
	if !strings.HasPrefix(got, "auctionsim sweep: about 100 s (200 runs, 0.50 s each on 1 worker)\n") ||
		strings.Count(got, "\n") != 9 || !strings.Contains(got, "130/200 runs, 65 s elapsed, about 35 s left\n") ||
		!strings.HasSuffix(got, "152/200 runs, 76 s elapsed, about 24 s left\nauctionsim sweep: 178/200 runs, 89 s elapsed, about 11 s left\n") {
		t.Errorf("log at half a second a run:\n%s", got)
	}
}

// TestProgressLogLong checks that a run of hours writes a screenful of
// lines, not one every 10 s: two hours of runs of a second, 1 worker,
// the gaps growing by a sixth of the time elapsed (about 37 lines, not
// 720).
func TestProgressLogLong(t *testing.T) {
	got := logAt(t, 1, RunsExact, 7200, func(i int) time.Duration { return time.Duration(i) * time.Second })
	lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	if len(lines) < 30 || len(lines) > 45 {
		t.Fatalf("%d lines for two hours:\n%s", len(lines), got)
	}
	// The last line comes within the last sixth of the run.
	if last := lines[len(lines)-1]; !regexp.MustCompile(`^auctionsim sweep: (6[1-9]\d\d|7[01]\d\d)/7200 runs, `).MatchString(last) {
		t.Errorf("the last line: %q", last)
	}
}

// TestProgressLogQuiet checks that a command done within 5 s logs
// nothing, however slowly its first runs come.
func TestProgressLogQuiet(t *testing.T) {
	if got := logAt(t, 2, RunsExact, 49, func(i int) time.Duration { return time.Duration(i) * 100 * time.Millisecond }); got != "" {
		t.Errorf("a command of 4.9 s logged %q", got)
	}
	// Nothing after the last run either, late as it comes: 9 runs in
	// 4.5 s, the tenth at 6 s.
	last := func(i int) time.Duration {
		if i == 10 {
			return 6 * time.Second
		}
		return time.Duration(i) * 500 * time.Millisecond
	}
	if got := logAt(t, 2, RunsExact, 10, last); got != "" {
		t.Errorf("a command of 6 s, its last run late, logged %q", got)
	}
}

// TestProgressLogFirstBatch checks that the estimate waits for one run
// a worker: 4 workers, runs done at 3, 6, 8, 9, 20 s and on.
func TestProgressLogFirstBatch(t *testing.T) {
	at := []time.Duration{0, 3, 6, 8, 9, 20, 21, 22, 23}
	got := logAt(t, 4, RunsExact, 8, func(i int) time.Duration { return at[i] * time.Second })
	want := "auctionsim sweep: about 18 s (8 runs, 9.0 s each on 4 workers)\n" + // at 9 s, 4 done
		"auctionsim sweep: 5/8 runs, 20 s elapsed, about 12 s left\n"
	checkLog(t, got, want)
}

// TestProgressLogPrecise checks compare --precision's: at most twice the
// rule's most, the rule's runs, then as many fresh ones counted on.
func TestProgressLogPrecise(t *testing.T) {
	p, c, buf := newTestLog(false, "auctionsim compare", 1, RunsPrecise)
	twoPhases(p, c, 8, 10) // the rule stops at 8 runs of at most 10, then 8 fresh ones
	want := "auctionsim compare: at most about 20 s (at most 20 runs, 1.0 s each on 1 worker)\n" +
		"auctionsim compare: 15/16 runs, 15 s elapsed, about 1 s left\n"
	checkLog(t, buf.String(), want)
}

// TestProgressLogRule checks compare --precision's log when it knows
// the rule's batches: how long if the batch in progress is the rule's
// last, beside the most, rather than the most alone, which at the
// default --max-reps of 1000 says hours of a command done in a minute.
func TestProgressLogRule(t *testing.T) {
	p, c, buf := newTestLog(false, "auctionsim compare", 1, RunsPrecise)
	p.Rule([]int{4, 8, 12, 18, 20}, 2) // experiment.Batches(4, 20), 2 points
	twoPhases(p, c, 24, 40)            // the rule stops at 12 replications, then 24 fresh runs
	want := "auctionsim compare: about 16 s if 4 replications are enough, at most about 80 s (16 to 80 runs, 1.0 s each on 1 worker)\n" +
		"auctionsim compare: 15 of 32 to 80 runs, 15 s elapsed, about 17 s left if 8 replications are enough, at most about 65 s\n" +
		"auctionsim compare: 25/48 runs, 25 s elapsed, about 23 s left\n" +
		"auctionsim compare: 35/48 runs, 35 s elapsed, about 13 s left\n" +
		"auctionsim compare: 45/48 runs, 45 s elapsed, about 3 s left\n"
	checkLog(t, buf.String(), want)

	// In the rule's last batch (past 4 runs by 5 s) it goes to the end:
	// the most.
	p, c, buf = newTestLog(false, "auctionsim compare", 1, RunsPrecise)
	p.Rule([]int{4, 8}, 1)
	for i := 1; i <= 8; i++ {
		c.at(time.Duration(i) * time.Second)
		p.Runs(i, 8)
	}
	want = "auctionsim compare: at most about 16 s (at most 16 runs, 1.0 s each on 1 worker)\n"
	if buf.String() != want {
		t.Errorf("log in the last batch:\n%s\nwant:\n%s", buf.String(), want)
	}
}

// TestProgressBarRule checks compare --precision's bar on a terminal:
// filled to the end of the rule's batch in progress and its fresh runs,
// with the most runs beside, then on through the fresh runs, rather than
// against the rule's most alone and from 0 again for the fresh runs.
func TestProgressBarRule(t *testing.T) {
	p, c, buf := newTestLog(true, "auctionsim compare", 1, RunsPrecise)
	p.Rule([]int{4, 8, 12, 18, 20}, 2)
	bar := func(done, total int, at time.Duration) string {
		buf.Reset()
		c.at(at)
		p.next = time.Time{} // draw now
		p.Runs(done, total)
		return buf.String()
	}
	if got := bar(5, 40, 5*time.Second); !strings.Contains(got, " 31%  5/16 runs, at most 80  ETA 11s ") {
		t.Errorf("in the rule's first batch: %q", got)
	}
	if got := bar(12, 40, 12*time.Second); !strings.Contains(got, " 12/32 runs, at most 80  ETA 20s ") {
		t.Errorf("in the rule's second batch: %q", got)
	}
	// The rule stopped at 12 replications (24 runs): 24 fresh ones.
	bar(24, 40, 24*time.Second)
	if got := bar(6, 24, 30*time.Second); !strings.Contains(got, " 30/48 runs  ETA 18s ") {
		t.Errorf("in the fresh runs: %q", got)
	}
}

// TestProgressLogPlanned checks split's, whose total is the search's
// plan, revised as it goes.
func TestProgressLogPlanned(t *testing.T) {
	p, c, buf := newTestLog(false, "auctionsim split", 2, RunsPlanned)
	for i := 1; i <= 30; i++ {
		c.at(time.Duration(i) * time.Second)
		p.Runs(i, 30+i/10*10) // the plan grows by 10 every 10 runs
	}
	want := "auctionsim split: about 30 s (about 30 runs by the search's plan so far, 2.0 s each on 2 workers)\n" +
		"auctionsim split: 15 runs of about 40, 15 s elapsed, about 25 s left\n" +
		"auctionsim split: 25 runs of about 50, 25 s elapsed, about 25 s left\n"
	checkLog(t, buf.String(), want)
}

// TestProgressLogWork checks split's log when its runs are of unequal
// cost (Work): 10 half-length runs of 1 s then 20 whole ones of 2 s on
// 1 worker, 50 s in all, which counting runs alone would put at 30 s
// from the first.
func TestProgressLogWork(t *testing.T) {
	p, c, buf := newTestLog(false, "auctionsim split", 1, RunsPlanned)
	for i := 1; i <= 30; i++ {
		at, work := time.Duration(i)*time.Second, float64(i)/2
		if i > 10 {
			at, work = time.Duration(10+2*(i-10))*time.Second, 5+float64(i-10)
		}
		c.at(at)
		p.Work(work, 25)
		p.Runs(i, 30)
	}
	want := "auctionsim split: about 50 s (about 30 runs by the search's plan so far, 2.0 s a whole run on 1 worker)\n" +
		"auctionsim split: 13 runs of about 30, 16 s elapsed, about 34 s left\n" +
		"auctionsim split: 18 runs of about 30, 26 s elapsed, about 24 s left\n" +
		"auctionsim split: 23 runs of about 30, 36 s elapsed, about 14 s left\n" +
		"auctionsim split: 28 runs of about 30, 46 s elapsed, about 4 s left\n"
	checkLog(t, buf.String(), want)
	// The bar's time left too.
	buf.Reset()
	p = NewProgress(buf, true)
	p.clock = c
	p.start, p.next = c.now.Add(-5*time.Second), time.Time{} // draw now
	p.Work(2.5, 25)
	p.Runs(5, 30)
	if !strings.Contains(buf.String(), "5/30 runs  ETA 45s") {
		t.Errorf("bar %q, want an ETA of 45s", buf.String())
	}
}

// TestExpProgressOnATerminal checks an experiment's terminal keeps its
// bar.
func TestExpProgressOnATerminal(t *testing.T) {
	var buf bytes.Buffer
	p := NewExpProgress(&buf, true, "auctionsim sweep", newFakeClock())
	p.Plan(2, RunsExact)
	p.Runs(4, 4)
	p.Clear()
	if want := "\r" + strings.Repeat("█", BarWidth) + " 100%  4/4 runs  ETA 0s \r\x1b[K"; buf.String() != want {
		t.Errorf("progress output %q, want %q", buf.String(), want)
	}
}

func TestLogWall(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "0 s", 1499 * time.Millisecond: "1 s", 119 * time.Second: "119 s", 125 * time.Second: "2 min 5 s",
		7300 * time.Second: "2 h 1 min",
	} {
		if got := logWall(d); got != want {
			t.Errorf("logWall(%v) = %q, want %q", d, got, want)
		}
	}
}

// TestProgressLogTicks checks that runs too long for any to end before
// the first line are estimated from the shares done of those in
// progress: 4 runs of 100 s on 2 workers.
func TestProgressLogTicks(t *testing.T) {
	p, c, buf := newTestLog(false, "auctionsim run", 2, RunsExact)
	p.ticks = true
	p.Tick(0.01) // before the total is known: nothing
	p.Runs(0, 4)
	for s := 1; s <= 30; s++ {
		c.at(time.Duration(s) * time.Second)
		p.Tick(float64(s) / 50) // 2 runs going, each a hundredth a second
	}
	want := "auctionsim run: about 3 min 20 s (4 runs, 100 s each on 2 workers)\n" + // at 5 s
		"auctionsim run: 0/4 runs, 15 s elapsed, about 3 min 5 s left\n" +
		"auctionsim run: 0/4 runs, 25 s elapsed, about 2 min 55 s left\n"
	checkLog(t, buf.String(), want)
	// A run's end is counted by the ticks, which see the other run
	// nearly done too: an estimate from the ends alone would say 5 min.
	buf.Reset()
	c.at(100 * time.Second)
	p.Runs(1, 4)
	c.at(101 * time.Second)
	p.Tick(2.02)
	checkLog(t, buf.String(), "auctionsim run: 1/4 runs, 101 s elapsed, about 99 s left\n")

	// Not on a fake clock (a test's, which moves with the runs' ends
	// alone), nor for a total still open.
	for _, kind := range []RunsKind{RunsExact, RunsPrecise, RunsPlanned} {
		p, c, buf := newTestLog(false, "auctionsim compare", 1, kind)
		p.ticks = kind != RunsExact
		p.Runs(0, 8)
		c.at(30 * time.Second)
		p.Tick(0.5)
		if buf.Len() > 0 {
			t.Errorf("%v: a tick logged %q", kind, buf.String())
		}
	}
}

// TestProgressBarTicks checks the bar fills with the runs in progress.
func TestProgressBarTicks(t *testing.T) {
	p, c, buf := newTestLog(true, "auctionsim run", 2, RunsExact)
	p.ticks = true
	p.Runs(0, 4)
	c.at(10 * time.Second)
	p.Tick(1) // a quarter
	if got := buf.String(); !strings.Contains(got, " 25%  0/4 runs  ETA 30s ") {
		t.Errorf("bar %q", got)
	}
}

// twoPhases runs compare --precision's two phases, a run a second: the
// rule's n runs of at most most, then n fresh ones counted from 1.
func twoPhases(p *Progress, c *fakeClock, n, most int) {
	for i := 1; i <= n; i++ {
		c.at(time.Duration(i) * time.Second)
		p.Runs(i, most)
	}
	for i := 1; i <= n; i++ {
		c.at(time.Duration(n+i) * time.Second)
		p.Runs(i, n)
	}
}

// TestProgressBarFirstBatch checks the bar tells the time left once one
// run a worker has ended, as the log does, and at once then: 20 runs on 2
// workers begun together, the first two ending at 1 s and 1.05 s (2 s a
// run on 2 workers, 20 s in all). The first end alone would say 19 s
// left.
func TestProgressBarFirstBatch(t *testing.T) {
	p, c, buf := newTestLog(true, "auctionsim split", 2, RunsPlanned)
	c.at(time.Second)
	p.Runs(1, 20)
	if got := buf.String(); !strings.Contains(got, " 1/20 runs  ETA – ") {
		t.Errorf("after the first run of two workers: %q, want no time left yet", got)
	}
	buf.Reset()
	c.at(1050 * time.Millisecond) // within the redraw interval
	p.Runs(2, 20)
	if got := buf.String(); !strings.Contains(got, " 2/20 runs  ETA 9s ") {
		t.Errorf("after one run a worker: %q, want the time left, 9s", got)
	}
}

// TestRunProgressLog: a single run whose stderr is not a terminal says
// nothing for LogQuiet, then its estimated whole time from the share of
// its stop done, then the share and the time left every LogEvery: a run
// of hours used to say nothing at all until it ended.
func TestRunProgressLog(t *testing.T) {
	var buf bytes.Buffer
	c := newFakeClock()
	p := NewRunProgress(&buf, false, "auctionsim run", c)
	for _, u := range []struct {
		at time.Duration
		f  float64
	}{{time.Second, 0.01}, {5 * time.Second, 0.0025}, {10 * time.Second, 0.005}, {15 * time.Second, 0.15}, {20 * time.Second, 0.2}, {25 * time.Second, 1}} {
		c.at(u.at)
		p.Update(u.f, 1000)
	}
	p.Clear()
	checkLog(t, buf.String(), "auctionsim run: about 33 min 20 s (0.25% of the run in 5 s)\n"+
		"auctionsim run: 15% of the run, 15 s elapsed, about 85 s left\n")
}

// TestRunProgressBarETA: a run's bar tells the time left once
// RunETAAfter has passed, from the share of its stop done.
func TestRunProgressBarETA(t *testing.T) {
	var buf bytes.Buffer
	c := newFakeClock()
	p := NewRunProgress(&buf, true, "auctionsim run", c)
	c.at(500 * time.Millisecond)
	p.Update(0.1, 1000)
	if strings.Contains(buf.String(), "ETA") {
		t.Errorf("an ETA after half a second: %q", buf.String())
	}
	c.at(2 * time.Second)
	p.Update(0.25, 5000)
	if !strings.HasSuffix(buf.String(), " 25%  5000 auctions  0.00M auctions/s  ETA 6s ") {
		t.Errorf("bar %q, want the time left, 6s", buf.String())
	}
}
