package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
)

// TestEveryOutputGuarded checks the one output guard on every output
// flag: an output naming an input (by any path), a directory, another
// output or a file in a missing directory is refused before the run
// (exit 2, naming the flag), and the inputs are left as they were.
func TestEveryOutputGuarded(t *testing.T) {
	dir := t.TempDir()
	src, _ := scenarios.Source("classroom-vickrey")
	in := writeScenario(t, dir, "in.yaml", string(src))
	export := filepath.Join(dir, "r.json")
	if r := inProcess("run", "-s", in, "--auctions", "200", "--out", export); r.code != exitOK {
		t.Fatalf("export: exit %d: %s", r.code, r.stderr)
	}
	exported, _ := os.ReadFile(export)
	if err := os.Mkdir(filepath.Join(dir, "d"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(in, filepath.Join(dir, "in-link.json")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "nowhere.json"), filepath.Join(dir, "dangling.json")); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	x := filepath.Join(dir, "x.json")
	for _, c := range []struct {
		args       []string
		flag, want string
	}{
		{[]string{"run", "-s", in, "--openrtb", "5", "--openrtb-out", in}, "--openrtb-out", "overwrite"},
		{[]string{"run", "-s", in, "--openrtb", "5", "--openrtb-out", "./in.yaml"}, "--openrtb-out", "overwrite"},
		{[]string{"run", "--replay", export, "--openrtb", "3", "--openrtb-out", export}, "--openrtb-out", "overwrite"},
		{[]string{"run", "-s", in, "--openrtb", "3", "--out", x, "--openrtb-out", x}, "--openrtb-out", "is also --out"},
		{[]string{"run", "-s", in, "--openrtb", "3", "--openrtb-out", "d"}, "--openrtb-out", "is a directory"},
		{[]string{"run", "-s", in, "--openrtb", "3", "--openrtb-out", "missing/o.jsonl"}, "--openrtb-out", "directory missing"},
		{[]string{"run", "-s", in, "--out", "in-link.json"}, "--out", "overwrite"},
		{[]string{"run", "-s", in, "--out", "dangling.json"}, "--out", "symbolic link to nothing"},
		{[]string{"run", "-s", in, "--reps", "2", "--out", "dangling.json"}, "--out", "symbolic link to nothing"},
		{[]string{"merge", export, "--out", "d/../r.json"}, "--out", "overwrite"},
		{[]string{"serve", "--ssh", "127.0.0.1:0", "-s", in, "--export", in}, "--export", "overwrite"},
		{[]string{"serve", "--ssh", "127.0.0.1:0", "-s", in, "--export", "d"}, "--export", "is a directory"},
		// The session is JSON: another name is refused after the guard.
		{[]string{"serve", "--ssh", "127.0.0.1:0", "-s", in, "--export", "session.txt"}, "--export", "must end in .json"},
		{[]string{"serve", "--ssh", "127.0.0.1:0", "-s", in, "--host-key", "k", "--export", "k"}, "--export", "overwrite"},
	} {
		args := append(c.args, "--auctions", "1000000000")
		if c.args[0] != "run" || c.args[1] == "--replay" {
			args = c.args
		}
		r := inProcess(args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, c.flag) || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 naming %s and %q", c.args, r.code, r.stderr, c.flag, c.want)
		}
	}
	if got, _ := os.ReadFile(in); string(got) != string(src) {
		t.Error("the scenario file was changed")
	}
	if got, _ := os.ReadFile(export); string(got) != string(exported) {
		t.Error("the replayed file was changed")
	}
}

// TestOutThroughALink checks that an output naming a symbolic link is
// written through it: the link stays, its target gets the output.
func TestOutThroughALink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "target.json")
	if err := os.WriteFile(target, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if r := inProcess("run", "-s", "classroom-vickrey", "--auctions", "100", "--out", link); r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if info, err := os.Lstat(link); err != nil || info.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link was replaced: %v %v", info, err)
	}
	if got, _ := os.ReadFile(target); !strings.Contains(string(got), `"scenario"`) {
		t.Errorf("the target holds %q", got)
	}
}

// TestOutputIsADirectory checks every output flag given a directory
// (one that exists, named without an extension, or a path ending in /):
// refused before the run, exit 2, naming the flag and saying it is a
// directory. Before, the extension was checked first, and --out /tmp
// was "unknown output format", --plot /tmp "not \"\"".
func TestOutputIsADirectory(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "d"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	shard := filepath.Join(dir, "s.json")
	if r := inProcess("run", "-s", "classroom-vickrey", "--auctions", "200", "--reps", "2", "--shard", "0/1", "--out", shard); r.code != exitOK {
		t.Fatalf("shard: exit %d: %s", r.code, r.stderr)
	}
	run := []string{"run", "-s", "classroom-vickrey", "--auctions", "200"}
	exp := []string{"--reps", "2", "--auctions", "200"}
	cases := []struct {
		args []string
		flag string
	}{
		{append(run, "--out", "d"), "--out"},
		{append(run, "--out", "d/"), "--out"},
		{append(run, "--out", "new/"), "--out"},
		{append(run, "--reps", "2", "--out", "d"), "--out"},
		{append(run, "--plot", "d"), "--plot"},
		{append(run, "--openrtb", "3", "--openrtb-out", "d"), "--openrtb-out"},
		{append([]string{"compare", "classroom-vickrey", "--change", "exchange.floor=0.2", "--out", "d"}, exp...), "--out"},
		{append([]string{"compare", "classroom-vickrey", "--change", "exchange.floor=0.2", "--plot", "d"}, exp...), "--plot"},
		{append([]string{"sweep", "-s", "classroom-vickrey", "--vary", "exchange.floor=0.1,0.2", "--out", "d"}, exp...), "--out"},
		{append([]string{"sweep", "-s", "classroom-vickrey", "--vary", "exchange.floor=0.1,0.2", "--plot", "d"}, exp...), "--plot"},
		{[]string{"split", "-s", "budget-split", "--group", "acme", "--plot", "d"}, "--plot"},
		{[]string{"merge", shard, "--out", "d"}, "--out"},
		{[]string{"merge", shard, "--plot", "d"}, "--plot"},
		{[]string{"tui", "-s", "classroom-vickrey", "--record", "d"}, "--record"},
		{[]string{"play", "--export", "d"}, "--export"},
		{[]string{"serve", "--ssh", "127.0.0.1:0", "-s", "classroom-vickrey", "--export", "d"}, "--export"},
		{[]string{"bidders", "-s", "classroom-vickrey", "--listen", "127.0.0.1:0", "--out", "d"}, "--out"},
	}
	for _, c := range cases {
		r := inProcess(c.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, c.flag+" ") || !strings.Contains(r.stderr, "directory") {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 naming %s and saying it is a directory", c.args, r.code, r.stderr, c.flag)
		}
		for _, wrong := range []string{"format", "must end in", "written as"} {
			if strings.Contains(r.stderr, wrong) {
				t.Errorf("%v: %q speaks of the file name's extension", c.args, r.stderr)
			}
		}
	}
}
