package main

import (
	"strings"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/scenarios"
)

// setFlags collects a repeatable PATH=VALUE flag (--set, --change).
type setFlags struct {
	flag string // "--set"
	list []scenarios.Set
}

func (f *setFlags) String() string { return strings.Join(report.SetStrings(f.list), " ") }

func (f *setFlags) Set(text string) error {
	s, err := scenarios.ParseSet(f.flag, text)
	if err != nil {
		return err
	}
	f.list = append(f.list, s)
	return nil
}

// setUsage is --set's help.
const setUsage = "`PATH=VALUE` override a scenario field, as written in the YAML (repeatable): " +
	"exchange.floor=0.3, bidders.NAME.latency.median=90ms, 'bidders.*.strategy.factor=0.9'"
