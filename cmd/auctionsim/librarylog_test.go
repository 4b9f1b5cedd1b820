package main

import (
	"bytes"
	"log"
	"strings"
	"testing"

	charmlog "github.com/charmbracelet/log"
)

// TestLibraryLogsToServerLog: while serve runs, what wish's middleware
// logs through charmbracelet/log's package logger ("app exit with error")
// reaches the server's log, line by line with its prefix, which the
// dashboard holds until it ends; then the logger before is back. Left to
// the package logger, the line went to descriptor 2, over the dashboard.
func TestLibraryLogsToServerLog(t *testing.T) {
	before := charmlog.Default()
	var buf bytes.Buffer
	restore := libraryLogsTo(log.New(&buf, "auctionsim serve: ", 0))
	charmlog.Error("app exit with error", "error", "program was killed")
	charmlog.Print("two\nlines")
	restore()
	got := buf.String()
	for _, want := range []string{
		"auctionsim serve: ERRO app exit with error error=\"program was killed\"\n",
		"auctionsim serve: two\nauctionsim serve: lines\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the server's log lacks %q:\n%s", want, got)
		}
	}
	if charmlog.Default() != before {
		t.Error("the package logger was not restored")
	}
}
