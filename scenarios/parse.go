package scenarios

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode"

	"github.com/goccy/go-yaml/ast"
	"golang.org/x/text/unicode/norm"

	"github.com/auctionsim/auctionsim/sim"
)

// Defaults for optional scenario fields.
const (
	// DefaultSeed is the seed of a scenario that names none.
	DefaultSeed uint64 = 1
)

// Field names, in the order the README documents them. They are the file
// format's contract: extend them, do not rename them.
var (
	topFields      = []string{"name", "description", "seed", "stop", "traffic", "exchange", "bidders", "horizon", "interval", "pacing", "script"}
	stopFields     = []string{"auctions", "duration"}
	trafficFields  = []string{"qps", "shape", "scale", "users"}
	usersFields    = []string{"count", "skew"}
	capFields      = []string{"impressions", "per"}
	exchangeFields = []string{"auction", "tmax", "floor", "increment", "slots", "tmax_curve", "tmax_adjustments", "close_early", "abandonment"}
	pacingFields   = []string{"interval", "epsilon", "max_mu"}
	bidderFields   = []string{"name", "latency", "network", "errors", "hangs", "no_bid", "capacity", "value", "strategy", "budget", "outcome", "disabled", "group", "respects_tmax", "endpoint", "frequency_cap"}
	capacityFields = []string{"workers", "service", "queue"}
	strategyFields = []string{"kind", "factor", "bid", "arms", "epsilon", "cpa", "roas", "on"}
	budgetFields   = []string{"total", "pacing", "daily", "delivery"}
	outcomeFields  = []string{"ctr", "cvr", "order_value", "baseline_cvr", "delay", "holdout", "attribution_window", "conversion_period"}
	holdoutFields  = []string{"share", "unit"}
)

// Parse reads a scenario from data. filename is used in error messages and
// for the default name. On failure the error is an Errors listing every
// problem found, each with its line and column. Parse never panics.
func Parse(filename string, data []byte) (*Scenario, error) {
	return parseWith(newDecoder(filename), data)
}

// ParseReplay is Parse for the scenario an export embeds, to replay it:
// its script is read as the auctionsim that ran it read it
// (sim.DiffOlder), so that what that run did replays where a file's script
// may no longer say it (the whole budget of a bidder with a daily budget
// removed, now budget.total=null). capZero reads budget.total: null
// beside a daily budget as a cap of 0, as auctionsim before a00a28a did;
// the export's log tells which reading the run had (report.LoadReplay).
// Its names are read as they ran too (sim.Config.OldNames): a name with a
// space at either end, not in NFC, or two bidders apart only in case.
func ParseReplay(filename string, data []byte, capZero bool) (*Scenario, error) {
	d := newDecoder(filename)
	d.older, d.capZero, d.oldNames = true, capZero, true
	return parseWith(d, data)
}

// parseNames is Parse, reading names as ParseReplay does when oldNames
// (a Live following a replay's change log).
func parseNames(filename string, data []byte, oldNames bool) (*Scenario, error) {
	d := newDecoder(filename)
	d.oldNames = oldNames
	return parseWith(d, data)
}

// parseWith is Parse with decoder d.
func parseWith(d *decoder, data []byte) (*Scenario, error) {
	filename := d.file
	s := d.parse(data)
	if len(d.errs) > 0 {
		return nil, d.errs.sorted()
	}
	s.Source = filename
	s.YAML = append([]byte(nil), data...)
	return s, nil
}

// Load reads and parses the scenario file at path.
func Load(path string) (*Scenario, error) {
	unreadable := func(err error) error {
		var pe *fs.PathError
		msg := err.Error()
		if errors.As(err, &pe) {
			msg = pe.Err.Error()
		}
		return Errors{{File: path, Msg: "cannot read the file: " + msg, Err: err}}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, unreadable(err)
	}
	defer f.Close()
	// Read one byte past the limit so that Parse can say the file is too
	// large without reading all of a huge one.
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, unreadable(err)
	}
	d := newDecoder(path)
	d.ownText = true // the file as the user gave it: see deadSteps
	return parseWith(d, data)
}

func (d *decoder) parse(data []byte) *Scenario {
	root, ok := d.document(data)
	if !ok {
		return nil
	}
	o, ok := d.object(root, "a mapping with name, stop, traffic, exchange and bidders", topFields...)
	if !ok {
		return nil
	}
	s := &Scenario{}
	cfg := &s.Config
	cfg.OldNames = d.oldNames

	s.Name = defaultName(d.file)
	if v, ok := o.get("name"); ok {
		if name, ok := d.text(v, "a string"); ok {
			if name == "" {
				d.errorf(v.at, v.path, "is empty; leave it out to name the scenario after its file")
			} else {
				s.Name = name
			}
		}
	}
	if v, ok := o.get("description"); ok {
		s.Description, _ = d.text(v, "a string")
		s.Description = strings.TrimSpace(s.Description)
		// The dashboard shows it: an escape sequence would restyle or
		// move about the screen. Lines and tabs are text.
		if i, r, bad := unprintableText(s.Description); bad {
			d.errorf(v.at, v.path, "contains the control or formatting character %U at character %d; use printable characters, lines and tabs only", r, i)
			s.Description = ""
		}
	}
	cfg.Seed = DefaultSeed
	if v, ok := o.get("seed"); ok {
		cfg.Seed, _ = d.count(v, "a whole number ≥ 0")
	}
	if v, ok := o.require("stop", "a mapping with auctions, duration or both"); ok {
		s.Stop = d.stop(v)
	}
	if v, ok := o.require("traffic", "a mapping with qps"); ok {
		cfg.Traffic = d.traffic(v)
	}
	if v, ok := o.require("exchange", "a mapping with tmax and optionally auction, floor, increment"); ok {
		cfg.Exchange = d.exchange(v)
	}
	if v, ok := o.require("bidders", "a list of bidders"); ok {
		cfg.Bidders = d.bidders(v)
	}
	if v, ok := o.get("horizon"); ok {
		if h, ok := d.duration(v); ok && d.notZero(v, h == 0, "the default") {
			s.horizon = h
		}
	}
	if v, ok := o.get("interval"); ok {
		if iv, ok := d.duration(v); ok && d.notZero(v, iv == 0, "the default") {
			cfg.Interval = iv
		}
	}
	if v, ok := o.get("pacing"); ok {
		cfg.Pacing = d.pacing(v)
	}
	cfg.Name = s.Name
	cfg.Horizon = s.planHorizon()
	if cfg.Horizon == 0 {
		// The horizon follows from the stop and, for a stop by
		// auctions, the traffic's rate: it is 0 only when one of them
		// is wrong (stop: {}, qps: -5, a shape of zeros), which has
		// errors of its own, here or from the engine's ranges below;
		// paced budgets must not be blamed for its absence.
		cfg.Horizon = sim.Second
	}
	// The engine owns every rule about values; its errors are placed at
	// the field each names. A field that already has an error here stands
	// in the configuration as its zero value, so what the engine says
	// about it, or about the fields around it, is left out.
	d.engineErrors(d.validate(cfg))
	for i, b := range cfg.Bidders {
		if _, remote := d.endpoints[b.Name]; remote && b.Outcome != nil && b.Outcome.Holdout > 0 &&
			b.Outcome.UnitIn(cfg.Traffic.Users != nil) == sim.HoldoutByPerson {
			at, field := d.nearest(fmt.Sprintf("bidders[%d].outcome.holdout", i))
			d.errorf(at, field, "a bidder reached over its endpoint answers every request it is sent: its ads cannot be kept from held-out people; remove holdout or endpoint")
		}
	}
	if !d.failedUnder("traffic") && !d.failedUnder("stop") && !d.stopApart {
		d.engineErrors(cfg.ValidateStop(s.Stop))
	}
	if len(d.errs) > 0 {
		return nil
	}
	if v, ok := o.get("script"); ok && !d.noScript {
		d.script(data, v, s)
		if len(d.errs) == 0 {
			// Planned with the script's rate changes, as WithStop
			// plans it. The same as above for a file's own stop: a step
			// whose rate plans another horizon from it is refused, as a
			// live change would be; a stop given apart (--auctions) is
			// where they count.
			cfg.Horizon = s.planHorizon()
			d.engineErrors(cfg.Validate())
		}
		if len(d.errs) == 0 && d.ownText && (!d.stopApart || d.reach > 0) {
			d.deadSteps(s)
		}
		if len(d.errs) > 0 {
			return nil
		}
	}
	s.Endpoints, s.endpointAt = d.endpoints, d.endpointAt
	s.given = d.given
	return s
}

// deadSteps refuses the steps of s's script that come after its stop's
// duration: the run ends before them, so they never run, and the run
// said nothing of it (a step at 90m meant for 90s, in a ten-minute run).
// A stop by auctions alone tells no instant; a step at the stop itself
// is left to run or not as the engine has it.
func (d *decoder) deadSteps(s *Scenario) {
	stop := s.Stop.Duration
	if stop <= 0 {
		return
	}
	stop = max(stop, d.reach)
	for i, st := range s.Config.Script {
		if st.At > stop {
			at, field := d.nearest(fmt.Sprintf("script[%d].at", i))
			d.errorf(at, field, "%s is after the run's stop (stop.duration %s): the step would never run; move it before the stop, or lengthen stop.duration", st.At.Window(), stop.Window())
		}
	}
}

// defaultName is the file's base name without its extension, composed
// (NFC) and trimmed: a name the user did not write is not refused for
// what a file system does to it (macOS hands back café.yaml decomposed).
func defaultName(file string) string {
	base := filepath.Base(file)
	name := norm.NFC.String(strings.TrimSpace(strings.TrimSuffix(base, filepath.Ext(base))))
	if name != "" && name != "." {
		return name
	}
	return "scenario"
}

// validate is cfg's field errors: the prices and amounts of money out of
// range as read, then Validate's.
func (d *decoder) validate(cfg *sim.Config) error {
	errs := slices.Clone(d.ranges)
	refused := func(field string) bool {
		return slices.ContainsFunc(d.ranges, func(err error) bool {
			var fe *sim.FieldError
			return errors.As(err, &fe) && fe.Field == field
		})
	}
	for _, fe := range sim.FieldErrors(cfg.Validate()) {
		// A field refused as read is not refused again for the value it
		// was left at (a cpa of -1 read as 0 is not also "0 must be > 0"),
		// nor a field for needing it (a delivery plan for a daily budget
		// of 1e300 is not also "needs budget.daily").
		if pre := prerequisite(fe.Field); !refused(fe.Field) && (pre == "" || !refused(pre)) {
			errs = append(errs, fe)
		}
	}
	return errors.Join(errs...)
}

// engineErrors reports the engine's field errors at the position of the
// field each names, or of its closest enclosing field present in the file,
// leaving out those about a field that already has an error.
func (d *decoder) engineErrors(err error) {
	failed := make([]string, 0, len(d.errs))
	for _, e := range d.errs {
		failed = append(failed, e.Field)
	}
	for _, fe := range sim.FieldErrors(err) {
		pre := prerequisite(fe.Field)
		if slices.ContainsFunc(failed, func(f string) bool { return related(f, fe.Field) || pre != "" && related(f, pre) }) {
			continue
		}
		at, field := d.nearest(fe.Field)
		d.errorf(at, field, "%s", d.asWritten(fe.Field, fe.Err.Error()))
	}
}

// prerequisite is the field the engine's rule about field needs set, or
// "": a refusal of the field needed says all there is to say (a delivery
// plan with a refused daily budget is not also "needs budget.daily").
func prerequisite(field string) string {
	if p, ok := strings.CutSuffix(field, ".budget.delivery"); ok {
		return p + ".budget.daily"
	}
	return ""
}

// nearest finds the field at path in the file, or else its closest
// enclosing field there (a bare "value: 1" stands for the constant's
// bidders[0].value.value), and where it is.
func (d *decoder) nearest(path string) (position, string) {
	for p := path; p != ""; {
		if at, ok := d.where[p]; ok {
			return at, p
		}
		i := strings.LastIndexAny(p, ".[")
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return d.where[""], path
}

// related reports whether one of two field paths is the other or encloses
// it.
func related(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	return under(b, a)
}

// under reports whether the field path f is path or lies below it
// (path.field, path[i]); nothing is under the empty path.
func under(f, path string) bool {
	return path != "" && (f == path || strings.HasPrefix(f, path) && (f[len(path)] == '.' || f[len(path)] == '['))
}

// failedUnder reports whether a field at or under path has an error.
func (d *decoder) failedUnder(path string) bool {
	return slices.ContainsFunc(d.errs, func(e *Error) bool { return under(e.Field, path) })
}

// notZero reports an explicit 0 (or 0s) in a field where leaving it out
// means something else: no limit, or the default.
func (d *decoder) notZero(v value, zero bool, absent string) bool {
	if zero {
		d.errorf(v.at, v.path, "leave it out for %s rather than write 0", absent)
	}
	return !zero
}

func (d *decoder) stop(v value) Stop {
	var st Stop
	d.section(v, "a mapping with auctions, duration or both", stopFields, func(o *object) {
		if a, ok := o.get("auctions"); ok {
			if n, ok := d.count(a, "a whole number of auctions"); ok && d.notZero(a, n == 0, "no limit") {
				st.Auctions = n
			}
		}
		if dv, ok := o.get("duration"); ok {
			if t, ok := d.duration(dv); ok && d.notZero(dv, t == 0, "no limit") {
				st.Duration = t
			}
		}
	})
	return st
}

func (d *decoder) traffic(v value) sim.Traffic {
	var t sim.Traffic
	d.section(v, "a mapping with qps", trafficFields, func(o *object) {
		t.QPS = o.requiredNumber("qps", "ad requests per second, a number", "ad requests per second, a number")
		if sv, ok := o.get("shape"); ok {
			items, ok := d.list(sv, "a list of multipliers ≥ 0 over the day")
			if ok {
				if len(items) == 0 {
					d.errorf(sv.at, sv.path, "needs at least one multiplier (leave it out for a flat rate)")
				}
				for _, it := range items {
					x, _ := d.number(it, "a multiplier, a number")
					t.Shape = append(t.Shape, x)
				}
			}
		}
		t.Scale = o.number("scale", "how many ad requests one simulated request stands for, a whole number ≥ 1")
		if uv, ok := o.get("users"); ok {
			t.Users = d.users(uv)
		}
	})
	return t
}

// users reads traffic.users: how many people, and how unevenly their
// requests spread.
func (d *decoder) users(v value) *sim.Users {
	u := &sim.Users{}
	d.section(v, "a mapping with count and optionally skew", usersFields, func(o *object) {
		u.Count = o.requiredInteger("count", "the number of people, a whole number ≥ 1", "a whole number ≥ 1")
		u.Skew = o.number("skew", "the Zipf exponent of the requests per person, a number ≥ 0 (0: uniform)")
	})
	return u
}

// frequencyCap reads a bidder's frequency_cap.
func (d *decoder) frequencyCap(v value) *sim.FrequencyCap {
	c := &sim.FrequencyCap{}
	d.section(v, "a mapping with impressions and per", capFields, func(o *object) {
		c.Impressions = o.requiredInteger("impressions", "the most impressions one person sees within the window, a whole number ≥ 1", "a whole number ≥ 1")
		c.Per = required(o, "per", `the window, a duration such as "24h"`, d.duration)
	})
	return c
}

func (d *decoder) exchange(v value) sim.ExchangeConfig {
	x := sim.ExchangeConfig{Auction: sim.SecondPrice}
	d.section(v, "a mapping with tmax and optionally auction, floor, increment", exchangeFields, func(o *object) {
		optionalChoice(o, "auction", "second-price, first-price, gsp or vcg", "an auction type", sim.ParseAuctionType, &x.Auction)
		if sv, ok := o.get("slots"); ok {
			const want = "a list of click-through weights in (0, 1], best slot first, such as [1.0, 0.6, 0.3]"
			if items, ok := d.list(sv, want); ok {
				if len(items) == 0 {
					d.errorf(sv.at, sv.path, "needs at least one slot (leave it out for the single-item auction)")
				}
				for _, it := range items {
					w, _ := d.number(it, "a click-through weight in (0, 1], a number")
					x.Slots = append(x.Slots, w)
				}
			}
		}
		x.Tmax = required(o, "tmax", `the bid deadline, a duration such as "120ms"`, d.duration)
		x.Floor = o.price("floor", wantCPM)
		x.Increment = o.price("increment", wantCPM)
		d.timeouts(o, &x)
	})
	return x
}

// What an optional price or probability field expects (each 0 when absent).
const (
	wantCPM   = "a price in CPM, a number"
	wantShare = "a share in [0, 1]"
)

func (d *decoder) pacing(v value) sim.PacingParams {
	var p sim.PacingParams
	o, ok := d.object(v, "a mapping with interval, epsilon, max_mu", pacingFields...)
	if !ok {
		return p
	}
	if iv, ok := o.get("interval"); ok {
		if t, ok := d.duration(iv); ok && d.notZero(iv, t == 0, "the default") {
			p.Interval = t
		}
	}
	positive := func(key string) float64 {
		v, ok := o.get(key)
		if !ok {
			return 0
		}
		x, ok := d.number(v, "a number > 0")
		if ok && d.notZero(v, x == 0, "the default") {
			return x
		}
		return 0
	}
	p.Epsilon = positive("epsilon")
	p.MaxMu = positive("max_mu")
	return p
}

func (d *decoder) bidders(v value) []sim.BidderConfig {
	items, ok := d.list(v, "a list of bidders")
	if !ok {
		return nil
	}
	out := make([]sim.BidderConfig, 0, len(items))
	for _, it := range items {
		out = append(out, d.bidder(it))
	}
	return out
}

// bidder reads one bidder.
func (d *decoder) bidder(v value) sim.BidderConfig {
	var b sim.BidderConfig
	d.section(v, "a bidder: a mapping with name and value", bidderFields, func(o *object) {
		if nv, ok := o.require("name", "a string"); ok {
			b.Name, _ = d.text(nv, "a string")
		}
		b.Latency = o.dist("latency", durations)
		b.Network = o.dist("network", durations)
		b.Errors = o.number("errors", wantShare)
		b.Hangs = o.number("hangs", wantShare)
		b.NoBid = o.number("no_bid", wantShare)
		if cv, ok := o.get("capacity"); ok {
			b.Capacity = d.capacity(cv)
		}
		b.Value = o.requiredDist("value", "the distribution of the bidder's value for an impression, in CPM", prices)
		if sv, ok := o.get("strategy"); ok {
			b.Strategy = d.strategy(sv)
		}
		if bv, ok := o.get("budget"); ok {
			b.Budget = d.budget(bv)
		}
		if ov, ok := o.get("outcome"); ok {
			b.Outcome = d.outcome(ov)
		}
		b.Disabled = o.boolean("disabled")
		if gv, ok := o.get("group"); ok {
			if g, ok := d.text(gv, "the name of the advertiser group"); ok {
				if strings.TrimSpace(g) == "" {
					d.errorf(gv.at, gv.path, "must not be empty (leave it out for no group)")
				}
				b.Group = g
			}
		}
		d.respectsTmax(o, &b)
		d.endpoint(o, b.Name) // endpoint.go
		if cv, ok := o.get("frequency_cap"); ok {
			b.FrequencyCap = d.frequencyCap(cv)
			if _, remote := d.endpoints[b.Name]; remote {
				d.errorf(cv.at, cv.path, "a bidder reached over its endpoint keeps its own caps: remove frequency_cap or endpoint")
			}
		}
	})
	return b
}

func (d *decoder) capacity(v value) *sim.Capacity {
	c := &sim.Capacity{}
	d.section(v, "a mapping with workers, service and optionally queue", capacityFields, func(o *object) {
		c.Workers = o.requiredInteger("workers", "the number of requests served at once, a whole number ≥ 1", "a whole number ≥ 1")
		c.Service = o.requiredDist("service", "the distribution of the time one request takes to serve", durations)
		c.Queue = o.integer("queue", "a whole number ≥ 0 (0: unbounded)")
	})
	return c
}

// choice reads the name of one of a closed set into *dst with parse; want
// lists the names, noun says what one is ("an auction type"). *dst is set
// whenever a name was read; choice reports whether it was a known one.
func choice[T any](d *decoder, v value, want, noun string, parse func(string) (T, error), dst *T) bool {
	name, ok := d.text(v, want)
	if !ok {
		return false
	}
	k, err := parse(name)
	*dst = k
	if err != nil {
		d.errorf(v.at, v.path, "%q is not %s (want %s)", name, noun, want)
		return false
	}
	return true
}

// optionalChoice reads o's key, when present, as choice does; absent,
// *dst keeps its default.
func optionalChoice[T any](o *object, key, want, noun string, parse func(string) (T, error), dst *T) {
	if v, ok := o.get(key); ok {
		choice(o.d, v, want, noun, parse, dst)
	}
}

// strategyFieldKinds are a strategy's fields besides kind, each with the
// one kind that takes it.
var strategyFieldKinds = []struct {
	field string
	kind  sim.StrategyKind
}{
	{"factor", sim.Shade},
	{"bid", sim.Fixed},
	{"arms", sim.Learn},
	{"epsilon", sim.Learn},
	{"cpa", sim.TargetCPA},
	{"roas", sim.TargetROAS},
	{"on", sim.TargetROAS},
}

// strategyFieldKind is the kind that takes a strategy's field key.
func strategyFieldKind(key string) (sim.StrategyKind, bool) {
	for _, fk := range strategyFieldKinds {
		if fk.field == key {
			return fk.kind, true
		}
	}
	return 0, false
}

func (d *decoder) strategy(v value) sim.Strategy {
	var s sim.Strategy
	d.section(v, "a mapping with kind (truthful, shade, fixed, equilibrium, learn, target_cpa or target_roas)", strategyFields, func(o *object) {
		kv, ok := o.require("kind", "truthful, shade, fixed, equilibrium, learn, target_cpa or target_roas")
		if !ok || !choice(d, kv, "truthful, shade, fixed, equilibrium, learn, target_cpa or target_roas", "a strategy", sim.ParseStrategyKind, &s.Kind) {
			return
		}
		k := s.Kind
		for _, fk := range strategyFieldKinds {
			if f, ok := o.fields[fk.field]; ok && k != fk.kind {
				d.errorf(f.keyAt, f.v.path, "applies only to kind %s", fk.kind)
			}
		}
		switch k {
		case sim.Shade:
			s.Factor = o.requiredNumber("factor", "the share of its value the bidder bids, a number > 0", "a number > 0")
		case sim.Fixed:
			s.Bid = o.requiredPrice("bid", "the bid in CPM, a number ≥ 0", "a bid in CPM, a number ≥ 0")
		case sim.Learn:
			// Both optional: 0 or absent is the default grid (20 arms) and rate (0.1).
			s.Arms = o.integer("arms", "a number of shade factors to try, a whole number ≥ 0")
			s.Epsilon = o.number("epsilon", "an exploration rate in [0, 1]")
		case sim.TargetCPA:
			s.CPA = o.requiredAmount("cpa", "the target cost per conversion in currency, a number > 0", "a cost per conversion, a number > 0", sim.CheckTarget)
		case sim.TargetROAS:
			s.ROAS = o.requiredNumber("roas", "the target return on spend (value / spend), a number > 0", "a return on spend, a number > 0")
			optionalChoice(o, "on", "attributed or incremental", "a value to hold the target on", sim.ParseGoalBase, &s.On)
		}
	})
	return s
}

func (d *decoder) budget(v value) *sim.Budget {
	b := &sim.Budget{}
	d.section(v, "a mapping with total and/or daily, and optionally pacing and delivery", budgetFields, func(o *object) {
		if dv, ok := o.get("daily"); ok {
			// A daily budget alone has no total cap (sim: Total 0).
			daily, ok := d.number(dv, "the daily budget in currency, a number > 0")
			switch {
			case !ok:
			case daily < 0:
				d.errorf(dv.at, dv.path, "%s: a daily budget must be > 0", clip(dv.n.GetToken().Value)) // as written
			case daily == 0:
				d.errorf(dv.at, dv.path, "a daily budget must be > 0: for a bidder that spends nothing give budget={total: 0}; leave daily out for no daily budget")
			default:
				// Past the largest amount: refused as the number written,
				// not as the Money it would saturate to.
				if err := sim.CheckCurrency(daily); err != nil {
					d.ranges = append(d.ranges, &sim.FieldError{Field: dv.path, Err: err})
				} else if !d.belowMoney(dv, daily) {
					b.Daily = sim.MoneyOf(daily)
				}
			}
			if tv, ok := o.get("total"); ok {
				// A total refused as read (a word, below 0) is not also a 0.
				var read bool
				b.Total, read = d.money(tv, "an amount of currency ≥ 0")
				if read && b.Total == 0 {
					d.errorf(tv.at, tv.path, "a total of 0 with a daily budget spends nothing (leave total out, or null, for no total cap)")
				}
			}
		} else {
			b.Total = o.requiredMoney("total", "the budget in currency, a number ≥ 0", "an amount of currency ≥ 0")
		}
		optionalChoice(o, "pacing", "none, throttle or multiplier", "a pacing", sim.ParsePacingKind, &b.Pacing)
		optionalChoice(o, "delivery", "even, asap or front_loaded", "a delivery", sim.ParseDelivery, &b.Delivery)
	})
	return b
}

func (d *decoder) outcome(v value) *sim.Outcome {
	out := &sim.Outcome{}
	d.section(v, "a mapping with ctr, cvr, order_value, baseline_cvr, delay", outcomeFields, func(o *object) {
		out.CTR = o.number("ctr", wantShare)
		out.CVR = o.number("cvr", wantShare)
		out.BaselineCVR = o.number("baseline_cvr", wantShare)
		if hv, ok := o.get("holdout"); ok {
			d.holdout(hv, out)
		}
		out.OrderValue = o.money("order_value", "an amount of currency ≥ 0")
		out.Delay = o.dist("delay", durations)
		out.AttributionWindow = o.duration("attribution_window")
		out.ConversionPeriod = o.duration("conversion_period")
	})
	return out
}

// holdout reads outcome.holdout: a share (the unit the default: person
// with people, else request), or a mapping with share and unit.
func (d *decoder) holdout(v value, out *sim.Outcome) {
	read := func(o *object) {
		out.Holdout = o.requiredNumber("share", "the share held back, in [0, 1]", wantShare)
		optionalChoice(o, "unit", "person or request", "a holdout unit", sim.ParseHoldoutUnit, &out.HoldoutUnit)
	}
	if _, isMap := v.n.(*ast.MappingNode); !isMap {
		if !slices.ContainsFunc(d.sets, func(s *scriptSet) bool { return !s.used && under(s.path, v.path) }) {
			out.Holdout, _ = d.number(v, wantShare)
			return
		}
		// A script sets a part of a holdout the file writes as a share,
		// as --set may: the share stands for {share: it}.
		share := v
		share.path = child(v.path, "share")
		fs := d.overlay(v.path, []field{{key: "share", keyAt: v.at, v: share}})
		read(d.objectOf(v, fs, holdoutFields))
		return
	}
	d.section(v, "a mapping with share and optionally unit (person or request)", holdoutFields, read)
}

// unprintableText finds the first character of text that is neither
// printable nor a line break or tab: its position (from 1, in
// characters) and itself.
func unprintableText(text string) (at int, r rune, found bool) {
	for _, c := range text {
		at++
		if c == '\n' || c == '\t' {
			continue
		}
		if !unicode.IsPrint(c) && c != ' ' || unicode.Is(unicode.Cf, c) {
			return at, c, true
		}
	}
	return 0, 0, false
}
