package main

import (
	"strings"
	"testing"
)

// TestOptionsSayWhatToWrite checks the options that used to do something
// else quietly or say only "parse error": a path varied twice is refused;
// counts written as a scenario file may write them (1e4, 1_000) are
// accepted where whole, and refused with what to write otherwise; a
// duration without a unit says it needs one.
func TestOptionsSayWhatToWrite(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"sweep", "-s", "reserve-price", "--vary", "exchange.floor=0.1", "--vary", "exchange.floor=0.2"}, "exchange.floor is already varied; give all its values in one list"},
		{[]string{"run", "--auctions", "x"}, `"x" is not a count: want a whole number, like 1000000 or 1e6`},
		{[]string{"run", "--auctions", "1.5"}, `"1.5" is not a whole number`},
		{[]string{"run", "--auctions", "1e30"}, `is above 18446744073709551615`},
		// Below 0 is refused as 0 is, not as "below 0", which would
		// suggest 0 will do; so is a negative --openrtb.
		{[]string{"run", "--auctions", "-1"}, `invalid value "-1" for flag --auctions: must be > 0`},
		{[]string{"run", "--auctions", "-1e400"}, `invalid value "-1e400" for flag --auctions: must be > 0`},
		{[]string{"run", "--auctions", "0"}, `--auctions must be > 0`},
		{[]string{"sweep", "-s", "reserve-price", "--vary", "exchange.floor=0.1,0.2", "--auctions", "-5"}, `for flag --auctions: must be > 0`},
		{[]string{"split", "-s", "budget-split", "--group", "acme", "--auctions", "-5"}, `for flag --auctions: must be > 0`},
		{[]string{"run", "--openrtb", "-3"}, `invalid value "-3" for flag --openrtb: must be > 0`},
		// Past 2⁶⁴−1: refused naming the flag, not rounded to 2⁶³.
		{[]string{"run", "--auctions", "18446744073709551616"}, `invalid value "18446744073709551616" for flag --auctions: "18446744073709551616" is above 18446744073709551615`},
		{[]string{"run", "--reps", "9223372036854775808"}, `for flag --reps: "9223372036854775808" is above 9223372036854775807`},
		{[]string{"run", "--reps", "two"}, `"two" is not a count`},
		{[]string{"run", "--duration", "30"}, `"30" has no unit: a duration needs one, like 30s`},
		{[]string{"run", "--duration", "3x"}, `"3x" is not a duration: want a number and a unit`},
		{[]string{"serve", "--ssh", ":0", "--round", "30"}, `"30" has no unit`},
		{[]string{"play", "--countdown", "10"}, `"10" has no unit`},
		// The wire's and the classroom's server flags, which said only
		// "parse error".
		{[]string{"bidders", "--for", "30"}, `"30" has no unit`},
		{[]string{"bidders", "--drain", "5"}, `"5" has no unit`},
		{[]string{"bidders", "--notice-wait", "2"}, `"2" has no unit`},
		{[]string{"run", "--endpoints", "http://127.0.0.1:9", "--late-grace", "5"}, `"5" has no unit`},
		{[]string{"loadgen", "--target", "http://127.0.0.1:9", "--tmax", "100"}, `"100" has no unit`},
		{[]string{"loadgen", "--target", "http://127.0.0.1:9", "--timeout", "60"}, `"60" has no unit`},
		{[]string{"loadgen", "--target", "http://127.0.0.1:9", "--count", "lots"}, `"lots" is not a count`},
		// A rate past a float64 is refused as one past the range is,
		// naming the flag and its range, not "value out of range".
		{[]string{"loadgen", "--target", "http://127.0.0.1:9", "--rate", "1e309"}, `--rate must be > 0 and at most 1000000`},
		{[]string{"loadgen", "--target", "http://127.0.0.1:9", "--rate", "-1e309"}, `--rate must be > 0 and at most 1000000`},
		{[]string{"loadgen", "--target", "http://127.0.0.1:9", "--rate", "1e-400"}, `--rate must be > 0 and at most 1000000`},
		{[]string{"loadgen", "--target", "http://127.0.0.1:9", "--rate", "fast"}, `invalid value "fast" for flag --rate: "fast" is not a number: want one like 3000`},
		{[]string{"serve", "--ssh", ":0", "--handshake-timeout", "10"}, `"10" has no unit`},
		{[]string{"serve", "--ssh", ":0", "--max-conns", "1.5"}, `"1.5" is not a whole number`},
	} {
		r := inProcess(c.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, c.want) || strings.Contains(r.stderr, "parse error") || strings.Contains(r.stderr, "out of range") {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", c.args, r.code, r.stderr, c.want)
		}
	}
	// Whole counts in a scenario file's notation run as the plain ones.
	plain := inProcess("run", "-s", "classroom-vickrey", "--auctions", "1500", "--json")
	for _, n := range []string{"1.5e3", "1_500", "15e2"} {
		r := inProcess("run", "-s", "classroom-vickrey", "--auctions", n, "--json")
		if r.code != exitOK || stripWall(r.stdout) != stripWall(plain.stdout) {
			t.Errorf("--auctions %s: exit %d, stderr %q, or another run than --auctions 1500", n, r.code, r.stderr)
		}
	}
	if r := inProcess("run", "-s", "classroom-vickrey", "--reps", "1e1", "--auctions", "100", "--workers", "2"); r.code != exitOK {
		t.Errorf("--reps 1e1: exit %d: %s", r.code, r.stderr)
	}
}
