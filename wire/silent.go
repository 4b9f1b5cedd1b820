package wire

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/auctionsim/auctionsim/report/format"
	"github.com/auctionsim/auctionsim/sim"
)

// pathHint is what an HTTP 404 from an endpoint most often means: a
// bidders server of another scenario (it knows no such bidder), or a URL
// that names the server, not the bidder, or the other way round.
const pathHint = "a server answers there but knows no such bidder: does it serve the same scenario (auctionsim bidders -s NAME)," +
	" and is the path right? --endpoints takes the bidders server's base URL (each bidder at URL" + BidPath +
	"NAME), --endpoint NAME=URL the bidder's own URL (…" + BidPath + "NAME)"

// Silent says, a sentence a bidder, which bidders on the wire answered
// none of their bid requests in snap with a bid or a no-bid in time, and
// what came instead (refused connections, HTTP errors, timeouts), each
// with its URL: an endpoint that is down or mistyped is then named, where
// the table shows only a row of zeros and the line of causes names no
// bidder. Nil when nothing on the wire answered at all
// (WireStats.Unanswered says that) or every bidder on the wire answered.
func (x *Exchange) Silent(snap *sim.Snapshot) []string {
	w := x.Wire()
	if w.Unanswered() != "" {
		return nil
	}
	var out []string
	for i, b := range snap.Bidders {
		if i >= len(x.urls) || x.urls[i] == "" || b.BidRequests == 0 || b.OnTime+b.NoBids > 0 {
			continue
		}
		// On the wire a timeout is a late bid with no price (Late).
		var parts []string
		if b.Refused > 0 {
			parts = append(parts, format.Count(b.Refused)+" refused (nothing listening there, or its queue full)")
		}
		if b.Errors > 0 {
			e := format.Count(b.Errors) + " HTTP errors"
			if w.ErrorsByCause[CauseStatus(http.StatusNotFound)] > 0 {
				e += " (HTTP 404 among the causes: " + pathHint + ")"
			}
			parts = append(parts, e)
		}
		if b.Late > 0 {
			parts = append(parts, format.Count(b.Late)+" timeouts")
		}
		if len(parts) == 0 {
			continue
		}
		out = append(out, fmt.Sprintf("%s at %s answered none of its %s bid requests with a bid or a no-bid in time: %s",
			b.Name, x.urls[i], format.Count(b.BidRequests), strings.Join(parts, ", ")))
	}
	return out
}
