package scenarios

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/auctionsim/auctionsim/sim"
)

// A live change is a path assignment, in the dialect of --set and of a
// script's set: exchange.tmax=80ms, bidders.metro.latency.median=90ms.
// Live follows a running world's scenario as assignments change it, and
// turns each assignment into the engine's typed changes by the one route
// every change takes: the override edits the scenario's YAML (Apply), the
// edited text is parsed with every check the file gets (Parse), and
// sim.Diff says what changed, refusing what cannot change during a run.
// An assignment to one canonical field takes a quick route to the same
// result, without parsing the whole text again (livefast.go), so that a
// change log of hundreds of thousands of entries is read in seconds.
//
// Each typed change has one canonical assignment (Assignments), which the
// change log records; reading it back through Live gives the same change,
// bit for bit, so that a logged run replays exactly. A budget move is a
// named kind: it is more than its two assignments (it is refused when the
// source has less uncommitted budget, and conserves the total exactly).

// Live is a running world's scenario with the assignments made so far.
// Its zero value is not usable; NewLive makes one. A Live is a value:
// copying it copies the state, and Set changes only the copy it is called
// on.
type Live struct {
	file  string
	text  []byte // the effective YAML, without the script, but for pending
	cfg   sim.Config
	names []string
	stop  Stop // the scenario's stop, which live changes are checked against

	// The quick route (livefast.go): whether it may be taken, the
	// assignments it made that text does not hold yet, and bounds on the
	// text's longest line and nesting, on what the pending assignments
	// may add to its size, and on the nesting of their values.
	quick   bool
	pending *assigned
	line    int
	grown   []growth
	nesting int
	deepest int
	full    bool // every Set by the full route (tests compare the two)
	// oldNames: a replay's (NewReplayLive), which reads names as
	// ParseReplay does.
	oldNames bool
}

// NewLive follows the scenario whose YAML text is data (its script is left
// out: a script is not part of the world, and its changes come in the log
// like every other); file names it in messages.
func NewLive(file string, data []byte) (*Live, error) {
	return newLive(file, data, false)
}

// NewReplayLive is NewLive for the scenario an export embeds, to read its
// change log: its names are read as ParseReplay reads them, so that an
// export made before a name was refused replays as it ran.
func NewReplayLive(file string, data []byte) (*Live, error) {
	return newLive(file, data, true)
}

func newLive(file string, data []byte, oldNames bool) (*Live, error) {
	if text := dropScript(data); text != nil {
		data = text
	}
	s, err := parseNames(file, data, oldNames)
	if err != nil {
		return nil, err
	}
	l := &Live{file: file, text: data, cfg: s.Config, names: bidderNames(s), stop: s.Stop, oldNames: oldNames}
	l.quick = quickable(data, l.names)
	l.measure()
	return l, nil
}

// Config is the world's configuration with every assignment so far.
func (l *Live) Config() sim.Config { return l.cfg }

// YAML is the effective scenario text with every assignment so far; nil
// if the assignments the quick route made cannot be written into it, which
// its checks rule out.
func (l *Live) YAML() []byte {
	if l.flush() != nil {
		return nil
	}
	return l.text
}

// Set makes the assignments sets, in order, and returns the live changes
// that make them: sim.Diff's, plus, for an assignment to a field a single
// change sets (Assignments' paths), that change even when the value is the
// one the field already has, since applying it is not always a no-op (a
// rate redraws the next arrival, a pacing restarts its controller). Errors
// name the assignment, with the messages and suggestions --set gives.
func (l *Live) Set(sets []Set) ([]sim.Change, error) {
	if len(sets) == 0 {
		return nil, nil
	}
	if changes, ok := l.quickSet(sets); ok {
		return changes, nil
	}
	if err := l.flush(); err != nil {
		return nil, fmt.Errorf("following the assignments so far: %w", err)
	}
	for _, set := range sets {
		// A live change sets what a script may: not the keys outside the
		// running world, nor the set of bidders, nor a bidder whole; its
		// bidder is resolved as a script's is, so that the refusal is the
		// script's.
		if _, err := livePath(set.Path, l.names); err != nil {
			return nil, fmt.Errorf("%s: %w", set, err)
		}
	}
	text, attach, err := Apply(l.text, sets)
	if err != nil {
		return nil, err
	}
	s, err := parseNames(l.file, text, l.oldNames)
	if err != nil {
		return nil, blame(err, sets, attach, l.names, reparser(l.file, l.text, l.oldNames))
	}
	// The run's horizon was planned at its start; a live change of the
	// rate does not plan it again (the horizon cannot change live, and
	// pacing spreads budgets over the run as it was planned).
	s.Config.Horizon = l.cfg.Horizon
	changes, err := sim.Diff(l.cfg, s.Config)
	if err != nil {
		return nil, notLive(err, sets)
	}
	for _, set := range sets {
		for _, p := range l.leaves(set.Path) {
			c, ok := changeAt(p, s.Config)
			if ok && !slices.ContainsFunc(changes, func(d sim.Change) bool { return sameField(c, d) }) {
				changes = append(changes, c)
			}
		}
	}
	l.text, l.cfg, l.stop = text, s.Config, s.Stop
	// The value may have brought anchors or aliases into the text.
	l.quick = quickable(text, l.names)
	l.measure()
	return changes, nil
}

// Follow brings l up to date with a change applied to the world, as the
// change log records it: its assignments, or a budget move's effect on the
// two budgets. A change that cannot be written exactly (a latency scaled
// by a factor, from an older version) is followed to the nearest value a
// file can hold.
func (l *Live) Follow(c sim.Change) error {
	switch c := c.(type) {
	case sim.MoveBudget:
		from, to := l.bidder(c.From), l.bidder(c.To)
		if from == nil || to == nil || from.Budget == nil || to.Budget == nil {
			return fmt.Errorf("%s: both bidders need budgets", c)
		}
		_, err := l.Set([]Set{
			{Path: bidderField(c.From, "budget.total"), Value: money(from.Budget.Total - c.Amount)},
			{Path: bidderField(c.To, "budget.total"), Value: money(to.Budget.Total + c.Amount)},
		})
		return err
	case sim.ScaleLatency:
		b := l.bidder(c.Bidder)
		if b == nil {
			return fmt.Errorf("%s: no bidder named %q", c, c.Bidder)
		}
		return l.Follow(sim.SetLatency{Bidder: c.Bidder, Latency: b.Latency.Scale(c.Factor)})
	case sim.SetLatency:
		if _, exact := Assignments(c); !exact {
			_, err := l.Set([]Set{LatencySet(c.Bidder, c.Latency)})
			return err
		}
	case sim.SetBudget:
		if b := l.bidder(c.Bidder); c.Unlimited && b != nil && b.Budget != nil && b.Budget.Daily > 0 {
			// The engine keeps a daily budget when the total goes, as
			// budget.total=null says (an older log wrote budget=null).
			c.KeepDaily = true
			sets, _ := Assignments(c)
			_, err := l.Set(sets)
			return err
		}
		if b := l.bidder(c.Bidder); !c.Unlimited && c.Total == 0 && b != nil && b.Budget != nil && b.Budget.Daily > 0 {
			// An older log's cap of 0 beside a daily budget (its quick
			// route took budget.total=0 so): no file can write it, and
			// the scenario followed keeps the budget as written.
			return nil
		}
	}
	sets, ok := Assignments(c)
	if !ok {
		return fmt.Errorf("%s: a change of kind %s has no path", c, c.Kind())
	}
	_, err := l.Set(sets)
	return err
}

func (l *Live) bidder(name string) *sim.BidderConfig {
	for i := range l.cfg.Bidders {
		if l.cfg.Bidders[i].Name == name {
			return &l.cfg.Bidders[i]
		}
	}
	return nil
}

// leaves is the canonical paths (bidders by name) an assignment's path
// names exactly, or nothing when it names a part of one or a whole of
// several.
func (l *Live) leaves(path string) []string {
	ref, err := parsePath(path, setRules)
	if err != nil {
		return nil
	}
	if !ref.underBidders() {
		if slices.Contains(exchangeLeaves, path) {
			return []string{path}
		}
		return nil
	}
	idx, rest, err := ref.bidders(l.names)
	below := strings.Join(rest, ".")
	if err != nil || !slices.Contains(bidderLeaves, below) {
		return nil
	}
	out := make([]string, len(idx))
	for j, i := range idx {
		out[j] = bidderField(l.names[i], below)
	}
	return out
}

// The canonical paths: each is set by exactly one kind of change.
var (
	exchangeLeaves = []string{"exchange.auction", "exchange.tmax", "exchange.floor", "exchange.increment", "exchange.abandonment", "traffic.qps"}
	bidderLeaves   = []string{"latency", "strategy", "budget", "budget.total", "budget.pacing", "budget.daily", "disabled", "frequency_cap"}
)

func bidderField(name, field string) string { return "bidders." + name + "." + field }

// changeAt is the change that sets the canonical path p to its value in
// cfg.
func changeAt(p string, cfg sim.Config) (sim.Change, bool) {
	x := cfg.Exchange
	switch p {
	case "exchange.auction":
		return sim.SetAuction{Auction: x.Auction}, true
	case "exchange.tmax":
		return sim.SetTmax{Tmax: x.Tmax}, true
	case "exchange.floor":
		return sim.SetFloor{Floor: x.Floor}, true
	case "exchange.increment":
		return sim.SetIncrement{Increment: x.Increment}, true
	case "traffic.qps":
		return sim.SetQPS{QPS: cfg.Traffic.QPS}, true
	case "exchange.abandonment":
		return sim.SetAbandonment{Abandonment: x.Abandonment}, true
	}
	for _, b := range cfg.Bidders {
		field, ok := strings.CutPrefix(p, "bidders."+b.Name+".")
		if !ok || !slices.Contains(bidderLeaves, field) {
			continue
		}
		switch field {
		case "latency":
			return sim.SetLatency{Bidder: b.Name, Latency: b.Latency}, true
		case "strategy":
			return sim.SetStrategy{Bidder: b.Name, Strategy: b.Strategy}, true
		case "budget", "budget.total":
			if b.Budget == nil {
				return sim.SetBudget{Bidder: b.Name, Unlimited: true}, true
			}
			if b.Budget.Daily > 0 && b.Budget.Total == 0 {
				// A daily budget alone: no total cap (sim.Budget).
				return sim.SetBudget{Bidder: b.Name, Unlimited: true, KeepDaily: true}, true
			}
			return sim.SetBudget{Bidder: b.Name, Total: b.Budget.Total}, true
		case "budget.daily":
			if b.Budget == nil || b.Budget.Daily == 0 {
				return nil, false
			}
			return sim.SetDaily{Bidder: b.Name, Daily: b.Budget.Daily}, true
		case "budget.pacing":
			if b.Budget == nil {
				return nil, false
			}
			return sim.SetPacing{Bidder: b.Name, Pacing: b.Budget.Pacing}, true
		case "disabled":
			return sim.SetEnabled{Bidder: b.Name, Enabled: !b.Disabled}, true
		case "frequency_cap":
			if cfg.Traffic.Users == nil {
				return nil, false
			}
			return sim.SetFrequencyCap{Bidder: b.Name, Cap: b.FrequencyCap}, true
		}
	}
	return nil, false
}

// sameField reports whether a and b set the same field.
func sameField(a, b sim.Change) bool {
	return a.Kind() == b.Kind() && sim.BidderOf(a) == sim.BidderOf(b)
}

// notLive names the assignments in sim.Diff's refusal.
func notLive(err error, sets []Set) error {
	all := make([]string, len(sets))
	for i, s := range sets {
		all[i] = s.String()
	}
	return fmt.Errorf("%s: %w", strings.Join(all, ", "), notLiveErr(err))
}

// notLiveErr is the one wording of what cannot change during a run,
// whichever door tried (the dashboard's keys and command line, a replayed
// change, a script's set): sim's refusal, FIELD: cannot change during a
// run, and what can.
func notLiveErr(err error) error {
	return fmt.Errorf("%w (live: %s)", err, liveFields())
}

// liveFields lists the fields that can change during a run, for the
// refusals of those that cannot: the canonical paths, each set by one kind
// of live change (TestLiveFieldsAreLive checks them against what sim.Diff
// accepts). A frequency cap changes in a world with people, a daily budget
// where there is one.
func liveFields() string {
	return strings.Join(exchangeLeaves, ", ") + ", and a bidder's " + strings.Join(bidderLeaves, ", ")
}

// Assignments is the canonical assignment of a change: the one path it
// sets, bidders by name, and the value as the scenario file writes it,
// which Live.Set reads back to the same change exactly. ok is false for a
// change that is more than an assignment (a budget move, a latency scaled
// by a factor), or whose value a file cannot hold exactly (a lognormal
// whose mu no file's mu gives back, below a few microseconds).
func Assignments(c sim.Change) (sets []Set, ok bool) {
	one := func(path, value string) ([]Set, bool) { return []Set{{Path: path, Value: value}}, true }
	switch c := c.(type) {
	case sim.SetTmax:
		return one("exchange.tmax", duration(int64(c.Tmax)))
	case sim.SetFloor:
		return one("exchange.floor", number(c.Floor.CPM()))
	case sim.SetIncrement:
		return one("exchange.increment", number(c.Increment.CPM()))
	case sim.SetAuction:
		return one("exchange.auction", c.Auction.String())
	case sim.SetQPS:
		return one("traffic.qps", number(c.QPS))
	case sim.SetLatency:
		v, exact := distYAML(c.Latency, true)
		if !exact {
			return nil, false
		}
		return one(bidderField(c.Bidder, "latency"), v)
	case sim.SetBudget:
		if c.Unlimited && c.KeepDaily {
			return one(bidderField(c.Bidder, "budget.total"), "null")
		}
		if c.Unlimited {
			return one(bidderField(c.Bidder, "budget"), "null")
		}
		return one(bidderField(c.Bidder, "budget.total"), money(c.Total))
	case sim.SetStrategy:
		v := "{kind: " + c.Strategy.Kind.String()
		switch c.Strategy.Kind {
		case sim.Shade:
			v += ", factor: " + number(c.Strategy.Factor)
		case sim.Fixed:
			v += ", bid: " + number(c.Strategy.Bid.CPM())
		case sim.Learn:
			// Zero is the default, written as nothing, so that the
			// strategy reads back as it was.
			if c.Strategy.Arms != 0 {
				v += ", arms: " + strconv.Itoa(c.Strategy.Arms)
			}
			if c.Strategy.Epsilon != 0 {
				v += ", epsilon: " + number(c.Strategy.Epsilon)
			}
		case sim.TargetCPA:
			v += ", cpa: " + money(c.Strategy.CPA)
		case sim.TargetROAS:
			v += ", roas: " + number(c.Strategy.ROAS)
			if c.Strategy.On != sim.OnAttributed {
				v += ", on: " + c.Strategy.On.String()
			}
		}
		return one(bidderField(c.Bidder, "strategy"), v+"}")
	case sim.SetPacing:
		return one(bidderField(c.Bidder, "budget.pacing"), c.Pacing.String())
	case sim.SetDaily:
		return one(bidderField(c.Bidder, "budget.daily"), money(c.Daily))
	case sim.SetEnabled:
		return one(bidderField(c.Bidder, "disabled"), strconv.FormatBool(!c.Enabled))
	case sim.SetFrequencyCap:
		if c.Cap == nil {
			return one(bidderField(c.Bidder, "frequency_cap"), "null")
		}
		return one(bidderField(c.Bidder, "frequency_cap"), "{impressions: "+strconv.Itoa(c.Cap.Impressions)+", per: "+capPer(c.Cap.Per)+"}")
	case sim.SetAbandonment:
		a := c.Abandonment
		return one("exchange.abandonment", "{per_100ms: "+number(a.Per100ms)+", grace: "+duration(int64(a.Grace))+"}")
	}
	return nil, false
}

// ChangeText is a change as a person types it: its canonical assignment,
// PATH=VALUE (exchange.tmax=80ms), as --set, a script's set, the
// dashboard's command line and an export's set write it, so that the
// dashboard's change log reads in the dialect every door takes. A change
// that is more than an assignment (a budget move, a latency scaled by a
// factor) has no PATH=VALUE and is described in words.
func ChangeText(c sim.Change) string {
	sets, ok := Assignments(c)
	if !ok {
		return c.String()
	}
	return strings.Join(SetStrings(sets), ", ")
}

// money writes an amount of currency as a file does: it reads back to m
// to within float64's precision (exactly below about 2 million units).
func money(m sim.Money) string { return number(m.Float()) }

// number writes x so that YAML reads back exactly x.
func number(x float64) string {
	switch {
	case math.IsInf(x, 1):
		return ".inf"
	case math.IsInf(x, -1):
		return "-.inf"
	case math.IsNaN(x):
		return ".nan"
	}
	if a := math.Abs(x); a >= 1e21 || a != 0 && a < 1e-6 {
		// 1e+300, not a 301-digit number in a message; YAML reads
		// either back exactly.
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}

// duration writes ns nanoseconds as a duration the file reads back
// exactly: "80ms", "1m30s", "1.5ms".
func duration(ns int64) string {
	if ns == 0 {
		return "0s"
	}
	return time.Duration(ns).String()
}

// capPer writes a frequency cap's period as a file does, without zero
// tails ("24h", not "24h0m0s"); both read back to the same period.
func capPer(per sim.Time) string {
	if per == 0 {
		return "0s"
	}
	return per.Window()
}

// distYAML writes a latency distribution in flow style, its durations to
// the fraction of a nanosecond. With exact, ok is false when a file
// cannot hold it exactly; without, a lognormal is written as its median
// and p99 to the nanosecond, as people read it.
func distYAML(d sim.Dist, exact bool) (string, bool) {
	ok := true
	dur := func(ns float64) string {
		switch r := math.Round(ns); {
		case math.IsNaN(ns) || math.Abs(r) >= 1<<62:
			ok = false
			return "0s"
		case r != ns:
			// A fraction of a nanosecond, as the shortest decimal that
			// reads back to ns.
			return strconv.FormatFloat(ns, 'f', -1, 64) + "ns"
		default:
			return duration(int64(r))
		}
	}
	var b strings.Builder
	var write func(d sim.Dist, weight string)
	write = func(d sim.Dist, weight string) {
		b.WriteString("{")
		if weight != "" {
			b.WriteString("weight: " + weight + ", ")
		}
		b.WriteString("dist: " + d.Kind.String())
		switch d.Kind {
		case sim.DistConstant:
			b.WriteString(", value: " + dur(d.A))
		case sim.DistUniform:
			b.WriteString(", min: " + dur(d.A) + ", max: " + dur(d.B))
		case sim.DistNormal:
			b.WriteString(", mean: " + dur(d.A) + ", sd: " + dur(d.B))
		case sim.DistExponential:
			b.WriteString(", mean: " + dur(d.A))
		case sim.DistLogNormal:
			b.WriteString(lognormalYAML(d, exact, &ok))
		case sim.DistMixture:
			b.WriteString(", parts: [")
			for i, p := range d.Parts {
				if i > 0 {
					b.WriteString(", ")
				}
				write(p.Dist, number(p.Weight))
			}
			b.WriteString("]")
		default:
			ok = false
		}
		b.WriteString("}")
	}
	write(d, "")
	return b.String(), ok || !exact
}

// lognormalYAML writes a lognormal's parameters: median and p99 when they
// are whole nanoseconds that give back its mu and sigma, as a file's do
// (without exact, to the nearest nanosecond); otherwise mu (of the log of
// seconds, as the file reads it) and sigma, mu chosen so that the file's
// reading gives back the lognormal's exactly.
func lognormalYAML(d sim.Dist, exact bool, ok *bool) string {
	med, p99 := d.MedianP99()
	med, p99 = math.Round(med), math.Round(p99)
	fits := med >= 1 && p99 >= med && p99 < 1<<62
	if q := sim.LogNormalMedianP99(med, p99); fits && (!exact || q.A == d.A && q.B == d.B) {
		return ", median: " + duration(int64(med)) + ", p99: " + duration(int64(p99))
	}
	logSecond := math.Log(float64(sim.Second))
	mu := d.A - logSecond
	found := false
	for up, down, i := mu, mu, 0; i < 32 && !found; i++ {
		switch {
		case up+logSecond == d.A:
			mu, found = up, true
		case down+logSecond == d.A:
			mu, found = down, true
		}
		up, down = math.Nextafter(up, math.Inf(1)), math.Nextafter(down, math.Inf(-1))
	}
	if !found && exact {
		// Where mu is small (a median below a few microseconds) not
		// every mu is one a file's mu gives; a median and p99 with
		// fractions of a nanosecond may give it instead.
		if m, p, ok := quantilesOf(d); ok {
			return ", median: " + exactNS(m) + ", p99: " + exactNS(p)
		}
		*ok = false
	}
	return ", mu: " + number(mu) + ", sigma: " + number(d.B)
}

// quantilesOf finds a median and p99, in nanoseconds, from which
// sim.LogNormalMedianP99 gives exactly the lognormal d.
func quantilesOf(d sim.Dist) (median, p99 float64, ok bool) {
	near := func(x float64, hit func(float64) bool) (float64, bool) {
		for up, down, i := x, x, 0; i < 64; i++ {
			switch {
			case hit(up):
				return up, true
			case hit(down):
				return down, true
			}
			up, down = math.Nextafter(up, math.Inf(1)), math.Nextafter(down, math.Inf(-1))
		}
		return 0, false
	}
	m, p := d.MedianP99()
	median, ok = near(m, func(m float64) bool { return math.Log(m) == d.A })
	if !ok {
		return 0, 0, false
	}
	p99, ok = near(p, func(p float64) bool {
		q := sim.LogNormalMedianP99(median, p)
		return q.A == d.A && q.B == d.B
	})
	return median, p99, ok && p99 < 1<<62
}

// exactNS writes nanoseconds as a duration that reads back exactly.
func exactNS(ns float64) string {
	if r := math.Round(ns); r == ns {
		return duration(int64(r))
	}
	return strconv.FormatFloat(ns, 'f', -1, 64) + "ns"
}

// LatencySet is the assignment of a bidder's latency to d, a lognormal as
// its median and p99 to the nanosecond: what a key that scales a latency
// sets, so that the change it makes is the one its assignment reads back
// to.
func LatencySet(bidder string, d sim.Dist) Set {
	v, _ := distYAML(d, false)
	return Set{Path: bidderField(bidder, "latency"), Value: v}
}

// ParseLatency reads a latency distribution as a scenario file writes one
// ("{dist: lognormal, median: 30ms, p99: 80ms}", "30ms"), by the file's
// own rules and messages; sim's ranges are checked where it is used.
func ParseLatency(text string) (sim.Dist, error) {
	d := newDecoder("latency")
	v, ok := d.document([]byte(text))
	var out sim.Dist
	if ok {
		v.path = "latency"
		out = d.dist(v, durations, 0)
	}
	if len(d.errs) > 0 {
		return sim.Dist{}, d.errs.sorted()
	}
	return out, nil
}

// LogNormalLatency writes the parameters of the lognormal latency with mu
// and sigma of the log of nanoseconds as a file writes them (", mu: …,
// sigma: …", mu of the log of seconds), so that the file's reading gives
// back mu exactly; ok is false where no file's mu does.
func LogNormalLatency(mu, sigma float64) (params string, ok bool) {
	ok = true
	params = lognormalYAML(sim.LogNormal(mu, sigma), true, &ok)
	return params, ok
}
