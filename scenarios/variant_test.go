package scenarios

import (
	"strings"
	"testing"
)

// TestParseVariant checks a named variant's changes, a flow list's
// commas kept in its value, and the forms refused.
func TestParseVariant(t *testing.T) {
	name, sets, err := ParseVariant("a:exchange.tmax=80ms, bidders.x.value={dist: constant, value: 2},exchange.floor=0.2")
	if err != nil || name != "a" || len(sets) != 3 {
		t.Fatalf("%q %v %v", name, sets, err)
	}
	if sets[1].Value != "{dist: constant, value: 2}" || sets[2].Path != "exchange.floor" || sets[0].Flag != "--variant a:" {
		t.Errorf("sets %+v", sets)
	}
	for text, want := range map[string]string{
		"bad":                  "want NAME:PATH=VALUE",
		":exchange.tmax=80ms":  "want NAME:PATH=VALUE",
		"a=b:exchange.floor=1": "want NAME:PATH=VALUE",
		"a:":                   "want NAME:PATH=VALUE",
		"a:seed=3":             "every variant runs with the same replication seeds",
		"a:exchange.floor":     "want PATH=VALUE",
	} {
		if _, _, err := ParseVariant(text); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v; want %q", text, err, want)
		}
	}
}
