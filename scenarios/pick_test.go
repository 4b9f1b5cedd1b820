package scenarios

import (
	"strings"
	"testing"
)

// TestPick checks that overrides, the seed and --no-script each reach
// the scenario, and that a bad override is refused naming its flag.
func TestPick(t *testing.T) {
	seed := uint64(42)
	sc, err := Pick{Name: "timeout-story", Sets: []Set{{Path: "exchange.tmax", Value: "80ms", Flag: "--set"}}, Seed: &seed, NoScript: true}.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	if sc.Config.Seed != 42 || len(sc.Config.Script) != 0 || !strings.Contains(string(sc.YAML), "80ms") {
		t.Errorf("seed %d, script %v, YAML has 80ms: %v", sc.Config.Seed, sc.Config.Script, strings.Contains(string(sc.YAML), "80ms"))
	}
	plain, err := Pick{Name: "timeout-story"}.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	if plain.Config.Seed == 42 || len(plain.Config.Script) == 0 {
		t.Errorf("the bundled scenario changed: seed %d, %d scripted changes", plain.Config.Seed, len(plain.Config.Script))
	}
	if _, err := (Pick{Name: "timeout-story", Sets: []Set{{Path: "exchange.tmx", Value: "1ms", Flag: "--set"}}}).Resolve(); err == nil {
		t.Error("a bad path was accepted")
	}
}
