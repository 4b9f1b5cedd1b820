package scenarios

import (
	"fmt"
	"io/fs"
	"os"
)

// Pick is how a command picks the scenario it runs: a bundled name or a
// file, the overrides to apply (--set), a seed (nil: the scenario's) and
// whether to drop its script (--no-script).
type Pick struct {
	Name     string
	Sets     []Set
	Seed     *uint64
	NoScript bool

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
	if p.read {
		sc, _, err = resolveText(p.Name, p.file, p.data, p.Sets)
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

// Rereadable refuses nameOrPath when it names a file that is not a
// regular one (a named pipe, a device such as /dev/stdin): its text can
// be read once, and who (a command that reads its scenario again, as an
// experiment does for every point it runs) would wait forever for the
// second. nil for a bundled name, a regular file, or a name that is
// neither (resolving it says so).
func Rereadable(nameOrPath, who string) error {
	if !looksLikePath(nameOrPath) && isBundled(nameOrPath) {
		return nil
	}
	fi, err := os.Stat(nameOrPath)
	if err != nil || fi.Mode().IsRegular() {
		return nil
	}
	kind := "not a regular file"
	switch {
	case fi.Mode()&fs.ModeNamedPipe != 0:
		kind = "a named pipe"
	case fi.IsDir():
		return nil // reading it says it is a directory
	case fi.Mode()&fs.ModeDevice != 0:
		kind = "a device"
	}
	return fmt.Errorf("%s is %s, whose text can be read once, and %s reads its scenario again for every run it plans: save the scenario to a file and give that", nameOrPath, kind, who)
}
