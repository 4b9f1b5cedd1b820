package wire

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/sim"
)

// Summary is the JSON summary of a run on the wire: report's summary,
// field for field (latency_ms now measured), and what crossed the wire.
type Summary struct {
	report.Summary
	Wire WireStats `json:"wire"`
}

// WriteSummary writes the JSON summary of a run on the wire to w, laid
// out as report.WriteSummary lays out a simulated run's.
func WriteSummary(w io.Writer, snap *sim.Snapshot, meta report.Meta, ws WireStats) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(Summary{Summary: report.NewSummary(snap, meta), Wire: ws}); err != nil {
		return fmt.Errorf("write JSON: %w", err)
	}
	return nil
}

// Section is ws as the section of a run on the wire's JSON export (run
// --endpoints --out FILE.json): "wire", as in its JSON summary.
func (ws WireStats) Section() report.Section { return report.Section{Name: "wire", Value: ws} }
