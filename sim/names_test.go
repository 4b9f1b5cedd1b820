package sim

import (
	"strings"
	"testing"
)

// TestNamesTypedBack checks that a name that could not be typed back in
// a path (bidders.NAME.spend), though it looks right in a table, is
// refused: a space at either end, an accent written as a combining mark.
// Their look-alikes that can be typed run.
func TestNamesTypedBack(t *testing.T) {
	cases := []struct {
		ok, bad string
		says    string
	}{
		{"a b", " ab", "begins or ends with a space"},
		{"a b", "ab ", "begins or ends with a space"},
		{"caf\u00e9", "cafe\u0301", `write it composed, "caf\u00e9"`},
		{"中文🎯", "e\u0301x", "composed form (NFC)"},
	}
	for _, tc := range cases {
		cfg := world(2, Uniform(0, 1))
		cfg.Bidders[0].Name = tc.ok
		if err := cfg.Validate(); err != nil {
			t.Errorf("%q: %v", tc.ok, err)
		}
		cfg.Bidders[0].Name = tc.bad
		if fe := fieldError(t, cfg.Validate(), "bidders[0].name"); !strings.Contains(fe.Err.Error(), tc.says) {
			t.Errorf("%q: %v, want it to say %q", tc.bad, fe.Err, tc.says)
		}
		cfg = world(2, Uniform(0, 1))
		cfg.Name = tc.bad
		fieldError(t, cfg.Validate(), "name")
		cfg = world(2, Uniform(0, 1))
		cfg.Bidders[0].Group = tc.bad
		fieldError(t, cfg.Validate(), "bidders[0].group")
	}
}

// TestBidderNamesApartInCase checks that two bidders whose names differ
// only in case are refused, as two such groups are, and that the second
// is the one named.
func TestBidderNamesApartInCase(t *testing.T) {
	cfg := world(3, Uniform(0, 1))
	cfg.Bidders[0].Name, cfg.Bidders[2].Name = "Swift", "swift"
	fe := fieldError(t, cfg.Validate(), "bidders[2].name")
	if !strings.Contains(fe.Err.Error(), `differs from bidders[0]'s name "Swift" only in case`) {
		t.Errorf("message %q", fe.Err)
	}
	cfg.Bidders[2].Name = "swift-2"
	if err := cfg.Validate(); err != nil {
		t.Errorf("names apart: %v", err)
	}
}

// TestOldNamesReplayed checks that Config.OldNames (a replay's) accepts
// the names refused since an export could have been made with them, and
// only those: a control character is refused still.
func TestOldNamesReplayed(t *testing.T) {
	cfg := world(3, Uniform(0, 1))
	cfg.Name = "old "
	cfg.Bidders[0].Name, cfg.Bidders[1].Name = " lead", "cafe\u0301"
	cfg.Bidders[1].Group = "e\u0301x "
	cfg.Bidders[2].Name = " LEAD"
	if cfg.Validate() == nil {
		t.Fatal("the names are accepted without OldNames")
	}
	cfg.OldNames = true
	if err := cfg.Validate(); err != nil {
		t.Errorf("with OldNames: %v", err)
	}
	cfg.Bidders[2].Name = "a\x1b[31m"
	fieldError(t, cfg.Validate(), "bidders[2].name")
}
