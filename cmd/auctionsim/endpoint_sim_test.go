package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestEndpointNotSimulatedSilently: every command that simulates every
// bidder (run --reps, compare either side, sweep, split, play, serve)
// refuses a scenario with a bidder's endpoint, exit 2 before any run, at
// the file's line and bidders.NAME.endpoint with what to do instead,
// where it reported the model's numbers as the real bidder's; dropping
// the endpoint (--set ...=null) simulates it; and the dashboard goes on
// the wire for it, as run does, where it simulated the bidder.
func TestEndpointNotSimulatedSilently(t *testing.T) {
	const bidder = "  - name: acme-retarget\n    group: acme\n"
	ep, text := editedBundled(t, "budget-split", "acme-retarget", bidder, bidder+"    endpoint: http://127.0.0.1:9/openrtb2/acme-retarget\n")
	line := strings.Count(text[:strings.Index(text, "    endpoint:")], "\n") + 1
	where := ep + ":" + strconv.Itoa(line) + ":15: bidders.acme-retarget.endpoint: acme-retarget is a real bidder at http://127.0.0.1:9/openrtb2/acme-retarget"
	drop := "--set 'bidders.acme-retarget.endpoint=null'"
	short := []string{"--auctions", "500", "--reps", "2"}
	for _, args := range [][]string{
		append([]string{"run", "-s", ep}, short...),
		append([]string{"compare", ep, "--change", "exchange.floor=0.3"}, short...),
		append([]string{"compare", "budget-split", ep}, short...),
		append([]string{"sweep", "-s", ep, "--vary", "exchange.floor=0.1,0.2"}, short...),
		append([]string{"split", "-s", ep, "--group", "acme", "--step", "50%"}, short...),
		{"play", "-s", ep},
		{"serve", "--ssh", "127.0.0.1:0", "-s", ep, "--seats", "99"}, // refused later for its seats: never served
	} {
		r := inProcess(args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, where) || !strings.Contains(r.stderr, drop) || r.stdout != "" {
			t.Errorf("%v: exit %d, stdout %d bytes, stderr %q; want exit 2 at %s, saying %s", args, r.code, len(r.stdout), r.stderr, where, drop)
		}
	}
	if r := inProcess(append([]string{"run", "-s", ep, "--set", "bidders.acme-retarget.endpoint=null"}, short...)...); r.code != exitOK {
		t.Errorf("run --reps, the endpoint dropped: exit %d, stderr %q", r.code, r.stderr)
	}
	st := streams{out: &strings.Builder{}, err: &strings.Builder{}, getenv: func(string) string { return "" }}
	if opts, code, ok := parseTUI([]string{"-s", ep}, st); !ok || opts.Source == nil {
		t.Errorf("dashboard: ok %v, exit %d, source %v; want it on the wire", ok, code, opts.Source)
	}
}

// editedBundled writes the bundled scenario name, its first old replaced
// by new, to a file of its own and returns the file's path and text; the
// test fails at once when name has no old (what: what old stands for, as
// the message says it).
func editedBundled(t *testing.T, name, what, old, new string) (path, text string) {
	t.Helper()
	data, err := os.ReadFile("../../scenarios/bundled/" + name + ".yaml")
	if err != nil {
		t.Fatal(err)
	}
	text = strings.Replace(string(data), old, new, 1)
	if text == string(data) {
		t.Fatalf("%s's %s not found: update the test", name, what)
	}
	path = filepath.Join(t.TempDir(), "ep.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, text
}
