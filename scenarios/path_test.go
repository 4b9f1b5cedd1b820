package scenarios

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/sim"
)

// resolvePath runs the resolver as its callers do: the path's parts, then,
// below the bidders list, the bidders it names and the path below them.
func resolvePath(path string, rules pathRules, names []string) (string, error) {
	ref, err := parsePath(path, rules)
	if err != nil {
		return "", err
	}
	if !ref.underBidders() {
		return "plain " + strings.Join(ref.segs, "/"), nil
	}
	idx, rest, err := ref.bidders(names)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("bidders %v %s", idx, strings.Join(rest, "/")), nil
}

func TestPathResolve(t *testing.T) {
	names := []string{"metro", "swift", "a", "a.b", "a.b.c.d"}
	const (
		setOneByOne    = "set a bidder's fields one at a time (bidders.NAME.FIELD=VALUE), or the whole list (bidders=[...])"
		scriptOneByOne = "set a bidder's fields one at a time: bidders.NAME.FIELD, or bidders.*.FIELD for every bidder"
	)
	// What a running world refuses, it refuses as every live refusal is
	// worded: what can change instead.
	liveList := " (live: " + liveFields() + ")"
	for _, c := range []struct {
		path      string
		set, scr  string // the resolution, or the error, under setRules and scriptRules
		sameAsSet bool   // the script's answer is the same as --set's
	}{
		{path: "exchange.tmax", set: "plain exchange/tmax", sameAsSet: true},
		{path: "seed", set: "plain seed", sameAsSet: true},
		{path: "bidders.metro.latency.median", set: "bidders [0] latency/median", sameAsSet: true},
		{path: "bidders.swift.no_bid", set: "bidders [1] no_bid", sameAsSet: true},
		// A name may hold dots: the longest name the path starts with wins.
		{path: "bidders.a.b.latency", set: "bidders [3] latency", sameAsSet: true},
		{path: "bidders.a.c.latency", set: "bidders [2] c/latency", sameAsSet: true},
		{path: "bidders.a.b.c.latency", set: "bidders [3] c/latency", sameAsSet: true},
		{path: "bidders.a.b.c.d.e", set: "bidders [4] e", sameAsSet: true},
		{path: "bidders.*.strategy.factor", set: "bidders [0 1 2 3 4] strategy/factor", sameAsSet: true},
		{path: "bidders.metr.latency", set: `no bidder named "metr"; did you mean metro?`, sameAsSet: true},
		{path: "bidders.nobody.latency", set: `no bidder named "nobody" (bidders: metro, swift, a, a.b, a.b.c.d)`, sameAsSet: true},
		{path: "bidders.nobody", set: `no bidder named "nobody" (bidders: metro, swift, a, a.b, a.b.c.d)`, sameAsSet: true},
		{path: "bidders.b.a", set: `no bidder named "b"; did you mean a?`, sameAsSet: true},
		// A bidder by its place in the list, as a file's errors place a
		// field (bidders[1].latency.p99), is given back by its name.
		{path: "bidders[1].latency.p99", set: "bidders[1]: a path names a bidder, not its place in the list: bidders.swift.latency.p99", sameAsSet: true},
		{path: "bidders[1]", set: "bidders[1]: a path names a bidder, not its place in the list: bidders.swift.FIELD", sameAsSet: true},
		{path: "bidders[7].no_bid", set: "bidders[7]: a path names a bidder, not its place in the list: bidders.NAME.FIELD (bidders: metro, swift, a, a.b, a.b.c.d)", sameAsSet: true},
		{path: "exchange.slots[0]", set: `"exchange.slots[0]" is not a path: a path does not number a list's items (set a list whole, a bidder by name: bidders.NAME.FIELD)`, sameAsSet: true},
		{path: "exchange..tmax",
			set: `"exchange..tmax" is not a path: empty part (want names joined by dots, such as exchange.floor)`,
			scr: `"exchange..tmax" is not a path: empty part (want names joined by dots, such as exchange.tmax)`},
		{path: "bidders.metro.", set: `"bidders.metro." is not a path: empty part (want names joined by dots, such as exchange.floor)`,
			scr: `"bidders.metro." is not a path: empty part (want names joined by dots, such as exchange.tmax)`},
		// A decoder's path (bidders by index) was a key --set called
		// unknown under another bidder's name ("bidders.metro: unknown
		// field"), and which a script took as the index.
		{path: "bidders[1].no_bid", set: `bidders[1]: a path names a bidder, not its place in the list: bidders.swift.no_bid`, sameAsSet: true},
		{path: "", set: `"" is not a path: empty part (want names joined by dots, such as exchange.floor)`,
			scr: `"" is not a path: empty part (want names joined by dots, such as exchange.tmax)`},
		// A bidder as a whole, by name or all of them, is refused; the list
		// as a whole only by a script.
		{path: "bidders.metro", set: setOneByOne, scr: scriptOneByOne},
		{path: "bidders.a.b", set: setOneByOne, scr: scriptOneByOne},
		{path: "bidders.*", set: setOneByOne, scr: scriptOneByOne},
		{path: "bidders", set: "plain bidders", scr: scriptOneByOne},
		// What is not part of the running world is fixed for a script only.
		{path: "stop.duration", set: "plain stop/duration", scr: "stop.duration: cannot change during a run" + liveList},
		{path: "name", set: "plain name", scr: "name: cannot change during a run" + liveList},
		{path: "script", set: "plain script", scr: "script: cannot change during a run" + liveList},
		{path: "description", set: "plain description", scr: "description: cannot change during a run" + liveList},
	} {
		if c.sameAsSet {
			c.scr = c.set
		}
		for _, r := range []struct {
			rules pathRules
			want  string
		}{{setRules, c.set}, {scriptRules, c.scr}} {
			got, err := resolvePath(c.path, r.rules, names)
			if err != nil {
				got = err.Error()
			}
			if got != r.want {
				t.Errorf("%q (%s rules):\n got %s\nwant %s", c.path, r.rules.example, got, r.want)
			}
		}
	}
}

// TestSetAndScriptReachSameField checks that --set and a script step
// given the same path change the same field of the same bidders: the
// scenario --set makes differs from the file by exactly the changes the
// script's step makes, and a bad path is refused with the same message.
func TestSetAndScriptReachSameField(t *testing.T) {
	base, err := Parse("s.yaml", []byte(scriptBase))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ path, value string }{
		{"bidders.metro.latency.median", "90ms"},
		{"bidders.dotted-name.latency", "{dist: constant, value: 80ms}"},
		{"bidders.*.strategy", "{kind: shade, factor: 0.9}"},
		{"bidders.dotted-name.disabled", "true"},
		{"exchange.tmax", "80ms"},
		{"traffic.qps", "50"},
	} {
		viaSet, _, err := ParseWith("s.yaml", []byte(scriptBase), []Set{{Path: c.path, Value: c.value}})
		if err != nil {
			t.Fatalf("--set %s=%s: %v", c.path, c.value, err)
		}
		want, err := sim.Diff(base.Config, viaSet.Config)
		if err != nil || len(want) == 0 {
			t.Fatalf("--set %s=%s: changes %v, %v", c.path, c.value, want, err)
		}
		scripted, err := Parse("s.yaml", []byte(scriptBase+"script:\n  - at: 0s\n    set: {"+c.path+": "+c.value+"}\n"))
		if err != nil {
			t.Fatalf("script %s: %s: %v", c.path, c.value, err)
		}
		if got := scripted.Config.Script[0].Changes; !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %s\n script %v\n  --set %v", c.path, c.value, got, want)
		}
	}
	// The field is the one named, not only the same for both.
	viaSet, _, err := ParseWith("s.yaml", []byte(scriptBase), []Set{{Path: "bidders.metro.latency.median", Value: "90ms"}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := viaSet.Config.Bidders[0].Latency, sim.LogNormalMedianP99(90e6, 110e6); !reflect.DeepEqual(got, want) {
		t.Errorf("metro's latency %v, want %v", got, want)
	}
	if !reflect.DeepEqual(viaSet.Config.Bidders[1], base.Config.Bidders[1]) {
		t.Error("the other bidder changed")
	}

	for _, c := range []struct{ path, want string }{
		{"bidders.metr.latency.median", `no bidder named "metr"; did you mean metro?`},
		{"bidders.nobody", `no bidder named "nobody" (bidders: metro, dotted-name)`},
		{"bidders.metro", "set a bidder's fields one at a time"},
		{"bidders.*", "set a bidder's fields one at a time"},
		{"exchange..tmax", "is not a path: empty part"},
	} {
		_, _, setErr := ParseWith("s.yaml", []byte(scriptBase), []Set{{Path: c.path, Value: "1"}})
		_, scriptErr := Parse("s.yaml", []byte(scriptBase+"script:\n  - at: 0s\n    set: {"+c.path+": 1}\n"))
		for who, err := range map[string]error{"--set": setErr, "script": scriptErr} {
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s %s: got %v, want %s", who, c.path, err, c.want)
			}
		}
	}
}

// TestPathBracketedName: a bidder's name may hold [ and ] (sim refuses
// only . = , and *), so a path that names such a bidder is taken by every
// door, --set's and a live change's alike; a place in the list, or an
// item of a list below the bidder, is still refused.
func TestPathBracketedName(t *testing.T) {
	names := []string{"metro[1]", "[0]", "swift"}
	for _, c := range []struct{ path, want string }{
		{"bidders.metro[1].latency.median", "bidders [0] latency/median"},
		{"bidders.[0].no_bid", "bidders [1] no_bid"},
		{"bidders.*.no_bid", "bidders [0 1 2] no_bid"},
		{"bidders[2].no_bid", "bidders[2]: a path names a bidder, not its place in the list: bidders.swift.no_bid"},
		{"bidders.metro[1].latency[0]", `"bidders.metro[1].latency[0]" is not a path: a path does not number a list's items (set a list whole, a bidder by name: bidders.NAME.FIELD)`},
		{"bidders.*.latency[0]", `"bidders.*.latency[0]" is not a path: a path does not number a list's items (set a list whole, a bidder by name: bidders.NAME.FIELD)`},
	} {
		for _, rules := range []pathRules{setRules, scriptRules} {
			got, err := resolvePath(c.path, rules, names)
			if err != nil {
				got = err.Error()
			}
			if got != c.want {
				t.Errorf("%q (%s rules):\n got %s\nwant %s", c.path, rules.example, got, c.want)
			}
		}
	}
	// As the doors take it: --set on the file, and a live change.
	src := strings.Replace(scriptBase, "name: metro\n", "name: \"metro[1]\"\n", 1)
	if src == scriptBase {
		t.Fatal("the base scenario has no bidder metro")
	}
	set := Set{Path: "bidders.metro[1].latency.median", Value: "90ms"}
	if _, _, err := ParseWith("s.yaml", []byte(src), []Set{set}); err != nil {
		t.Errorf("--set %s: %v", set.Path, err)
	}
	l, err := NewLive("s.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	set.Flag = ":"
	if _, err := l.Set([]Set{set}); err != nil {
		t.Errorf("%s: %v", set, err)
	}
}
