package cli

import "runtime/debug"

// VersionLine is program's version as a version command prints it, from
// the build's information (debug.ReadBuildInfo): "auctionsim v1.2.0
// (revision 8288f77c1a2b, 2026-12-06T16:00:00Z, modified) go1.26.0".
func VersionLine(program string, info *debug.BuildInfo, ok bool) string {
	if !ok || info == nil {
		return program + " (unknown version: built without module information)"
	}
	v := info.Main.Version
	if v == "" {
		v = "(devel)" // a test binary, or go run
	}
	line := program + " " + v
	var rev, at string
	modified := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		line += " (revision " + rev
		if at != "" {
			line += ", " + at
		}
		if modified {
			line += ", modified"
		}
		line += ")"
	}
	if info.GoVersion != "" {
		line += " " + info.GoVersion
	}
	return line
}
