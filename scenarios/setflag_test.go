package scenarios

import (
	"flag"
	"strings"
	"testing"
)

// TestSetFlag checks a repeatable --change: each PATH=VALUE kept in
// order, written back as given, and a malformed one refused naming the
// flag.
func TestSetFlag(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	f := SetFlag{Flag: "--change"}
	fs.Var(&f, "change", "")
	if err := fs.Parse([]string{"--change", "exchange.tmax=80ms", "--change", "exchange.floor=0.3"}); err != nil {
		t.Fatal(err)
	}
	if len(f.List) != 2 || f.List[1].Flag != "--change" || f.String() != "exchange.tmax=80ms exchange.floor=0.3" {
		t.Errorf("list %+v, %q", f.List, f.String())
	}
	if err := f.Set("exchange.tmax"); err == nil || !strings.HasPrefix(err.Error(), "--change exchange.tmax: want PATH=VALUE") {
		t.Errorf("malformed: %v", err)
	}
}
