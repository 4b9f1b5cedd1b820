package record

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// clock is a fake clock that moves by step at each reading after the
// first.
type clock struct {
	t    time.Time
	step time.Duration
}

func (c *clock) now() time.Time {
	t := c.t
	c.t = c.t.Add(c.step)
	return t
}

func newClock() *clock {
	return &clock{t: time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC), step: 250 * time.Millisecond}
}

// lines splits a recording into its header and its events.
func lines(t *testing.T, data []byte) (Header, [][]any) {
	t.Helper()
	sc := bufio.NewScanner(bytes.NewReader(data))
	var h Header
	var evs [][]any
	for i := 0; sc.Scan(); i++ {
		if i == 0 {
			if err := json.Unmarshal(sc.Bytes(), &h); err != nil {
				t.Fatalf("header %q: %v", sc.Text(), err)
			}
			continue
		}
		var ev []any
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil || len(ev) != 3 {
			t.Fatalf("event %d %q: %v", i, sc.Text(), err)
		}
		evs = append(evs, ev)
	}
	return h, evs
}

func TestEvents(t *testing.T) {
	var b bytes.Buffer
	c := newClock()
	r, err := New(&b, 100, 30, "auctionsim timeout-demo", c.now)
	if err != nil {
		t.Fatal(err)
	}
	w := Tee(&bytes.Buffer{}, r)
	if _, err := w.Write([]byte("\x1b[2J<revenue> & ")); err != nil {
		t.Fatal(err)
	}
	// "☺" (3 bytes) split across two writes: no event holds half of it.
	smile := []byte("☺")
	w.Write(append([]byte("late "), smile[:1]...))
	w.Write(append(smile[1:], " bids"...))
	r.Resize(120, 40)
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	r.Output([]byte("after the end")) // ignored
	h, evs := lines(t, b.Bytes())
	if h.Version != 2 || h.Width != 100 || h.Height != 30 || h.Timestamp != time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC).Unix() || h.Title != "auctionsim timeout-demo" {
		t.Errorf("header %+v", h)
	}
	want := [][]any{
		{0.25, "o", "\x1b[2J<revenue> & "},
		{0.5, "o", "late "},
		{0.75, "o", "☺ bids"},
		{1.0, "r", "120x40"},
	}
	if len(evs) != len(want) {
		t.Fatalf("%d events, want %d: %v", len(evs), len(want), evs)
	}
	for i := range want {
		for j := range want[i] {
			if evs[i][j] != want[i][j] {
				t.Errorf("event %d: %v, want %v", i, evs[i], want[i])
				break
			}
		}
	}
	if strings.Contains(b.String(), `\u003c`) {
		t.Error("HTML escapes in the recording: it is not a web page")
	}
}

// A file recording is written as it goes to FILE.part and is FILE once
// closed; asciinema (when installed) replays it with the screen's text.
func TestFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "demo.cast")
	r, err := Create(context.Background(), path, 80, 24, "demo", newClock().now)
	if err != nil {
		t.Fatal(err)
	}
	r.Output([]byte("\x1b[?1049h\x1b[H\x1b[1;38;5;39mauctionsim\x1b[0m timeout-demo │ tmax 120ms\r\n"))
	part, err := os.ReadFile(path + PartSuffix)
	if err != nil {
		t.Fatalf("nothing written as it goes: %v", err)
	}
	if _, evs := lines(t, part); len(evs) != 1 {
		t.Errorf("%d events in the part file, want the one so far", len(evs))
	}
	if _, err := os.Stat(path); err == nil {
		t.Error("the recording has its name before it is closed")
	}
	r.Output([]byte("\x1b[?1049l"))
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + PartSuffix); err == nil {
		t.Error("the part file is left behind")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, evs := lines(t, data); len(evs) != 2 {
		t.Errorf("%d events, want 2", len(evs))
	}
	if out := AsciinemaCat(t, path); !strings.Contains(out, "auctionsim\x1b[0m timeout-demo │ tmax 120ms") {
		t.Errorf("asciinema cat did not give the screen back: %q", out)
	}
}

func TestCreateFails(t *testing.T) {
	if _, err := Create(context.Background(), filepath.Join(t.TempDir(), "none", "x.cast"), 80, 24, "", time.Now); err == nil || !strings.Contains(err.Error(), "--record") {
		t.Errorf("a missing directory: %v", err)
	}
}

// Bubble Tea writes frames from its renderer while resizes come from the
// update loop: the recorder takes both at once, every line whole.
func TestConcurrent(t *testing.T) {
	var b bytes.Buffer
	r, err := New(&b, 80, 24, "", time.Now)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	for range 4 {
		go func() {
			defer func() { done <- struct{}{} }()
			for range 100 {
				r.Output([]byte("frame ☺\r\n"))
			}
		}()
	}
	go func() {
		defer func() { done <- struct{}{} }()
		for i := range 50 {
			r.Resize(80+i, 24)
		}
	}()
	for range 5 {
		<-done
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	_, evs := lines(t, b.Bytes())
	out, resizes := 0, 0
	for _, ev := range evs {
		switch ev[1] {
		case "o":
			out += strings.Count(ev[2].(string), "frame ☺")
		case "r":
			resizes++
		}
	}
	if out != 400 || resizes != 50 {
		t.Errorf("%d frames and %d resizes recorded, want 400 and 50", out, resizes)
	}
}
