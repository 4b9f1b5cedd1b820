package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// runCols is run with COLUMNS set to cols ("" unset): what a script or
// CI piping the output gives.
func runCols(t *testing.T, cols string, args ...string) ran {
	t.Helper()
	cmd := exec.Command(binary, args...)
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "COLUMNS=") {
			env = append(env, kv)
		}
	}
	if cols != "" {
		env = append(env, "COLUMNS="+cols)
	}
	cmd.Env = append(env, "NO_COLOR=")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		if _, ok := err.(*exec.ExitError); !ok {
			t.Fatalf("running %v: %v", args, err)
		}
	}
	return ran{code: cmd.ProcessState.ExitCode(), stdout: out.String(), stderr: errb.String()}
}

// overWidth are out's lines wider than width, but the commands and --set
// flags to paste, which copy whole only on a line of their own.
func overWidth(out string, width int) []string {
	var long []string
	for _, line := range strings.Split(out, "\n") {
		paste := strings.HasPrefix(line, "  --set ") || strings.HasPrefix(line, "    auctionsim ")
		if utf8.RuneCountInString(line) > width && !paste {
			long = append(long, line)
		}
	}
	return long
}

// TestPipedFitsWidth: split's, compare's and sweep's tables written to a pipe fit
// 100 columns, or $COLUMNS when set (a terminal showing them later wraps
// a longer line where it falls, mid-word); the flags and commands to
// paste keep a line of their own, whole. split's prose ran to about 150
// columns piped, and compare's rows to the longest name's width and 56
// more (110 for bidders.acme-lookalike.eventual.without_ad_conversions).
func TestPipedFitsWidth(t *testing.T) {
	path, err := filepath.Abs(knownFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		cols  string
		width int
	}{{"", 100}, {"80", 80}, {"junk", 100}} {
		r := runCols(t, c.cols, "split", "-s", path, "--group", "g", "--step", "10%", "--reps", "3")
		if r.code != exitOK {
			t.Fatalf("split: exit %d: %s", r.code, r.stderr)
		}
		if long := overWidth(r.stdout, c.width); len(long) > 0 {
			t.Errorf("split, COLUMNS %q: %d lines past %d columns: %q", c.cols, len(long), c.width, long)
		}
		// The recommended split's flags copy whole, on a line of their own.
		if !strings.Contains(r.stdout, "\n  --set bidders.good.budget.total=") {
			t.Errorf("split, COLUMNS %q: no --set line of its own:\n%s", c.cols, r.stdout)
		}
		const name = "bidders.acme-lookalike.eventual.without_ad_conversions"
		r = runCols(t, c.cols, "compare", "budget-split", "--move", "acme-retarget:acme-prospect=100", "--auctions", "2000", "--reps", "2",
			"--metrics", name+",groups.acme.spend")
		if r.code != exitOK {
			t.Fatalf("compare: exit %d: %s", r.code, r.stderr)
		}
		if long := overWidth(r.stdout, c.width); len(long) > 0 {
			t.Errorf("compare, COLUMNS %q: %d lines past %d columns: %q", c.cols, len(long), c.width, long)
		}
		if !strings.Contains(r.stdout, "\n  "+name+"\n") || !strings.Contains(r.stdout, "  groups.acme.spend ") {
			t.Errorf("compare, COLUMNS %q: the long name is not on a line of its own, or the short one not in its row:\n%s", c.cols, r.stdout)
		}
		// sweep's next-highest line ran to 132 columns.
		r = runCols(t, c.cols, "sweep", "-s", "reserve-price", "--vary", "exchange.floor=0..0.9:0.3", "--reps", "2", "--duration", "5s")
		if r.code != exitOK || !strings.Contains(r.stdout, "the next highest") {
			t.Fatalf("sweep: exit %d: %s%s", r.code, r.stdout, r.stderr)
		}
		if long := overWidth(r.stdout, c.width); len(long) > 0 {
			t.Errorf("sweep, COLUMNS %q: %d lines past %d columns: %q", c.cols, len(long), c.width, long)
		}
	}
	// A wide $COLUMNS is taken: the long name keeps its row.
	r := runCols(t, "200", "compare", "budget-split", "--move", "acme-retarget:acme-prospect=100", "--auctions", "2000", "--reps", "2",
		"--metrics", "bidders.acme-lookalike.eventual.without_ad_conversions")
	if strings.Contains(r.stdout, "\n  bidders.acme-lookalike.eventual.without_ad_conversions\n") {
		t.Errorf("COLUMNS 200: the name on a line of its own:\n%s", r.stdout)
	}
}

// TestScaleNoteWrapsOnATerminal: the note that --duration scales the
// budgets (180 to 430 columns) wraps at spaces within stderr's terminal,
// its continuation indented, rather than where the terminal breaks it
// mid-word; to a log (no terminal) it stays one line, to grep.
func TestScaleNoteWrapsOnATerminal(t *testing.T) {
	for _, w := range []int{0, 80} {
		var out, errb bytes.Buffer
		st := streams{out: &out, err: &errb, errWidth: w, getenv: func(string) string { return "" }}
		if code := realMain([]string{"run", "-s", "budget-split", "--duration", "20s", "--json"}, st); code != exitOK {
			t.Fatalf("exit %d: %s", code, errb.String())
		}
		note := errb.String()
		if !strings.HasPrefix(note, "auctionsim run: the run keeps 0.03333 of budget-split's horizon") {
			t.Fatalf("width %d: no scale note: %q", w, note)
		}
		lines := strings.Split(strings.TrimSuffix(note, "\n"), "\n")
		if w == 0 {
			if len(lines) != 1 {
				t.Errorf("to a log, the note on %d lines: %q", len(lines), note)
			}
			continue
		}
		if len(lines) < 2 {
			t.Errorf("width %d: one line of %d columns", w, utf8.RuneCountInString(note))
		}
		for i, l := range lines {
			if utf8.RuneCountInString(l) > w || i > 0 && !strings.HasPrefix(l, "  ") {
				t.Errorf("width %d: line %q", w, l)
			}
		}
	}
}

// TestRunPipedFitsWidth: run's summary written to a pipe keeps to
// $COLUMNS, or 100, as compare's does, with every column of its tables
// (split into tables sharing the name column; before, the bidders table
// ran to about 150 columns whatever COLUMNS said); --json is unchanged
// by the width.
func TestRunPipedFitsWidth(t *testing.T) {
	for _, c := range []struct {
		cols  string
		width int
	}{{"", 100}, {"80", 80}} {
		for _, s := range []string{"budget-split", "flight-week"} {
			r := runCols(t, c.cols, "run", "-s", s, "--auctions", "3000", "--no-color")
			if r.code != exitOK {
				t.Fatalf("run %s: exit %d: %s", s, r.code, r.stderr)
			}
			if long := overWidth(r.stdout, c.width); len(long) > 0 {
				t.Errorf("run %s, COLUMNS %q: %d lines past %d columns: %q", s, c.cols, len(long), c.width, long)
			}
			for _, head := range []string{" requests │", " late% │", " budget │", " surplus │", " p99 │", " iprofit │", " incr eventual │"} {
				if !strings.Contains(r.stdout, head) {
					t.Errorf("run %s, COLUMNS %q: no column %q:\n%s", s, c.cols, head, r.stdout)
				}
			}
		}
	}
	narrow := runCols(t, "80", "run", "-s", "budget-split", "--auctions", "3000", "--json")
	wide := runCols(t, "300", "run", "-s", "budget-split", "--auctions", "3000", "--json")
	// The wall clock's seconds aside, which no two runs share.
	wall := regexp.MustCompile(`"wall_seconds": [0-9.e-]+`)
	if narrow.code != exitOK || wall.ReplaceAllString(narrow.stdout, "") != wall.ReplaceAllString(wide.stdout, "") {
		t.Errorf("run --json depends on COLUMNS (exit %d)", narrow.code)
	}
}
