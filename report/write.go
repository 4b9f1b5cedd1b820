package report

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/auctionsim/auctionsim/sim"
)

// Format is an output file format.
type Format int

// Output formats, chosen by file extension.
const (
	JSON Format = iota + 1 // .json: the summary plus the time series
	CSV                    // .csv: the time series, one row per interval
)

// String returns "json" or "csv".
func (f Format) String() string {
	switch f {
	case JSON:
		return "json"
	case CSV:
		return "csv"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// FormatOf picks the format from path's extension, so callers can refuse a
// bad --out before spending time on a run.
func FormatOf(path string) (Format, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".json":
		return JSON, nil
	case ".csv":
		return CSV, nil
	}
	return 0, fmt.Errorf("%s: unknown output format; the file name must end in .json (summary and time series) or .csv (time series)", path)
}

// WriteSummary writes the JSON summary of snap to w.
func WriteSummary(w io.Writer, snap *sim.Snapshot, meta Meta) error {
	return encodeJSON(w, NewSummary(snap, meta))
}

// WriteJSON writes the JSON summary and time series of snap to w.
func WriteJSON(w io.Writer, snap *sim.Snapshot, meta Meta) error {
	return encodeJSON(w, NewFull(snap, meta))
}

func encodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write JSON: %w", err)
	}
	return nil
}

// CSVHeader is the time series' header: the interval's metrics, then each
// bidder's spend, win rate and timeout rate as NAME.spend, NAME.win_rate
// and NAME.timeout_rate.
func CSVHeader(bidders []string) []string {
	h := []string{"start_seconds", "auctions", "fill_rate", "mean_price", "max_price", "timeouts", "revenue", "revenue_lost"}
	for _, name := range bidders {
		h = append(h, name+".spend", name+".win_rate", name+".timeout_rate")
	}
	return h
}

// WriteCSV writes snap's time series to w, one row per interval. Money is in
// currency units and prices in CPM, as in the JSON.
func WriteCSV(w io.Writer, snap *sim.Snapshot) error {
	s := NewSeries(snap)
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader(s.Bidders)); err != nil {
		return fmt.Errorf("write CSV: %w", err)
	}
	row := make([]string, 0, 8+3*len(s.Bidders))
	for _, p := range s.Points {
		row = append(row[:0],
			num(p.StartSeconds),
			strconv.FormatUint(p.Auctions, 10),
			num(p.FillRate),
			num(p.MeanPrice),
			num(p.MaxPrice),
			strconv.FormatUint(p.Timeouts, 10),
			num(p.Revenue),
			num(p.RevenueLost),
		)
		for _, b := range p.Bidders {
			row = append(row, num(b.Spend), num(b.WinRate), num(b.TimeoutRate))
		}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("write CSV: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write CSV: %w", err)
	}
	return nil
}

// num formats a float the shortest way that reads back exactly, without an
// exponent, which spreadsheets like better.
func num(x float64) string { return strconv.FormatFloat(finite(x), 'f', -1, 64) }

// Write writes snap to path, as JSON (summary and time series) or CSV (time
// series) by path's extension. The file is written atomically: to a
// temporary file in the same directory, then renamed over path, so that a
// reader never sees a partial file and an existing file survives a failure.
func Write(path string, snap *sim.Snapshot, meta Meta) error {
	format, err := FormatOf(path)
	if err != nil {
		return err
	}
	return WriteFileAtomic(path, func(w io.Writer) error {
		if format == CSV {
			return WriteCSV(w, snap)
		}
		return WriteJSON(w, snap, meta)
	})
}

// WriteFileAtomic creates path with what write writes, atomically (see
// Write). The file gets mode 0644.
func WriteFileAtomic(path string, write func(io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	bw := bufio.NewWriter(tmp)
	if err := write(bw); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	// Sync before rename: otherwise a crash can leave the new name
	// pointing at an empty file.
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
