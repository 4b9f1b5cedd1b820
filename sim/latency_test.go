package sim

import (
	"testing"

	"pgregory.net/rapid"
)

// Counting in HdrHistogram's layout and handing the counts over must give
// the very histogram that recording each value would.
func TestWindowMatchesHdrHistogram(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		us := rapid.SliceOf(rapid.OneOf(
			rapid.Int64Range(histLowest, 300),
			rapid.Int64Range(histLowest, 1_000_000),
			rapid.Int64Range(histLowest, histHighest),
		)).Draw(t, "µs")
		var w window
		direct := newHist()
		for _, v := range us {
			w.counts[index(v)]++
			if err := direct.RecordValue(v); err != nil {
				t.Fatal(err)
			}
		}
		via := newHist()
		w.addTo(via)
		if !via.Equals(direct) {
			t.Fatalf("histograms differ: %v vs %v", summarise(via), summarise(direct))
		}
		if len(us) > 0 && summarise(via) != summarise(direct) {
			t.Fatalf("summaries differ: %v vs %v", summarise(via), summarise(direct))
		}
	})
}

// The highest value lands in the last counter of the window.
func TestWindowCoversTheRange(t *testing.T) {
	if i := index(histHighest); i >= windowLen {
		t.Fatalf("index(%d) = %d, beyond the window's %d counters", histHighest, i, windowLen)
	}
	if got := len(newHist().Export().Counts); got != windowLen {
		t.Fatalf("HdrHistogram has %d counters, the window %d", got, windowLen)
	}
}
