package report

import (
	"io"
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

// TestLongOutputNames: an output whose name the file system takes, up to
// 255 bytes, is written (its temporary file's name, the output's with
// more around it, used to be too long, and the write failed once the run
// was done); a longer one is refused up front, naming the flag.
func TestLongOutputNames(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []int{239, 240, 250, 255} {
		// Multi-byte characters too: the temporary name is cut on a
		// character's boundary.
		name := strings.Repeat("é", (n-5)/2) + strings.Repeat("a", (n-5)%2) + ".json"
		path := filepath.Join(dir, name)
		if err := (&Outputs{}).Add("--out", path).Check(); err != nil {
			t.Errorf("%d bytes: refused: %v", len(name), err)
		}
		if err := WriteFileAtomic(path, func(w io.Writer) error { _, err := io.WriteString(w, "{}"); return err }); err != nil {
			t.Errorf("%d bytes: %v", len(name), err)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 4 {
		t.Errorf("%d files in the directory, want the 4 outputs and no temporary file", len(entries))
	}
	long := filepath.Join(dir, strings.Repeat("a", 256)+".json")
	err := (&Outputs{}).Add("--out", long).Check()
	if err == nil || !strings.HasPrefix(err.Error(), "--out "+long) || !strings.Contains(err.Error(), "file name too long") {
		t.Errorf("a 261-byte name: %v, want refused naming --out", err)
	}
}
