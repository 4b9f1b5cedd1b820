// Package record writes a terminal session as an asciicast v2 file
// (https://docs.asciinema.org/manual/asciicast/v2/), the dashboard's
// --record FILE.cast: a header line, a JSON object with version 2, the
// terminal's width and height and the start's Unix timestamp; then one
// line per event, [t, "o", data] for output and [t, "r", "WxH"] for a
// resize, t in seconds since the start. `asciinema play FILE.cast`
// replays it.
//
// The events are written as they happen, to FILE.cast.part, so that a
// session cut short keeps what it showed; Close moves the finished file
// to its name in one rename, so FILE.cast is never half written.
package record

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/auctionsim/auctionsim/report"
)

// Header is an asciicast v2 file's first line.
type Header struct {
	Version   int               `json:"version"`
	Width     int               `json:"width"`
	Height    int               `json:"height"`
	Timestamp int64             `json:"timestamp"`
	Title     string            `json:"title,omitempty"`
	Env       map[string]string `json:"env,omitempty"`
}

// PartSuffix names the file a recording is written to until it is
// closed.
const PartSuffix = ".part"

// Recorder writes one session. Its methods may be called from any
// goroutine (Bubble Tea writes its frames from its renderer's).
type Recorder struct {
	mu    sync.Mutex
	w     io.Writer
	now   func() time.Time
	start time.Time
	// pending is the start of a character the last write split, written
	// with the next one: an event's data must be whole UTF-8.
	pending []byte
	err     error
	closed  bool

	// For a file: the open .part file, and the name it gets on Close;
	// inPlace: file is path itself, a device or a pipe, not renamed.
	file    *os.File
	path    string
	inPlace bool
}

// New starts a recording on w: it writes the header for a terminal of
// width×height, stamped with now() (time.Now in the program; tests pass
// their own clock).
func New(w io.Writer, width, height int, title string, now func() time.Time) (*Recorder, error) {
	r := &Recorder{w: w, now: now, start: now()}
	h := Header{Version: 2, Width: max(width, 1), Height: max(height, 1), Timestamp: r.start.Unix(), Title: title}
	if term := os.Getenv("TERM"); term != "" {
		h.Env = map[string]string{"TERM": term}
	}
	line, err := json.Marshal(h)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(append(line, '\n')); err != nil {
		return nil, fmt.Errorf("recording: %w", err)
	}
	return r, nil
}

// ErrNoReader is Create's error when ctx ended while it waited for a
// reader of the named pipe it records into.
var ErrNoReader = errors.New("no reader of the pipe came: nothing was recorded")

// Create starts a recording to the file path, written as it goes to
// path+PartSuffix and renamed to path by Close. A named pipe is opened
// as it is, which waits for a reader: ctx (nil: none) ends the wait,
// ErrNoReader, so that a signal ends a dashboard that waits for one.
func Create(ctx context.Context, path string, width, height int, title string, now func() time.Time) (*Recorder, error) {
	if report.InPlace(path) {
		// A device or a pipe (/dev/null, a shell's >(...)) is written in
		// place, as report.WriteFileAtomic writes one: renaming the
		// .part file over it would replace the node itself.
		f, err := openWaiting(ctx, path)
		if err != nil {
			return nil, fmt.Errorf("--record %s: %w", path, err)
		}
		r, err := New(f, width, height, title, now)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("--record %s: %w", path, err)
		}
		r.file, r.path, r.inPlace = f, path, true
		return r, nil
	}
	if info, err := os.Lstat(path); err == nil && info.Mode()&os.ModeSymlink != 0 {
		// Written through the link, as every output is: its target is
		// replaced when the recording closes, and the link stays.
		if target, err := filepath.EvalSymlinks(path); err == nil {
			path = target
		}
	}
	f, err := os.OpenFile(path+PartSuffix, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, fmt.Errorf("--record %s: %w", path, err)
	}
	r, err := New(f, width, height, title, now)
	if err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, fmt.Errorf("--record %s: %w", path, err)
	}
	r.file, r.path = f, path
	return r, nil
}

// openWaiting opens path to write, where ctx (nil: none) can end the
// wait that opening a named pipe with no reader is: ErrNoReader.
func openWaiting(ctx context.Context, path string) (*os.File, error) {
	if ctx == nil {
		return os.OpenFile(path, os.O_WRONLY, 0)
	}
	type opened struct {
		f   *os.File
		err error
	}
	done := make(chan opened, 1)
	go func() {
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		done <- opened{f, err}
	}()
	select {
	case o := <-done:
		return o.f, o.err
	case <-ctx.Done():
		// The open left waiting ends with the process, or when a reader
		// comes, the file then closed unwritten.
		go func() {
			if o := <-done; o.f != nil {
				o.f.Close()
			}
		}()
		return nil, ErrNoReader
	}
}

// Output records data written to the terminal.
func (r *Recorder) Output(p []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed || len(p) == 0 {
		return
	}
	data := append(r.pending, p...)
	cut := whole(data)
	r.pending = append([]byte(nil), data[cut:]...)
	if cut > 0 {
		r.event("o", data[:cut])
	}
}

// Resize records the terminal's new size.
func (r *Recorder) Resize(width, height int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.closed {
		r.event("r", []byte(strconv.Itoa(width)+"x"+strconv.Itoa(height)))
	}
}

// whole is the length of p's prefix that ends on a whole character: a
// character split at p's end waits for its rest (at most 3 bytes wait).
func whole(p []byte) int {
	for i := len(p) - 1; i >= 0 && i >= len(p)-utf8.UTFMax; i-- {
		if utf8.RuneStart(p[i]) {
			if !utf8.FullRune(p[i:]) {
				return i
			}
			break
		}
	}
	return len(p)
}

// event writes one event line; the first error stops the recording (the
// session goes on) and Close reports it.
func (r *Recorder) event(kind string, data []byte) {
	if r.err != nil {
		return
	}
	var b bytes.Buffer
	b.WriteByte('[')
	b.WriteString(strconv.FormatFloat(r.now().Sub(r.start).Seconds(), 'f', 6, 64))
	b.WriteString(`, "` + kind + `", `)
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	// Invalid UTF-8 becomes U+FFFD: JSON strings are text.
	if err := enc.Encode(string(data)); err != nil {
		r.err = err
		return
	}
	b.Truncate(b.Len() - 1) // Encode's newline
	b.WriteString("]\n")
	if _, err := r.w.Write(b.Bytes()); err != nil {
		r.err = fmt.Errorf("recording: %w", err)
	}
}

// Close ends the recording: what a split character left is written, and a
// file is synced and renamed to its name. It reports the first error the
// recording met.
func (r *Recorder) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return r.err
	}
	if len(r.pending) > 0 {
		r.event("o", r.pending)
		r.pending = nil
	}
	r.closed = true
	if r.file == nil {
		return r.err
	}
	if r.inPlace {
		if err := errors.Join(r.err, r.file.Close()); err != nil {
			return fmt.Errorf("--record %s: %w", r.path, err)
		}
		return nil
	}
	err := errors.Join(r.err, r.file.Sync(), r.file.Close())
	if err == nil {
		err = os.Rename(r.file.Name(), r.path)
	}
	if err != nil {
		return fmt.Errorf("--record %s: %w (what was recorded is in %s)", r.path, err, r.file.Name())
	}
	return nil
}

// Tee is out with every write also recorded by r. When out is a terminal
// file the result is still one (Fd, Read), so that Bubble Tea sizes and
// restores the terminal through it; its Close leaves out open.
func Tee(out io.Writer, r *Recorder) io.Writer {
	if f, ok := out.(*os.File); ok {
		return teeFile{File: f, rec: r}
	}
	return teeWriter{w: out, rec: r}
}

type teeWriter struct {
	w   io.Writer
	rec *Recorder
}

func (t teeWriter) Write(p []byte) (int, error) {
	n, err := t.w.Write(p)
	t.rec.Output(p[:n])
	return n, err
}

type teeFile struct {
	*os.File
	rec *Recorder
}

func (t teeFile) Write(p []byte) (int, error) {
	n, err := t.File.Write(p)
	t.rec.Output(p[:n])
	return n, err
}

// Close leaves the terminal open: it is not the recording's to close.
func (t teeFile) Close() error { return nil }
