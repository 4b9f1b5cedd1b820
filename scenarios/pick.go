package scenarios

// Pick is how a command picks the scenario it runs: a bundled name or a
// file, the overrides to apply (--set), a seed (nil: the scenario's) and
// whether to drop its script (--no-script).
type Pick struct {
	Name     string
	Sets     []Set
	Seed     *uint64
	NoScript bool
}

// Resolve resolves p: with overrides, the scenario's YAML is the
// effective text.
func (p Pick) Resolve() (*Scenario, error) {
	var (
		sc  *Scenario
		err error
	)
	if len(p.Sets) > 0 {
		sc, _, err = ResolveWith(p.Name, p.Sets)
	} else {
		sc, err = Resolve(p.Name)
	}
	if err != nil {
		return nil, err
	}
	if p.Seed != nil {
		sc = sc.WithSeed(*p.Seed)
	}
	if p.NoScript {
		sc = sc.WithoutScript()
	}
	return sc, nil
}
