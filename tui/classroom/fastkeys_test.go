package classroom

import (
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/auctionsim/auctionsim/tui/classroom/room"
)

// TestTrainerFastKeys: keys typed faster than the terminal is read come
// as one message of several runes. The trainer matched "qq" against q and
// "rn" against r, found neither and did nothing: a lecturer's quick q q
// left the room open. Each rune is now a key press: q q closes, k then
// a name types the name.
func TestTrainerFastKeys(t *testing.T) {
	rm := quietRoom(t, 2)
	tr := NewTrainer(TrainerOptions{Room: rm, Address: "127.0.0.1:2222", Renderer: ascii(), Now: func() time.Time { return epoch }})
	defer tr.cancel()
	watchUntil(t, tr, "the room", func(room.State) bool { return true })
	_, cmd := tr.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("qq")})
	if !quits(cmd) {
		t.Fatal("q q typed at once did not close the room")
	}
	tr2 := NewTrainer(TrainerOptions{Room: rm, Address: "127.0.0.1:2222", Renderer: ascii(), Now: func() time.Time { return epoch }})
	defer tr2.cancel()
	watchUntil(t, tr2, "the room", func(room.State) bool { return true })
	tr2.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("kann")})
	if !tr2.kicking || tr2.input.Value() != "ann" {
		t.Errorf("k and a name typed at once: kicking %v, name %q", tr2.kicking, tr2.input.Value())
	}
	// A paste stays text: no key of its runes acts.
	tr3 := NewTrainer(TrainerOptions{Room: rm, Address: "127.0.0.1:2222", Renderer: ascii(), Now: func() time.Time { return epoch }})
	defer tr3.cancel()
	watchUntil(t, tr3, "the room", func(room.State) bool { return true })
	if _, cmd := tr3.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("qq"), Paste: true}); quits(cmd) {
		t.Error("a pasted qq closed the room")
	}
}

// quits reports whether cmd, or a command it batches, quits.
func quits(cmd tea.Cmd) bool {
	if cmd == nil {
		return false
	}
	switch msg := cmd().(type) {
	case tea.QuitMsg:
		return true
	case tea.BatchMsg:
		for _, c := range msg {
			if quits(c) {
				return true
			}
		}
	}
	return false
}
