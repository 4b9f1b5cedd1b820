package scenarios

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// deadStepWorld stops after 10 minutes; its script's second step is at
// 90m, meant for 90s.
const deadStepWorld = `name: dead-step
stop: {duration: 10m}
traffic: {qps: 10}
exchange: {tmax: 100ms}
bidders:
  - {name: a, value: 1}
script:
  - at: 30s
    set: {exchange.floor: 0.2}
  - at: 90m
    set: {exchange.floor: 0.4}
`

// TestDeadScriptStep: a file whose script has a step after its own stop's
// duration is refused at that step's at, with file, line and field, by
// Load (validate, -s FILE) and by a command's loading with sets; it ran,
// the step never applied, without a word. A stop given apart that
// reaches the step (--duration 2h) runs it; a text whose stop a command
// shortened (an experiment's point, Parse) is not refused for the steps
// the shortening leaves out.
func TestDeadScriptStep(t *testing.T) {
	file := filepath.Join(t.TempDir(), "dead.yaml")
	if err := os.WriteFile(file, []byte(deadStepWorld), 0o644); err != nil {
		t.Fatal(err)
	}
	want := file + ":10:9: script[1].at: 1h30m is after the run's stop (stop.duration 10m): the step would never run"
	if _, err := Load(file); err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("Load: %v\nwant %q", err, want)
	}
	if _, err := (Pick{Name: file, Sets: []Set{{Path: "exchange.floor", Value: "0.1", Flag: "--set"}}}).Resolve(); err == nil || !strings.Contains(err.Error(), "script[1].at: 1h30m is after the run's stop") {
		t.Errorf("with --set: %v", err)
	}
	if _, err := (Pick{Name: file, Sets: []Set{StopSet(0, 2*3600e9)}, StopApart: true}).Resolve(); err != nil {
		t.Errorf("--duration 2h: %v", err)
	}
	// --set stop.duration lengthens the run as --duration does: the step
	// runs. One that leaves it short is still refused at the step's line.
	if _, err := (Pick{Name: file, Sets: []Set{{Path: "stop.duration", Value: "2h", Flag: "--set"}}}).Resolve(); err != nil {
		t.Errorf("--set stop.duration=2h: %v", err)
	}
	if _, err := (Pick{Name: file, Sets: []Set{{Path: "stop.duration", Value: "1h", Flag: "--set"}}}).Resolve(); err == nil || !strings.HasPrefix(err.Error(), file+":10:9: script[1].at: 1h30m is after the run's stop (stop.duration 1h)") {
		t.Errorf("--set stop.duration=1h: %v", err)
	}
	fixed := strings.Replace(deadStepWorld, "at: 90m", "at: 90s", 1)
	if err := os.WriteFile(file, []byte(fixed), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(file); err != nil {
		t.Errorf("the step at 90s: %v", err)
	}
	if _, err := Parse("point.yaml", []byte(strings.Replace(fixed, "duration: 10m", "duration: 10s", 1))); err != nil {
		t.Errorf("a point's text, its stop shortened: %v", err)
	}
}
