package sim

import (
	"strings"
	"testing"
)

// TestGroupNamesDifferingInCase: Travel and travel would silently be two
// groups; the config is refused at the second one's group, naming the
// first; the same spelling twice is one group and fine.
func TestGroupNamesDifferingInCase(t *testing.T) {
	cfg := groupWorld()
	if err := cfg.Validate(); err != nil {
		t.Fatalf("the world itself: %v", err)
	}
	cfg.Bidders[0].Group, cfg.Bidders[1].Group, cfg.Bidders[2].Group = "Acme", "Acme", "acme"
	err := cfg.Validate()
	if err == nil || !strings.Contains(err.Error(), `bidders[2].group: "acme" differs from bidders[0]'s group "Acme" only in case`) {
		t.Errorf("Acme and acme: %v", err)
	}
	cfg.Bidders[2].Group = "Acme"
	if err := cfg.Validate(); err != nil {
		t.Errorf("one spelling: %v", err)
	}
}
