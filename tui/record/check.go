package record

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/auctionsim/auctionsim/report"
)

// CheckPath refuses, before the dashboard opens, a --record path that is
// not a .cast file, names a directory or sits in none, or names one of
// the session's inputs (the scenario file); nor may its .part file,
// which the session is written to as it goes, be a directory.
func CheckPath(path string, inputs []string) error {
	if err := report.CheckNotDir("--record", path, "session.cast"); err != nil {
		return err
	}
	if !strings.EqualFold(filepath.Ext(path), ".cast") {
		return fmt.Errorf("--record %s: the file name must end in .cast", path)
	}
	part := path + PartSuffix
	if info, err := os.Lstat(path); err == nil && info.Mode()&os.ModeSymlink != 0 {
		if target, err := filepath.EvalSymlinks(path); err == nil {
			part = target + PartSuffix // written beside the link's target
		}
	}
	err := (&report.Outputs{}).Input(inputs...).Add("--record", path).Check()
	if err == nil && report.InPlace(path) {
		return nil // a device or a pipe is recorded into in place, with no .part file
	}
	if err == nil {
		err = (&report.Outputs{}).Input(inputs...).Add("--record", part).Check()
	}
	if info, serr := os.Stat(part); err == nil && serr == nil && info.IsDir() {
		err = fmt.Errorf("%s, where the recording is written as it goes, is a directory", part)
	}
	return err
}
