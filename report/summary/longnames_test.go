package summary

import (
	"regexp"
	"strings"
	"testing"

	"github.com/muesli/termenv"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/report/theme"
	"github.com/auctionsim/auctionsim/sim"
)

// longName is a line item's name as planners write them: 60 cells.
const longName = "acme-even-line-item-for-the-spring-campaign-north-region-001"

// flightSnap is two days of a flight with people: bidders with daily
// budgets (a Days row) and traffic.users (a People row), the first
// named first.
func flightSnap(t *testing.T, first string) *sim.Snapshot {
	t.Helper()
	cfg := sim.Config{
		Seed:     5,
		Traffic:  sim.Traffic{QPS: 0.5, Users: &sim.Users{Count: 200}},
		Exchange: sim.ExchangeConfig{Auction: sim.SecondPrice, Tmax: 100 * sim.Millisecond},
		Horizon:  2 * sim.Day,
		Bidders: []sim.BidderConfig{
			{Name: first, Value: sim.Uniform(1, 3), Budget: &sim.Budget{Daily: sim.MoneyOf(4), Pacing: sim.PacingMultiplier}},
			{Name: "globex-front", Value: sim.Uniform(1, 3), Budget: &sim.Budget{Daily: sim.MoneyOf(30)},
				FrequencyCap: &sim.FrequencyCap{Impressions: 3, Per: sim.Day}},
			{Name: "rival", Value: sim.Uniform(0.5, 2.5)},
		},
	}
	e := newEngine(t, cfg)
	e.RunUntil(2 * sim.Day)
	return e.Snapshot()
}

// section is out's lines from the heading title to the next blank line.
func section(t *testing.T, out, title string) []string {
	t.Helper()
	var got []string
	in := false
	for _, l := range lines(out) {
		switch {
		case l == title:
			in = true
		case in && strings.TrimSpace(l) == "":
			return got
		case in:
			got = append(got, l)
		}
	}
	if !in {
		t.Fatalf("no %s section in:\n%s", title, out)
	}
	return got
}

// The Days and People rows keep to the width, piped or in a terminal,
// with a 60-cell name (cut, and given whole below) or short ones; they
// break only between the parts that read as one: never inside "a day
// spent 19.89 to 19.97" nor "40,215 people, each saw 2.77".
func TestLabelledRowsKeepToWidth(t *testing.T) {
	for _, first := range []string{longName, "acme-even"} {
		snap := flightSnap(t, first)
		b := snap.Bidders[0]
		if len(b.Days) != 2 || b.Frequency == nil {
			t.Fatalf("days %d, frequency %v: the test needs both sections", len(b.Days), b.Frequency)
		}
		day, people := dayRow(snap, b), peopleRow(snap, b)
		// The units as they read, spaces collapsed.
		spent := strings.Join(day[4:8], " ")
		reach := strings.Join(people[1:4], " ")
		for _, w := range []int{80, 100} {
			for _, whole := range []bool{true, false} {
				out := Render(snap, Run{Scenario: "flight"}, Options{Width: w, Whole: whole})
				for _, sec := range []struct{ title, unit string }{{"Days", spent}, {"People", reach}} {
					body := section(t, out, sec.title)
					found := false
					for _, l := range body {
						if n := format.Width(l); n > w {
							t.Errorf("%s at %d (whole %v), %s: a line %d wide: %q", first, w, whole, sec.title, n, l)
						}
						found = found || strings.Contains(spaced(l), sec.unit)
					}
					if !found {
						t.Errorf("%s at %d (whole %v), %s: %q not on one line:\n%s", first, w, whole, sec.title, sec.unit, strings.Join(body, "\n"))
					}
					if !strings.Contains(strings.Join(body, "\n"), first) {
						t.Errorf("%s at %d (whole %v), %s: the name is nowhere whole:\n%s", first, w, whole, sec.title, strings.Join(body, "\n"))
					}
				}
			}
		}
	}
}

// The flight's long name, at 80: the sections did pass the width (the
// test above would test nothing otherwise).
func TestLabelledRowsUnsplitTooWide(t *testing.T) {
	snap := flightSnap(t, longName)
	for _, title := range []string{"Days", "People"} {
		if got := section(t, Render(snap, Run{Scenario: "flight"}, Options{}), title)[0]; format.Width(got) <= 80 {
			t.Errorf("the %s row fits 80 whole: %q", title, got)
		}
	}
}

// The per-bidder theory lines keep to the width with a long name: as a
// table with the name cut (and given whole below) where that fits, else
// a line or more a bidder broken only between its figures.
func TestBidderTheoryLongName(t *testing.T) {
	cfg := vickrey3()
	cfg.Bidders[0].Name = longName
	e := newEngine(t, cfg)
	e.RunUntil(5 * sim.Second)
	snap := e.Snapshot()
	pair := regexp.MustCompile(`[0-9]%? · +[0-9]`)
	for _, w := range []int{80, 100, 44} {
		out := lines(Render(snap, Run{Scenario: "theory"}, Options{Width: w, Whole: true}))
		i := 0
		for i < len(out) && !strings.Contains(out[i], "each bidder, per auction") {
			i++
		}
		if i == len(out) {
			t.Fatalf("at %d no per-bidder theory:\n%s", w, strings.Join(out, "\n"))
		}
		var each []string
		for _, l := range out[i+1:] {
			if strings.TrimSpace(l) == "" {
				break
			}
			each = append(each, l)
		}
		text := strings.Join(each, "\n")
		for _, l := range each {
			if n := format.Width(l); n > w {
				t.Errorf("at %d a line %d wide: %q", w, n, l)
			}
			if s := strings.TrimSpace(l); strings.HasSuffix(s, "·") || strings.HasPrefix(s, "·") {
				t.Errorf("at %d a theory · simulated pair broken: %q", w, l)
			}
		}
		if n := len(pair.FindAllString(text, -1)); n != 3*len(cfg.Bidders) {
			t.Errorf("at %d, %d whole theory · simulated pairs, want %d:\n%s", w, n, 3*len(cfg.Bidders), text)
		}
		// A name wider than the line is broken, its lines indented one.
		if !strings.Contains(strings.ReplaceAll(text, "\n ", ""), longName) {
			t.Errorf("at %d the name is nowhere whole:\n%s", w, text)
		}
		if w >= 80 && !strings.Contains(text, "win rate  ") {
			t.Errorf("at %d no table (its heading): the names cut would fit one:\n%s", w, text)
		}
	}
}

// flight-week's Days rows at 80 columns (COLUMNS=80, piped): the split
// keeps "a day spent 19.89 to 19.97" on one line (it broke before "to").
func TestSplitKeepsDayRangeWhole(t *testing.T) {
	rows := [][]string{
		{"acme-even", "20.00/day", "even", "7 day(s)", "· a day spent", "19.89", "to", "19.97", "· last", "19.89"},
		{"globex-front", "30.00/day", "front_loaded", "7 day(s)", "· a day spent", "30.00", "to", "30.00", "· last", "30.00"},
		{"initech-cpa", "15.00/day", "even", "7 day(s)", "· a day spent", "3.33", "to", "14.95", "· last", "3.33"},
	}
	th := theme.NewWith(theme.FixedRenderer(termenv.Ascii), theme.Palette{})
	if whole := labelled(th, rows); format.Width(lines(whole)[0]) <= 80 {
		t.Fatalf("the rows fit 80 whole: the test would test nothing:\n%s", whole)
	}
	out := splitLabelled(th, rows, dayUnits(), 80)
	for _, r := range rows {
		want := strings.Join(r[4:8], " ")
		found := false
		for _, l := range lines(out) {
			if n := format.Width(l); n > 80 {
				t.Errorf("a line %d wide: %q", n, l)
			}
			found = found || strings.Contains(spaced(l), r[0]+" ") && strings.Contains(spaced(l), want)
		}
		if !found {
			t.Errorf("%s: %q not on one line:\n%s", r[0], want, out)
		}
	}
}
