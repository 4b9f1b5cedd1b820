package report

import (
	"context"
	"io"
	"os"
	"runtime/debug"
	"time"

	"github.com/auctionsim/auctionsim/sim/experiment"
)

// BuildID is the binary's VCS revision, with "+modified" for a build from
// a changed tree, or the module's version; empty when unknown. A shard
// records it, so that merge can refuse shards of different builds.
func BuildID() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
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
	if rev == "" {
		return info.Main.Version
	}
	return rev + mod
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
// when the name ends in .csv and csv is not nil, tree as JSON otherwise.
func WriteResultFile(path string, tree any, csv func(io.Writer) error) error {
	return WriteFileAtomic(path, func(w io.Writer) error {
		if f, _ := FormatOf(path); csv != nil && f == CSV {
			return csv(w)
		}
		return EncodeJSON(w, tree)
	})
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
