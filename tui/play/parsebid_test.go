package play

import (
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
)

// A bid is a plain decimal amount: the other notations strconv.ParseFloat
// reads (hexadecimal, exponents, underscores, infinities) are refused
// with the usual message, in play and in a classroom seat alike (both
// read the field through ParseBid).
func TestParseBidPlainDecimals(t *testing.T) {
	for in, want := range map[string]float64{
		"0.42": 0.42, "0,42": 0.42, ".5": 0.5, "3.": 3, "7": 7, "+0.25": 0.25, " 0.25 ": 0.25, "000.250": 0.25,
	} {
		got, err := ParseBid(in)
		if err != nil || got != sim.PriceOf(want) {
			t.Errorf("%q: %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{
		"0x1p-2", "0X1P-2", "0x10", "1e3", "1E3", "2.5e-1", "Inf", "+Inf", "-inf", "infinity", "NaN",
		"1_000", "0_5", "0.2.5", ".", "+", "-", "++1", "+-1", "0.5%", "½", "٣", "1,000.5", "0b1", "0o7",
	} {
		if got, err := ParseBid(in); err == nil || !strings.Contains(err.Error(), "is not a bid") {
			t.Errorf("%q: read as %v (%v), want it refused as not a bid", in, got, err)
		}
	}
	// A negative decimal keeps its own message.
	if _, err := ParseBid("-0.5"); err == nil || !strings.Contains(err.Error(), "cannot be negative") {
		t.Errorf("-0.5: %v", err)
	}
}
