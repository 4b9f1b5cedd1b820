package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
)

// TestExperimentsNoScript: run --reps, sweep and compare take
// --no-script, as run does, and honour it: their replications leave the
// script out, exactly as --set script=[] does, and differ from the
// script's. They took the flag and ran timeout-story's script all the
// same (metro's slowdown at 30 s and all), the planner none the wiser;
// compare refused it.
func TestExperimentsNoScript(t *testing.T) {
	for _, args := range [][]string{
		{"run", "-s", "timeout-story", "--reps", "2", "--duration", "45s"},
		{"sweep", "-s", "timeout-story", "--reps", "2", "--duration", "45s", "--vary", "exchange.floor=0.1,0.2"},
		{"compare", "timeout-story", "--change", "exchange.floor=0.2", "--reps", "2", "--duration", "45s"},
		{"compare", "timeout-story", "timeout-demo", "--reps", "2", "--duration", "45s"},
	} {
		table := func(extra ...string) string {
			r := inProcess(append(append([]string(nil), args...), extra...)...)
			if r.code != exitOK {
				t.Fatalf("%v %v: exit %d: %s", args, extra, r.code, r.stderr)
			}
			return r.stdout
		}
		none, empty, script := table("--no-script"), table("--set", "script=[]"), table()
		if none != empty {
			t.Errorf("%v --no-script:\n%s\nwant as --set script=[]:\n%s", args, none, empty)
		}
		if none == script {
			t.Errorf("%v: --no-script ran the script:\n%s", args, none)
		}
	}
}

// TestScriptOverrideRefused: a sweep (or compare --change) of a field
// the scenario's script sets again early in the run (timeout-story's
// tmax, 350ms from 1m0s of 2m0s) measured the flag's field over the
// first half only, every point at the script's tmax after, with a
// warning on stderr alone. It is refused up front (exit 2, nothing run),
// naming the flag, the field, the file's line and the time, and how to
// measure the field alone: --no-script, or a --duration that stops the
// runs before the change, each of which then runs without a word of it.
// Late in the runs (1m0s of 1m5s) it runs, and the table says so first,
// the JSON in its "notes".
func TestScriptOverrideRefused(t *testing.T) {
	sc, err := scenarios.Bundled("timeout-story")
	if err != nil {
		t.Fatal(err)
	}
	text := string(sc.YAML)
	line := strings.Count(text[:strings.Index(text, "set: {exchange.tmax: 350ms}")], "\n") + 1
	where := fmt.Sprintf("timeout-story.yaml:%d: the script sets exchange.tmax=350ms at 1m0s", line)
	for _, c := range []struct {
		flag string // the flag and its path, as the refusal names them
		args []string
	}{
		{"--vary exchange.tmax", []string{"sweep", "-s", "timeout-story", "--reps", "2", "--vary", "exchange.tmax=100ms,200ms"}},
		{"--change exchange.tmax", []string{"compare", "timeout-story", "--change", "exchange.tmax=200ms", "--reps", "2"}},
		{"--variant slow:exchange.tmax", []string{"compare", "timeout-story", "--variant", "slow:exchange.tmax=200ms", "--variant", "low:exchange.floor=0.2", "--reps", "2"}},
	} {
		run := func(extra ...string) ran { return inProcess(append(append([]string(nil), c.args...), extra...)...) }
		r := run()
		if r.code != exitUsage || r.stdout != "" {
			t.Fatalf("%v: exit %d, stdout %q; want 2 and nothing run", c.args, r.code, r.stdout)
		}
		for _, want := range []string{c.flag + ": " + where + ", 50% into each run (which ends at 2m0s)",
			"Leave the script out (--no-script), or stop the runs before its change (--duration 59s)"} {
			if !strings.Contains(r.stderr, want) {
				t.Errorf("%v: the refusal lacks %q:\n%s", c.args, want, r.stderr)
			}
		}
		for _, extra := range [][]string{{"--no-script"}, {"--duration", "59s"}} {
			r := run(extra...)
			if r.code != exitOK || strings.Contains(r.stderr, "350ms") || strings.Contains(r.stdout, "note:") {
				t.Errorf("%v %v: exit %d, stderr %q, stdout:\n%s", c.args, extra, r.code, r.stderr, r.stdout)
			}
		}
		r = run("--duration", "65s")
		// Piped, the note wraps within 100 columns: read it as words.
		if r.code != exitOK || !strings.HasPrefix(strings.Join(strings.Fields(r.stdout), " "), "note: "+where+", in the last 8% of each run (which ends at 1m5s)") ||
			!strings.Contains(r.stderr, "warning: "+where) {
			t.Errorf("%v --duration 65s: exit %d, stderr %q, stdout:\n%s", c.args, r.code, r.stderr, r.stdout)
		}
		r = run("--duration", "65s", "--json")
		if r.code != exitOK || !strings.HasPrefix(r.stdout, "{") || !strings.Contains(r.stderr, "warning: "+where) {
			t.Errorf("%v --duration 65s --json: exit %d, stderr %q, stdout %.80q", c.args, r.code, r.stderr, r.stdout)
		}
		// The JSON says it too, as the table does ("notes"): it was on
		// stderr alone, which a pipeline reading stdout never sees.
		var out struct{ Notes []string }
		if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || len(out.Notes) != 1 ||
			!strings.HasPrefix(out.Notes[0], where+", in the last 8% of each run (which ends at 1m5s)") || !strings.Contains(out.Notes[0], c.flag) {
			t.Errorf("%v --duration 65s --json: notes %q (%v), want the table's note of %s", c.args, out.Notes, err, c.flag)
		}
		// Without a late override: no "notes".
		if r := run("--duration", "59s", "--json"); r.code != exitOK || strings.Contains(r.stdout, `"notes"`) {
			t.Errorf("%v --duration 59s --json: exit %d, notes in %.200q", c.args, r.code, r.stdout)
		}
	}
}

// TestScriptOverrideMoveSplitRun: compare --move and split vary budgets
// as sweep's --vary varies a field, and are refused as it is when the
// script sets one of those budgets again before the runs' last tenth
// (exit 2, nothing run, naming the flag, the field, the file's line and
// time); run --set of a field the script sets again is run (a run
// compares nothing), with a warning on stderr naming the same. They went
// unchecked: the budget moved was measured over half of each run.
func TestScriptOverrideMoveSplitRun(t *testing.T) {
	sc, err := scenarios.Bundled("budget-split")
	if err != nil {
		t.Fatal(err)
	}
	text := string(sc.YAML)
	stop := "stop: {duration: 10m}\n"
	if !strings.Contains(text, stop) {
		t.Fatalf("budget-split has no %q", stop)
	}
	// retarget's total set again half way through each run, on line n.
	text = strings.Replace(text, stop, stop+"script:\n  - at: 5m\n    set: {bidders.acme-retarget.budget.total: 300}\n", 1)
	n := strings.Count(text[:strings.Index(text, "set: {bidders.acme-retarget")], "\n") + 1
	path := filepath.Join(t.TempDir(), "scripted.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	where := fmt.Sprintf("%s:%d: the script sets bidders.acme-retarget.budget.total=300 at 5m0s", path, n)
	for _, c := range []struct {
		flag string
		args []string
	}{
		{"--move bidders.acme-retarget.budget.total", []string{"compare", path, "--move", "acme-retarget:acme-prospect=100", "--reps", "2"}},
		{"--group acme bidders.acme-retarget.budget.total", []string{"split", "-s", path, "--group", "acme", "--reps", "2"}},
	} {
		r := inProcess(c.args...)
		if r.code != exitUsage || r.stdout != "" {
			t.Fatalf("%v: exit %d, stdout %q; want 2 and nothing run", c.args, r.code, r.stdout)
		}
		for _, want := range []string{c.flag + ": " + where + ", 50% into each run (which ends at 10m0s)",
			"Leave the script out (--no-script), or stop the runs before its change (--duration 4m59s)"} {
			if !strings.Contains(r.stderr, want) {
				t.Errorf("%v: the refusal lacks %q:\n%s", c.args, want, r.stderr)
			}
		}
	}
	// A move that leaves retarget's budget alone is not the script's.
	if r := inProcess("compare", path, "--move", "acme-prospect:acme-lookalike=100", "--reps", "2", "--duration", "10s"); r.code != exitOK || strings.Contains(r.stderr, "the script sets") {
		t.Errorf("a move the script does not touch: exit %d, stderr %q", r.code, r.stderr)
	}
	// run --set: run, said on stderr, with and without --reps.
	for _, reps := range [][]string{nil, {"--reps", "2"}} {
		run := func(extra ...string) ran {
			args := append([]string{"run", "-s", path, "--set", "bidders.acme-retarget.budget.total=100"}, reps...)
			return inProcess(append(args, extra...)...)
		}
		each := "the run"
		if reps != nil {
			each = "each run"
		}
		want := "warning: --set bidders.acme-retarget.budget.total: " + where + ", 97% into " + each + " (which ends at 5m10s): from then on " + each + " has the script's value, not --set's"
		if r := run("--duration", "5m10s"); r.code != exitOK || !strings.Contains(r.stderr, want) {
			t.Errorf("%v: exit %d, stderr lacks %q:\n%s", reps, r.code, want, r.stderr)
		}
		// Before the change, or without the script: nothing to say.
		for _, extra := range [][]string{{"--duration", "4m"}, {"--duration", "5m10s", "--no-script"}} {
			if r := run(extra...); r.code != exitOK || strings.Contains(r.stderr, "the script sets") {
				t.Errorf("%v %v: exit %d, stderr %q", reps, extra, r.code, r.stderr)
			}
		}
	}
}

// TestScriptOverrideDailySplitTotal: split --budget daily keeps each
// member's total but empties a member given no daily budget with
// budget={total: 0} (every curve's 0): a script that sets a member's
// total before the runs' last tenth would have that member spend it from
// then on (good paced by throttle read 89 of incremental value at a
// daily budget of 0, above its 67 at 2), so it is refused as a script's change of the
// daily budgets is (exit 2, nothing run, naming the flag, the field, the
// file's line and time); a total of a bidder outside the group is not
// the split's.
func TestScriptOverrideDailySplitTotal(t *testing.T) {
	text, err := os.ReadFile(dailyKnownFile)
	if err != nil {
		t.Fatal(err)
	}
	stop := "stop: {duration: 48h}\n"
	if !strings.Contains(string(text), stop) {
		t.Fatalf("%s has no %q", dailyKnownFile, stop)
	}
	write := func(set string) (path string, line int) {
		s := strings.Replace(string(text), stop, stop+"script:\n  - at: 12h\n    set: {"+set+"}\n", 1)
		path = filepath.Join(t.TempDir(), "scripted.yaml")
		if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return path, strings.Count(s[:strings.Index(s, "set: {"+set)], "\n") + 1
	}
	path, n := write("bidders.good.budget.total: 5")
	r := inProcess("split", "-s", path, "--group", "g", "--budget", "daily", "--step", "10%", "--reps", "2")
	if r.code != exitUsage || r.stdout != "" {
		t.Fatalf("exit %d, stdout %q; want 2 and nothing run", r.code, r.stdout)
	}
	for _, want := range []string{
		fmt.Sprintf("--group g bidders.good.budget.total: %s:%d: the script sets bidders.good.budget.total=5 at 12h0m0s, 25%% into each run (which ends at 48h0m0s)", path, n),
		"a member the split gives no daily budget (budget={total: 0}: every curve's 0) spends",
		"Leave the script out (--no-script), or stop the runs before its change (--duration 11h59m59s)",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("the refusal lacks %q:\n%s", want, r.stderr)
		}
	}
	// rival is in no group: its total is the world the splits share.
	path, _ = write("bidders.rival.budget.total: 5")
	if r := inProcess("split", "-s", path, "--group", "g", "--budget", "daily", "--step", "10%", "--reps", "2", "--json"); r.code != exitOK || strings.Contains(r.stderr, "the script sets") {
		t.Errorf("a total outside the group: exit %d, stderr %q", r.code, r.stderr)
	}
}
