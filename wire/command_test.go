package wire

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/auctionsim/auctionsim/report"
	"github.com/auctionsim/auctionsim/scenarios"
)

// TestResolveEndpointsRefusesBadInput: an --endpoints that is not an
// http(s) URL with a host, and an --endpoint whose URL is not one or whose
// NAME is no bidder, are refused before anything is sent, by the flag and
// the value the user wrote, with what to write instead (not by a bidder
// and the URL built from them, "notaurl/openrtb2/swift").
func TestResolveEndpointsRefusesBadInput(t *testing.T) {
	sc, err := scenarios.Bundled("timeout-demo")
	if err != nil {
		t.Fatal(err)
	}
	first := sc.Config.Bidders[0].Name
	for _, c := range []struct {
		all  string
		each []string
		flag string
		want []string
	}{
		{all: "notaurl", flag: "--endpoints", want: []string{`--endpoints "notaurl"`, "http://127.0.0.1:8080"}},
		{all: "localhost:8080", flag: "--endpoints", want: []string{`--endpoints "localhost:8080"`, "http://127.0.0.1:8080"}},
		{all: "http://", flag: "--endpoints", want: []string{`--endpoints "http://"`}},
		// url.Parse takes these for URLs with a host: a port left out
		// (the client would use 80), no host name, a port past 65535.
		{all: "http://127.0.0.1:", flag: "--endpoints", want: []string{`--endpoints "http://127.0.0.1:"`}},
		{all: "http://:8080", flag: "--endpoints", want: []string{`--endpoints "http://:8080"`}},
		{each: []string{first + "=http://127.0.0.1:99999"}, flag: "--endpoint", want: []string{`"http://127.0.0.1:99999" is not an http:// or https:// URL`}},
		{each: []string{first + "=foo"}, flag: "--endpoint", want: []string{`--endpoint "` + first + `=foo"`, `"foo"`, first + "=http://127.0.0.1:8080" + BidPath + first}},
		{each: []string{first + "x=http://h"}, flag: "--endpoint", want: []string{`no bidder named "` + first + `x"`, "did you mean " + first}},
		{each: []string{"foo"}, flag: "--endpoint", want: []string{`--endpoint "foo": want NAME=URL`}},
		// Given twice, the last would win unseen.
		{each: []string{first + "=http://a:1", first + "=http://b:2"}, flag: "--endpoint", want: []string{`--endpoint "` + first + `=http://b:2"`, "already given", `"` + first + `=http://a:1"`}},
	} {
		_, err := ResolveEndpoints(sc.Config, nil, c.all, c.each)
		var oe *report.OptionError
		if !errors.As(err, &oe) || oe.Flag != c.flag {
			t.Errorf("%q %q: %v, want an OptionError of %s", c.all, c.each, err, c.flag)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%q %q: %q lacks %q", c.all, c.each, err, w)
			}
		}
		if strings.Contains(err.Error(), "bidder "+first+":") {
			t.Errorf("%q %q: %q names a bidder, not the flag", c.all, c.each, err)
		}
	}
}

// TestResolveEndpoints checks the order of precedence: the scenario's
// own endpoints, all replaced by --endpoints, each overridden by
// --endpoint NAME=URL; a malformed NAME=URL is refused by name.
func TestResolveEndpoints(t *testing.T) {
	sc, err := scenarios.Bundled("timeout-demo")
	if err != nil {
		t.Fatal(err)
	}
	names := []string{}
	for _, b := range sc.Config.Bidders {
		names = append(names, b.Name)
	}
	own := map[string]string{names[0]: "http://own/x"}
	got, err := ResolveEndpoints(sc.Config, own, "", nil)
	if err != nil || !reflect.DeepEqual(got, own) {
		t.Errorf("own only: %v, %v", got, err)
	}
	got, err = ResolveEndpoints(sc.Config, own, "http://all", []string{names[1] + "=http://one/y"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(names) || got[names[0]] != "http://all"+BidPath+names[0] || got[names[1]] != "http://one/y" {
		t.Errorf("all and one: %v", got)
	}
	if _, err := ResolveEndpoints(sc.Config, nil, "", []string{"foo"}); err == nil || !strings.Contains(err.Error(), `--endpoint "foo": want NAME=URL`) {
		t.Errorf("a malformed --endpoint: %v", err)
	}
	urls := LoadURLs(sc.Config, "http://h:1/")
	if len(urls) != len(names) || urls[0] != "http://h:1"+BidPath+names[0] {
		t.Errorf("LoadURLs: %v", urls)
	}
}

// TestServeForStats serves a scenario's bidders for a moment, loads them
// with a few requests, and checks the stats written count them.
func TestServeForStats(t *testing.T) {
	sc, err := scenarios.Bundled("timeout-demo")
	if err != nil {
		t.Fatal(err)
	}
	srv, err := NewServer(sc.Config, ServerOptions{NoticeWait: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan Stats, 1)
	go func() {
		s, err := ServeFor(ctx, ln, srv, time.Second, time.Minute)
		if err != nil {
			t.Error(err)
		}
		done <- s
	}()
	res, err := Load(context.Background(), LoadOptions{URLs: LoadURLs(sc.Config, "http://"+ln.Addr().String()), Rate: 1000, Count: 6, TmaxMS: 1000})
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	stats := <-done
	if stats.Requests() != uint64(res.Sent) || res.Sent != 6 {
		t.Errorf("%d requests served, %d sent", stats.Requests(), res.Sent)
	}
	var buf bytes.Buffer
	if err := WriteLoad(&buf, res); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(buf.Bytes(), &m); err != nil || m["sent"] != 6.0 {
		t.Errorf("loadgen JSON %s: %v", buf.String(), err)
	}
	path := filepath.Join(t.TempDir(), "stats.json")
	if err := WriteStats(path, stats); err != nil {
		t.Fatal(err)
	}
	var back Stats
	if data, err := os.ReadFile(path); err != nil || json.Unmarshal(data, &back) != nil || back.Requests() != 6 {
		t.Errorf("stats file: %v, %d requests", err, back.Requests())
	}
	if line := (WireStats{Sent: 3, Answered: 2, NoBids: 1, HTTPErrors: 1}).Line(); line != "wire: 3 sent, 2 answered (1 no-bids), 1 HTTP errors, 0 timeouts; 0 bytes out, 0 in\n" {
		t.Errorf("Line: %q", line)
	}
	if line := (WireStats{Sent: 9, Answered: 2, HTTPErrors: 1, Timeouts: 2, Unsettled: 4}).Line(); line != "wire: 9 sent, 2 answered (0 no-bids), 1 HTTP errors, 2 timeouts, 4 unsettled (auctions open at the stop); 0 bytes out, 0 in\n" {
		t.Errorf("line with calls open at the stop %q", line)
	}
	if line := (WireStats{Sent: 3, Answered: 3, NoticesSent: 5, NoticesUnsent: 2}).Line(); !strings.HasSuffix(line, "\nwire: 2 of 7 win and loss notices got no answer (refused, over 2 s, or cut 1s after the stop)\n") {
		t.Errorf("unsent notices: %q", line)
	}
	if line := (WireStats{Sent: 3, Timeouts: 3, LateGrace: DefaultLateGrace, TimeoutsByBidder: map[string]uint64{"glacier": 2, "atlas": 1}}).Line(); !strings.Contains(line, "\nwire: timeouts (counted in the table as late bids with no price): atlas 1, glacier 2\n") ||
		!strings.Contains(line, "a timeout answered within the late grace (--late-grace) counts at its measured time; one never answered is known only to be past when the wire stopped waiting") ||
		!strings.HasSuffix(line, "\"> T\" (from the fan-out) where they fall among those (hangs included); the simulation records a late answer at its true time and leaves a hang out\n") {
		t.Errorf("Line with timeouts: %q", line)
	}
	// With --late-grace 0 no timeout is read: the note says so rather
	// than describe answers read within a grace there was none of.
	if line := (WireStats{Sent: 3, Timeouts: 3, TimeoutsByBidder: map[string]uint64{"glacier": 3}}).Line(); strings.Contains(line, "within the late grace") ||
		!strings.Contains(line, "wire: with no late grace (--late-grace 0) no timeout is read: each is known only to be past its deadline") ||
		!strings.HasSuffix(line, "leaves a hang out\n") {
		t.Errorf("Line with timeouts and no grace: %q", line)
	}
	// Counts with separators, as the run table's (912192 bytes out read
	// as one figure among 4080s).
	if line := (WireStats{Sent: 4080, Answered: 2666, Timeouts: 1374, BytesOut: 912192, TimeoutsByBidder: map[string]uint64{"glacier": 1374}}).Line(); !strings.HasPrefix(line, "wire: 4,080 sent, 2,666 answered (0 no-bids), 0 HTTP errors, 1,374 timeouts; 912,192 bytes out, 0 in\n") ||
		!strings.Contains(line, "glacier 1,374\n") {
		t.Errorf("Line with thousands: %q", line)
	}
}

// The stop's line per bidder accounts for every request answered or given
// up: the requests the client abandoned are said when there were some,
// so that bids, no-bids, errors and those add up to the requests.
func TestStatsSummaryAbandoned(t *testing.T) {
	st := Stats{Bidders: []BidderStats{
		{Name: "tail", counters: counters{Requests: 10, Bids: 7, Abandoned: 3}},
		{Name: "swift", counters: counters{Requests: 2, Bids: 1, NoBids: 1}},
	}}
	lines := st.Summary()
	if !strings.HasSuffix(lines[0], "  3 abandoned (the client gave up first)") {
		t.Errorf("tail's line does not say its 3 abandoned requests: %q", lines[0])
	}
	if strings.Contains(lines[1], "abandoned") {
		t.Errorf("swift's line speaks of abandoned requests it had none of: %q", lines[1])
	}
}

// The exchange's WireStats carry its late grace, for Line to say which
// note applies: none with --late-grace 0.
func TestWireStatsLateGrace(t *testing.T) {
	cfg := testWorld()
	for _, grace := range []time.Duration{0, 300 * time.Millisecond} {
		x := newExchange(t, cfg, ExchangeOptions{Endpoints: Endpoints(cfg, "http://127.0.0.1:9"), LateGrace: grace})
		if got := x.Wire().LateGrace; got != grace {
			t.Errorf("late grace %v: WireStats say %v", grace, got)
		}
	}
}
