package sim

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func scriptWorld() Config {
	cfg := curveWorld(SecondPrice)
	cfg.Script = []Scheduled{
		{At: 1 * Second, Changes: []Change{SetTmax{Tmax: 80 * Millisecond}}},
		{At: 2500 * Millisecond, Changes: []Change{
			SetLatency{Bidder: "b0", Latency: Constant(float64(90 * Millisecond))},
			SetFloor{Floor: PriceOf(0.7)},
		}},
		{At: 3 * Second, Changes: []Change{SetTmax{Tmax: 150 * Millisecond}}},
	}
	return cfg
}

func TestScriptLandsAtItsInstants(t *testing.T) {
	e := mustNew(t, scriptWorld())
	e.RunUntil(4 * Second)
	log := e.ChangeLog()
	want := []struct {
		at Time
		c  string
	}{{Second, "tmax 80ms"}, {2500 * Millisecond, "b0 latency constant 90ms"}, {2500 * Millisecond, "floor 0.70"}, {3 * Second, "tmax 150ms"}}
	if len(log) != len(want) {
		t.Fatalf("log %v", log)
	}
	for i, w := range want {
		if log[i].At != w.at || !log[i].Scripted || !strings.HasPrefix(log[i].Change.String(), strings.Fields(w.c)[0]) {
			t.Errorf("log[%d] = %+v (%s), want %s at %v, scripted", i, log[i], log[i].Change, w.c, w.at)
		}
	}
	if s := e.Snapshot(); s.Settings.Tmax != 150*Millisecond || s.Settings.Floor != PriceOf(0.7) {
		t.Errorf("settings %+v", s.Settings)
	}
	if _, ok := e.NextScripted(); ok {
		t.Error("script not done")
	}
	// Auctions fanned out before 1s ran with 120ms, after with 80ms.
	e2 := mustNew(t, scriptWorld())
	e2.RunUntil(Second - Millisecond)
	for _, r := range e2.Snapshot().Recent {
		if r.Tmax != 120*Millisecond {
			t.Fatalf("auction at %v has tmax %v before the script's change", r.Start, r.Tmax)
		}
	}
	e2.RunUntil(2 * Second)
	for _, r := range e2.Snapshot().Recent {
		if r.Tmax != 80*Millisecond {
			t.Fatalf("auction at %v has tmax %v after the change", r.Start, r.Tmax)
		}
	}
	// Step by step lands at the same instants.
	e3 := mustNew(t, scriptWorld())
	for e3.Now() < 4*Second {
		e3.Step()
	}
	if fmt.Sprint(e3.ChangeLog()) != fmt.Sprint(log) {
		t.Errorf("step by step: %v\nin one run: %v", e3.ChangeLog(), log)
	}
}

// dump is a snapshot as text, NaN-safe, for byte-for-byte comparison;
// the closed form's input holds pointers, so it is compared as its result.
func dump(s *Snapshot) string {
	c := *s
	c.theory = TheoryInput{}
	return fmt.Sprintf("%+v %+v", c, s.Theory())
}

func TestScriptReplayIsIdentical(t *testing.T) {
	run := func(cfg Config, live bool) (*Snapshot, []AppliedChange) {
		e := mustNew(t, cfg)
		e.RunUntil(1700 * Millisecond)
		if live {
			if err := e.Apply(SetQPS{QPS: 800}); err != nil {
				t.Fatal(err)
			}
		}
		e.RunAuctions(700)
		if live {
			if err := e.Apply(SetIncrement{Increment: PriceOf(0.05)}); err != nil {
				t.Fatal(err)
			}
		}
		e.RunUntil(3 * Second) // exactly at the last step
		if live {
			if err := e.Apply(SetFloor{Floor: PriceOf(0.2)}); err != nil {
				t.Fatal(err)
			}
		}
		e.RunUntil(4 * Second)
		return e.Snapshot(), e.ChangeLog()
	}
	orig, log := run(scriptWorld(), true)
	if len(log) != 7 {
		t.Fatalf("log: %v", log)
	}

	cfg := scriptWorld()
	cfg.Replay = log
	withScript, _ := run(cfg, false)
	if dump(withScript) != dump(orig) {
		a, b := dump(withScript), dump(orig)
		i := 0
		for i < len(a) && i < len(b) && a[i] == b[i] {
			i++
		}
		t.Errorf("replay with the script differs at %d:\n%.300s\n%.300s", i, a[max(i-200, 0):], b[max(i-200, 0):])
	}

	cfg = scriptWorld()
	cfg.Script, cfg.Replay = nil, log
	noScript, _ := run(cfg, false)
	if dump(noScript) != dump(orig) {
		t.Errorf("replay without the script differs:\n%v\n%v", noScript.Changes, orig.Changes)
	}

	// A log cut short: the script carries on from where it ends.
	cfg = scriptWorld()
	cfg.Replay = log[:2] // up to the 1.7s change
	e := mustNew(t, cfg)
	e.RunUntil(4 * Second)
	if n := len(e.ChangeLog()); n != 5 {
		t.Errorf("cut log: %d changes, want 2 from the log and 3 from the script: %v", n, e.ChangeLog())
	}

	// A different script cannot replay this log.
	cfg = scriptWorld()
	cfg.Script[0].At = 1100 * Millisecond
	cfg.Replay = log
	if _, err := New(cfg); err == nil || !strings.Contains(err.Error(), "differs") {
		t.Errorf("different script: %v", err)
	}
}

func TestScriptValidate(t *testing.T) {
	for _, c := range []struct {
		script []Scheduled
		field  string
	}{
		{[]Scheduled{{At: -1, Changes: []Change{SetTmax{Tmax: Second}}}}, "script[0].at"},
		{[]Scheduled{{At: 2, Changes: []Change{SetTmax{Tmax: Second}}}, {At: 1}}, "script[1].at"},
		{[]Scheduled{{At: 2, Changes: []Change{SetTmax{Tmax: -1}}}}, "script[0]"},
		{[]Scheduled{{At: 2}, {At: 3, Changes: []Change{SetLatency{Bidder: "nobody"}}}}, "script[1]"},
		{[]Scheduled{{At: 2, Changes: []Change{nil}}}, "script[0]"},
	} {
		cfg := curveWorld(SecondPrice)
		cfg.Script = c.script
		var fe *FieldError
		if err := cfg.Validate(); !errors.As(err, &fe) || fe.Field != c.field {
			t.Errorf("%v: got %v, want an error on %s", c.script, err, c.field)
		}
		if _, err := New(cfg); err == nil {
			t.Errorf("%v: New accepted it", c.script)
		}
	}
}

func TestDiff(t *testing.T) {
	old := curveWorld(SecondPrice)
	old.Horizon = Minute
	old.Bidders[4].Budget = &Budget{Total: MoneyOf(10)}
	nw := curveWorld(SecondPrice)
	nw.Horizon = Minute
	nw.Exchange.Tmax = 80 * Millisecond
	nw.Exchange.Floor = PriceOf(0.3)
	nw.Exchange.Auction = FirstPrice
	nw.Traffic.QPS = 900
	nw.Bidders[0].Latency = Constant(float64(90 * Millisecond))
	nw.Bidders[1].Strategy = Strategy{Kind: Shade, Factor: 0.7}
	nw.Bidders[2].Budget = &Budget{Total: MoneyOf(5), Pacing: PacingThrottle}
	nw.Bidders[3].Disabled = true
	nw.Name = "renamed"
	changes, err := Diff(old, nw)
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(changes)
	want := "[auction first-price tmax 80ms floor 0.30 qps 900 b0 latency constant(90ms) b1 strategy shade 0.7 b2 budget 5.00 b2 pacing throttle b3 disabled b4 budget unlimited]"
	if got != want {
		t.Errorf("Diff:\n got %s\nwant %s", got, want)
	}
	// Applied to a world built from old, they give new's settings.
	e := mustNew(t, old)
	for _, c := range changes {
		if err := e.Apply(c); err != nil {
			t.Fatal(err)
		}
	}
	s, n := e.Snapshot(), mustNew(t, nw).Snapshot()
	if s.Settings != n.Settings {
		t.Errorf("settings %+v, want %+v", s.Settings, n.Settings)
	}
	for i := range s.Bidders {
		a, b := s.Bidders[i], n.Bidders[i]
		if a.Enabled != b.Enabled || a.Strategy != b.Strategy || a.Budget != b.Budget || a.Unlimited != b.Unlimited ||
			a.Pacing != b.Pacing || fmt.Sprint(a.LatencyDist) != fmt.Sprint(b.LatencyDist) {
			t.Errorf("bidder %s: %+v\nwant %+v", a.Name, a, b)
		}
	}
	if c, err := Diff(old, old); err != nil || len(c) != 0 {
		t.Errorf("Diff(old, old) = %v, %v", c, err)
	}
}

func TestDiffRefuses(t *testing.T) {
	for _, c := range []struct {
		edit  func(*Config)
		paths []string
	}{
		{func(c *Config) { c.Bidders[1].Capacity.Workers = 3 }, []string{"bidders.b1.capacity.workers"}},
		{func(c *Config) { c.Bidders[2].Value = Uniform(0, 1) }, []string{"bidders.b2.value"}},
		{func(c *Config) { c.Bidders[5].Outcome.CTR = 0.5; c.Bidders[0].NoBid = 0.2 }, []string{"bidders.b0.no_bid", "bidders.b5.outcome.ctr"}},
		{func(c *Config) { c.Bidders[5].Outcome.BaselineCVR = 0.5 }, []string{"bidders.b5.outcome.baseline_cvr"}},
		{func(c *Config) { c.Bidders = c.Bidders[:3] }, []string{"bidders"}},
		{func(c *Config) { c.Bidders[0].Name = "x" }, []string{"bidders"}},
		{func(c *Config) { c.Seed = 9; c.Traffic.Shape = []float64{1, 2} }, []string{"seed", "traffic.shape"}},
		{func(c *Config) { c.Exchange.TmaxCurve = DefaultTmaxCurve }, []string{"exchange.tmax_curve"}},
		{func(c *Config) { c.Exchange.TmaxAdjustments.NetworkBuffer = 1 }, []string{"exchange.tmax_adjustments.network_buffer"}},
		{func(c *Config) { c.Bidders[3].RespectsTmax = true }, []string{"bidders.b3.respects_tmax"}},
		{func(c *Config) { c.Pacing.MaxMu = 3 }, []string{"pacing.max_mu"}},
	} {
		old, nw := curveWorld(SecondPrice), curveWorld(SecondPrice)
		c.edit(&nw)
		nw.Exchange.Tmax = 90 * Millisecond // a live change beside them does not hide them
		_, err := Diff(old, nw)
		var got []string
		for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
			var fe *FieldError
			if !errors.As(e, &fe) || !errors.Is(e, ErrNotLive) {
				t.Fatalf("%v is not a FieldError wrapping ErrNotLive", e)
			}
			got = append(got, fe.Field)
		}
		if fmt.Sprint(got) != fmt.Sprint(c.paths) {
			t.Errorf("refused %v, want %v (%v)", got, c.paths, err)
		}
	}
}

func TestSnake(t *testing.T) {
	for in, want := range map[string]string{
		"NoBid": "no_bid", "BaselineCVR": "baseline_cvr", "CTR": "ctr", "QPS": "qps", "TmaxCurve": "tmax_curve",
		"MaxMu": "max_mu", "RespectsTmax": "respects_tmax", "OrderValue": "order_value", "Seed": "seed",
	} {
		if got := snake(in); got != want {
			t.Errorf("snake(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestRateFollowsShape(t *testing.T) {
	if testing.Short() {
		t.Skip("long tier (make test-long): 13 virtual hours of auctions, ~12 s under -race")
	}
	cfg := curveWorld(SecondPrice)
	cfg.Traffic = Traffic{QPS: 50, Shape: []float64{0.35, 1, 1.8, 0.5}} // 6-hour parts
	e := mustNew(t, cfg)
	if r := e.Snapshot().Settings.Rate; r != 17.5 {
		t.Errorf("rate at midnight %g, want 17.5", r)
	}
	e.RunUntil(13 * Hour)
	if s := e.Snapshot(); s.Settings.Rate != 90 || s.Settings.QPS != 50 {
		t.Errorf("at 13h: rate %g (want 90), qps %g (want 50)", s.Settings.Rate, s.Settings.QPS)
	}
	if err := e.Apply(SetQPS{QPS: 100}); err != nil {
		t.Fatal(err)
	}
	if r := e.Rate(); r != 180 {
		t.Errorf("after qps 100: rate %g, want 180", r)
	}
	cfg.Traffic.Shape = nil
	if r := mustNew(t, cfg).Rate(); r != 50 {
		t.Errorf("flat: %g", r)
	}
}

// A log that lost its marks (read back from a file that does not keep
// them) still replays once, not twice.
func TestScriptReplayUnmarked(t *testing.T) {
	e := mustNew(t, scriptWorld())
	e.RunUntil(2 * Second)
	if err := e.Apply(SetFloor{Floor: PriceOf(0.4)}); err != nil {
		t.Fatal(err)
	}
	e.RunUntil(4 * Second)
	log := e.ChangeLog()
	want := dump(e.Snapshot())
	for i := range log {
		log[i].Scripted = false
	}
	cfg := scriptWorld()
	cfg.Replay = log
	r := mustNew(t, cfg)
	r.RunUntil(2 * Second)
	r.RunUntil(4 * Second)
	if got := dump(r.Snapshot()); got != want {
		t.Errorf("replay of an unmarked log differs: %v", r.ChangeLog())
	}
}

// A live change can make a scripted change invalid at its instant: it is
// refused, as a live change would be, and the snapshot says so.
func TestScriptRefusedAfterLiveChange(t *testing.T) {
	cfg := curveWorld(SecondPrice)
	cfg.Script = []Scheduled{{At: 2 * Second, Changes: []Change{SetTmax{Tmax: 10 * Minute}}}}
	e := mustNew(t, cfg)
	e.RunUntil(Second)
	if err := e.Apply(SetQPS{QPS: 10_000}); err != nil {
		t.Fatal(err)
	}
	e.RunUntil(3 * Second)
	s := e.Snapshot()
	if s.Settings.Tmax == 10*Minute || len(s.ScriptRefused) != 1 || !strings.HasPrefix(s.ScriptRefused[0], "at 2s: ") {
		t.Errorf("tmax %v, refused %q", s.Settings.Tmax, s.ScriptRefused)
	}
}
