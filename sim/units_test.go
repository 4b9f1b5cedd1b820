package sim

import (
	"testing"

	"pgregory.net/rapid"
)

// priceOf, the hot path's conversion, agrees with PriceOf on every amount
// a distribution can produce.
func TestPriceOfMatches(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		x := rapid.OneOf(rapid.Float64Range(0, 10), rapid.Float64Range(0, 1e9)).Draw(t, "cpm")
		if priceOf(x) != PriceOf(x) {
			t.Fatalf("priceOf(%v) = %d, PriceOf = %d", x, priceOf(x), PriceOf(x))
		}
	})
	if priceOf(1e300) != PriceOf(1e300) {
		t.Fatal("saturation differs")
	}
}
