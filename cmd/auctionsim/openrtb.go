package main

import (
	"github.com/auctionsim/auctionsim/cmd/internal/cli"
	"github.com/auctionsim/auctionsim/report/openrtb"
)

// openrtbOptions are run's --openrtb N and --openrtb-out FILE
// (openrtb.Flags checks them).
type openrtbOptions = openrtb.Flags

func defineOpenRTB(c *command, o *openrtbOptions) {
	cli.PositiveCountVar(c.Flags, &o.N, "openrtb", 0, "`N` write the first N auctions as OpenRTB 2.6 JSON lines as Prebid Server speaks it (request, responses, outcome, response) as they close: to stdout in place of the summary, or to --openrtb-out")
	c.Flags.StringVar(&o.Out, "openrtb-out", "", "`FILE` write --openrtb's lines to FILE (atomically); the summary goes where it would")
}
