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

// TestTableSuggests: an unknown command close to one of the table's gets
// a suggestion, as a flag's typo does; one close to none gets none; and
// help on help is the overall help.
func TestTableSuggests(t *testing.T) {
	entry := func(name string) Entry {
		return Entry{Name: name, Main: func([]string) int { return 0 }, Help: func() string { return name }}
	}
	tab := Table{Head: "Head\n", Entries: []Entry{entry("run"), entry("bidders"), entry("sweep")},
		Default: func([]string) int { return 0 }}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"bidder"}, "auctionsim: unknown command \"bidder\"; did you mean bidders?\n"},
		{[]string{"sweeep"}, "; did you mean sweep?\n"},
		{[]string{"help", "rnu"}, "auctionsim help: unknown command \"rnu\"; did you mean run?\n"},
		{[]string{"xylophone"}, "auctionsim: unknown command \"xylophone\"\n"},
	} {
		var out, errb bytes.Buffer
		if code := tab.Dispatch(c.args, &out, &errb); code != ExitUsage || !strings.Contains(errb.String(), c.want) {
			t.Errorf("%q: exit %d, stderr %q; want %q", c.args, code, errb.String(), c.want)
		}
	}
	var out, errb bytes.Buffer
	if code := tab.Dispatch([]string{"help", "help"}, &out, &errb); code != ExitOK || out.String() != tab.Usage() {
		t.Errorf("help help: exit %d, stdout %q, stderr %q", code, out.String(), errb.String())
	}
}
