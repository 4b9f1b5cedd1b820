package tui

import (
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/runner"
	"github.com/auctionsim/auctionsim/tui/format"
)

// planKey handles the planner's keys: m (move budget), = (set budget) and
// c (fork, or end the fork); true if k was one of them.
func planKey(c *Context, k tea.KeyMsg) bool {
	keys := c.Keys
	switch {
	case key.Matches(k, keys.MoveBudget):
		openMoveForm(c)
	case key.Matches(k, keys.SetBudget):
		openSetForm(c)
	case key.Matches(k, keys.Fork):
		if c.Frame.Fork == nil {
			if c.Send(runner.Fork{}) {
				c.Info("forking: A keeps the world so far, changes now go to B…")
			}
			break
		}
		c.Open(&unforkConfirm{ctx: c})
		c.Info("")
	default:
		return false
	}
	return true
}

// unforkConfirm asks before the fork ends and A is dropped.
type unforkConfirm struct{ ctx *Context }

var (
	yesKey = key.NewBinding(key.WithKeys("y", "Y"), key.WithHelp("y", "end the fork, keep B"))
	noKey  = key.NewBinding(key.WithKeys("n", "N", "esc"), key.WithHelp("n/esc", "stay forked"))
)

func (u *unforkConfirm) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return nil
	}
	c := u.ctx
	switch {
	case key.Matches(k, yesKey):
		c.Close()
		if c.Send(runner.Unfork{}) {
			c.Info("ending the fork: B runs on, A is dropped…")
		}
	case key.Matches(k, noKey):
		c.Close()
		c.Info("still forked")
	}
	return nil
}

func (u *unforkConfirm) View(w, h int) string {
	st := u.ctx.Theme
	q := st.Warn.Render("End the fork and keep B? A, the baseline, is dropped (e exports both first).") +
		st.Dim.Render("  y/n")
	return u.ctx.views[0].View(w, max(h-1, 1)) + "\n" + format.Fit(q, w)
}

func (u *unforkConfirm) Refresh() { u.ctx.views[0].Refresh() }
func (u *unforkConfirm) ShortHelp() []key.Binding {
	return []key.Binding{yesKey, noKey, u.ctx.Keys.Quit}
}
func (u *unforkConfirm) FullHelp() [][]key.Binding { return [][]key.Binding{u.ShortHelp()} }

// forkMetrics are the metrics the fork panel shows for a group or a
// bidder, in order of need: what the ads caused, then what it cost.
var forkMetrics = []string{"incremental_value", "spend", "conversions"}

// renderFork draws the A/B panel in w×h: for each group, then each
// bidder, A and B since the fork and B − A with its 95% interval from the
// paired per-interval differences, or "not distinguishable yet" while the
// interval spans 0. Wide, a second metric (spend) follows the first.
func renderFork(c *Context, w, h int) string {
	ff, st := c.Frame.Fork, c.Theme
	diffs := map[string]sim.Difference{}
	n := 0
	for _, d := range ff.Differences {
		diffs[d.Name] = d
		n = max(n, d.N)
	}
	title := st.Title.Render("A/B fork") + st.Dim.Render(fmt.Sprintf(" since %s · B − A over %d intervals of %v, 95%% · changes go to B",
		format.ShortClock(ff.At), n, ff.Every))
	metrics := forkMetrics[:1]
	if w >= wideWidth {
		metrics = forkMetrics[:2]
	}
	nameW := 16
	head := format.Fit("", nameW)
	for _, m := range metrics {
		head += forkHead(m, w >= wideWidth)
	}
	lines := []string{format.Fit(title, w), st.Label.Render(format.Fit(head, w))}
	type row struct{ label, prefix string }
	var rows []row
	for _, g := range c.Snap().Groups {
		rows = append(rows, row{"Σ " + g.Name, "groups." + g.Name + "."})
	}
	for _, b := range c.Snap().Bidders {
		rows = append(rows, row{"  " + b.Name, "bidders." + b.Name + "."})
	}
	// The selected bidder stays in view when the panel is short.
	sel := len(c.Snap().Groups) + c.Selected
	start := 0
	if room := h - len(lines); room > 0 && sel >= room {
		start = sel - room + 1
	}
	for i := start; i < len(rows) && len(lines) < h; i++ {
		r := rows[i]
		line := format.Fit(r.label, nameW)
		if i == sel {
			line = st.Selected.Render(format.Fit("▸"+strings.TrimPrefix(r.label, " "), nameW))
		}
		for _, m := range metrics {
			line += forkCell(c, diffs[r.prefix+m], w >= wideWidth)
		}
		lines = append(lines, line)
	}
	return format.Block(lines, w, h)
}

// Column widths of the fork panel.
const (
	forkNumW  = 10
	forkDiffW = 20
)

func forkHead(metric string, wide bool) string {
	s := " " + format.PadLeft("A", forkNumW) + format.PadLeft("B", forkNumW) + format.PadLeft("B − A ± 95%", forkDiffW)
	if wide {
		s = " " + format.Fit(metric, 18) + s[1:]
	} else {
		s += "  " + metric
	}
	return s
}

// forkCell is one metric's A, B and B − A ± half-width, with its verdict.
func forkCell(c *Context, d sim.Difference, wide bool) string {
	st := c.Theme
	if d.Name == "" {
		return ""
	}
	tot := d.Total()
	diff := signed(tot.Mean)
	verdict := d.Verdict()
	if half := (tot.Hi - tot.Lo) / 2; !math.IsNaN(half) {
		diff += " ± " + compact(half)
	} else {
		verdict = "not distinguishable yet"
	}
	s := " " + format.PadLeft(compact(d.A), forkNumW) + format.PadLeft(compact(d.B), forkNumW) + format.PadLeft(diff, forkDiffW)
	if wide {
		s = " " + format.Fit("", 18) + s[1:]
	}
	switch {
	case d.Lo > 0:
		return s + "  " + st.Running.Render(verdict)
	case d.Hi < 0:
		return s + "  " + st.Warn.Render(verdict)
	}
	return s + "  " + st.Dim.Render(verdict)
}

// compact is a figure in at most about 8 cells: 1234.5, 12.3k, 4.56M.
func compact(x float64) string {
	a := math.Abs(x)
	switch {
	case math.IsNaN(x):
		return format.Dash
	case a >= 1e6:
		return fmt.Sprintf("%.2fM", x/1e6)
	case a >= 1e4:
		return fmt.Sprintf("%.1fk", x/1e3)
	case a >= 100:
		return fmt.Sprintf("%.0f", x)
	}
	return fmt.Sprintf("%.2f", x)
}

// signed is compact with its sign.
func signed(x float64) string {
	if x > 0 {
		return "+" + compact(x)
	}
	return compact(x)
}

// exportFork writes both sides of a forked run and their differences to a
// file of its own, auctionsim-NAME-SEED-fork-N.json.
func exportFork(c *Context) tea.Cmd {
	f := c.Frame
	ff := f.Fork
	meta := report.Meta{Scenario: f.World, Partial: !f.Reached(), WallSeconds: f.WallRun.Seconds()}
	out := report.NewFork(ff.A, f.Snap, ff.At, ff.Every, ff.Differences, meta)
	dir := c.exportDir
	base := fmt.Sprintf("auctionsim-%s-%d-fork", safeName(f.World), f.Snap.Seed)
	c.Info("exporting A, B and B − A…")
	return func() tea.Msg {
		path, err := reserve(dir, base)
		if err == nil {
			err = report.WriteFileAtomic(path, func(w io.Writer) error { return report.WriteFork(w, out) })
		}
		return exportedMsg{path: path, err: err}
	}
}
