package scenarios

import (
	"testing"

	"github.com/auctionsim/auctionsim/sim"
)

// TestByteOrderMark: a file that opens with a UTF-8 byte order mark, as
// editors on Windows write it, reads as without one (YAML allows it), and
// so does an override of it; it used to be refused as the unknown field
// "\ufeffname", or "\ufeffstop" with the name left out.
func TestByteOrderMark(t *testing.T) {
	src := "\ufeffname: marked\n" + minimal
	s := mustParse(t, src)
	if s.Name != "marked" {
		t.Errorf("name %q, want marked", s.Name)
	}
	mustParse(t, "\ufeff"+minimal)
	edited, _, err := Apply([]byte(src), []Set{{Path: "exchange.floor", Value: "0.3", Flag: "--set"}})
	if err != nil {
		t.Fatal(err)
	}
	if s := mustParse(t, string(edited)); s.Name != "marked" || s.Config.Exchange.Floor != sim.PriceOf(0.3) {
		t.Errorf("overridden: name %q, floor %v:\n%s", s.Name, s.Config.Exchange.Floor, edited)
	}
}
