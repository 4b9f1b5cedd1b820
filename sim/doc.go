// Package sim is auctionsim's engine: a deterministic, single-threaded
// discrete-event simulation of server-to-server (S2S) ad auctions.
//
// An exchange receives ad requests (a Poisson process), fans out a bid
// request to every enabled bidder at the same instant, waits until every
// called bidder has answered or failed, or until the deadline (tmax),
// whichever comes first (as Prebid Server does; ExchangeConfig.HoldOpen
// waits the whole tmax), and runs a second-price or first-price auction
// with a floor over the bids that came in time. Each bidder has a network latency, an optional finite capacity
// (c workers with a FIFO queue), a value for the impression, a bidding
// strategy, a budget with optional pacing, and outcomes (clicks,
// conversions, order value) that turn wins into return on ad spend.
//
// The engine is one loop over a typed priority queue ordered by
// (virtual time, sequence number). Virtual time is an integer number of
// nanoseconds (Time). Responses are not events: because every bidder's
// queue is FIFO, the response time of each bid request is computed at
// fan-out, leaving only ad-request arrivals, auction closes, conversions,
// pacing ticks and replayed changes on the queue. So is the instant an
// auction closes: its last answer, or its deadline.
//
// Arrival times are whole nanoseconds, but each gap carries the fraction
// of a nanosecond the last one left over, so the request rate is unbiased
// at any qps; several requests may share a nanosecond. A daily shape is
// drawn exactly by inversion, part by part of the day.
//
// What waiting costs (Abandonment): the person whose page waited w for the
// exchange's answer has left with a probability that grows with w past a
// grace; the impression is then lost, not paid. Each ad request draws its
// person's uniform on a stream of its own, so that the tmax curve settles
// every candidate deadline's wait with the same draw.
//
// Several ad slots (ExchangeConfig.Slots, auction GSP or VCG, sim/slots.go)
// are sold in one auction: the k highest bids win positions of
// click-through weights α_1 ≥ … ≥ α_k, bids and prices per click, each
// slot paying α_j × its price per click. GSP charges the next bid, VCG the
// clicks the slot takes from the bidders below. A single-item auction
// takes the old path untouched (Engine.close), so its outputs and speed
// are as before.
//
// A won impression converts at most once. The person would have converted
// anyway with probability BaselineCVR (an organic conversion); otherwise
// the ad causes a conversion if they click (CTR) and then convert (CVR).
// Attributed ROAS credits both kinds to the ad (last touch); incremental
// ROAS only what the ads added, the model's truth: without people the
// caused ones, (1 − BaselineCVR)·CTR·CVR per impression, exactly the lift
// over not showing the ad; with people, who convert once per
// conversion_period, the people's conversions less those they would have
// made without the ads (BidderStats.IncrementalConversions), below the
// caused ones where a caused conversion takes a later organic one's place.
//
// Pacing is even from the start: the controllers update startupTicks times
// in the first interval, and throttle pacing starts from a prior and sets
// its probability from what taking part has cost so far until then.
//
// Arithmetic never wraps. Virtual time ends at EndOfTime (about 146 years):
// time sums saturate there, nothing is scheduled after it, and a run that
// reaches it has Ended. Latency statistics hold response times up to
// EndOfTime. Prices saturate at MaxPrice, money totals at MaxMoney (see
// ExchangeStats.Saturated). A ratio with nothing to divide by (ROAS with no
// spend, a mean price with no wins) is NaN, never 0.
//
// Money is exact: prices are integer micro-CPM (Price) and one impression
// bought at price p costs exactly p nano-units of currency (Money), so the
// sum of bidders' spend equals the exchange's revenue bit for bit. A
// Config carries its prices (floor, increment, fixed bids) as Price and
// its amounts (budgets, order values) as Money, and so do the changes
// that set them: whoever reads numbers converts once, with PriceOf and
// MoneyOf, after checking them with CheckCPM and CheckCurrency (a Price
// cannot hold NaN or 1e300). Value distributions stay float64 in CPM,
// each draw rounded to a Price as it is bid, and ratios and shares are
// float64. Snapshots carry every amount as Money, order-value sums
// (BidderStats.ValueCaused, GroupStats.IncrementalValue) included, so that
// 3 conversions of 12.34 are worth exactly 37.02; amounts become float
// only where they are written out or divided (ROAS, the metric catalogue).
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
// with ghost bids, holding out bid requests or, with people, people
// (HoldoutStats, HoldoutUnit), beside the model's truth.
//
// Conversions mature after a delay, so a snapshot's conversion figures
// count those matured by now; those still pending (BidderStats.Pending)
// are drawn in full at the click, kind and person included, and counted
// by kind as they are drawn and as they mature. BidderStats.Eventual and
// GroupStats.Eventual count them as matured: what the impressions
// bought so far will have earned, exactly what a run drained with no
// more auctions reaches. Planners decide on them (the catalogue's
// eventual.* metrics; split's objective), as a split that buys more of
// its conversions late reads low on the matured figures alone.
//
// The package has no terminal, file-format or goroutine code: callers drive
// it with Step, RunUntil and RunAuctions, change it with Apply, and read it
// with Snapshot, whose result is an immutable copy safe to hand to another
// goroutine. The one goroutine it may start is StartPipeline's producer,
// which draws a single run's random numbers ahead of the engine on another
// core, every output byte for byte the engine's alone; StopPipeline ends
// it.
package sim
