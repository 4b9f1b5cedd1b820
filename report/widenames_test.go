package report

import (
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/sim/experiment"
)

// cellOf is where sub begins in line, in terminal cells (-1: absent).
func cellOf(line, sub string) int {
	i := strings.Index(line, sub)
	if i < 0 {
		return -1
	}
	return format.Width(line[:i])
}

// TestWideNamesKeepColumns checks that the replications' tables pad
// names by terminal cells, not runes: a bidder named in CJK or with an
// emoji (two cells a character) keeps the numbers after it in line with
// an ASCII name's.
func TestWideNamesKeepColumns(t *testing.T) {
	names := []string{"中文竞价者", "🎯target", "plain"}
	agg := experiment.NewAgg(1, false)
	for rep, x := range []float64{1, 3} {
		v := experiment.Values{"exchange.revenue": 10 * x}
		for i, n := range names {
			v["bidders."+n+".bid_requests"] = 100
			v["bidders."+n+".wins"] = float64(1111 * (i + 1))
			v["bidders."+n+".spend"] = 10 * x
			v["bidders."+n+".attributed_value"], v["bidders."+n+".incremental_value"] = 40*x, 20*x
		}
		agg.Add(experiment.Item{Index: rep, Rep: rep, Values: v})
	}
	res := &experiment.Result{Spec: &experiment.Spec{Scenario: "s", Seed: 1}, Agg: agg}

	// Each table's rows: the cell where a row's second column begins
	// is the same for every name.
	check := func(table, what string, second func(line string) int) {
		t.Helper()
		rows := 0
		for _, section := range strings.Split(table, "\n\n") {
			rows += checkSection(t, section, what, names, second)
		}
		if rows == 0 {
			t.Fatalf("%s: no rows in\n%s", what, table)
		}
	}
	firstNumber := func(line string) int { return cellOf(line, strings.Fields(line[len(strings.Fields(line)[0]):])[0]) }
	check(RepsTable(res, names), "RepsTable", firstNumber)

	var metrics []string
	for _, n := range names {
		metrics = append(metrics, "bidders."+n+".spend")
	}
	picked := PickReps(res, metrics).Table()
	col := -1
	for _, line := range strings.Split(picked, "\n") {
		if strings.HasPrefix(line, "bidders.") {
			c := cellOf(line, "20")
			if col >= 0 && c != col {
				t.Errorf("--metrics table: %q at cell %d, another at %d:\n%s", line, c, col, picked)
			}
			col = c
		}
	}
	if col < 0 {
		t.Fatalf("no rows in\n%s", picked)
	}
}

// checkSection checks one table of a section: the cell where each named
// row's second column begins is the same; it returns the rows seen.
func checkSection(t *testing.T, section, what string, names []string, second func(line string) int) int {
	t.Helper()
	col, rows := -1, 0
	for _, line := range strings.Split(section, "\n") {
		for _, n := range names {
			if !strings.HasPrefix(line, n+" ") {
				continue
			}
			rows++
			c := second(line)
			if col >= 0 && c != col {
				t.Errorf("%s: %q's row has its numbers at cell %d, another's at %d:\n%s", what, n, c, col, section)
			}
			col = c
		}
	}
	return rows
}

func TestPadRightCells(t *testing.T) {
	for _, tc := range []struct {
		s    string
		w    int
		want string
	}{
		{"ab", 4, "ab  "},
		{"中文", 6, "中文  "}, // 4 cells, not 2 runes
		{"🎯", 3, "🎯 "},
		{"caf\u00e9", 5, "caf\u00e9 "},
		{"toolong", 3, "toolong"}, // never cut: names stay whole
	} {
		if got := format.PadRight(tc.s, tc.w); got != tc.want {
			t.Errorf("PadRight(%q, %d) = %q, want %q", tc.s, tc.w, got, tc.want)
		}
	}
}
