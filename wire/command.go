package wire

// What the wire's commands (auctionsim bidders, loadgen, run and the
// dashboard on the wire) do once their flags are read: the command line
// only parses, calls these and reports.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim"
)

// ServeFor serves srv on ln until ctx is done or, when d > 0, d has
// passed; in-flight requests then have drain to be answered. It returns
// the server's final stats, and the error serving ended with.
func ServeFor(ctx context.Context, ln net.Listener, srv *Server, drain, d time.Duration) (Stats, error) {
	if d > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, d)
		defer cancel()
	}
	defer context.AfterFunc(ctx, srv.Halt)()
	defer debug.SetGCPercent(debug.SetGCPercent(wireGC))
	err := Serve(ctx, ln, srv, drain)
	return srv.Stats(), err
}

// wireGC is the GOGC the wire's commands serve and run with while they
// do: every bid request allocates a little at both ends (net/http's
// reader, writer, request and context), and with some thousands open at
// once the collector's marking, their goroutines' stacks included, was a
// tenth of the CPU at the default 100. The heap is some tens of MB, so a
// few times it is nothing beside the CPU it saves.
const wireGC = 400

// Summary is s as one line per bidder for the terminal: requests, bids,
// no-bids, errors (500s, 503s and hangs), the served latency's p50/p99
// and, when some were, the requests the client gave up on before their
// answer (abandoned), without which the figures did not add up to the
// requests (timeout-demo's tail: 3,771 requests, 3,747 bids, nothing else).
func (s Stats) Summary() []string { return s.SummaryWithin(0) }

// SummaryWithin is Summary for a terminal w cells wide (0: no limit): the
// counts' columns as wide as their widest, and a bidder's line still
// wider than w goes on, from its latency, in a line of its own under the
// counts (two lines for that bidder).
// Before, the lines ran to some 110 cells, and at 80 columns (a bidders
// window beside the dashboard on a projector) the terminal broke them
// mid-word ("0 error" / "s  latency").
func (s Stats) SummaryWithin(w int) []string {
	out := make([]string, 0, len(s.Bidders))
	// The names' column as wide as the widest in terminal cells (a name
	// in 中文 takes two a character), so that the counts line up.
	nw := 12
	var cw [4]int // requests, bids, no-bids, errors
	for _, b := range s.Bidders {
		nw = max(nw, format.Width(b.Name))
		for i, x := range b.summaryCounts() {
			cw[i] = max(cw[i], len(format.Count(x)))
		}
	}
	for _, b := range s.Bidders {
		// No answer, no latency: a dash, not 0.0/0.0 ms.
		lat := format.Dash
		if b.LatencyMS.N > 0 {
			lat = fmt.Sprintf("%.1f/%.1f ms", b.LatencyMS.P50, b.LatencyMS.P99)
		}
		// Counts as every other table writes them (6,262, not 6262).
		c := b.summaryCounts()
		n := func(i int) string { return format.PadLeft(format.Count(c[i]), cw[i]) }
		counts := format.PadRight(b.Name, nw) + fmt.Sprintf(" %s requests %s bids %s no-bids %s errors", n(0), n(1), n(2), n(3))
		rest := "latency p50/p99 " + lat
		if b.Abandoned > 0 {
			rest += fmt.Sprintf("  %s abandoned (the client gave up first)", format.Count(b.Abandoned))
		}
		if line := counts + "  " + rest; w <= 0 || format.Width(line) <= w {
			out = append(out, line)
			continue
		}
		// Under the counts where it fits, else nearer the margin.
		indent := strings.Repeat(" ", nw+1)
		if format.Width(indent+rest) > w {
			indent = "    "
		}
		out = append(out, counts, indent+rest)
	}
	return out
}

// summaryCounts are the counts Summary writes: requests, bids, no-bids,
// and errors (500s, 503s and hangs).
func (b BidderStats) summaryCounts() [4]uint64 {
	return [4]uint64{b.Requests, b.Bids, b.NoBids, b.Errors + b.Refused + b.Hangs}
}

// WriteStats writes s, as GET /stats answers it, to path atomically.
func WriteStats(path string, s Stats) error {
	return report.WriteFileAtomic(path, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(s)
	})
}

// Requests are the bid requests every bidder received.
func (s Stats) Requests() uint64 {
	var n uint64
	for _, b := range s.Bidders {
		n += b.Requests
	}
	return n
}

// ResolveEndpoints maps the bidders on the wire to their URLs: own (the
// scenario's bidders' endpoints), all of them replaced by every bidder of
// cfg at all/openrtb2/NAME when all is not "", then each NAME=URL of
// each. It refuses, before anything is sent, an all or a URL of each that
// is not an http(s) URL with a host, and a NAME of each that is not a
// bidder of cfg, as a report.OptionError naming the flag and the value
// written.
func ResolveEndpoints(cfg sim.Config, own map[string]string, all string, each []string) (map[string]string, error) {
	out := map[string]string{}
	for n, u := range own {
		out[n] = u
	}
	if all != "" {
		if !scenarios.IsHTTPURL(all) {
			return nil, report.Optionf("--endpoints", "--endpoints %q: not an http:// or https:// URL with a host; write the bidders server's base URL, as --endpoints http://127.0.0.1:8080 (each bidder is then at URL%sNAME)", all, BidPath)
		}
		out = Endpoints(cfg, all)
	}
	given := map[string]string{} // --endpoint NAME=URL by NAME
	names := bidderNames(cfg)
	for _, e := range each {
		name, u, ok := strings.Cut(e, "=")
		if !ok || name == "" || u == "" {
			return nil, report.Optionf("--endpoint", "--endpoint %q: want NAME=URL, as --endpoint NAME=http://127.0.0.1:8080%sNAME", e, BidPath)
		}
		if !slices.Contains(names, name) {
			return nil, report.Optionf("--endpoint", "--endpoint %q: %v", e, sim.NoBidder(name, names))
		}
		if !scenarios.IsHTTPURL(u) {
			return nil, report.Optionf("--endpoint", "--endpoint %q: %q is not an http:// or https:// URL with a host; write NAME=URL, as --endpoint %s=http://127.0.0.1:8080%s", e, u, name, bidPathOf(name))
		}
		if prev, twice := given[name]; twice {
			// The last would win unseen: one of the two is a mistake.
			return nil, report.Optionf("--endpoint", "--endpoint %q: bidder %s is already given, as --endpoint %q: give each bidder once", e, name, prev)
		}
		given[name] = e
		out[name] = u
	}
	return out, nil
}

// bidderNames are cfg's bidders' names, in order.
func bidderNames(cfg sim.Config) []string {
	names := make([]string, len(cfg.Bidders))
	for i, b := range cfg.Bidders {
		names[i] = b.Name
	}
	return names
}

// RunScenario runs sc's exchange x on the wall clock to sc's stop, or
// until ctx is done (the run is then interrupted, not failed). It returns
// the run and what crossed the wire.
func RunScenario(ctx context.Context, x *Exchange, sc *scenarios.Scenario) (*report.Run, WireStats, error) {
	defer debug.SetGCPercent(debug.SetGCPercent(wireGC))
	start := time.Now()
	err := x.Run(ctx, sc.Stop)
	wall := time.Since(start)
	interrupted := err != nil && errors.Is(err, ctx.Err())
	if err != nil && !interrupted {
		return nil, WireStats{}, err
	}
	return report.NewRun(sc, x.Engine().Snapshot(), interrupted, wall), x.Wire(), nil
}

// Line is ws as the line under a run's table, with, when some notices
// got no answer, a line saying so, when there were errors, a line of
// them by cause, and, when there were timeouts, a line of them by bidder:
// the table counts them as late bids with no price.
func (ws WireStats) Line() string {
	// Counts with separators, as the table above them.
	c := format.Count
	open := ""
	if ws.Unsettled > 0 {
		// So that the counts add up to those sent.
		open = fmt.Sprintf(", %s unsettled (auctions open at the stop)", c(ws.Unsettled))
	}
	line := fmt.Sprintf("wire: %s sent, %s answered (%s no-bids), %s HTTP errors, %s timeouts%s; %s bytes out, %s in\n",
		c(ws.Sent), c(ws.Answered), c(ws.NoBids), c(ws.HTTPErrors), c(ws.Timeouts), open, c(ws.BytesOut), c(ws.BytesIn))
	if ws.NoticesUnsent > 0 {
		// Said only then: the bidders' budgets may hold what they lost.
		line += fmt.Sprintf("wire: %s of %s win and loss notices got no answer (refused, over 2 s, or cut %v after the stop)\n",
			c(ws.NoticesUnsent), c(ws.NoticesSent+ws.NoticesUnsent), StopNotices)
	}
	if len(ws.ErrorsByCause) > 0 {
		refused := ""
		if ws.ErrorsByCause[CauseRefused] > 0 || ws.ErrorsByCause[CauseStatus(http.StatusServiceUnavailable)] > 0 {
			// Counted among the wire's errors, as Prebid Server's
			// "unreachable" is a failed call; the table counts them as
			// the simulation does, refused.
			refused = " (connections refused and 503s are the table's refused)"
		}
		line += "wire: HTTP errors by cause" + refused + ": " + byName(ws.ErrorsByCause) + "\n"
	}
	if len(ws.TimeoutsByBidder) == 0 {
		return line
	}
	// The latency columns take a timeout the late grace read at its
	// measured time, and rank one never answered past when the wire gave
	// up on it, unknown by how much: said here, beside the simulation's
	// way, which knows a late answer's time and leaves a hang out, so
	// that the two are compared as what they are.
	// Without a grace (--late-grace 0) no timeout is read, and a note of
	// answers read within it would describe a run that was not made.
	read := "a timeout answered within the late grace (--late-grace) counts at its measured time; one never answered is known only to be past when the wire stopped waiting"
	if ws.LateGrace <= 0 {
		read = "with no late grace (--late-grace 0) no timeout is read: each is known only to be past its deadline, when the wire stopped waiting"
	}
	return line + "wire: timeouts (counted in the table as late bids with no price): " + byName(ws.TimeoutsByBidder) + "\n" +
		"wire: " + read + ": p50 and p99 rank it there and read \"> T\" (from the fan-out) where they fall among those (hangs included); the simulation records a late answer at its true time and leaves a hang out\n"
}

// byName is counts as "name N, name N", in the names' order.
func byName(counts map[string]uint64) string {
	names := make([]string, 0, len(counts))
	for n := range counts {
		names = append(names, n)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = n + " " + format.Count(counts[n])
	}
	return strings.Join(parts, ", ")
}

// LoadURLs are the bid endpoints of cfg's bidders on the server at
// target, in the world's order, so that loads are alike.
func LoadURLs(cfg sim.Config, target string) []string {
	var urls []string
	for _, b := range cfg.Bidders {
		urls = append(urls, strings.TrimRight(target, "/")+bidPathOf(b.Name))
	}
	return urls
}

// WriteLoad writes what a load measured as loadgen's JSON.
func WriteLoad(w io.Writer, res LoadResult) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	// Num: a rate with nothing to measure (fewer than two sends, no
	// send) is null, not 0.
	answeredBy := math.NaN() // null with nothing answered
	if res.Answered > 0 {
		answeredBy = res.AnsweredBy.Seconds()
	}
	return enc.Encode(map[string]any{
		"sent": res.Sent, "answered": res.Answered, "failed": res.Failed,
		"rate": report.Num(res.Rate), "answered_per_second": report.Num(res.AnsweredPerSecond),
		"elapsed_seconds": res.Elapsed.Seconds(), "added_ms": res.AddedMS,
		"answered_seconds": report.Num(answeredBy),
	})
}
