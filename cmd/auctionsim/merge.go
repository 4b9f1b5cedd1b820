package main

import (
	"github.com/auctionsim/auctionsim/cmd/internal/cli"
	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/report/plot"
)

func newMergeCmd() *command {
	var f expFlags
	c := newCommand(cli.Spec{
		Name:  "merge",
		Usage: "SHARD... [--json] [--out FILE] [--plot FILE]",
		About: helpText("merge"),
		Examples: []string{
			"auctionsim sweep -s reserve-price --vary exchange.floor=0..0.9:0.1 --shard 0/4 --out s0.jsonl",
			"(… shards 1/4, 2/4 and 3/4, anywhere)",
			"auctionsim merge s0.jsonl s1.jsonl s2.jsonl s3.jsonl --json",
		},
		Exits: "Exit codes: 0 ok, 1 an output could not be written, 2 bad usage or shards that do not merge (damaged, edited, missing, of different experiments).",
	})
	defineView(c, &f)
	c.Flags.StringVar(&f.Out, "out", "", "`FILE` also write FILE, as the original command would")
	c.Flags.StringVar(&f.Plot, "plot", "", "`FILE` the plot the original command would draw (.png or .svg)")
	c.runArgs = func(files []string, st streams) int { return mergeMain(&f, files, st) }
	return c
}

func mergeMain(f *expFlags, files []string, st streams) int {
	if len(files) == 0 {
		return usageError(st, "merge", "give the shard files")
	}
	guard := (&report.Outputs{}).Input(files...).Add("--out", f.Out).Add("--plot", f.Plot)
	if code, refused := cli.Check(st.err, "merge", func() error { return plot.CheckAsked(f.Plot, f.Out) }, guard.Check); refused {
		return code
	}
	res, err := report.MergeFiles(files, report.CheckMergedOut(f.Out))
	if err != nil {
		// Shards that do not merge are bad input, as a bad scenario is.
		return cli.Fail(st.err, "merge", err, exitUsage)
	}
	// Its messages name merge, the command given, not the shards' (a
	// failed --out said "auctionsim run: write …").
	switch res.Spec.Command {
	case "run":
		return emitReps("merge", res, f, st)
	case "compare":
		return emitCompare("merge", res, f, 0, report.CompareView{}, scriptNotes{}, st)
	}
	return emitSweep("merge", res, f, scriptNotes{}, st)
}
