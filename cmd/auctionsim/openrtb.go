package main

import (
	"fmt"

	"github.com/auctionsim/auctionsim/cmd/internal/cli"
)

// openrtbOptions are run's --openrtb N and --openrtb-out FILE: the first N
// auctions as OpenRTB 2.6 JSON lines as Prebid Server speaks it (request,
// responses, outcome, response), to FILE or, without --openrtb-out, to
// stdout instead of the summary.
type openrtbOptions struct {
	n   uint64
	out string
}

func (o *openrtbOptions) define(c *command) {
	cli.CountVar(c.Flags, &o.n, "openrtb", 0, "`N` write the first N auctions as OpenRTB 2.6 JSON lines as Prebid Server speaks it (request, responses, outcome, response) as they close: to stdout in place of the summary, or to --openrtb-out")
	c.Flags.StringVar(&o.out, "openrtb-out", "", "`FILE` write --openrtb's lines to FILE (atomically); the summary goes where it would")
}

// toStdout reports whether the auctions take stdout, in place of the
// summary.
func (o *openrtbOptions) toStdout() bool { return o.n > 0 && o.out == "" }

// check refuses combinations that cannot work, before any time is spent.
func (o *openrtbOptions) check(given map[string]bool, json bool) error {
	switch {
	case given["openrtb"] && o.n == 0:
		return fmt.Errorf("--openrtb must be > 0")
	case given["openrtb-out"] && o.n == 0:
		return fmt.Errorf("--openrtb-out needs --openrtb N")
	case o.toStdout() && json:
		return fmt.Errorf("--openrtb without --openrtb-out writes the auctions to stdout; give --openrtb-out FILE to keep --json there, or --out FILE.json for the summary")
	}
	return nil
}
