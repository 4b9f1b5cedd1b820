package main

import (
	"strings"

	"github.com/auctionsim/auctionsim/scenarios"
)

// setFlags collects a repeatable PATH=VALUE flag (--set, --change).
type setFlags struct {
	flag string // "--set"
	list []scenarios.Set
}

func (f *setFlags) String() string {
	parts := make([]string, len(f.list))
	for i, s := range f.list {
		parts[i] = s.Path + "=" + s.Value
	}
	return strings.Join(parts, " ")
}

func (f *setFlags) Set(text string) error {
	s, err := scenarios.ParseSet(f.flag, text)
	if err != nil {
		return err
	}
	f.list = append(f.list, s)
	return nil
}
