package report

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/auctionsim/auctionsim/scenarios"
	"github.com/auctionsim/auctionsim/sim/experiment"
)

// TestWriteResultFile checks that a .csv name gets the CSV and any other
// the JSON tree, and that without a CSV writer a .csv name gets JSON.
func TestWriteResultFile(t *testing.T) {
	dir := t.TempDir()
	tree := map[string]int{"reps": 3}
	csv := func(w io.Writer) error { _, err := io.WriteString(w, "a,b\n"); return err }
	for _, c := range []struct {
		name string
		csv  func(io.Writer) error
		want string
	}{
		{"r.csv", csv, "a,b\n"},
		{"R.CSV", csv, "a,b\n"},
		{"r.json", csv, "{\n  \"reps\": 3\n}\n"},
		{"s.csv", nil, "{\n  \"reps\": 3\n}\n"},
	} {
		path := filepath.Join(dir, c.name)
		if err := WriteResultFile(path, tree, c.csv); err != nil {
			t.Fatal(err)
		}
		if got, _ := os.ReadFile(path); string(got) != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

// TestWriteShardFile writes a whole shard of a small experiment and
// merges it back: the file holds every replication, with the build.
func TestWriteShardFile(t *testing.T) {
	sc, text, err := scenarios.ResolveWith("timeout-demo", []scenarios.Set{{Path: "stop", Value: "{auctions: 300}", Flag: "--auctions"}})
	if err != nil {
		t.Fatal(err)
	}
	job := &experiment.Job{
		Spec:    &experiment.Spec{Command: "run", Scenario: sc.Name, Seed: sc.Config.Seed, Reps: 2, Points: []experiment.PointSpec{{Name: sc.Name, YAML: string(text)}}},
		Points:  []experiment.Point{{Name: sc.Name, Config: sc.Config, Stop: sc.Stop}},
		Workers: 1,
	}
	path := filepath.Join(t.TempDir(), "s.jsonl")
	interrupted, err := WriteShardFile(context.Background(), job, experiment.Shard{K: 0, N: 1}, path)
	if err != nil || interrupted {
		t.Fatalf("interrupted %v: %v", interrupted, err)
	}
	if job.Spec.Build != BuildID() {
		t.Errorf("build %q, want %q", job.Spec.Build, BuildID())
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := experiment.MergeShards([]experiment.ShardInput{{Name: path, R: f}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Agg.Reps() != 2 {
		t.Errorf("%d replications merged, want 2", res.Agg.Reps())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if interrupted, _ := WriteShardFile(ctx, job, experiment.Shard{K: 0, N: 1}, path); !interrupted {
		t.Error("a cancelled shard is not marked interrupted")
	}
	if data, _ := os.ReadFile(path); !strings.Contains(string(data), `"k"`) {
		t.Errorf("no shard header in %q", data)
	}
}

// TestBuildIDWithoutVCS: a build that knows neither its revision nor its
// module version ("(devel)", as every build with -buildvcs=false is) is
// named by a digest of its executable, so that merge tells two such
// builds apart; a revision or a version still names a build.
func TestBuildIDWithoutVCS(t *testing.T) {
	digest := func() string { return "sha256:0123456789abcdef" }
	for _, c := range []struct {
		info debug.BuildInfo
		want string
	}{
		{debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "sha256:0123456789abcdef"},
		{debug.BuildInfo{}, "sha256:0123456789abcdef"},
		{debug.BuildInfo{Main: debug.Module{Version: "v1.2.0"}}, "v1.2.0"},
		{debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "abc123"}, {Key: "vcs.modified", Value: "true"}}}, "abc123+modified"},
	} {
		if got := buildID(&c.info, digest); got != c.want {
			t.Errorf("%+v: %q, want %q", c.info, got, c.want)
		}
	}
	// The test binary's own digest: stable, and of the form merge records.
	d := executableDigest()
	if len(d) != len("sha256:")+16 || !strings.HasPrefix(d, "sha256:") || executableDigest() != d {
		t.Errorf("executable digest %q", d)
	}
}
