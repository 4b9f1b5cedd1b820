package main

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// progress draws a progress bar on a terminal, a few times a second. A nil
// *progress draws nothing, which is what a stderr that is not a terminal
// gets.
type progress struct {
	w     io.Writer
	start time.Time
	next  time.Time // earliest instant of the next redraw
	drawn bool
}

// progressEvery is the redraw interval: smooth enough to read, rare enough
// to cost nothing.
const progressEvery = 100 * time.Millisecond

const barWidth = 30

// progressFor returns the bar for stderr, or nil when stderr is not a
// terminal (a log file would fill with carriage returns).
func progressFor(st streams) *progress {
	if !st.errTTY {
		return nil
	}
	now := time.Now()
	return &progress{w: st.err, start: now, next: now.Add(progressEvery)}
}

// update redraws the bar at fraction f of the run, if it is time to.
func (p *progress) update(f float64, auctions uint64) {
	if p == nil {
		return
	}
	now := time.Now()
	if !p.due(now, false) {
		return
	}
	rate := float64(auctions) / max(now.Sub(p.start).Seconds(), 1e-9)
	p.draw(f, fmt.Sprintf("%d auctions  %.2fM auctions/s", auctions, rate/1e6))
}

// due reports whether it is time to redraw at now (always when final),
// and if so schedules the redraw after.
func (p *progress) due(now time.Time, final bool) bool {
	if now.Before(p.next) && !final {
		return false
	}
	p.next = now.Add(progressEvery)
	return true
}

// draw draws the bar at fraction f (0 to 1) of the work, followed by
// what the fraction counts.
func (p *progress) draw(f float64, counts string) {
	full := int(f * barWidth)
	bar := strings.Repeat("█", full) + strings.Repeat("░", barWidth-full)
	fmt.Fprintf(p.w, "\r%s %3.0f%%  %s ", bar, 100*f, counts)
	p.drawn = true
}

// clear erases the bar, leaving the line for what comes next.
func (p *progress) clear() {
	if p == nil || !p.drawn {
		return
	}
	fmt.Fprint(p.w, "\r\x1b[K")
	p.drawn = false
}
