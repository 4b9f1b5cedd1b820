package main

import (
	"encoding/json"
	"math"
	"regexp"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/sim/stats"
)

// TestCompareVariants: several named variants, each paired against the
// baseline, in the JSON's variants with their changes and metrics; a
// variant that changes a group's total says so; budget moved within the
// group keeps it.
func TestCompareVariants(t *testing.T) {
	r := run(t, "", "compare", "budget-split", "--reps", "3", "--auctions", "20000", "--json", "--no-scale",
		"--variant", "shift:bidders.acme-retarget.budget.total=1,bidders.acme-prospect.budget.total=399",
		"--variant", "cut:bidders.acme-retarget.budget.total=1")
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var out struct {
		Metrics  map[string]json.RawMessage
		Variants []struct {
			Name        string
			Changes     []string
			GroupTotals []string `json:"group_totals"`
			Metrics     map[string]struct {
				Baseline, Variant, Diff struct{ Mean, Lo, Hi float64 }
			}
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Variants) != 2 || out.Variants[0].Name != "shift" || out.Variants[1].Name != "cut" ||
		len(out.Variants[0].Changes) != 2 || out.Variants[1].Changes[0] != "bidders.acme-retarget.budget.total=1" {
		t.Fatalf("variants %+v", out.Variants)
	}
	for _, v := range out.Variants {
		d := v.Metrics["bidders.acme-retarget.budget"].Diff
		if d.Mean != -199 {
			t.Errorf("%s: retarget's budget differs by %v", v.Name, d.Mean)
		}
		// 20,000 auctions spend far less than 200 unconstrained, and the
		// budget cut to 1 binds: retarget's spend falls in both.
		if s := v.Metrics["bidders.acme-retarget.spend"].Diff; !(s.Hi < 0) {
			t.Errorf("%s: retarget's spend difference %+v", v.Name, s)
		}
	}
	if g := out.Variants[0].GroupTotals; len(g) != 0 {
		t.Errorf("shift keeps the total, yet: %v", g)
	}
	if g := out.Variants[1].GroupTotals; len(g) != 1 || !strings.Contains(g[0], "group acme's total budget changes from 600.00 to 401.00") {
		t.Errorf("cut: %v", g)
	}
	table := run(t, "", "compare", "budget-split", "--reps", "2", "--auctions", "5000", "--no-scale",
		"--variant", "a:bidders.acme-retarget.budget.total=100", "--variant", "b:exchange.floor=0.2")
	if table.code != exitOK || !strings.Contains(table.stdout, "variant a: bidders.acme-retarget.budget.total=100") ||
		!strings.Contains(table.stdout, "variant b: exchange.floor=0.2") || !strings.Contains(table.stdout, "note: group acme's total budget changes from 600.00 to 500.00") {
		t.Errorf("table: exit %d\n%s%s", table.code, table.stdout, table.stderr)
	}
	// Piped, no row wraps: a metric's name and its figures share a line.
	alone := regexp.MustCompile(`(?m)^  [a-z][a-z0-9_.-]*$`)
	if m := alone.FindString(table.stdout); m != "" {
		t.Errorf("the row of %q wraps:\n%s", strings.TrimSpace(m), table.stdout)
	}
}

// TestCompareMove: --move keeps the pair's sum, says nothing of a group
// total it keeps, and is refused when FROM has less; a --change that
// alters a group's total is said so.
func TestCompareMove(t *testing.T) {
	r := run(t, "", "compare", "budget-split", "--move", "acme-retarget:acme-prospect=100", "--reps", "2", "--auctions", "5000", "--no-scale")
	if r.code != exitOK || !strings.Contains(sideJoined(r.stdout), "bidders.acme-retarget.budget.total=100, bidders.acme-prospect.budget.total=300") ||
		strings.Contains(r.stdout, "total budget changes") {
		t.Errorf("move: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = run(t, "", "compare", "budget-split", "--move", "acme-retarget:acme-prospect=250", "--reps", "2", "--auctions", "5000", "--no-scale")
	if r.code != exitUsage || !strings.Contains(r.stderr, "acme-retarget has 200 of budget, less than the move") {
		t.Errorf("over-move: exit %d %s", r.code, r.stderr)
	}
	r = run(t, "", "compare", "budget-split", "--change", "bidders.acme-retarget.budget.total=100", "--change", "bidders.acme-prospect.budget.total=350",
		"--reps", "2", "--auctions", "5000", "--no-scale")
	if r.code != exitOK || !strings.Contains(r.stdout, "note: group acme's total budget changes from 600.00 to 650.00") {
		t.Errorf("changes: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"compare", "budget-split", "--variant", "nameless"}, "want NAME:PATH=VALUE"},
		{[]string{"compare", "budget-split", "--variant", "a:seed=4"}, "same replication seeds"},
		{[]string{"compare", "budget-split", "--variant", "a:exchange.floor=0.2", "--variant", "a:exchange.floor=0.3"}, "a second variant"},
		{[]string{"compare", "budget-split", "--variant", "a:exchange.floor=0.2", "--change", "exchange.floor=0.3"}, "not with --change"},
		{[]string{"compare", "budget-split", "timeout-demo", "--move", "acme-retarget:acme-prospect=1"}, "give BASE only"},
	} {
		r := run(t, "", c.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want %q", c.args, r.code, r.stderr, c.want)
		}
	}
}

// sideJoined is compare's table with its baseline's and variant's lines
// joined where they wrap within 80 columns (after a comma, the
// continuation under the text).
func sideJoined(table string) string { return strings.ReplaceAll(table, ",\n          ", ", ") }

// TestCompareMoveDailyBesideTotal: --move between flight-week's
// globex-front (a daily budget alone) and globex-capped (a daily budget
// beside its total of 120) moves their daily budgets, as split divides
// them, globex-capped's total kept; given a total alone, globex-capped is
// refused as a move partner of globex-front, naming both and how to fix it.
func TestCompareMoveDailyBesideTotal(t *testing.T) {
	r := run(t, "", "compare", "flight-week", "--move", "globex-front:globex-capped=11", "--reps", "2", "--auctions", "2000", "--no-scale")
	if r.code != exitOK || !strings.Contains(sideJoined(r.stdout), "bidders.globex-front.budget.daily=19, bidders.globex-capped.budget.daily=36") ||
		strings.Contains(r.stdout, "budget.total") {
		t.Errorf("move: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = run(t, "", "compare", "flight-week", "--move", "globex-capped:globex-front=25", "--reps", "2", "--auctions", "2000", "--no-scale")
	if r.code != exitOK || !strings.Contains(sideJoined(r.stdout), "bidders.globex-capped.budget={total: 0}, bidders.globex-front.budget.daily=55") {
		t.Errorf("move of all of globex-capped's daily budget: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = run(t, "", "compare", "flight-week", "--set", "bidders.globex-capped.budget={total: 120}", "--move", "globex-front:globex-capped=11", "--reps", "2", "--auctions", "2000")
	if r.code != exitUsage || !strings.Contains(r.stderr, "globex-front has a daily budget alone (budget.daily, no total) and globex-capped a total alone") ||
		!strings.Contains(r.stderr, "--change bidders.globex-front.budget.total=AMOUNT") {
		t.Errorf("move between a daily budget alone and a total alone: exit %d %s", r.code, r.stderr)
	}
}

// TestCompareLeadsWithTheDecision: by default compare's table has the
// headline, the group's attributed and incremental value and ROAS both
// ways, and the differences whose interval excludes 0, in at most 40
// lines, without the per-tmax rows and with no name cut or wrapped onto a
// line of its own (piped, the name column is the longest name); --metrics shows
// the metrics asked for, a misspelt one refused with a did-you-mean.
func TestCompareLeadsWithTheDecision(t *testing.T) {
	args := []string{"compare", "budget-split", "--move", "acme-retarget:acme-prospect=20", "--reps", "4", "--duration", "1m", "--no-scale",
		"--set", "bidders.acme-retarget.budget.total=20", "--set", "bidders.acme-prospect.budget.total=20", "--set", "bidders.acme-lookalike.budget.total=20"}
	r := run(t, "", args...)
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if len(lines) > 40 {
		t.Errorf("%d lines:\n%s", len(lines), r.stdout)
	}
	// Piped, the name column is the longest name: each group row on one line.
	// A move leads with its group's incremental value, the planner's
	// question, unless --metric says otherwise (below): the eventual one,
	// as split decides on it, and says so.
	for _, want := range []string{"\ngroups.acme.eventual.incremental_value: ", "(eventual: the conversions still pending at each run's stop counted",
		"groups.acme.incremental_value counts those matured by then)", "groups.acme.attributed_value ", "groups.acme.incremental_value ",
		"groups.acme.attributed_roas ", "groups.acme.incremental_roas ", "differences whose interval excludes 0 (",
		// The list's parts, the group's first (a move's question), each
		// with rows: its 13 rows have room for neither a member's spend
		// (15th of the bidders' by relative size) nor every part whole.
		"  groups (", "  bidders (", "  the exchange (", "  bidders.acme-prospect."} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("no %q in\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "tmax_curve.") || strings.Contains(r.stdout, "…") {
		t.Errorf("per-tmax rows or a cut name in\n%s", r.stdout)
	}
	if strings.Contains(r.stdout, "exchange.revenue: ") {
		t.Errorf("a move led with the exchange's revenue:\n%s", r.stdout)
	}
	r = run(t, "", append(args, "--metric", "exchange.revenue")...)
	if r.code != exitOK || !strings.Contains(r.stdout, "\nexchange.revenue: ") {
		t.Errorf("--metric exchange.revenue: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = run(t, "", append(args, "--metrics", "bidders.acme-prospect.spend,tmax_curve.100ms.revenue")...)
	if r.code != exitOK || !strings.Contains(r.stdout, "the metrics asked for") || !strings.Contains(r.stdout, "  bidders.acme-prospect.spend ") ||
		!strings.Contains(r.stdout, "  tmax_curve.100ms.revenue") || strings.Contains(r.stdout, "groups.acme.") {
		t.Errorf("--metrics: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = run(t, "", append(args, "--metrics", "groups.acme.incremental_valeu")...)
	if r.code != exitUsage || !strings.Contains(r.stderr, "did you mean groups.acme.incremental_value?") {
		t.Errorf("misspelt: exit %d %s", r.code, r.stderr)
	}
}

// TestHorizonScaledBudgets: --duration 2m of a 10-minute world gives a
// fifth of every budget, changed and moved ones too, and says so; the
// move then binds (retarget spends a fifth of 100 less); --no-scale
// keeps the budgets whole. sweep scales a varied budget alike.
func TestHorizonScaledBudgets(t *testing.T) {
	type metric struct {
		Baseline, Variant, Diff struct{ Mean, Lo, Hi float64 }
	}
	var out struct{ Metrics map[string]metric }
	r := run(t, "", "compare", "budget-split", "--move", "acme-retarget:acme-prospect=100", "--duration", "2m", "--reps", "3", "--json")
	if r.code != exitOK || !strings.Contains(r.stderr, "every budget is scaled by 0.2") {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatal(err)
	}
	b, s := out.Metrics["bidders.acme-retarget.budget"], out.Metrics["bidders.acme-retarget.spend"]
	if b.Baseline.Mean != 40 || b.Variant.Mean != 20 || out.Metrics["groups.acme.budget"].Variant.Mean != 120 {
		t.Errorf("budgets %+v, group %+v", b, out.Metrics["groups.acme.budget"])
	}
	if !(s.Diff.Mean > -20.5 && s.Diff.Mean < -19.5) {
		t.Errorf("retarget's spend moves by %+v; the scaled move is 20", s.Diff)
	}
	r = run(t, "", "compare", "budget-split", "--move", "acme-retarget:acme-prospect=100", "--duration", "2m", "--reps", "2", "--json", "--no-scale")
	if r.code != exitOK || strings.Contains(r.stderr, "scaled") {
		t.Fatalf("--no-scale: exit %d: %s", r.code, r.stderr)
	}
	out.Metrics = nil
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatal(err)
	}
	if b := out.Metrics["bidders.acme-retarget.budget"]; b.Baseline.Mean != 200 || b.Variant.Mean != 100 {
		t.Errorf("--no-scale budgets %+v", b)
	}
	r = run(t, "", "sweep", "-s", "budget-split", "--vary", "bidders.acme-retarget.budget.total=100,300", "--duration", "1m",
		"--reps", "2", "--metrics", "bidders.acme-retarget.budget", "--json")
	if r.code != exitOK || !strings.Contains(r.stderr, "every budget is scaled by 0.1") ||
		!strings.Contains(r.stdout, `"mean": 10,`) || !strings.Contains(r.stdout, `"mean": 30,`) {
		t.Errorf("sweep: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestCompareVariantsTableShort: compare --variant's default table leads
// with the decision as compare's one-variant table does: the headline,
// each group's value and ROAS both ways, then a few differences whose
// interval excludes 0, without per-tmax rows or event counts, in at most
// 40 lines for two variants (it printed 370 after the merge).
func TestCompareVariantsTableShort(t *testing.T) {
	r := run(t, "", "compare", "budget-split", "--reps", "3", "--auctions", "20000", "--no-scale",
		"--variant", "a:bidders.acme-retarget.budget.total=100,bidders.acme-prospect.budget.total=300",
		"--variant", "b:bidders.acme-retarget.budget.total=50")
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimRight(r.stdout, "\n"), "\n")
	if len(lines) > 40 {
		t.Errorf("%d lines, want at most 40:\n%s", len(lines), r.stdout)
	}
	for _, want := range []string{"variant a:", "variant b:", "groups.acme.incremental_value", "groups.acme.attributed_roas",
		"note: group acme's total budget changes from 600.00 to 450.00"} {
		if strings.Count(r.stdout, want) == 0 {
			t.Errorf("no %q in\n%s", want, r.stdout)
		}
	}
	for _, l := range lines {
		if f := strings.Fields(l); len(f) > 0 && (strings.HasPrefix(f[0], "tmax_curve.") || f[0] == "events") {
			t.Errorf("row %q in the default table", l)
		}
	}
	// Two splits at the same total, as a planner compares them: no note
	// of the group's total (one of its spend may come, a variant
	// spending 1.6% less), every line of the share of each variant
	// filled (it printed 41, the headline's line not counted).
	// Budgets scaled with the short run, so that they bind and many
	// metrics differ.
	r = run(t, "", "compare", "budget-split", "--reps", "3", "--auctions", "20000",
		"--variant", "a:bidders.acme-retarget.budget.total=100,bidders.acme-prospect.budget.total=300",
		"--variant", "b:bidders.acme-retarget.budget.total=20,bidders.acme-prospect.budget.total=470,bidders.acme-lookalike.budget.total=110")
	if n := strings.Count(strings.TrimRight(r.stdout, "\n"), "\n") + 1; r.code != exitOK || n > 40 || strings.Contains(r.stdout, "note: group") {
		t.Errorf("exit %d, %d lines, want at most 40:\n%s", r.code, n, r.stdout)
	}
}

// TestScaleNoteOnlyWithBudgets: a shortened compare or sweep of a
// scenario without budgets (reserve-price) says nothing about scaling
// budgets, as there is none to scale; one with budgets still says so.
func TestScaleNoteOnlyWithBudgets(t *testing.T) {
	for _, args := range [][]string{
		{"compare", "reserve-price", "--change", "exchange.floor=0.3", "--duration", "2s", "--reps", "2", "--json"},
		{"sweep", "-s", "reserve-price", "--vary", "exchange.floor=0.1,0.3", "--duration", "2s", "--reps", "2", "--json"},
	} {
		r := run(t, "", args...)
		if r.code != exitOK || strings.Contains(r.stderr, "budget") || strings.Contains(r.stderr, "scaled") {
			t.Errorf("%v: exit %d, stderr %q", args, r.code, r.stderr)
		}
	}
	r := run(t, "", "compare", "budget-split", "--move", "acme-retarget:acme-prospect=100", "--duration", "2s", "--reps", "2", "--json")
	if r.code != exitOK || !strings.Contains(r.stderr, "every budget is scaled by 0.003333") {
		t.Errorf("budget-split: exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestCompareVariantsAgainstEachOther: with two or more variants, compare
// pairs each two of them, replication by replication (their seeds are
// the same), in the headline metric: B − A with its 95% interval and the
// baseline comparison's verdict, and says which variant is highest and
// whether the next is distinguishable from it, as sweep does. Each was
// paired only against the baseline, and a planner choosing between two
// splits had two intervals to eyeball.
func TestCompareVariantsAgainstEachOther(t *testing.T) {
	args := []string{"compare", "reserve-price", "--reps", "4", "--auctions", "4000", "--metric", "exchange.revenue",
		"--variant", "low:exchange.floor=0.1", "--variant", "high:exchange.floor=0.6", "--variant", "mid:exchange.floor=0.3"}
	r := run(t, "", append(args, "--json")...)
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	type stat struct { // stats.Stat's fields, in its order
		Mean, SD float64
		N        int
		Lo, Hi   float64
	}
	var out struct {
		Variants []struct {
			Name    string
			Metrics map[string]struct{ Diff stat }
		}
		VariantPairs []struct {
			A, B, Metric, Verdict string
			Diff                  stat
			UnpairedHalfwidth     *float64 `json:"unpaired_halfwidth"`
		} `json:"variant_pairs"`
		HighestVariant *struct {
			Metric, Variant string
			RunnerUp        string `json:"runner_up"`
			Diff            stat
		} `json:"highest_variant"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatal(err)
	}
	vsBase := map[string]float64{}
	for _, v := range out.Variants {
		vsBase[v.Name] = v.Metrics["exchange.revenue"].Diff.Mean
	}
	want := [][2]string{{"low", "high"}, {"low", "mid"}, {"high", "mid"}}
	if len(out.VariantPairs) != len(want) {
		t.Fatalf("variant_pairs %+v, want %v", out.VariantPairs, want)
	}
	for i, p := range out.VariantPairs {
		if p.A != want[i][0] || p.B != want[i][1] || p.Metric != "exchange.revenue" {
			t.Errorf("pair %d: %s − %s of %s, want %s − %s", i, p.B, p.A, p.Metric, want[i][1], want[i][0])
		}
		// Paired on the same replications: B − A is (B − base) − (A − base).
		if d := vsBase[p.B] - vsBase[p.A]; math.Abs(p.Diff.Mean-d) > 1e-9*max(1, math.Abs(d)) {
			t.Errorf("%s − %s: %v, want %v", p.B, p.A, p.Diff.Mean, d)
		}
		if p.Diff.N != 4 || !(p.Diff.Lo <= p.Diff.Mean && p.Diff.Mean <= p.Diff.Hi) || p.Diff.SD <= 0 {
			t.Errorf("%s − %s: interval %+v", p.B, p.A, p.Diff)
		}
		// Student t at 3 degrees of freedom, not a normal's 1.96.
		if h := 3.182446305284263 * p.Diff.SD / 2; math.Abs((p.Diff.Hi-p.Diff.Lo)/2-h) > 1e-9*h {
			t.Errorf("%s − %s: half-width %v, want t·sd/√n = %v", p.B, p.A, (p.Diff.Hi-p.Diff.Lo)/2, h)
		}
		if p.Verdict == "" || p.UnpairedHalfwidth == nil {
			t.Errorf("%s − %s: verdict %q, unpaired %v", p.B, p.A, p.Verdict, p.UnpairedHalfwidth)
		}
	}
	best, next := "", ""
	for _, v := range out.Variants {
		switch m := vsBase[v.Name]; {
		case best == "" || m > vsBase[best]:
			best, next = v.Name, best
		case next == "" || m > vsBase[next]:
			next = v.Name
		}
	}
	h := out.HighestVariant
	if h == nil || h.Variant != best || h.RunnerUp != next || math.Abs(h.Diff.Mean-(vsBase[best]-vsBase[next])) > 1e-9*max(1, vsBase[best]) {
		t.Fatalf("highest_variant %+v, want %s over %s", h, best, next)
	}
	table := run(t, "", args...)
	if table.code != exitOK {
		t.Fatalf("table: exit %d: %s", table.code, table.stderr)
	}
	for _, p := range out.VariantPairs {
		if line := p.B + " − " + p.A + ": "; !strings.Contains(table.stdout, line) || !strings.Contains(table.stdout, line+report.FormatPM(stats.Stat(p.Diff))) {
			t.Errorf("table has no %q line with %+v:\n%s", line, p.Diff, table.stdout)
		}
	}
	if s := "highest exchange.revenue in variant " + best + ";\n  the next highest, variant " + next + ", is "; !strings.Contains(table.stdout, s) {
		t.Errorf("table does not say %q:\n%s", s, table.stdout)
	}
}
