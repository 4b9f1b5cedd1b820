package cli

import "runtime/debug"

// Version is the version a build reports, the first known of: stamped,
// what the build was stamped with (make build: git describe --tags
// --always --dirty, through -ldflags -X); the module's version (go
// install module@v1.2.0); the source's revision from the build's
// information (vcs.revision, shortened, "-dirty" when the checkout was
// modified, as git describe says it), absent when built with
// -buildvcs=false or outside a checkout; else "devel".
func Version(stamped string, info *debug.BuildInfo, ok bool) string {
	if stamped != "" {
		return stamped
	}
	if !ok || info == nil {
		return "devel"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	if rev, _, modified := vcs(info); rev != "" {
		if modified {
			rev += "-dirty"
		}
		return rev
	}
	return "devel"
}

// vcs is the build's revision, shortened to 12 hex digits, its time and
// whether the checkout was modified; rev is "" when the build has none.
func vcs(info *debug.BuildInfo) (rev, at string, modified bool) {
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
	if len(rev) > 12 {
		rev = rev[:12]
	}
	return rev, at, modified
}

// VersionLine is program's version as a version command prints it:
// Version, then the revision, its time and ", modified" when the build's
// information has them and Version is not already the revision, then the
// Go release: "auctionsim v1.2.0 (revision 8288f77c1a2b,
// 2026-12-06T16:00:00Z, modified) go1.26.0".
func VersionLine(program, stamped string, info *debug.BuildInfo, ok bool) string {
	known := ok && info != nil
	if !known && stamped == "" {
		return program + " (unknown version: built without module information)"
	}
	v := Version(stamped, info, ok)
	line := program + " " + v
	if !known {
		return line
	}
	if rev, at, modified := vcs(info); rev != "" && v != rev && v != rev+"-dirty" {
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
