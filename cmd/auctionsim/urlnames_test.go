package main

import (
	"net/url"
	"strings"
	"testing"
)

// TestURLNames: the bidders command's first line gives each endpoint's
// path as a URL takes it, so that pasted into curl it reaches the bidder:
// a name with a space, #, ? or / read as is cut the URL or named another
// path; letters of any script stay readable.
func TestURLNames(t *testing.T) {
	names := []string{"a b#?%/x", "o'brien 中文", "plain-name_2"}
	got := urlNames(names)
	for i, n := range names {
		back, err := url.PathUnescape(got[i])
		if err != nil || back != n {
			t.Errorf("%q shown as %q, read back as %q (%v)", n, got[i], back, err)
		}
		if strings.ContainsAny(got[i], " #?/") {
			t.Errorf("%q shown as %q: a URL would cut it", n, got[i])
		}
	}
	if got[1] != "o%27brien%20中文" || got[2] != "plain-name_2" {
		t.Errorf("shown as %q", got)
	}
}
