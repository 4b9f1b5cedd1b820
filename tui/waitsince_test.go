package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/sim"
)

// TestWaitFollowsTmaxChange: the trainers' trial. In prebid-server (300
// qps) after tmax 1s → 550ms the exchange panel's wait p95 read 1.00s
// "(partly before the change)" for up to a minute, its window the last
// 8,192 to 16,384 auctions. Now a second after the change it still says
// it reaches before it, and once sim.SinceEnough auctions fanned out
// since have closed (3.4 s at 300 qps; 5 s here) it reads theirs alone,
// at most the new deadline, and says it covers the auctions since the
// change, in the panel and in presentation mode.
func TestWaitFollowsTmaxChange(t *testing.T) {
	sc := bundled(t, "prebid-server")
	const at = 40 * sim.Second
	eng := engineAt(t, sc, at)
	if p95 := eng.Snapshot().Exchange.RecentWait.P95; p95 != sim.Second {
		t.Fatalf("prebid-server's recent wait p95 is %v before the change: the test needs 1s", p95)
	}
	if err := eng.Apply(sim.SetTmax{Tmax: 550 * sim.Millisecond}); err != nil {
		t.Fatal(err)
	}
	frames := func(to sim.Time) (*model, *sim.Snapshot) {
		eng.RunUntil(to - 100*sim.Millisecond)
		a := eng.Snapshot()
		eng.RunUntil(to)
		b := eng.Snapshot()
		m, _, _ := recordingModel(t, sc, 120, 40, frameOf(sc, a, t0, 0), frameOf(sc, b, t0.Add(100*time.Millisecond), 0))
		return m, b
	}
	row := func(v, label string) string {
		for _, l := range strings.Split(v, "\n") {
			if i := strings.Index(l, label); i >= 0 {
				return strings.Join(strings.Fields(l[i+len(label):]), " ")
			}
		}
		return ""
	}

	m, s := frames(at + sim.Second)
	v := m.View()
	if got := row(v, "wait p95 (partly before the change)") + row(v, "wait p95 (recent, partly before the change)"); got != "1.00s" {
		t.Errorf("a second after the change: the panel's wait reads %q beside its label, want 1.00s partly before it:\n%s", got, v)
	}
	if s.SinceChange.Auctions >= sim.SinceEnough {
		t.Fatalf("%d auctions a second after the change", s.SinceChange.Auctions)
	}

	m, s = frames(at + 5*sim.Second)
	v = m.View()
	want := format.Latency(s.Exchange.RecentWait.P95)
	if s.Exchange.RecentWait.P95 > 550*sim.Millisecond || s.Exchange.RecentWait.Count != s.SinceChange.Auctions {
		t.Fatalf("5s after the change the recent wait is %+v over %d auctions since", s.Exchange.RecentWait, s.SinceChange.Auctions)
	}
	if got := row(v, "wait p95 (since the change)"); got != want || strings.Contains(v, "before the change") {
		t.Errorf("5s after the change: the panel's wait reads %q beside its label, want %s since the change:\n%s", got, want, v)
	}
	// Presentation mode's tmax figure (its unit wraps up the rows beside
	// the digits on the screen).
	figs := presentFigures(m.ctx)
	if u := figs[len(figs)-1].unit; !strings.HasSuffix(u, "pages wait p95 "+want+" (since the change)") {
		t.Errorf("presentation mode's tmax says %q, want the wait since the change (%s)", u, want)
	}
	press(m, "P")
	if v := m.View(); !strings.Contains(v, "(since the change)") || strings.Contains(v, "before the change") {
		t.Errorf("presentation mode does not say the wait is since the change:\n%s", v)
	}
}
