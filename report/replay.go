package report

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// Replayable is a JSON export read back to be replayed: the scenario's
// text, the seed, stop and horizon the run had, its change log and the
// point it stood at.
type Replayable struct {
	Scenario string // the scenario's name, as the export gives it
	YAML     []byte // the scenario file's text
	Seed     uint64
	Stop     sim.Stop
	Horizon  sim.Time // 0: not recorded
	Point    sim.Point
	Auctions uint64 // auctions closed at Point
	Changes  []sim.AppliedChange
	// Revenue is the export's exchange.revenue, nil when it has none (a
	// trimmed file), and RevenueLine its line: a replay that reaches
	// the point with another revenue ran another run (Execute).
	Revenue     *float64
	RevenueLine int
}

// changeEntry is a change log entry as read back.
type changeEntry struct {
	Kind   string          `json:"kind"`
	Bidder string          `json:"bidder"`
	Value  json.RawMessage `json:"value"`
	AtNS   *int64          `json:"at_ns"`
	Event  *uint64         `json:"event"`
	// Scripted: the scenario's script applied it (sim replays it once).
	Scripted bool `json:"scripted"`
	// Set is the change as a path assignment (version 2).
	Set map[string]string `json:"set"`
}

// ErrNoReplay says a JSON file has no replay section: it is a summary, or
// an export made without the scenario's text.
var ErrNoReplay = errors.New("no replay section (only a JSON export written by `run --out` or the dashboard's e, by this version of auctionsim, can be replayed)")

// ErrForkExport says a JSON file is an A/B fork's export: two runs
// compared, with no replay section of its own.
var ErrForkExport = errors.New("an A/B fork's export (the dashboard's e while forked): it compares two runs and has no replay section; end the fork, then e exports the run kept, which replays")

// ErrRepsResult says a JSON file is the result of replications (run
// --reps, or merge of its shards): statistics over many runs, with no
// replay section. Its statistic-valued fields would otherwise fail to
// decode and read as a damaged export.
var ErrRepsResult = errors.New("a replications result (run --reps, or merge of its shards): its figures are statistics over many runs and it has no replay section; export one run with run --out x.json (without --reps) and replay that")

// ErrShardFile says a file is a shard of an experiment (--shard K/N):
// JSON lines of replications, for merge, not one run's export.
var ErrShardFile = errors.New("a shard of an experiment (--shard K/N --out): its replications are for auctionsim merge, and it has no replay section; export one run with run --out x.json and replay that")

// ErrWireExport says an export is of a run on the wire: its auctions
// closed on the wall clock, which a replay cannot reproduce.
var ErrWireExport = errors.New("an export of a run on the wire (run --endpoints, or the dashboard on the wire): its auctions closed as the wire's answers came, on the wall clock, which no replay reproduces; run its scenario again instead (replay.scenario_yaml holds it)")

// ReadReplay reads what replays an export from r, a JSON file written by
// WriteJSON. It scans the file once, keeping only the fields it needs
// (scenario, changes, replay), which it decodes and checks in full; the
// others, the time series above all, are skipped at the speed of reading
// with their structure checked, so a huge export costs neither memory nor
// minutes. The file must have a replay section of version ReplayVersion,
// or of version 1.
//
// A change is read from its path assignment (set) through the scenario's
// own override, parser and sim.Diff (scenarios.Live, whose quick route
// reads an assignment to one field without parsing the whole scenario
// again), following the run's scenario change by change, so each reads
// back to exactly the change that was applied; a named kind (a budget
// move) from its kind and value.
// Version 1's changes are read from kind and value.
func ReadReplay(r io.Reader) (*Replayable, error) {
	return ReadReplayContext(context.Background(), r)
}

// utf8BOM is the byte order mark an editor may put before the JSON.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// checkEvery is how many change log entries are read between looks at
// the context: a few milliseconds' worth.
const checkEvery = 256

// ReadReplayContext is ReadReplay, given up when ctx is done (a signal):
// the file is read, and its change log decoded, with ctx checked as they
// go; the error is then ctx's, wrapped.
func ReadReplayContext(ctx context.Context, r io.Reader) (*Replayable, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("reading the export: %w", err)
	}
	sc := &scanner{r: bufio.NewReaderSize(ctxReader{ctx, r}, 1<<16), line: 1}
	if b, _ := sc.r.Peek(len(utf8BOM)); bytes.Equal(b, utf8BOM) {
		// An editor's byte order mark (Notepad writes one) is not
		// JSON but says nothing against the export: skip it, counted
		// in the offsets errors give.
		sc.r.Discard(len(utf8BOM))
		sc.offset = int64(len(utf8BOM))
	}
	var (
		out     Replayable
		rep     *Replay
		changes []changeEntry
		fork    bool // a fork export's own field seen
		// reps: a replications result's own field seen; its
		// fields after it are statistics, skipped undecoded.
		reps bool
		// shard: the file opens as a shard's header (format
		// auctionsim-shard/N), JSON lines that merge reads.
		shard bool
		// versionLine is the line of replay.version, for the refusals
		// that name it; 0: the field is absent.
		versionLine int
		// exchange: what the export's exchange section says of the
		// engine that wrote it (engineWorld).
		exchange struct{ engine engineFields }
		// curve: the export's tmax curve (engineWorld).
		curve exportCurve
	)
	err := sc.object(func(key string) error {
		var target any
		if reps && key != "replay" {
			return sc.value(nil)
		}
		switch key {
		case "replications":
			reps = true
			return sc.value(nil)
		case "format":
			raw, err := sc.bounded(key, maxSection)
			if err != nil {
				return err
			}
			var f string
			shard = json.Unmarshal(raw, &f) == nil && strings.HasPrefix(f, "auctionsim-shard/")
			return nil
		case "scenario":
			target = &out.Scenario
		case "changes":
			if c, err := sc.skipSpace(); err == nil && c == '[' {
				// The log may be long: read entry by entry, each
				// bounded, rather than as one copy.
				changes = changes[:0]
				return sc.array(func(i int) error {
					raw, err := sc.bounded(fmt.Sprintf("changes[%d]", i), maxChange)
					if err != nil {
						return err
					}
					var c changeEntry
					if err := json.Unmarshal(raw, &c); err != nil {
						return fmt.Errorf("changes[%d]: %w", i, err)
					}
					changes = append(changes, c)
					return nil
				})
			}
			target = &changes
		case "replay":
			target = &rep
		case "exchange":
			// Only which engine's fields it has is kept: the
			// section is small, read whole to look at its keys.
			raw, err := sc.bounded(key, maxSection)
			if err != nil {
				return err
			}
			exchange.engine = engineFields{
				seen:    true,
				waited:  keyLine(raw, "wait_ms", sc.from) != 0,
				netLine: keyLine(raw, "net_revenue", sc.from),
			}
			var x struct {
				Revenue *float64 `json:"revenue"`
			}
			if err := json.Unmarshal(raw, &x); err != nil {
				return fmt.Errorf("%s: %w", key, err)
			}
			out.Revenue, out.RevenueLine = x.Revenue, keyLine(raw, "revenue", sc.from)
			return nil
		case "tmax_curve":
			raw, err := sc.bounded(key, maxSection)
			if err != nil {
				return err
			}
			var pts []struct {
				MS *float64 `json:"tmax_ms"`
			}
			if err := json.Unmarshal(raw, &pts); err != nil {
				return fmt.Errorf("%s: %w", key, err)
			}
			curve.pts, curve.line = curve.pts[:0], sc.from
			for i, p := range pts {
				if p.MS == nil || *p.MS <= 0 || *p.MS > float64(sim.MaxTmaxCurve/sim.Millisecond) {
					return fmt.Errorf("%s[%d].tmax_ms: missing or out of range", key, i)
				}
				curve.pts = append(curve.pts, sim.Time(math.Round(*p.MS*float64(sim.Millisecond))))
			}
			return nil
		case "tmax_curve_censored_above_ms":
			curve.censored = true
			return sc.value(nil)
		case "fork_seconds":
			fork = true
			return sc.value(nil)
		default:
			return sc.value(nil)
		}
		raw, err := sc.bounded(key, maxSection)
		if err != nil {
			return err
		}
		if err := json.Unmarshal(raw, target); err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
		if key == "replay" {
			versionLine = keyLine(raw, "version", sc.from)
		}
		return nil
	})
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("reading the export: %w", err)
	}
	if shard && rep == nil {
		// Its header is followed by the items' lines, which the
		// scanner refuses as data after the object: say what it is.
		return nil, ErrShardFile
	}
	if err != nil {
		return nil, malformed(err)
	}
	if rep == nil && fork {
		return nil, ErrForkExport
	}
	if rep == nil && reps {
		return nil, ErrRepsResult
	}
	if rep == nil {
		return nil, ErrNoReplay
	}
	if versionLine == 0 {
		return nil, malformed(errors.New("replay.version is missing"))
	}
	if rep.Version != ReplayVersion && rep.Version != 1 {
		return nil, fmt.Errorf("line %d: replay.version %d: this auctionsim replays versions 1 to %d; export the run again with the auctionsim that made it (run --replay FILE --out NEW.json)", versionLine, rep.Version, ReplayVersion)
	}
	if rep.Version == 1 {
		// Version 1 is replayed in the world of its engine (below): a
		// file of version 2 so labelled would run another run and end
		// "diverged" far from the cause. Only version 2 writes set.
		for i, c := range changes {
			if len(c.Set) > 0 {
				return nil, fmt.Errorf("line %d: replay.version 1, but changes[%d] has a set (a path assignment), which only version 2 writes: the file is version 2 relabelled (set replay.version back to 2)", versionLine, i)
			}
		}
	}
	if rep.Version == 1 && exchange.engine.netted() {
		// net_revenue came with c1a2a8f, after version 2 began: the
		// file would replay in version 1's world (a fixed grid), not
		// its own.
		return nil, fmt.Errorf("line %d: replay.version 1, but line %d has exchange.net_revenue, which only version 2 writes: the file is version 2 relabelled (set replay.version back to 2)", versionLine, exchange.engine.netLine)
	}
	if rep.Wire {
		return nil, ErrWireExport
	}
	if rep.ScenarioYAML == "" {
		return nil, malformed(errors.New("replay.scenario_yaml is empty"))
	}
	if rep.VirtualNS < 0 || rep.Stop.DurationNS < 0 || rep.HorizonNS < 0 {
		return nil, malformed(errors.New("replay: negative time"))
	}
	out.YAML = []byte(rep.ScenarioYAML)
	if out.YAML, err = engineWorld(out.YAML, rep.Version, exchange.engine, curve, changes); err != nil {
		return nil, err
	}
	out.Seed = rep.Seed
	out.Stop = sim.Stop{Auctions: rep.Stop.Auctions, Duration: sim.Time(rep.Stop.DurationNS)}
	out.Horizon = sim.Time(rep.HorizonNS)
	out.Point = sim.Point{At: sim.Time(rep.VirtualNS), Events: rep.Events}
	out.Auctions = rep.Auctions
	out.Changes = make([]sim.AppliedChange, len(changes))
	var live *scenarios.Live
	if rep.Version >= 2 && len(changes) > 0 {
		if live, err = scenarios.NewReplayLive("replay.scenario_yaml", out.YAML); err != nil {
			return nil, malformed(fmt.Errorf("the scenario does not parse: %w", err))
		}
	}
	for i, c := range changes {
		if i%checkEvery == 0 && ctx.Err() != nil {
			return nil, fmt.Errorf("reading the change log, at changes[%d] of %d: %w", i, len(changes), ctx.Err())
		}
		if c.AtNS == nil || c.Event == nil {
			return nil, malformed(fmt.Errorf("changes[%d]: no at_ns or event", i))
		}
		ch, err := readChange(c, live)
		if err != nil {
			return nil, malformed(fmt.Errorf("changes[%d]: %w", i, err))
		}
		if *c.AtNS < 0 || *c.AtNS > rep.VirtualNS || *c.Event > rep.Events {
			return nil, malformed(fmt.Errorf("changes[%d]: applied at %d ns after %d events, past the run's end", i, *c.AtNS, *c.Event))
		}
		out.Changes[i] = sim.AppliedChange{At: sim.Time(*c.AtNS), Event: *c.Event, Change: ch, Scripted: c.Scripted}
	}
	if rep.Version >= 2 && exchange.engine.netted() && len(curve.pts) > 0 && changesTmax(changes) {
		if err := movedGrid(out.YAML, curve, out.Changes); err != nil {
			return nil, fmt.Errorf("line %d: %w", curve.line, err)
		}
	}
	return &out, nil
}

// movedGrid checks that the tmax curve of an export whose log changes
// tmax, curve, is on a grid this auctionsim's default could have moved
// to: auctionsim has followed tmax otherwise before (c1a2a8f, 9769f23),
// and a run in another grid than its engine's gives another curve, which
// the change log cannot say how to rebuild. The engine's grid is always
// FollowGrid of one of the run's tmax (the starting one, or one a change
// moved it at: Engine.followTmax), so a curve on none of them is another
// engine's. One on one of them is replayed as is: a grid that agreed at
// the end could yet have moved at other changes, which no figure of the
// export tells.
func movedGrid(yaml []byte, curve exportCurve, changes []sim.AppliedChange) error {
	sc, err := scenarios.ParseReplay("replay.scenario_yaml", yaml, false)
	if err != nil {
		return nil // LoadReplay refuses it, with the scenario's own errors
	}
	if sc.Given("exchange.tmax_curve") || curve.on(sim.FollowGrid(sc.Config.Exchange.Tmax)) {
		return nil
	}
	for _, c := range changes {
		if t, ok := c.Change.(sim.SetTmax); ok && curve.on(sim.FollowGrid(t.Tmax)) {
			return nil
		}
	}
	return fmt.Errorf("tmax_curve: its %d deadlines (%v to %v) are on no grid this auctionsim follows tmax with, for any tmax the run had: the export was written by an auctionsim whose grid followed tmax otherwise, and its changes of tmax moved it as this one cannot replay; run its scenario again instead, or with exchange.tmax_curve given", len(curve.pts), time.Duration(curve.pts[0]), time.Duration(curve.pts[len(curve.pts)-1]))
}

// engineFields is what an export's exchange section says of the engine
// that wrote it: seen, it was there; waited, it has wait_ms (auctions
// closed early, from 4aa89ea); netLine, the line of its net_revenue (the
// default tmax grid followed tmax, from c1a2a8f).
type engineFields struct {
	seen, waited bool
	netLine      int // the line of net_revenue; 0: none
}

// netted says the export has net_revenue.
func (e engineFields) netted() bool { return e.netLine != 0 }

// base is the fixed default tmax grid of auctionsim before c1a2a8f.
const base = "{from: 20ms, to: 400ms, step: 20ms}"

// engineWorld is yaml, the scenario of an export of version version,
// given what its engine did by default and no longer does, as told by
// what the export reports (ex), its tmax curve's deadlines (curve) and
// its change log (changes):
//
//   - Until 4aa89ea every auction was held open until its deadline
//     (closing early would end the run on other events). From 4aa89ea
//     (still version 1 until 071c165) auctions closed early, as now,
//     unless the scenario said close_early: false, and the export has the
//     wait (exchange.wait_ms), which that engine brought. A scenario that
//     gives close_early is that engine's whatever the export holds.
//   - Until c1a2a8f (version 2 from 071c165) the default tmax grid was
//     fixed, 20–400 ms, and the export has no exchange.net_revenue, which
//     c1a2a8f brought; since, it follows tmax, in a way that has changed
//     twice (9769f23, 0cfccc9). A replay in another grid would give
//     another tmax curve and advice, silently: a run whose tmax never
//     changed kept its grid throughout, the one its export's curve shows,
//     which it is given (a censored curve shows only the grid's first
//     points: on another grid than this auctionsim's it is refused). One
//     whose tmax changed is checked once its changes are read (movedGrid).
//
// A file without an exchange section (cut by hand) says nothing of its
// engine but its version.
func engineWorld(yaml []byte, version int, ex engineFields, curve exportCurve, changes []changeEntry) ([]byte, error) {
	holdOpen := version == 1 && !ex.waited
	fixed := version == 1 || ex.seen && !ex.netted()
	if !holdOpen && !fixed && (len(curve.pts) == 0 || changesTmax(changes)) {
		return yaml, nil
	}
	sc, err := scenarios.ParseReplay("replay.scenario_yaml", yaml, false)
	switch {
	case err != nil && version == 1:
		return nil, malformed(fmt.Errorf("the scenario does not parse: %w", err))
	case err != nil:
		// LoadReplay refuses it, with the scenario's own errors.
		return yaml, nil
	}
	var sets []scenarios.Set
	if holdOpen && !sc.Given("exchange.close_early") {
		// close_early came with 4aa89ea, whose exports have wait_ms: a
		// file that gives it but has no wait was cut by hand, and its
		// scenario says how it ran.
		sets = append(sets, scenarios.Set{Path: "exchange.close_early", Value: "false", Flag: "replay"})
	}
	if !sc.Given("exchange.tmax_curve") {
		switch g := sim.FollowGrid(sc.Config.Exchange.Tmax); {
		case fixed:
			sets = append(sets, scenarios.Set{Path: "exchange.tmax_curve", Value: base, Flag: "replay"})
		case !curve.on(g):
			ran, err := curve.grid()
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", curve.line, err)
			}
			sets = append(sets, scenarios.Set{Path: "exchange.tmax_curve", Value: ran, Flag: "replay"})
		}
	}
	if len(sets) == 0 {
		return yaml, nil
	}
	held, _, err := scenarios.Apply(yaml, sets)
	if err != nil {
		return nil, malformed(fmt.Errorf("the scenario does not parse: %w", err))
	}
	return held, nil
}

// changesTmax says the log changes tmax, which moves a grid that follows
// it, as each version of auctionsim moved it.
func changesTmax(changes []changeEntry) bool {
	for _, c := range changes {
		if _, set := c.Set["exchange.tmax"]; set || c.Kind == sim.KindTmax {
			return true
		}
	}
	return false
}

// exportCurve is an export's tmax curve: its deadlines, the line it
// starts on, and whether it is censored (tmax_curve_censored_above_ms:
// it holds only the grid's points up to a deadline, maybe none).
type exportCurve struct {
	pts      []sim.Time
	line     int
	censored bool
}

// on says the curve's deadlines are g's: all of them, or the first ones
// when the curve is censored.
func (c exportCurve) on(g sim.TmaxGrid) bool {
	if len(c.pts) > g.Len() || !c.censored && len(c.pts) != g.Len() {
		return false
	}
	for k, t := range c.pts {
		if t != g.At(k) {
			return false
		}
	}
	return true
}

// grid is the grid whose deadlines the curve's are, as a scenario gives
// it; refused when they are none's, or when the curve is censored (the
// rest of its grid is unknown).
func (c exportCurve) grid() (string, error) {
	if c.censored {
		return "", fmt.Errorf("tmax_curve: its %d deadlines (from %v) are not those of the default grid this auctionsim follows tmax with, and, censored (tmax_curve_censored_above_ms), they do not say the rest of the grid its engine had; run its scenario again instead, or with exchange.tmax_curve given", len(c.pts), time.Duration(c.pts[0]))
	}
	step := sim.Millisecond
	if len(c.pts) > 1 {
		step = c.pts[1] - c.pts[0]
	}
	g := sim.TmaxGrid{From: c.pts[0], To: c.pts[len(c.pts)-1], Step: step}
	if step <= 0 || !c.on(g) {
		return "", errors.New("tmax_curve: its deadlines are not a grid (from, to, step)")
	}
	d := func(t sim.Time) time.Duration { return time.Duration(t) }
	return fmt.Sprintf("{from: %v, to: %v, step: %v}", d(g.From), d(g.To), d(g.Step)), nil
}

// readChange reads one change log entry: from its assignment, when live
// follows the scenario (version 2) and the entry has one, or else from
// its kind and value.
func readChange(c changeEntry, live *scenarios.Live) (sim.Change, error) {
	// An older export wrote a daily budget's total removed as the whole
	// budget (budget=null), which no longer changes live: it is followed
	// as what the engine did, budget.total=null (Live.Follow).
	unlimited := c.Kind == sim.KindBudget && string(c.Value) == `"unlimited"`
	// An older export may hold budget.total=0 beside a daily budget, made
	// live by the quick route, which took it for a cap of 0 (a file and a
	// live change now refuse it): it is read as the engine applied it.
	_, total := c.Set["bidders."+c.Bidder+".budget.total"]
	zero := c.Kind == sim.KindBudget && isZero(c.Value) && total
	if live == nil || len(c.Set) == 0 || unlimited || zero {
		ch, err := DecodeChange(c.Kind, c.Bidder, c.Value)
		if err == nil && live != nil {
			err = live.Follow(ch)
		}
		return ch, err
	}
	if len(c.Set) != 1 {
		return nil, fmt.Errorf("set has %d assignments; an entry has one", len(c.Set))
	}
	var sets []scenarios.Set
	for path, value := range c.Set {
		sets = append(sets, scenarios.Set{Path: path, Value: value, Flag: "set"})
	}
	got, err := live.Set(sets)
	if err != nil {
		return nil, err
	}
	if len(got) != 1 {
		return nil, fmt.Errorf("set %s makes %d changes; an entry makes one", sets[0].Path, len(got))
	}
	return got[0], nil
}

// isZero says a change's value is the number 0.
func isZero(v json.RawMessage) bool {
	var x float64
	return json.Unmarshal(v, &x) == nil && x == 0
}

// ctxReader reads from r until ctx is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

func malformed(err error) error { return fmt.Errorf("not a valid export: %w", err) }

// keyLine is the line of key in the JSON object raw, whose first line is
// first; 0 when raw has no such key at its top level.
func keyLine(raw []byte, key string, first int) int {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return 0
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return 0
		}
		if t == key {
			return first + bytes.Count(raw[:dec.InputOffset()], []byte{'\n'})
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return 0
		}
	}
	return 0
}

// scanner reads the top level of a JSON object without decoding what it
// skips.
type scanner struct {
	r      *bufio.Reader
	offset int64
	line   int // the line of the next byte, from 1
	// A copy (what is kept: a key, a value read) holds at most max bytes
	// (0: no bound), so that what an export never holds so long (a
	// megabyte key) is refused as it is read rather than held, several
	// times over, in memory; what names it and from is the line it began
	// on, for the refusal.
	max  int
	what string
	from int
}

// The bounds of what ReadReplay keeps of an export. A scenario file is
// at most 64 KiB, six times that escaped in JSON; a change is one
// assignment; the top level's keys are a few words.
const (
	maxKey     = 1 << 10
	maxSection = 1 << 20 // scenario, replay
	maxChange  = 1 << 20 // one entry of the change log
	// maxDepth bounds the nesting of a value: an export nests a few
	// levels, and the scanner's stack holds a byte a level.
	maxDepth = 1000
)

// bound sets the bound of the next copy and what it is.
func (s *scanner) bound(what string, max int) { s.what, s.max = what, max }

// bounded reads one value whole, refusing one past max bytes (what names
// it in the refusal).
func (s *scanner) bounded(what string, max int) ([]byte, error) {
	var raw bytes.Buffer
	s.bound(what, max)
	defer s.bound("", 0)
	err := s.value(&raw)
	return raw.Bytes(), err
}

// put copies c to w, refusing a copy past the bound.
func (s *scanner) put(w *bytes.Buffer, c byte) error {
	if s.max > 0 && w.Len() >= s.max {
		return fmt.Errorf("line %d: %s is longer than %d bytes, which no export is", s.from, s.what, s.max)
	}
	return w.WriteByte(c)
}

// skipSpace skips JSON white space and returns the next byte, unread.
func (s *scanner) skipSpace() (byte, error) {
	for {
		b, err := s.r.Peek(1)
		if err != nil {
			return 0, io.ErrUnexpectedEOF
		}
		switch b[0] {
		case ' ', '\t', '\n', '\r':
			s.next()
			continue
		}
		return b[0], nil
	}
}

// array reads an array, calling each with each element's index, the
// reader at the element.
func (s *scanner) array(each func(i int) error) error {
	if c, err := s.nonSpace(); err != nil {
		return err
	} else if c != '[' {
		return s.errorf("want an array, got %q", c)
	}
	if c, err := s.skipSpace(); err != nil {
		return err
	} else if c == ']' {
		s.next()
		return nil
	}
	for i := 0; ; i++ {
		if err := each(i); err != nil {
			return err
		}
		c, err := s.nonSpace()
		if err != nil {
			return err
		}
		if c == ']' {
			return nil
		}
		if c != ',' {
			return s.errorf("want , or ], got %q", c)
		}
	}
}

func (s *scanner) next() (byte, error) {
	c, err := s.r.ReadByte()
	if err == io.EOF {
		return 0, io.ErrUnexpectedEOF
	}
	s.offset++
	if c == '\n' {
		s.line++
	}
	return c, err
}

// nonSpace is the next byte that is not JSON white space.
func (s *scanner) nonSpace() (byte, error) {
	for {
		c, err := s.next()
		if err != nil {
			return 0, err
		}
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		}
		return c, nil
	}
}

func (s *scanner) errorf(format string, args ...any) error {
	return fmt.Errorf("line %d (byte %d): %s", s.line, s.offset, fmt.Sprintf(format, args...))
}

// object reads a whole top-level object, calling field with each key,
// the reader at its value; then it checks that nothing follows.
func (s *scanner) object(field func(key string) error) error {
	c, err := s.nonSpace()
	if err != nil {
		return err
	}
	if c != '{' {
		return s.errorf("want an object, got %q", c)
	}
	first := true
	for {
		c, err := s.nonSpace()
		if err != nil {
			return err
		}
		if c == '}' && first {
			break
		}
		if !first {
			if c == '}' {
				break
			}
			if c != ',' {
				return s.errorf("want , or }, got %q", c)
			}
			if c, err = s.nonSpace(); err != nil {
				return err
			}
		}
		first = false
		if c != '"' {
			return s.errorf("want a key, got %q", c)
		}
		var raw bytes.Buffer
		raw.WriteByte('"')
		s.bound("a key", maxKey)
		s.from = s.line
		err = s.str(&raw)
		s.bound("", 0)
		if err != nil {
			return err
		}
		var key string
		if err := json.Unmarshal(raw.Bytes(), &key); err != nil {
			return s.errorf("key: %v", err)
		}
		if c, err = s.nonSpace(); err != nil {
			return err
		}
		if c != ':' {
			return s.errorf("want : after %q, got %q", key, c)
		}
		if err := field(key); err != nil {
			return err
		}
	}
	if _, err := s.nonSpace(); err != io.ErrUnexpectedEOF {
		return s.errorf("data after the top-level object")
	}
	return nil
}

// str reads the rest of a string whose opening quote was read, copying it
// to w when w is not nil.
func (s *scanner) str(w *bytes.Buffer) error {
	escaped := false
	for {
		c, err := s.next()
		if err != nil {
			return err
		}
		if w != nil {
			if err := s.put(w, c); err != nil {
				return err
			}
		}
		switch {
		case escaped:
			escaped = false
		case c == '\\':
			escaped = true
		case c == '"':
			return nil
		case c < 0x20:
			return s.errorf("control character in a string")
		}
	}
}

// value reads one value, copying it to w when w is not nil. Objects and
// arrays are checked for balance and strings for termination; what is
// copied is decoded, and so checked, by the caller.
func (s *scanner) value(w *bytes.Buffer) error {
	c, err := s.nonSpace()
	if err != nil {
		return err
	}
	s.from = s.line
	put := func(c byte) error {
		if w == nil {
			return nil
		}
		return s.put(w, c)
	}
	if err := put(c); err != nil {
		return err
	}
	switch {
	case c == '"':
		return s.str(w)
	case c == '{' || c == '[':
		stack := []byte{c}
		for len(stack) > 0 {
			c, err := s.next()
			if err != nil {
				return err
			}
			if err := put(c); err != nil {
				return err
			}
			switch c {
			case '"':
				if err := s.str(w); err != nil {
					return err
				}
			case '{', '[':
				if len(stack) == maxDepth {
					return s.errorf("nested more than %d deep: not an export", maxDepth)
				}
				stack = append(stack, c)
			case '}', ']':
				open := stack[len(stack)-1]
				if open == '{' && c != '}' || open == '[' && c != ']' {
					return s.errorf("%q closes %q", c, open)
				}
				stack = stack[:len(stack)-1]
			}
		}
		return nil
	case c == '-' || c >= '0' && c <= '9' || c == 't' || c == 'f' || c == 'n':
		// A number or literal runs to the next delimiter.
		for {
			b, err := s.r.Peek(1)
			if err != nil || bytes.IndexByte([]byte(",}] \t\n\r"), b[0]) >= 0 {
				return nil
			}
			c, _ := s.next()
			if err := put(c); err != nil {
				return err
			}
		}
	}
	return s.errorf("want a value, got %q", c)
}
