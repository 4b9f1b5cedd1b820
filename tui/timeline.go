package tui

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/report/theme"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/runner"
)

// timeline is one auction in slow motion: time runs left to right from
// the fan-out to past the deadline, one row per bidder, each response's
// parts (network out, queue, service, network back) drawn as the replay's
// clock reaches them, against the tmax line; then the price, and who
// would have won without the deadline. The replay runs at the run's
// speed (at 0.01× a 120 ms auction takes 12 s) and only while the run
// runs, so space pauses both. Following, the newest auction starts when
// one ends; ←/→ hold and pick auctions.
type timeline struct {
	ctx    *Context
	id     uint64 // its ticks carry it: a closed timeline's ticks stop
	follow bool
	recs   []sim.AuctionRecord // the auctions ←/→ pick from, oldest first
	idx    int
	cur    sim.AuctionRecord
	names  bidderNames
	play   sim.Time      // the replay's clock: virtual time since fan-out
	held   time.Duration // wall time spent at the end
	last   time.Time     // the last tick's wall time
}

// timelineTick advances a timeline's replay.
type timelineTick struct {
	id uint64
	at time.Time
}

// Replay pacing: ticks twenty times a second; the end of an auction
// stays on screen this long before the next, so its result can be read.
const (
	tickEvery = 50 * time.Millisecond
	holdEnd   = 1500 * time.Millisecond
)

// timelines numbers timelines, for their ticks; it counts per Context.
func (c *Context) nextTimelineID() uint64 {
	c.Trainer.timelines++
	return c.Trainer.timelines
}

// openTimeline opens the timeline: on recs[idx] and held when recs is
// given (from the inspector), else following the newest auction.
func openTimeline(c *Context, recs []sim.AuctionRecord, idx int) tea.Cmd {
	v := &timeline{ctx: c, id: c.nextTimelineID()}
	if recs == nil {
		recs = c.Snap().Recent
		idx = len(recs) - 1
		v.follow = true
	}
	if len(recs) == 0 {
		c.Info("no auction has closed yet")
		return nil
	}
	v.recs, v.idx = recs, idx
	v.start(recs[idx])
	c.Open(v)
	if v.follow {
		c.Info("following: the next auction starts when one ends; ←/→ hold and pick")
	} else {
		c.Info("the inspector's auction; ←/→ pick another")
	}
	return v.tick()
}

func (v *timeline) tick() tea.Cmd {
	id := v.id
	return tea.Tick(tickEvery, func(t time.Time) tea.Msg { return timelineTick{id: id, at: t} })
}

// start replays rec from its fan-out; paused, it shows rec whole.
func (v *timeline) start(rec sim.AuctionRecord) {
	v.cur, v.play, v.held = shownRecord(v.ctx, rec), 0, 0
	if v.ctx.Shown.paused {
		v.play = v.end()
	}
	v.names = v.names.of(v.ctx.Snap())
}

// end is where the replay stops: past the deadline and past the last
// arrival, up to three times tmax (later arrivals show as »).
func (v *timeline) end() sim.Time {
	return max(auctionSpan(&v.cur, v.cur.Tmax*5/4), sim.Millisecond)
}

// settled is when nothing is left to happen in the replay: the page has
// its answer (the auction closed) and every answer drawn has arrived (a
// late one after the close still teaches what the deadline cut off), a
// hang's timeout at tmax; never past end. The clock skips from there to
// end: before, it ran on to 1.25 × tmax over empty rows after an auction
// every bidder had answered early.
func (v *timeline) settled() sim.Time {
	rec, end := &v.cur, v.end()
	at := rec.Close - rec.Start
	for _, r := range rec.Responses {
		switch {
		case r.Status == sim.Hang:
			at = max(at, rec.Tmax)
		case r.Status >= sim.NoBid || r.Status == sim.Error:
			at = max(at, r.Time)
		}
	}
	return min(at, end)
}

// Refresh takes, on the wire, the auction's record as a late answer
// updated it (freshRecords); the replay is drawn from its clock.
func (v *timeline) Refresh() {
	if recs, changed := freshRecords(v.ctx, v.recs); changed {
		v.recs = recs
		v.cur = shownRecord(v.ctx, recs[v.idx])
	}
}

// Update advances the replay on its ticks and handles its keys.
func (v *timeline) Update(msg tea.Msg) tea.Cmd {
	c, keys := v.ctx, v.ctx.Keys
	switch msg := msg.(type) {
	case timelineTick:
		if msg.id != v.id {
			return nil
		}
		v.advance(msg.at)
		return v.tick()
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, keys.Close), key.Matches(msg, keys.Timeline):
			v.id = 0 // its ticks stop
			c.Close()
			c.Info("")
		case key.Matches(msg, keys.Prev), key.Matches(msg, keys.Next):
			v.pick(key.Matches(msg, keys.Next))
		case key.Matches(msg, keys.Up), key.Matches(msg, keys.Down):
			bidderKey(c, msg) // the rows follow the selection when not all fit
		case key.Matches(msg, keys.Step):
			if timeKey(c, msg) && c.stepSeq > 0 {
				v.follow, v.held = true, holdEnd // the stepped auction next
			}
		default:
			timeKey(c, msg)
		}
	}
	return nil
}

// advance moves the replay's clock by the wall time since the last tick
// times the run's speed, while the run runs; at the end, following, the
// newest auction starts once the result has been on screen a while.
func (v *timeline) advance(at time.Time) {
	dt := time.Duration(0)
	if !v.last.IsZero() && at.After(v.last) {
		dt = min(at.Sub(v.last), time.Second) // a stalled terminal does not skip an auction
	}
	v.last = at
	s := v.ctx.Shown
	end := v.end()
	if !s.paused {
		if math.IsInf(s.speed, 1) {
			v.play = end
		} else if v.play < end {
			v.play = min(end, v.play+sim.Time(float64(dt)*s.speed))
			if v.play >= v.settled() {
				v.play = end // nothing left to happen: its result at once
			}
			return
		}
	}
	if v.play < end {
		return
	}
	v.held += dt
	if v.follow && v.held >= holdEnd {
		recs := v.ctx.Snap().Recent
		if n := len(recs); n > 0 && recs[n-1].ID != v.cur.ID {
			v.recs, v.idx = recs, n-1
			v.start(recs[n-1])
		}
	}
}

// pick holds the auctions and moves to an older or newer one; → past the
// newest follows again.
func (v *timeline) pick(newer bool) {
	c := v.ctx
	if v.follow {
		// Hold the auctions as they are now, from the one on screen.
		v.recs = c.Snap().Recent
		v.idx = len(v.recs) - 1
		for i := range v.recs {
			if v.recs[i].ID == v.cur.ID {
				v.idx = i
			}
		}
	}
	switch {
	case newer && v.idx >= len(v.recs)-1:
		v.follow = true
		c.Info("following: the next auction starts when one ends")
		v.held = holdEnd
		return
	case newer:
		v.idx++
	default:
		v.idx = max(v.idx-1, 0)
	}
	v.follow = false
	v.start(v.recs[v.idx])
	c.Info(fmt.Sprintf("holding: auction %d of %d; → past the newest follows again", v.idx+1, len(v.recs)))
}

// ShortHelp is the timeline's footer.
func (v *timeline) ShortHelp() []key.Binding {
	k := v.ctx.Keys
	bs := append([]key.Binding{pair(k.Prev, k.Next, "←/→", "auction")}, unlessOnWire(v.ctx, k.Pause, pair(k.Faster, k.Slower, "+/-", "speed"))...)
	return append(bs, k.Close, k.Help, k.Quit)
}

// FullHelp is every key that works here.
func (v *timeline) FullHelp() [][]key.Binding {
	k := v.ctx.Keys
	return [][]key.Binding{{k.Prev, k.Next, k.Up, k.Down, k.Timeline, k.Close}, k.timeKeysOn(v.ctx), k.everywhereKeys()}
}

// Response parts as the timeline draws them.
const (
	runeLead    = '·' // the exchange's own processing before the fan-out
	runeNetwork = '─'
	runeQueue   = '░'
	runeService = '▓'
	runeProcess = '▒' // the bidder's own work past its queue: its latency
	runeArrive  = '●'
	runeError   = '✗' // an error comes back
	runeNoReply = '┄' // a hang: the exchange waits for nothing
)

// View draws the replay in w×h.
func (v *timeline) View(w, h int) string {
	c, st := v.ctx, v.ctx.Theme
	rec := &v.cur
	end := v.end()
	sep := st.Dim.Render(" · ")
	pos := "following"
	if !v.follow {
		pos = fmt.Sprintf("held · %d of %d", v.idx+1, len(v.recs))
	}
	speed := c.Shown.speed
	replay := "replay " + runner.SpeedLabel(speed)
	if !math.IsInf(speed, 1) && speed > 0 {
		replay += fmt.Sprintf(": %s to watch", format.Duration(sim.Time(float64(v.settled())/speed)))
	}
	head := st.Title.Render(fmt.Sprintf("Auction #%s", format.Count(rec.ID))) + st.Dim.Render(" ("+pos+")") + sep +
		st.Label.Render("ad request ") + format.ShortClock(rec.Start)
	if instantAuction(c, rec) {
		return format.Block(v.instantView(head, w), w, h)
	}
	lines := []string{head + sep + st.Dim.Render(replay)}
	// The told deadline runs from the fan-out, after the exchange's own
	// processing: drawn where it falls on the ad request's time line,
	// when that is not tmax itself.
	told := sim.Time(0)
	if at := rec.RequestProcessing + rec.BidderTmax; rec.BidderTmax > 0 && at != rec.Tmax {
		told = at
	}
	network := " network out/back (round trip halved) "
	if w < wideWidth {
		network = " network "
	}
	bidder, queue := " bidder ", st.Warn.Render(string(runeQueue))+st.Dim.Render(" queue ")+st.Bar.Render(string(runeService))+st.Dim.Render(" service ")
	if c.onWire() {
		// The wire measures an answer whole, from the fan-out to its
		// arrival, and a bidder on it is drawn as one part: not its
		// own processing alone, as a simulated bidder's ▒ is. At 80
		// columns the queue and service, which only a simulated bidder
		// with a capacity has, give way to saying so.
		bidder = " bidder (on the wire: the whole answer, measured) "
		network = " network " // of a simulated bidder: the room goes to saying so
		if w < wideWidth {
			bidder, queue = " bidder (on the wire: all of it) ", ""
		}
	}
	legend := st.Dim.Render(string(runeNetwork)+network) +
		st.Bar.Render(string(runeProcess)) + st.Dim.Render(bidder) + queue +
		st.Good.Render(string(runeArrive)) + st.Dim.Render(" arrives ") +
		st.TmaxMark.Render("│") + st.Dim.Render(" tmax "+rec.Tmax.String())
	if told > 0 {
		legend += " " + st.Warn.Render(string(toldRune)) + st.Dim.Render(" told "+rec.BidderTmax.String()+
			" (after "+string(runeLead)+" exchange "+rec.RequestProcessing.String()+")")
	}
	lines = append(lines, format.Fit(legend, w))

	nameW := v.names.width()
	const statusW = 24
	barW := max(w-nameW-statusW-1, 10)
	lines = append(lines, strings.Repeat(" ", nameW)+st.Dim.Render(timeAxis(end, barW)))
	// A blank line between bidders when there is room: a projected
	// screen reads better.
	n := len(rec.Responses)
	// A blank line and the outcome below, whole (at the replay's end):
	// the clock, the answer, each slot's price or the one, and the
	// deadline's line; so that the rows do not move as it grows.
	room := max(h-len(lines)-1-len(v.outcomeAt(end, end, w)), 1)
	rowH := min(max(room/max(n, 1), 1), 2)
	// More bidders than rows: those around the selected one (↑/↓).
	first, last := 0, n
	if n > room {
		first = min(max(v.ctx.Selected-room/2, 0), n-room)
		last = first + room
		lines[len(lines)-1] = st.Dim.Render(rowsLabel(first, last, n, nameW)) +
			lines[len(lines)-1][nameW:]
	}
	for i := first; i < last; i++ {
		r := rec.Responses[i]
		// ▸ is the selected bidder, as in the table; the winner's
		// status says it won once the auction has closed.
		mark := "  "
		if i == v.ctx.Selected {
			mark = "▸ "
		}
		name := v.names.name(i)
		p, _ := rec.Parts(i) // zero for a response that never came
		bar := replayBar(st, r, p, rec.Tmax, told, end, v.play, barW)
		status := replayStatus(st, r, p, rec, v.play, true)
		if v.play >= rec.Close-rec.Start {
			status = wonPrefix(st, rec, i) + status
		}
		lines = append(lines, format.Fit(mark+name, nameW-1)+" "+bar+" "+format.Fit(status, statusW))
		for range rowH - 1 {
			lines = append(lines, strings.Repeat(" ", nameW)+st.Dim.Render(barGuide(rec.Tmax, end, barW)))
		}
	}
	lines = append(lines, "")
	lines = append(lines, v.outcomeAt(v.play, end, w)...)
	return format.Block(lines, w, h)
}

// instantView is the timeline of an auction every bidder answered at
// once (instantAuction): its time line would be a column of ● at 0ms and
// the replay's clock would run over empty rows, so it folds into a line
// saying so, each bidder's answer without its 0.0ms, and the price.
func (v *timeline) instantView(head string, w int) []string {
	st, rec := v.ctx.Theme, &v.cur
	lines := []string{head, format.Fit(st.Dim.Render("every bidder answers at once (0ms): no time line to draw ·")+
		" "+st.TmaxMark.Render("tmax "+rec.Tmax.String()), w), ""}
	nameW := v.names.width()
	for i, r := range rec.Responses {
		mark := "  "
		if i == v.ctx.Selected {
			mark = "▸ "
		}
		status := wonPrefix(st, rec, i) + replayStatus(st, r, sim.ResponseParts{}, rec, rec.Close-rec.Start, false)
		lines = append(lines, format.Fit(format.Fit(mark+v.names.name(i), nameW-1)+" "+status, w))
	}
	lines = append(lines, "")
	// The price, whatever the replay's clock: nothing arrives after 0ms,
	// and no deadline cut anything.
	if uncalled(rec) {
		lines = append(lines, wrapped(st.Label.Render(answerText(rec, v.names.name)), w, 0)...)
	}
	if rec.Slots != nil {
		// Each slot's price, as the inspector says them: the one
		// winner's sentence read "dana wins and pays 0.15 CPM" of
		// sponsored-search's three slots.
		for _, l := range slotExplanation(st, rec, v.names.name) {
			lines = append(lines, wrapped(l, w, 2)...)
		}
		return lines
	}
	for _, l := range priceExplanation(st, rec, v.names.name) {
		lines = append(lines, wrapped(l, w, 0)...)
	}
	return lines
}

// wonPrefix is what bidder i won in rec, before its status: "wins: ", or
// with several slots "slot 2: "; "" for one that won nothing or when
// the person left (nobody paid).
func wonPrefix(st *theme.Theme, rec *sim.AuctionRecord, i int) string {
	if rec.Abandoned {
		return ""
	}
	for j, sl := range rec.Slots {
		if sl.Bidder == i {
			return st.Good.Render(fmt.Sprintf("slot %d: ", j+1))
		}
	}
	if len(rec.Slots) == 0 && rec.Winner == i {
		return st.Good.Render("wins: ")
	}
	return ""
}

// outcomeAt is what the replay says below the rows, its clock at play
// of end, in w cells: the clock, then the result at the deadline, then
// the auction without the deadline.
func (v *timeline) outcomeAt(play, end sim.Time, w int) []string {
	c, st := v.ctx, v.ctx.Theme
	rec := &v.cur
	name := v.names.name
	clock := st.Label.Render("clock ") + st.Value.Render(format.Latency(play)) + st.Label.Render(" of "+format.Latency(end))
	switch {
	case c.Shown.paused:
		clock += st.Dim.Render(" · paused (space runs)")
	case play >= end && v.follow:
		clock += st.Dim.Render(" · the next auction follows")
	case play >= end:
		clock += st.Dim.Render(" · ←/→ another auction")
	}
	out := []string{clock}
	wait := rec.Close - rec.Start
	if play < wait {
		return out
	}
	out = append(out, st.Label.Render(answerText(rec, name)))
	if rec.Slots != nil {
		// Each slot's price and why, as the inspector says them, a
		// slot's wrapping indented under it: one winner's "dana wins and
		// pays 0.15 CPM" was the first slot's alone, of
		// sponsored-search's three.
		for _, l := range slotExplanation(st, rec, name) {
			out = append(out, wrapped(l, w, 2)...)
		}
	} else {
		out = append(out, priceExplanation(st, rec, name)...)
	}
	if play < end {
		return out
	}
	alt := rec.WinnerWithoutDeadline()
	switch {
	case uncalled(rec):
		// No bid to have been late: nothing to say of the deadline.
	case rec.Slots != nil && rec.LostToTimeouts > 0:
		// LostToTimeouts is what every slot would have added (sim's
		// slot clearing), not one winner's price: the top slot's price
		// plus it named no price any bidder would have paid.
		out = append(out, st.Warn.Render(fmt.Sprintf("Without the deadline the slots would have made %s CPM more: late bids.",
			format.Price(rec.LostToTimeouts))))
	case rec.Slots != nil && alt >= 0 && alt != rec.Winner:
		out = append(out, st.Warn.Render(fmt.Sprintf("Without the deadline %s would take slot 1; the slots would make no more.", name(alt))))
	case rec.LostToTimeouts > 0 && alt >= 0:
		out = append(out, st.Warn.Render(fmt.Sprintf("Without the deadline %s would win at %s CPM: late bids cost %s.",
			name(alt), format.Price(rec.Price+rec.LostToTimeouts), format.Price(rec.LostToTimeouts))))
	case alt >= 0 && alt != rec.Winner:
		out = append(out, st.Warn.Render(fmt.Sprintf("Without the deadline %s would win at the same price.", name(alt))))
	default:
		out = append(out, st.Dim.Render("Without the deadline: the same result."))
	}
	return out
}

// answerText says when the exchange answered the page and why then: every
// called bidder had answered, or the deadline, and who it waited for.
func answerText(rec *sim.AuctionRecord, name func(int) string) string {
	wait := rec.Close - rec.Start
	if uncalled(rec) {
		// "every bidder had answered" of an auction that called none.
		return fmt.Sprintf("The page gets its answer at %s: no bidder was called.", format.Latency(wait))
	}
	if wait < rec.Tmax {
		return fmt.Sprintf("The page gets its answer at %s: every bidder had answered.", format.Latency(wait))
	}
	for i, r := range rec.Responses {
		if r.Status == sim.Hang && !r.Open {
			return fmt.Sprintf("The page waits the whole %s: %s never answered.", format.Latency(rec.Tmax), name(i))
		}
	}
	for i, r := range rec.Responses {
		if r.Status == sim.Hang { // on the wire, still read in the late grace
			return fmt.Sprintf("The page waits the whole %s: %s had not answered.", format.Latency(rec.Tmax), name(i))
		}
	}
	for i, r := range rec.Responses {
		if r.Status != sim.NotSent && r.Time > rec.Tmax {
			return fmt.Sprintf("The page waits the whole %s: %s answered after it.", format.Latency(rec.Tmax), name(i))
		}
	}
	return fmt.Sprintf("The page waits the whole %s.", format.Latency(rec.Tmax))
}

// uncalled reports whether rec sent no bid request at all (every bidder
// off, or the skip rule of tmax_adjustments).
func uncalled(rec *sim.AuctionRecord) bool {
	for _, r := range rec.Responses {
		if r.Status != sim.NotSent {
			return false
		}
	}
	return true
}

// timeAxis labels the replay's time scale: 0 and round steps (the tmax
// line is marked on the rows).
func timeAxis(end sim.Time, w int) string {
	a := newAxisLine(w)
	step := niceLatency(end / sim.Time(max(w/10, 1)))
	for t := sim.Time(0); t < end && step > 0; t += step {
		at := int(float64(t) / float64(end) * float64(w))
		label := "'" + format.Latency(t)
		if t == 0 {
			label = "'0"
		}
		if at+6 < w {
			a.put(at, label)
		}
	}
	return string(a)
}

// barGuide is the line between two bidders' rows: the tmax line
// carried through, so the eye follows it down.
func barGuide(tmax, end sim.Time, w int) string {
	buf := []rune(strings.Repeat(" ", w))
	if at := theme.MarkAt(float64(tmax), float64(end), w); at >= 0 {
		buf[at] = '│'
	}
	return string(buf)
}

// replayBar draws one response up to the replay's clock play, over
// [0, end] in w cells: its parts, the arrival, the tmax and told marks;
// parts past tmax in the alarm colour.
func replayBar(st *theme.Theme, r sim.Response, p sim.ResponseParts, tmax, told, end, play sim.Time, w int) string {
	cell := func(i int) sim.Time { return sim.Time((float64(i) + 0.5) / float64(w) * float64(end)) }
	arriveAt := -1
	if (r.Status >= sim.NoBid || r.Status == sim.Error) && r.Time <= play {
		arriveAt = min(int(float64(r.Time)/float64(end)*float64(w)), w-1)
	}
	toldAt := -1
	if told > 0 {
		toldAt = theme.MarkAt(float64(told), float64(end), w)
	}
	tmaxAt := theme.MarkAt(float64(tmax), float64(end), w)
	return theme.Bar(w, float64(end), func(v float64) theme.Cell {
		i := int(v / float64(end) * float64(w))
		t := cell(i)
		switch {
		case i == arriveAt && r.Status == sim.Error:
			return theme.Cell{Rune: runeError, Style: &st.BarOver}
		case i == arriveAt:
			if r.Time > tmax {
				return theme.Cell{Rune: runeArrive, Style: &st.BarOver}
			}
			return theme.Cell{Rune: runeArrive, Style: &st.Good}
		case i == w-1 && r.Time > end && play >= end && r.Status >= sim.NoBid:
			return theme.Cell{Rune: '»', Style: &st.BarOver}
		case i == toldAt:
			return theme.Cell{Rune: toldRune, Style: &st.Warn}
		case t > play:
			return theme.Cell{Rune: ' ', Style: &st.Plain}
		}
		var rn rune
		style := &st.Dim
		switch {
		case r.Status == sim.Hang:
			if t > tmax {
				return theme.Cell{Rune: ' ', Style: &st.Plain}
			}
			rn = runeNoReply
		case r.Status < sim.NoBid && r.Status != sim.Error || t > r.Time:
			return theme.Cell{Rune: ' ', Style: &st.Plain}
		case t < p.Sent:
			rn = runeLead
		case t < p.Sent+p.Out:
			rn = runeNetwork
		case t < p.Sent+p.Out+p.Queue:
			rn, style = runeQueue, &st.Warn
		case t < p.Sent+p.Out+p.Queue+p.Service:
			rn, style = runeService, &st.Bar
		case t < p.Sent+p.Out+p.Queue+p.Service+p.Processing:
			rn, style = runeProcess, &st.Bar
		default:
			rn = runeNetwork
		}
		if t > tmax && r.Status >= sim.NoBid {
			style = &st.BarOver
		}
		return theme.Cell{Rune: rn, Style: style}
	}, tmaxAt, theme.Cell{Rune: '│', Style: &st.TmaxMark})
}

// replayStatus is a response's state at the replay's clock: which part it
// is in, then how it ended once it arrives, with when (timed) or not.
func replayStatus(st *theme.Theme, r sim.Response, p sim.ResponseParts, rec *sim.AuctionRecord, play sim.Time, timed bool) string {
	switch r.Status {
	case sim.NotSent:
		if r.Skipped {
			// Enabled, but told less than bidder_response_min: the run
			// summary's words for it.
			return st.Dim.Render("not sent (told < min)")
		}
		return st.Dim.Render("off (not sent)")
	case sim.Refused:
		return st.Dim.Render("refused (queue full)")
	case sim.Hang:
		if play >= rec.Tmax && r.Open {
			return st.Bad.Render("timeout · no answer yet")
		}
		if play >= rec.Tmax {
			return st.Bad.Render("no answer: timeout")
		}
		return st.Dim.Render("waiting…")
	case sim.Error:
		if play >= r.Time {
			return st.Bad.Render("error · " + format.Latency(r.Time))
		}
	}
	if play < r.Time {
		switch {
		case play < p.Sent:
			return st.Dim.Render("exchange")
		case play < p.Sent+p.Out:
			return st.Dim.Render("network out")
		case play < p.Sent+p.Out+p.Queue:
			return st.Warn.Render("in the queue")
		case play < p.Sent+p.Out+p.Queue+p.Service+p.Processing:
			return st.Bar.Render("bidding")
		}
		return st.Dim.Render("network back")
	}
	at := " · " + format.Latency(r.Time)
	if !timed {
		at = ""
	}
	switch r.Status {
	case sim.NoBid:
		return st.Dim.Render(responseStatus(r, rec.Tmax) + at)
	case sim.Late:
		return st.Bad.Render("LATE " + format.Price(r.Bid) + at)
	case sim.BelowFloor:
		return st.Warn.Render("bid " + format.Price(r.Bid) + " < floor" + at)
	}
	return st.Good.Render("bid " + format.Price(r.Bid) + at)
}
