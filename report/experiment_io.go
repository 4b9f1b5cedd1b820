package report

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"io"
	"math"
	"os"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/auctionsim/auctionsim/sim/experiment"
	"github.com/auctionsim/auctionsim/sim/stats"
)

// BuildID is the binary's VCS revision, with "+modified" for a build from
// a changed tree, or the module's version; without either (a build with
// -buildvcs=false, or from a tarball: "(devel)"), a digest of the
// executable itself, "sha256:" and 16 hex digits; empty when unknown. A
// shard records it, so that merge can refuse shards of different builds:
// without the digest, every such build looked alike to it.
func BuildID() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return executableDigest()
	}
	return buildID(info, executableDigest)
}

// buildID is BuildID from info, with digest for a build info says
// nothing of.
func buildID(info *debug.BuildInfo, digest func() string) string {
	var rev, mod string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				mod = "+modified"
			}
		}
	}
	switch {
	case rev != "":
		return rev + mod
	case info.Main.Version != "" && info.Main.Version != "(devel)":
		return info.Main.Version
	}
	return digest()
}

// executableDigest is "sha256:" and the first 16 hex digits of the
// running executable's SHA-256; empty when it cannot be read.
func executableDigest() string {
	path, err := os.Executable()
	if err != nil {
		return ""
	}
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))[:16]
}

// WriteShardFile runs shard of job and writes it to path atomically,
// with the build that made it; interrupted reports that ctx cut it short
// (the file is then partial, and merge refuses it).
func WriteShardFile(ctx context.Context, job *experiment.Job, shard experiment.Shard, path string) (interrupted bool, err error) {
	job.Spec.Build = BuildID()
	err = WriteFileAtomic(path, func(w io.Writer) (err error) {
		interrupted, err = experiment.WriteShard(ctx, job, shard, w)
		return err
	})
	return interrupted, err
}

// WriteResultFile writes an experiment's result to path atomically: CSV
// (writeCSV, e.g. WriteSweepCSV) when the name ends in .csv and writeCSV
// is not nil, tree as JSON otherwise.
func WriteResultFile(path string, tree any, writeCSV func(io.Writer) error) error {
	return WriteFileAtomic(path, func(w io.Writer) error {
		if f, _ := FormatOf(path); writeCSV != nil && f == CSV {
			return writeCSV(w)
		}
		return EncodeJSON(w, tree)
	})
}

// WriteRepsCSV writes run --reps' statistics, one metric a row; partial:
// the replications were cut short (Ctrl-C).
func WriteRepsCSV(w io.Writer, agg *experiment.Agg, partial bool) error {
	return WriteRepsCSVOf(w, agg, agg.Metrics(0), partial)
}

// WriteRepsCSVOf writes run --reps' statistics of metrics, one a row,
// each ending in partial (the last column, as a run's CSV has it: an
// interrupted experiment's file was told from a whole one by nothing).
func WriteRepsCSVOf(w io.Writer, agg *experiment.Agg, metrics []string, partial bool) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"metric", "mean", "sd", "n", "lo", "hi", "partial"})
	for _, m := range metrics {
		s, _ := agg.Stat(0, m)
		cw.Write(append(append([]string{m}, statCells(s)...), strconv.FormatBool(partial)))
	}
	cw.Flush()
	return cw.Error()
}

// WriteSweepCSV writes a sweep, one point a row: the varied values, then
// each metric's statistic.
func WriteSweepCSV(w io.Writer, res *experiment.Result) error {
	return writeSweepCSV(w, res, experiment.NewSweepResult(res))
}

// writeSweepCSV is WriteSweepCSV with sr, res read
// (experiment.NewSweepResult), given by an emission that has read it
// already for the JSON.
func writeSweepCSV(w io.Writer, res *experiment.Result, sr experiment.SweepResult) error {
	cw := csv.NewWriter(w)
	var head []string
	for _, v := range res.Spec.Vary {
		head = append(head, v.Path)
	}
	for _, m := range res.Spec.Metrics {
		head = append(head, statHeads(m)...)
	}
	// Then, at the end (columns are only added there), the first
	// metric's paired difference from the highest point (the JSON's
	// "vs_highest": 0 at the highest itself, empty where a point has
	// none).
	if sr.Highest != nil {
		head = append(head, statHeads(sr.Highest.Metric+".vs_highest")...)
	}
	// Last, as a run's CSV has it: true on every row when the sweep was
	// cut short (Ctrl-C), which the file said nowhere.
	head = append(head, "partial")
	cw.Write(head)
	for p, pt := range res.Spec.Points {
		row := append([]string(nil), pt.Values...)
		for _, m := range res.Spec.Metrics {
			s, ok := res.Agg.Stat(p, m)
			if !ok {
				// No replication of the point gave it (a closed form
				// that does not apply there): n 0 and no numbers, as
				// the JSON writes it, not a mean of 0.
				s = noStat()
			}
			row = append(row, statCells(s)...)
		}
		if sr.Highest != nil {
			if v := sr.Points[p].VsHighest; v != nil {
				row = append(row, statCells(*v)...)
			} else {
				row = append(row, make([]string, statCols)...)
			}
		}
		cw.Write(append(row, strconv.FormatBool(res.Partial)))
	}
	cw.Flush()
	return cw.Error()
}

// statCols is the number of a statistic's CSV columns (statHeads).
const statCols = 5

// statHeads is the header of name's statistic's columns, as statCells
// fills them.
func statHeads(name string) []string {
	return []string{name + ".mean", name + ".sd", name + ".n", name + ".lo", name + ".hi"}
}

// statCells is s as CSV cells, in the columns of statHeads.
func statCells(s stats.Stat) []string {
	return []string{csvNum(s.Mean), csvNum(s.SD), strconv.Itoa(s.N), csvNum(s.Lo), csvNum(s.Hi)}
}

// csvNum writes a number exactly; empty when undefined.
func csvNum(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return ""
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// MergeFiles merges the shard files named by files into the result of
// their experiment (experiment.MergeShards, check seeing its spec), as
// if it had run on one machine; its wall time is the merge's.
func MergeFiles(files []string, check func(*experiment.Spec) error) (*experiment.Result, error) {
	start := time.Now()
	var inputs []experiment.ShardInput
	for _, name := range files {
		fh, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer fh.Close()
		inputs = append(inputs, experiment.ShardInput{Name: name, R: fh})
	}
	res, err := experiment.MergeShards(inputs, check)
	if err != nil {
		return nil, err
	}
	res.Wall = time.Since(start)
	return res, nil
}
