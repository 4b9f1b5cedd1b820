package play

import (
	"strings"
	"testing"
	"time"
)

// The full help lists what applies now: bid and pass while bidding, the
// next auction after a round, with a countdown or without.
func TestFullHelpFollowsThePhase(t *testing.T) {
	for _, countdown := range []time.Duration{0, 30 * time.Second} {
		m := newTestModel(t, "classroom-vickrey", countdown, &clock{t: time.Unix(0, 0)})
		typeText(m, "?")
		if !m.entry.Help.ShowAll {
			t.Fatal("? did not open the help")
		}
		check := func(when string, want, not []string) {
			t.Helper()
			v := m.View()
			for _, w := range want {
				if !strings.Contains(v, w) {
					t.Errorf("countdown %v, %s: the help lacks %q:\n%s", countdown, when, w, v)
				}
			}
			for _, w := range not {
				if strings.Contains(v, w) {
					t.Errorf("countdown %v, %s: the help lists %q:\n%s", countdown, when, w, v)
				}
			}
		}
		check("bidding", []string{"enter bid", "pass"}, []string{"next auction"})
		typeText(m, "0.5")
		enter(m)
		if m.phase != showing {
			t.Fatalf("countdown %v: the bid did not close the round", countdown)
		}
		check("after the round", []string{"enter next auction"}, []string{"enter bid", "pass"})
	}
}
