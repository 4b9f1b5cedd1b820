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
	"unicode/utf8"

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
	return EncodeJSON(w, NewSummary(snap, meta))
}

// WriteJSON writes the JSON summary, the time series and (when meta has
// the scenario's text) the replay section of snap to w: the layout of
// json.Encoder with a two-space indent, as for Full, but streamed one
// series point at a time, so that a long series of many bidders is never
// held whole in memory as JSON. The sections more follow, in order.
func WriteJSON(w io.Writer, snap *sim.Snapshot, meta Meta, more ...Section) error {
	if err := writeJSON(w, snap, meta, more); err != nil {
		return fmt.Errorf("write JSON: %w", err)
	}
	return nil
}

func writeJSON(w io.Writer, snap *sim.Snapshot, meta Meta, more []Section) error {
	head, err := json.MarshalIndent(NewSummary(snap, meta), "", "  ")
	if err != nil {
		return err
	}
	// Reopen the summary's object: drop its closing "\n}".
	head = append(head[:len(head)-2], ",\n  \"series\": "...)
	if _, err := w.Write(head); err != nil {
		return err
	}
	series := seriesHead(snap)
	series.Points = []Point{}
	sh, err := json.MarshalIndent(series, "  ", "  ")
	if err != nil {
		return err
	}
	points := snap.Series.Points
	if len(points) > 0 {
		// Open the empty points list: drop "[]\n  }".
		sh = append(sh[:len(sh)-len("[]\n  }")], "[\n      "...)
	}
	if _, err := w.Write(sh); err != nil {
		return err
	}
	for i, p := range points {
		b, err := json.MarshalIndent(newPoint(p), "      ", "  ")
		if err != nil {
			return err
		}
		if i < len(points)-1 {
			b = append(b, ",\n      "...)
		} else {
			b = append(b, "\n    ]\n  }"...)
		}
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	if r := NewReplay(snap, meta); r != nil {
		b, err := json.MarshalIndent(r, "  ", "  ")
		if err != nil {
			return err
		}
		if _, err := w.Write(append([]byte(",\n  \"replay\": "), b...)); err != nil {
			return err
		}
	}
	for _, sec := range more {
		name, err := json.Marshal(sec.Name)
		if err != nil {
			return err
		}
		b, err := json.MarshalIndent(sec.Value, "  ", "  ")
		if err != nil {
			return fmt.Errorf("%s: %w", sec.Name, err)
		}
		if _, err := fmt.Fprintf(w, ",\n  %s: %s", name, b); err != nil {
			return err
		}
	}
	_, err = io.WriteString(w, "\n}\n")
	return err
}

// EncodeJSON writes v as JSON with a two-space indent, as every JSON
// output of the command line is written.
func EncodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write JSON: %w", err)
	}
	return nil
}

// CSVHeader is the time series' header: the interval's metrics, then each
// bidder's spend, win rate and timeout rate as NAME.spend, NAME.win_rate
// and NAME.timeout_rate. WriteCSV adds CSVDayHeader's columns after them.
func CSVHeader(bidders []string) []string {
	h := []string{"start_seconds", "auctions", "fill_rate", "mean_price", "max_price", "timeouts", "revenue", "revenue_lost"}
	for _, name := range bidders {
		h = append(h, name+".spend", name+".win_rate", name+".timeout_rate")
	}
	return h
}

// CSVDayHeader is the columns the time series adds, after CSVHeader's,
// for each bidder with a daily budget (daily, by name): its spend of the
// day so far and the day's budget as NAME.day_spend and
// NAME.daily_budget. Added at the end, so that every earlier column keeps
// its place.
func CSVDayHeader(daily []string) []string {
	var h []string
	for _, name := range daily {
		h = append(h, name+".day_spend", name+".daily_budget")
	}
	return h
}

// CSVPartial is the time series' last column, after CSVDayHeader's: the
// JSON's "partial" (the run stopped before its stop, by Ctrl-C), true or
// false, the same on every row. A column, not a comment line or a flag on
// one row: every CSV reader (pandas, R's read.csv, a spreadsheet) reads
// it, as a boolean, and a file of any row says it.
const CSVPartial = "partial"

// WriteCSV writes snap's time series to w, one row per interval, with the
// columns of CSVHeader, CSVDayHeader then CSVPartial (partial: the run
// stopped before its stop, as Meta.Partial). Money is in currency units
// and prices in CPM, as in the JSON.
//
// A value that does not apply (a rate over an interval with no auctions)
// is an empty cell, as JSON's null.
func WriteCSV(w io.Writer, snap *sim.Snapshot, partial bool) error {
	names := seriesHead(snap).Bidders
	var daily []string
	var dailyAt []int // the bidders with a daily budget, by index
	for i, b := range snap.Bidders {
		if b.Daily != 0 {
			daily, dailyAt = append(daily, b.Name), append(dailyAt, i)
		}
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(append(append(CSVHeader(names), CSVDayHeader(daily)...), CSVPartial)); err != nil {
		return fmt.Errorf("write CSV: %w", err)
	}
	row := make([]string, 0, 9+3*len(names)+2*len(daily))
	for _, sp := range snap.Series.Points {
		p := newPoint(sp)
		row = append(row[:0],
			cell(p.StartSeconds),
			strconv.FormatUint(p.Auctions, 10),
			numCell(p.FillRate),
			numCell(p.MeanPrice),
			cell(p.MaxPrice),
			strconv.FormatUint(p.Timeouts, 10),
			cell(p.Revenue),
			cell(p.RevenueLost),
		)
		for _, b := range p.Bidders {
			row = append(row, cell(b.Spend), numCell(b.WinRate), numCell(b.TimeoutRate))
		}
		for _, i := range dailyAt {
			b := sp.Bidders[i]
			row = append(row, cell(b.DaySpend.Float()), cell(b.DailyBudget.Float()))
		}
		row = append(row, strconv.FormatBool(partial))
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

// cell formats a float the shortest way that reads back exactly, without an
// exponent, which spreadsheets like better.
func cell(x float64) string { return strconv.FormatFloat(finite(x), 'f', -1, 64) }

// numCell is cell for a value that may not apply: empty when it does not.
func numCell(x Num) string {
	if !x.Valid() {
		return ""
	}
	return cell(float64(x))
}

// Section is a part a caller adds to the JSON export after the summary,
// the time series and the replay section, under Name: a run on the wire's
// "wire", which its JSON summary has too.
type Section struct {
	Name  string
	Value any
}

// Write writes snap to path, as JSON (summary and time series) or CSV (time
// series) by path's extension. The file is written atomically: to a
// temporary file in the same directory, then renamed over path, so that a
// reader never sees a partial file and an existing file survives a failure.
func Write(path string, snap *sim.Snapshot, meta Meta) error { return WriteWith(path, snap, meta) }

// WriteWith is Write with the sections more after the JSON's summary,
// time series and replay section (a CSV has none of them).
func WriteWith(path string, snap *sim.Snapshot, meta Meta, more ...Section) error {
	format, err := FormatOf(path)
	if err != nil {
		return err
	}
	return WriteFileAtomic(path, func(w io.Writer) error {
		if format == CSV {
			return WriteCSV(w, snap, meta.Partial)
		}
		return WriteJSON(w, snap, meta, more...)
	})
}

// WriteFileAtomic creates path with what write writes, atomically (see
// Write). The file gets mode 0644.
func WriteFileAtomic(path string, write func(io.Writer) error) error {
	return WriteFileAtomicPerm(path, 0o644, write)
}

// WriteFileAtomicPerm is WriteFileAtomic with the file mode perm (0600
// for a private key).
//
// A path that is a symbolic link is written through: the file it points
// to is replaced (atomically, in its own directory) and the link stays.
//
// A path that is (or links to) a device, a pipe or a socket, such as
// /dev/null, /dev/stdout or a shell's >(...), is written in place, as
// the shell's > would: renaming a file over it would replace the device
// node itself (run as root, /dev/null would become a plain file), and a
// stream has no half-written file for the rename to hide.
func WriteFileAtomicPerm(path string, perm os.FileMode, write func(io.Writer) error) (err error) {
	if InPlace(path) {
		return writeInPlace(path, write)
	}
	name := path
	if info, lerr := os.Lstat(path); lerr == nil && info.Mode()&os.ModeSymlink != 0 {
		if path, err = filepath.EvalSymlinks(path); err != nil {
			return fmt.Errorf("write %s: a symbolic link to nothing: %w", name, err)
		}
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+tempBase(base)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", name, UnwrapPath(err))
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	bw := bufio.NewWriter(pathless{tmp})
	if err := write(bw); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	// Sync before rename: otherwise a crash can leave the new name
	// pointing at an empty file.
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", name, UnwrapPath(err))
	}
	if err := tmp.Chmod(perm); err != nil {
		return fmt.Errorf("write %s: %w", name, UnwrapPath(err))
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", name, UnwrapPath(err))
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return nil
}

// maxTempBase is the most of an output's name its temporary file's name
// keeps: with the dot, the random number (at most 10 digits), its dot and
// ".tmp", it stays within 255 bytes, the longest name most file systems
// take, whatever the output's own name.
const maxTempBase = 255 - len(".") - len(".4294967295.tmp")

// tempBase is base shortened, on a character's boundary, to maxTempBase
// bytes: a name the file system takes (up to 255 bytes) would otherwise
// fail as the temporary file's, once the run is done.
func tempBase(base string) string {
	if len(base) <= maxTempBase {
		return base
	}
	cut := maxTempBase
	for cut > 0 && !utf8.RuneStart(base[cut]) {
		cut--
	}
	return base[:cut]
}

// InPlace reports whether path is (or links to) a device, a pipe or a
// socket, which an output is written into in place rather than replaced
// (WriteFileAtomicPerm). Stat follows the links /dev/stdout and a shell's
// /dev/fd/63 are made of, which name no file on disk.
func InPlace(path string) bool {
	info, err := os.Stat(path)
	return err == nil && inPlaceMode(info.Mode())
}

// inPlaceMode reports whether a file of mode, as Stat gives it, is
// written in place (InPlace): neither a regular file nor a directory.
func inPlaceMode(m os.FileMode) bool { return !m.IsRegular() && !m.IsDir() }

// writeInPlace writes what write writes to path, an existing device,
// pipe or socket, without creating, truncating or renaming anything.
func writeInPlace(path string, write func(io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, UnwrapPath(err))
	}
	bw := bufio.NewWriter(pathless{f})
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = UnwrapPath(cerr)
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// pathless is a file whose write errors leave out its name: the caller's
// "write NAME: " says it once (it said "write r.json: write JSON: write
// r.json: no space left on device"), and a temporary file's name means
// nothing to the user.
type pathless struct{ f *os.File }

func (p pathless) Write(b []byte) (int, error) {
	n, err := p.f.Write(b)
	return n, UnwrapPath(err)
}
