package report

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestProgress checks the bar is drawn on a terminal and cleared at the
// end, and never drawn elsewhere.
func TestProgress(t *testing.T) {
	var buf bytes.Buffer
	if p := NewProgress(&buf, false); p != nil {
		t.Fatal("a progress bar without a terminal")
	}
	p := NewProgress(&buf, true)
	p.next = time.Time{} // draw now
	p.Update(0.5, 1000)
	p.Clear()
	out := buf.String()
	if !strings.Contains(out, " 50%") || !strings.HasSuffix(out, "\r\x1b[K") {
		t.Errorf("progress output %q", out)
	}
	var nilBar *Progress
	nilBar.Update(1, 1)
	nilBar.Runs(1, 1)
	nilBar.Clear()
}

// TestExpProgress checks the experiments' bar line, drawn on the last
// update whatever the time (TestExperimentProgress runs it end to end).
func TestExpProgress(t *testing.T) {
	var buf bytes.Buffer
	p := NewProgress(&buf, true)
	p.Runs(4, 4)
	if want := "\r" + strings.Repeat("█", BarWidth) + " 100%  4/4 runs  ETA 0s "; buf.String() != want {
		t.Errorf("progress output %q, want %q", buf.String(), want)
	}
}
