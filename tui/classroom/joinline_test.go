package classroom

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// awaitTrainer feeds tr the room's states until it has one.
func awaitTrainer(t *testing.T, tr *Trainer) {
	t.Helper()
	deadline := time.After(limit)
	for !tr.have {
		select {
		case s := <-tr.ch:
			tr.Update(stateMsg{s, true})
		case <-deadline:
			t.Fatal("the trainer never saw the room")
		}
	}
}

// The join command is copied from a projector: at 80 columns and wider
// it stays whole on one line, however long the scenario's name.
func TestTrainerJoinCommandWhole(t *testing.T) {
	cfg := testRoomConfig(3, 30*time.Second)
	cfg.Scenario = "incrementality-test"
	cfg.Clock = fixedClock{epoch}
	rm, _ := runRoom(t, cfg)
	for _, tc := range []struct{ addr, cmd string }{
		{"127.0.0.1:22931", "ssh -p 22931 NAME@127.0.0.1"},
		{"[2001:db8:1234:5678:9abc:def0:1234:5678]:22931", "ssh -p 22931 NAME@[2001:db8:1234:5678:9abc:def0:1234:5678]"},
	} {
		tr := NewTrainer(TrainerOptions{Room: rm, Address: tc.addr, Renderer: ascii(), Code: "tulip-42"})
		awaitTrainer(t, tr)
		for _, w := range []int{80, 100, 200} {
			tr.Update(tea.WindowSizeMsg{Width: w, Height: 24})
			v := tr.View()
			found := false
			for _, line := range strings.Split(v, "\n") {
				found = found || strings.Contains(line, tc.cmd)
			}
			if !found {
				t.Errorf("%s at %d columns: no line has the whole %q:\n%s", tc.addr, w, tc.cmd, v)
			}
		}
		tr.cancel()
	}
}
