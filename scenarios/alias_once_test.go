package scenarios

import (
	"errors"
	"strings"
	"testing"
)

// TestAliasToNoAnchorOnce checks that a field whose value is an alias to
// no anchor gets that error alone, in a --set and in a file: before, it
// was also called missing ("is required"), above the real error.
func TestAliasToNoAnchorOnce(t *testing.T) {
	one := func(what string, err error) {
		t.Helper()
		var list Errors
		if !errors.As(err, &list) || len(list) != 1 || !strings.Contains(list[0].Msg, "alias *x refers to no anchor") {
			t.Errorf("%s: %v; want the alias's error alone", what, err)
		}
	}
	for _, path := range []string{"exchange.tmax", "exchange", "traffic.qps", "bidders", "bidders.ada.name",
		"bidders.ada.value", "bidders.ada.value.dist", "bidders.ada.value.max"} {
		_, _, err := ResolveWith("classroom-vickrey", sets(t, path+"=*x"))
		one("--set "+path+"=*x", err)
	}
	_, err := Parse("alias.yaml", []byte(`name: alias
stop: {auctions: 100}
traffic: {qps: 1000}
exchange: {tmax: *x}
bidders:
  - {name: a, value: {dist: *x, min: 0, max: 1}}
`))
	var list Errors
	if !errors.As(err, &list) || len(list) != 2 || strings.Contains(err.Error(), "is required") {
		t.Errorf("a file with two aliases to no anchor: %v; want their 2 errors, nothing required", err)
	}
}
