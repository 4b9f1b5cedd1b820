package sim

import "testing"

func TestClosest(t *testing.T) {
	names := []string{"metro", "swift", "acme-retarget"}
	for _, tc := range []struct {
		s    string
		max  int
		want string
	}{
		{"metr", 2, "metro"},
		{"SWIFT", 0, "swift"},
		{"acme-retargte", 2, "acme-retarget"},
		{"zzzzzzzz", 2, ""},
		{"", 1, ""},
	} {
		if got := Closest(tc.s, names, tc.max); got != tc.want {
			t.Errorf("Closest(%q, %d) = %q, want %q", tc.s, tc.max, got, tc.want)
		}
	}
	if d := editDistance("kitten", "sitting"); d != 3 {
		t.Errorf("editDistance(kitten, sitting) = %d, want 3", d)
	}
}
