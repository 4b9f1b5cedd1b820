package scenarios

import (
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
