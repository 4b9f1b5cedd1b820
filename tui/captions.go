package tui

import (
	"fmt"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// captionFor is how long a script step's caption stays on screen, in wall
// time: long enough to read aloud, short enough not to outstay the step.
const captionFor = 6 * time.Second

// captions are the running script's captions (a step's say): when the
// run's virtual time passes a step that has one, its caption takes the
// status line for captionFor of wall time, with a preview of the next
// step; a key's message after it takes the line back.
type captions struct {
	// passed is how many of the script's steps the run has passed.
	passed int
	text   string    // the caption on screen, if until is ahead
	until  time.Time // on the Context's clock
	// status is the status line's count of messages when the caption
	// came: a later message wins the line.
	status uint64
	// started asks the root model for a tick at until, so that the
	// caption leaves on time even when no frame comes (paused).
	started bool
}

// captionDone is the tick that ends a caption's time.
type captionDone struct{}

// steps are the script's steps of the world running (nil without one).
func (c *Context) steps() []scenarios.Step {
	if c.sc == nil {
		return nil
	}
	return c.sc.Steps
}

// onCaptions follows the run's virtual time through the script's steps:
// the newest caption among the steps just passed goes on screen. A new
// run starts over.
func (c *Context) onCaptions(now sim.Time, newRun bool) {
	cp := &c.captions
	if newRun {
		*cp = captions{}
	}
	steps := c.steps()
	n := cp.passed
	for n < len(steps) && steps[n].At <= now {
		n++
	}
	for i := n - 1; i >= cp.passed; i-- {
		if steps[i].Say != "" {
			cp.text, cp.until, cp.status, cp.started = steps[i].Say, c.now().Add(captionFor), c.statusSeq, true
			break
		}
	}
	cp.passed = n
}

// caption is the caption on screen now, or "".
func (c *Context) caption() string {
	cp := &c.captions
	if cp.text == "" || !c.now().Before(cp.until) || c.statusSeq != cp.status {
		return ""
	}
	return cp.text
}

// nextStep is the script's next step and what it does (its sets, or its
// caption when it has none); ok is false when the script is done.
func (c *Context) nextStep() (at sim.Time, what string, ok bool) {
	steps := c.steps()
	if c.captions.passed >= len(steps) {
		return 0, "", false
	}
	st := steps[c.captions.passed]
	what = strings.Join(st.Sets, ", ")
	if what == "" {
		what = "“" + st.Say + "”"
	}
	return st.At, what, true
}

// preview says what the script does next: "next at 1:00:
// exchange.tmax=350ms", or "" when it is done.
func (c *Context) preview() string {
	at, what, ok := c.nextStep()
	if !ok {
		return ""
	}
	return fmt.Sprintf("next at %s: %s", scriptClock(at), what)
}

// scriptClock writes a step's instant as m:ss (h:mm:ss past an hour), as
// a trainer reads a script; to the millisecond when it has a fraction.
func scriptClock(t sim.Time) string {
	if t%sim.Second != 0 {
		return format.ShortClock(t)
	}
	s := int64(t / sim.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// captionLine draws the caption and the preview in w cells, or "" when
// no caption is on screen. The preview goes when both do not fit.
func (c *Context) captionLine(w int) string {
	text := c.caption()
	if text == "" {
		return ""
	}
	st := c.Theme
	line := st.Title.Render("▶ " + text)
	if p := c.preview(); p != "" && ansi.StringWidth("▶ "+text+"  · "+p) <= w {
		line += st.Dim.Render("  · " + p)
	}
	return format.Fit(line, w)
}

// captionTick is the command that ends a caption just started, if any.
func (c *Context) captionTick() tea.Cmd {
	if !c.captions.started {
		return nil
	}
	c.captions.started = false
	d := c.captions.until.Sub(c.now())
	return tea.Tick(d, func(time.Time) tea.Msg { return captionDone{} })
}
