package report

import (
	"maps"
	"os/exec"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim/experiment/split"
	"github.com/auctionsim/auctionsim/sim/stats"
)

// TestShellWordReadBack checks that a shell reads each word shellWord
// writes back as the one word it was: names a scenario may hold (a
// quote, a space, a $, a &, wide characters) and a file path.
func TestShellWordReadBack(t *testing.T) {
	sh, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash to read the words back")
	}
	words := []string{"plain-name_2", "bidders.o'brien.budget.total=80.1", "bidders.a b.spend", "bidders.x$y.wins",
		"groups.g&h.spend", "a:b=5", "中文🎯.spend", "{total: 0}", "{a,b}", "*", "my world.yaml", "it's \"quoted\"", "tab\there", "~home"}
	var line []string
	for _, w := range words {
		line = append(line, shellWord(w))
	}
	out, err := exec.Command(sh, "-c", `printf '%s\n' `+strings.Join(line, " ")).Output()
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(got) != len(words) {
		t.Fatalf("bash read %d words, want %d: %q from %s", len(got), len(words), got, strings.Join(line, " "))
	}
	for i, w := range words {
		if got[i] != w {
			t.Errorf("%s reads back as %q, want %q", line[i], got[i], w)
		}
	}
	if shellWord("budget-split") != "budget-split" || shellWord("bidders.中文.spend") != "bidders.中文.spend" {
		t.Error("a plain word is quoted")
	}
}

// TestSplitCommandsQuoted checks that split's --set, --change and --move
// flags and the scenario's path are quoted where a shell would misread
// them: a member named o'brien ended the quote, x$y expanded a variable.
func TestSplitCommandsQuoted(t *testing.T) {
	same := map[string]float64{"o'brien": 5, "x$y": 5}
	r := &split.Result{Group: "g&h", Objective: "incremental_value", Metric: "groups.g&h.eventual.incremental_value",
		Members: []string{"o'brien", "x$y"}, Steps: []float64{1}, SetScale: 0.1,
		Current:     split.Side{Budgets: same, Objective: stats.Of(10, 1, 4)},
		Recommended: split.Side{Budgets: maps.Clone(same), Objective: stats.Of(10, 1, 4)},
		Diff:        stats.Of(0, 0, 4), Rounds: 3, Runs: 40,
		Undecided: &split.Undecided{From: "o'brien", To: "x$y", Amount: 0.5, Diff: stats.Of(1.5, 2, 4), RepsNeeded: 9}}
	out := SplitTableAdvised(r, 4, 1, 0, SplitAdvice{Scenario: "my world.yaml"})
	want := `    auctionsim compare 'my world.yaml' --move 'o'\''brien:x$y=5' --reps 9` + "\n"
	if !strings.Contains(out, want) {
		t.Errorf("no %q in\n%s", want, out)
	}
	if got := flagsOf("--set", []string{"bidders.x$y.budget.total=1"}); got != `--set 'bidders.x$y.budget.total=1'` {
		t.Errorf("flagsOf: %s", got)
	}
}
