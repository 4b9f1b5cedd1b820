package scenarios

import (
	"errors"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/auctionsim/auctionsim/sim"
)

// Defaults for optional scenario fields.
const (
	// DefaultSeed is the seed of a scenario that names none.
	DefaultSeed uint64 = 1
	// maxWorkers bounds capacity.workers: the engine keeps one slot per
	// worker, and no real bidder runs more.
	maxWorkers = 100_000
	// minInterval bounds the time-series bucket width from below.
	minInterval = sim.Millisecond
)

// Field names, in the order the README documents them. They are the file
// format's contract: extend them, do not rename them.
var (
	topFields      = []string{"name", "description", "seed", "stop", "traffic", "exchange", "bidders", "horizon", "interval", "pacing", "script"}
	stopFields     = []string{"auctions", "duration"}
	trafficFields  = []string{"qps", "shape"}
	exchangeFields = []string{"auction", "tmax", "floor", "increment", "tmax_curve", "tmax_adjustments"}
	pacingFields   = []string{"interval", "epsilon", "max_mu"}
	bidderFields   = []string{"name", "latency", "errors", "no_bid", "capacity", "value", "strategy", "budget", "outcome", "disabled", "respects_tmax"}
	capacityFields = []string{"workers", "service", "queue"}
	strategyFields = []string{"kind", "factor", "bid"}
	budgetFields   = []string{"total", "pacing"}
	outcomeFields  = []string{"ctr", "cvr", "order_value", "baseline_cvr", "delay"}
)

// Parse reads a scenario from data. filename is used in error messages and
// for the default name. On failure the error is an Errors listing every
// problem found, each with its line and column. Parse never panics.
func Parse(filename string, data []byte) (*Scenario, error) {
	d := newDecoder(filename)
	s := d.parse(data)
	if len(d.errs) > 0 {
		return nil, d.errs.sorted()
	}
	s.Source = filename
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
	return Parse(path, data)
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

	s.Name = defaultName(d.file)
	if v, ok := o.get("name"); ok {
		if name, ok := d.text(v, "a string"); ok {
			if strings.TrimSpace(name) == "" {
				d.errorf(v.at, v.path, "must not be empty")
			}
			s.Name = name
		}
	}
	if v, ok := o.get("description"); ok {
		s.Description, _ = d.text(v, "a string")
		s.Description = strings.TrimSpace(s.Description)
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
		if h, ok := d.duration(v); ok {
			if h <= 0 {
				d.errorf(v.at, v.path, "%v must be > 0", h)
			}
			s.horizon = h
		}
	}
	if v, ok := o.get("interval"); ok {
		if iv, ok := d.duration(v); ok {
			if iv < minInterval {
				d.errorf(v.at, v.path, "%v must be at least %v", iv, minInterval)
			}
			cfg.Interval = iv
		}
	}
	if v, ok := o.get("pacing"); ok {
		cfg.Pacing = d.pacing(v)
	}
	cfg.Name = s.Name
	cfg.Horizon = s.planHorizon()
	if len(d.errs) > 0 {
		return nil
	}
	// The engine's own validation is the last word on what can run; the
	// checks above should leave it nothing to find, but if it does, its
	// errors are placed at the field they name.
	d.engineErrors(cfg.Validate())
	if len(d.errs) > 0 {
		return nil
	}
	if v, ok := o.get("script"); ok && !d.noScript {
		d.script(data, v, s)
		if len(d.errs) == 0 {
			d.engineErrors(cfg.Validate())
		}
		if len(d.errs) > 0 {
			return nil
		}
	}
	return s
}

// defaultName is the file's base name without its extension.
func defaultName(file string) string {
	base := filepath.Base(file)
	if name := strings.TrimSuffix(base, filepath.Ext(base)); name != "" && name != "." {
		return name
	}
	return "scenario"
}

// engineErrors reports sim.Config.Validate's errors at the position of the
// field each names (or of its closest enclosing field).
func (d *decoder) engineErrors(err error) {
	if err == nil {
		return
	}
	var list []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		list = j.Unwrap()
	} else {
		list = []error{err}
	}
	for _, e := range list {
		var fe *sim.FieldError
		if !errors.As(e, &fe) {
			d.errorf(position{}, "", "%v", e)
			continue
		}
		path := fe.Field
		at, ok := d.where[path]
		for p := path; !ok && p != ""; {
			i := strings.LastIndexAny(p, ".[")
			if i < 0 {
				break
			}
			p = p[:i]
			at, ok = d.where[p]
		}
		d.errorf(at, path, "%v", fe.Err)
	}
}

func (d *decoder) stop(v value) Stop {
	var st Stop
	o, ok := d.object(v, "a mapping with auctions, duration or both", stopFields...)
	if !ok {
		return st
	}
	if a, ok := o.get("auctions"); ok {
		if n, ok := d.count(a, "a whole number of auctions"); ok {
			if n == 0 {
				d.errorf(a.at, a.path, "must be > 0 (leave it out for no limit)")
			}
			st.Auctions = n
		}
	}
	if dv, ok := o.get("duration"); ok {
		if t, ok := d.duration(dv); ok {
			if t <= 0 {
				d.errorf(dv.at, dv.path, "%v must be > 0 (leave it out for no limit)", t)
			}
			st.Duration = t
		}
	}
	if !o.has("auctions") && !o.has("duration") {
		d.errorf(v.at, v.path, "needs auctions, duration or both (the run stops at whichever comes first)")
	}
	return st
}

func (d *decoder) traffic(v value) sim.Traffic {
	var t sim.Traffic
	o, ok := d.object(v, "a mapping with qps", trafficFields...)
	if !ok {
		return t
	}
	if q, ok := o.require("qps", "ad requests per second, a number ≥ 0.001"); ok {
		if x, ok := d.number(q, "ad requests per second, a number ≥ 0.001"); ok {
			if x < sim.MinQPS {
				d.errorf(q.at, q.path, "%g must be at least %g", x, sim.MinQPS)
			}
			t.QPS = x
		}
	}
	if sv, ok := o.get("shape"); ok {
		items, ok := d.list(sv, "a list of multipliers ≥ 0 over the day")
		if ok {
			if len(items) == 0 {
				d.errorf(sv.at, sv.path, "needs at least one multiplier (leave it out for a flat rate)")
			}
			positive := false
			for _, it := range items {
				x, ok := d.number(it, "a multiplier ≥ 0")
				if ok && x < 0 {
					d.errorf(it.at, it.path, "%g must be ≥ 0", x)
				}
				positive = positive || x > 0
				t.Shape = append(t.Shape, x)
			}
			if len(items) > 0 && !positive {
				d.errorf(sv.at, sv.path, "needs at least one multiplier > 0")
			}
		}
	}
	return t
}

func (d *decoder) exchange(v value) sim.ExchangeConfig {
	x := sim.ExchangeConfig{Auction: sim.SecondPrice}
	o, ok := d.object(v, "a mapping with tmax and optionally auction, floor, increment", exchangeFields...)
	if !ok {
		return x
	}
	if a, ok := o.get("auction"); ok {
		if s, ok := d.text(a, "second-price or first-price"); ok {
			at, err := sim.ParseAuctionType(s)
			if err != nil {
				d.errorf(a.at, a.path, "%q is not an auction type (want second-price or first-price)", s)
			}
			x.Auction = at
		}
	}
	if t, ok := o.require("tmax", `the bid deadline, a duration such as "120ms"`); ok {
		if tm, ok := d.duration(t); ok {
			if tm <= 0 {
				d.errorf(t.at, t.path, "%v must be > 0", tm)
			}
			x.Tmax = tm
		}
	}
	x.Floor = d.cpm(o, "floor")
	x.Increment = d.cpm(o, "increment")
	d.timeouts(o, &x)
	return x
}

// cpm reads an optional price ≥ 0 (default 0).
func (d *decoder) cpm(o *object, key string) float64 {
	v, ok := o.get(key)
	if !ok {
		return 0
	}
	return d.amount(v, "a price in CPM, a number ≥ 0", false)
}

// amount reads a number that must be ≥ 0, or > 0 when positive is set,
// reporting what is expected otherwise.
func (d *decoder) amount(v value, what string, positive bool) float64 {
	x, ok := d.number(v, what)
	switch {
	case !ok:
	case positive && x <= 0:
		d.errorf(v.at, v.path, "%g must be > 0", x)
	case x < 0:
		d.errorf(v.at, v.path, "%g must be ≥ 0", x)
	}
	return x
}

// share reads an optional probability in [0, 1] (default 0).
func (d *decoder) share(o *object, key string) float64 {
	v, ok := o.get(key)
	if !ok {
		return 0
	}
	x, ok := d.number(v, "a share in [0, 1]")
	if ok && !(x >= 0 && x <= 1) {
		d.errorf(v.at, v.path, "%g is not a share in [0, 1]", x)
	}
	return x
}

func (d *decoder) pacing(v value) sim.PacingParams {
	var p sim.PacingParams
	o, ok := d.object(v, "a mapping with interval, epsilon, max_mu", pacingFields...)
	if !ok {
		return p
	}
	if iv, ok := o.get("interval"); ok {
		if t, ok := d.duration(iv); ok {
			if t < sim.Millisecond {
				d.errorf(iv.at, iv.path, "%v must be at least 1ms", t)
			}
			p.Interval = t
		}
	}
	positive := func(key string) float64 {
		v, ok := o.get(key)
		if !ok {
			return 0
		}
		x, ok := d.number(v, "a number > 0")
		if ok && x <= 0 {
			d.errorf(v.at, v.path, "%g must be > 0 (leave it out for the default)", x)
		}
		return x
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
	if len(items) == 0 {
		d.errorf(v.at, v.path, "needs at least one bidder")
		return nil
	}
	out := make([]sim.BidderConfig, 0, len(items))
	names := map[string]int{}
	for i, it := range items {
		b, nameAt := d.bidder(it)
		if b.Name != "" {
			if j, dup := names[b.Name]; dup {
				d.errorf(nameAt, it.path+".name", "%q is already the name of bidders[%d]", b.Name, j)
			} else {
				names[b.Name] = i
			}
		}
		out = append(out, b)
	}
	return out
}

// bidder reads one bidder; nameAt is where its name is, for duplicates.
func (d *decoder) bidder(v value) (sim.BidderConfig, position) {
	var b sim.BidderConfig
	o, ok := d.object(v, "a bidder: a mapping with name and value", bidderFields...)
	if !ok {
		return b, v.at
	}
	nameAt := v.at
	if nv, ok := o.require("name", "a string"); ok {
		nameAt = nv.at
		if name, ok := d.text(nv, "a string"); ok {
			if strings.TrimSpace(name) == "" {
				d.errorf(nv.at, nv.path, "must not be empty")
			}
			b.Name = name
		}
	}
	if lv, ok := o.get("latency"); ok {
		b.Latency = d.dist(lv, durations, 0)
	}
	b.Errors = d.share(o, "errors")
	b.NoBid = d.share(o, "no_bid")
	if b.Errors+b.NoBid > 1 && b.Errors <= 1 && b.NoBid <= 1 {
		nv, _ := o.get("no_bid")
		d.errorf(nv.at, nv.path, "errors + no_bid = %g is more than 1", b.Errors+b.NoBid)
	}
	if cv, ok := o.get("capacity"); ok {
		b.Capacity = d.capacity(cv)
	}
	if vv, ok := o.require("value", "the distribution of the bidder's value for an impression, in CPM"); ok {
		b.Value = d.dist(vv, prices, 0)
	}
	if sv, ok := o.get("strategy"); ok {
		b.Strategy = d.strategy(sv)
	}
	if bv, ok := o.get("budget"); ok {
		b.Budget = d.budget(bv)
	}
	if ov, ok := o.get("outcome"); ok {
		b.Outcome = d.outcome(ov)
	}
	if dv, ok := o.get("disabled"); ok {
		b.Disabled, _ = d.boolean(dv)
	}
	d.respectsTmax(o, &b)
	return b, nameAt
}

func (d *decoder) capacity(v value) *sim.Capacity {
	c := &sim.Capacity{}
	o, ok := d.object(v, "a mapping with workers, service and optionally queue", capacityFields...)
	if !ok {
		return c
	}
	if wv, ok := o.require("workers", "the number of requests served at once, a whole number ≥ 1"); ok {
		if n, ok := d.count(wv, "a whole number ≥ 1"); ok {
			if n < 1 || n > maxWorkers {
				d.errorf(wv.at, wv.path, "%d must be between 1 and %d", n, maxWorkers)
			}
			c.Workers = int(min(n, maxWorkers))
		}
	}
	if sv, ok := o.require("service", "the distribution of the time one request takes to serve"); ok {
		c.Service = d.dist(sv, durations, 0)
	}
	if qv, ok := o.get("queue"); ok {
		if n, ok := d.count(qv, "a whole number ≥ 0 (0: unbounded)"); ok {
			if n > math.MaxInt32 {
				d.errorf(qv.at, qv.path, "%d is too large (0 means unbounded)", n)
			}
			c.Queue = int(min(n, math.MaxInt32))
		}
	}
	return c
}

func (d *decoder) strategy(v value) sim.Strategy {
	var s sim.Strategy
	o, ok := d.object(v, "a mapping with kind (truthful, shade or fixed)", strategyFields...)
	if !ok {
		return s
	}
	kv, ok := o.require("kind", "truthful, shade or fixed")
	if !ok {
		return s
	}
	name, ok := d.text(kv, "truthful, shade or fixed")
	if !ok {
		return s
	}
	k, err := sim.ParseStrategyKind(name)
	if err != nil {
		d.errorf(kv.at, kv.path, "%q is not a strategy (want truthful, shade or fixed)", name)
		return s
	}
	s.Kind = k
	only := func(key string, kind sim.StrategyKind) {
		if f, ok := o.fields[key]; ok && k != kind {
			d.errorf(f.keyAt, f.v.path, "applies only to kind %s", kind)
		}
	}
	only("factor", sim.Shade)
	only("bid", sim.Fixed)
	switch k {
	case sim.Shade:
		if fv, ok := o.require("factor", "the share of its value the bidder bids, a number > 0"); ok {
			s.Factor = d.amount(fv, "a number > 0", true)
		}
	case sim.Fixed:
		if bv, ok := o.require("bid", "the bid in CPM, a number ≥ 0"); ok {
			s.Bid = d.amount(bv, "a bid in CPM, a number ≥ 0", false)
		}
	}
	return s
}

func (d *decoder) budget(v value) *sim.Budget {
	b := &sim.Budget{}
	o, ok := d.object(v, "a mapping with total and optionally pacing", budgetFields...)
	if !ok {
		return b
	}
	if tv, ok := o.require("total", "the budget in currency, a number ≥ 0"); ok {
		b.Total = d.amount(tv, "an amount of currency ≥ 0", false)
	}
	if pv, ok := o.get("pacing"); ok {
		if name, ok := d.text(pv, "none, throttle or multiplier"); ok {
			k, err := sim.ParsePacingKind(name)
			if err != nil {
				d.errorf(pv.at, pv.path, "%q is not a pacing (want none, throttle or multiplier)", name)
			}
			b.Pacing = k
		}
	}
	return b
}

func (d *decoder) outcome(v value) *sim.Outcome {
	out := &sim.Outcome{}
	o, ok := d.object(v, "a mapping with ctr, cvr, order_value, baseline_cvr, delay", outcomeFields...)
	if !ok {
		return out
	}
	out.CTR = d.share(o, "ctr")
	out.CVR = d.share(o, "cvr")
	out.BaselineCVR = d.share(o, "baseline_cvr")
	if ov, ok := o.get("order_value"); ok {
		out.OrderValue = d.amount(ov, "an amount of currency ≥ 0", false)
	}
	if dv, ok := o.get("delay"); ok {
		out.Delay = d.dist(dv, durations, 0)
	}
	return out
}
