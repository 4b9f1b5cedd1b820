package report

import (
	"fmt"
	"strings"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/scenarios"
)

// ScriptOverrides are warnings, one a path, for the paths an experiment
// varies (flag: "--vary", or "--change" for compare's variant) that the
// script of the scenario src (with sets) sets again during the run:
// from that change on every run has the script's value, whatever the
// flag gave, so the points differ only before it (a sweep of
// timeout-story's exchange.tmax, which its script sets to 350ms at
// 1m0s). A path matches a script's when either is the other or a part
// of it, bidders.* matching every bidder; without is the command's way to
// leave the script out ("--no-script"). None when the scenario does not
// resolve (the experiment says why) or has no script.
func ScriptOverrides(src scenarios.Text, sets []scenarios.Set, flag string, paths []string, without string) []string {
	sc, _, err := src.Resolve(sets)
	if err != nil || len(sc.Config.Script) == 0 {
		return nil
	}
	var out []string
	said := map[string]bool{}
	for _, p := range paths {
		for _, step := range sc.Config.Script {
			if step.At <= 0 {
				continue // the world the run starts in, which the flag changes
			}
			for _, c := range step.Changes {
				as, ok := scenarios.Assignments(c)
				if !ok {
					continue
				}
				for _, a := range as {
					if said[p] || !pathsOverlap(p, a.Path) {
						continue
					}
					said[p] = true
					out = append(out, fmt.Sprintf("%s's script sets %s=%s at %s: from then on every run has the script's, whatever %s %s gives (%s leaves the script out)",
						sc.Name, a.Path, a.Value, format.Duration(step.At), flag, p, without))
				}
			}
		}
	}
	return out
}

// pathsOverlap reports whether setting one of the paths a and b changes
// what the other names: one is the other or a part of it, segment by
// segment, "*" (every bidder) matching any segment.
func pathsOverlap(a, b string) bool {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := range min(len(as), len(bs)) {
		if as[i] != bs[i] && as[i] != "*" && bs[i] != "*" {
			return false
		}
	}
	return true
}
