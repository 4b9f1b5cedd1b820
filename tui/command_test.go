package tui

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// typeLine opens the command line and types text into it.
func typeLine(m *model, text string) {
	press(m, ":")
	for _, r := range text {
		press(m, string(r))
	}
}

// The command line takes any --set expression, applies it live with the
// messages --set gives, stays open on an error, recalls what was applied,
// and what it applies is logged as its assignment and replays exactly.
func TestCommandLine(t *testing.T) {
	sc := bundled(t, "timeout-story")
	dir := t.TempDir()
	m, _, pump := liveModel(t, sc, modelOptions{export: report.WriteWith, exportDir: dir})
	c := m.ctx
	typeLine(m, "exchange.tmax=350ms")
	if _, ok := c.top().(*commandLine); !ok {
		t.Fatal(": did not open the command line")
	}
	if !strings.Contains(m.View(), ":exchange.tmax=350ms") {
		t.Errorf("the line is not on screen:\n%s", m.View())
	}
	press(m, "enter")
	pump()
	if _, ok := c.top().(*commandLine); ok {
		t.Error("enter left the line open")
	}
	if got := c.Snap().Settings.Tmax; got != 350*sim.Millisecond {
		t.Errorf("tmax %v after :exchange.tmax=350ms", got)
	}
	if c.status != "exchange.tmax=350ms" { // as typed
		t.Errorf("status %q", c.status)
	}

	// A typo: --set's message and suggestion, inline; the line stays,
	// and q is a letter there, not quit.
	typeLine(m, "exchange.tmaxx=80ms")
	if cmd := press(m, "enter"); cmd != nil {
		t.Errorf("enter on a bad line returned a command")
	}
	line, ok := c.top().(*commandLine)
	if !ok {
		t.Fatal("an error closed the line")
	}
	_, _, flagErr := scenarios.ResolveWith("timeout-story", []scenarios.Set{{Path: "exchange.tmaxx", Value: "80ms", Flag: "--set"}})
	if flagErr == nil {
		t.Fatal("--set took the typo")
	}
	want := strings.TrimPrefix(oneLine(flagErr), "--set ")
	if line.err != ":"+want {
		t.Errorf("the line says %q, --set says %q", line.err, flagErr)
	}
	if !strings.Contains(line.err, "did you mean tmax?") || !strings.Contains(m.View(), "did you mean tmax?") {
		t.Errorf("no suggestion on screen: %q", line.err)
	}
	if cmd := press(m, "q"); cmd != nil {
		if _, quit := cmd().(tea.QuitMsg); quit {
			t.Error("q quit from the command line")
		}
	}
	if !strings.HasSuffix(line.input.Value(), "q") {
		t.Errorf("q was not typed: %q", line.input.Value())
	}
	press(m, "esc")
	if _, ok := c.top().(*commandLine); ok || c.status != "cancelled" {
		t.Errorf("esc: status %q", c.status)
	}
	if n := len(c.Snap().Changes); n != 1 {
		t.Errorf("%d changes after a refused line, want 1", n)
	}

	// What cannot change during a run is refused as a script's set is.
	typeLine(m, "seed=5")
	press(m, "enter")
	if line, ok := c.top().(*commandLine); !ok || !strings.Contains(line.err, "cannot change during a run") {
		t.Errorf("seed=5: %#v", c.top())
	}
	press(m, "esc")

	// ↑ recalls the line applied; a part of a bidder's latency keeps the
	// rest of it.
	press(m, ":")
	press(m, "up")
	if got := c.top().(*commandLine).input.Value(); got != "exchange.tmax=350ms" {
		t.Errorf("↑ recalled %q", got)
	}
	press(m, "down")
	if got := c.top().(*commandLine).input.Value(); got != "" {
		t.Errorf("↓ back to the new line: %q", got)
	}
	press(m, "esc")
	typeLine(m, "bidders.metro.latency.median=160ms") // above its p99, 90ms
	press(m, "enter")
	if line, ok := c.top().(*commandLine); !ok || !strings.Contains(line.err, "p99: 90ms is below the median 160ms") {
		t.Errorf("median above p99: %#v", c.top())
	}
	press(m, "esc")
	for _, text := range []string{"bidders.metro.latency.p99=300ms", "bidders.metro.latency.median=160ms"} {
		typeLine(m, text)
		press(m, "enter")
		pump()
	}
	log := c.Snap().Changes
	last, ok := log[len(log)-1].Change.(sim.SetLatency)
	ms := float64(sim.Millisecond)
	if want := sim.LogNormalMedianP99(160*ms, 300*ms); !ok || last.Bidder != "metro" || last.Latency.A != want.A || last.Latency.B != want.B {
		if l, open := c.top().(*commandLine); open {
			t.Logf("line: %q", l.err)
		}
		t.Fatalf("last change %v; status %q", log[len(log)-1].Change, c.status)
	}

	// A key makes an assignment too; the export logs each as one and
	// replays to the same state.
	press(m, "T")
	for range 3 {
		press(m, "l") // swift, ×1.25
	}
	pump()
	for range 30 {
		press(m, ".")
		pump()
	}
	exported := c.Snap()
	em, rep := exportReplay(t, m)
	var file struct {
		Changes []report.Change `json:"changes"`
	}
	readExport(t, em.path, &file)
	wantSets := []string{`{"exchange.tmax":"350ms"}`, `{"bidders.metro.latency":"{dist: lognormal, median: 45ms, p99: 300ms}"}`,
		`{"bidders.metro.latency":"{dist: lognormal, median: 160ms, p99: 300ms}"}`, `{"exchange.tmax":"360ms"}`,
		`{"bidders.swift.latency":"{dist: lognormal, median: 37.5ms, p99: 87.5ms}"}`,
		`{"bidders.swift.latency":"{dist: lognormal, median: 46.875ms, p99: 109.375ms}"}`,
		`{"bidders.swift.latency":"{dist: lognormal, median: 58.59375ms, p99: 136.71875ms}"}`}
	if len(file.Changes) != len(wantSets) {
		t.Fatalf("%d changes logged, want %d", len(file.Changes), len(wantSets))
	}
	for i, ch := range file.Changes {
		set, _ := json.Marshal(ch.Set)
		if !strings.HasPrefix(string(set), wantSets[i]) {
			t.Errorf("changes[%d].set = %s, want %s…", i, set, wantSets[i])
		}
	}
	got := replayExport(t, rep).Snapshot()
	if got.Exchange != exported.Exchange || got.Settings != exported.Settings {
		t.Errorf("the replay differs:\n got %+v\nwant %+v", got.Exchange, exported.Exchange)
	}
}

// A world with no scenario text (built from a bare configuration) has no
// paths to set: the line says so and sends nothing, and the keys still
// change the world as typed changes.
func TestCommandLineWithoutText(t *testing.T) {
	m, l, _ := testModel(t, 120, 40)
	typeLine(m, "exchange.tmax=80ms")
	press(m, "enter")
	line, ok := m.ctx.top().(*commandLine)
	if !ok || !strings.Contains(line.err, "no scenario text") {
		t.Fatalf("line: %#v", m.ctx.top())
	}
	if len(l.sent) != 0 {
		t.Errorf("sent %v", l.cmds())
	}
	press(m, "esc")
	press(m, "T")
	press(m, "enter") // applies the step now
	if cmds := l.cmds(); len(cmds) != 1 {
		t.Errorf("T sent %v", cmds)
	}
}

// TestCommandLineLongRefusal: a refusal too long for the line takes the
// title's line too, so that it reads whole at 80 and 100 columns.
func TestCommandLineLongRefusal(t *testing.T) {
	sc := bundled(t, "timeout-demo")
	m, _, _ := liveModel(t, sc, modelOptions{})
	typeLine(m, "bidders.swift.capacity.workers=2") // a capacity cannot change during a run
	press(m, "enter")
	line, ok := m.ctx.top().(*commandLine)
	if !ok || len(line.err) < 100 {
		t.Fatalf("want a long refusal, got %#v", m.ctx.top())
	}
	for _, w := range []int{80, 100} {
		m.Update(sizeMsg(w, 30))
		rows := strings.Split(m.View(), "\n")
		at := slices.IndexFunc(rows, func(r string) bool { return strings.Contains(r, ":bidders.swift.capacity.workers=2") })
		if len(rows) != 30 || at < 0 {
			t.Fatalf("at %d columns, %d rows, the line typed at %d:\n%s", w, len(rows), at, m.View())
		}
		shown := strings.Join(strings.Fields(strings.Join(rows[at+1:], " ")), " ")
		want := "! bidders.swift.capacity.workers: cannot change during a run (live: exchange.auction,"
		if !strings.HasPrefix(shown, want) || !strings.Contains(shown, "disabled, frequency_cap)") {
			t.Errorf("at %d columns the refusal reads %q, want it whole", w, shown)
		}
	}
}

// TestChangeLogAsTyped: the dashboard's change log shows each change in
// the one dialect, the path assignment the command line, --set and a
// script take, exactly as the export's set records it, whether a key or
// the command line made it; and each line reads back through the command
// line as the change it shows (no change: it is already so).
func TestChangeLogAsTyped(t *testing.T) {
	sc := bundled(t, "timeout-demo")
	dir := t.TempDir()
	m, _, pump := liveModel(t, sc, modelOptions{export: report.WriteWith, exportDir: dir})
	c := m.ctx
	for _, k := range []string{"T", "f", "j", "x", "l"} {
		press(m, k)
		pump()
	}
	for _, text := range []string{"bidders.metro.latency.median=90ms", "bidders.swift.strategy={kind: shade, factor: 0.85}"} {
		typeLine(m, text)
		press(m, "enter")
		pump()
	}
	em, _ := exportReplay(t, m)
	var file struct {
		Changes []report.Change `json:"changes"`
	}
	readExport(t, em.path, &file)
	if len(file.Changes) != 6 {
		t.Fatalf("%d changes logged, want 6", len(file.Changes))
	}
	panel := changesPanel(c, 200, 40)
	for _, ch := range file.Changes {
		if len(ch.Set) != 1 {
			t.Fatalf("%s: set %v, want one assignment", ch.Kind, ch.Set)
		}
		for path, value := range ch.Set {
			typed := path + "=" + value
			shown := slices.ContainsFunc(strings.Split(panel, "\n"), func(line string) bool {
				return strings.HasSuffix(strings.TrimRight(line, " "), "  "+typed)
			})
			if !shown {
				t.Errorf("the change log does not show %q as typed:\n%s", typed, panel)
			}
			typeLine(m, typed)
			press(m, "enter")
			pump()
			if line, open := c.top().(*commandLine); open {
				t.Errorf(":%s refused: %s", typed, line.err)
				press(m, "esc")
			}
		}
	}
}

// TestCommandLineRefusalNamesThePath: a refusal under the line names the
// path it refuses, as --set's does ("--set exchange.tmax=: … is
// required"): before, the line's own prefix was cut with the path, and an
// empty value read "! is required (the bid deadline, …)", a bad one "! want
// a duration …", a misspelt field "! unknown field; did you mean tmax?".
// A refusal that names its path already is left as it is.
func TestCommandLineRefusalNamesThePath(t *testing.T) {
	sc := bundled(t, "prebid-server")
	m, _, _ := liveModel(t, sc, modelOptions{})
	m.Update(sizeMsg(80, 24))
	for _, c := range []struct{ typed, want string }{
		{"exchange.tmax=", "! exchange.tmax: is required"},
		{"exchange.tmax=abc", `! exchange.tmax: want a duration such as "120ms"`},
		{"traffic.qps=-1", "! traffic.qps: -1 must be"},
		{"exchange.tmaxx=80ms", "! exchange.tmaxx: unknown field; did you mean tmax?"},
		{"bidders.flaky.hangs=0.5", "! bidders.flaky.hangs: cannot change during a run"},
	} {
		typeLine(m, c.typed)
		press(m, "enter")
		shown := strings.Join(strings.Fields(m.View()), " ")
		if !strings.Contains(shown, c.want) {
			t.Errorf(":%s: the refusal does not read %q:\n%s", c.typed, c.want, m.View())
		}
		if strings.Contains(shown, c.want[2:]+": "+c.want[2:]) {
			t.Errorf(":%s: the path is named twice", c.typed)
		}
		press(m, "esc")
	}
}

// TestKeyRefusalReadsAt80Columns: a key's change refused (T at the
// longest tmax) says why on the status line at 80 columns, without the
// "--set PATH=VALUE: " the parser puts first: before, it read "refused:
// --set exchange.tmax=110ms: exchange.tmax_adjustments: they add up to
// 1…", the reason cut, and named a flag nobody typed.
func TestKeyRefusalReadsAt80Columns(t *testing.T) {
	src, err := scenarios.Source("prebid-server")
	if err != nil {
		t.Fatal(err)
	}
	yaml := strings.Replace(string(src), "tmax: 1000ms", "tmax: 1h", 1)
	yaml = strings.Replace(yaml, "qps: 300", "qps: 1", 1)
	sc, err := scenarios.Parse("prebid-server.yaml", []byte(yaml))
	if err != nil || sc.Config.Exchange.Tmax != sim.Hour {
		t.Fatalf("prebid-server at 1h: %v", err)
	}
	m, _, _ := liveModel(t, sc, modelOptions{})
	m.Update(sizeMsg(80, 24))
	press(m, "T")     // 1h0m0.01s: longer than the longest deadline
	press(m, "enter") // applies the step now
	v := m.View()
	checkScreen(t, v, 80, 24)
	// Whole, the value named once: it was cut at "…the largest suppor…".
	const want = "refused: exchange.tmax=1h0m0.01s: more than 1h, the largest supported deadline"
	if strings.Contains(v, "--set") || !slices.ContainsFunc(strings.Split(v, "\n"), func(l string) bool { return strings.TrimRight(l, " ") == want }) {
		t.Errorf("the refusal does not read at 80 columns:\n%s", v)
	}
}

// TestStatusCutAtAWord: a status too long for the line is cut at a
// space, not mid-word ("the largest suppor…"), keeping what fits.
func TestStatusCutAtAWord(t *testing.T) {
	const s = "refused: exchange.floor=1000.05: more than 1000, the largest supported price in CPM"
	for _, w := range []int{80, 60, 50} {
		got := fitWords(s, w)
		if ansi.StringWidth(got) > w || !strings.HasSuffix(got, "…") {
			t.Errorf("at %d: %q is not cut to fit", w, got)
			continue
		}
		if body := strings.TrimSuffix(got, "…"); !strings.HasPrefix(s, body) || s[len(body)] != ' ' && s[len(body)] != ',' {
			t.Errorf("at %d: %q is cut mid-word", w, got)
		}
	}
	if got := fitWords(s, 90); got != s {
		t.Errorf("a status that fits changed: %q", got)
	}
}

// TestTmaxUnderAdjustmentsSkips: in prebid-server at 120ms, t to 110ms
// (and ← in the what-if panel, whose grid starts at 20ms) is taken, and
// the auctions after it send no bid request, counted unsent, as Prebid
// Server calls no bidder when tmax_adjustments leave it no time. Before,
// both were refused ("exchange.tmax_adjustments: they add up to 110ms,
// which leaves bidders no time"), though the skip rule already called no
// bidder at 120ms.
func TestTmaxUnderAdjustmentsSkips(t *testing.T) {
	src, err := scenarios.Source("prebid-server")
	if err != nil {
		t.Fatal(err)
	}
	yaml := strings.Replace(string(src), "tmax: 1000ms", "tmax: 120ms", 1)
	sc, err := scenarios.Parse("prebid-server.yaml", []byte(yaml))
	if err != nil || sc.Config.Exchange.Tmax != 120*sim.Millisecond {
		t.Fatalf("prebid-server at 120ms: %v", err)
	}
	m, _, pump := liveModel(t, sc, modelOptions{})
	m.Update(sizeMsg(80, 24))
	press(m, "t")
	press(m, "enter") // applies the step now
	pump()
	if v := m.View(); strings.Contains(v, "refused") || !strings.Contains(v, "tmax 120ms → 110ms") {
		t.Errorf("t at 120ms:\n%s", v)
	}
	press(m, "w")
	press(m, "left")
	press(m, "enter") // applies the step now
	pump()
	if v := m.View(); strings.Contains(v, "refused") {
		t.Errorf("← at 110ms:\n%s", v)
	}
	tmax := m.ctx.Snap().Settings.Tmax
	if tmax >= 110*sim.Millisecond {
		t.Errorf("tmax %v after ← from 110ms", tmax)
	}
	pressRun(m, ".") // a step: auctions at the new tmax
	pump()
	s := m.ctx.Snap()
	if s.Exchange.Requests == 0 || s.Exchange.BidRequests != 0 || s.Exchange.Unsent != 5*s.Exchange.Requests {
		t.Errorf("at %v: want every bid request unsent: %+v", tmax, s.Exchange)
	}
}

// TestBidRequestsSayClosed: the exchange panel's bid requests, counted as
// their auctions close, say so, apart from the wire header's "sent",
// counted as they leave; on the wire the two differed by the calls in
// flight (6,910 sent beside 6,110 bid requests) with nothing to say why.
func TestBidRequestsSayClosed(t *testing.T) {
	m, _ := steppedModel(t, "prebid-server")
	m.Update(sizeMsg(120, 40))
	if v := m.View(); !strings.Contains(v, "bid requests (closed auctions)") {
		t.Errorf("120 columns:\n%s", v)
	}
	if got := bidRequestsLabel(28, "10,890"); got != "bid requests (closed)" {
		t.Errorf("a narrow panel: %q", got)
	}
}
