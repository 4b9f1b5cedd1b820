package experiment

import (
	"cmp"
	"math"
	"slices"
	"strconv"

	"github.com/auctionsim/auctionsim/sim"
)

// HorizonFactor is the share of full's horizon that short (the same
// world with a nearer stop) keeps: 1 when they are equal or either is
// unknown.
func HorizonFactor(full, short sim.Config) float64 {
	if full.Horizon <= 0 || short.Horizon <= 0 || full.Horizon == short.Horizon {
		return 1
	}
	return float64(short.Horizon) / float64(full.Horizon)
}

// ScaledBudgets are the changes (bidders.NAME.budget.total, to the cent)
// that scale every budget of cfg by factor: what a shortened run must do
// to keep the problem of the full one. Without them a 2-minute run of a
// 10-minute world paces the whole budget over 2 minutes and no budget
// binds. None when factor is 1. A group's budgeted members share the
// group's scaled total rounded to the cent, by largest remainder, so
// that two splits of one total stay at one total when scaled (rounding
// each alone, 200/200/200 at a thirtieth gives 20.01, 20/470/110 gives
// 20.00). A daily budget is not scaled (it caps each day, however long
// the run), and a bidder with one alone has no total to scale.
func ScaledBudgets(cfg sim.Config, factor float64) [][2]string {
	scalable := func(b *sim.Budget) bool { return b != nil && !(b.Daily > 0 && b.Total == 0) }
	if factor == 1 {
		return nil
	}
	cents := make([]int64, len(cfg.Bidders))
	type rem struct {
		i int
		r float64
	}
	groups := map[string][]rem{}
	var order []string
	for i, b := range cfg.Bidders {
		if !scalable(b.Budget) {
			continue
		}
		exact := b.Budget.Total.Float() * factor * 100
		if b.Group == "" {
			cents[i] = int64(math.Round(exact))
			continue
		}
		cents[i] = int64(math.Floor(exact))
		if _, ok := groups[b.Group]; !ok {
			order = append(order, b.Group)
		}
		groups[b.Group] = append(groups[b.Group], rem{i, exact - math.Floor(exact)})
	}
	for _, g := range order {
		rs := groups[g]
		total := 0.0
		var given int64
		for _, r := range rs {
			total += cfg.Bidders[r.i].Budget.Total.Float()
			given += cents[r.i]
		}
		// The remainders' sum is below len(rs), so the cents left are few.
		left := int64(math.Round(total*factor*100)) - given
		slices.SortStableFunc(rs, func(a, b rem) int { return cmp.Compare(b.r, a.r) })
		for k := 0; left > 0 && k < len(rs); k++ {
			cents[rs[k].i]++
			left--
		}
	}
	var out [][2]string
	for i, b := range cfg.Bidders {
		if !scalable(b.Budget) {
			continue
		}
		if b.Budget.Daily > 0 {
			// A total of 0 beside a daily budget would mean no total cap.
			cents[i] = max(cents[i], 1)
		}
		out = append(out, [2]string{"bidders." + b.Name + ".budget.total", strconv.FormatFloat(float64(cents[i])/100, 'f', -1, 64)})
	}
	return out
}

// HasBudget reports whether any bidder of cfg has a budget, which a
// shortened run scales (ScaledBudgets).
func HasBudget(cfg sim.Config) bool {
	for _, b := range cfg.Bidders {
		if b.Budget != nil {
			return true
		}
	}
	return false
}

// minPeopleWindows is how many of a person's windows (a frequency cap's,
// a conversion period) a shortened run must hold for PeopleUnkept to call
// them kept: a tenth of the run, as split asks of conversion delays.
const minPeopleWindows = 10

// PeopleUnkept says what of cfg's people a run of horizon kept (budgets
// scaled to it) does not keep as the whole run has them, or "" when
// nothing: each person makes requests at the same rate however long the
// run, so a shorter run gives every person fewer impressions, and a
// frequency cap or a once-per-period conversion whose window is not short
// beside the run then binds less (a longer run, more). A capped member
// that spends a third of its budget over the whole run spends most of a
// halved one. It names the first bidder that breaks it and how, "NAME's
// frequency cap (2 per 1h)" or "NAME's conversion period (once a person
// per run)", the default. Empty without people, or when kept is the
// whole horizon.
func PeopleUnkept(cfg sim.Config, kept sim.Time) string {
	if cfg.Traffic.Users == nil || kept <= 0 || kept == cfg.Horizon {
		return ""
	}
	long := func(w sim.Time) bool { return w <= 0 || w > kept/minPeopleWindows }
	for _, b := range cfg.Bidders {
		if c := b.FrequencyCap; c != nil && long(c.Per) {
			return b.Name + "'s frequency cap (" + c.String() + ")"
		}
		if o := b.Outcome; o != nil && long(o.ConversionPeriod) {
			if o.ConversionPeriod <= 0 {
				return b.Name + "'s conversion period (once a person per run)"
			}
			return b.Name + "'s conversion period (once a person per " + o.ConversionPeriod.Window() + ")"
		}
	}
	return ""
}
