package scenarios

import (
	"slices"

	"github.com/auctionsim/auctionsim/sim"
)

// Pick is how a command picks the scenario it runs: a bundled name or a
// file, the overrides to apply (--set), a seed (nil: the scenario's) and
// whether to drop its script (--no-script).
type Pick struct {
	Name     string
	Sets     []Set
	Seed     *uint64
	NoScript bool
	// StopApart says the stop is given apart (--auctions, --duration)
	// and replaces the file's (Scenario.WithStop), which is then not
	// checked against the traffic: --set traffic.qps=0.001 --duration
	// 8760h is refused or not by the stop that runs, not by the file's.
	StopApart bool
	// ApartDuration is the duration given apart (--duration), 0 for
	// none: the file's script steps after both its own stop and this
	// are refused, as an experiment's are (its stop a set).
	ApartDuration sim.Time

	// file and data are the scenario's text once Read: Resolve then
	// reads nothing again.
	file string
	data []byte
	read bool
}

// Read is p with its scenario's text read (ReadSource), so that Resolve,
// however often it is called (a shortened run resolves again, with its
// budgets scaled), reads the file once: a named pipe gives its text once,
// and a second read would wait for a writer that never comes. The read
// may block (a pipe with no writer yet); the caller may run it where a
// signal can end the wait.
func (p Pick) Read() (Pick, error) {
	file, data, err := ReadSource(p.Name)
	if err != nil {
		return p, err
	}
	p.file, p.data, p.read = file, data, true
	return p, nil
}

// Resolve resolves p: with overrides, the scenario's YAML is the
// effective text. Once p is Read, it parses the text read.
func (p Pick) Resolve() (*Scenario, error) {
	var (
		sc  *Scenario
		err error
	)
	if p.StopApart && !p.read {
		if p, err = p.Read(); err != nil {
			return nil, err
		}
	}
	if p.read {
		sets := p.Sets
		if p.NoScript {
			// As the experiments take --no-script (script: []): the
			// file's steps past its stop, left out, are not refused.
			sets = append(slices.Clip(sets), Set{Path: "script", Value: "[]", Flag: "--no-script"})
		}
		sc, _, err = resolveTextWith(p.Name, p.file, p.data, sets, p.StopApart)
		if err == nil && p.StopApart && !p.NoScript {
			err = refuseDeadSteps(p.file, p.data, p.Sets, true, p.ApartDuration)
		}
	} else if len(p.Sets) > 0 {
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

// Text is a scenario's YAML read once (ReadText), with the name its
// messages use: a command that resolves it again and again (an
// experiment, for each of its points with their overrides) parses the
// bytes read rather than read the file again, so that a named pipe or
// /dev/stdin, whose text comes once, serves it as a file does.
type Text struct {
	Name string // as given: a bundled name or a path
	file string // the name its messages use: "budget-split.yaml", the path
	data []byte
}

// ReadText reads nameOrPath's text (ReadSource). The read may block (a
// pipe with no writer yet); the caller may run it where a signal can end
// the wait.
func ReadText(nameOrPath string) (Text, error) {
	file, data, err := ReadSource(nameOrPath)
	if err != nil {
		return Text{}, err
	}
	return Text{Name: nameOrPath, file: file, data: data}, nil
}

// Text is p's scenario text once p is Read (false before): what the
// experiments read with ReadText, for a single run's checks of its text.
func (p Pick) Text() (Text, bool) {
	if !p.read {
		return Text{}, false
	}
	return Text{Name: p.Name, file: p.file, data: p.data}, true
}

// File is the name t's messages use for its file: "timeout-story.yaml"
// for a bundled scenario, else the path given.
func (t Text) File() string { return t.file }

// Resolve parses t's text with sets applied in order (as ResolveWith
// does the file's): the scenario and its effective YAML, errors naming
// t's file, line and field.
func (t Text) Resolve(sets []Set) (*Scenario, []byte, error) {
	return resolveText(t.Name, t.file, t.data, sets)
}

// ResolveStopApart is Resolve for a scenario whose stop is given apart
// (Pick.StopApart): the stop sets replace, once run, is not checked
// against the traffic; its horizon is the whole run's, that a
// shortened run's budgets are scaled from.
func (t Text) ResolveStopApart(sets []Set) (*Scenario, []byte, error) {
	return resolveTextWith(t.Name, t.file, t.data, sets, true)
}
