package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
)

// knownFile is split's case with a known answer, which the library's
// tests search (sim/experiment/split).
const knownFile = "../../sim/experiment/split/testdata/known.yaml"

// TestSplitCommand runs split end to end on the known case: the JSON has
// exactly the documented keys ("budget": "total"), the curves have their points and marginal
// returns, the table says the recommendation is better, and --plot writes
// a file.
func TestSplitCommand(t *testing.T) {
	dir := t.TempDir()
	path, err := filepath.Abs(knownFile)
	if err != nil {
		t.Fatal(err)
	}
	r := run(t, dir, "split", "-s", path, "--group", "g", "--step", "10%", "--reps", "4", "--json", "--both-objectives", "--plot", filepath.Join(dir, "c.png"))
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var out map[string]json.RawMessage
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range out {
		keys = append(keys, k)
	}
	want := 21
	if out["larger_rounds"] != nil {
		want++ // absent when the search made no move larger
	}
	if len(out) != want || string(out["metric"]) != `"groups.g.eventual.incremental_value"` || string(out["budget"]) != `"total"` || out["half_runs"] == nil || out["above_recommendation"] == nil || out["variants"] == nil || out["metrics"] == nil || out["group"] == nil || out["total"] == nil || out["objective"] == nil || out["current"] == nil ||
		out["recommended"] == nil || out["diff"] == nil || out["curves"] == nil || out["steps"] == nil || out["rounds"] == nil ||
		out["runs"] == nil || out["curve_reps"] == nil || out["undecided"] == nil || out["fresh_seed"] == nil ||
		out["verdict"] == nil || out["advice"] == nil {
		t.Errorf("keys %v", keys)
	}
	var res struct {
		Current struct {
			Budgets   map[string]float64
			Objective map[string]any
		}
		Diff   map[string]any
		Curves []struct {
			Member string
			Points []struct {
				Budget    float64
				Objective map[string]any
				Marginal  *float64
			}
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatal(err)
	}
	if res.Current.Budgets["good"] != 4 || res.Current.Objective["lo"] == nil || res.Diff["hi"] == nil {
		t.Errorf("current %+v diff %+v", res.Current, res.Diff)
	}
	if len(res.Curves) != 2 || len(res.Curves[0].Points) < 5 || res.Curves[0].Points[1].Marginal == nil ||
		res.Curves[0].Points[0].Marginal != nil || res.Curves[0].Points[0].Budget != 0 || res.Curves[0].Points[len(res.Curves[0].Points)-1].Budget != 20 {
		t.Errorf("curves %+v", res.Curves)
	}
	// good's curve rises then flattens: the marginal return of its last
	// step is below that of its first.
	g := res.Curves[0].Points
	if res.Curves[0].Member != "good" || !(*g[len(g)-1].Marginal < *g[1].Marginal) {
		t.Errorf("good's curve is not concave: %+v", g)
	}
	if fi, err := os.Stat(filepath.Join(dir, "c.png")); err != nil || fi.Size() == 0 {
		t.Errorf("plot: %v", err)
	}
	// The known case's move is told on fresh replications: the JSON
	// advises it, as the table does.
	if string(out["verdict"]) != `"better"` || string(out["advice"]) != `"change"` {
		t.Errorf("verdict %s, advice %s: want better, change", out["verdict"], out["advice"])
	}
	r = run(t, dir, "split", "-s", path, "--group", "g", "--step", "10%", "--reps", "3", "--both-objectives")
	// Piped, the prose wraps within 100 columns: read it as words.
	rows := r.stdout
	r.stdout = strings.Join(strings.Fields(r.stdout), " ")
	if r.code != exitOK || !strings.Contains(r.stdout, "recommended − current") || !strings.Contains(r.stdout, "the recommended split is better") || !strings.Contains(r.stdout, "marginal at the recommendation") ||
		!strings.Contains(r.stdout, "flat (the paired replications cannot tell it from *) from") ||
		!strings.Contains(r.stdout, "optimum_incremental_value (maximises incremental_value):") ||
		!strings.Contains(r.stdout, "optimum_attributed_value (maximises attributed_value):") || !strings.Contains(rows, "  incremental_profit ") {
		t.Errorf("table: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// By default (and with --one-objective): no second search, no optima
	// beside the current split; both flags at once are refused.
	for _, extra := range [][]string{nil, {"--one-objective"}} {
		r = run(t, dir, append([]string{"split", "-s", path, "--group", "g", "--step", "10%", "--reps", "3", "--json"}, extra...)...)
		if r.code != exitOK || strings.Contains(r.stdout, `"variants"`) || !strings.Contains(r.stdout, `"recommended"`) {
			t.Errorf("%v: exit %d\n%s%s", extra, r.code, r.stdout, r.stderr)
		}
	}
	r = run(t, dir, "split", "-s", path, "--group", "g", "--both-objectives", "--one-objective")
	if r.code != exitUsage || !strings.Contains(r.stderr, "choose one") {
		t.Errorf("both flags: exit %d %s", r.code, r.stderr)
	}
}

// TestSplitMetrics: --metrics chooses what split compares between the
// current and the recommended split, paired; by default the group's
// spend, value and ROAS; a misspelt name is refused with a did-you-mean.
func TestSplitMetrics(t *testing.T) {
	path, err := filepath.Abs(knownFile)
	if err != nil {
		t.Fatal(err)
	}
	r := run(t, "", "split", "-s", path, "--group", "g", "--step", "20%", "--reps", "3")
	// Each metric on its row, its name whole (the name column as wide as
	// the longest: incremental_roas no longer takes a line of its own).
	if r.code != exitOK || !strings.Contains(r.stdout, "groups.g.spend ") ||
		!regexp.MustCompile(`(?m)^  groups\.g\.incremental_roas +[-0-9]`).MatchString(r.stdout) {
		t.Errorf("default: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = run(t, "", "split", "-s", path, "--group", "g", "--step", "20%", "--reps", "3", "--metrics", "exchange.revenue", "--json")
	var out struct {
		Metrics map[string]struct{ Diff struct{ N int } }
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || len(out.Metrics) != 1 || out.Metrics["exchange.revenue"].Diff.N != 3 {
		t.Errorf("--metrics: %v %+v\n%s", err, out, r.stderr)
	}
	r = run(t, "", "split", "-s", path, "--group", "g", "--metrics", "groups.g.spnd")
	if r.code != exitUsage || !strings.Contains(r.stderr, "did you mean groups.g.spend?") {
		t.Errorf("misspelt: exit %d %s", r.code, r.stderr)
	}
}

// TestSplitUsage: bad flags and groups are refused up front, naming them.
func TestSplitUsage(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"split", "-s", "budget-split"}, "--group G is required"},
		{[]string{"split", "-s", "budget-split", "--group", "acme", "--objective", "roas"}, "--objective roas"},
		{[]string{"split", "-s", "budget-split", "--group", "acne"}, "no such group"},
		{[]string{"split", "-s", "timeout-demo", "--group", "acme"}, "has no groups"},
		{[]string{"split", "-s", "budget-split", "--group", "acme", "--step", "0%"}, "--step 0%"},
		{[]string{"split", "-s", "budget-split", "--group", "acme", "--step", "600"}, "less than the group's total"},
		{[]string{"split", "-s", "flight-week", "--group", "acme", "--step", "40"}, "--step 40 is 40.00: want at least 0.01 and less than the group's daily sum 40.00"},
		{[]string{"split", "-s", "budget-split", "--group", "acme", "--reps", "1"}, "--reps 1"},
		{[]string{"split", "-s", "budget-split", "--group", "acme", "--plot", "x.gif"}, "--plot"},
		{[]string{"split", "-s", "budget-split", "--group", "acme", "--budget", "weekly"}, "--budget weekly: want total or daily"},
		{[]string{"split", "-s", "budget-split", "--group", "acme", "--budget", "daily"}, "--group acme: --budget daily, and acme-retarget, acme-prospect, acme-lookalike have no daily budget"},
		{[]string{"split", "-s", "flight-week", "--group", "globex", "--budget", "total"}, "--group globex: --budget total, and globex-front has a daily budget alone"},
		{[]string{"split", "-s", "flight-week", "--group", "globex", "--set", "bidders.globex-capped.budget={total: 120}"}, "--group globex mixes daily budgets alone (globex-front: "},
	} {
		r := run(t, "", c.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want %q", c.args, r.code, r.stderr, c.want)
		}
	}
}

// dailyKnownFile is the known case as a two-day flight of daily budgets
// alone, which the library's tests search too.
const dailyKnownFile = "../../sim/experiment/split/testdata/daily-known.yaml"

// TestSplitDaily: split divides a flight's daily budgets as it divides
// totals, and says so: the table's header, the recommended split as --set
// flags that, pasted into run, give each member that daily budget, and
// the JSON's "budget": "daily" with each split's "set".
func TestSplitDaily(t *testing.T) {
	path, err := filepath.Abs(dailyKnownFile)
	if err != nil {
		t.Fatal(err)
	}
	r := run(t, "", "split", "-s", path, "--group", "g", "--step", "10%", "--reps", "3")
	m := regexp.MustCompile(`the recommended split, as --set flags \(compare: --change\):\s+(--set \S+) (--set \S+)\n`).FindStringSubmatch(r.stdout)
	words := strings.Join(strings.Fields(r.stdout), " ") // the prose wraps within 100 columns
	if r.code != exitOK || !strings.Contains(words, "split: group g, daily budgets, 20.00 a day in all") || m == nil ||
		!strings.Contains(words, "against each member's daily budget") {
		t.Fatalf("table: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	args := []string{"run", "-s", path, "--auctions", "10", "--json"}
	for _, f := range m[1:] {
		args = append(args, strings.Fields(f)...)
	}
	rr := run(t, "", args...)
	var snap struct {
		Bidders []struct {
			Name string
			Days []struct{ Budget float64 }
		}
	}
	if err := json.Unmarshal([]byte(rr.stdout), &snap); err != nil || rr.code != exitOK {
		t.Fatalf("%v: exit %d %v %s", args, rr.code, err, rr.stderr)
	}
	got := map[string]float64{}
	for _, b := range snap.Bidders {
		if len(b.Days) > 0 {
			got[b.Name] = b.Days[0].Budget
		}
	}
	r = run(t, "", "split", "-s", path, "--group", "g", "--step", "10%", "--reps", "3", "--json")
	var out struct {
		Budget      string
		Total       float64
		Recommended struct {
			Budgets map[string]float64
			Set     []string
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || r.code != exitOK {
		t.Fatalf("json: exit %d %v %s", r.code, err, r.stderr)
	}
	if out.Budget != "daily" || out.Total != 20 || len(out.Recommended.Set) != 2 ||
		"--set "+out.Recommended.Set[0] != m[1] || "--set "+out.Recommended.Set[1] != m[2] {
		t.Errorf("json: %+v; table: %v", out, m[1:])
	}
	for name, b := range out.Recommended.Budgets {
		if b > 0 && got[name] != b {
			t.Errorf("%s: recommended %.2f a day, the pasted --set gives %.2f (%v)", name, b, got[name], args)
		}
	}
}

// TestSplitSetsUnderDuration: under --duration the runs' totals are
// scaled, and so is a --set total: the flags split prints are in the
// scenario's own amounts, so that pasted into run under the same
// --duration they give the budgets the split ran (they gave a fifth of
// them, scaled twice), and the table says so.
func TestSplitSetsUnderDuration(t *testing.T) {
	args := []string{"split", "-s", "budget-split", "--group", "acme", "--duration", "10s", "--reps", "3", "--step", "20%"}
	r := run(t, "", append(args, "--json")...)
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var out struct {
		SetScale    float64 `json:"set_scale"`
		Verdict     string  `json:"verdict"`
		Recommended struct {
			Budgets map[string]float64
			Set     []string
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatal(err)
	}
	if !(out.SetScale > 0.0166 && out.SetScale < 0.0167) || len(out.Recommended.Set) != 3 {
		t.Fatalf("set_scale %v, set %v: want 1/60 and three flags", out.SetScale, out.Recommended.Set)
	}
	back := []string{"run", "-s", "budget-split", "--duration", "10s", "--json"}
	for _, a := range out.Recommended.Set {
		back = append(back, "--set", a)
	}
	r = run(t, "", back...)
	if r.code != exitOK {
		t.Fatalf("run with the flags: exit %d: %s", r.code, r.stderr)
	}
	var ran struct {
		Bidders []struct {
			Name   string
			Budget *float64
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &ran); err != nil {
		t.Fatal(err)
	}
	for _, b := range ran.Bidders {
		want, ok := out.Recommended.Budgets[b.Name]
		if !ok {
			continue
		}
		if b.Budget == nil || *b.Budget < want-0.011 || *b.Budget > want+0.011 {
			t.Errorf("%s: run with split's flags has budget %v, the split ran %v", b.Name, b.Budget, want)
		}
	}
	// The table prints the flags, saying they are unscaled, unless the
	// search kept the current split: its flags would restate the
	// scenario's own (the JSON keeps them, checked above).
	r = run(t, "", args...)
	says := strings.Contains(r.stdout, "in the scenario's own amounts (the budgets above ÷ 0.01667")
	if r.code != exitOK || says == (out.Verdict == "kept") || strings.Contains(r.stdout, "as --set flags") != says {
		t.Errorf("verdict %q: the table's flags and their note (%v) disagree with it: exit %d\n%s", out.Verdict, says, r.code, r.stdout)
	}
}

// TestSplitMarginalDocumented: a curve's first point (budget 0) has a
// marginal when it is the recommended point (the one-sided marginal at
// the recommendation, as the curve's header and its * row show), and the
// README's JSON and split's help say so rather than "null at budget 0".
func TestSplitMarginalDocumented(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := strings.Join(strings.Fields(string(readme)), " ")
	i := strings.Index(doc, "(`marginal` is `null` for a curve's first point")
	if i < 0 {
		t.Fatal("README: no sentence on the first point's marginal")
	}
	if s := doc[i:min(len(doc), i+300)]; !strings.Contains(s, "unless that is the recommended point") || !strings.Contains(s, "`marginal_at_recommended`") {
		t.Errorf("README says the first point's marginal is null without the recommended point's exception: %q", s[:min(len(s), 160)])
	}
	help := strings.Join(strings.Fields(inProcess("split", "--help").stdout), " ")
	if !strings.Contains(help, "none at budget 0 unless it is the recommended point") {
		t.Error("split's help does not say when budget 0 has a marginal")
	}
}

// TestSplitVerdictIsCompares: compare at split's fresh_seed, over as many
// replications, with the recommended split's flags as --change, gives
// split's verdict exactly, as the table says, so that a planner who
// checks the verdict finds the same number rather than another sample.
func TestSplitVerdictIsCompares(t *testing.T) {
	dir := t.TempDir()
	path, err := filepath.Abs(knownFile)
	if err != nil {
		t.Fatal(err)
	}
	r := run(t, dir, "split", "-s", path, "--group", "g", "--step", "10%", "--reps", "4", "--json")
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var sp struct {
		Metric      string
		FreshSeed   uint64 `json:"fresh_seed"`
		Recommended struct{ Set []string }
		Diff        struct {
			Mean, SD float64
			N        int
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &sp); err != nil {
		t.Fatal(err)
	}
	if sp.FreshSeed == 0 || sp.Diff.N != 4 || len(sp.Recommended.Set) == 0 {
		t.Fatalf("split: %+v", sp)
	}
	args := []string{"compare", path, "--seed", strconv.FormatUint(sp.FreshSeed, 10), "--reps", "4", "--json"}
	for _, s := range sp.Recommended.Set {
		args = append(args, "--change", s)
	}
	c := run(t, dir, args...)
	if c.code != exitOK {
		t.Fatalf("compare: exit %d: %s", c.code, c.stderr)
	}
	var cmp struct {
		Metrics map[string]struct {
			Diff struct {
				Mean, SD float64
				N        int
			}
		}
	}
	if err := json.Unmarshal([]byte(c.stdout), &cmp); err != nil {
		t.Fatal(err)
	}
	got, ok := cmp.Metrics[sp.Metric]
	if !ok || got.Diff != sp.Diff {
		t.Errorf("compare at the fresh seed: %s %+v; split's verdict %+v", sp.Metric, got.Diff, sp.Diff)
	}
	// And the table prints that compare, a line to paste, which gives
	// the verdict's difference.
	tab := run(t, dir, "split", "-s", path, "--group", "g", "--step", "10%", "--reps", "4")
	var printed []string
	for _, line := range strings.Split(tab.stdout, "\n") {
		if strings.HasPrefix(line, "    auctionsim compare ") && strings.Contains(line, " --seed ") {
			printed = strings.Fields(line)[1:]
		}
	}
	if want := " --seed " + strconv.FormatUint(sp.FreshSeed, 10) + " --reps 4"; !strings.HasSuffix(strings.Join(printed, " "), want) {
		t.Fatalf("the table prints no compare ending %q:\n%s", want, tab.stdout)
	}
	c = run(t, dir, append(printed, "--json")...)
	if c.code != exitOK {
		t.Fatalf("the compare printed, %v: exit %d: %s", printed, c.code, c.stderr)
	}
	if err := json.Unmarshal([]byte(c.stdout), &cmp); err != nil {
		t.Fatal(err)
	}
	if got := cmp.Metrics[sp.Metric]; got.Diff != sp.Diff {
		t.Errorf("the compare printed, %v: %s %+v; split's verdict %+v", printed, sp.Metric, got.Diff, sp.Diff)
	}
}

// TestSplitSetsPaste: split's own --set flags (and --no-script) as the
// compares it prints carry them: as typed where a shell reads them as one
// word, quoted where it would split or expand them.
func TestSplitSetsPaste(t *testing.T) {
	got := splitSets([]scenarios.Set{
		{Path: "exchange.floor", Value: "0.2"},
		{Path: "traffic.users", Value: "{count: 2000}"},
		{Path: "bidders.*.strategy", Value: "{kind: shade, factor: '0.9'}"},
		{Path: "script", Value: "[]", Flag: "--no-script"},
	})
	want := `--set exchange.floor=0.2 --set 'traffic.users={count: 2000}' --set 'bidders.*.strategy={kind: shade, factor: '\''0.9'\''}' --no-script`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
