package classroom

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestServe checks a classroom served and closed by its context: the
// room logged after its open line, nothing exported when no round was
// played; and a room that cannot be made refused as a RoomError.
func TestServe(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out bytes.Buffer
	o := ServeOptions{Room: testRoomConfig(1, time.Minute),
		Server: ServerOptions{Addr: "127.0.0.1:0", HostKey: filepath.Join(t.TempDir(), "key")},
		Stdout: &out, Export: filepath.Join(t.TempDir(), "s.json"),
		Open: func(where string, seats int) string { return fmt.Sprintf("open on %s, %d seats\n", where, seats) }}
	n, path, err := Serve(ctx, o)
	if err != nil || n != 0 || path != "" || !strings.HasPrefix(out.String(), "open on 127.0.0.1:") || !strings.Contains(out.String(), ", 1 seats") {
		t.Errorf("%d rounds to %q, %v; stdout %q", n, path, err, out.String())
	}
	o.Room.Round = -1
	var bad RoomError
	if _, _, err := Serve(ctx, o); !errors.As(err, &bad) {
		t.Errorf("a bad room: %v", err)
	}
}
