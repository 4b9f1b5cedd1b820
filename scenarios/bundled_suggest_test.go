package scenarios

import (
	"strings"
	"testing"
)

// TestUnknownBundledSuggests: a typo of a bundled name (scenarios show,
// -s) is told the name it is a typo of, as a field's or a flag's is; a
// name close to none still lists them all.
func TestUnknownBundledSuggests(t *testing.T) {
	for _, load := range []func(string) error{
		func(n string) error { _, err := Source(n); return err },
		func(n string) error { _, err := Resolve(n); return err },
	} {
		if err := load("budget-splt"); err == nil || !strings.HasSuffix(err.Error(), `named "budget-splt"; did you mean budget-split?`) {
			t.Errorf("a typo: %v", err)
		}
		if err := load("nosuchworld"); err == nil || !strings.Contains(err.Error(), "(bundled: classroom-vickrey, ") {
			t.Errorf("no close name: %v, want the list", err)
		}
	}
}
