package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/runner"
)

// Every change the dashboard makes is a path assignment, the dialect of
// --set and of a script: the keys write one (t writes exchange.tmax=130ms),
// the command line (:) takes any. Assign turns it into the engine's
// changes as --set would (the override, the scenario's parser, sim.Diff),
// against the scenario as the change log has changed it so far; the
// export logs each change by its assignment, so that a replay reads it
// back exactly.

// liveState is the scenario followed through the change log, kept
// between commands: only the entries logged since are followed again.
type liveState struct {
	sc   *scenarios.Scenario
	gen  uint64
	n    int // change log entries followed
	live *scenarios.Live
	err  error
}

// live is the running scenario with every logged change made, or an error
// when the world has no scenario text to follow.
func (c *Context) live() (*scenarios.Live, error) {
	sc := c.sc
	if sc == nil || len(sc.YAML) == 0 || !c.Have || sc.Name != c.Frame.World {
		return nil, fmt.Errorf("this world has no scenario text to set paths in")
	}
	log := c.Snap().Changes
	s := &c.lv
	if s.sc != sc || s.gen != c.Frame.Gen || s.n > len(log) || s.live == nil && s.err == nil {
		*s = liveState{sc: sc, gen: c.Frame.Gen}
		s.live, s.err = scenarios.NewLive(sc.Name+".yaml", sc.YAML)
	}
	if s.err != nil {
		return nil, s.err
	}
	for ; s.n < len(log); s.n++ {
		// A change the log has but the scenario cannot follow leaves it
		// as it was; what the engine did stands regardless.
		_ = s.live.Follow(log[s.n].Change)
	}
	l := *s.live
	return &l, nil
}

// canAssign reports whether the world has a scenario text to assign
// paths in (a world given as a bare configuration has none).
func (c *Context) canAssign() bool {
	_, err := c.live()
	return err == nil
}

// Assign makes the assignments sets live: it resolves them against the
// running scenario, sends the changes they make, runs optimistic and
// shows what; an error (a bad path, value or range; something that cannot
// change during a run) is returned with --set's message and sends nothing.
func (c *Context) Assign(sets []scenarios.Set, what string, optimistic func()) error {
	l, err := c.live()
	if err != nil {
		return err
	}
	changes, err := l.Set(sets)
	if err != nil {
		return err
	}
	if len(changes) == 0 {
		c.Info("no change: " + sets[0].Path + " is already " + sets[0].Value)
		return nil
	}
	for _, ch := range changes {
		if !c.Send(runner.Apply{Change: ch}) {
			return nil
		}
	}
	if optimistic != nil {
		optimistic()
	}
	if what == "" {
		texts := make([]string, len(changes))
		for i, ch := range changes {
			texts[i] = scenarios.ChangeText(ch)
		}
		what = strings.Join(texts, ", ")
	}
	c.Info(what)
	return nil
}

// commandLine is `:`, a line at the bottom where any --set expression
// (PATH=VALUE) is typed and applied live. Enter applies it, or shows why
// not and stays; esc cancels; ↑/↓ recall the lines applied before.
type commandLine struct {
	ctx   *Context
	input textinput.Model
	err   string
	// whyLines is the refusal wrapped to the body's width (why), made
	// once a refresh: Refresh sizes the line by it and View draws it.
	whyLines []string
	back     int // ↑ presses into the history; 0 is the line being typed
	typed    string
}

// commandKey opens the command line on : (keys.Command), as the
// dashboard's runKey does; true if k was it. The what-if panel and
// presentation mode list : in their help too, and without it the letters
// of a line typed there reached them as keys (a, t, x...).
func commandKey(c *Context, k tea.KeyMsg) bool {
	if !key.Matches(k, c.Keys.Command) {
		return false
	}
	openCommandLine(c)
	return true
}

// openCommandLine opens the command line over the view on top, clearing
// the status line.
func openCommandLine(c *Context) {
	c.Open(newCommandLine(c))
	c.Info("")
}

// commandLines is the command line's height under the dashboard.
const commandLines = 3

func newCommandLine(c *Context) *commandLine {
	in := textinput.New()
	in.Prompt = ":"
	// A pattern and an example, not a value: the current tmax is not
	// 350 ms.
	in.Placeholder = "PATH=VALUE, e.g. exchange.tmax=350ms"
	in.CharLimit = 400
	in.Focus()
	return &commandLine{ctx: c, input: in}
}

// Update handles the line's keys.
func (l *commandLine) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return nil
	}
	c := l.ctx
	switch k.Type {
	case tea.KeyEsc:
		c.Close()
		c.Info("cancelled")
	case tea.KeyEnter:
		l.apply()
	case tea.KeyUp, tea.KeyDown:
		l.recall(k.Type == tea.KeyUp)
	default:
		l.err = ""
		var cmd tea.Cmd
		l.input, cmd = l.input.Update(k)
		return cmd
	}
	return nil
}

// recall steps through the history.
func (l *commandLine) recall(older bool) {
	h := l.ctx.history
	if l.back == 0 {
		l.typed = l.input.Value()
	}
	switch {
	case older && l.back < len(h):
		l.back++
	case !older && l.back > 0:
		l.back--
	default:
		return
	}
	if l.back == 0 {
		l.input.SetValue(l.typed)
	} else {
		l.input.SetValue(h[len(h)-l.back])
	}
	l.input.CursorEnd()
}

// apply parses and applies the line; an error stays on screen under it.
func (l *commandLine) apply() {
	c := l.ctx
	text := strings.TrimSpace(l.input.Value())
	if text == "" {
		l.err = "type PATH=VALUE, as --set takes it: exchange.tmax=350ms, bidders.NAME.latency.median=90ms"
		return
	}
	set, err := scenarios.ParseSet(":", text)
	if err == nil {
		err = c.Assign([]scenarios.Set{set}, "", nil)
	}
	if err != nil {
		l.err = oneLine(err) // the model refreshes after the key: the why may take more lines
		return
	}
	if h := c.history; len(h) == 0 || h[len(h)-1] != text {
		c.history = append(c.history, text)
	}
	c.Close()
}

// keyRefusal is why a key's assignments sets were refused, for the
// status line: without the "--set PATH=VALUE: " the parser puts first,
// which names a flag nobody typed and, at 80 columns, pushed the reason
// off the line ("refused: --set exchange.tmax=110ms:
// exchange.tmax_adjustments: they add up to 1…"). The assignment stays,
// as PATH=VALUE, where the reason does not name a path of its own.
func keyRefusal(err error, sets []scenarios.Set) string {
	msg := oneLine(err)
	for _, s := range sets {
		rest, ok := strings.CutPrefix(msg, s.String()+": ")
		if !ok {
			continue
		}
		msg = rest
		if !strings.HasPrefix(rest, "exchange.") && !strings.HasPrefix(rest, "bidders.") && !strings.HasPrefix(rest, "traffic.") {
			// "VALUE is more than LIMIT" repeats the value just named:
			// without it the limit and its reason fit 80 columns
			// ("exchange.tmax=1h0m0.01s: more than 1h, the largest
			// supported deadline").
			rest = strings.TrimPrefix(rest, s.Value+" is ")
			msg = s.Path + "=" + s.Value + ": " + rest
		}
		break
	}
	return msg
}

// oneLine is an error's message on one line: the parser lists one error a
// line.
func oneLine(err error) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(err.Error(), "\n", "; ")), " ")
}

// View draws the dashboard above the line.
func (l *commandLine) View(w, h int) string {
	st := l.ctx.Theme
	lines := []string{st.Title.Render("Set") + st.Dim.Render(" any path as --set does · enter applies · esc cancels · ↑/↓ history"),
		st.Value.Render(l.input.View())}
	for _, m := range l.whyLines {
		lines = append(lines, st.Warn.Render(m))
	}
	n := commandHeight(l.whyLines)
	return viewAbove(l.ctx, w, h, n) + "\n" + format.Block(lines, w, n)
}

// maxCommandLines bounds the line's height with a refusal: the title, the
// line and the why, wrapped, which names what can change instead.
const maxCommandLines = 8

// why is the refusal under the line, wrapped to w, without the line it
// repeats (the parser names its source, ":" and the text typed), but
// with the path it refuses, as --set's refusal names it: "is required"
// alone read as a sentence without its subject.
func (l *commandLine) why(w int) []string {
	if l.err == "" {
		return nil
	}
	typed := strings.TrimSpace(l.input.Value())
	msg := l.err
	if rest, ok := strings.CutPrefix(msg, ":"+typed+": "); ok {
		msg = rest
		if path, _, _ := strings.Cut(typed, "="); strings.TrimSpace(path) != "" && !strings.HasPrefix(rest, strings.TrimSpace(path)) {
			msg = strings.TrimSpace(path) + ": " + rest
		}
	}
	return format.Wrap("! "+msg, max(w, 20))
}

// commandHeight is the line's height with the refusal's lines why: its
// title, the line, and the why.
func commandHeight(why []string) int {
	return min(max(commandLines, 2+len(why)), maxCommandLines)
}

// Refresh lays the dashboard out above the line.
func (l *commandLine) Refresh() {
	l.whyLines = l.why(l.ctx.BodyW)
	refreshAbove(l.ctx, commandHeight(l.whyLines))
}

// ShortHelp is the line's keys.
func (l *commandLine) ShortHelp() []key.Binding {
	k := l.ctx.Keys
	return []key.Binding{key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "apply")),
		relabel(k.Close, "cancel"), key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "history"))}
}

// FullHelp is the same keys in one column.
func (l *commandLine) FullHelp() [][]key.Binding { return [][]key.Binding{l.ShortHelp()} }

// latencySet is the assignment of a bidder's latency to d, its durations
// to the nearest nanosecond, as a file can write them.
func latencySet(bidder string, d sim.Dist) scenarios.Set {
	return scenarios.LatencySet(bidder, d)
}
