package main

import (
	"fmt"
	"sync"
	"time"
)

// expProgress draws an experiment's progress on stderr when it is a
// terminal: run's bar, the replications done and the time left. Workers
// update it at once, hence the lock. A nil *expProgress draws nothing.
type expProgress struct {
	mu  sync.Mutex
	bar progress
}

func expProgressFor(st streams) *expProgress {
	bar := progressFor(st)
	if bar == nil {
		return nil
	}
	return &expProgress{bar: *bar}
}

// update redraws after done of total items, if it is time to.
func (p *expProgress) update(done, total int) {
	if p == nil || total <= 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if !p.bar.due(now, done >= total) {
		return
	}
	f := min(float64(done)/float64(total), 1)
	eta := "–"
	if elapsed := now.Sub(p.bar.start); done > 0 {
		left := time.Duration(float64(elapsed) * float64(total-done) / float64(done))
		eta = left.Round(time.Second).String()
	}
	p.bar.draw(f, fmt.Sprintf("%d/%d runs  ETA %s", done, total, eta))
}

// clear erases the bar.
func (p *expProgress) clear() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.bar.clear()
}
