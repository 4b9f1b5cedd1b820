package report

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
)

// dailySnapshot is two and a half virtual days of a bidder with a daily
// budget beside one without, at traffic scale 10.
func dailySnapshot(t *testing.T) *sim.Snapshot {
	t.Helper()
	eng, err := sim.New(sim.Config{
		Name:     "days-test",
		Seed:     5,
		Traffic:  sim.Traffic{QPS: 5, Scale: 10},
		Exchange: sim.ExchangeConfig{Auction: sim.SecondPrice, Tmax: 100 * sim.Millisecond, Floor: sim.PriceOf(0.1)},
		Interval: sim.Hour,
		Horizon:  3 * sim.Day,
		Bidders: []sim.BidderConfig{
			{Name: "flight", Value: sim.Uniform(1, 3), Budget: &sim.Budget{Daily: sim.MoneyOf(40), Pacing: sim.PacingMultiplier}},
			{Name: "rival", Value: sim.Uniform(0.5, 2.5)},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	eng.RunUntil(2*sim.Day + 12*sim.Hour)
	return eng.Snapshot()
}

// TestCSVDaySpend: the time series CSV adds, after every column it had,
// NAME.day_spend and NAME.daily_budget for each bidder with a daily
// budget (and none for the others); each row's values are the JSON
// series point's, at full scale, the day's spend grows within a day,
// starts again after midnight, never passes the day's budget, and the
// last row holds the day in progress's spend (bidders[].days). The JSON
// points carry day_spend and daily_budget for that bidder alone.
func TestCSVDaySpend(t *testing.T) {
	snap := dailySnapshot(t)
	rows := csvRows(t, snap)
	old := CSVHeader([]string{"flight", "rival"})
	want := append(append([]string(nil), old...), "flight.day_spend", "flight.daily_budget", CSVPartial)
	if strings.Join(rows[0], "|") != strings.Join(want, "|") {
		t.Fatalf("header %q, want %q", rows[0], want)
	}
	full := NewFull(snap, Meta{})
	if len(rows) != 1+len(full.Series.Points) || len(full.Series.Points) != 60 {
		t.Fatalf("%d rows for %d points", len(rows), len(full.Series.Points))
	}
	days := full.Bidders[0].Days
	if len(days) != 3 {
		t.Fatalf("days %+v", days)
	}
	var prev float64
	resets := 0
	for k, r := range rows[1:] {
		p := full.Series.Points[k]
		f, rv := p.Bidders[0], p.Bidders[1]
		if rv.DaySpend != nil || rv.DailyBudget != nil {
			t.Errorf("point %d: the rival has a day spend", k)
		}
		if f.DaySpend == nil || f.DailyBudget == nil {
			t.Fatalf("point %d: no day spend for the flight", k)
		}
		// The columns that were there keep their places and values.
		if r[8] != cell(f.Spend) || r[11] != cell(rv.Spend) || r[0] != cell(p.StartSeconds) {
			t.Errorf("row %d: %q, point %+v", k, r, p)
		}
		spend, err1 := strconv.ParseFloat(r[len(old)], 64)
		budget, err2 := strconv.ParseFloat(r[len(old)+1], 64)
		if err1 != nil || err2 != nil || spend != *f.DaySpend || budget != *f.DailyBudget {
			t.Errorf("row %d: %q, %q; the JSON %v of %v", k, r[len(old)], r[len(old)+1], *f.DaySpend, *f.DailyBudget)
		}
		if budget != 40 || spend > budget {
			t.Errorf("row %d: %v of a daily budget of %v", k, spend, budget)
		}
		if k%24 == 0 && k > 0 {
			resets++
			if spend != f.Spend {
				t.Errorf("row %d starts a day: %v spent of it, %v in the interval", k, spend, f.Spend)
			}
		} else if spend < prev || spend-prev-f.Spend > 1e-6 || prev+f.Spend-spend > 1e-6 {
			t.Errorf("row %d: %v after %v with %v spent in the interval", k, spend, prev, f.Spend)
		}
		if (k+1)%24 == 0 && spend != days[k/24].Spend {
			t.Errorf("row %d ends day %d at %v, the day spent %v", k, k/24, spend, days[k/24].Spend)
		}
		prev = spend
	}
	if resets != 2 || prev != days[2].Spend || prev == 0 || days[0].Spend < 30 {
		t.Errorf("%d midnights; last %v, days %+v", resets, prev, days)
	}

	// The JSON: the fields for the bidder with a daily budget only.
	var js bytes.Buffer
	if err := WriteJSON(&js, snap, Meta{}); err != nil {
		t.Fatal(err)
	}
	var back struct {
		Series struct {
			Points []struct {
				Bidders []map[string]any `json:"bidders"`
			} `json:"points"`
		} `json:"series"`
	}
	if err := json.Unmarshal(js.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	last := back.Series.Points[len(back.Series.Points)-1].Bidders
	if last[0]["day_spend"] != prev || last[0]["daily_budget"] != 40.0 {
		t.Errorf("JSON last point %v", last[0])
	}
	if _, ok := last[1]["day_spend"]; ok {
		t.Errorf("JSON: the rival has a day spend: %v", last[1])
	}
}
