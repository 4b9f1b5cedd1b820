package scenarios

import (
	"errors"
	"strings"
	"testing"
)

// TestEndpoint: a bidder's endpoint is kept by the bidder's name (the
// engine's config never sees it), and one that is not an http(s) URL is
// refused at its line and field.
func TestEndpoint(t *testing.T) {
	parse := func(bidder string) (*Scenario, error) {
		src := strings.Replace(scriptBase, "    strategy: {kind: shade, factor: 0.8}\n", "    strategy: {kind: shade, factor: 0.8}\n"+bidder, 1)
		return Parse("s.yaml", []byte(src))
	}
	s, err := parse("")
	if err != nil || s.Endpoints != nil {
		t.Fatalf("no endpoint: %v %v", err, s.Endpoints)
	}
	s, err = parse("    endpoint: http://127.0.0.1:8080/openrtb2/x\n")
	if err != nil {
		t.Fatal(err)
	}
	name := s.Config.Bidders[0].Name
	if len(s.Endpoints) != 1 || s.Endpoints[name] != "http://127.0.0.1:8080/openrtb2/x" {
		t.Errorf("endpoints %v, want %s's", s.Endpoints, name)
	}
	for _, bad := range []string{"ftp://host/x", "127.0.0.1:8080", "http://", "[1, 2]", `"http://127.0.0.1:"`, "http://:8080", "http://127.0.0.1:99999"} {
		_, err := parse("    endpoint: " + bad + "\n")
		if err == nil || !strings.Contains(err.Error(), "bidders[0].endpoint") {
			t.Errorf("endpoint %s: got %v, want an error at bidders[0].endpoint", bad, err)
		}
	}
}

// TestSimulatesEndpoints: a command that simulates every bidder refuses
// a bidder with an endpoint at the file's line and column and at
// bidders.NAME.endpoint, the same line when an override adds lines above
// it, at the override when one gives it, and not at all once one drops
// it; each refusal says how to simulate the bidder instead.
func TestSimulatesEndpoints(t *testing.T) {
	src := strings.Replace(scriptBase, "    latency: {dist: constant, value: 30ms}\n",
		"    latency: {dist: constant, value: 30ms}\n    endpoint: http://127.0.0.1:9/openrtb2/d\n", 1)
	const at = "s.yaml:14:15: bidders.dotted-name.endpoint: dotted-name is a real bidder at http://127.0.0.1:9/openrtb2/d, but sweep simulates every bidder"
	check := func(what string, s *Scenario, want string) {
		t.Helper()
		err := s.SimulatesEndpoints("sweep", "run it once")
		if err == nil || !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), "To call it, run it once; to simulate it, drop the endpoint: --set 'bidders.dotted-name.endpoint=null'") {
			t.Errorf("%s: got %v, want %q and what to do instead", what, err, want)
		}
		var list Errors
		if !errors.As(err, &list) || len(list) != 1 {
			t.Errorf("%s: %T %v, want one Error", what, err, err)
		}
	}
	s, err := Parse("s.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	check("the file", s, at)
	// Lines added above the endpoint by an override: still the file's line.
	s, text, err := ParseWith("s.yaml", []byte(src), []Set{{Path: "bidders.metro.outcome", Value: "{ctr: 0.01, cvr: 0.1, order_value: 50}", Flag: "--set"}})
	if err != nil {
		t.Fatal(err)
	}
	if line := strings.Count(string(text[:strings.Index(string(text), "endpoint:")]), "\n") + 1; line == 14 {
		t.Fatalf("the override left the endpoint at line %d: the test needs it moved\n%s", line, text)
	}
	check("an override above it", s, at)
	s, _, err = ParseWith("s.yaml", []byte(scriptBase), []Set{{Path: "bidders.dotted-name.endpoint", Value: "http://127.0.0.1:9/openrtb2/d", Flag: "--set"},
		{Path: "exchange.floor", Value: "0.2", Flag: "--set"}})
	if err != nil {
		t.Fatal(err)
	}
	check("an override", s, "--set bidders.dotted-name.endpoint=http://127.0.0.1:9/openrtb2/d: dotted-name is a real bidder")
	if list := s.SimulatesEndpoints("sweep", "").(Errors); list[0].InFile() {
		t.Errorf("an override's refusal %v is placed in the file", list[0])
	}
	s, _, err = ParseWith("s.yaml", []byte(src), []Set{{Path: "bidders.dotted-name.endpoint", Value: "null", Flag: "--set"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SimulatesEndpoints("sweep", ""); err != nil {
		t.Errorf("endpoint dropped: %v", err)
	}
	if s, _ = Bundled(Default); s.SimulatesEndpoints("sweep", "") != nil {
		t.Errorf("%s refused", Default)
	}
}
