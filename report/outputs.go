package report

// The one guard of every file a command writes (--out, --openrtb-out,
// --plot, a shard's --out, serve --export, --record): each command lists
// its inputs and its outputs, and checks them all together before it
// runs. Every output is then written atomically (WriteFileAtomic),
// through a symbolic link if it names one.

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// Outputs are a command's output files and the input files they must not
// replace.
type Outputs struct {
	inputs []string
	outs   []output
	// stdout is the process's standard output, which the command writes
	// its table to; nil for os.Stdout (tests set another).
	stdout *os.File
}

// output is one output file and the flag that names it.
type output struct{ flag, path string }

// Input adds files the command reads; "" is skipped.
func (g *Outputs) Input(paths ...string) *Outputs {
	for _, p := range paths {
		if p != "" {
			g.inputs = append(g.inputs, p)
		}
	}
	return g
}

// Add adds the output path, named by flag; "" (not given) is skipped.
func (g *Outputs) Add(flag, path string) *Outputs {
	if path != "" {
		g.outs = append(g.outs, output{flag, path})
	}
	return g
}

// Check refuses, before any time is spent, an output that names a
// directory, sits in a directory that does not exist or cannot be
// written in, is a symbolic link
// to nothing, is a Unix socket, is a device or a pipe that cannot be
// opened for writing,
// is the regular file the process's standard output goes to, or names
// (by any path: another spelling, a link) one of the
// inputs or another output (two may name one device or pipe, which each
// is written into in turn). The error names the flag.
func (g *Outputs) Check() error {
	stdout := g.stdout
	if stdout == nil {
		stdout = os.Stdout
	}
	for i, o := range g.outs {
		if err := writable(o.path); err != nil {
			return fmt.Errorf("%s %s: %w", o.flag, o.path, err)
		}
		if isStdout(o.path, stdout) {
			// Replaced atomically, the file would lose the table the
			// command writes to stdout (the shell still holds the old
			// one); written in place, the two would overwrite each
			// other. Stdout is an output of its own.
			return fmt.Errorf("%s %s is the file standard output goes to: the output would replace what the command prints there; give it a file of its own", o.flag, o.path)
		}
		for _, in := range g.inputs {
			if SamePath(o.path, in) {
				return fmt.Errorf("%s %s is the input %s: writing it would overwrite it", o.flag, o.path, in)
			}
		}
		for _, prev := range g.outs[:i] {
			// Two outputs into one device (/dev/null) take turns, each
			// written whole; only files need one each. (The same file:
			// if one is a device, so is the other.)
			if SamePath(o.path, prev.path) && !InPlace(o.path) {
				return fmt.Errorf("%s %s is also %s: each output needs a file of its own", o.flag, o.path, prev.flag)
			}
		}
	}
	return nil
}

// isStdout reports whether path is the regular file stdout writes to
// (`--out /dev/stdout > file`, or `--out f > f`). A device or a pipe on
// stdout is written into in turn, as two outputs into one may be.
func isStdout(path string, stdout *os.File) bool {
	so, err := stdout.Stat()
	if err != nil || !so.Mode().IsRegular() {
		return false
	}
	info, err := os.Stat(path)
	return err == nil && os.SameFile(info, so)
}

// writable refuses a path an atomic write cannot create or replace: a
// directory (or a link to one), a link to nothing, or a file in a
// directory that does not exist or that it cannot write in (read-only,
// another user's); a Unix socket; and a device or a pipe, written in
// place (InPlace), that cannot be opened for writing (another user's),
// which would otherwise be found only once the run is done.
func writable(path string) error {
	if _, err := os.Lstat(path); errors.Is(err, syscall.ENAMETOOLONG) {
		// A name (or path) longer than the file system takes: found
		// here, not by the write once the run is done.
		return fmt.Errorf("cannot be created: %w (a name is at most 255 bytes)", UnwrapPath(err))
	}
	if info, err := os.Stat(path); err == nil && inPlaceMode(info.Mode()) {
		if info.Mode()&os.ModeSocket != 0 {
			// Said as what it is: opened, it fails in the system's
			// words, "no such device or address".
			return errors.New("is a Unix socket, which is connected to, not opened: no output can be written to one; give a file's path (or a named pipe, mkfifo, to stream it)")
		}
		if err := inPlaceWritable(path, info); err != nil {
			return fmt.Errorf("cannot write to it: %w", UnwrapPath(err))
		}
		return nil
	}
	if info, err := os.Lstat(path); err == nil && info.Mode()&os.ModeSymlink != 0 {
		// A link is written through: its target is replaced, the link stays.
		target, err := filepath.EvalSymlinks(path)
		if err != nil {
			return fmt.Errorf("a symbolic link to nothing (%w)", UnwrapPath(err))
		}
		path = target
	}
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		return errors.New("is a directory")
	}
	dir := filepath.Dir(path)
	info, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("directory %s: %w", dir, UnwrapPath(err))
	}
	if !info.IsDir() {
		return fmt.Errorf("%s is not a directory", dir)
	}
	// The atomic write creates its temporary file there: a directory it
	// cannot write in would fail only once the run (hours, maybe) is done.
	if err := dirWritable(dir); err != nil {
		return fmt.Errorf("cannot write in directory %s: %w", dir, UnwrapPath(err))
	}
	return nil
}

// CheckNotDir refuses an output path that names a directory, as one
// that exists (or a link to one) or one that ends in a separator, saying
// so and naming flag: checked before the name's extension, which a
// directory has none of ("unknown output format" sent the user looking
// for a format). example is a file name to suggest in it ("run.json").
func CheckNotDir(flag, path, example string) error {
	if path == "" {
		return nil
	}
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		return Optionf(flag, "%s %s: is a directory; give a file's path, such as %s", flag, path, filepath.Join(path, example))
	}
	if strings.HasSuffix(path, string(filepath.Separator)) || strings.HasSuffix(path, "/") {
		return Optionf(flag, "%s %s: ends in %c, so names a directory; give a file's path", flag, path, path[len(path)-1])
	}
	return nil
}

// SamePath reports whether a and b name the same file: the same file on
// disk when both exist, else the same clean absolute path once the
// directories' symbolic links are resolved.
func SamePath(a, b string) bool {
	ia, errA := os.Stat(a)
	ib, errB := os.Stat(b)
	if errA == nil && errB == nil {
		return os.SameFile(ia, ib)
	}
	return resolved(a) == resolved(b)
}

func resolved(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return filepath.Clean(p)
	}
	if t, err := filepath.EvalSymlinks(abs); err == nil {
		return t
	}
	dir, base := filepath.Split(abs)
	if d, err := filepath.EvalSymlinks(dir); err == nil {
		dir = d
	}
	return filepath.Join(dir, base)
}

// UnwrapPath drops the path from an *os.PathError, which the message
// names already.
func UnwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
