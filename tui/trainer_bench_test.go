package tui

import (
	"testing"
	"time"
)

// BenchmarkViewTrainer is the cost of drawing the screen at 160×48 in each
// of the trainers' views (target: under 2 ms, as the dashboard), in
// colour. The timeline is drawn mid-replay, as it is twenty times a
// second while it plays.
func BenchmarkViewTrainer(b *testing.B) {
	for _, tt := range []struct {
		name string
		keys []string
	}{
		{"present", []string{"P"}},
		{"whatif", []string{"w"}},
		{"timeline", []string{"v"}},
		{"openrtb", []string{"enter", "o"}},
	} {
		b.Run(tt.name, func(b *testing.B) {
			m := goldenModel(b, 160, 48)
			setTheme(m, colourTheme())
			for _, k := range tt.keys {
				press(m, k)
			}
			if tt.name == "timeline" {
				tickTimeline(m, 60*time.Millisecond)
			}
			b.ReportAllocs()
			for b.Loop() {
				_ = m.View()
			}
		})
	}
}
