package scenarios

import (
	"errors"
	"fmt"
	"io"

	"github.com/auctionsim/auctionsim/report/format"
)

// WriteList writes the bundled scenarios (List): each name, the default
// marked, and its description wrapped and indented, a blank line
// between; the scenarios command's listing.
func WriteList(w io.Writer) error {
	for i, info := range List() {
		if i > 0 {
			fmt.Fprintln(w)
		}
		name := info.Name
		if name == Default {
			name += " (default)"
		}
		fmt.Fprintln(w, name)
		for _, line := range format.Wrap(info.Description, 74) {
			if _, err := fmt.Fprintln(w, "    "+line); err != nil {
				return err
			}
		}
	}
	return nil
}

// Check is what validate says of path, a scenario file (or a bundled
// scenario's name): "PATH: ok" when it resolves, else every problem, one
// a line, as FILE:LINE:COLUMN: FIELD: MESSAGE; ok reports the former.
func Check(path string) (lines []string, ok bool) {
	_, err := Resolve(path)
	if err == nil {
		return []string{ShownPath(path) + ": ok"}, true
	}
	var list Errors
	if !errors.As(err, &list) {
		return []string{fmt.Sprintf("%s: %v", ShownPath(path), err)}, false
	}
	for _, e := range list {
		lines = append(lines, e.Error())
	}
	return lines, false
}
