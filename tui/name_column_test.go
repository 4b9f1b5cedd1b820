package tui

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/rivo/uniseg"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/runner"
)

// longNamesYAML is a world whose bidders have long names, two of them
// alike for 17 runes, and an outcome model, so that the table shows its
// ROAS columns.
const longNamesYAML = "name: long-names\nseed: 3\n" + demoRules + `bidders:
  - name: acme-retargeting-europe
    group: acme-brand-campaigns
    latency: {dist: lognormal, median: 25ms, p99: 70ms}
    value: {dist: lognormal, median: 2.5, p99: 8}
    budget: {total: 100, pacing: multiplier}
    outcome: {ctr: 0.05, cvr: 0.4, order_value: 1, baseline_cvr: 0.012, delay: {dist: exponential, mean: 1s}}
  - name: acme-retargeting-america
    group: acme-brand-campaigns
    latency: {dist: lognormal, median: 25ms, p99: 70ms}
    value: {dist: lognormal, median: 2.0, p99: 9}
    budget: {total: 100, pacing: multiplier}
    outcome: {ctr: 0.05, cvr: 0.4, order_value: 1, baseline_cvr: 0.0005, delay: {dist: exponential, mean: 1s}}
  - name: rival-with-a-long-name
    latency: {dist: lognormal, median: 40ms, p99: 100ms}
    value: {dist: uniform, min: 0.5, max: 4}
  - name: rival
    latency: {dist: lognormal, median: 50ms, p99: 110ms}
    value: {dist: lognormal, median: 2.0, p99: 8}
`

// TestNameColumnGivesWay: at every width from 80 columns to the wide
// layout, with names of 17 runes and more and the ROAS columns shown,
// the bidders table's figure columns are whole (the heading ends with
// iROAS, each row with its iROAS figure, no figure cell is cut), and
// each row's name is its own: what is shown of it is its head and
// tail around an ellipsis, and no two rows show the same.
func TestNameColumnGivesWay(t *testing.T) {
	sc, eng := worldAt(t, "long-names.yaml", longNamesYAML, 5*sim.Second)
	snap := eng.Snapshot()
	rows := tableRows(snap)
	for w := minWidth; w < wideWidth; w++ {
		t.Run(fmt.Sprint(w), func(t *testing.T) {
			m, _ := modelOn(t, sc, eng, w, 40)
			v := m.View()
			checkScreen(t, v, w, 40)
			lines := strings.Split(ansi.Strip(v), "\n")
			head := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, " bidder ") })
			if head < 0 {
				t.Fatalf("no table heading on the screen:\n%s", v)
			}
			if h := strings.TrimRight(lines[head], " "); !strings.HasSuffix(h, " aROAS  iROAS") {
				t.Errorf("the heading's ROAS columns are cut: %q", h)
			}
			if len(lines) < head+1+len(rows) {
				t.Fatalf("not every row is on the screen:\n%s", v)
			}
			seen := map[string]string{}
			for k, tr := range rows {
				l := strings.TrimRight(lines[head+1+k], " ")
				name, roas := "", ""
				if tr.bidder >= 0 {
					b := snap.Bidders[tr.bidder]
					name, roas = b.Name, format.ROAS(b.IncrementalROAS())
				} else {
					g := snap.Groups[tr.group]
					name, roas = g.Name, format.ROAS(g.IncrementalROAS())
				}
				if !strings.HasSuffix(l, " "+roas) {
					t.Errorf("%s's row %q does not end with its iROAS %q", name, l, roas)
				}
				shown := strings.Fields(strings.TrimLeft(l, " ▸!✗Σ"))[0]
				if !namePart(shown, name) {
					t.Errorf("%s's row shows %q for its name: %q", name, shown, l)
				}
				if other, ok := seen[shown]; ok {
					t.Errorf("%s and %s both show as %q", other, name, shown)
				}
				seen[shown] = name
				if rest := strings.Replace(l, shown, "", 1); strings.Contains(rest, "…") {
					t.Errorf("a cell of %s's row is cut: %q", name, l)
				}
			}
		})
	}
}

// namePart reports whether shown is name, or its head and tail (and
// perhaps a piece between) around ellipses.
func namePart(shown, name string) bool {
	parts := strings.Split(shown, "…")
	if len(parts) == 1 {
		return shown == name
	}
	if !strings.HasPrefix(name, parts[0]) {
		return false
	}
	rest := name[len(parts[0]):]
	for _, p := range parts[1:] {
		i := strings.Index(rest, p)
		if i < 0 {
			return false
		}
		rest = rest[i+len(p):]
	}
	return true
}

// wholeClusters reports that each part of shown between its "…" is
// whole grapheme clusters of name, in a row: no cut inside a cluster.
func wholeClusters(shown, name string) bool {
	clusters := func(s string) []string {
		var out []string
		for gr := uniseg.NewGraphemes(s); gr.Next(); {
			out = append(out, gr.Str())
		}
		return out
	}
	all := clusters(name)
	for _, p := range strings.Split(shown, "…") {
		g := clusters(p)
		found := false
		for i := 0; i+len(g) <= len(all) && !found; i++ {
			found = slices.Equal(all[i:i+len(g)], g)
		}
		if !found {
			return false
		}
	}
	return true
}

// TestShortName: a name too wide is cut at its end where what tells it
// from the others stays, else in its middle; never wider than asked (in
// cells: a wide character takes two), never inside a grapheme cluster
// (an accent written apart stays with its letter), and never the same
// as another's.
func TestShortName(t *testing.T) {
	names := []string{"acme-retargeting-europe", "acme-retargeting-america", "acme-retargeting",
		"acme-prospecting-new-users", "rival", "brand-x-campaign-2024-q1-search", "brand-x-campaign-2024-q1-social",
		"a-very-long-shared-prefix-then-x-and-a-long-shared-suffix", "a-very-long-shared-prefix-then-y-and-a-long-shared-suffix"}
	for w := 6; w <= 24; w++ {
		seen := map[string]string{}
		for _, n := range names {
			s := shortName(n, names, w)
			if sw := ansi.StringWidth(s); sw > w {
				t.Errorf("%q in %d cells: %q is %d", n, w, s, sw)
			}
			if !namePart(s, n) {
				t.Errorf("%q in %d cells: %q", n, w, s)
			}
			if o, ok := seen[s]; ok {
				t.Errorf("in %d cells %q and %q both show as %q", w, o, n, s)
			}
			seen[s] = n
		}
	}
	// Decomposed (NFD) accents, e and U+0301, and wide characters: cut
	// between grapheme clusters, never orphaning an accent after the
	// "…", and within w by display width.
	nfd := []string{"cafe\u0301-de\u0301couverte-europe", "cafe\u0301-de\u0301couverte-ame\u0301rique", "cafe-decouverte-europe",
		"re\u0301sume\u0301-campagne-re\u0301seau-social", "re\u0301sume\u0301-campagne-reseau-social",
		"広告主-リターゲティング-ヨーロッパ", "広告主-リターゲティング-アメリカ", "広告主-新規"}
	for w := 6; w <= 24; w++ {
		seen := map[string]string{}
		for _, n := range nfd {
			s := shortName(n, nfd, w)
			if sw := ansi.StringWidth(s); sw > w {
				t.Errorf("%q in %d cells: %q is %d", n, w, s, sw)
			}
			if !namePart(s, n) || !wholeClusters(s, n) {
				t.Errorf("%q in %d cells: %q (%+q)", n, w, s, s)
			}
			if o, ok := seen[s]; ok {
				t.Errorf("in %d cells %q and %q both show as %q", w, o, n, s)
			}
			seen[s] = n
		}
	}
	if s := shortName("acme-prospecting-new-users", []string{"acme-retargeting-europe"}, 12); s != "acme-prospe…" {
		t.Errorf("a name told apart early is cut at its end: %q", s)
	}
	if s := shortName("rival", []string{"acme-retargeting-europe"}, 12); s != "rival" {
		t.Errorf("a short name is whole: %q", s)
	}
}

// TestLatencyNamesApart: the latency panel, below the table, tells the
// long names apart too: no two of its rows show the same name.
func TestLatencyNamesApart(t *testing.T) {
	sc, eng := worldAt(t, "long-names.yaml", longNamesYAML, 5*sim.Second)
	snap := eng.Snapshot()
	for _, w := range []int{minWidth, wideWidth} {
		m, _ := modelOn(t, sc, eng, w, 40)
		lines := strings.Split(ansi.Strip(m.View()), "\n")
		top := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "Latency") })
		if top < 0 || len(lines) < top+1+len(snap.Bidders) {
			t.Fatalf("at %d: no latency panel with every bidder:\n%s", w, m.View())
		}
		seen := map[string]string{}
		for k, b := range snap.Bidders {
			shown := strings.Fields(strings.TrimLeft(lines[top+1+k], " ▸"))[0]
			if !namePart(shown, b.Name) {
				t.Errorf("at %d: %s's latency row shows %q", w, b.Name, shown)
			}
			if o, ok := seen[shown]; ok {
				t.Errorf("at %d: %s and %s both show as %q", w, o, b.Name, shown)
			}
			seen[shown] = b.Name
		}
	}
}

// TestForkNamesApart: the A/B fork panel tells the long names apart as
// the bidders table does: no two of its rows show the same name, and
// each shows a part of its own.
func TestForkNamesApart(t *testing.T) {
	sc, eng := worldAt(t, "long-names.yaml", longNamesYAML, 5*sim.Second)
	f := sim.NewFork(eng, sim.Second, nil)
	frame := func(at sim.Time, wall time.Time) runner.Frame {
		f.RunUntil(at)
		fr := frameOf(sc, f.B.Snapshot(), wall, 0)
		fr.Fork = &runner.ForkFrame{A: f.A.Snapshot(), At: 5 * sim.Second, Every: sim.Second, Differences: f.Differences()}
		return fr
	}
	first := frame(9900*sim.Millisecond, t0)
	second := frame(10*sim.Second, t0.Add(100*time.Millisecond))
	snap := second.Snap
	want := []string{}
	for _, g := range snap.Groups {
		want = append(want, g.Name)
	}
	for _, b := range snap.Bidders {
		want = append(want, b.Name)
	}
	for _, w := range []int{minWidth, wideWidth} {
		m, _, _ := recordingModel(t, sc, w, 40, first, second)
		v := ansi.Strip(m.View())
		i := strings.Index(v, "A/B fork")
		if i < 0 {
			t.Fatalf("at %d: no fork panel:\n%s", w, v)
		}
		// The name column of each row below the heading; a group's
		// spend row has none.
		var shown []string
		for _, l := range strings.Split(v[i:], "\n")[2:] {
			if strings.TrimSpace(ansi.Truncate(l, forkWidthsFor(minWidth).name, "")) == "" {
				continue
			}
			fields := strings.Fields(l)
			for len(fields) > 1 && (fields[0] == "Σ" || fields[0] == "▸") {
				fields = fields[1:]
			}
			shown = append(shown, fields[0])
			if len(shown) == len(want) {
				break
			}
		}
		if len(shown) < len(want) {
			t.Fatalf("at %d: %d of the %d names in the fork panel:\n%s", w, len(shown), len(want), v)
		}
		seen := map[string]string{}
		for k, name := range want {
			if !namePart(shown[k], name) {
				t.Errorf("at %d: %s's fork row shows %q", w, name, shown[k])
			}
			if o, ok := seen[shown[k]]; ok {
				t.Errorf("at %d: %s and %s both show as %q", w, o, name, shown[k])
			}
			seen[shown[k]] = name
		}
	}
}

// worldAt is the world of YAML src, named name, run to at.
func worldAt(t *testing.T, name, src string, at sim.Time) (*scenarios.Scenario, *sim.Engine) {
	t.Helper()
	sc, err := scenarios.Parse(name, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return sc, engineAt(t, sc, at)
}
