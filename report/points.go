package report

// Scenarios as an experiment's points, as the experiment commands build
// them: resolved with their overrides, every budget scaled with the
// horizon a shortened run keeps, budget moves as overrides.

import (
	"fmt"
	"slices"
	"time"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
	"github.com/auctionsim/auctionsim/sim/experiment"
	"github.com/auctionsim/auctionsim/sim/experiment/split"
)

// PointOf is sc as an experiment's point.
func PointOf(sc *scenarios.Scenario) experiment.Point {
	return experiment.Point{Name: sc.Name, Config: sc.Config, Stop: sc.Stop}
}

// Points parses spec's points for the engine.
func Points(spec *experiment.Spec) ([]experiment.Point, error) {
	out := make([]experiment.Point, len(spec.Points))
	for i, p := range spec.Points {
		sc, err := scenarios.Parse(p.Name+".yaml", []byte(p.YAML))
		if err != nil {
			return nil, fmt.Errorf("point %d (%s): %w", i, p.Name, err)
		}
		out[i] = PointOf(sc)
	}
	return out, nil
}

// resolvePoint resolves a scenario's text (a bundled one's or a file's,
// read once) with overrides into a point; the error is the scenario's
// (scenarios.Text.Resolve), or its bidders on the wire refused
// (SimulatesEndpoints).
func resolvePoint(src scenarios.Text, sets []scenarios.Set) (experiment.PointSpec, *scenarios.Scenario, error) {
	sc, text, err := src.Resolve(sets)
	if err == nil {
		// An experiment simulates every bidder, which for one on the
		// wire would be the model's numbers passed off as its own.
		err = sc.SimulatesEndpoints("an experiment", ExperimentOnWire)
	}
	if err != nil {
		return experiment.PointSpec{}, nil, err
	}
	return experiment.PointSpec{Name: sc.Name, YAML: string(text)}, sc, nil
}

// ExperimentOnWire is how an experiment's refusal of a bidder on the
// wire says to call it instead (scenarios.Scenario.SimulatesEndpoints).
const ExperimentOnWire = "run the scenario once on the wire (auctionsim run, without --reps)"

// ResolveScaled is resolvePoint with every budget of the result scaled
// by f (see HorizonScale); the overrides it adds are returned with the
// point's.
func ResolveScaled(src scenarios.Text, sets []scenarios.Set, f float64) (experiment.PointSpec, *scenarios.Scenario, []scenarios.Set, error) {
	p, sc, err := resolvePoint(src, sets)
	if err != nil || f == 1 {
		return p, sc, sets, err
	}
	all := append(slices.Clone(sets), scaledBudgets(sc.Config, f, "--duration/--auctions")...)
	p, sc, err = resolvePoint(src, all)
	return p, sc, all, err
}

// scaledBudgets are experiment.ScaledBudgets as overrides, each
// credited to flag.
func scaledBudgets(cfg sim.Config, f float64, flag string) []scenarios.Set {
	var out []scenarios.Set
	for _, c := range experiment.ScaledBudgets(cfg, f) {
		out = append(out, scenarios.Set{Path: c[0], Value: c[1], Flag: flag})
	}
	return out
}

// Scale is the share of a scenario's horizon that a shortened run keeps,
// by which every budget is scaled so that budgets bind as in the whole
// run.
type Scale struct {
	Factor      float64 // 1: nothing is scaled
	Scenario    string
	Kept, Whole sim.Time // the horizons
	Budgets     bool     // the scenario has budgets to scale
	Daily       bool     // some of them are daily, which a day keeps whole
	// People names what of the scenario's people the run does not keep
	// (experiment.PeopleUnkept): a cap or conversion period over a window
	// not short beside the run, which binds otherwise than in the whole.
	People string
}

// HorizonScale is the share of src's horizon that the overrides short
// (whole's, and a nearer stop) keep against whole's.
func HorizonScale(src scenarios.Text, whole, short []scenarios.Set) (Scale, error) {
	// The whole run's stop is replaced by short's: its horizon is what
	// counts, and it is not refused for a rate the short run alone may
	// keep (--set traffic.qps=0.001 --duration 8760h).
	full, _, err := src.ResolveStopApart(whole)
	if err != nil {
		return Scale{}, err
	}
	kept, _, err := src.Resolve(short)
	if err != nil {
		return Scale{}, err
	}
	return scaleOf(full, kept.Config), nil
}

// scaleOf is the share of full's horizon that short (the same world with
// a nearer stop) keeps.
func scaleOf(full *scenarios.Scenario, short sim.Config) Scale {
	daily := slices.ContainsFunc(full.Config.Bidders, func(b sim.BidderConfig) bool { return b.Budget != nil && b.Budget.Daily > 0 })
	return Scale{Factor: experiment.HorizonFactor(full.Config, short), Scenario: full.Name, Kept: short.Horizon, Whole: full.Config.Horizon,
		Budgets: experiment.HasBudget(full.Config), Daily: daily, People: experiment.PeopleUnkept(full.Config, short.Horizon)}
}

// Said reports whether there is something to say: a shortened run of a
// world with budgets (nothing to scale, nothing to say; a budget a
// change adds is still scaled).
func (s Scale) Said() bool { return s.Factor != 1 && s.Budgets }

// Note says, for stderr, that budgets are scaled.
func (s Scale) Note() string {
	which := "every budget"
	if s.Daily {
		which = "every total budget (daily budgets stay whole: a day is still a day)"
	}
	if s.Factor > 1 {
		// A run past the horizon keeps no share of it: "keeps 2 of"
		// would say nothing. It lasts a multiple of it.
		return fmt.Sprintf("the run lasts %.4g× %s's horizon (%s for its %s): %s is scaled by %.4g, so that budgets bind as over the whole horizon (--no-scale keeps them)",
			s.Factor, s.Scenario, horizonText(s.Kept), horizonText(s.Whole), which, s.Factor) + s.peopleNote("more", "longer")
	}
	return fmt.Sprintf("the run keeps %.4g of %s's horizon (%s of %s): %s is scaled by %.4g, so that budgets bind as in the whole run (--no-scale keeps them)",
		s.Factor, s.Scenario, horizonText(s.Kept), horizonText(s.Whole), which, s.Factor) + s.peopleNote("fewer", "shorter")
}

// peopleNote says, after Note's words on budgets, that the people are not
// scaled with them (People), or nothing: a planner would otherwise take
// a capped member's spend in the shortened run for the whole run's.
func (s Scale) peopleNote(requests, run string) string {
	if s.People == "" {
		return ""
	}
	binds := "less"
	if requests == "more" {
		binds = "more"
	}
	return fmt.Sprintf("; but not as people are capped or convert: each person makes %s requests in the %s run, so %s binds %s than over the whole horizon", requests, run, s.People, binds)
}

// horizonText is a horizon for the note: to the second from a minute up
// (an estimate's nanoseconds say nothing), else to the millisecond.
func horizonText(t sim.Time) string {
	if t >= sim.Minute {
		return t.Duration().Round(time.Second).String()
	}
	return format.Duration(t)
}

// moveSets are compare's --move FROM:TO=AMOUNT texts as budget overrides
// of sc's bidders (split.MoveChanges: their sum kept to the cent).
func moveSets(sc *scenarios.Scenario, texts []string) ([]scenarios.Set, error) {
	var moves []split.Move
	for _, t := range texts {
		m, err := split.ParseMove(t)
		if err != nil {
			return nil, fmt.Errorf("--move %v", err)
		}
		moves = append(moves, m)
	}
	changes, err := split.MoveChanges(sc.Config, moves)
	if err != nil {
		return nil, fmt.Errorf("--move %v", err)
	}
	out := make([]scenarios.Set, len(changes))
	for i, c := range changes {
		out[i] = scenarios.Set{Path: c[0], Value: c[1], Flag: "--move"}
	}
	return out, nil
}

// Shorten is sc, as pick resolved it, stopped at stop for a single run.
// With scale, and when sc has a budget, every budget is scaled by the
// share of the horizon kept, as overrides added to pick's, so that an
// export's embedded scenario replays the same run; the Scale says by
// how much (Factor 1: nothing scaled). A pick that no longer resolves
// is a LoadError.
func Shorten(pick scenarios.Pick, sc *scenarios.Scenario, stop scenarios.Stop, scale bool) (*scenarios.Scenario, Scale, error) {
	short, err := sc.WithStop(stop)
	if err != nil {
		return nil, Scale{Factor: 1}, err
	}
	s := scaleOf(sc, short.Config)
	if s.Factor == 1 || !scale || !experiment.HasBudget(sc.Config) {
		return short, Scale{Factor: 1}, nil
	}
	pick.Sets = append(slices.Clone(pick.Sets), scaledBudgets(sc.Config, s.Factor, "--auctions/--duration")...)
	if sc, err = pick.Resolve(); err != nil {
		return nil, s, LoadError{err}
	}
	short, err = sc.WithStop(stop)
	return short, s, err
}
