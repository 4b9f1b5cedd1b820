package report

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// Progress draws a progress bar on a terminal, a few times a second: a
// run's (Update) or an experiment's (Runs), whose workers update it at
// once, hence the lock. A nil *Progress draws nothing, which is what a
// stderr that is not a terminal gets.
type Progress struct {
	mu    sync.Mutex
	w     io.Writer
	start time.Time
	next  time.Time // earliest instant of the next redraw
	drawn bool
}

// ProgressEvery is the redraw interval: smooth enough to read, rare
// enough to cost nothing.
const ProgressEvery = 100 * time.Millisecond

// BarWidth is the bar's width in cells.
const BarWidth = 30

// NewProgress returns the bar for w when it is a terminal (tty), or nil:
// a log file would fill with carriage returns.
func NewProgress(w io.Writer, tty bool) *Progress {
	if !tty {
		return nil
	}
	now := time.Now()
	return &Progress{w: w, start: now, next: now.Add(ProgressEvery)}
}

// Update redraws the bar at fraction f of a run, after auctions, if it
// is time to.
func (p *Progress) Update(f float64, auctions uint64) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if !p.due(now, false) {
		return
	}
	rate := float64(auctions) / max(now.Sub(p.start).Seconds(), 1e-9)
	p.draw(f, fmt.Sprintf("%d auctions  %.2fM auctions/s", auctions, rate/1e6))
}

// Runs redraws after done of total replications, with the time left, if
// it is time to (always after the last).
func (p *Progress) Runs(done, total int) {
	if p == nil || total <= 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if !p.due(now, done >= total) {
		return
	}
	f := min(float64(done)/float64(total), 1)
	eta := "–"
	if elapsed := now.Sub(p.start); done > 0 {
		left := time.Duration(float64(elapsed) * float64(total-done) / float64(done))
		eta = left.Round(time.Second).String()
	}
	p.draw(f, fmt.Sprintf("%d/%d runs  ETA %s", done, total, eta))
}

// due reports whether it is time to redraw at now (always when final),
// and if so schedules the redraw after.
func (p *Progress) due(now time.Time, final bool) bool {
	if now.Before(p.next) && !final {
		return false
	}
	p.next = now.Add(ProgressEvery)
	return true
}

// draw draws the bar at fraction f (0 to 1) of the work, followed by
// what the fraction counts.
func (p *Progress) draw(f float64, counts string) {
	full := int(f * BarWidth)
	bar := strings.Repeat("█", full) + strings.Repeat("░", BarWidth-full)
	fmt.Fprintf(p.w, "\r%s %3.0f%%  %s ", bar, 100*f, counts)
	p.drawn = true
}

// Clear erases the bar, leaving the line for what comes next.
func (p *Progress) Clear() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.drawn {
		return
	}
	fmt.Fprint(p.w, "\r\x1b[K")
	p.drawn = false
}
