package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/cmd/internal/cli"
	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// inProcess runs the command line in this process, with buffers for
// streams.
func inProcess(args ...string) ran {
	var out, errb bytes.Buffer
	code := realMain(args, streams{out: &out, err: &errb, getenv: func(string) string { return "" }})
	return ran{code: code, stdout: out.String(), stderr: errb.String()}
}

// failingWriter fails every write, as a full disk does.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, syscall.ENOSPC }

// TestWriteErrorsFail checks that every command exits non-zero when its
// output cannot be written, and says so.
func TestWriteErrorsFail(t *testing.T) {
	for _, args := range [][]string{
		{"--help"}, {"help"}, {"help", "run"}, {"run", "--help"}, {"validate", "--help"},
		{"validate", "timeout-demo"}, {"scenarios"}, {"scenarios", "show", "timeout-demo"},
		{"run", "-s", "classroom-vickrey", "--auctions", "1000", "--json"},
		{"run", "-s", "classroom-vickrey", "--auctions", "1000"},
	} {
		var errb bytes.Buffer
		code := realMain(args, streams{out: failingWriter{}, err: &errb, getenv: func(string) string { return "" }})
		if code == exitOK || !strings.Contains(errb.String(), "no space left") {
			t.Errorf("%v: exit %d, stderr %q", args, code, errb.String())
		}
	}
	// And a real full device, for the binary.
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skip("no /dev/full")
	}
	defer full.Close()
	for _, args := range [][]string{{"--help"}, {"validate", "timeout-demo"}, {"scenarios"}} {
		cmd := exec.Command(binary, args...)
		cmd.Stdout = full
		var errb bytes.Buffer
		cmd.Stderr = &errb
		err := cmd.Run()
		if err == nil || cmd.ProcessState.ExitCode() == exitOK {
			t.Errorf("%v > /dev/full: exit %d, stderr %q", args, cmd.ProcessState.ExitCode(), errb.String())
		}
	}
}

// TestFlagErrorsDashes checks that flag errors spell flags as the help
// does: --name, and -s for the one-letter alias.
func TestFlagErrorsDashes(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "--foo"}, "flag provided but not defined: --foo"},
		{[]string{"run", "-foo"}, "flag provided but not defined: --foo"},
		{[]string{"run", "--auctions", "0"}, "--auctions must be > 0"},
		{[]string{"run", "--duration", "0s"}, "--duration must be > 0"},
		{[]string{"run", "--seed", "x"}, `invalid value "x" for flag --seed`},
		{[]string{"run", "--json=maybe"}, "for --json"},
		{[]string{"run", "--out"}, "flag needs an argument: --out"},
		{[]string{"run", "-s"}, "flag needs an argument: -s"},
		{[]string{"validate", "--strict"}, "flag provided but not defined: --strict"},
		{[]string{"tui", "--bogus"}, "flag provided but not defined: --bogus"},
	} {
		r := inProcess(c.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want %q", c.args, r.code, r.stderr, c.want)
		}
	}
}

// TestHelpFromFlags checks that each command's help lists every flag of
// its FlagSet, once, with its usage, and keeps its examples.
func TestHelpFromFlags(t *testing.T) {
	for _, def := range []func() *command{newRunCmd, newValidateCmd, newScenariosCmd} {
		c := def()
		help := c.Help()
		if !strings.Contains(help, "Examples:\n  auctionsim "+c.Name) || !strings.HasPrefix(help, "Usage: auctionsim "+c.Name) {
			t.Errorf("%s: no usage or examples:\n%s", c.Name, help)
		}
		c.Flags.VisitAll(func(f *flag.Flag) {
			name := "--" + f.Name
			if len(f.Name) == 1 {
				name = "-" + f.Name + ", --"
			}
			if strings.Count(help, name+" ")+strings.Count(help, name+"\n") == 0 && !strings.Contains(help, name) {
				t.Errorf("%s: flag %s missing from the help", c.Name, name)
			}
			if f.Usage != "" {
				_, usage := flag.UnquoteUsage(f)
				first := strings.Fields(usage)
				if len(first) > 1 && !strings.Contains(help, first[1]) {
					t.Errorf("%s: the usage of %s is missing", c.Name, name)
				}
			}
		})
		for _, line := range strings.Split(help, "\n") {
			if len([]rune(line)) > cli.HelpWidth && !strings.HasPrefix(line, "  auctionsim ") {
				t.Errorf("%s: help line longer than %d: %q", c.Name, cli.HelpWidth, line)
			}
		}
	}
	run := newRunCmd().Help()
	for _, want := range []string{"-s, --scenario NAME|FILE", "--seed N", "--replay FILE.json", "(default timeout-demo)"} {
		if !strings.Contains(strings.Join(strings.Fields(run), " "), want) {
			t.Errorf("run's help has no %q:\n%s", want, run)
		}
	}
	if strings.Count(run, "--scenario") != 1 || strings.Contains(run, "\n  -s  ") {
		t.Errorf("the -s alias has a row of its own:\n%s", run)
	}
	// The overall help lists every command.
	r := inProcess("--help")
	for _, c := range commands(streams{}).Entries {
		if !strings.Contains(r.stdout, "auctionsim "+c.Name) {
			t.Errorf("--help does not list %s", c.Name)
		}
	}
}

// writeScenario writes src as a scenario file named name in dir.
func writeScenario(t *testing.T, dir, name, src string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestOutRefusedBeforeRun checks that --out naming the scenario file (by
// another path, through a symbolic link, relatively), the replayed file or
// a directory is refused before the run, leaving the input untouched.
func TestOutRefusedBeforeRun(t *testing.T) {
	dir := t.TempDir()
	src, _ := scenarios.Source("classroom-vickrey")
	// A YAML scenario whose name ends in .json, so --out could name it.
	world := writeScenario(t, dir, "world.json", string(src))
	if err := os.Symlink(dir, filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "taken.json"), 0o755); err != nil {
		t.Fatal(err)
	}
	export := filepath.Join(dir, "export.json")
	if r := inProcess("run", "-s", world, "--auctions", "1000", "--out", export); r.code != exitOK {
		t.Fatalf("export: exit %d: %s", r.code, r.stderr)
	}
	exported, _ := os.ReadFile(export)
	t.Chdir(dir)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-s", world, "--out", world}, "overwrite"},
		{[]string{"-s", world, "--out", filepath.Join(dir, "link", "world.json")}, "overwrite"},
		{[]string{"-s", world, "--out", dir + "/./sub/../world.json"}, "overwrite"}, // sub does not exist
		{[]string{"-s", "./world.json", "--out", "world.json"}, "overwrite"},
		{[]string{"-s", world, "--out", filepath.Join(dir, "taken.json")}, "is a directory"},
		{[]string{"-s", world, "--out", dir + "/"}, "is a directory"},
		{[]string{"--replay", export, "--out", export}, "overwrite"},
		{[]string{"--replay", "export.json", "--out", filepath.Join("link", "export.json")}, "overwrite"},
	} {
		args := append([]string{"run", "--json", "--auctions", "1000000000"}, c.args...)
		if c.args[0] == "--replay" {
			args = append([]string{"run", "--json"}, c.args...)
		}
		start := time.Now()
		r := inProcess(args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, c.want) || r.stdout != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and %q", c.args, r.code, r.stdout, r.stderr, c.want)
		}
		// A billion auctions take minutes: a refusal after the run would show.
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("%v: refused after %v", c.args, d)
		}
	}
	if got, _ := os.ReadFile(world); string(got) != string(src) {
		t.Error("the scenario file was changed")
	}
	if got, _ := os.ReadFile(export); string(got) != string(exported) {
		t.Error("the replayed file was changed")
	}
	// A path that does not exist yet still resolves through links.
	if !report.SamePath(filepath.Join(dir, "link", "new.json"), filepath.Join(dir, "new.json")) {
		t.Error("SamePath: a new file through a linked directory")
	}
	if report.SamePath(filepath.Join(dir, "a.json"), filepath.Join(dir, "b.json")) {
		t.Error("SamePath: two new files")
	}
}

// summaryOf parses a JSON document and drops the fields a replay may
// change (wall_seconds, partial) and those only an export has.
func summaryOf(t *testing.T, raw []byte) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	for _, k := range []string{"wall_seconds", "partial", "series", "replay"} {
		delete(m, k)
	}
	out, _ := json.Marshal(m)
	return string(out)
}

// linesBut is text without the lines that name one of keys.
func linesBut(text string, keys ...string) string {
	var keep []string
	for _, l := range strings.Split(text, "\n") {
		skip := false
		for _, k := range keys {
			if strings.HasPrefix(strings.TrimSpace(l), `"`+k+`"`) {
				skip = true
			}
		}
		if !skip {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

// TestReplayLiveChanges makes a run the way the dashboard does (live
// changes of every kind through the engine, at odd points: mid-slice,
// after a run to a virtual time, two at one instant), exports it with
// report.Write, deletes the scenario file, and replays the export: the
// summary must be the export's, and the replay's own export the same file,
// apart from wall_seconds and partial.
func TestReplayLiveChanges(t *testing.T) {
	dir := t.TempDir()
	src, _ := scenarios.Source("timeout-demo")
	path := writeScenario(t, dir, "mine.yaml", string(src))
	sc, err := scenarios.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	sc = sc.WithSeed(11)
	eng, err := sim.New(sc.Config)
	if err != nil {
		t.Fatal(err)
	}
	apply := func(c sim.Change) {
		t.Helper()
		if err := eng.Apply(c); err != nil {
			t.Fatal(err)
		}
	}
	eng.RunStop(sc.Stop, 40_001)
	apply(sim.SetTmax{Tmax: 80 * sim.Millisecond})
	apply(sim.ScaleLatency{Bidder: "tail", Factor: 1.25})
	eng.RunUntil(eng.Now() + 3*sim.Second + 12345)
	apply(sim.SetFloor{Floor: sim.PriceOf(0.15)})
	apply(sim.SetQPS{QPS: 1600})
	eng.RunAuctions(2500)
	apply(sim.SetBudget{Bidder: "harbor", Total: sim.MoneyOf(120)})
	apply(sim.SetEnabled{Bidder: "atlas", Enabled: false})
	apply(sim.SetStrategy{Bidder: "metro", Strategy: sim.Strategy{Kind: sim.Shade, Factor: 0.7}})
	apply(sim.SetPacing{Bidder: "swift", Pacing: sim.PacingThrottle})
	apply(sim.SetLatency{Bidder: "prairie", Latency: sim.LogNormalMedianP99(50e6, 130e6)})
	eng.RunStop(sc.Stop, 30_000)
	apply(sim.SetAuction{Auction: sim.FirstPrice})
	apply(sim.SetIncrement{Increment: sim.PriceOf(0.02)})
	eng.RunUntil(eng.Now() + 9*sim.Second)
	apply(sim.SetEnabled{Bidder: "atlas", Enabled: true}) // while "paused"

	export := filepath.Join(dir, "export.json")
	meta := report.Meta{Scenario: sc.Name, Partial: true, WallSeconds: 4.2,
		ScenarioYAML: sc.YAML, Stop: sc.Stop, Horizon: sc.Config.Horizon}
	if err := report.Write(export, eng.Snapshot(), meta); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	exported, _ := os.ReadFile(export)

	again := filepath.Join(dir, "again.json")
	r := inProcess("run", "--replay", export, "--json", "--out", again)
	if r.code != exitOK {
		t.Fatalf("replay: exit %d: %s", r.code, r.stderr)
	}
	if got, want := summaryOf(t, []byte(r.stdout)), summaryOf(t, exported); got != want {
		t.Errorf("the replay's summary differs from the export's:\n%s\n%s", got, want)
	}
	var m struct {
		Changes []map[string]any `json:"changes"`
	}
	_ = json.Unmarshal([]byte(r.stdout), &m)
	if len(m.Changes) != 12 || m.Changes[0]["kind"] != "tmax" || m.Changes[0]["value"] != 80.0 || m.Changes[1]["bidder"] != "tail" {
		t.Errorf("changes: %v", m.Changes)
	}
	replayed, _ := os.ReadFile(again)
	if a, b := linesBut(string(replayed), "wall_seconds", "partial"), linesBut(string(exported), "wall_seconds", "partial"); a != b {
		t.Error("the replay's export differs from the original export beyond wall_seconds and partial")
	}
	// A replay of the replay, and a run's own export, replay the same.
	r2 := inProcess("run", "--replay", again, "--json")
	if r2.code != exitOK || summaryOf(t, []byte(r2.stdout)) != summaryOf(t, exported) {
		t.Errorf("replay of the replay: exit %d: %s", r2.code, r2.stderr)
	}
}

// TestRunOutReplays checks that `run --out` writes an export that
// replays to the same summary the run printed.
func TestRunOutReplays(t *testing.T) {
	export := filepath.Join(t.TempDir(), "run.json")
	a := inProcess("run", "-s", "pacing-showdown", "--duration", "20s", "--seed", "5", "--json", "--out", export)
	if a.code != exitOK {
		t.Fatalf("run: exit %d: %s", a.code, a.stderr)
	}
	b := inProcess("run", "--replay", export, "--json")
	if b.code != exitOK {
		t.Fatalf("replay: exit %d: %s", b.code, b.stderr)
	}
	if linesBut(a.stdout, "wall_seconds") != linesBut(b.stdout, "wall_seconds") {
		t.Errorf("replay differs:\n%s\n%s", a.stdout, b.stdout)
	}
	if !strings.Contains(b.stdout, `"partial": false`) {
		t.Error("a replay to the stop is partial")
	}
}

// TestReplayRefused checks the files and flags --replay refuses, each
// with exit 2 and a message naming the problem.
func TestReplayRefused(t *testing.T) {
	dir := t.TempDir()
	export := filepath.Join(dir, "run.json")
	if r := inProcess("run", "-s", "budget-split", "--auctions", "3000", "--out", export); r.code != exitOK {
		t.Fatalf("export: exit %d: %s", r.code, r.stderr)
	}
	good, _ := os.ReadFile(export)
	edit := func(f func(m map[string]any)) string {
		var m map[string]any
		if err := json.Unmarshal(good, &m); err != nil {
			t.Fatal(err)
		}
		f(m)
		out, _ := json.Marshal(m)
		return string(out)
	}
	replay := func(m map[string]any) map[string]any { return m["replay"].(map[string]any) }
	summary := inProcess("run", "-s", "budget-split", "--auctions", "3000", "--json").stdout
	for _, c := range []struct {
		name, text, want string
	}{
		{"malformed", string(good[:len(good)/3]), "not a valid export"},
		{"empty", "", "not a valid export"},
		{"summary only", summary, "no replay section"},
		{"version", edit(func(m map[string]any) { replay(m)["version"] = 3 }), "line 1: replay.version 3"},
		// Version 2 relabelled 1: refused as read, not "replay diverged".
		{"relabelled", edit(func(m map[string]any) {
			replay(m)["version"] = 1
			m["changes"] = []any{map[string]any{"kind": "floor", "value": 0.2, "set": map[string]any{"exchange.floor": "0.2"}, "at_ns": 0, "event": 0}}
		}), "line 1: replay.version 1, but changes[0] has a set"},
		{"scenario no longer parses", edit(func(m map[string]any) { replay(m)["scenario_yaml"] = "name: [\n" }), "no longer parses"},
		{"scenario invalid", edit(func(m map[string]any) {
			replay(m)["scenario_yaml"] = strings.Replace(replay(m)["scenario_yaml"].(string), "qps:", "qps: -1 #", 1)
		}), "no longer parses"},
		{"unknown bidder", edit(func(m map[string]any) {
			m["changes"] = []any{map[string]any{"kind": "enabled", "bidder": "nobody", "value": false, "at_ns": 0, "event": 0}}
		}), "nobody"},
		{"horizon", edit(func(m map[string]any) { replay(m)["horizon_ns"] = 12345 }), "horizon"},
	} {
		path := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "-")+".json")
		if err := os.WriteFile(path, []byte(c.text), 0o644); err != nil {
			t.Fatal(err)
		}
		r := inProcess("run", "--replay", path, "--json")
		if r.code != exitUsage || !strings.Contains(r.stderr, c.want) || !strings.Contains(r.stderr, path) || r.stdout != "" {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want exit 2 and %q", c.name, r.code, r.stdout, r.stderr, c.want)
		}
	}
	for _, args := range [][]string{
		{"--replay", export, "-s", "timeout-demo"},
		{"--replay", export, "--seed", "3"},
		{"--replay", export, "--auctions", "5"},
		{"--replay", filepath.Join(dir, "missing.json")},
		{"--replay", dir},
	} {
		r := inProcess(append([]string{"run"}, args...)...)
		if r.code != exitUsage || r.stderr == "" {
			t.Errorf("%v: exit %d, stderr %q", args, r.code, r.stderr)
		}
	}
}

// TestInterruptSlowClosing sends SIGINT to a run whose auctions close
// 1,000 virtual seconds apart while pacing fires every millisecond: the
// run must stop promptly (the engine aims at 10 ms between looks at the
// signal), not after the next chunk of auctions.
func TestInterruptSlowClosing(t *testing.T) {
	dir := t.TempDir()
	path := writeScenario(t, dir, "slow.yaml", `name: slow
stop: {duration: 10000h}
traffic: {qps: 0.001}
exchange: {tmax: 100ms}
pacing: {interval: 1ms}
bidders:
  - {name: a, value: 1, budget: {total: 100, pacing: throttle}}
`)
	var last string
	for _, wait := range []time.Duration{300 * time.Millisecond, time.Second, 3 * time.Second, 10 * time.Second} {
		r := interrupt(t, wait, 30*time.Second, "the run did not stop within 30s of SIGINT", "run", "-s", path, "--json")
		if r.early {
			last = "at every head start the signal came before the run began"
			continue
		}
		if code := r.code; code != exitInterrupted {
			t.Fatalf("exit %d, want 130; stderr %q", code, r.stderr.String())
		}
		// Generous for a loaded machine; the design bound is 200 ms.
		if r.took > 3*time.Second {
			t.Errorf("took %v to stop", r.took)
		}
		t.Logf("stopped %v after SIGINT", r.took)
		var m map[string]any
		if err := json.Unmarshal(r.stdout.Bytes(), &m); err != nil || m["partial"] != true {
			t.Errorf("partial summary: %v %v", err, m["partial"])
		}
		return
	}
	t.Fatal(last)
}
