package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/auctionsim/auctionsim/tui/record"
	"github.com/auctionsim/auctionsim/tui/theme"
)

// Flags for slides and demos: --theme (the dashboard and run's table) and
// the dashboard's --record.

// checkRecord refuses, before the dashboard opens, a --record path that
// is not a .cast file, names a directory or sits in none, or names one of
// the session's inputs (the scenario file); nor may its .part file, which
// the session is written to as it goes, be a directory.
func checkRecord(path string, inputs []string) error {
	if err := checkExt("--record", path, ".cast"); err != nil {
		return err
	}
	part := path + record.PartSuffix
	if info, err := os.Lstat(path); err == nil && info.Mode()&os.ModeSymlink != 0 {
		if target, err := filepath.EvalSymlinks(path); err == nil {
			part = target + record.PartSuffix // written beside the link's target
		}
	}
	err := (&outputs{}).input(inputs...).add("--record", path).check()
	if err == nil {
		err = (&outputs{}).input(inputs...).add("--record", part).check()
	}
	if info, serr := os.Stat(part); err == nil && serr == nil && info.IsDir() {
		err = fmt.Errorf("%s, where the recording is written as it goes, is a directory", part)
	}
	return err
}

// themeFlag is --theme light|dark|auto.
type themeFlag struct{ mode theme.Mode }

func (f *themeFlag) String() string { return f.mode.String() }

func (f *themeFlag) Set(s string) error {
	m, err := theme.ParseMode(s)
	if err != nil {
		return err
	}
	f.mode = m
	return nil
}

// themeHelp is --theme's help line.
const themeHelp = "`THEME` colours: light (a white background, a projector), dark, or auto (light when COLORFGBG says the background is; default)"
