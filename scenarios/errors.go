package scenarios

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// Error is one problem in a scenario file, with where it is and which field
// it concerns. Its message reads like
//
//	timeout-demo.yaml:14:5: bidders[0].latency.p99: 20ms is below the median 30ms
type Error struct {
	File   string
	Line   int    // 1-based; 0 when the problem concerns the whole file
	Column int    // 1-based; 0 when unknown
	Field  string // path such as "bidders[0].latency.p99"; empty for syntax errors
	Msg    string // what is wrong and what is expected
	Err    error  // the underlying error, if any (reading the file)
}

// Unwrap returns the underlying error, so that errors.Is(err,
// fs.ErrNotExist) works on a missing file.
func (e *Error) Unwrap() error { return e.Err }

// InFile reports whether the problem is at a line of a file, rather than
// in an override given on the command line (--set and the like) or in
// the file as a whole: a command writes the others after its own name.
func (e *Error) InFile() bool { return e.Line > 0 }

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(ShownPath(e.File))
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ":%d", e.Column)
		}
	}
	b.WriteString(": ")
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// ShownPath is a file's path as a message shows it: as is, or quoted with
// Go's escapes when it holds a control character, so that a path with an
// escape sequence (a file named e\x1b[31m.yaml) is read, not obeyed by
// the terminal.
func ShownPath(path string) string {
	for _, r := range path {
		if !unicode.IsPrint(r) && r != ' ' || unicode.Is(unicode.Cf, r) {
			return strconv.Quote(path)
		}
	}
	return path
}

// Errors is every problem found in one scenario file, in the order they
// appear in it. Parse and Load return it (as an error) so that a user can fix
// a file in one pass rather than one error at a time.
type Errors []*Error

// Error lists the errors one per line.
func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap lets errors.As find the individual *Error values.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// sorted orders errors by position, keeping discovery order for ties, so
// messages read top to bottom like the file.
func (es Errors) sorted() Errors {
	out := slices.Clone(es)
	slices.SortStableFunc(out, func(a, b *Error) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
	})
	return out
}
