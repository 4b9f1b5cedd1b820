package report

// The experiments' specs as their commands build them from scenarios and
// overrides: compare's (a variant scenario or changes and moves, or
// named variants) and sweep's grid.

import (
	"fmt"
	"slices"
	"strings"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim/experiment"
)

// LoadError is a scenario that does not resolve; Err is the scenario's
// own error (scenarios.Errors, each naming file, line and field).
type LoadError struct{ Err error }

func (e LoadError) Error() string { return e.Err.Error() }
func (e LoadError) Unwrap() error { return e.Err }

// InputsOf is sc's file, if it came from one, for the output guard.
func InputsOf(sc *scenarios.Scenario) []string {
	if strings.HasPrefix(sc.Source, "bundled:") || sc.Source == "" {
		return nil
	}
	return []string{sc.Source}
}

// resolveScaled is ResolveScaled, its error a LoadError.
func resolveScaled(src scenarios.Text, sets []scenarios.Set, f float64) (experiment.PointSpec, *scenarios.Scenario, error) {
	p, sc, _, err := ResolveScaled(src, sets, f)
	if err != nil {
		return p, nil, LoadError{err}
	}
	return p, sc, nil
}

// CompareSpec is compare's experiment: base with sets against variant
// (another scenario, or base) with sets, changes and the budget moves
// of moves (moveSets); every budget, changed or moved ones too, scaled
// by scale. Reps and Metrics are the caller's. It returns base's
// scenario with it.
func CompareSpec(base, variant scenarios.Text, sets, changes []scenarios.Set, moves []string, scale float64) (*experiment.Spec, *scenarios.Scenario, error) {
	bp, bsc, err := resolveScaled(base, sets, scale)
	if err != nil {
		return nil, nil, err
	}
	vp, vsc, err := resolveScaled(variant, append(slices.Clone(sets), changes...), 1)
	if err != nil {
		return nil, nil, err
	}
	if len(moves) > 0 {
		moved, err := moveSets(vsc, moves)
		if err != nil {
			return nil, nil, err
		}
		changes = append(slices.Clone(changes), moved...)
	}
	// The variant's budgets, changed or moved, are scaled as the base's.
	if vp, vsc, err = resolveScaled(variant, append(slices.Clone(sets), changes...), scale); err != nil {
		return nil, nil, err
	}
	if bp.Name == vp.Name && base.Name != variant.Name {
		// Two files with one name: each side is told by its file.
		bp.Name, vp.Name = bp.Name+" ("+base.Name+")", vp.Name+" ("+variant.Name+")"
	}
	return &experiment.Spec{
		Command: "compare", Scenario: bsc.Name, Seed: bsc.Config.Seed,
		Sets: scenarios.SetStrings(sets), Changes: scenarios.SetStrings(changes), Points: []experiment.PointSpec{bp, vp},
		Inputs: append(InputsOf(bsc), InputsOf(vsc)...),
	}, bsc, nil
}

// VariantsSpec is compare --variant's experiment: each named variant of
// base (NAME:PATH=VALUE,..., scenarios.ParseVariant) paired against base
// with sets, every budget scaled by scale. Reps and Metrics are the
// caller's. It returns base's scenario with it.
func VariantsSpec(base scenarios.Text, sets []scenarios.Set, variants []string, scale float64) (*experiment.Spec, *scenarios.Scenario, error) {
	bp, bsc, err := resolveScaled(base, sets, scale)
	if err != nil {
		return nil, nil, err
	}
	pts := []experiment.PointSpec{bp}
	seen := map[string]bool{}
	for _, text := range variants {
		name, changes, err := scenarios.ParseVariant(text)
		if err != nil {
			return nil, nil, err
		}
		if seen[name] {
			return nil, nil, fmt.Errorf("--variant %s: a second variant of that name", name)
		}
		seen[name] = true
		if err := repeatedPath(changes); err != nil {
			return nil, nil, fmt.Errorf("--variant %s: %w", name, err)
		}
		p, _, err := resolveScaled(base, append(slices.Clone(sets), changes...), scale)
		if err != nil {
			return nil, nil, err
		}
		p.Variant, p.Changes = name, scenarios.SetStrings(changes)
		pts = append(pts, p)
	}
	return &experiment.Spec{Command: "compare", Scenario: bsc.Name, Seed: bsc.Config.Seed,
		Sets: scenarios.SetStrings(sets), Points: pts, Inputs: InputsOf(bsc)}, bsc, nil
}

// SweepSpec is sweep's experiment: src with sets at every point of the
// grid of vary, every budget (a varied one too) scaled by scale, the
// metrics checked against the first point. Reps is the caller's.
func SweepSpec(src scenarios.Text, sets []scenarios.Set, vary []experiment.Vary, metrics []string, scale float64) (*experiment.Spec, error) {
	spec := &experiment.Spec{Command: "sweep", Seed: 0, Sets: scenarios.SetStrings(sets), Vary: vary, Metrics: metrics}
	grid, err := experiment.Grid(vary)
	if err != nil {
		return nil, err
	}
	var points []experiment.Point
	for p, values := range grid {
		ps := slices.Clone(sets)
		for j, v := range vary {
			ps = append(ps, scenarios.Set{Path: v.Path, Value: values[j], Flag: "--vary"})
		}
		pt, sc, err := resolveScaled(src, ps, scale)
		if err != nil {
			return nil, err
		}
		if p == 0 {
			spec.Scenario, spec.Seed = sc.Name, sc.Config.Seed
			spec.Inputs = InputsOf(sc)
		}
		points = append(points, PointOf(sc))
		pt.Values = values
		spec.Points = append(spec.Points, pt)
	}
	if err := checkSweepMetrics(points, metrics); err != nil {
		return nil, fmt.Errorf("--metrics: %w", err)
	}
	return spec, nil
}

// checkSweepMetrics refuses a metric that no point of a sweep has (with
// the first point's did-you-mean), and takes one that some point has: a
// point that lacks it shows "–", as where its value is undefined. Checked
// against the first point alone, a sweep of first-vs-second's strategies
// took theory.bidders.ada.win_rate with {kind: truthful} first and
// refused it ("not a metric of first-vs-second") with the equilibrium
// first, whose bidders have no closed form of their own.
func checkSweepMetrics(points []experiment.Point, metrics []string) error {
	first := experiment.CheckMetrics(points[0], metrics...)
	if first == nil {
		return nil
	}
	names := make([][]string, len(points))
	for _, m := range metrics {
		found := false
		for i, p := range points {
			if names[i] == nil {
				n, err := experiment.MetricNames(p)
				if err != nil {
					return err
				}
				names[i] = n
			}
			if _, found = slices.BinarySearch(names[i], m); found {
				break
			}
		}
		if !found {
			return experiment.CheckMetrics(points[0], m)
		}
	}
	return nil
}

// MetricsView is the compare table's view of --metrics (text: M1,M2):
// each name checked against p's metrics, with a did-you-mean.
func MetricsView(p experiment.Point, text string) (CompareView, error) {
	if strings.TrimSpace(text) == "" {
		return CompareView{}, nil
	}
	names, err := metricList(text)
	if err != nil {
		return CompareView{}, err
	}
	if err := experiment.CheckMetrics(p, names...); err != nil {
		return CompareView{}, fmt.Errorf("--metrics: %w", err)
	}
	return CompareView{Metrics: names}, nil
}

// metricList is the names of --metrics (text: M1,M2), blanks dropped. A
// name given twice is refused, as --vary refuses a value twice: the
// tables would show its row twice, and the JSON, a map, once.
func metricList(text string) ([]string, error) {
	var names []string
	for _, m := range strings.Split(text, ",") {
		if m = strings.TrimSpace(m); m == "" {
			continue
		} else if slices.Contains(names, m) {
			return nil, Optionf("--metrics", "--metrics %s: the metric %s twice in the list", text, m)
		}
		names = append(names, m)
	}
	return names, nil
}
