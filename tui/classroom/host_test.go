package classroom

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/tui/classroom/room"
)

// TestHost runs a room as serve does: the room logged as plain lines
// until the signal, a round played, and the session exported when it
// closes; a room with no round played exports nothing.
func TestHost(t *testing.T) {
	rm, err := room.New(testRoomConfig(1, time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	srv, err := NewServer(ServerOptions{Room: rm, HostKey: filepath.Join(t.TempDir(), "key")})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	host := StartHost(rm, srv, ln)
	defer host.Close()
	out := filepath.Join(t.TempDir(), "s.json")
	if n, _, err := host.ExportOnExit(Exporter(out)); n != 0 || err != nil {
		t.Errorf("no round played: %d rounds exported, %v", n, err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	var log screen
	logged := make(chan error, 1)
	go func() { logged <- host.LogUntil(ctx, &log, "open\n") }()
	p, err := Join(rm, "ann")
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.After(limit)
	for played := false; !played; {
		select {
		case s := <-p.Updates():
			if s.Round > 0 {
				if err := p.Pass(s.Round); err != nil {
					t.Fatal(err)
				}
				played = true
			}
		case <-deadline:
			t.Fatal("no round opened")
		}
	}
	for !strings.Contains(log.String(), "round 1") {
		select {
		case <-deadline:
			t.Fatalf("the round was not logged:\n%s", log.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	cancel()
	if err := <-logged; err != nil {
		t.Errorf("LogUntil: %v", err)
	}
	if !strings.HasPrefix(log.String(), "open\n") && !strings.Contains(log.String(), "\nopen\n") {
		t.Errorf("the open line is missing:\n%s", log.String())
	}
	n, path, err := host.ExportOnExit(Exporter(out))
	if n != 1 || err != nil || !filepath.IsAbs(path) {
		t.Fatalf("exported %d rounds to %q: %v", n, path, err)
	}
	if data, err := os.ReadFile(out); err != nil || !bytes.Contains(data, []byte(`"ann"`)) {
		t.Errorf("the export %s lacks the student: %v", data, err)
	}

	var held HeldLog
	held.Write([]byte("a\n"))
	held.Write([]byte("b\n"))
	var buf bytes.Buffer
	held.Flush(&buf)
	held.Flush(&buf)
	if buf.String() != "a\nb\n" {
		t.Errorf("HeldLog flushed %q", buf.String())
	}
}
