package openrtb

import (
	"github.com/auctionsim/auctionsim/report"
)

// Flags are run's --openrtb N and --openrtb-out FILE: the first N
// auctions as OpenRTB 2.6 JSON lines as Prebid Server speaks it
// (request, responses, outcome, response), to Out or, when Out is "",
// to stdout instead of the summary.
type Flags struct {
	N   uint64
	Out string
}

// ToStdout reports whether the auctions take stdout, in place of the
// summary.
func (f Flags) ToStdout() bool { return f.N > 0 && f.Out == "" }

// Check refuses combinations that cannot work, before any time is spent
// (given: the flags set; json: --json), each an OptionError naming the
// flag.
func (f Flags) Check(given map[string]bool, json bool) error {
	switch {
	case given["openrtb"] && f.N == 0:
		return report.Optionf("--openrtb", "--openrtb must be > 0")
	case given["openrtb-out"] && f.N == 0:
		return report.Optionf("--openrtb-out", "--openrtb-out needs --openrtb N")
	case f.ToStdout() && json:
		return report.Optionf("--openrtb", "--openrtb without --openrtb-out writes the auctions to stdout; give --openrtb-out FILE to keep --json there, or --out FILE.json for the summary")
	}
	return nil
}
