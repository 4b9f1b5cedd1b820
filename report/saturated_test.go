package report

import (
	"bytes"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// runSource runs a scenario's text to its stop.
func runSource(t *testing.T, src string) *sim.Snapshot {
	t.Helper()
	sc, err := scenarios.Parse("sat.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	e, err := sim.New(sc.Config)
	if err != nil {
		t.Fatal(err)
	}
	for !e.RunStop(sc.Stop, 1<<20) {
	}
	return e.Snapshot()
}

// runFile runs a scenario file to its stop.
func runFile(t *testing.T, path string) *sim.Snapshot {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return runSource(t, string(src))
}

// saturatedOf decodes the JSON summary's "saturated", and whether the
// key is there at all.
func saturatedOf(t *testing.T, snap *sim.Snapshot) ([]string, bool) {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteSummary(&buf, snap, Meta{}); err != nil {
		t.Fatal(err)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(buf.Bytes(), &top); err != nil {
		t.Fatal(err)
	}
	raw, ok := top["saturated"]
	if !ok {
		return nil, false
	}
	var names []string
	if err := json.Unmarshal(raw, &names); err != nil {
		t.Fatal(err)
	}
	return names, true
}

// A world whose order values pass MaxMoney says so in the JSON (its
// incremental value would otherwise read as a plain 9223372036.85), and a
// world far from it has no "saturated" key: goldens stay as they were.
func TestJSONSaturated(t *testing.T) {
	snap := runFile(t, "../scenarios/testdata/saturate.yaml") // shared with the other saturation tests
	names, ok := saturatedOf(t, snap)
	if !ok || !slices.Contains(names, "bidders.big.incremental_value") {
		t.Fatalf(`"saturated" = %q (present %v), want bidders.big.incremental_value`, names, ok)
	}
	note := SaturatedNote(names)
	if !strings.Contains(note, "bidders.big.incremental_value") || !strings.Contains(note, "lower bounds") {
		t.Errorf("note %q", note)
	}

	calm := runSource(t, `name: calm
seed: 1
stop: {auctions: 100}
traffic: {qps: 100}
exchange: {tmax: 120ms}
bidders:
  - name: small
    latency: 10ms
    value: 1
    outcome: {ctr: 1, cvr: 1, order_value: 1000, delay: 1ms}
`)
	if names, ok := saturatedOf(t, calm); ok {
		t.Fatalf(`"saturated" = %q in a world far from MaxMoney`, names)
	}
	if SaturatedNote(nil) != "" {
		t.Error("a note with nothing saturated")
	}
}

// A note names a few totals and counts the rest.
func TestSaturatedNoteCounts(t *testing.T) {
	var names []string
	for i := range 10 {
		names = append(names, "bidders.b"+string(rune('0'+i))+".spend")
	}
	note := SaturatedNote(names)
	if !strings.Contains(note, "b5.spend and 4 more") || strings.Contains(note, "b6.spend") {
		t.Errorf("note %q", note)
	}
}

// The dashboard's status line says the same as the note, shorter: one
// total by name, several counted, and past a few the rest counted as the
// note counts them.
func TestSaturatedStatus(t *testing.T) {
	if SaturatedStatus(nil) != "" {
		t.Error("a status with nothing saturated")
	}
	if s := SaturatedStatus([]string{"exchange.revenue"}); s != "⚠ exchange.revenue passed 9.2e9 and stopped there: a lower bound" {
		t.Errorf("one name: %q", s)
	}
	var names []string
	for i := range 10 {
		names = append(names, "bidders.b"+string(rune('0'+i))+".spend")
	}
	s := SaturatedStatus(names)
	if !strings.HasPrefix(s, "⚠ 10 money totals passed 9.2e9") || !strings.HasSuffix(s, "b5.spend and 4 more") || strings.Contains(s, "b6.spend") {
		t.Errorf("ten names: %q", s)
	}
}
