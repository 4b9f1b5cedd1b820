package scenarios

import (
	"fmt"
	"strings"
)

// ParseVariant reads a named variant, NAME:PATH=VALUE[,PATH=VALUE...]
// (compare --variant): a piece without "=" belongs to the value before
// it (a flow list's commas). A variant may not change the seed: every
// variant runs with the same replication seeds.
func ParseVariant(text string) (string, []Set, error) {
	name, rest, ok := strings.Cut(text, ":")
	name = strings.TrimSpace(name)
	if !ok || name == "" || strings.Contains(name, "=") || strings.TrimSpace(rest) == "" {
		return "", nil, fmt.Errorf("--variant %s: want NAME:PATH=VALUE[,PATH=VALUE...], such as cut:exchange.tmax=80ms", text)
	}
	var pieces []string
	for _, p := range strings.Split(rest, ",") {
		if len(pieces) > 0 && !strings.Contains(p, "=") {
			pieces[len(pieces)-1] += "," + p
			continue
		}
		pieces = append(pieces, p)
	}
	var sets []Set
	for _, p := range pieces {
		s, err := ParseSet("--variant "+name+":", strings.TrimSpace(p))
		if err != nil {
			return "", nil, err
		}
		if s.Path == "seed" {
			return "", nil, fmt.Errorf("--variant %s: seed=...: every variant runs with the same replication seeds by design; give --seed to change them", name)
		}
		sets = append(sets, s)
	}
	return name, sets, nil
}
