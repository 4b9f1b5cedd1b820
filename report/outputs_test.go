package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOutputsCheck checks the guard directly: each refusal names the
// flag and says why, and a good set of outputs passes.
func TestOutputsCheck(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.yaml")
	if err := os.WriteFile(in, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "d"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "nowhere"), filepath.Join(dir, "dangling.json")); err != nil {
		t.Fatal(err)
	}
	j := func(p string) string { return filepath.Join(dir, p) }
	for _, c := range []struct {
		g    *Outputs
		want string // "" passes
	}{
		{(&Outputs{}).Input(in).Add("--out", j("out.json")).Add("--plot", j("p.svg")), ""},
		{(&Outputs{}).Input("", in).Add("--out", "").Add("--plot", j("p.svg")), ""},
		{(&Outputs{}).Input(in).Add("--out", j("d/../in.yaml")), "--out " + j("d/../in.yaml") + " is the input " + in},
		{(&Outputs{}).Add("--out", j("a.json")).Add("--plot", j("./a.json")), "is also --out"},
		{(&Outputs{}).Add("--export", j("d")), "--export " + j("d") + ": is a directory"},
		{(&Outputs{}).Add("--out", j("missing/x.json")), "directory " + j("missing")},
		{(&Outputs{}).Add("--out", j("dangling.json")), "a symbolic link to nothing"},
	} {
		err := c.g.Check()
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%+v: refused: %v", c.g, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%+v: %v; want %q", c.g, err, c.want)
		}
	}
	if UnwrapPath(&os.PathError{Op: "open", Path: "p", Err: os.ErrNotExist}) != os.ErrNotExist {
		t.Error("UnwrapPath kept the path")
	}
}
