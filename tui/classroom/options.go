package classroom

import (
	"fmt"
	"io"
	"log"
	"net"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/tui/classroom/room"
)

// Check refuses, before the scenario is read, options that cannot make
// a classroom: each refusal a report.OptionError naming serve's flag.
func (o ServeOptions) Check() error {
	s := o.Server
	switch {
	case s.Addr == "":
		return report.Optionf("--ssh", "--ssh ADDR is required, like --ssh :2222")
	case o.Room.Round <= 0:
		return report.Optionf("--round", "--round %v must be > 0", o.Room.Round)
	case o.Room.Round < room.MinTimeToBid:
		return report.Optionf("--round", "--round %v is too short to read a value and type a bid: want at least %v, like 30s", o.Room.Round, room.MinTimeToBid)
	case s.HostKey == "":
		return report.Optionf("--host-key", "--host-key must name a file")
	case s.MaxConns < 0:
		return report.Optionf("--max-conns", "--max-conns %d: want 1 or more (leave it out for 4 per seat + 8)", s.MaxConns)
	case s.HandshakeTimeout <= 0:
		return report.Optionf("--handshake-timeout", "--handshake-timeout %v must be > 0, like 10s", s.HandshakeTimeout)
	}
	_, port, err := net.SplitHostPort(s.Addr)
	if err != nil {
		return report.Optionf("--ssh", "--ssh %q: %v (want HOST:PORT or :PORT)", s.Addr, err)
	}
	// A port out of range, or a name no service has, is bad usage too,
	// not a server that failed (exit 1) once the room is set up.
	if _, err := net.LookupPort("tcp", port); err != nil {
		return report.Optionf("--ssh", "--ssh %q: %v (want a port from 0 to 65535, like :2222)", s.Addr, err)
	}
	return nil
}

// CheckExport refuses an --export whose name does not end in .json: the
// session format is JSON, which a FILE.txt would hold under another name,
// as --out refuses to write. Checked after the outputs' guard
// (report.Outputs), whose "would overwrite the scenario" says more.
func (o ServeOptions) CheckExport() error {
	if o.Export == "" {
		return nil
	}
	return report.CheckExt("--export", o.Export, ".json")
}

// CheckSeats refuses, once the scenario (name, its bidders) is read,
// more seats than it has bidders.
func (o ServeOptions) CheckSeats(name string, bidders int) error {
	if seats := o.Room.Seats; seats < 0 || seats > bidders {
		return report.Optionf("--seats", "--seats %d: the scenario %s has %d bidders (want 1 to %d)", seats, name, bidders, bidders)
	}
	return nil
}

// LogTo is the server's log (sessions, failed room codes, throttles) on
// stderr, each line after prefix: at once when the room is only logged,
// or, while it shows on the terminal (shown), kept and written by flush
// after it closes (HeldLog), not over the dashboard.
func LogTo(stderr io.Writer, prefix string, shown bool) (l *log.Logger, flush func()) {
	if !shown {
		return log.New(stderr, prefix, log.LstdFlags), func() {}
	}
	held := &HeldLog{}
	return log.New(held, prefix, log.LstdFlags), func() { held.Flush(stderr) }
}

// OpenLine is the line that says the room is open (for Open, after
// prefix): the scenario, where, the seats and the time to bid, and how
// students join.
func (o ServeOptions) OpenLine(prefix string) func(where string, seats int) string {
	return func(where string, seats int) string {
		return fmt.Sprintf("%sroom %s open on %s (%d seats, %v to bid); students join: %s\n",
			prefix, o.Room.Scenario, where, seats, o.Room.Round, JoinHint(where))
	}
}
