package tui

import (
	"fmt"
	"slices"

	"github.com/charmbracelet/bubbles/key"

	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/runner"
)

// Steps of the live controls: big enough that a few presses make a visible
// difference, small enough to find the tipping point. The help texts are
// built from them.
const (
	tmaxStep     = 10 // ms
	tmaxMin      = 10 // ms
	floorStep    = 0.05
	latencyScale = 1.25 // l: ×1.25 slower; L: ÷1.25 faster
	budgetScale  = 1.25 // B: ×1.25; b: ÷1.25
	budgetMin    = 1.0  // B on a zero budget starts here (currency)
	qpsScale     = 1.25 // ]: ×1.25; [: ÷1.25
	dailyScale   = 1.25 // D: ×1.25; d: ÷1.25 (a daily budget)
	capStep      = 1    // U: +1; u: −1 impression per person in a frequency cap
	// capStart is the cap U gives a bidder with people but no cap: so
	// many impressions a person a day.
	capStart = 3
)

// KeyMap is the one registry of the dashboard's keys, grouped by concern.
// Each view takes its bindings from it, and the help is built from it, so
// the help cannot drift from the keys.
type KeyMap struct {
	// Everywhere.
	Help key.Binding
	Quit key.Binding

	// Time: the run's clock.
	Pause  key.Binding
	Faster key.Binding
	Slower key.Binding
	Step   key.Binding

	// The exchange's settings.
	TmaxDown  key.Binding
	TmaxUp    key.Binding
	FloorDown key.Binding
	FloorUp   key.Binding
	Auction   key.Binding
	QPSDown   key.Binding
	QPSUp     key.Binding

	// The selected bidder.
	Up            key.Binding
	Down          key.Binding
	LatencySlower key.Binding
	LatencyFaster key.Binding
	BudgetDown    key.Binding
	BudgetUp      key.Binding
	DailyDown     key.Binding
	DailyUp       key.Binding
	CapDown       key.Binding
	CapUp         key.Binding
	Toggle        key.Binding
	Strategy      key.Binding
	StrategyDown  key.Binding
	StrategyUp    key.Binding
	// Budgets that keep a group's total (budget.go).
	MoveBudget key.Binding
	SetBudget  key.Binding

	// The run.
	Inspect  key.Binding
	Restart  key.Binding
	Scenario key.Binding
	Export   key.Binding
	// Command opens the command line: any --set PATH=VALUE, live
	// (command.go).
	Command key.Binding
	// The A/B fork (fork.go).
	Fork   key.Binding
	Metric key.Binding

	// Trainers' views (trainer.go).
	WhatIf   key.Binding
	Timeline key.Binding
	Present  key.Binding
	FixScale key.Binding
	OpenRTB  key.Binding

	// Overlays.
	Close key.Binding
	Prev  key.Binding
	Next  key.Binding
	Pick  key.Binding
	Move  key.Binding
	// Choose picks an option by its number (the strategy chooser).
	Choose key.Binding
	// A y/n question (fork.go).
	Yes key.Binding
	No  key.Binding
	// The picker's description.
	TextUp   key.Binding
	TextDown key.Binding
}

// newKeyMap builds the registry; the descriptions quote the step
// constants.
func newKeyMap() *KeyMap {
	b := func(keys []string, k, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(k, desc))
	}
	return &KeyMap{
		Help: b([]string{"?"}, "?", "all keys"),
		Quit: b([]string{"q", "ctrl+c"}, "q", "quit"),

		Pause:  b([]string{" "}, "space", "pause"),
		Faster: b([]string{"+"}, "+", fmt.Sprintf("faster ×%d", runner.SpeedStep)),
		Slower: b([]string{"-", "_"}, "-", fmt.Sprintf("slower ÷%d", runner.SpeedStep)),
		Step:   b([]string{"."}, ".", "step (paused)"),

		TmaxDown:  b([]string{"t"}, "t", fmt.Sprintf("tmax −%dms", tmaxStep)),
		TmaxUp:    b([]string{"T"}, "T", fmt.Sprintf("tmax +%dms", tmaxStep)),
		FloorDown: b([]string{"f"}, "f", fmt.Sprintf("floor −%.2f", floorStep)),
		FloorUp:   b([]string{"F"}, "F", fmt.Sprintf("floor +%.2f", floorStep)),
		Auction:   b([]string{"a"}, "a", "1st/2nd price"),
		QPSDown:   b([]string{"["}, "[", fmt.Sprintf("qps ÷%g", qpsScale)),
		QPSUp:     b([]string{"]"}, "]", fmt.Sprintf("qps ×%g", qpsScale)),

		Up:            b([]string{"up", "k"}, "↑/k", "select up"),
		Down:          b([]string{"down", "j"}, "↓/j", "select down"),
		LatencySlower: b([]string{"l"}, "l", fmt.Sprintf("slower ×%g", latencyScale)),
		LatencyFaster: b([]string{"L"}, "L", fmt.Sprintf("faster ÷%g", latencyScale)),
		BudgetDown:    b([]string{"b"}, "b", fmt.Sprintf("budget ÷%g", budgetScale)),
		BudgetUp:      b([]string{"B"}, "B", fmt.Sprintf("budget ×%g", budgetScale)),
		DailyDown:     b([]string{"d"}, "d", fmt.Sprintf("daily budget ÷%g", dailyScale)),
		DailyUp:       b([]string{"D"}, "D", fmt.Sprintf("daily budget ×%g", dailyScale)),
		CapDown:       b([]string{"u"}, "u", fmt.Sprintf("frequency cap −%d", capStep)),
		CapUp:         b([]string{"U"}, "U", fmt.Sprintf("frequency cap +%d", capStep)),
		Toggle:        b([]string{"x"}, "x", "off/on"),
		Strategy:      b([]string{"g"}, "g", "choose strategy"),
		StrategyDown:  b([]string{"<"}, "<", fmt.Sprintf("shade/bid −%.2f", strategyStep)),
		StrategyUp:    b([]string{">"}, ">", fmt.Sprintf("shade/bid +%.2f", strategyStep)),
		MoveBudget:    b([]string{"m"}, "m", "move budget"),
		SetBudget:     b([]string{"="}, "=", "set budget"),

		Inspect:  b([]string{"enter"}, "enter", "auctions"),
		Restart:  b([]string{"r"}, "r", "restart"),
		Scenario: b([]string{"s"}, "s", "scenario"),
		Export:   b([]string{"e"}, "e", "export"),
		Command:  b([]string{":"}, ":", "set any path"),
		Fork:     b([]string{"c"}, "c", "A/B fork"),
		Metric:   b([]string{"#"}, "#", "chart metric"),

		WhatIf:   b([]string{"w"}, "w", "what-if tmax"),
		Timeline: b([]string{"v"}, "v", "timeline"),
		Present:  b([]string{"P"}, "P", "presentation"),
		FixScale: b([]string{"z"}, "z", "latency scale"),
		OpenRTB:  b([]string{"o"}, "o", "OpenRTB"),

		Close:  b([]string{"esc"}, "esc", "close"),
		Prev:   b([]string{"left"}, "←", "older"),
		Next:   b([]string{"right"}, "→", "newer"),
		Pick:   b([]string{"enter"}, "enter", "load"),
		Move:   b([]string{"up", "down"}, "↑/↓", "move"),
		Choose: b([]string{"1", "2", "3", "4", "5"}, "1-5", "choose"),
		Yes:    b([]string{"y", "Y"}, "y", "yes"),
		No:     b([]string{"n", "N", "esc"}, "n/esc", "no"),

		TextUp:   b([]string{"pgup"}, "pgup", "text up"),
		TextDown: b([]string{"pgdown"}, "pgdn", "text down"),
	}
}

// Groups are the bindings by concern, for the full help and the checks
// that no two bindings of a view share a key.
func (k *KeyMap) timeKeys() []key.Binding {
	return []key.Binding{k.Pause, k.Faster, k.Slower, k.Step}
}

// timeKeysOn is timeKeys where they work: none on the wire, whose wall
// clock cannot be paused, sped up or stepped (the keys say so, refused),
// so that no view's help offers them there.
func (k *KeyMap) timeKeysOn(c *Context) []key.Binding {
	if c.onWire() {
		return nil
	}
	return k.timeKeys()
}

// unlessOnWire is bs, or none on the wire: a footer's time keys.
func unlessOnWire(c *Context, bs ...key.Binding) []key.Binding {
	if c.onWire() {
		return nil
	}
	return bs
}

// exchangeKeys pair each setting's down and up, as bidderKeys do, so that
// the full help stays eight rows (dashboard.FullHelp).
func (k *KeyMap) exchangeKeys(c *Context) []key.Binding {
	return []key.Binding{k.tmaxKeys(), k.floorKeys(), k.auctionKey(c),
		pair(k.QPSDown, k.QPSUp, "[/]", fmt.Sprintf("qps ÷/×%g", qpsScale)), k.Command}
}

// auctionKey is a, named for what it does in the world on screen: with
// several slots it switches GSP and VCG, not first and second price.
func (k *KeyMap) auctionKey(c *Context) key.Binding {
	if s := c.Snap(); s != nil {
		if a := oneItem(s.Settings.Auction, s); a == sim.GSP || a == sim.VCG {
			return relabel(k.Auction, "GSP/VCG")
		}
	}
	return k.Auction
}

// tmaxKeys and floorKeys are the exchange's pairs of keys that step tmax
// and the floor.
func (k *KeyMap) tmaxKeys() key.Binding {
	return pair(k.TmaxDown, k.TmaxUp, "t/T", fmt.Sprintf("tmax ∓%dms", tmaxStep))
}

func (k *KeyMap) floorKeys() key.Binding {
	return pair(k.FloorDown, k.FloorUp, "f/F", fmt.Sprintf("floor ∓%.2f", floorStep))
}

// selectKeys choose the bidder the bidderActionKeys act on.
func (k *KeyMap) selectKeys() []key.Binding { return []key.Binding{k.Up, k.Down} }

func (k *KeyMap) bidderActionKeys() []key.Binding {
	latency, budget, toggle := k.bidderQuickKeys()
	return []key.Binding{latency, budget,
		pair(k.DailyDown, k.DailyUp, "d/D", fmt.Sprintf("daily ÷/×%g", dailyScale)), pair(k.CapDown, k.CapUp, "u/U", fmt.Sprintf("freq. cap ∓%d", capStep)),
		pair(k.MoveBudget, k.SetBudget, "m/=", "move/set budget"), toggle,
		k.Strategy, pair(k.StrategyDown, k.StrategyUp, "</>", fmt.Sprintf("shade/bid ±%.2f", strategyStep))}
}

// bidderQuickKeys are the bidder keys bidderKey handles, which every view
// that passes keys to it acts on (presentation mode): the latency, the
// budget and off/on, in the dashboard's help order.
func (k *KeyMap) bidderQuickKeys() (latency, budget, toggle key.Binding) {
	return pair(k.LatencySlower, k.LatencyFaster, "l/L", fmt.Sprintf("latency ×/÷%g", latencyScale)),
		pair(k.BudgetDown, k.BudgetUp, "b/B", fmt.Sprintf("budget ÷/×%g", budgetScale)), k.Toggle
}

func (k *KeyMap) runKeys() []key.Binding {
	return append([]key.Binding{k.Inspect, k.Restart, k.Scenario, k.Export, k.Fork, k.Metric}, k.everywhereKeys()...)
}

// runKeysOn is runKeys where they work: on the wire no restart, other
// scenario or fork (the wall clock runs one world).
func (k *KeyMap) runKeysOn(c *Context) []key.Binding {
	if c.onWire() {
		return append([]key.Binding{k.Inspect, k.Export, k.Metric}, k.everywhereKeys()...)
	}
	return k.runKeys()
}

// everywhereKeys are the keys every view's full help ends with, as they
// work in every view: the help itself and quit.
func (k *KeyMap) everywhereKeys() []key.Binding { return []key.Binding{k.Help, k.Quit} }

func (k *KeyMap) trainerKeys() []key.Binding {
	return []key.Binding{k.WhatIf, k.Timeline, k.Present, k.FixScale}
}

// pair shows two bindings as one help entry ("t/T tmax").
func pair(a, b key.Binding, keys, desc string) key.Binding {
	return key.NewBinding(key.WithKeys(append(a.Keys(), b.Keys()...)...), key.WithHelp(keys, desc))
}

// relabel is b with a shorter description, for a short help.
func relabel(b key.Binding, desc string) key.Binding {
	return key.NewBinding(key.WithKeys(b.Keys()...), key.WithHelp(b.Help().Key, desc))
}

// bindings is a list of bindings as a help.KeyMap.
type bindings []key.Binding

func (b bindings) ShortHelp() []key.Binding  { return b }
func (b bindings) FullHelp() [][]key.Binding { return [][]key.Binding{b} }

// helpColumns is a full help in columns as a help.KeyMap.
type helpColumns [][]key.Binding

func (c helpColumns) ShortHelp() []key.Binding  { return nil }
func (c helpColumns) FullHelp() [][]key.Binding { return c }

// latencyApplies reports whether the world on screen has latency to see or
// change: not when every bidder answers at once (AnswersAtOnce). Before the
// first frame it assumes so.
func latencyApplies(c *Context) bool {
	s := c.Snap()
	return s == nil || !s.AnswersAtOnce()
}

// budgetApplies reports whether some bidder has a total budget for b/B to
// scale (before the first frame it assumes so).
func budgetApplies(c *Context) bool {
	s := c.Snap()
	if s == nil {
		return true
	}
	for _, b := range s.Bidders {
		if !b.Unlimited {
			return true
		}
	}
	return false
}

// dailyApplies reports whether some bidder has a daily budget for d/D to
// scale, and peopleApply whether the world has people for a frequency
// cap (u/U); before the first frame both assume so.
func dailyApplies(c *Context) bool {
	s := c.Snap()
	return s == nil || slices.ContainsFunc(s.Bidders, func(b sim.BidderStats) bool { return b.Daily > 0 })
}

func peopleApply(c *Context) bool {
	s := c.Snap()
	return s == nil || slices.ContainsFunc(s.Bidders, func(b sim.BidderStats) bool { return b.Frequency != nil })
}

// applying is bs less the keys about what the world on screen has none
// of: in a world where every bidder answers at once (the classroom
// scenarios) the latency scale (z), tmax (t/T), the bidders' latency
// (l/L) and the what-if panel of tmax (w); without budgets b/B, without
// daily budgets d/D, without people u/U, and m/= without any of them.
// Those keys still work, or say why they do nothing, but a student
// reading the help would look for a deadline, latencies or budgets the
// lesson has none of. Keys are matched by their help's key ("t/T").
func (k *KeyMap) applying(c *Context, bs []key.Binding) []key.Binding {
	var drop []string
	if !latencyApplies(c) {
		drop = append(drop, k.FixScale.Help().Key, k.tmaxKeys().Help().Key, "l/L", k.WhatIf.Help().Key)
	}
	budget, daily, people := budgetApplies(c), dailyApplies(c), peopleApply(c)
	if !budget {
		drop = append(drop, "b/B")
	}
	if !daily {
		drop = append(drop, "d/D")
	}
	if !people {
		drop = append(drop, "u/U")
	}
	if !budget && !daily && !people {
		drop = append(drop, "m/=", k.MoveBudget.Help().Key)
	}
	if len(drop) == 0 {
		return bs
	}
	return slices.DeleteFunc(slices.Clone(bs), func(b key.Binding) bool { return slices.Contains(drop, b.Help().Key) })
}
