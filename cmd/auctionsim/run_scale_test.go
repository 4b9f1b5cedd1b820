package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunScalesBudgets: run shortened by --auctions scales every budget
// with the horizon it keeps, as compare, sweep and split do, and says so
// on stderr; a member is then not blamed for "values below the market"
// for a 200 budget a 2-second run could never spend. --no-scale keeps the
// budgets whole. run --reps scales the same way.
func TestRunScalesBudgets(t *testing.T) {
	budgets := func(r ran) map[string]float64 {
		t.Helper()
		var out struct {
			Bidders []struct {
				Name   string   `json:"name"`
				Budget *float64 `json:"budget"`
			} `json:"bidders"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
			t.Fatalf("%v\n%s", err, r.stderr)
		}
		m := map[string]float64{}
		for _, b := range out.Bidders {
			if b.Budget != nil {
				m[b.Name] = *b.Budget
			}
		}
		return m
	}
	// 2000 auctions at 1000 qps: 2 s of budget-split's 10 minutes, so a
	// budget of 200 becomes 200 × 2/600 = 0.67.
	r := inProcess("run", "-s", "budget-split", "--auctions", "2000", "--json")
	if r.code != exitOK || !strings.Contains(r.stderr, "every budget is scaled by 0.003333") || !strings.Contains(r.stderr, "--no-scale keeps them") {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if b := budgets(r); b["acme-retarget"] != 0.67 || b["acme-prospect"] != 0.67 {
		t.Errorf("scaled budgets %v, want 0.67 each", b)
	}
	// The export embeds the scaled budgets: its replay is the same run.
	export := filepath.Join(t.TempDir(), "short.json")
	if w := inProcess("run", "-s", "budget-split", "--auctions", "2000", "--out", export); w.code != exitOK {
		t.Fatalf("--out: exit %d, stderr %q", w.code, w.stderr)
	}
	if rep := inProcess("run", "--replay", export, "--json"); rep.code != exitOK || budgets(rep)["acme-retarget"] != 0.67 {
		t.Errorf("the replay: exit %d, budgets %v, stderr %q", rep.code, budgets(rep), rep.stderr)
	}
	table := inProcess("run", "-s", "budget-split", "--auctions", "2000")
	if strings.Contains(table.stdout, "of 200.00 unspent") {
		t.Errorf("the shortened run blames a whole budget:\n%s", table.stdout)
	}
	whole := inProcess("run", "-s", "budget-split", "--auctions", "2000", "--json", "--no-scale")
	if whole.code != exitOK || strings.Contains(whole.stderr, "scaled") {
		t.Fatalf("--no-scale: exit %d, stderr %q", whole.code, whole.stderr)
	}
	if b := budgets(whole); b["acme-retarget"] != 200 {
		t.Errorf("--no-scale budgets %v, want 200", b)
	}
	reps := inProcess("run", "-s", "budget-split", "--auctions", "1000", "--reps", "2", "--json")
	if reps.code != exitOK || !strings.Contains(reps.stderr, "every budget is scaled") {
		t.Errorf("--reps: exit %d, stderr %q", reps.code, reps.stderr)
	}
}

// TestScaleNoteOnlyWhenTheRunGoesAhead: the note that a shortened run
// scales the budgets is said once the command's checks pass, so a
// refused command says only what is wrong; a command that goes ahead
// still says it.
func TestScaleNoteOnlyWhenTheRunGoesAhead(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "nosuch", "x.json")
	for _, args := range [][]string{
		{"run", "-s", "budget-split", "--auctions", "2000", "--out", bad},
		{"run", "-s", "budget-split", "--auctions", "2000", "--reps", "2", "--out", bad},
		{"compare", "budget-split", "--change", "exchange.tmax=abc", "--auctions", "2000"},
		{"compare", "budget-split", "--change", "exchange.tmax=80ms", "--auctions", "2000", "--out", bad},
		{"sweep", "-s", "budget-split", "--vary", "exchange.tmax=abc", "--auctions", "2000"},
		{"split", "-s", "budget-split", "--group", "nosuch", "--auctions", "2000"},
	} {
		r := inProcess(args...)
		if r.code != exitUsage || strings.Contains(r.stderr, "scaled") {
			t.Errorf("%q: exit %d, stderr %q", args, r.code, r.stderr)
		}
	}
	for _, args := range [][]string{
		{"run", "-s", "budget-split", "--auctions", "2000", "--json"},
		{"compare", "budget-split", "--change", "exchange.tmax=80ms", "--auctions", "2000", "--reps", "2", "--json"},
	} {
		if r := inProcess(args...); r.code != exitOK || !strings.Contains(r.stderr, "every budget is scaled by") {
			t.Errorf("%q: exit %d, stderr %q", args, r.code, r.stderr)
		}
	}
}
