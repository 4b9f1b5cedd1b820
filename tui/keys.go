package tui

import "github.com/charmbracelet/bubbles/key"

// Steps of the live controls: big enough that a few presses make a visible
// difference, small enough to find the tipping point.
const (
	tmaxStep     = 10 // ms
	tmaxMin      = 10 // ms
	floorStep    = 0.05
	latencyScale = 1.25 // l: ×1.25 slower; L: ÷1.25 faster
	budgetScale  = 1.25 // B: ×1.25; b: ÷1.25 (= −20%)
	budgetMin    = 1.0  // B on a zero budget starts here (currency)
	qpsScale     = 1.25 // ]: ×1.25; [: ÷1.25
)

// keyMap is every binding of the dashboard; it is also the help's source,
// so the help cannot drift from the keys.
type keyMap struct {
	Pause      key.Binding
	Faster     key.Binding
	Slower     key.Binding
	Step       key.Binding
	TmaxDown   key.Binding
	TmaxUp     key.Binding
	FloorDown  key.Binding
	FloorUp    key.Binding
	Auction    key.Binding
	QPSDown    key.Binding
	QPSUp      key.Binding
	Up         key.Binding
	Down       key.Binding
	Slower1    key.Binding // selected bidder slower
	Faster1    key.Binding // selected bidder faster
	BudgetDown key.Binding
	BudgetUp   key.Binding
	Toggle     key.Binding
	Inspect    key.Binding
	Restart    key.Binding
	Scenario   key.Binding
	Export     key.Binding
	Help       key.Binding
	Quit       key.Binding

	// In the overlays.
	Close key.Binding
	Prev  key.Binding
	Next  key.Binding
	Pick  key.Binding
	Move  key.Binding
}

func newKeyMap() keyMap {
	b := func(keys []string, k, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(k, desc))
	}
	return keyMap{
		Pause:      b([]string{" "}, "space", "pause"),
		Faster:     b([]string{"+", "="}, "+", "faster ×2"),
		Slower:     b([]string{"-", "_"}, "-", "slower ÷2"),
		Step:       b([]string{"."}, ".", "step (paused)"),
		TmaxDown:   b([]string{"t"}, "t", "tmax −10ms"),
		TmaxUp:     b([]string{"T"}, "T", "tmax +10ms"),
		FloorDown:  b([]string{"f"}, "f", "floor −0.05"),
		FloorUp:    b([]string{"F"}, "F", "floor +0.05"),
		Auction:    b([]string{"a"}, "a", "1st/2nd price"),
		QPSDown:    b([]string{"["}, "[", "qps ÷1.25"),
		QPSUp:      b([]string{"]"}, "]", "qps ×1.25"),
		Up:         b([]string{"up", "k"}, "↑/k", "select up"),
		Down:       b([]string{"down", "j"}, "↓/j", "select down"),
		Slower1:    b([]string{"l"}, "l", "slower ×1.25"),
		Faster1:    b([]string{"L"}, "L", "faster ÷1.25"),
		BudgetDown: b([]string{"b"}, "b", "budget −20%"),
		BudgetUp:   b([]string{"B"}, "B", "budget +25%"),
		Toggle:     b([]string{"x"}, "x", "off/on"),
		Inspect:    b([]string{"enter"}, "enter", "last auction"),
		Restart:    b([]string{"r"}, "r", "restart"),
		Scenario:   b([]string{"s"}, "s", "scenario"),
		Export:     b([]string{"e"}, "e", "export"),
		Help:       b([]string{"?"}, "?", "all keys"),
		Quit:       b([]string{"q", "ctrl+c"}, "q", "quit"),

		Close: b([]string{"esc"}, "esc", "close"),
		Prev:  b([]string{"left"}, "←", "older"),
		Next:  b([]string{"right"}, "→", "newer"),
		Pick:  b([]string{"enter"}, "enter", "load"),
		Move:  b([]string{"up", "down"}, "↑/↓", "move"),
	}
}

// pair shows two bindings as one help entry ("t/T tmax").
func pair(a, b key.Binding, keys, desc string) key.Binding {
	return key.NewBinding(key.WithKeys(append(a.Keys(), b.Keys()...)...), key.WithHelp(keys, desc))
}

// relabel is b with a shorter description, for the short help.
func relabel(b key.Binding, desc string) key.Binding {
	return key.NewBinding(key.WithKeys(b.Keys()...), key.WithHelp(b.Help().Key, desc))
}

// ShortHelp is the footer's one line at 80 columns: what a first-time user
// needs, ending with `?` and quit so they are never cut off.
func (k keyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Pause, pair(k.Faster, k.Slower, "+/-", "speed"), pair(k.TmaxDown, k.TmaxUp, "t/T", "tmax"),
		pair(k.Up, k.Down, "↑/↓", "bidder"), relabel(k.Inspect, "auction"), k.Help, k.Quit}
}

// wideShortHelp is the footer's line when there is room for more; the
// footer drops entries before the last two until it fits.
func (k keyMap) wideShortHelp() []key.Binding {
	return []key.Binding{k.Pause, pair(k.Faster, k.Slower, "+/-", "speed"), k.Step,
		pair(k.TmaxDown, k.TmaxUp, "t/T", "tmax"), pair(k.FloorDown, k.FloorUp, "f/F", "floor"), k.Auction,
		pair(k.Up, k.Down, "↑/↓", "bidder"), pair(k.Slower1, k.Faster1, "l/L", "latency"),
		pair(k.BudgetDown, k.BudgetUp, "b/B", "budget"), k.Toggle, k.Inspect, k.Restart, k.Scenario,
		k.Export, k.Help, k.Quit}
}

// FullHelp is the key map `?` opens, in columns: time, exchange, bidder,
// run. It fits in 80 columns.
func (k keyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Pause, k.Faster, k.Slower, k.Step},
		{k.TmaxDown, k.TmaxUp, k.FloorDown, k.FloorUp, k.Auction, k.QPSDown, k.QPSUp},
		{k.Up, k.Down, k.Slower1, k.Faster1, k.BudgetDown, k.BudgetUp, k.Toggle},
		{k.Inspect, k.Restart, k.Scenario, k.Export, k.Help, k.Quit},
	}
}

// bindings is a fixed list of bindings as a help.KeyMap: the overlays'
// footers and the wide short help.
type bindings []key.Binding

func (b bindings) ShortHelp() []key.Binding  { return b }
func (b bindings) FullHelp() [][]key.Binding { return [][]key.Binding{b} }
