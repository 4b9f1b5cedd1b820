package main

import "github.com/auctionsim/auctionsim/report"

// outputs is the one output guard of every file a command writes
// (report.Outputs).
type outputs struct{ g report.Outputs }

func (o *outputs) input(paths ...string) *outputs { o.g.Input(paths...); return o }
func (o *outputs) add(flag, path string) *outputs { o.g.Add(flag, path); return o }
func (o *outputs) check() error                   { return o.g.Check() }

// checkOutDir refuses an --out path that names a directory or sits in
// none, before the inputs are known (the guard runs again then).
func checkOutDir(path string) error {
	return (&outputs{}).add("--out", path).check()
}
