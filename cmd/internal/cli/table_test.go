package cli

import (
	"bytes"
	"strings"
	"testing"
)

// TestTable checks dispatch over a command table: a command with its
// arguments, the overall help and a command's, the default with no
// command or flags first, and unknown commands refused.
func TestTable(t *testing.T) {
	var ran []string
	entry := func(name string) Entry {
		return Entry{Name: name, Synopsis: name + " [flags]   does " + name,
			Main: func(args []string) int { ran = append(ran, name+" "+strings.Join(args, " ")); return 7 },
			Help: func() string { return "help on " + name + "\n" }}
	}
	tab := Table{Head: "Head\n", Tail: "Tail\n", Entries: []Entry{entry("a"), entry("b")},
		Default: func(args []string) int { ran = append(ran, "default "+strings.Join(args, " ")); return 3 }}
	if want := "Head\n  auctionsim a [flags]   does a\n  auctionsim b [flags]   does b\nTail\n"; tab.Usage() != want {
		t.Errorf("usage %q, want %q", tab.Usage(), want)
	}
	for _, c := range []struct {
		args             []string
		code             int
		ran, out, errout string
	}{
		{[]string{"b", "-x", "y"}, 7, "b -x y", "", ""},
		{nil, 3, "default ", "", ""},
		{[]string{"-s", "x"}, 3, "default -s x", "", ""},
		{[]string{"--help"}, ExitOK, "", tab.Usage(), ""},
		{[]string{"help"}, ExitOK, "", tab.Usage(), ""},
		{[]string{"help", "a"}, ExitOK, "", "help on a\n", ""},
		{[]string{"help", "a", "b"}, ExitUsage, "", "", "auctionsim help: give at most one command\n"},
		{[]string{"help", "z"}, ExitUsage, "", "", "auctionsim help: unknown command \"z\"\nRun 'auctionsim --help' for usage.\n"},
		{[]string{"z"}, ExitUsage, "", "", "auctionsim: unknown command \"z\"\nRun 'auctionsim --help' for usage.\n"},
	} {
		ran = nil
		var out, errb bytes.Buffer
		code := tab.Dispatch(c.args, &out, &errb)
		if code != c.code || strings.Join(ran, ";") != c.ran || out.String() != c.out || errb.String() != c.errout {
			t.Errorf("%q: exit %d, ran %q, stdout %q, stderr %q", c.args, code, ran, out.String(), errb.String())
		}
	}
}
