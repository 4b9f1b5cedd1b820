package sim

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// Time is virtual time or a virtual duration in nanoseconds. It converts
// to and from time.Duration without loss.
type Time int64

// Common virtual durations.
const (
	Nanosecond  Time = 1
	Microsecond      = 1000 * Nanosecond
	Millisecond      = 1000 * Microsecond
	Second           = 1000 * Millisecond
	Minute           = 60 * Second
	Hour             = 60 * Minute
)

// Duration returns t as a time.Duration.
func (t Time) Duration() time.Duration { return time.Duration(t) }

// Seconds returns t in seconds.
func (t Time) Seconds() float64 { return float64(t) / float64(Second) }

// Milliseconds returns t in (fractional) milliseconds.
func (t Time) Milliseconds() float64 { return float64(t) / float64(Millisecond) }

// String formats t like a time.Duration ("1m30s", "120ms").
func (t Time) String() string { return time.Duration(t).String() }

// Window is t as a scenario writes a window of time, without its zero
// tails: "24h", "90s", "1m30s", "1h30m" (a frequency cap's per).
func (t Time) Window() string {
	s := t.String()
	for _, z := range []string{"0s", "0m"} {
		if u, ok := strings.CutSuffix(s, z); ok && u != "" && strings.ContainsAny(u[len(u)-1:], "hm") {
			s = u
		}
	}
	return s
}

// maxSample caps sampled durations at about 36 years of virtual time, so
// that a heavy-tailed draw can never overflow the clock.
const maxSample = Time(1) << 60

// timeOf converts a sampled duration in nanoseconds to Time, saturating
// instead of overflowing (a float too large for int64 converts to a
// negative number, which would schedule an event in the past).
func timeOf(ns float64) Time {
	if ns < float64(maxSample) {
		return Time(ns)
	}
	return maxSample
}

// EndOfTime is the end of virtual time, about 146 years in: time sums
// saturate there rather than wrap around. The engine schedules nothing
// after it: a run that reaches it has no more traffic or pacing, and its
// auctions and conversions in flight finish there.
const EndOfTime Time = math.MaxInt64 / 2

// addTime is t + d for d ≥ 0, saturating at EndOfTime.
func addTime(t, d Time) Time {
	if t > EndOfTime-d {
		return EndOfTime
	}
	return t + d
}

// FromDuration converts a time.Duration to virtual Time.
func FromDuration(d time.Duration) Time { return Time(d) }

// Price is a CPM price, bid, floor or value in micro-CPM: 1 CPM = 1e6.
// Prices are integers so that auctions compare exactly and spend adds up
// exactly.
type Price int64

// PriceUnit is one CPM in Price units.
const PriceUnit Price = 1_000_000

// MaxPrice is the largest Price, about 4.6e12 CPM: larger amounts
// saturate there. It is half the int64 range so that a price plus an
// increment, or a floor plus an increment, never overflows.
const MaxPrice Price = math.MaxInt64 / 2

// PriceOf converts a CPM amount to Price, rounding to the nearest micro-CPM.
// Negative and NaN amounts give 0; huge amounts saturate at MaxPrice.
func PriceOf(cpm float64) Price {
	switch {
	case !(cpm > 0): // also NaN
		return 0
	case cpm >= maxPriceCPM:
		return MaxPrice
	}
	return Price(math.Round(cpm * float64(PriceUnit)))
}

// priceOf converts a sampled CPM amount, never negative or NaN, to Price:
// PriceOf without its checks for what a Dist cannot produce, as it runs
// for every bid.
func priceOf(cpm float64) Price {
	if cpm < maxPriceCPM {
		return Price(cpm*float64(PriceUnit) + 0.5)
	}
	return MaxPrice
}

// microPrice converts an amount in micro-CPM, never negative or NaN, to
// Price, rounding and saturating at MaxPrice (a float too large for int64
// would convert to a negative number).
func microPrice(micro float64) Price {
	if micro < float64(MaxPrice) {
		return Price(micro + 0.5)
	}
	return MaxPrice
}

// maxPriceCPM is the largest CPM amount a Price holds.
const maxPriceCPM = float64(MaxPrice) / float64(PriceUnit)

// CPM returns p in CPM.
func (p Price) CPM() float64 { return float64(p) / float64(PriceUnit) }

// String formats p as CPM exactly, without trailing zeros: "1.5",
// "0.000001" (Price(1)), "-2".
func (p Price) String() string {
	sign := ""
	u := uint64(p)
	if p < 0 {
		sign, u = "-", uint64(-p)
	}
	whole, frac := u/uint64(PriceUnit), u%uint64(PriceUnit)
	if frac == 0 {
		return fmt.Sprintf("%s%d", sign, whole)
	}
	return strings.TrimRight(fmt.Sprintf("%s%d.%06d", sign, whole, frac), "0")
}

// Money is an amount of currency in nano-units (1 = 1e-9). One impression
// bought at Price p costs exactly Money(p): p micro-CPM / 1000 impressions
// = p nano-units.
type Money int64

// MoneyUnit is one unit of currency in Money units.
const MoneyUnit Money = 1_000_000_000

// The representable amounts of money. A total (spend, revenue, value)
// that would pass MaxMoney, about 9.2e9 units of currency, stops there:
// money saturates rather than wraps, and a total at MaxMoney is a lower
// bound (see ExchangeStats.Saturated). A single amount from a
// configuration (a budget) is at most MaxAmount, about 4.6e9, so that a
// budget plus what is in flight still fits.
const (
	MaxMoney  Money = math.MaxInt64
	MaxAmount Money = math.MaxInt64 / 2
)

// SmallestMoney and SmallestPrice name the least amount of currency (a
// nano-unit) and the least price (a micro-CPM) the engine holds: what a
// refusal of an amount above 0 that rounds to none says ("1e-10 is less
// than the smallest amount of currency, 0.000000001"), in one wording
// wherever it is typed.
const (
	SmallestMoney = "the smallest amount of currency, 0.000000001"
	SmallestPrice = "the smallest price, 0.000001 CPM"
)

// minMoney is the most negative Money, where negative sums (a surplus)
// saturate.
const minMoney Money = math.MinInt64

// MoneyOf converts a currency amount to Money, rounding to the nearest nano-unit.
// Negative and NaN amounts give 0; huge amounts saturate at MaxAmount.
func MoneyOf(amount float64) Money {
	switch {
	case !(amount > 0):
		return 0
	case amount >= float64(MaxAmount)/float64(MoneyUnit):
		return MaxAmount
	}
	return Money(math.Round(amount * float64(MoneyUnit)))
}

// addMoney is a + b, saturating at MaxMoney (and at the most negative
// Money) instead of wrapping.
func addMoney(a, b Money) Money {
	s := a + b
	if (a^s)&(b^s) < 0 { // a and b share a sign that s does not have
		if a < 0 {
			return minMoney
		}
		return MaxMoney
	}
	return s
}

// moneyTimes is n × m for an amount m ≥ 0, saturating at MaxMoney as
// n additions of m (addMoney) would.
func moneyTimes(m Money, n uint64) Money {
	if n == 0 || m <= 0 {
		return 0
	}
	if uint64(m) > uint64(MaxMoney)/n {
		return MaxMoney
	}
	return m * Money(n)
}

// Float returns m in units of currency.
func (m Money) Float() float64 { return float64(m) / float64(MoneyUnit) }

// Cost is what one impression bought at p costs.
func (p Price) Cost() Money { return Money(p) }
