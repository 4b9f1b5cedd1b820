package tui

import (
	"fmt"
	"math"
	"strconv"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/runner"
)

// trainer is what the trainers' views share with the dashboard: how the
// latency panel scales, in the dashboard and in presentation mode.
type trainer struct {
	// fixed: z fixed the dashboard's latency scale. autoInPresent: z set
	// presentation mode's scale back to auto (fixed is its default).
	fixed, autoInPresent bool
	// scale is the fixed scale; 0 until one is fixed.
	scale sim.Time
	// curves are the latest frames' tmax curves, oldest first.
	curves []curveMark
	// timelines counts the timelines opened, to tell their ticks apart.
	timelines uint64
	// pending is the what-if panel's tmax steps not yet applied
	// (whatifsteps.go).
	pending pendingTmax
}

// presenting reports whether presentation mode is on screen: the one
// view that takes the whole screen.
func (c *Context) presenting() bool { return fullScreen(c.top()) }

// scaleFixed reports whether the latency panel on screen has a fixed
// scale.
func (c *Context) scaleFixed() bool {
	if c.presenting() {
		return !c.Trainer.autoInPresent
	}
	return c.Trainer.fixed
}

// autoLatencyScale is the latency panel's scale that follows the data:
// half as much again as tmax, or the slowest p99 (up to three times tmax).
func autoLatencyScale(s *sim.Snapshot, tmax sim.Time) sim.Time {
	scale := tmax * 3 / 2
	for _, b := range s.Bidders {
		scale = max(scale, min(b.RecentLatency.P99*11/10, tmax*3))
	}
	return scale
}

// latencyScaleOf is the latency panel's scale and whether it is fixed. A
// fixed scale stays put so that the tmax line moves when tmax changes;
// only a tmax past nine tenths of it widens it, so the line stays on the
// panel.
func latencyScaleOf(c *Context) (sim.Time, bool) {
	tmax := c.Shown.set.Tmax
	auto := autoLatencyScale(c.Snap(), tmax)
	if !c.scaleFixed() {
		return auto, false
	}
	t := &c.Trainer
	if t.scale == 0 {
		t.scale = niceLatency(auto)
	}
	if tmax*10 > t.scale*9 {
		t.scale = niceLatency(tmax * 3 / 2)
	}
	return t.scale, true
}

// niceLatency rounds a scale up to a round number of milliseconds.
func niceLatency(t sim.Time) sim.Time {
	ms := niceCeil(float64(t) / float64(sim.Millisecond))
	return sim.Time(ms * float64(sim.Millisecond))
}

// scaleLabel says which latency scale is in use, for the panel's title.
func scaleLabel(scale sim.Time, fixed bool) string {
	if fixed {
		return "fixed scale 0–" + format.Latency(scale)
	}
	return "auto scale 0–" + format.Latency(scale)
}

// shortScaleLabel is scaleLabel without the word "scale", for a latency
// panel too narrow for the whole: it still says which scale.
func shortScaleLabel(scale sim.Time, fixed bool) string {
	if fixed {
		return "fixed 0–" + format.Latency(scale)
	}
	return "auto 0–" + format.Latency(scale)
}

// scaleName is the latency scale's name alone, for a panel with no room
// for its range.
func scaleName(fixed bool) string {
	if fixed {
		return "fixed scale"
	}
	return "auto scale"
}

// toggleScale is z: fix the latency scale where it stands, or let it
// follow the data again.
func toggleScale(c *Context) {
	scale, fixed := latencyScaleOf(c)
	t := &c.Trainer
	if c.presenting() {
		t.autoInPresent = fixed
	} else {
		t.fixed = !fixed
	}
	if fixed {
		c.Info("latency scale follows the data again")
		return
	}
	t.scale = scale
	c.Info(fmt.Sprintf("latency scale fixed at 0–%s: the tmax line moves when tmax changes (z: auto)", format.Latency(scale)))
}

// trainerKey handles the trainers' keys on the dashboard: the what-if
// panel, the timeline, presentation mode and the latency scale; true if k
// was one of them.
func trainerKey(c *Context, k tea.KeyMsg) (bool, tea.Cmd) {
	keys := c.Keys
	switch {
	case key.Matches(k, keys.WhatIf):
		c.Open(newWhatIf(c))
		c.Info("")
	case key.Matches(k, keys.Timeline):
		return true, openTimeline(c, nil, -1)
	case key.Matches(k, keys.Present):
		openPresent(c)
	case key.Matches(k, keys.FixScale):
		toggleScale(c)
	default:
		return false, nil
	}
	return true, nil
}

// qpsText is the header's arrival rate: the current one under a daily
// shape (QPS × the shape's multiplier now), with the scenario's QPS
// beside it when they differ and there is room.
func qpsText(c *Context, long bool) string {
	s, snap := c.Shown.set, c.Snap().Settings
	rate := s.Rate
	if snap.QPS > 0 && s.QPS != snap.QPS {
		// A qps key shown at once, before the frame that confirms it.
		rate = snap.Rate * s.QPS / snap.QPS
	}
	text := qpsFigure(rate)
	if long && qpsFigure(s.QPS) != text {
		text += " of " + qpsFigure(s.QPS)
	}
	return text
}

// qpsFigure is a rate with three significant digits, whole from 100 up.
func qpsFigure(x float64) string {
	if x >= 100 {
		return strconv.FormatFloat(math.Round(x), 'f', -1, 64)
	}
	return strconv.FormatFloat(x, 'g', 3, 64)
}

// curveMark is one frame's tmax curve, kept so the what-if panel can show
// the curve over the last seconds rather than since the start.
type curveMark struct {
	at    sim.Time
	from  sim.Time        // when its curve started (Snapshot.TmaxCurveFrom)
	curve []sim.TmaxPoint // the snapshot's own, shared read-only
}

// curveHistory is how many frames' curves are kept: 30 s at ten frames a
// second, more than the recent window needs at any speed that has one.
const curveHistory = 300

// onFrame keeps the frame's tmax curve; a new run starts afresh.
func (t *trainer) onFrame(f runner.Frame, newRun bool) {
	s := f.Snap
	if newRun {
		// Steps taken in the old run: a new one has its own tmax.
		t.pending.on = false
	}
	if newRun || len(t.curves) > 0 && t.curves[len(t.curves)-1].at > s.Now {
		t.curves = t.curves[:0]
	}
	if s.TmaxCurve == nil {
		return
	}
	if len(t.curves) == curveHistory {
		t.curves = append(t.curves[:0], t.curves[1:]...)
	}
	t.curves = append(t.curves, curveMark{at: s.Now, from: s.TmaxCurveFrom, curve: s.TmaxCurve})
}

// recentCurve is the tmax curve over the snapshot's recent window (the
// span the bidders table's late% covers), and that span; the whole run's
// curve and 0 when no frame that old was kept.
func (t *trainer) recentCurve(s *sim.Snapshot) ([]sim.TmaxPoint, sim.Time) {
	from := s.Now - s.RecentSpan
	for i := len(t.curves) - 1; i >= 0; i-- {
		m := t.curves[i]
		if m.from != s.TmaxCurveFrom {
			// The curve started afresh since m (tmax moved off its
			// grid, the abandonment changed): it covers the time since.
			return s.TmaxCurveWindow(nil), s.Now - s.TmaxCurveFrom
		}
		if m.at <= from && m.at > 0 {
			return s.TmaxCurveWindow(m.curve), s.Now - m.at
		}
	}
	return s.TmaxCurve, 0
}
