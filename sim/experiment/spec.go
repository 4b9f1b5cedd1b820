package experiment

// Spec describes an experiment completely: the effective YAML of every
// point, the seed and the replications. Shards carry it, so that a merge
// can build the output without the original files, and its fingerprint
// tells shards of different experiments apart. Its JSON is part of the
// shard format: fields are added, never renamed.
type Spec struct {
	Command  string      `json:"command"` // run, compare or sweep
	Scenario string      `json:"scenario"`
	Seed     uint64      `json:"seed"`
	Reps     int         `json:"replications"`
	Sets     []string    `json:"set,omitempty"`
	Changes  []string    `json:"changes,omitempty"` // compare --change
	Vary     []Vary      `json:"vary,omitempty"`    // sweep
	Metrics  []string    `json:"metrics,omitempty"` // sweep: the metrics reported; compare: the headline metric
	Points   []PointSpec `json:"points"`
	// Inputs are the files the experiment reads (scenario files), which
	// no output may overwrite; not part of the description.
	Inputs []string `json:"-"`
	// Build identifies the binary (its VCS revision), so that shards run
	// by different versions of the engine are not merged.
	Build string `json:"build,omitempty"`
}

// PointSpec is one configuration of the grid, as text.
type PointSpec struct {
	Name   string   `json:"name"`             // the scenario's name
	YAML   string   `json:"yaml"`             // effective YAML, overrides applied
	Values []string `json:"values,omitempty"` // sweep: the varied values, in Vary's order
	// Variant and Changes name a compare --variant point and its changes.
	Variant string   `json:"variant,omitempty"`
	Changes []string `json:"changes,omitempty"`
}

// Vary is one varied parameter of a sweep: a path of the scenario file
// and its values, as text.
type Vary struct {
	Path   string   `json:"path"`
	Values []string `json:"values"`
}

// Paired reports whether the spec's points are compared in pairs against
// the first (compare).
func (s *Spec) Paired() bool { return s.Command == "compare" }

// KeepsValues reports whether the spec's replications keep every value
// (Agg.KeepValues): a sweep's points are compared paired afterwards, its
// highest against the others (NewSweepResult), and so are compare's
// variants when there are two or more (NewComparison), whether run or
// merged.
func (s *Spec) KeepsValues() bool {
	return s.Command == "sweep" || s.Command == "compare" && len(s.Points) > 2
}
