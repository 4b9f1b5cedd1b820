package report

import (
	"fmt"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim/experiment"
)

// VaryList collects sweep's --vary, a flag.Value: each a field and its
// values (experiment.ParseVary).
type VaryList []experiment.Vary

func (v *VaryList) String() string { return "" }

// Set adds a --vary, refusing a path already varied.
func (v *VaryList) Set(text string) error {
	vy, err := experiment.ParseVary(text)
	if err != nil {
		return err
	}
	for _, prev := range *v {
		// Two lists for one path would run only the last: refuse, rather
		// than show values that are not run.
		if prev.Path == vy.Path {
			return fmt.Errorf("--vary %s: %s is already varied; give all its values in one list, like --vary %s=V1,V2,V3", text, vy.Path, vy.Path)
		}
	}
	*v = append(*v, vy)
	return nil
}

// Repeatable marks VaryList as a flag that collects every value given
// (the command line's flag machinery lets it repeat).
func (*VaryList) Repeatable() {}

// SweepOptions are sweep's own options, as its flags give them.
type SweepOptions struct {
	Vary    VaryList
	Metrics string // M1,M2,...
}

// Check refuses no --vary, a varied seed, a varied stop beside the
// experiment's --auctions or --duration (exp, checked already; nil: none
// given), a grid past experiment.MaxPoints and no metric; names are the
// metrics.
func (o *SweepOptions) Check(exp *ExpOptions) (names []string, err error) {
	if len(o.Vary) == 0 {
		return nil, Optionf("--vary", "give at least one --vary PATH=V1,V2,... or PATH=LO..HI:STEP")
	}
	points := 1
	for _, v := range o.Vary {
		if v.Path == "seed" {
			return nil, Optionf("--vary", "--vary seed=...: every point runs with the same replication seeds by design; give --seed or more --reps")
		}
		if err := exp.CheckStopVaried("--vary", []string{v.Path}); err != nil {
			return nil, err
		}
		points *= len(v.Values)
		if points > experiment.MaxPoints {
			return nil, Optionf("--vary", "the grid has more than %d points", experiment.MaxPoints)
		}
	}
	if names, err = metricList(o.Metrics); err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, Optionf("--metrics", "--metrics: give at least one metric")
	}
	return names, nil
}

// Spec is sweep's experiment of src (SweepSpec), reps replications a
// point.
func (o *SweepOptions) Spec(src scenarios.Text, sets []scenarios.Set, names []string, scale float64, reps int) (*experiment.Spec, error) {
	spec, err := SweepSpec(src, sets, o.Vary, names, scale)
	if err != nil {
		return nil, err
	}
	spec.Reps = reps
	return spec, nil
}
