package scenarios

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestOneErrorForTheAliasCap checks that a file hitting the alias
// expansion cap gets that error alone, not also every field the cut-short
// walk then finds missing.
func TestOneErrorForTheAliasCap(t *testing.T) {
	var b strings.Builder
	b.WriteString(strings.Replace(minimal, "  - {name: a, value: 1}\n", "", 1))
	b.WriteString("  - &b0 {name: b0, value: 1}\n")
	for i := 1; i < 40; i++ {
		fmt.Fprintf(&b, "  - &b%d {<<: [*b%d, *b%d], name: b%d}\n", i, i-1, i-1, i)
	}
	_, err := Parse("laughs.yaml", []byte(b.String()))
	var list Errors
	if !errors.As(err, &list) || len(list) != 1 || !strings.Contains(list[0].Msg, "nodes through aliases") {
		t.Errorf("got %d errors, want the cap's alone: %v", len(list), err)
	}
}

// TestTaggedKey checks that a key carrying a tag is reported as that
// key, tagged (not as an unknown field named after the tag, nor also as
// missing), and that !!str, which keeps a key a string, is accepted.
func TestTaggedKey(t *testing.T) {
	src := "!!binary name: x\n" + strings.Replace(minimal, "{name: a,", "{!!binary name: a,", 1)
	_, err := Parse("tagged.yaml", []byte(src))
	var list Errors
	if !errors.As(err, &list) || len(list) != 2 {
		t.Fatalf("want 2 errors, got %v", err)
	}
	for i, want := range []string{"tagged.yaml:1:1: name: the key is tagged !!binary", "bidders[0].name: the key is tagged !!binary"} {
		if got := list[i].Error(); !strings.Contains(got, want) || strings.Contains(got, "unknown field") {
			t.Errorf("error %d: %q, want %q", i, got, want)
		}
	}
	s := mustParse(t, "!!str name: plain\n"+strings.Replace(minimal, "{name: a,", "{!!str name: a,", 1))
	if s.Name != "plain" || s.Config.Bidders[0].Name != "a" {
		t.Errorf("!!str keys: name %q, bidder %q", s.Name, s.Config.Bidders[0].Name)
	}
}

// TestHugeNumbersWrittenShort checks that a number too large (or small)
// for plain digits is written with an exponent, which YAML reads back
// exactly, so a message quoting it is not 300 digits long.
func TestHugeNumbersWrittenShort(t *testing.T) {
	for _, x := range []float64{1e300, -1.7e308, 1e21, 1e-7, 123456.789, 0.25, 0, 1e20} {
		text := number(x)
		if len(text) > 24 {
			t.Errorf("number(%g) = %q: too long", x, text)
		}
		var back float64
		if _, err := fmt.Sscan(text, &back); err != nil || back != x {
			t.Errorf("number(%g) = %q reads back as %g (%v)", x, text, back, err)
		}
	}
	_, err := Parse("floor.yaml", []byte(strings.Replace(minimal, "{tmax: 100ms}", "{tmax: 100ms, floor: "+number(1e300)+"}", 1)))
	if err == nil || !strings.Contains(err.Error(), "1e300 is more than") {
		t.Errorf("a floor of 1e300: %v", err)
	}
}

// TestGroupCase checks that two group names differing only in case
// (Travel and travel), which would silently make two groups, are refused
// naming both; one spelling used twice is one group.
func TestGroupCase(t *testing.T) {
	src := strings.Replace(minimal, "  - {name: a, value: 1}\n",
		"  - {name: a, value: 1, group: travel}\n  - {name: b, value: 1, group: Travel}\n", 1)
	_, err := Parse("case.yaml", []byte(src))
	var list Errors
	if !errors.As(err, &list) || len(list) != 1 {
		t.Fatalf("want 1 error, got %v", err)
	}
	if got := list[0].Error(); !strings.Contains(got, "case.yaml:6:") || !strings.Contains(got, "bidders[1].group") ||
		!strings.Contains(got, `"Travel"`) || !strings.Contains(got, `"travel"`) {
		t.Errorf("got %q", got)
	}
	same := strings.Replace(src, "group: Travel", "group: travel", 1)
	if s := mustParse(t, same); s.Config.Bidders[0].Group != "travel" || s.Config.Bidders[1].Group != "travel" {
		t.Errorf("groups %q, %q", s.Config.Bidders[0].Group, s.Config.Bidders[1].Group)
	}
}

// TestNumbersAsWritten: a count too large and a negative daily budget
// are refused with the number as the file writes it (1e30, not 1e+30;
// -1e-7, not -1e-07).
func TestNumbersAsWritten(t *testing.T) {
	src := strings.Replace(minimal, "stop: {auctions: 1000}", "stop: {auctions: 1e30}", 1)
	src = strings.Replace(src, "{name: a, value: 1}", "{name: a, value: 1, budget: {daily: -1e-7}}", 1)
	_, err := Parse("n.yaml", []byte(src))
	for _, want := range []string{"stop.auctions: 1e30 is too large", "bidders[0].budget.daily: -1e-7: a daily budget must be > 0"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want %q in: %v", want, err)
		}
	}
}
