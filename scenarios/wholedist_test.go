package scenarios

import (
	"strings"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/sim"
)

// TestWholeDistForAParameter: one parameter of a distribution a bidder
// leaves out (classroom-vickrey's bidders answer at once) is refused
// with the whole distribution to type, of the family the parameter
// names, the value typed kept; and that form, as given, runs with the
// value typed.
func TestWholeDistForAParameter(t *testing.T) {
	for _, c := range []struct {
		set  string
		kind sim.DistKind
		ns   float64 // the value typed, in the family's A (or, lognormal, its median)
	}{
		{"bidders.ada.latency.median=30ms", sim.DistLogNormal, 30e6},
		{"bidders.ada.latency.p99=80ms", sim.DistLogNormal, 40e6},
		{"bidders.ada.latency.value=30ms", sim.DistConstant, 30e6},
		{"bidders.ada.latency.mean=20ms", sim.DistExponential, 20e6},
		{"bidders.ada.latency.min=10ms", sim.DistUniform, 10e6},
		{"bidders.ada.latency.sd=5ms", sim.DistNormal, 20e6},
		{"bidders.ada.network.median=5ms", sim.DistLogNormal, 5e6},
		{"bidders.*.latency.median=30ms", sim.DistLogNormal, 30e6},
	} {
		_, _, err := ResolveWith("classroom-vickrey", sets(t, c.set))
		if err == nil {
			t.Fatalf("%s: accepted", c.set)
		}
		msg := err.Error()
		if strings.Contains(msg, "dist: is required") || !strings.Contains(msg, "set it whole, --set '") {
			t.Errorf("%s: %s\nwant the whole distribution to type", c.set, msg)
			continue
		}
		_, fix, _ := strings.Cut(msg, "set it whole, --set '")
		fix, _, _ = strings.Cut(fix, "'")
		s, _, err := ResolveWith("classroom-vickrey", sets(t, fix, "stop.duration=1s"))
		if err != nil {
			t.Errorf("%s: the form given, %s, is refused: %v", c.set, fix, err)
			continue
		}
		path, _, _ := strings.Cut(c.set, "=")
		b := bidderOf(t, s, "ada")
		d := b.Latency
		if strings.Contains(path, ".network.") {
			d = b.Network
		}
		got := d.A
		if d.Kind == sim.DistLogNormal {
			got, _ = d.MedianP99()
		}
		if d.Kind != c.kind || got < c.ns*0.999 || got > c.ns*1.001 {
			t.Errorf("%s: the form %s sets %v with %v, want %v with %v", c.set, fix, d.Kind, time.Duration(got), c.kind, time.Duration(c.ns))
		}
	}
	// Typed in the dashboard (:PATH=VALUE), the form is the command
	// line's own, without a shell's quotes.
	_, err := liveOf(t, "classroom-vickrey").Set([]Set{{Path: "bidders.ada.latency.median", Value: "30ms", Flag: ":"}})
	if want := "set it whole, :bidders.ada.latency={dist: lognormal, median: 30ms, p99: 90ms}"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("live: %v\nwant %s", err, want)
	}
}
