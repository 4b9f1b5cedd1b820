package main

import (
	"strings"
	"testing"
)

// TestReplayOfAMidRunExportSaysWhyPartial: the table of a replay of an
// export taken mid-run (the dashboard's e) says it stops where the export
// stood, not "interrupted": nothing interrupted it, and a trainer who
// replays a demo's export read that something had gone wrong.
func TestReplayOfAMidRunExportSaysWhyPartial(t *testing.T) {
	path := longExport(t, t.TempDir(), 2, 2000)
	r := run(t, "", "run", "--replay", path, "--no-color")
	head := strings.Join(strings.Fields(r.stdout[:strings.Index(r.stdout+"\n\n", "\n\n")]), " ")
	if r.code != exitOK || !strings.Contains(head, "PARTIAL: replayed to where its export stood, before the stop") ||
		strings.Contains(head, "interrupted") {
		t.Errorf("exit %d, stderr %q, head %q", r.code, r.stderr, head)
	}
}
