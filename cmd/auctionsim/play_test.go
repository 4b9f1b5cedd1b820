package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/auctionsim/auctionsim/sim"
)

// play leaves its summary and, with --export, every auction played, in
// which each price can be checked from the bids.
func TestPlaySummaryAndExport(t *testing.T) {
	var sink bytes.Buffer
	m, sc, code := newPlayModel(scenarioFlags{name: "classroom-vickrey"}, "", 0, true, streams{out: &sink, err: &sink, getenv: func(string) string { return "" }})
	if m == nil {
		t.Fatalf("newPlayModel: exit %d: %s", code, sink.String())
	}
	for _, bid := range []string{"0.9", "0.2", "0.6", "0.45"} {
		for _, r := range bid {
			m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
		}
		m.Update(tea.KeyMsg{Type: tea.KeyEnter}) // bid
		m.Update(tea.KeyMsg{Type: tea.KeyEnter}) // next auction
	}
	path := filepath.Join(t.TempDir(), "play.json")
	var out, errb bytes.Buffer
	if code := finishPlay(m, sc, path, streams{out: &out, err: &errb}); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "4 auctions: won") || !strings.Contains(out.String(), "4 auctions exported to") {
		t.Errorf("stdout: %q", out.String())
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var ex struct {
		Auction string `json:"auction"`
		Rounds  []struct {
			Price     float64 `json:"price"`
			Floor     float64 `json:"floor"`
			Increment float64 `json:"increment"`
			Bidders   []struct {
				Student string   `json:"student"`
				Bid     *float64 `json:"bid"`
				Status  string   `json:"status"`
			} `json:"bidders"`
		} `json:"rounds"`
	}
	if err := json.Unmarshal(raw, &ex); err != nil {
		t.Fatal(err)
	}
	if len(ex.Rounds) != 4 || ex.Auction != sim.SecondPrice.String() {
		t.Fatalf("%d rounds, auction %q", len(ex.Rounds), ex.Auction)
	}
	for k, r := range ex.Rounds {
		var best, second sim.Price
		n, you := 0, false
		for _, b := range r.Bidders {
			you = you || b.Student == "you"
			if b.Status != "on time" {
				continue
			}
			n++
			p := sim.PriceOf(*b.Bid)
			if p > best {
				best, second = p, best
			} else if p > second {
				second = p
			}
		}
		price, _ := sim.ClearPrice(sim.SecondPrice, sim.PriceOf(r.Floor), sim.PriceOf(r.Increment), best, second, n)
		if sim.PriceOf(r.Price) != price || !you || len(r.Bidders) < 2 {
			t.Errorf("auction %d: exported price %v, by hand %v; you in it %v; %d bidders", k+1, r.Price, price.CPM(), you, len(r.Bidders))
		}
	}
	// The export goes through the output guard: a directory is refused.
	r := run(t, t.TempDir(), "play", "-s", "classroom-vickrey", "--export", ".")
	if r.code != exitUsage || !strings.Contains(r.stderr, "--export") {
		t.Errorf("--export .: exit %d, %q", r.code, r.stderr)
	}
}
