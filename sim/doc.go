// Package sim is auctionsim's engine: a deterministic, single-threaded
// discrete-event simulation of server-to-server (S2S) ad auctions.
//
// An exchange receives ad requests (a Poisson process), fans out a bid
// request to every enabled bidder at the same instant, waits until the
// deadline (tmax) and runs a second-price or first-price auction with a
// floor. Each bidder has a network latency, an optional finite capacity
// (c workers with a FIFO queue), a value for the impression, a bidding
// strategy, a budget with optional pacing, and outcomes (clicks,
// conversions, order value) that turn wins into return on ad spend.
//
// The engine is one loop over a typed priority queue ordered by
// (virtual time, sequence number). Virtual time is an integer number of
// nanoseconds (Time). Responses are not events: because every bidder's
// queue is FIFO, the response time of each bid request is computed at
// fan-out, leaving only ad-request arrivals, auction closes, conversions,
// pacing ticks and replayed changes on the queue.
//
// Money is exact: prices are integer micro-CPM (Price) and one impression
// bought at price p costs exactly p nano-units of currency (Money), so the
// sum of bidders' spend equals the exchange's revenue bit for bit.
//
// Every random draw comes from a named stream seeded from the scenario seed
// and the bidder's name, so changing one bidder leaves the draws of every
// other bidder unchanged (common random numbers), and one seed plus the
// change log reproduces a run exactly.
//
// For planners: bidders may form advertiser groups (Snapshot.Groups,
// MoveBudget, MoveOptions); Clone copies a running world exactly, and Fork
// runs the copy beside the original with a paired comparison of the two
// (Paired, Difference); a holdout measures a bidder's incremental ROAS
// with ghost bids (HoldoutStats).
//
// The package has no terminal, file-format or goroutine code: callers drive
// it with Step, RunUntil and RunAuctions, change it with Apply, and read it
// with Snapshot, whose result is an immutable copy safe to hand to another
// goroutine.
package sim
