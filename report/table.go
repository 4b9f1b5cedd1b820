package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/lipgloss/table"
	"github.com/muesli/termenv"
)

// TableOptions control how Table renders.
type TableOptions struct {
	// Color enables colors and bold text; without it the table is plain
	// text (box-drawing borders only), for pipes and NO_COLOR.
	Color bool
}

// Table renders the summary for people: the run, the exchange's totals and
// one row per bidder.
func Table(s Summary, opts TableOptions) string {
	// A private renderer writing nowhere: it never probes the terminal,
	// and its color profile is exactly what opts says.
	r := lipgloss.NewRenderer(io.Discard)
	if opts.Color {
		r.SetColorProfile(termenv.ANSI256)
	} else {
		r.SetColorProfile(termenv.Ascii)
	}
	title := r.NewStyle().Bold(true)
	dim := r.NewStyle().Foreground(lipgloss.Color("245"))
	warn := r.NewStyle().Foreground(lipgloss.Color("214")).Bold(true)
	head := r.NewStyle().Bold(true).Padding(0, 1)
	cell := r.NewStyle().Padding(0, 1)
	right := cell.Align(lipgloss.Right)

	var b strings.Builder
	b.WriteString(title.Render(s.Scenario))
	fmt.Fprintf(&b, "  seed %d  ", s.Seed)
	rate := ""
	if s.WallSeconds > 0 {
		rate = fmt.Sprintf(", %s auctions/s", si(float64(s.Auctions)/s.WallSeconds))
	}
	b.WriteString(dim.Render(fmt.Sprintf("%s auctions in %s virtual, %.2fs wall%s",
		group(s.Auctions), seconds(s.VirtualSeconds), s.WallSeconds, rate)))
	if s.Partial {
		b.WriteString("  " + warn.Render("PARTIAL: interrupted"))
	}
	b.WriteString("\n\n")

	x := s.Exchange
	kv := table.New().Border(lipgloss.HiddenBorder()).
		BorderTop(false).BorderBottom(false).BorderLeft(false).BorderRight(false).BorderColumn(false).
		StyleFunc(func(row, col int) lipgloss.Style {
			if col%2 == 0 {
				return cell.Inherit(dim)
			}
			return right
		}).
		Rows(
			[]string{"revenue", money(x.Revenue), "fill rate", pct(float64(x.FillRate)), "mean clearing price", cpm(float64(x.MeanClearingPrice))},
			[]string{"timeouts", group(x.Timeouts), "errors", group(x.Errors), "revenue lost to timeouts", money(x.RevenueLostToTimeouts)},
			[]string{"settings", s.Settings.Auction, "tmax", ms(s.Settings.TmaxMS), "floor / increment", cpm(s.Settings.Floor) + " / " + cpm(s.Settings.Increment)},
		)
	b.WriteString(title.Render("Exchange"))
	b.WriteString("\n")
	b.WriteString(kv.Render())
	b.WriteString("\n\n")

	headers := []string{"bidder", "requests", "bids", "late", "wins", "win rate", "spend", "budget", "mean price", "p50 ms", "p99 ms", "conv", "ROAS attr", "ROAS incr"}
	rows := make([][]string, 0, len(s.Bidders))
	for _, bd := range s.Bidders {
		budget := "∞"
		if bd.Budget != nil {
			budget = money(*bd.Budget)
		}
		name := bd.Name
		if !bd.Enabled {
			name += " (off)"
		}
		rows = append(rows, []string{
			name, group(bd.BidRequests), group(bd.Bids), group(bd.Late), group(bd.Wins), pct(float64(bd.WinRate)),
			money(bd.Spend), budget, cpm(float64(bd.MeanPrice)), fixed(bd.Latency.P50, 1), fixed(bd.Latency.P99, 1),
			group(bd.Conversions), fixed(float64(bd.AttributedROAS), 2), fixed(float64(bd.IncrementalROAS), 2),
		})
	}
	bt := table.New().Border(lipgloss.RoundedBorder()).
		BorderStyle(r.NewStyle().Foreground(lipgloss.Color("240"))).
		Headers(headers...).Rows(rows...).
		StyleFunc(func(row, col int) lipgloss.Style {
			switch {
			case row == table.HeaderRow:
				return head
			case col == 0:
				return cell
			}
			return right
		})
	b.WriteString(title.Render("Bidders"))
	b.WriteString("\n")
	b.WriteString(bt.Render())
	b.WriteString("\n")
	return b.String()
}

// group writes n with thousands separators: 1,234,567.
func group(n uint64) string {
	s := strconv.FormatUint(n, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func fixed(x float64, digits int) string { return strconv.FormatFloat(finite(x), 'f', digits, 64) }
func money(x float64) string             { return fixed(x, 2) }
func cpm(x float64) string               { return fixed(x, 3) }
func pct(x float64) string               { return fixed(100*x, 1) + "%" }
func ms(x float64) string                { return strconv.FormatFloat(finite(x), 'f', -1, 64) + "ms" }

// seconds writes a virtual duration the way Go does ("10m0s").
func seconds(x float64) string {
	return time.Duration(finite(x) * float64(time.Second)).Round(time.Millisecond).String()
}

// si writes x with a k/M/G suffix.
func si(x float64) string {
	switch {
	case x >= 1e9:
		return fixed(x/1e9, 2) + "G"
	case x >= 1e6:
		return fixed(x/1e6, 2) + "M"
	case x >= 1e3:
		return fixed(x/1e3, 1) + "k"
	}
	return fixed(x, 0)
}
