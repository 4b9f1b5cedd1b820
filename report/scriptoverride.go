package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// ScriptOverride is a step of a scenario's script that sets again a
// field an experiment varies (--vary) or changes (--change): from its
// instant on every run has the script's value, whatever the flag gave,
// so the points (or the two sides) differ only before it.
type ScriptOverride struct {
	Scenario string   // its name
	Flag     string   // the flag: "--vary", "--change"
	Path     string   // the flag's path: "exchange.tmax"
	Set      string   // what the script sets: "exchange.tmax=350ms"
	At       sim.Time // the step's instant
	// Where is the set's place in the file, "timeout-story.yaml:62";
	// "" where --set gave the script, or edited the step.
	Where string
	// End is when the runs end as planned (their horizon; 0: unknown).
	// Where the stop counts auctions (Auctions > 0) a run's end varies
	// about it, up to the stop's Duration if it has one.
	End      sim.Time
	Auctions uint64
	Duration sim.Time
	// Without is the command's way to leave the script out
	// ("--no-script").
	Without string
	// Why, if set, says what the script's change spoils in place of
	// "the flag's field measured over part of the runs": a field the
	// experiment keeps but sets in some of its runs (split --budget
	// daily empties a member with budget={total: 0}).
	Why string
}

// lateShare is the most of a run an override may take and the
// experiment still run: an override in the last tenth of the runs is
// said above the table, one earlier refused. The points' differences are
// then diluted by at most a tenth, and a run wanting the whole script
// (its other steps, a flight's last days) has no other way.
const lateShare = 0.1

// Where an override lands in the runs.
const (
	overrideOutside = iota // after every run's end: nothing to say
	overrideLate           // in their last tenth, at their end, or maybe past a stop that counts auctions
	overrideWithin         // earlier: refused
)

// FindScriptOverrides are the steps of the script of the scenario src
// (with sets) that set again a path of paths (the flag's: "--vary", or
// "--change" for compare's variant), the first for each path, whenever
// they come. A path matches a script's when either is the other or a
// part of it, bidders.* matching every bidder. None when the scenario
// does not resolve (the experiment says why) or has no script.
func FindScriptOverrides(src scenarios.Text, sets []scenarios.Set, flag string, paths []string, without string) []ScriptOverride {
	sc, _, err := src.Resolve(sets)
	if err != nil || len(sc.Config.Script) == 0 {
		return nil
	}
	// The lines are the file's own: a --set edits the text parsed, so
	// they are read from the file alone, for a step it has unchanged.
	var fileSteps []scenarios.Step
	if f, _, err := src.Resolve(nil); err == nil {
		fileSteps = f.Steps
	}
	var out []ScriptOverride
	for _, p := range paths {
	steps:
		for i, step := range sc.Config.Script {
			if step.At <= 0 {
				continue // the world the run starts in, which the flag changes
			}
			for _, c := range step.Changes {
				as, ok := scenarios.Assignments(c)
				if !ok {
					continue
				}
				for _, a := range as {
					if !pathsOverlap(p, a.Path) {
						continue
					}
					out = append(out, ScriptOverride{
						Scenario: sc.Name, Flag: flag, Path: p, Set: a.Path + "=" + a.Value, At: step.At,
						Where: stepLine(src.File(), fileSteps, sc.Steps, i, p),
						End:   sc.Config.Horizon, Auctions: sc.Stop.Auctions, Duration: sc.Stop.Duration,
						Without: without,
					})
					break steps
				}
			}
		}
	}
	return out
}

// stepLine is "FILE:LINE" of the set of path in step i of the script,
// where the file's own step i is the one run (steps, with the sets); ""
// otherwise.
func stepLine(file string, fileSteps, steps []scenarios.Step, i int, path string) string {
	if i >= len(fileSteps) || i >= len(steps) {
		return ""
	}
	f, s := fileSteps[i], steps[i]
	if f.At != s.At || strings.Join(f.Sets, "\n") != strings.Join(s.Sets, "\n") {
		return ""
	}
	for k, set := range f.Sets {
		key, _, _ := strings.Cut(set, "=")
		if k < len(f.Lines) && f.Lines[k] > 0 && pathsOverlap(path, key) {
			return file + ":" + strconv.Itoa(f.Lines[k])
		}
	}
	return ""
}

// landing is where o lands in the runs (overrideOutside, overrideLate,
// overrideWithin).
func (o ScriptOverride) landing() int {
	switch {
	case o.End <= 0:
		return overrideWithin // an end unknown: it may come anywhere
	case o.At < o.End && float64(o.End-o.At) > lateShare*float64(o.End):
		return overrideWithin
	case o.At <= o.End:
		return overrideLate
	case o.mayPass():
		return overrideLate
	}
	return overrideOutside
}

// mayPass says a run may go past its planned end to o.At: its stop
// counts auctions, whose n-th arrives at a time that varies (by about
// End/√n for Poisson arrivals; six of those and no run gets there), and
// no duration stops it first.
func (o ScriptOverride) mayPass() bool {
	if o.Auctions == 0 || o.Duration > 0 && o.At >= o.Duration {
		return false
	}
	return float64(o.At) < float64(o.End)*(1+6/math.Sqrt(float64(o.Auctions)))
}

// Refused says the experiment is refused for o: the script's change
// comes before the last tenth of the runs.
func (o ScriptOverride) Refused() bool { return o.landing() == overrideWithin }

// Late says o comes late in the runs (their last tenth, their end, or
// maybe past a stop that counts auctions): the experiment runs, and says
// so above its table (Note).
func (o ScriptOverride) Late() bool { return o.landing() == overrideLate }

// Refusal is why the experiment is refused for o: the flag, the field,
// the script's line and time, and how to measure the flag's field alone.
func (o ScriptOverride) Refusal() error {
	where := "the script"
	if o.Where != "" {
		where = o.Where + ": the script"
	}
	into := ""
	if o.End > 0 {
		into = fmt.Sprintf(", %d%% into each run (which ends at %s)", int(math.Round(100*float64(o.At)/float64(o.End))), format.Duration(o.End))
	}
	why := fmt.Sprintf("from then on every run has the script's value, so %s would be measured over the first %s only", o.flagPath(), format.Duration(o.At))
	if o.Why != "" {
		why = o.Why
	}
	return fmt.Errorf("%s: %s sets %s at %s%s: %s. Leave the script out (%s), or stop the runs before its change (%s)",
		o.flagPath(), where, o.Set, format.Duration(o.At), into, why, o.Without, o.before())
}

// flagPath is the flag with its path, as given: "--vary exchange.tmax",
// "--variant slow:exchange.tmax".
func (o ScriptOverride) flagPath() string {
	if strings.HasSuffix(o.Flag, ":") {
		return o.Flag + o.Path
	}
	return o.Flag + " " + o.Path
}

// before is a --duration that stops the runs before o's change.
func (o ScriptOverride) before() string {
	step := sim.Second
	if o.At <= 2*sim.Second {
		step = sim.Millisecond
	}
	if o.At <= step {
		return "--duration below " + format.Duration(o.At)
	}
	return "--duration " + format.Duration(o.At-step)
}

// Note is what an experiment says above its table of o, an override late
// in the runs.
func (o ScriptOverride) Note() string {
	where := "the script"
	if o.Where != "" {
		where = o.Where + ": the script"
	}
	var when, then string
	switch {
	case o.At < o.End:
		when = fmt.Sprintf(", in the last %s of each run (which ends at %s)", pct(float64(o.End-o.At)/float64(o.End)), format.Duration(o.End))
		then = fmt.Sprintf("from then on every run has the script's value, so the figures measure %s over the first %s only", o.flagPath(), format.Duration(o.At))
		if o.Why != "" {
			then = o.Why
		}
	case o.At == o.End:
		when = ", the runs' last instant"
		then = "no auction runs after it, but the world at the end (theory.*, settings.*) is the script's"
	default:
		when = fmt.Sprintf(", about when the runs stop (their stop counts auctions: %s planned)", format.Duration(o.End))
		then = "a run that goes past it has the script's value from then on"
	}
	alone := "measures " + o.flagPath() + " alone"
	if o.Why != "" {
		alone = "leaves it out"
	}
	return fmt.Sprintf("note: %s sets %s at %s%s: %s (%s, or %s, %s)",
		where, o.Set, format.Duration(o.At), when, then, o.Without, o.before(), alone)
}

// RunNote is what a run (run, run --reps: no comparison, so nothing
// refused) warns of o, a step of its script that sets again a field its
// --set gave: from o.At on the run has the script's value; "" when o
// comes after the run's end. run is "the run", or "each run" of
// replications.
func (o ScriptOverride) RunNote(run string) string {
	if o.landing() == overrideOutside {
		return ""
	}
	where := "the script"
	if o.Where != "" {
		where = o.Where + ": the script"
	}
	when := ""
	switch {
	case o.End > 0 && o.At <= o.End:
		when = fmt.Sprintf(", %s into %s (which ends at %s)", pct(float64(o.At)/float64(o.End)), run, format.Duration(o.End))
	case o.End > 0:
		when = fmt.Sprintf(", about when %s stops (its stop counts auctions: %s planned)", run, format.Duration(o.End))
	}
	return fmt.Sprintf("%s: %s sets %s at %s%s: from then on %s has the script's value, not %s's (%s leaves the script out, %s stops %s before it)",
		o.flagPath(), where, o.Set, format.Duration(o.At), when, run, o.Flag, o.Without, o.before(), run)
}

// SetPaths are the paths of sets ("bidders.a.budget.total=25" or a Set),
// in order: what FindScriptOverrides checks for a flag that gives them.
func SetPaths[T scenarios.Set | string](sets []T) []string {
	var out []string
	for _, s := range sets {
		switch v := any(s).(type) {
		case scenarios.Set:
			out = append(out, v.Path)
		case string:
			path, _, _ := strings.Cut(v, "=")
			out = append(out, path)
		}
	}
	return out
}

// MovePaths are the budget paths compare's --move (texts, FROM:TO=AMOUNT)
// sets on src with sets (moveSets), for FindScriptOverrides; none when
// the moves do not apply, which the experiment refuses saying why.
func MovePaths(src scenarios.Text, sets []scenarios.Set, moves []string) []string {
	sc, _, err := src.Resolve(sets)
	if err != nil || len(moves) == 0 {
		return nil
	}
	moved, err := moveSets(sc, moves)
	if err != nil {
		return nil
	}
	return SetPaths(moved)
}

// pct is a share as a whole percentage, at least 1%.
func pct(x float64) string { return strconv.Itoa(max(1, int(math.Round(100*x)))) + "%" }

// ScriptOverrideNotes are the notes (ScriptOverride.Note) of the late
// overrides of os, wrapped at width (0: not), a blank line after them;
// "" when none is late.
func ScriptOverrideNotes(os []ScriptOverride, width int) string {
	var b strings.Builder
	for _, o := range os {
		if o.Late() {
			b.WriteString(wrapProse(o.Note()+"\n", width))
		}
	}
	if b.Len() == 0 {
		return ""
	}
	return b.String() + "\n"
}

// LateNotes are the notes of the late overrides of os, for the JSON's
// "notes": the table's (Note), its "note: " left out, unwrapped; nil
// when none is late.
func LateNotes(os []ScriptOverride) []string {
	var out []string
	for _, o := range os {
		if o.Late() {
			out = append(out, strings.TrimPrefix(o.Note(), "note: "))
		}
	}
	return out
}

// pathsOverlap reports whether setting one of the paths a and b changes
// what the other names: one is the other or a part of it, segment by
// segment, "*" (every bidder) matching any segment.
func pathsOverlap(a, b string) bool {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := range min(len(as), len(bs)) {
		if as[i] != bs[i] && as[i] != "*" && bs[i] != "*" {
			return false
		}
	}
	return true
}
