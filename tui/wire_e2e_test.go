package tui

import (
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	onthewire "github.com/auctionsim/auctionsim/wire"
)

// TestEndToEndOnTheWire runs the real binary's dashboard on the wire in a
// real terminal (tmux, on a private socket): `auctionsim -s timeout-demo
// --endpoints URL` against the bidders of timeout-demo served by this
// test on loopback. The header must show the wire's line with requests
// sent, t must lower tmax, l must be refused naming the bidder on the
// wire, and q must exit with status 0. Without tmux it is skipped.
func TestEndToEndOnTheWire(t *testing.T) {
	tmux := lookTmux(t)
	sc := bundled(t, "timeout-demo")
	srv, err := onthewire.NewServer(sc.Config, onthewire.ServerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv) // 127.0.0.1:0
	t.Cleanup(ts.Close)

	dir := t.TempDir()
	bin := buildAuctionsim(t, dir)
	// 25 ad requests a second: 200 bid requests, light for a busy machine.
	script := bin + ` -s timeout-demo --endpoints ` + ts.URL + ` --set traffic.qps=25; echo "exit status $?"; sleep 60`
	term := newTmuxTerm(t, tmux, filepath.Join(dir, "tmux.sock"), "wire", 130, 40, script)
	term.limit = 3 * waitLimit // the wire's first answers, on a busy machine
	waitFor, keys := term.waitFor, term.keys

	waitFor("the wire's line with answers", func(s string) bool {
		return strings.Contains(s, "on the wire: 8 bidders") && strings.Contains(s, "answered") && !strings.Contains(s, " 0 answered")
	})
	keys("t")
	waitFor("tmax lowered", has("tmax 110ms"))
	keys("l")
	waitFor("a change to a bidder on the wire refused", has("swift is on the wire: change it on its server"))
	keys("q")
	waitFor("the exit status", has("exit status 0"))
}
