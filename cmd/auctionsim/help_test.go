package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
)

// TestHelpTexts: every help text the commands ask for is there and not
// empty, and every file in help/ is asked for (none left behind).
func TestHelpTexts(t *testing.T) {
	srcs, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	call := regexp.MustCompile(`helpText\("([a-z]+)"\)`)
	var asked []string
	for _, f := range srcs {
		if strings.HasSuffix(f, "_test.go") || f == "help.go" {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range call.FindAllStringSubmatch(string(b), -1) {
			asked = append(asked, m[1])
		}
	}
	if len(asked) == 0 {
		t.Fatal("no helpText call found")
	}
	for _, name := range asked {
		if strings.TrimSpace(helpText(name)) == "" {
			t.Errorf("help/%s.txt is empty", name)
		}
	}
	files, err := filepath.Glob("help/*.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if name := strings.TrimSuffix(filepath.Base(f), ".txt"); !slices.Contains(asked, name) {
			t.Errorf("%s is asked for by no command", f)
		}
	}
}

// TestHelpSaysTheProgressLog: the help of every command that runs
// replications says what it writes to a stderr that is not a terminal
// (a notebook, CI), where a planner looks before a long run.
func TestHelpSaysTheProgressLog(t *testing.T) {
	for _, cmd := range []string{"run", "compare", "sweep", "split"} {
		r := inProcess(cmd, "--help")
		if r.code != exitOK {
			t.Fatalf("%s --help: exit %d", cmd, r.code)
		}
		help := strings.Join(strings.Fields(r.stdout), " ")
		if !strings.Contains(help, "otherwise (a notebook, CI, 2> log) plain lines") {
			t.Errorf("%s --help does not say what stderr gets when it is not a terminal", cmd)
		}
	}
}

// TestSetExamplesWorkOnTheDefault: every --set example in its help is
// taken by the default scenario, so that a user trying one from run
// --help is not refused.
func TestSetExamplesWorkOnTheDefault(t *testing.T) {
	_, list, ok := strings.Cut(setUsage, "(repeatable): ")
	if !ok {
		t.Fatalf("no examples in %q", setUsage)
	}
	s, err := scenarios.Resolve(scenarios.Default)
	if err != nil {
		t.Fatal(err)
	}
	var examples []string
	depth, from := 0, 0
	for i, r := range list + "," {
		switch r {
		case '{':
			depth++
		case '}':
			depth--
		case ',':
			if depth == 0 {
				examples = append(examples, strings.TrimSpace(list[from:i]))
				from = i + 1
			}
		}
	}
	if len(examples) < 2 {
		t.Fatalf("examples %q", examples)
	}
	for _, ex := range examples {
		// NAME stands for a bidder: one of the default's must take it.
		var err error
		for _, b := range s.Config.Bidders {
			var set scenarios.Set
			if set, err = scenarios.ParseSet("--set", strings.ReplaceAll(strings.Trim(ex, "'"), "NAME", b.Name)); err != nil {
				t.Fatal(err)
			}
			if _, _, err = scenarios.ResolveWith(scenarios.Default, []scenarios.Set{set}); err == nil {
				break
			}
		}
		if err != nil {
			t.Errorf("--set %s on %s: %v", ex, scenarios.Default, err)
		}
	}
}

// TestNoScriptHelpWhereNoScriptRuns: bidders and loadgen take --no-script
// as every command that picks a scenario does, but run no script (it runs
// in the exchange): their help says the flag changes nothing there,
// rather than "ignore the scenario's script", which told a trainer that
// the bidders' server would otherwise run it. run's help keeps its own.
func TestNoScriptHelpWhereNoScriptRuns(t *testing.T) {
	for _, tc := range []struct {
		cmd, want string
	}{{"bidders", "no effect here"}, {"loadgen", "no effect here"}, {"run", "ignore the scenario's script"}} {
		r := inProcess(tc.cmd, "--help")
		if r.code != exitOK {
			t.Fatalf("%s --help: exit %d", tc.cmd, r.code)
		}
		help := strings.Join(strings.Fields(r.stdout), " ")
		_, line, _ := strings.Cut(help, "--no-script ")
		if !strings.HasPrefix(line, tc.want) {
			t.Errorf("%s --help: --no-script %.80q..., want %q", tc.cmd, line, tc.want)
		}
	}
}

// TestCompareMetricsHelp: compare's --metrics limits the table only, and
// its help says so: the JSON keeps every metric (unlike run --reps
// --metrics, whose JSON keeps to them), so the help must not let a
// planner expect a JSON of the metrics asked for.
func TestCompareMetricsHelp(t *testing.T) {
	h := inProcess("compare", "--help")
	var usage string
	for l := range strings.SplitSeq(h.stdout, "\n") {
		if strings.Contains(l, "--metrics M1,M2") {
			usage = l
		} else if usage != "" && strings.HasPrefix(l, strings.Repeat(" ", 20)) { // the usage's next line
			usage += " " + strings.TrimSpace(l)
		} else if usage != "" {
			break
		}
	}
	if !strings.Contains(usage, "table only") || !strings.Contains(usage, "--json and --out keep every metric") {
		t.Errorf("compare's --metrics help %q does not say that the JSON keeps every metric", usage)
	}
	r := run(t, "", "compare", "budget-split", "--change", "exchange.floor=0.3", "--auctions", "1000", "--reps", "2", "--workers", "1", "--json", "--metrics", "exchange.revenue")
	var out struct{ Metrics map[string]any }
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || len(out.Metrics) < 10 {
		t.Errorf("compare --json --metrics exchange.revenue: %d metrics (%v), want every metric, as the help says", len(out.Metrics), err)
	}
}

// TestLateGraceHelpSaysMeasured: --late-grace's help, run's and the
// dashboard's, says what README's "On the wire" says of it: an answer
// read in the grace counts at its measured time, only a call never
// answered is censored, and the dashboard's states the default.
func TestLateGraceHelpSaysMeasured(t *testing.T) {
	for _, cmd := range []string{"run", "tui"} {
		r := inProcess(cmd, "--help")
		if r.code != exitOK {
			t.Fatalf("%s --help: exit %d", cmd, r.code)
		}
		help := strings.Join(strings.Fields(r.stdout), " ")
		_, entry, ok := strings.Cut(help, "--late-grace D ")
		if !ok {
			t.Fatalf("%s --help has no --late-grace:\n%s", cmd, r.stdout)
		}
		if end := strings.Index(entry, " --"); end >= 0 {
			entry = entry[:end]
		}
		for _, says := range []string{"measured time", "never answered is censored", "500ms", "as Prebid Server does"} {
			if !strings.Contains(entry, says) {
				t.Errorf("%s --help's --late-grace does not say %q: %s", cmd, says, entry)
			}
		}
	}
}

// TestLoadgenHelpSaysWhatTheRateIsOver: loadgen's help says
// answered_per_second is over answered_seconds (to the last answer), as
// README says and wire.Load computes it; before, it said over
// elapsed_seconds, which runs on to the last give-up, 2 s past tmax.
func TestLoadgenHelpSaysWhatTheRateIsOver(t *testing.T) {
	r := inProcess("loadgen", "--help")
	if r.code != exitOK {
		t.Fatalf("loadgen --help: exit %d", r.code)
	}
	help := strings.Join(strings.Fields(r.stdout), " ")
	_, rate, ok := strings.Cut(help, "answered_per_second, the answers over ")
	if !ok || !strings.HasPrefix(rate, "answered_seconds (from the start to the last answer)") {
		t.Errorf("loadgen --help does not say answered_per_second is over answered_seconds: %s", help)
	}
}
