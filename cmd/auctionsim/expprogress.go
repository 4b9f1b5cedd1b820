package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// expProgress draws an experiment's progress on stderr when it is a
// terminal: a bar, the replications done and the time left. A nil
// *expProgress draws nothing.
type expProgress struct {
	mu    sync.Mutex
	w     io.Writer
	start time.Time
	next  time.Time
	drawn bool
}

func expProgressFor(st streams) *expProgress {
	if !st.errTTY {
		return nil
	}
	now := time.Now()
	return &expProgress{w: st.err, start: now, next: now.Add(progressEvery)}
}

// update redraws after done of total items, if it is time to.
func (p *expProgress) update(done, total int) {
	if p == nil || total <= 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if now.Before(p.next) && done < total {
		return
	}
	p.next = now.Add(progressEvery)
	f := min(float64(done)/float64(total), 1)
	full := int(f * barWidth)
	bar := strings.Repeat("█", full) + strings.Repeat("░", barWidth-full)
	eta := "–"
	if elapsed := now.Sub(p.start); done > 0 {
		left := time.Duration(float64(elapsed) * float64(total-done) / float64(done))
		eta = left.Round(time.Second).String()
	}
	fmt.Fprintf(p.w, "\r%s %3.0f%%  %d/%d runs  ETA %s ", bar, 100*f, done, total, eta)
	p.drawn = true
}

// clear erases the bar.
func (p *expProgress) clear() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.drawn = false
	}
}
