package experiment

import (
	"math"
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
// binds. None when factor is 1. A daily budget is not scaled (it caps
// each day, however long the run), and a bidder with one alone has no
// total to scale.
func ScaledBudgets(cfg sim.Config, factor float64) [][2]string {
	if factor == 1 {
		return nil
	}
	var out [][2]string
	for _, b := range cfg.Bidders {
		if b.Budget == nil || b.Budget.Daily > 0 && b.Budget.Total == 0 {
			continue
		}
		cents := math.Round(b.Budget.Total.Float() * factor * 100)
		if b.Budget.Daily > 0 {
			// A total of 0 beside a daily budget would mean no total cap.
			cents = max(cents, 1)
		}
		out = append(out, [2]string{"bidders." + b.Name + ".budget.total", strconv.FormatFloat(cents/100, 'f', -1, 64)})
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
