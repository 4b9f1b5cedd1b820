package report

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/sim/experiment"
)

// TestCheckExt checks an output's extension, in any case, and that a
// refusal names the flag.
func TestCheckExt(t *testing.T) {
	if err := CheckExt("--out", "a/R.JSON", ".json", ".csv"); err != nil {
		t.Error(err)
	}
	err := CheckExt("--out", "r.txt", ".json", ".csv")
	var oe *OptionError
	if err == nil || err.Error() != "--out r.txt: the file name must end in .json or .csv" || !errors.As(err, &oe) || oe.Option() != "--out" {
		t.Errorf("r.txt: %v", err)
	}
}

// TestExpOptionsCheck checks the experiment options' refusals, each an
// OptionError naming its flag, and --workers' default.
func TestExpOptionsCheck(t *testing.T) {
	noPlot := func(path, out string) error { return nil }
	for _, c := range []struct {
		o     ExpOptions
		given []string
		flag  string
		want  string
	}{
		{ExpOptions{Reps: 1}, nil, "--reps", "--reps 1: want at least 2"},
		{ExpOptions{Reps: 2}, []string{"workers"}, "--workers", "--workers 0: want at least 1"},
		{ExpOptions{Reps: 2}, []string{"auctions"}, "--auctions", "--auctions must be > 0"},
		{ExpOptions{Reps: 2, Duration: -time.Second}, []string{"duration"}, "--duration", "--duration must be > 0"},
		{ExpOptions{Reps: 2, Shard: "3/2", Out: "s.jsonl"}, nil, "--shard", "--shard: "},
		{ExpOptions{Reps: 2, Shard: "0/2"}, nil, "--shard", "--shard needs --out FILE"},
		{ExpOptions{Reps: 2, Shard: "0/2", Out: "s.jsonl", Plot: "p.svg"}, nil, "--plot", "--plot goes with merge"},
		{ExpOptions{Reps: 2, Out: "r.txt"}, nil, "--out", "--out r.txt: the file name must end in .json"},
	} {
		given := map[string]bool{}
		for _, g := range c.given {
			given[g] = true
		}
		err := c.o.Check(given, noPlot, ".json")
		var oe *OptionError
		if !errors.As(err, &oe) || oe.Option() != c.flag || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%+v: %v; want %s refused: %q", c.o, err, c.flag, c.want)
		}
	}
	o := ExpOptions{Reps: 2, Plot: "p.gif"}
	plotErr := errors.New("plot refused")
	if err := o.Check(map[string]bool{}, func(path, out string) error { return plotErr }, ".json"); err != plotErr || o.Workers < 1 {
		t.Errorf("the plot's check: %v; workers %d", err, o.Workers)
	}
}

// TestBaseSets checks the overrides --seed and the stop stand for, after
// --set's.
func TestBaseSets(t *testing.T) {
	seed := uint64(7)
	o := ExpOptions{Auctions: 300, Given: map[string]bool{"auctions": true}}
	var got []string
	for _, s := range o.BaseSets(nil, &seed) {
		got = append(got, s.Path+"="+s.Value)
	}
	if len(got) != 2 || got[0] != "seed=7" || !strings.HasPrefix(got[1], "stop") {
		t.Errorf("base sets %q", got)
	}
	if sets := (&ExpOptions{}).BaseSets(nil, nil); len(sets) != 0 {
		t.Errorf("no flags, yet %v", sets)
	}
}

// TestCheckOut checks a single run's --out: none passes, a format
// unknown is refused naming the flag.
func TestCheckOut(t *testing.T) {
	for _, ok := range []string{"", "r.json", "r.CSV"} {
		if err := CheckOut(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	var oe *OptionError
	if err := CheckOut("r.txt"); !errors.As(err, &oe) || oe.Option() != "--out" || !strings.HasPrefix(err.Error(), "--out: ") {
		t.Errorf("r.txt: %v", err)
	}
}

// TestCheckRunFlags checks run's flags that cannot go together, each
// refusal naming the flag to drop.
func TestCheckRunFlags(t *testing.T) {
	for _, c := range []struct {
		given []string
		flag  string
		want  string
	}{
		{[]string{"metrics"}, "--metrics", "--metrics chooses among the statistics of --reps N"},
		{[]string{"reps", "openrtb-out"}, "--openrtb", "--openrtb writes one run's auctions"},
		{[]string{"reps", "replay"}, "--reps", "--reps runs a scenario (-s), not a replay"},
		{[]string{"replay", "seed"}, "--seed", "--replay takes the scenario, seed and stop from the file: drop --seed"},
		{[]string{"replay", "duration"}, "--duration", "--replay takes the scenario, seed and stop from the file: drop --duration"},
		// Ignored unseen: the replay ran the file's floor, one run ran
		// whole instead of a shard.
		{[]string{"replay", "set"}, "--set", "--replay takes the scenario, seed and stop from the file: drop --set"},
		{[]string{"replay", "no-script"}, "--no-script", "--replay takes the scenario, seed and stop from the file: drop --no-script"},
		// The export's budgets are those it ran with: --no-scale was
		// accepted and changed nothing.
		{[]string{"replay", "no-scale"}, "--no-scale", "--replay takes the scenario, seed and stop from the file: drop --no-scale"},
		{[]string{"shard", "out"}, "--shard", "--shard runs a share of the replications of --reps N"},
		{[]string{"workers"}, "--workers", "--workers runs the replications of --reps N at once"},
	} {
		given := map[string]bool{}
		for _, g := range c.given {
			given[g] = true
		}
		err := CheckRunFlags(given)
		var oe *OptionError
		if !errors.As(err, &oe) || oe.Option() != c.flag || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%v: %v; want %q", c.given, err, c.want)
		}
	}
	for _, ok := range [][]string{nil, {"reps", "metrics", "seed"}, {"replay", "json", "out"}, {"seed", "openrtb"}, {"reps", "shard", "workers", "out"}} {
		given := map[string]bool{}
		for _, g := range ok {
			given[g] = true
		}
		if err := CheckRunFlags(given); err != nil {
			t.Errorf("%v: %v", ok, err)
		}
	}
}

// TestCheckMergedOut checks merge's --out against the merged command's
// formats.
func TestCheckMergedOut(t *testing.T) {
	for _, c := range []struct {
		out, command string
		ok           bool
	}{
		{"", "compare", true}, {"m.csv", "sweep", true}, {"m.csv", "run", true},
		{"m.csv", "compare", false}, {"m.json", "compare", true}, {"m.txt", "sweep", false},
	} {
		err := CheckMergedOut(c.out)(&experiment.Spec{Command: c.command})
		if (err == nil) != c.ok {
			t.Errorf("%s of %s: %v", c.out, c.command, err)
		}
	}
}
