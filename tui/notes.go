package tui

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/sim"
)

// unspentNote is what the table's title says of the selected bidder for
// a planner: why it is behind its budget, then what its holdout test
// measures (incremental ROAS with its 95% interval, beside the attributed
// and the model's true figure, and its true incremental profit), a goal
// bidder's target against what it has realised, its days and its
// people; empty when none applies.
func unspentNote(c *Context) string { return unspentNoteAt(c, noteFull) }

// The forms of unspentNote's notes, for a title with fewer lines than
// the full notes need: there the first note's details (a holdout's
// attributed, true and profit figures) hid the notes after it (the days,
// the reach), which say more than they do.
const (
	// noteFull is every note whole.
	noteFull = iota
	// noteCompact is each note's key figures: the holdout's measured
	// iROAS with its interval, the goal's target and realised, the days'
	// bars and today's spend, the reach.
	noteCompact
	// noteTight is noteCompact with a "▸" for the selected bidder's name
	// (its row has one too) and the days' bars alone.
	noteTight
	noteForms
)

// unspentNoteAt is unspentNote in form level (noteFull, noteCompact or
// noteTight); the warning is whole in each.
func unspentNoteAt(c *Context, level int) string {
	b, st := c.Snap().Bidders[c.Selected], c.Theme
	name := b.Name
	if level >= noteTight {
		name = "▸"
	}
	// Why it is behind its budget goes first: it is what the row's "!"
	// flags, and where the title has fewer lines than its notes need the
	// last are cut (the dashboard's layout keeps this one whole).
	note := unspentWarning(c)
	// after goes on from the warning to a note that names the bidder.
	after := func() string {
		if note != "" {
			return st.Dim.Render(" ·")
		}
		return ""
	}
	if h := b.Holdout; h != nil {
		note += after()
		m := h.MeasuredIncrementalROAS()
		iv := format.Dash
		if !math.IsNaN(m.Mean) {
			iv = fmt.Sprintf("%.2f [%.2f, %.2f]", m.Mean, m.Lo, m.Hi)
		}
		share := format.Pct(h.Share)
		if h.Unit == sim.HoldoutByPerson {
			share += " of people"
		}
		if level > noteFull {
			note += st.Label.Render(fmt.Sprintf(" %s holdout iROAS ", name)) + st.Value.Render(iv)
		} else {
			note += st.Label.Render(fmt.Sprintf(" %s holdout %s: measured iROAS ", name, share)) + st.Value.Render(iv) +
				st.Dim.Render(fmt.Sprintf(" · attributed %s · true %s · profit %s", format.ROAS(b.AttributedROAS()), format.ROAS(b.HoldoutTruth()),
					format.CompactMoney(b.IncrementalProfit())))
		}
	}
	if g := b.Goal; g != nil {
		note += after() + goalNote(c, name, g, level > noteFull)
	}
	// The bidder's name once: a note after another goes on from it.
	who := func() string {
		if note != "" {
			return ""
		}
		return name
	}
	if len(b.Days) > 0 {
		note += daysNote(c, who(), b.Days, level)
	}
	if f := b.Frequency; f != nil {
		note += frequencyNote(c, who(), f, level > noteFull)
	}
	return note
}

// unspentWarning is the first of unspentNote's notes: why the selected
// bidder is behind its budget; empty when it is not.
func unspentWarning(c *Context) string {
	b := c.Snap().Bidders[c.Selected]
	if b.Unspent == sim.UnspentNone {
		return ""
	}
	return c.Theme.Warn.Render(" ! " + b.Name + " unspent: " + b.UnspentWhy())
}

// frequencyNote is, in a world with people, how a bidder's impressions
// spread over them: the people reached, impressions per person reached,
// the most one person saw within the cap's window (without a cap, over
// the run) against the cap, the no-bids the cap made, and the people by
// the impressions each saw. It begins with name, or with " ·" after
// another note (name empty). compact: the people reached alone.
func frequencyNote(c *Context, name string, f *sim.FrequencyStats, compact bool) string {
	st := c.Theme
	if compact {
		return st.Label.Render(lead(name)+"reach ") + st.Value.Render(format.Count(f.PeopleReached))
	}
	mean := format.Dash
	if !math.IsNaN(f.MeanPerPerson) {
		mean = format.Fixed(f.MeanPerPerson, 2)
	}
	most := st.Label.Render(" · max ") + st.Value.Render(format.Count(f.MaxInWindow))
	if f.Cap != nil {
		most += st.Label.Render(" in "+format.Window(f.Cap.Per)+" (cap ") + st.Value.Render(strconv.Itoa(f.Cap.Impressions)) + st.Label.Render(")") +
			st.Label.Render(" · capped ") + st.Value.Render(format.Count(f.Capped))
	} else {
		most += st.Dim.Render(" per person, uncapped")
	}
	return st.Label.Render(lead(name)+"reach ") + st.Value.Render(format.Count(f.PeopleReached)) +
		st.Label.Render(" · ") + st.Value.Render(mean) + st.Label.Render("/person") + most + distributionNote(c, f)
}

// distributionNote is how the people reached spread by the impressions
// each saw, as shares of them by FrequencyStats' buckets ("1:52% 2:24%
// 4-5:3% 101+:1%", whole percents), the empty buckets left out; empty with nobody
// reached.
func distributionNote(c *Context, f *sim.FrequencyStats) string {
	if f.PeopleReached == 0 {
		return ""
	}
	st := c.Theme
	var parts []string
	for i, n := range f.Distribution {
		if n == 0 {
			continue
		}
		parts = append(parts, fmt.Sprintf("%s:%.0f%%", bucketLabel(i), 100*float64(n)/float64(f.PeopleReached)))
	}
	return st.Label.Render(" · by impressions ") + st.Value.Render(strings.Join(parts, " "))
}

// bucketLabel names bucket i of sim.FrequencyBuckets: "1", "4-5",
// "101+".
func bucketLabel(i int) string {
	lo := sim.FrequencyBuckets[i]
	if i+1 == len(sim.FrequencyBuckets) {
		return strconv.Itoa(int(lo)) + "+"
	}
	if hi := sim.FrequencyBuckets[i+1] - 1; hi > lo {
		return strconv.Itoa(int(lo)) + "-" + strconv.Itoa(int(hi))
	}
	return strconv.Itoa(int(lo))
}

// lead begins a note of the selected bidder: its name, or, after another
// note (name empty), a separator.
func lead(name string) string {
	if name == "" {
		return " · "
	}
	return " " + name + " "
}

// dayBlocks are the heights of daysNote's bars, eighths of a day's budget.
const dayBlocks = " ▁▂▃▄▅▆▇█"

// daysShown is how many of the latest days daysNote draws.
const daysShown = 14

// daysNote is a bidder's days against its daily budget: a bar a day, the
// latest daysShown, the day in progress last, its height the share of
// the day's budget spent (full: all of it), then the day in progress's
// spend against its budget. It begins as frequencyNote does. level
// noteCompact leaves out the day's number, noteTight the spend too.
func daysNote(c *Context, name string, days []sim.DaySpend, level int) string {
	st := c.Theme
	blocks := []rune(dayBlocks)
	var bars []rune
	for _, d := range days[max(len(days)-daysShown, 0):] {
		frac := 0.0
		if d.Budget > 0 {
			frac = min(d.Spend.Float()/d.Budget.Float(), 1)
		}
		bars = append(bars, blocks[int(math.Round(frac*float64(len(blocks)-1)))])
	}
	today := days[len(days)-1]
	head := st.Label.Render(lead(name)+"days ") + st.Value.Render(string(bars))
	spend := st.Value.Render(format.CompactMoney(today.Spend.Float()) + "/" + format.CompactMoney(today.Budget.Float()))
	switch level {
	case noteFull:
		return head + st.Label.Render(fmt.Sprintf(" day %d ", today.Day)) + spend
	case noteCompact:
		return head + " " + spend
	}
	return head
}

// goalNote is a goal bidder's target against what it has realised so
// far (pending conversions counted), that its budget binds when it does,
// and its controller's bid factor; compact, the target and the realised
// alone.
func goalNote(c *Context, name string, g *sim.Goal, compact bool) string {
	st := c.Theme
	what, num := format.GoalKind(g), func(x float64) string { return format.Fixed(x, 2) }
	realised := format.Dash
	if !math.IsNaN(g.Realised) {
		realised = num(g.Realised)
	}
	if compact {
		return st.Label.Render(fmt.Sprintf(" %s target %s ", name, what)) + st.Value.Render(num(g.Target)) +
			st.Label.Render(" realised ") + st.Value.Render(realised)
	}
	bound := ""
	if g.BudgetBound {
		bound = " · budget binds"
	}
	return st.Label.Render(fmt.Sprintf(" %s target %s ", name, what)) + st.Value.Render(num(g.Target)) +
		st.Label.Render(" realised ") + st.Value.Render(realised) + st.Dim.Render(bound+" · bid factor "+format.Fixed(g.Multiplier, 2))
}
