package cli

import "testing"

// TestOutWidth: piped, a table fits $COLUMNS when it is a whole number
// of at least MinPipedWidth, else DefaultPipedWidth; never 0 (no limit),
// under which split's prose ran to 150 columns.
func TestOutWidth(t *testing.T) {
	for cols, want := range map[string]int{"": 100, "120": 120, " 90 ": 90, "40": 40, "39": 100, "0": 100, "-5": 100, "wide": 100, "1e3": 100} {
		got := OutWidth(false, func(k string) string {
			if k == "COLUMNS" {
				return cols
			}
			return ""
		})
		if got != want {
			t.Errorf("COLUMNS %q: width %d, want %d", cols, got, want)
		}
	}
}
