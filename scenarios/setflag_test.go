package scenarios

import (
	"flag"
	"strings"
	"testing"
	"time"
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

// TestStopSet checks the stop override of --auctions and --duration, and
// that it resolves to that stop.
func TestStopSet(t *testing.T) {
	for _, c := range []struct {
		auctions uint64
		duration time.Duration
		want     string
	}{{5000, 0, "{auctions: 5000}"}, {0, 90 * time.Second, "{duration: 1m30s}"}, {7, time.Minute, "{auctions: 7, duration: 1m0s}"}} {
		s := StopSet(c.auctions, c.duration)
		if s.Path != "stop" || s.Value != c.want {
			t.Errorf("%d, %v: %+v", c.auctions, c.duration, s)
		}
		sc, _, err := ResolveWith("timeout-demo", []Set{s})
		if err != nil || sc.Stop.Auctions != c.auctions || sc.Stop.Duration.Duration() != c.duration {
			t.Errorf("%s resolves to %+v, %v", s.Value, sc.Stop, err)
		}
	}
}
