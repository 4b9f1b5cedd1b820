package scenarios

import (
	"strconv"
	"strings"
	"time"
)

// wholeDist is, for an override that sets one parameter of a
// distribution the scenario leaves out (bidders.ada.latency.median=30ms
// on a bidder that answers at once), the message that replaces the
// decoder's "dist: is required": the whole distribution to type, its
// family the one the parameter names, the parameter at the value typed
// and, where the family needs another, an example of it said to be one.
// No default is taken for the missing ones instead: a median alone does
// not fix a lognormal's tail, and the tail decides the late bids, the
// figure the change is made to see. ok is false for any other error.
func wholeDist(s Set, e *Error) (string, bool) {
	parent, key, cut := cutLast(s.Path)
	_, distOf, _ := cutLast(strings.TrimSuffix(e.Field, ".dist"))
	if !cut || !strings.HasSuffix(e.Field, ".dist") || !strings.HasPrefix(e.Msg, "is required") ||
		!strings.HasSuffix(parent, "."+distOf) && parent != distOf {
		return "", false
	}
	value := strings.TrimSpace(s.Value)
	q := durations
	if distOf == "value" {
		q = prices // a bidder's value for an impression, in CPM
	}
	var form, note string
	switch key {
	case "value":
		form = "{dist: constant, value: " + value + "}"
	case "mean":
		form = "{dist: exponential, mean: " + value + "}"
	case "median":
		p99 := scaled(value, 3, q)
		form, note = "{dist: lognormal, median: "+value+", p99: "+p99+"}", "p99 "+p99+" an example: the 99th percentile, ≥ the median"
	case "p99":
		median := scaled(value, 0.5, q)
		form, note = "{dist: lognormal, median: "+median+", p99: "+value+"}", "median "+median+" an example, ≤ the p99"
	case "min":
		max := scaled(value, 2, q)
		form, note = "{dist: uniform, min: "+value+", max: "+max+"}", "max "+max+" an example, ≥ the min"
	case "max":
		min := scaled(value, 0.5, q)
		form, note = "{dist: uniform, min: "+min+", max: "+value+"}", "min "+min+" an example, ≤ the max"
	case "sd":
		mean := scaled(value, 4, q)
		form, note = "{dist: normal, mean: "+mean+", sd: "+value+"}", "mean "+mean+" an example"
	case "mu", "sigma", "parts":
		family := "lognormal"
		if key == "parts" {
			family = "mixture"
		}
		form, note = q.example(family), "an example"
	default:
		return "", false
	}
	msg := "there is no distribution to set the " + key + " of (the scenario leaves " + distOf + " out): set it whole, " +
		shellSet(Set{Path: parent, Value: form, Flag: s.Flag})
	if note != "" {
		msg += " (" + note + ")"
	}
	return msg, true
}

// cutLast splits a dotted path at its last dot: "a.b.c" is "a.b" and "c".
func cutLast(path string) (string, string, bool) {
	i := strings.LastIndexByte(path, '.')
	if i < 0 {
		return "", path, false
	}
	return path[:i], path[i+1:], true
}

// scaled is the amount written v times f, in v's own form: a Go
// duration, or a plain number; a round example where v reads as neither
// or is 0 (30ms, 1).
func scaled(v string, f float64, q quantity) string {
	if q == durations {
		if d, err := time.ParseDuration(v); err == nil && d > 0 {
			return time.Duration(float64(d) * f).Round(time.Microsecond).String()
		}
		return time.Duration(float64(30*time.Millisecond) * f).String()
	}
	if x, err := strconv.ParseFloat(v, 64); err == nil && x > 0 {
		return strconv.FormatFloat(x*f, 'g', 4, 64)
	}
	return strconv.FormatFloat(f, 'g', 4, 64)
}
