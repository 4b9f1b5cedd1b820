package sim

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"unicode"
)

// ErrNotLive is the error of a difference between two configs that no
// live change can make.
var ErrNotLive = errors.New("cannot change during a run")

// Diff returns the live changes that turn a world built from old into one
// configured as new, in a fixed order (exchange, traffic, then each
// bidder). A difference no live change can make (a bidder's capacity or
// value distribution, the set of bidders, the seed, …) is refused with
// one FieldError per field, named by its scenario path with bidders by
// name ("bidders.metro.capacity"), wrapping ErrNotLive. Name, Replay and
// Script are not compared.
func Diff(old, new Config) ([]Change, error) { return diff(old, new, olderReading{}) }

// DiffOlder is Diff as auctionsim read a script before a00a28a, for the
// scenario an older export embeds, giving the changes that engine applied:
// the whole budget of a bidder with a daily budget removed (budget: null)
// is a SetBudget Unlimited, which keeps the daily budget, rather than
// refused (no newer script says it, so this reading is safe for any
// export); and with capZero, its total removed (budget.total: null) is a
// SetBudget of Total 0, a cap of 0, rather than the newer KeepDaily (an
// export's log tells which the run applied).
func DiffOlder(old, new Config, capZero bool) ([]Change, error) {
	return diff(old, new, olderReading{wholeBudget: true, capZero: capZero})
}

// olderReading is how DiffOlder reads a script (the zero value: Diff).
type olderReading struct{ wholeBudget, capZero bool }

func diff(old, new Config, older olderReading) ([]Change, error) {
	var out []Change
	ox, nx := old.Exchange, new.Exchange
	if ox.Auction != nx.Auction {
		out = append(out, SetAuction{Auction: nx.Auction})
	}
	if ox.Tmax != nx.Tmax {
		out = append(out, SetTmax{Tmax: nx.Tmax})
	}
	if ox.Floor != nx.Floor {
		out = append(out, SetFloor{Floor: nx.Floor})
	}
	if ox.Increment != nx.Increment {
		out = append(out, SetIncrement{Increment: nx.Increment})
	}
	if old.Traffic.QPS != new.Traffic.QPS {
		out = append(out, SetQPS{QPS: new.Traffic.QPS})
	}
	if ox.Abandonment != nx.Abandonment {
		out = append(out, SetAbandonment{Abandonment: nx.Abandonment})
	}
	// What the changes above and below make equal; whatever still differs
	// afterwards cannot change live.
	rest := old
	rest.Exchange.Auction, rest.Exchange.Tmax = nx.Auction, nx.Tmax
	rest.Exchange.Floor, rest.Exchange.Increment = nx.Floor, nx.Increment
	rest.Traffic.QPS = new.Traffic.QPS
	rest.Exchange.Abandonment = nx.Abandonment
	rest.Name, rest.Replay, rest.Script, rest.OldNames = new.Name, new.Replay, new.Script, new.OldNames

	var dailyGone []error
	// why says, for a field refused below, more than that it is not
	// live: why, as the keys say it (a key that cannot add a daily budget
	// says so, and the command line must not read as if it could).
	why := map[string]string{}
	if sameNames(old.Bidders, new.Bidders) {
		rest.Bidders = append([]BidderConfig(nil), old.Bidders...)
		for i := range old.Bidders {
			out = append(out, diffBidder(&old.Bidders[i], &new.Bidders[i], older.capZero)...)
			r, n := &rest.Bidders[i], &new.Bidders[i]
			r.Latency, r.Strategy, r.Budget, r.Disabled = n.Latency, n.Strategy, n.Budget, n.Disabled
			if o := old.Bidders[i].Budget; n.Budget == nil && o != nil && o.Daily > 0 && !older.wholeBudget {
				// Nor is it removed with the whole budget.
				dailyGone = append(dailyGone, &FieldError{Field: "bidders." + n.Name + ".budget",
					Err: fmt.Errorf("%w: a daily budget is neither added nor removed live (budget.total=null removes the total cap alone)", ErrNotLive)})
			}
			if o := old.Bidders[i].Budget; n.Budget != nil && (o == nil || o.Daily == 0) != (n.Budget.Daily == 0) {
				// A daily budget changes live, but is not added or
				// removed: leave the old one to be refused.
				why["bidders."+n.Name+".budget.daily"] = "a daily budget is neither added nor removed live"
				b := *n.Budget
				b.Daily = 0
				if o != nil {
					b.Daily = o.Daily
				}
				r.Budget = &b
			}
			if o := old.Bidders[i].Budget; n.Budget != nil && o != nil && o.Delivery != n.Budget.Delivery {
				// A delivery plan does not change live: leave the old one
				// to be refused rather than drop the change in silence.
				b := *r.Budget
				b.Delivery = o.Delivery
				r.Budget = &b
			}
			if old.Traffic.Users != nil && new.Traffic.Users != nil {
				// Caps change live in a world with people.
				r.FrequencyCap = n.FrequencyCap
			}
			if o := r.Outcome; o != nil && n.Outcome != nil && o.HoldoutUnit != n.Outcome.HoldoutUnit &&
				o.UnitIn(old.Traffic.Users != nil) == n.Outcome.UnitIn(new.Traffic.Users != nil) {
				// The default unit written out is no change.
				c := *o
				c.HoldoutUnit = n.Outcome.HoldoutUnit
				r.Outcome = &c
			}
		}
	}
	errs := dailyGone
	for _, p := range differences(reflect.ValueOf(rest), reflect.ValueOf(new), "", names(old.Bidders)) {
		err := ErrNotLive
		if w, ok := why[p]; ok {
			err = fmt.Errorf("%w: %s", ErrNotLive, w)
		}
		errs = append(errs, &FieldError{Field: p, Err: err})
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

// diffBidder is the live changes for one bidder; capZero as DiffOlder.
func diffBidder(o, n *BidderConfig, capZero bool) []Change {
	var out []Change
	name := n.Name
	if !reflect.DeepEqual(o.Latency, n.Latency) {
		out = append(out, SetLatency{Bidder: name, Latency: n.Latency})
	}
	if o.Strategy != n.Strategy {
		out = append(out, SetStrategy{Bidder: name, Strategy: n.Strategy})
	}
	switch {
	case n.Budget == nil && o.Budget != nil:
		out = append(out, SetBudget{Bidder: name, Unlimited: true})
	case n.Budget != nil:
		if o.Budget == nil || o.Budget.Total != n.Budget.Total {
			if n.Budget.DailyAlone() && !capZero {
				// A daily budget without a total: no total cap, as in
				// a scenario (Budget.Total), not a cap of 0.
				out = append(out, SetBudget{Bidder: name, Unlimited: true, KeepDaily: true})
			} else {
				out = append(out, SetBudget{Bidder: name, Total: n.Budget.Total})
			}
		}
		was := PacingNone
		if o.Budget != nil {
			was = o.Budget.Pacing
		}
		if n.Budget.Pacing != was {
			out = append(out, SetPacing{Bidder: name, Pacing: n.Budget.Pacing})
		}
		if o.Budget != nil && o.Budget.Daily != n.Budget.Daily && o.Budget.Daily > 0 && n.Budget.Daily > 0 {
			out = append(out, SetDaily{Bidder: name, Daily: n.Budget.Daily})
		}
	}
	if o.Disabled != n.Disabled {
		out = append(out, SetEnabled{Bidder: name, Enabled: !n.Disabled})
	}
	if !reflect.DeepEqual(o.FrequencyCap, n.FrequencyCap) {
		out = append(out, SetFrequencyCap{Bidder: name, Cap: n.FrequencyCap})
	}
	return out
}

func sameNames(a, b []BidderConfig) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Name != b[i].Name {
			return false
		}
	}
	return true
}

func names(bs []BidderConfig) []string {
	out := make([]string, len(bs))
	for i, b := range bs {
		out[i] = b.Name
	}
	return out
}

// differences lists the scenario paths at which a and b differ, as deep as
// the format names fields: a distribution, a list or a missing section is
// one path.
func differences(a, b reflect.Value, path string, bidders []string) []string {
	if reflect.DeepEqual(a.Interface(), b.Interface()) {
		return nil
	}
	switch a.Kind() {
	case reflect.Struct:
		if t := a.Type(); t == reflect.TypeOf(Dist{}) || t == reflect.TypeOf(TmaxGrid{}) {
			break // one value in the format
		}
		var out []string
		for i := range a.NumField() {
			f := a.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			key := snake(f.Name)
			if k, ok := f.Tag.Lookup("scenario"); ok {
				key = k // a key snake cannot spell
			}
			out = append(out, differences(a.Field(i), b.Field(i), joinPath(path, key), bidders)...)
		}
		return out
	case reflect.Pointer:
		if !a.IsNil() && !b.IsNil() {
			return differences(a.Elem(), b.Elem(), path, bidders)
		}
	case reflect.Slice:
		if path == "bidders" && a.Len() == b.Len() && a.Type() == reflect.TypeOf([]BidderConfig{}) &&
			sameNames(a.Interface().([]BidderConfig), b.Interface().([]BidderConfig)) {
			var out []string
			for i := range a.Len() {
				out = append(out, differences(a.Index(i), b.Index(i), "bidders."+bidders[i], bidders)...)
			}
			return out
		}
	}
	return []string{path}
}

// snake turns a Go field name into the scenario's key: NoBid → no_bid,
// BaselineCVR → baseline_cvr, QPS → qps.
func snake(name string) string {
	var b strings.Builder
	rs := []rune(name)
	for i, r := range rs {
		if unicode.IsUpper(r) && i > 0 {
			prevLower := unicode.IsLower(rs[i-1])
			nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if prevLower || unicode.IsUpper(rs[i-1]) && nextLower {
				b.WriteByte('_')
			}
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}
