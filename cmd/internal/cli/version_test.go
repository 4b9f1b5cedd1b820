package cli

import (
	"runtime/debug"
	"testing"
)

// TestVersionLine: the version line names the module version, the vcs
// revision (shortened), its time and whether the checkout was modified,
// and the Go release, from the build's information.
func TestVersionLine(t *testing.T) {
	info := &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "v1.2.0"},
		Settings: []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: "8288f77c1a2b3c4d5e6f708192a3b4c5d6e7f809"},
			{Key: "vcs.time", Value: "2026-12-06T16:00:00Z"}, {Key: "vcs.modified", Value: "true"}}}
	for _, c := range []struct {
		info *debug.BuildInfo
		ok   bool
		want string
	}{
		{info, true, "auctionsim v1.2.0 (revision 8288f77c1a2b, 2026-12-06T16:00:00Z, modified) go1.26.0"},
		{&debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "v1.2.0"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "abc"}, {Key: "vcs.modified", Value: "false"}}}, true, "auctionsim v1.2.0 (revision abc) go1.26.0"},
		{&debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "(devel)"}}, true, "auctionsim (devel) go1.26.0"},
		{&debug.BuildInfo{}, true, "auctionsim (devel)"},
		{nil, false, "auctionsim (unknown version: built without module information)"},
	} {
		if got := VersionLine("auctionsim", c.info, c.ok); got != c.want {
			t.Errorf("VersionLine = %q, want %q", got, c.want)
		}
	}
}
