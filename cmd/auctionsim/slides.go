package main

import "github.com/auctionsim/auctionsim/report/theme"

// --theme, for slides and demos: the dashboard's and run's table's colours.

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
const themeHelp = "`THEME` the table's and the dashboard's colours (plots are always drawn on white): light (a white background, a projector), dark, or auto (light when COLORFGBG says the background is; default)"
