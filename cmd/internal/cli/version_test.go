package cli

import (
	"runtime/debug"
	"testing"
)

// TestVersion: the version chosen is the stamp (make build's git
// describe), else the module's version, else the build's revision
// ("-dirty" when modified), else devel.
func TestVersion(t *testing.T) {
	rev := []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: "8288f77c1a2b3c4d5e6f708192a3b4c5d6e7f809"},
		{Key: "vcs.time", Value: "2026-12-06T16:00:00Z"}, {Key: "vcs.modified", Value: "false"}}
	dirty := append(rev[:3:3], debug.BuildSetting{Key: "vcs.modified", Value: "true"})
	module := func(v string, s []debug.BuildSetting) *debug.BuildInfo {
		return &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: v}, Settings: s}
	}
	for i, c := range []struct {
		stamped string
		info    *debug.BuildInfo
		ok      bool
		want    string
	}{
		{"v1.3.0-2-g5af7427-dirty", module("v1.2.0", dirty), true, "v1.3.0-2-g5af7427-dirty"},
		{"5af7427", nil, false, "5af7427"},
		{"", module("v1.2.0", dirty), true, "v1.2.0"},
		{"", module("(devel)", rev), true, "8288f77c1a2b"},
		{"", module("", dirty), true, "8288f77c1a2b-dirty"},
		{"", module("(devel)", nil), true, "devel"},
		{"", &debug.BuildInfo{}, true, "devel"},
		{"", nil, false, "devel"},
	} {
		if got := Version(c.stamped, c.info, c.ok); got != c.want {
			t.Errorf("case %d: Version(%q, ...) = %q, want %q", i, c.stamped, got, c.want)
		}
	}
}

// TestVersionLine: the version line names the version (Version), the vcs
// revision (shortened), its time and whether the checkout was modified
// unless the version is that revision already, and the Go release, from
// the build's information.
func TestVersionLine(t *testing.T) {
	info := &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "v1.2.0"},
		Settings: []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: "8288f77c1a2b3c4d5e6f708192a3b4c5d6e7f809"},
			{Key: "vcs.time", Value: "2026-12-06T16:00:00Z"}, {Key: "vcs.modified", Value: "true"}}}
	for _, c := range []struct {
		stamped string
		info    *debug.BuildInfo
		ok      bool
		want    string
	}{
		{"", info, true, "auctionsim v1.2.0 (revision 8288f77c1a2b, 2026-12-06T16:00:00Z, modified) go1.26.0"},
		{"v1.3.0-dirty", info, true, "auctionsim v1.3.0-dirty (revision 8288f77c1a2b, 2026-12-06T16:00:00Z, modified) go1.26.0"},
		{"", &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "v1.2.0"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "abc"}, {Key: "vcs.modified", Value: "false"}}}, true, "auctionsim v1.2.0 (revision abc) go1.26.0"},
		{"", &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "(devel)"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "abc"}, {Key: "vcs.modified", Value: "true"}}}, true, "auctionsim abc-dirty go1.26.0"},
		{"", &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "(devel)"}}, true, "auctionsim devel go1.26.0"},
		{"5af7427", &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "(devel)"}}, true, "auctionsim 5af7427 go1.26.0"},
		{"", &debug.BuildInfo{}, true, "auctionsim devel"},
		{"", nil, false, "auctionsim (unknown version: built without module information)"},
		{"5af7427", nil, false, "auctionsim 5af7427"},
	} {
		if got := VersionLine("auctionsim", c.stamped, c.info, c.ok); got != c.want {
			t.Errorf("VersionLine(%q) = %q, want %q", c.stamped, got, c.want)
		}
	}
}
