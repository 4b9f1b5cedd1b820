package classroom

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/tui/classroom/room"
)

// TestServeOptionsCheck checks serve's refusals, each naming its flag.
func TestServeOptionsCheck(t *testing.T) {
	good := ServeOptions{Room: room.Config{Round: time.Second, Seats: 2},
		Server: ServerOptions{Addr: ":0", HostKey: "k", HandshakeTimeout: time.Second}}
	if err := good.Check(); err != nil {
		t.Fatalf("good options refused: %v", err)
	}
	for _, c := range []struct {
		edit func(o *ServeOptions)
		flag string
		want string
	}{
		{func(o *ServeOptions) { o.Server.Addr = "" }, "--ssh", "--ssh ADDR is required"},
		{func(o *ServeOptions) { o.Server.Addr = "nonsense" }, "--ssh", `--ssh "nonsense": `},
		{func(o *ServeOptions) { o.Room.Round = 0 }, "--round", "--round 0s must be > 0"},
		// Shorter than anyone can bid in: the room would deal rounds
		// as fast as it can.
		{func(o *ServeOptions) { o.Room.Round = time.Nanosecond }, "--round", "--round 1ns is too short to read a value and type a bid: want at least 1s"},
		{func(o *ServeOptions) { o.Room.Round = 20 * time.Millisecond }, "--round", "--round 20ms is too short"},
		{func(o *ServeOptions) { o.Server.HostKey = "" }, "--host-key", "--host-key must name a file"},
		{func(o *ServeOptions) { o.Server.MaxConns = -1 }, "--max-conns", "--max-conns -1: want 1 or more"},
		{func(o *ServeOptions) { o.Server.HandshakeTimeout = 0 }, "--handshake-timeout", "--handshake-timeout 0s must be > 0"},
	} {
		o := good
		c.edit(&o)
		err := o.Check()
		var oe *report.OptionError
		if !errors.As(err, &oe) || oe.Option() != c.flag || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s: %v; want %q", c.flag, err, c.want)
		}
	}
	// The session is JSON, whatever the name says.
	for export, want := range map[string]string{"": "", "Session.JSON": "", "session.txt": "--export session.txt: the file name must end in .json"} {
		o := good
		o.Export = export
		err := o.CheckExport()
		var oe *report.OptionError
		if want == "" && err != nil || want != "" && (!errors.As(err, &oe) || oe.Option() != "--export" || err.Error() != want) {
			t.Errorf("--export %q: %v; want %q", export, err, want)
		}
	}
	if err := good.CheckSeats("duo", 2); err != nil {
		t.Errorf("2 seats of 2 bidders: %v", err)
	}
	if err := good.CheckSeats("solo", 1); err == nil || err.Error() != "--seats 2: the scenario solo has 1 bidders (want 1 to 1)" {
		t.Errorf("2 seats of 1 bidder: %v", err)
	}
}

// TestLogTo checks that a shown room's log waits for flush, and a logged
// room's does not.
func TestLogTo(t *testing.T) {
	var errb bytes.Buffer
	l, flush := LogTo(&errb, "p: ", true)
	l.Print("kept")
	if errb.Len() != 0 {
		t.Errorf("written over the dashboard: %q", errb.String())
	}
	flush()
	if !strings.Contains(errb.String(), "p: ") || !strings.HasSuffix(errb.String(), "kept\n") {
		t.Errorf("after flush: %q", errb.String())
	}
	errb.Reset()
	l, _ = LogTo(&errb, "p: ", false)
	if l.Print("now"); !strings.HasSuffix(errb.String(), "now\n") {
		t.Errorf("logged room: %q", errb.String())
	}
}

// TestOpenLine checks the line that says the room is open.
func TestOpenLine(t *testing.T) {
	o := ServeOptions{Room: room.Config{Scenario: "duo", Round: 20 * time.Second}}
	got := o.OpenLine("p: ")("127.0.0.1:2222", 3)
	if !strings.HasPrefix(got, "p: room duo open on 127.0.0.1:2222 (3 seats, 20s to bid); students join: ssh -p 2222 ") || !strings.HasSuffix(got, "\n") {
		t.Errorf("%q", got)
	}
}
